"""The arithmetic of progress against an annual target, kept apart from the database.

completion = actual ÷ target; time progress = share of the year elapsed; gap to time progress =
actual − target × time progress (and, in percentage points, completion − time progress); year on
year = actual ÷ same period last year − 1, or for rates the difference in percentage points.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "Direction",
    "Progress",
    "completion",
    "gap_amount",
    "gap_points",
    "rank_competition",
    "ratio",
    "year_on_year",
]

HUNDRED = Decimal(100)


class Direction:
    HIGHER = "higher"
    LOWER = "lower"


def ratio(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator ÷ denominator, or None when either is missing or the denominator is zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def completion(actual: Decimal | None, target: Decimal | None) -> Decimal | None:
    return ratio(actual, target)


def gap_amount(
    actual: Decimal | None, target: Decimal | None, time_progress: Decimal | None
) -> Decimal | None:
    """actual − target × time progress: positive is ahead ("超序时完成"), negative behind."""
    if actual is None or target is None or time_progress is None:
        return None
    return actual - target * time_progress


def gap_points(completion_share: Decimal | None, time_progress: Decimal | None) -> Decimal | None:
    """(completion − time progress) in percentage points."""
    if completion_share is None or time_progress is None:
        return None
    return (completion_share - time_progress) * HUNDRED


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
    """One indicator at one unit for one period, and what is wrong with it."""

    actual: Decimal | None
    target: Decimal | None
    time_progress: Decimal | None
    last_year: Decimal | None
    is_rate: bool = False
    direction: str = Direction.HIGHER

    @property
    def completion(self) -> Decimal | None:
        return completion(self.actual, self.target)

    @property
    def gap_amount(self) -> Decimal | None:
        return gap_amount(self.actual, self.target, self.time_progress)

    @property
    def gap_points(self) -> Decimal | None:
        return gap_points(self.completion, self.time_progress)

    @property
    def yoy(self) -> Decimal | None:
        return year_on_year(self.actual, self.last_year, is_rate=self.is_rate)

    def behind_time_progress(self, threshold_points: Decimal) -> bool:
        """Behind by more than `threshold_points`, in the direction that is bad for this indicator."""
        points = self.gap_points
        if points is None:
            return False
        return -points > threshold_points if self.direction == Direction.HIGHER else points > threshold_points

    def worse_than_last_year(self) -> bool:
        change = self.yoy
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
