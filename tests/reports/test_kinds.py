"""Each kind of report has its title, its span and the span its plans are for."""

from __future__ import annotations

from datetime import date

import pytest

from zhenwu.reports.kinds import spec_for


@pytest.mark.parametrize(
    ("kind", "title", "start", "end"),
    [
        ("q1", "示范镇2026年一季度工作总结和二季度工作计划", date(2026, 1, 1), date(2026, 3, 31)),
        ("q3", "示范镇2026年三季度工作总结和四季度工作计划", date(2026, 7, 1), date(2026, 9, 30)),
        ("q4", "示范镇2026年四季度工作总结和2027年工作计划", date(2026, 10, 1), date(2026, 12, 31)),
        ("half-year", "示范镇2026年上半年工作总结及下半年工作计划", date(2026, 1, 1), date(2026, 6, 30)),
        ("annual", "示范镇2026年度工作总结及2027年工作计划", date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_each_kind_names_itself_and_its_span(kind: str, title: str, start: date, end: date) -> None:
    spec = spec_for(kind, 2026)
    assert spec.title("示范镇") == title
    assert (spec.start, spec.end) == (start, end)
    assert spec.period.month == end.month  # indicators are year to date to the span's last month


def test_an_unknown_kind_is_refused_in_chinese() -> None:
    with pytest.raises(ValueError, match="未知的报告类型"):
        spec_for("q5", 2026)
