"""The national holiday tables zhenwu ships: public holidays and make-up working days, year by year, as
the State Council's notices (国务院办公厅关于某年部分节假日安排的通知) set them.

Pure data and one installer. A year not listed here is loaded from its notice each December with
`zhenwu holidays YEAR --notice FILE` (`notice.py` reads it); after that the table is data, kept in the
admin site. The names are those the notice parser gives, so that a table loaded from a notice and a table
shipped here read alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

HOLIDAY = "holiday"
MAKEUP_WORKDAY = "makeup_workday"

HOLIDAYS: list[tuple[str, date, date]] = [
    # 国办发明电〔2024〕12号, 2024-11-12
    ("元旦", date(2025, 1, 1), date(2025, 1, 1)),
    ("春节", date(2025, 1, 28), date(2025, 2, 4)),
    ("清明节", date(2025, 4, 4), date(2025, 4, 6)),
    ("劳动节", date(2025, 5, 1), date(2025, 5, 5)),
    ("端午节", date(2025, 5, 31), date(2025, 6, 2)),
    ("国庆节、中秋节", date(2025, 10, 1), date(2025, 10, 8)),
    # 国务院办公厅, 2025-11-04
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
    ("国庆节、中秋节调休", date(2025, 9, 28)),
    ("国庆节、中秋节调休", date(2025, 10, 11)),
    ("元旦调休", date(2026, 1, 4)),
    ("春节调休", date(2026, 2, 14)),
    ("春节调休", date(2026, 2, 28)),
    ("劳动节调休", date(2026, 5, 9)),
    ("国庆节调休", date(2026, 9, 20)),
    ("国庆节调休", date(2026, 10, 10)),
]


@dataclass(frozen=True)
class Day:
    """One date of a holiday table: `kind` is `HOLIDAY` or `MAKEUP_WORKDAY` (CalendarDay's kinds)."""

    date: date
    kind: str
    name: str


def span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def shipped_days() -> list[Day]:
    """Every date of every table shipped here, in date order."""
    days = [Day(d, HOLIDAY, name) for name, first, last in HOLIDAYS for d in span(first, last)]
    days += [Day(d, MAKEUP_WORKDAY, name) for name, d in MAKEUP_WORKDAYS]
    return sorted(days, key=lambda day: day.date)


def shipped_years() -> list[int]:
    return sorted({day.date.year for day in shipped_days()})


def how_to_load(year: int) -> str:
    """What the admin does when a year's table is missing (said by `zhenwu init` and `zhenwu holidays`)."""
    return (
        f"国务院办公厅发布《关于{year}年部分节假日安排的通知》(通常在上一年11月至12月)后，"
        f"把通知全文存为文本文件，运行 zhenwu holidays {year} --notice 通知.txt --dry-run 预览，"
        "无误后去掉 --dry-run 载入；也可在管理后台「节假日/调休日」逐日录入。"
    )
