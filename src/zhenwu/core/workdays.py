"""Working days: which dates are worked, and deadlines counted in calendar or working days.

A Chinese working calendar is Monday to Friday, minus the public holidays the State Council announces
each year, plus the make-up working days (调休上班) that fall on a weekend. Both sets are data, handed in
by the caller; this module only counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

ONE_DAY = timedelta(days=1)


class DayCount(StrEnum):
    """How a deadline counts its days."""

    CALENDAR = "calendar"
    WORKING = "working"


@dataclass(frozen=True)
class WorkCalendar:
    """Holidays and make-up working days; every other weekday is a working day, every weekend day is not."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    makeup_workdays: frozenset[date] = field(default_factory=frozenset)

    def is_working_day(self, day: date) -> bool:
        if day in self.makeup_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: date, days: int) -> date:
        """The date `days` working days after `start` (start itself does not count).

        Zero days is `start` itself, or the next working day when `start` is not one.
        """
        if days < 0:
            raise ValueError("days must not be negative")
        current = start
        if days == 0:
            while not self.is_working_day(current):
                current += ONE_DAY
            return current
        remaining = days
        while remaining:
            current += ONE_DAY
            if self.is_working_day(current):
                remaining -= 1
        return current

    def add_days(self, start: date, days: int, count: DayCount) -> date:
        """A deadline `days` after `start`, counted as `count` says."""
        if count is DayCount.CALENDAR:
            if days < 0:
                raise ValueError("days must not be negative")
            return start + timedelta(days=days)
        return self.add_working_days(start, days)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in the half-open range (start, end]; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        current = start
        while current < end:
            current += ONE_DAY
            if self.is_working_day(current):
                count += 1
        return count
