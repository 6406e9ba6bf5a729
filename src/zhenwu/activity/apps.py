from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "zhenwu.activity"
    label = "activity"
    verbose_name = "操作日志"

    def ready(self) -> None:
        from zhenwu.web import navigation

        from .services import may_read_log

        navigation.register(
            navigation.NavItem("操作日志", "activity:entry-list", order=95, visible=may_read_log)
        )
