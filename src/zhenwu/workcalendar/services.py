"""The holiday table as a pure `WorkCalendar` for deadline arithmetic."""

from __future__ import annotations

from datetime import date, timedelta

from zhenwu.core.workdays import WorkCalendar
from zhenwu.remembered import Remembered

from .models import CalendarDay, DayKind

# Deadlines reach past the range asked for (a 60-day petition, an extension): read a margin around it.
MARGIN = timedelta(days=400)


def _all_days() -> list[tuple[date, str]]:
    return list(CalendarDay.objects.values_list("date", "kind"))


# Read by every deadline computed (every case taken in); changed a few times a year.
calendar_days = Remembered("workcalendar", _all_days, CalendarDay)


def work_calendar(start: date, end: date) -> WorkCalendar:
    """The holidays and make-up working days between `start` and `end` (plus a margin)."""
    first, last = start - MARGIN, end + MARGIN
    holidays, makeup = set(), set()
    for day, kind in calendar_days.get():
        if first <= day <= last:
            (holidays if kind == DayKind.HOLIDAY else makeup).add(day)
    return WorkCalendar(holidays=frozenset(holidays), makeup_workdays=frozenset(makeup))


def set_day(day: date, kind: str, name: str) -> CalendarDay:
    record, _ = CalendarDay.objects.update_or_create(date=day, defaults={"kind": kind, "name": name})
    return record
