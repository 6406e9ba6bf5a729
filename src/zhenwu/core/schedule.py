"""Back-scheduling (倒排工期): planned dates for a project's steps, counted back from its completion date
in working days, so that weekends and public holidays never hold a milestone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Protocol

__all__ = ["Calendar", "back_schedule", "latest_working_day", "subtract_working_days"]

ONE_DAY = timedelta(days=1)


class Calendar(Protocol):
    def is_working_day(self, day: date) -> bool: ...


def latest_working_day(calendar: Calendar, day: date) -> date:
    """`day` itself if it is worked, else the working day before it."""
    while not calendar.is_working_day(day):
        day -= ONE_DAY
    return day


def subtract_working_days(calendar: Calendar, end: date, days: int) -> date:
    """The working day that lies `days` working days before `end`."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = end
    remaining = days
    while remaining:
        current -= ONE_DAY
        if calendar.is_working_day(current):
            remaining -= 1
    return latest_working_day(calendar, current)


def back_schedule(
    calendar: Calendar, completion: date, steps: Sequence[tuple[str, int]]
) -> list[tuple[str, date]]:
    """Each step's planned finishing date: the last step finishes on the completion date (or the working
    day before it), and each earlier step finishes as many working days before the next as the next takes."""
    if not steps:
        return []
    finish = latest_working_day(calendar, completion)
    planned = [(steps[-1][0], finish)]
    for (name, _), (_, next_duration) in zip(reversed(steps[:-1]), reversed(steps[1:]), strict=True):
        finish = subtract_working_days(calendar, finish, next_duration)
        planned.append((name, finish))
    return list(reversed(planned))
