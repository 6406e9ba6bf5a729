"""How big the generated county is, and the moment its records are dated back from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from zhenwu.core.periods import Period


@dataclass(frozen=True)
class Scale:
    """Counts per township; the defaults give the county of issue 9 at 20 townships."""

    townships: int = 20
    villages_per_township: int = 20
    grids_per_village: int = 10
    cases_per_township: int = 50_000
    indicators_per_township: int = 300
    projects_per_township: int = 100
    households_per_township: int = 10_000
    years: int = 3

    def __post_init__(self) -> None:
        if self.townships < 1 or self.villages_per_township < 1 or self.grids_per_village < 1:
            raise ValueError("乡镇、村、网格数都至少为1。")
        if min(self.cases_per_township, self.projects_per_township, self.households_per_township) < 0:
            raise ValueError("数量不能为负数。")
        if self.years < 1:
            raise ValueError("年数至少为1。")
        if not 0 <= self.indicators_per_township <= 3000:
            raise ValueError("每个乡镇的指标数应在0到3000之间。")


@dataclass(frozen=True)
class Clock:
    """`now` is the start of `until` (Beijing time): every generated moment lies before it."""

    until: date
    years: int
    now: datetime = field(init=False)
    start: datetime = field(init=False)
    latest: Period = field(init=False)

    def __post_init__(self) -> None:
        now = timezone.make_aware(datetime.combine(self.until, time(0, 0)))
        object.__setattr__(self, "now", now)
        object.__setattr__(self, "start", now - timedelta(days=365 * self.years))
        object.__setattr__(self, "latest", Period.latest_complete(self.until))

    @property
    def months(self) -> list[Period]:
        """The last `years` × 12 complete months, oldest first."""
        periods = []
        year, month = self.latest.year, self.latest.month
        for _ in range(12 * self.years):
            periods.append(Period(year, month))
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        return list(reversed(periods))

    @property
    def calendar_years(self) -> list[int]:
        return sorted({p.year for p in self.months})

    @property
    def today(self) -> date:
        return self.until
