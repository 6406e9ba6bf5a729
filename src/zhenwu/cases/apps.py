from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhenwu.cases"
    label = "cases"
    verbose_name = "事件"

    def ready(self) -> None:
        from zhenwu.activity.services import record_changes

        from . import measures, models

        measures.register()

        # A case's events are not logged again: each is already an append-only record of who did what
        # and when (guarded by triggers), and the change it made to the case is logged with the case.
        for model in (
            models.CaseType,
            models.CaseCategory,
            models.EscalationRule,
            models.CasePhoto,
            models.RectificationNotice,
            models.Visit,
        ):
            record_changes(model)
        record_changes(models.Case, exclude=["county_code"])  # the place's, already logged
        record_changes(models.Open311Key, exclude=["key"])

        from zhenwu.web import navigation

        navigation.register(navigation.NavItem("事件", "cases:case-list", order=30))
