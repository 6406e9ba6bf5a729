"""The holiday table as a pure `WorkCalendar` for deadline arithmetic."""

from __future__ import annotations

from datetime import date, timedelta

from zhenwu.core.workdays import WorkCalendar

from .models import CalendarDay, DayKind

# Deadlines reach past the range asked for (a 60-day petition, an extension): read a margin around it.
MARGIN = timedelta(days=400)


def work_calendar(start: date, end: date) -> WorkCalendar:
    """The holidays and make-up working days between `start` and `end` (plus a margin), in one query."""
    rows = CalendarDay.objects.filter(date__gte=start - MARGIN, date__lte=end + MARGIN).values_list(
        "date", "kind"
    )
    holidays, makeup = set(), set()
    for day, kind in rows:
        (holidays if kind == DayKind.HOLIDAY else makeup).add(day)
    return WorkCalendar(holidays=frozenset(holidays), makeup_workdays=frozenset(makeup))


def set_day(day: date, kind: str, name: str) -> CalendarDay:
    record, _ = CalendarDay.objects.update_or_create(date=day, defaults={"kind": kind, "name": name})
    return record
