from django.apps import AppConfig


class WorkCalendarConfig(AppConfig):
    name = "zhenwu.workcalendar"
    label = "workcalendar"
    verbose_name = "节假日与调休"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.CalendarDay)
