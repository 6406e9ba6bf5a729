from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "zhenwu.reports"
    verbose_name = "工作报告"
