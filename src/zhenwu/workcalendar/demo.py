"""The real 2025 and 2026 public holidays and make-up working days (国务院办公厅通知)."""

from __future__ import annotations

from datetime import date, timedelta

from .models import CalendarDay, DayKind
from .services import set_day


def _span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


HOLIDAYS: list[tuple[str, date, date]] = [
    ("元旦", date(2025, 1, 1), date(2025, 1, 1)),
    ("春节", date(2025, 1, 28), date(2025, 2, 4)),
    ("清明节", date(2025, 4, 4), date(2025, 4, 6)),
    ("劳动节", date(2025, 5, 1), date(2025, 5, 5)),
    ("端午节", date(2025, 5, 31), date(2025, 6, 2)),
    ("国庆节、中秋节", date(2025, 10, 1), date(2025, 10, 8)),
    ("元旦", date(2026, 1, 1), date(2026, 1, 3)),
    ("春节", date(2026, 2, 15), date(2026, 2, 23)),
    ("清明节", date(2026, 4, 4), date(2026, 4, 6)),
    ("劳动节", date(2026, 5, 1), date(2026, 5, 5)),
    ("端午节", date(2026, 6, 19), date(2026, 6, 21)),
    ("中秋节", date(2026, 9, 25), date(2026, 9, 27)),
    ("国庆节", date(2026, 10, 1), date(2026, 10, 7)),
]
MAKEUP_WORKDAYS: list[tuple[str, date]] = [
    ("春节调休", date(2025, 1, 26)),
    ("春节调休", date(2025, 2, 8)),
    ("劳动节调休", date(2025, 4, 27)),
    ("国庆节调休", date(2025, 9, 28)),
    ("国庆节调休", date(2025, 10, 11)),
    ("元旦调休", date(2026, 1, 4)),
    ("春节调休", date(2026, 2, 14)),
    ("春节调休", date(2026, 2, 28)),
    ("劳动节调休", date(2026, 5, 9)),
    ("国庆节调休", date(2026, 9, 20)),
    ("国庆节调休", date(2026, 10, 10)),
]


def load() -> None:
    if CalendarDay.objects.exists():
        return
    for name, first, last in HOLIDAYS:
        for day in _span(first, last):
            set_day(day, DayKind.HOLIDAY, name)
    for name, day in MAKEUP_WORKDAYS:
        set_day(day, DayKind.MAKEUP_WORKDAY, name)
