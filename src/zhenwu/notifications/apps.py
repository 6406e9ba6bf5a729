from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "zhenwu.notifications"
    verbose_name = "待办与通知"
