"""Periods and the arithmetic of progress: completion, time progress, gap, year on year, ranking."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhenwu.core.periods import (
    Period,
    PeriodError,
    parse_period,
    time_progress_by_date,
    time_progress_by_month,
)
from zhenwu.core.progress import (
    Direction,
    Progress,
    Status,
    last_places,
    rank_competition,
    year_on_year,
)

D = Decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-08", Period(2026, 8)),
        ("2026年1-8月", Period(2026, 8)),
        ("1—8月", Period(2026, 8)),
        ("一季度", Period(2026, 3)),
        ("第三季度", Period(2026, 9)),
        ("2025年上半年", Period(2025, 6)),
        ("全年", Period(2026, 12)),
        ("前三季度", Period(2026, 9)),
        ("5月份", Period(2026, 5)),
    ],
)
def test_periods_are_read_as_reports_write_them(text: str, expected: Period) -> None:
    assert parse_period(text, default_year=2026) == expected


@pytest.mark.parametrize("text", ["2026-13", "下个月", "1-8月"])
def test_an_unreadable_period_is_explained_in_chinese(text: str) -> None:
    with pytest.raises(PeriodError, match=r"月份|无法识别|没有年份"):
        parse_period(text)


def test_labels_follow_the_reports() -> None:
    assert [Period(2026, m).label for m in (1, 3, 6, 8, 9, 12)] == [
        "1月",
        "一季度",
        "上半年",
        "1-8月",
        "前三季度",
        "全年",
    ]


def test_the_entry_deadline_is_the_fifth_of_next_month() -> None:
    assert Period(2026, 8).entry_deadline() == date(2026, 9, 5)
    assert Period(2026, 12).entry_deadline() == date(2027, 1, 5)


def test_time_progress_by_month_is_months_over_twelve() -> None:
    assert time_progress_by_month(Period(2026, 6)) == D("0.5")


def test_time_progress_mid_month_counts_days() -> None:
    """15 August 2026 is day 227 of a 365-day year."""
    assert time_progress_by_date(date(2026, 8, 15)) == D(227) / D(365)
    assert time_progress_by_date(date(2024, 12, 31)) == 1  # a leap year ends at 366/366


def test_seasonal_phasing_replaces_the_straight_line() -> None:
    phasing = [D(p) / 100 for p in (2, 5, 9, 14, 20, 28, 36, 45, 56, 70, 85, 100)]
    assert time_progress_by_month(Period(2026, 6), phasing) == D("0.28")
    # halfway through July: halfway between June's 28% and July's 36%
    assert time_progress_by_date(date(2026, 7, 31), phasing) == D("0.36")
    mid = time_progress_by_date(date(2026, 4, 15), phasing)
    assert D("0.09") < mid < D("0.14")


def test_completion_gap_and_growth_match_the_report_sentence() -> None:
    """固定资产投资完成4.90亿元，占全年任务(9.6亿)的51.0%，同比增长28.0%，1-6月序时进度50%。"""
    p = Progress(actual=D("4.90"), target=D("9.6"), time_progress=D("0.5"), last_year=D("3.828125"))
    assert round(p.completion * 100, 1) == D("51.0")  # type: ignore[operator]
    assert p.gap_amount == D("0.10")  # 超序时完成0.10亿元
    assert round(p.gap_points, 1) == D("1.0")  # type: ignore[arg-type]
    assert round(p.yoy * 100, 1) == D("28.0")  # type: ignore[operator]


def test_no_last_year_value_gives_no_growth_and_no_warning() -> None:
    p = Progress(actual=D(5), target=D(10), time_progress=D("0.5"), last_year=None)
    assert p.yoy is None and not p.worse_than_last_year()


def test_a_zero_target_gives_no_completion_and_no_behind_warning() -> None:
    p = Progress(actual=D(5), target=D(0), time_progress=D("0.5"), last_year=D(4))
    assert p.completion is None and p.gap_points is None
    assert p.status() == Status.NO_TIME_PROGRESS
    assert p.gap_amount == D(5)


def test_a_rate_changes_by_percentage_points() -> None:
    assert year_on_year(D("96.5"), D("94.4"), is_rate=True) == D("2.1")
    assert year_on_year(D(5), D(0)) is None


def test_behind_and_worse_depend_on_the_direction() -> None:
    higher = Progress(actual=D(30), target=D(100), time_progress=D("0.5"), last_year=D(40))
    assert higher.status(D(5)) == Status.BEHIND and higher.worse_than_last_year()
    lower = Progress(
        actual=D(70), target=D(100), time_progress=D("0.5"), last_year=D(60), direction=Direction.LOWER
    )  # accidents: 70 of a ceiling of 100 by mid-year is too many, and more than last year
    assert lower.status(D(5)) == Status.BEHIND and lower.worse_than_last_year()


def test_ties_share_a_rank_and_units_without_a_score_come_last() -> None:
    ranked = rank_competition([("a", D("0.8")), ("b", None), ("c", D("0.9")), ("d", D("0.8"))])
    assert ranked == [("c", 1), ("a", 2), ("d", 2), ("b", None)]


def test_the_last_three_are_those_with_fewer_than_three_ranked_below_them() -> None:
    assert last_places([("a", 1), ("b", 2), ("c", 3), ("d", 4), ("e", 5)]) == {"c", "d", "e"}
    # a tie at the edge shares the mark: both units ranked 2 have only two below them
    assert last_places([("a", 1), ("b", 2), ("c", 2), ("d", 4), ("e", 5), ("x", None)]) == {
        "b",
        "c",
        "d",
        "e",
    }
    assert last_places([("a", 1), ("b", 2), ("c", 3), ("d", 4), ("e", 5)], count=1) == {"e"}


def test_nobody_is_last_of_three_or_fewer_nor_while_tied_with_the_first() -> None:
    assert last_places([("a", 1), ("b", 2), ("c", 3), ("x", None)]) == set()
    assert last_places([("a", 1), ("b", 1), ("c", 1), ("d", 1)]) == set()
    assert last_places([("a", 1), ("b", 1), ("c", 1), ("d", 4)]) == {"d"}
    assert last_places([("x", None), ("y", None)]) == set()


@given(st.integers(1, 12), st.integers(2000, 2100))
def test_time_progress_at_month_end_agrees_by_month_and_by_date(month: int, year: int) -> None:
    period = Period(year, month)
    by_date = time_progress_by_date(period.end_date())
    assert abs(by_date - time_progress_by_month(period)) < D("0.02")
