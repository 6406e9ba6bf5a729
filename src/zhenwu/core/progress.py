"""The arithmetic of progress against an annual target, kept apart from the database.

completion = actual ÷ target; time progress = share of the year elapsed; gap to time progress =
actual − target × time progress (and, in percentage points, completion − time progress); year on
year = actual ÷ same period last year − 1, or for rates the difference in percentage points.

What is shown is what is computed with: an actual is taken at the indicator's decimals, every percentage
is rounded half up to one decimal (`percent_of`), and a gap in points is the difference of the two
rounded percentages it is printed beside, so that "73.3%, 序时进度91.7%, 较序时−18.4个百分点" adds up
on every page, in the API, the Excel export and the report. The status (ahead or behind) is read from
those same shown figures.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .numbers import round_half_up

__all__ = [
    "PERCENT_PLACES",
    "Direction",
    "Progress",
    "Status",
    "completion",
    "gap_amount",
    "last_places",
    "percent_of",
    "rank_competition",
    "ratio",
    "year_on_year",
]

HUNDRED = Decimal(100)
PERCENT_PLACES = 1


class Direction:
    HIGHER = "higher"
    LOWER = "lower"


class Status(StrEnum):
    """Where an indicator stands against time progress."""

    AHEAD = "ahead"  # at or ahead of time progress, in the direction good for it
    BEHIND = "behind"
    NO_TIME_PROGRESS = "no_time_progress"  # a stock or a rate, or no annual target: nothing to pace
    NOT_REPORTED = "not_reported"  # no value for the period


STATUS_LABELS = {
    Status.AHEAD: "达到序时",
    Status.BEHIND: "落后序时",
    Status.NO_TIME_PROGRESS: "无序时可比",
    Status.NOT_REPORTED: "未报",
}


def ratio(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator ÷ denominator, or None when either is missing or the denominator is zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def completion(actual: Decimal | None, target: Decimal | None) -> Decimal | None:
    return ratio(actual, target)


def percent_of(share: Decimal | None) -> Decimal | None:
    """A share (0.7325) as the percentage every output shows (73.3): one decimal, halves up."""
    return None if share is None else round_half_up(share * HUNDRED, PERCENT_PLACES)


def gap_amount(
    actual: Decimal | None, target: Decimal | None, time_progress: Decimal | None
) -> Decimal | None:
    """actual − target × time progress: positive is ahead ("超序时完成"), negative behind."""
    if actual is None or target is None or time_progress is None:
        return None
    return actual - target * time_progress


def year_on_year(
    actual: Decimal | None, last_year: Decimal | None, *, is_rate: bool = False
) -> Decimal | None:
    """Growth as a share (0.28 for 28%), or for rates the change in percentage points."""
    if actual is None or last_year is None:
        return None
    if is_rate:
        return actual - last_year
    if last_year == 0:
        return None
    return actual / last_year - 1


@dataclass(frozen=True)
class Progress:
    """One indicator at one unit for one period, as shown: `places` is the indicator's decimals."""

    actual: Decimal | None
    target: Decimal | None
    time_progress: Decimal | None
    last_year: Decimal | None
    is_rate: bool = False
    direction: str = Direction.HIGHER
    places: int = 4

    def _shown(self, value: Decimal | None) -> Decimal | None:
        return None if value is None else round_half_up(value, self.places)

    @property
    def shown_actual(self) -> Decimal | None:
        """The actual at the indicator's decimals: what is printed, and what the shares are taken of."""
        return self._shown(self.actual)

    @property
    def shown_last_year(self) -> Decimal | None:
        return self._shown(self.last_year)

    @property
    def completion(self) -> Decimal | None:
        return completion(self.shown_actual, self.target)

    @property
    def completion_percent(self) -> Decimal | None:
        return percent_of(self.completion)

    @property
    def time_progress_percent(self) -> Decimal | None:
        return percent_of(self.time_progress)

    @property
    def gap_points(self) -> Decimal | None:
        """Completion − time progress in percentage points, from the two percentages as shown."""
        done, due = self.completion_percent, self.time_progress_percent
        return None if done is None or due is None else done - due

    @property
    def gap_amount(self) -> Decimal | None:
        gap = gap_amount(self.shown_actual, self.target, self.time_progress)
        return self._shown(gap)

    @property
    def yoy(self) -> Decimal | None:
        return year_on_year(self.shown_actual, self.shown_last_year, is_rate=self.is_rate)

    @property
    def yoy_percent(self) -> Decimal | None:
        """Growth in percent, or for a rate the change in points, at one decimal."""
        change = self.yoy
        if change is None:
            return None
        return round_half_up(change, PERCENT_PLACES) if self.is_rate else percent_of(change)

    def status(self, tolerance_points: Decimal = Decimal(0)) -> Status:
        """Behind when the shown gap is worse than `tolerance_points` in the direction bad for it."""
        if self.actual is None:
            return Status.NOT_REPORTED
        points = self.gap_points
        if points is None:
            return Status.NO_TIME_PROGRESS
        shortfall = -points if self.direction == Direction.HIGHER else points
        return Status.BEHIND if shortfall > tolerance_points else Status.AHEAD

    def worse_than_last_year(self) -> bool:
        change = self.yoy_percent
        if change is None:
            return False
        return change < 0 if self.direction == Direction.HIGHER else change > 0


def rank_competition(
    scores: Iterable[tuple[str, Decimal | None]], *, descending: bool = True
) -> list[tuple[str, int | None]]:
    """Standard competition ranking ("1, 2, 2, 4"); keys without a score come last, unranked."""
    items = list(scores)
    scored = sorted(
        ((key, score) for key, score in items if score is not None),
        key=lambda item: item[1],
        reverse=descending,
    )
    ranked: list[tuple[str, int | None]] = []
    previous: Decimal | None = None
    rank = 0
    for position, (key, score) in enumerate(scored, start=1):
        if score != previous:
            rank, previous = position, score
        ranked.append((key, rank))
    return ranked + [(key, None) for key, score in items if score is None]


def last_places(ranked: Iterable[tuple[str, int | None]], count: int = 3) -> set[str]:
    """The keys in the last `count` places of a competition ranking (末三位): those with fewer than `count`
    ranked keys below them, so that a tie at the edge shares the mark ("1, 2, 2, 4, 5": both seconds are
    among the last three). Keys without a rank are never marked; nor is anybody in a ranking of `count` or
    fewer (all would be), nor a key tied with the first (when all tie, nobody is last)."""
    places = [(key, rank) for key, rank in ranked if rank is not None]
    if len(places) <= count:
        return set()
    ranks = sorted(rank for _, rank in places)
    return {key for key, rank in places if rank > 1 and len(ranks) - bisect_right(ranks, rank) < count}
