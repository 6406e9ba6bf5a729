"""Indicator figures are written in the corpus's sentence style, with 增长/下降 and 百分点 by sign."""

from __future__ import annotations

from decimal import Decimal

from zhenwu.core.periods import Period
from zhenwu.core.progress import Progress
from zhenwu.documents.model import Figure, Paragraph, Style
from zhenwu.indicators.models import Direction, Indicator, IndicatorKind
from zhenwu.indicators.services import ProgressRow
from zhenwu.org.models import Department
from zhenwu.reports.compose import indicator_pieces, quantity_text


def row(
    name: str, unit: str, actual: str, target: str, last_year: str, tp: str | None = "0.5", **kw: str
) -> ProgressRow:
    indicator = Indicator(
        pk=7, code="x", name=name, unit=unit, kind=kw.get("kind", IndicatorKind.CUMULATIVE),
        decimals=int(kw.get("decimals", 1)),
        direction=kw.get("direction", Direction.HIGHER), department=Department(name="经发办"),
    )  # fmt: skip
    progress = Progress(
        Decimal(actual), Decimal(target), Decimal(tp) if tp else None, Decimal(last_year),
        is_rate=indicator.is_rate, direction=indicator.direction,
    )  # fmt: skip
    return ProgressRow(indicator, None, Period(2026, 6), progress, None)  # type: ignore[arg-type]


def sentence(r: ProgressRow) -> str:
    return Paragraph(Style.BODY, indicator_pieces(r, "990101001")).text


def test_an_indicator_ahead_of_time_reads_as_the_corpus_writes_it() -> None:
    text = sentence(row("固定资产投资", "亿元", "4.9", "9.4", "3.828125"))
    assert text == "固定资产投资完成4.90亿元，占全年任务的52.1%，同比增长28.0%，超序时进度2.1个百分点"


def test_an_indicator_behind_time_and_falling_says_so() -> None:
    text = sentence(row("外贸进出口额", "万元", "3600", "8000", "4000"))
    assert text == "外贸进出口额完成3600万元，占全年任务的45.0%，同比下降10.0%，低于序时进度5.0个百分点"


def test_a_rate_is_compared_with_last_year_in_percentage_points() -> None:
    text = sentence(row("网格事件办结率", "%", "96.5", "95", "94.4", None, kind=IndicatorKind.RATE))
    assert text == "网格事件办结率达96.5%，比去年同期提高2.1个百分点"


def test_a_rate_is_stated_at_the_decimals_its_indicator_declares() -> None:
    rate = {"kind": IndicatorKind.RATE, "decimals": "2"}
    assert sentence(row("城乡居民医疗保险征收率", "%", "96.77", "95", "0", None, **rate)).startswith(
        "城乡居民医疗保险征收率达96.77%"
    )
    whole = {"kind": IndicatorKind.RATE, "decimals": "0"}
    assert sentence(row("参保率", "%", "96.5", "95", "0", None, **whole)).startswith("参保率达97%")
    assert quantity_text(Decimal("96.77"), "%") == "96.8%"  # a share the report computes: one decimal


def test_a_lower_is_better_count_states_no_completion() -> None:
    text = sentence(row("刑事案件发案数", "起", "18", "40", "20", direction=Direction.LOWER))
    assert text == "刑事案件发案数18起，同比下降10.0%"


def test_money_is_in_wan_below_one_yi_and_in_yi_with_two_decimals_above() -> None:
    assert quantity_text(Decimal("0.42"), "亿元") == "4200万元"
    assert quantity_text(Decimal("12000"), "万元") == "1.20亿元"
    assert quantity_text(Decimal("215"), "户") == "215户"


def test_every_number_in_the_sentence_is_a_figure_with_its_source_page() -> None:
    figures = [p for p in indicator_pieces(row("固定资产投资", "亿元", "4.9", "9.4", "3.828125"), "990101001")
               if isinstance(p, Figure)]  # fmt: skip
    assert [f.key for f in figures] == ["indicator:x:actual", "indicator:x:completion", "indicator:x:yoy",
                                        "indicator:x:gap"]  # fmt: skip
    for figure in figures:
        (source,) = figure.sources
        assert source.route == "indicators:indicator-detail" and source.args == (7,)
        assert ("period", "2026-06") in source.query and figure.how
