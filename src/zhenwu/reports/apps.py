from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "zhenwu.reports"
    label = "reports"
    verbose_name = "工作报告"

    def ready(self) -> None:
        from zhenwu.activity.services import record_changes
        from zhenwu.web import navigation

        from .models import EntryRequest, NarrativeEntry, ReportDraft, ReportOutline

        record_changes(NarrativeEntry)
        record_changes(ReportDraft)
        record_changes(ReportOutline)
        record_changes(EntryRequest)

        navigation.register(navigation.NavItem("报告", "reports:report", order=50))
