from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhenwu.cases"
    label = "cases"
    verbose_name = "事件"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.CaseType,
            models.CaseCategory,
            models.Case,
            models.CaseEvent,
            models.CasePhoto,
            models.RectificationNotice,
            models.Visit,
        ):
            auditlog.register(model)
        auditlog.register(models.Open311Key, exclude_fields=["key"])

        from zhenwu.web import navigation

        navigation.register(navigation.NavItem("事件", "cases:case-list", order=30))
