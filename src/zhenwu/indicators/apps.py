from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "zhenwu.indicators"
    label = "indicators"
    verbose_name = "指标与目标任务"

    def ready(self) -> None:
        from zhenwu.activity.services import record_changes
        from zhenwu.web import navigation

        from . import models

        for model in (
            models.Indicator,
            models.IndicatorSettings,
            models.Target,
            models.Value,
            models.ConsistencyRule,
            models.RuleViolation,
            models.LibraryIndicator,
        ):
            record_changes(model)
        navigation.register(navigation.NavItem("指标", "indicators:dashboard", order=10))
