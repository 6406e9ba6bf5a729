"""The demo's holiday table: the real tables zhenwu ships (`holidays.py`), loaded when the table is empty."""

from __future__ import annotations

from . import holidays
from .models import CalendarDay
from .services import set_day


def load() -> None:
    if CalendarDay.objects.exists():
        return
    for day in holidays.shipped_days():
        set_day(day.date, day.kind, day.name)
