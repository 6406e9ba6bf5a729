"""Helpers for the tests of the case engine's jobs: the clock set to a Beijing moment, deadlines put where
a test needs them, and who was told what."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from time_machine import TimeMachineFixture

from zhenwu.cases.models import Case
from zhenwu.cases.services import end_of_day
from zhenwu.notifications.models import Notification

BEIJING = ZoneInfo("Asia/Shanghai")


def at(
    time_machine: TimeMachineFixture, year: int, month: int, day: int, hour: int = 10, minute: int = 0
) -> datetime:
    """Stop the clock at a Beijing moment and return it (the `now` a job is run for)."""
    moment = datetime(year, month, day, hour, minute, tzinfo=BEIJING)
    time_machine.move_to(moment, tick=False)
    return moment


def due_on(case: Case, day: date, **fields: Any) -> Case:
    """Set the scene: the case's deadline at the end of `day` (as deadlines are), and any other field."""
    Case.objects.filter(pk=case.pk).update(deadline=end_of_day(day), **fields)
    case.refresh_from_db()
    return case


def told(case: Case, kind: str) -> set[str]:
    """The usernames told of `case` by notifications of `kind`."""
    notes = Notification.objects.filter(kind=kind, key__contains=f":case:{case.pk}:")
    return set(notes.values_list("recipient__username", flat=True))


def count(kind: str) -> int:
    return Notification.objects.filter(kind=kind).count()
