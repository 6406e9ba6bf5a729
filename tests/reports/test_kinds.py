"""Each kind of report has its title, its span and the span its plans are for; the day it is
generated decides how it names its span and which month its monthly figures are for."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from time_machine import TimeMachineFixture

from zhenwu.core.periods import Period
from zhenwu.indicators import services as indicators
from zhenwu.reports import kinds
from zhenwu.reports.kinds import spec_for

AFTER_EVERYTHING = date(2027, 2, 1)  # every 2026 span has ended and its values were due


@pytest.mark.parametrize(
    ("kind", "title", "start", "end"),
    [
        ("q1", "示范镇2026年一季度工作总结和二季度工作计划", date(2026, 1, 1), date(2026, 3, 31)),
        ("q3", "示范镇2026年三季度工作总结和四季度工作计划", date(2026, 7, 1), date(2026, 9, 30)),
        ("q4", "示范镇2026年四季度工作总结和2027年工作计划", date(2026, 10, 1), date(2026, 12, 31)),
        ("half-year", "示范镇2026年上半年工作总结及下半年工作计划", date(2026, 1, 1), date(2026, 6, 30)),
        ("annual", "示范镇2026年度工作总结及2027年工作计划", date(2026, 1, 1), date(2026, 12, 31)),
        ("m8", "示范镇2026年1—8月工作总结及下一步工作计划", date(2026, 1, 1), date(2026, 8, 31)),
    ],
)
def test_each_kind_names_itself_and_its_span(kind: str, title: str, start: date, end: date) -> None:
    spec = spec_for(kind, 2026, AFTER_EVERYTHING)
    assert spec.title("示范镇") == title
    assert spec_for(kind, 2026, start).title("示范镇") == title  # the same before its span is over
    assert (spec.start, spec.end, spec.until) == (start, end, end)
    assert spec.period.month == end.month  # indicators are year to date to the span's last month


def test_an_unknown_kind_is_refused_in_chinese() -> None:
    with pytest.raises(ValueError, match="未知的报告类型"):
        spec_for("q5", 2026)


def test_a_report_of_a_span_not_yet_begun_is_refused_in_chinese() -> None:
    with pytest.raises(ValueError, match="2027年度尚未开始"):
        spec_for("annual", 2027, date(2026, 12, 2))


def test_the_generation_day_defaults_to_today_in_beijing(time_machine: TimeMachineFixture) -> None:
    assert spec_for("annual", 2026).generated_on == date(2026, 11, 18)  # the suite's frozen clock
    time_machine.move_to(datetime(2026, 12, 1, 17, 30, tzinfo=UTC), tick=False)  # 01:30 in Beijing
    assert spec_for("annual", 2026).generated_on == date(2026, 12, 2)


def test_reports_take_the_indicators_entry_deadline() -> None:
    assert kinds.ENTRY_DEADLINE_DAY == indicators.ENTRY_DEADLINE_DAY


@pytest.mark.parametrize(
    ("kind", "generated_on", "period"),
    [
        # November's values are due by 5 December: on the 2nd the latest complete figures are October's
        ("annual", date(2026, 12, 2), Period(2026, 10)),
        ("annual", date(2026, 12, 6), Period(2026, 11)),
        ("annual", date(2027, 1, 3), Period(2026, 11)),
        ("annual", date(2027, 1, 6), Period(2026, 12)),
        ("q4", date(2026, 11, 18), Period(2026, 10)),
        ("half-year", date(2026, 7, 3), Period(2026, 5)),
        ("half-year", date(2026, 11, 18), Period(2026, 6)),
        # nothing of the year is due yet: January, whose missing values are not yet late
        ("q1", date(2026, 2, 3), Period(2026, 1)),
    ],
)
def test_monthly_figures_are_of_the_latest_month_whose_values_were_due(
    kind: str, generated_on: date, period: Period
) -> None:
    assert spec_for(kind, 2026, generated_on).period == period


@pytest.mark.parametrize(
    ("kind", "generated_on", "words", "until"),
    [
        ("annual", date(2026, 12, 2), "今年以来", date(2026, 12, 2)),
        ("half-year", date(2026, 5, 20), "今年以来", date(2026, 5, 20)),
        ("q4", date(2026, 11, 18), "四季度以来", date(2026, 11, 18)),
        ("annual", date(2026, 12, 31), "今年以来", date(2026, 12, 31)),
        ("annual", date(2027, 1, 3), "全年", date(2026, 12, 31)),
        ("q4", date(2027, 1, 3), "四季度", date(2026, 12, 31)),
        ("half-year", date(2026, 11, 18), "上半年", date(2026, 6, 30)),
    ],
)
def test_a_span_not_yet_ended_is_named_as_to_date(
    kind: str, generated_on: date, words: str, until: date
) -> None:
    spec = spec_for(kind, 2026, generated_on)
    assert (spec.span_words, spec.until) == (words, until)
    assert spec.in_progress == (generated_on <= spec.end)


def test_a_months_to_date_report_plans_for_the_rest_of_the_year() -> None:
    spec = spec_for("m8", 2026, date(2026, 9, 10))
    assert (spec.span_name, spec.next_words, spec.next_span) == (
        "1—8月",
        "下一步",
        (date(2026, 9, 1), date(2026, 12, 31)),
    )
    assert spec.period == Period(2026, 8)  # August's values were due by 5 September
    assert spec.span_words == "1—8月"
    assert spec_for("m8", 2026, date(2026, 8, 20)).span_words == "今年以来"
