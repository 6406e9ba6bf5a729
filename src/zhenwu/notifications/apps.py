from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "zhenwu.notifications"
    verbose_name = "待办与通知"

    def ready(self) -> None:
        from zhenwu.activity.services import record_changes

        from . import checks, models  # noqa: F401 (checks registers itself)

        # A user's choices are their own writes; notifications and deliveries are the system's, and an
        # admin's "重新发送" is logged by `delivery.resend`.
        record_changes(models.ChannelChoice)
