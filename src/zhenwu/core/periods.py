"""Reporting periods and time progress (序时进度).

A period is a year and the last month it covers, year to date: "1-8月" is (2026, 8), "一季度" is
(2026, 3), "上半年" is (2026, 6), "全年" is (2026, 12). Values are kept by month; quarters, halves
and "1-8月" are derived from the month they end on.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

__all__ = [
    "EARLIEST_DATE",
    "Period",
    "PeriodError",
    "date_problem",
    "parse_period",
    "time_progress_by_date",
    "time_progress_by_month",
]

QUARTER_WORDS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
HALF_WORDS = {"上半年": 6, "下半年": 12, "全年": 12}

_YEAR_MONTH = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})$")
_YEAR_PREFIX = re.compile(r"^(?:(?P<year>\d{4})\s*年)?\s*(?P<rest>.*)$")
_MONTH_RANGE = re.compile(r"^1\s*[-—~至到]\s*(?P<month>\d{1,2})\s*月(?:份)?$")
_SINGLE_MONTH = re.compile(r"^(?P<month>\d{1,2})\s*月(?:份|末|底)?$")
_QUARTER = re.compile(r"^(?:第)?(?P<q>[一二三四1-4])\s*季度$")


class PeriodError(ValueError):
    """A period text that cannot be read; the message is for the user, in Chinese."""


@dataclass(frozen=True, order=True)
class Period:
    """Year to date up to the end of `month`."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise PeriodError(f"月份应在 1 到 12 之间，而不是 {self.month}。")
        if not 1900 <= self.year <= 2999:
            raise PeriodError(f"年份 {self.year} 不在合理范围内。")

    @property
    def key(self) -> str:
        """The form used in URLs and the API: 2026-08."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """How a report names the period: 一季度, 上半年, 1-8月, 全年."""
        named = {3: "一季度", 6: "上半年", 9: "前三季度", 12: "全年"}
        if self.month in named:
            return named[self.month]
        return "1月" if self.month == 1 else f"1-{self.month}月"

    @property
    def full_label(self) -> str:
        return f"{self.year}年{self.label}"

    def previous_month(self) -> Period | None:
        """The period one month earlier in the same year (None in January: the year starts afresh)."""
        return Period(self.year, self.month - 1) if self.month > 1 else None

    def same_period_last_year(self) -> Period:
        return Period(self.year - 1, self.month)

    def end_date(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def entry_deadline(self, day: int = 5) -> date:
        """The day by which this month's values are due: the `day`th of the next month."""
        if self.month == 12:
            return date(self.year + 1, 1, day)
        return date(self.year, self.month + 1, day)

    def months(self) -> range:
        return range(1, self.month + 1)

    @classmethod
    def latest_complete(cls, today: date) -> Period:
        """The last month that has ended by `today`."""
        if today.month == 1:
            return cls(today.year - 1, 12)
        return cls(today.year, today.month - 1)


def parse_period(text: str, default_year: int | None = None) -> Period:
    """Read "2026-08", "1-8月", "8月", "一季度", "第三季度", "上半年", "2026年上半年", "全年"."""
    raw = text.strip()
    if match := _YEAR_MONTH.match(raw):
        return Period(int(match["year"]), int(match["month"]))
    prefix = _YEAR_PREFIX.match(raw)
    assert prefix is not None  # the pattern matches any string
    year = int(prefix["year"]) if prefix["year"] else default_year
    rest = prefix["rest"].strip()
    month = _month_of(rest)
    if month is None:
        raise PeriodError(f"无法识别的期间“{text}”：请写作 2026-08、1-8月、一季度或上半年。")
    if year is None:
        raise PeriodError(f"期间“{text}”没有年份。")
    return Period(year, month)


def _month_of(rest: str) -> int | None:
    if rest in HALF_WORDS:
        return HALF_WORDS[rest]
    for pattern in (_MONTH_RANGE, _SINGLE_MONTH):
        if match := pattern.match(rest):
            return int(match["month"])
    if match := _QUARTER.match(rest):
        return QUARTER_WORDS[match["q"]] * 3
    if rest == "前三季度":
        return 9
    return None


def time_progress_by_month(period: Period, phasing: list[Decimal] | None = None) -> Decimal:
    """The share of the year elapsed at the end of `period`.

    `phasing`, when a target has one, gives the cumulative share due by the end of each of the 12
    months (ending at 1), for an indicator whose year is not a straight line.
    """
    if phasing:
        return phasing[period.month - 1]
    return Decimal(period.month) / Decimal(12)


def time_progress_by_date(day: date, phasing: list[Decimal] | None = None) -> Decimal:
    """The share of the year elapsed on `day` (counted to the end of that day)."""
    if phasing:
        before = phasing[day.month - 2] if day.month > 1 else Decimal(0)
        in_month = Decimal(day.day) / Decimal(calendar.monthrange(day.year, day.month)[1])
        return before + (phasing[day.month - 1] - before) * in_month
    days_in_year = 366 if calendar.isleap(day.year) else 365
    return Decimal(day.timetuple().tm_yday) / Decimal(days_in_year)


# zhenwu keeps a township's work from 2000 on; a date typed before it, or more than a year ahead, is a
# slip (1900-01-01 for 2019-01-01), unless the field is a plan years ahead (a project's completion).
EARLIEST_DATE = date(2000, 1, 1)
AHEAD = timedelta(days=366)


def date_problem(day: date, today: date, *, far_future: bool = False) -> str:
    """Why `day` is not a plausible date for a record, as the end of a sentence, or ""."""
    if day < EARLIEST_DATE:
        return "不能早于2000年1月1日"
    if not far_future and day > today + AHEAD:
        latest = today + AHEAD
        return f"不能晚于{latest.year}年{latest.month}月{latest.day}日（一年以内）"
    return ""
