from django.apps import AppConfig


class WorkCalendarConfig(AppConfig):
    name = "zhenwu.workcalendar"
    label = "workcalendar"
    verbose_name = "节假日与调休"

    def ready(self) -> None:
        from zhenwu.activity.services import record_changes

        from . import models, services  # noqa: F401 - services keeps the calendar until it changes

        record_changes(models.CalendarDay)
