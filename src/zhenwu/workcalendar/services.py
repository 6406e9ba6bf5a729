"""The holiday table as a pure `WorkCalendar` for deadline arithmetic."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

from django.db import transaction
from django.db.models import Q

from zhenwu.core.workdays import WorkCalendar
from zhenwu.remembered import Remembered

from . import holidays
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


class DayLike(Protocol):
    date: date
    kind: str
    name: str


@dataclass
class TableChange:
    """What loading a year's table does to the stored one: dates added, changed and removed."""

    year: int
    added: list[DayLike] = field(default_factory=list)
    changed: list[tuple[CalendarDay, DayLike]] = field(default_factory=list)
    removed: list[CalendarDay] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changes_anything(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def year_table(year: int) -> list[CalendarDay]:
    return list(CalendarDay.objects.filter(date__year=year).order_by("date"))


def years_with_table() -> set[int]:
    return {day.year for day in CalendarDay.objects.dates("date", "year")}


@transaction.atomic
def replace_year(year: int, days: Iterable[DayLike], *, dry_run: bool = False) -> TableChange:
    """Make the stored table of `year` exactly `days` (a notice's), each write logged; a dry run only
    says what would change. A date of another year the notice names (a make-up day in December before)
    is added or changed, never removed."""
    wanted = {day.date: day for day in days}
    stored = {d.date: d for d in CalendarDay.objects.filter(Q(date__year=year) | Q(date__in=list(wanted)))}
    change = TableChange(year=year)
    for day in sorted(wanted.values(), key=lambda d: d.date):
        old = stored.get(day.date)
        if old is None:
            change.added.append(day)
        elif (old.kind, old.name) != (day.kind, day.name):
            change.changed.append((old, day))
        else:
            change.unchanged += 1
    change.removed = [d for d in stored.values() if d.date not in wanted and d.date.year == year]
    if not dry_run:
        for old in change.removed:
            old.delete()  # through the model, so that the activity log records it
        for day in [*change.added, *(new for _, new in change.changed)]:
            set_day(day.date, day.kind, day.name)
    return change


def install_shipped() -> tuple[int, int]:
    """The tables zhenwu ships, for dates not in the table yet: (dates added, dates already there).
    A date already there is left as an admin may have edited it."""
    present = set(CalendarDay.objects.values_list("date", flat=True))
    added = 0
    for day in holidays.shipped_days():
        if day.date not in present:
            CalendarDay.objects.create(date=day.date, kind=day.kind, name=day.name)
            added += 1
    return added, len(holidays.shipped_days()) - added
