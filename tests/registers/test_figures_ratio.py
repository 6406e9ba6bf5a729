"""A register figure as a share of others (ratio), and a figure stated even when it is 0 (报零)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import Cast
from tests.registers.test_definition import read, refusal
from tests.registers.test_figures import YEAR, lamp_patrols, lamps, patrols  # noqa: F401
from tests.registers.workbooks import lamps as lamp_sheets
from zhenwu.registers import figures
from zhenwu.registers.models import Register


def with_figures(*rows: list[str]) -> Any:
    sheets = lamp_sheets()
    sheets["zhenwu"] += [list(row) for row in rows]
    return sheets


def test_a_ratio_and_a_zero_flag_are_read_from_the_zhenwu_sheet() -> None:
    definition = read(
        with_figures(
            ["figure:share", "损坏占比 | ratio | broken | lamps | %"],
            ["figure:whole", "完好占比 | ratio | lamps - broken | lamps |  | 报零"],
        )
    )
    share, whole = definition.figures[-2:]
    assert (share.aggregate, share.numerator, share.denominator, share.unit) == (
        "ratio",
        "broken",
        "lamps",
        "%",
    )
    assert whole.numerator == "lamps - broken" and whole.unit == "%" and whole.zero
    assert not share.zero


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("占比 | ratio | nothing | lamps | %", "指标“share”的分子引用的指标“nothing”未在其上方设置"),
        ("占比 | ratio | broken | lamps + broken | %", "指标“share”的分母“lamps + broken”无效"),
        ("占比 | ratio | broken | lamps | 盏", "比率指标“share”的单位须是“%”或留空"),
        ("占比 | count |  |  | 盏 | 零", "指标“share”的第6段“零”无效"),
    ],
)
def test_a_bad_ratio_or_flag_is_refused_naming_its_row(value: str, message: str) -> None:
    messages = refusal(with_figures(["figure:share", value]))
    row = len(lamp_sheets()["zhenwu"]) + 1
    assert any(m.startswith(f"zhenwu表第{row}行「value」列：") and message in m for m in messages), messages


def test_a_ratio_of_figures_of_two_units_is_refused() -> None:
    messages = refusal(
        with_figures(
            ["figure:kinds", "状态 | distinct | status |  | 种"],
            ["figure:share", "x | ratio | kinds | lamps |"],
        )
    )
    assert any("须是同一单位的指标" in m for m in messages), messages


def share_of(register: Register, **more: Any) -> None:
    register.figures = [*register.figures, {"aggregate": "ratio", "unit": "%", **more}]
    register.save()


def test_a_ratio_is_its_figures_divided_in_the_span_and_by_village(cast: Cast, patrols: Register) -> None:  # noqa: F811
    share_of(patrols, name="share", label="损坏占比", numerator="broken", denominator="patrols")
    share_of(patrols, name="fine", label="未损坏占比", numerator="patrols - broken", denominator="patrols")
    found = {c.spec.name: c for c in figures.figures_for(cast.user("admin"), patrols, cast.township, YEAR)}
    assert found["share"].value == Decimal(2) * 100 / 5  # 2 broken of 5 patrols in 2026
    assert found["share"].text == "40.0%"
    assert found["fine"].value == Decimal(3) * 100 / 5
    table = figures.breakdown(cast.user("admin"), patrols, cast.township, YEAR)
    assert {c.spec.name: c.value for c in table.total}["share"] == 40
    by_village = {unit.name: {c.spec.name: c.value for c in row} for unit, row in table.rows}
    assert by_village[cast.village01.name]["share"] == Decimal(1) * 100 / 3  # A1 broken of 3 patrols
    assert by_village[cast.village02.name]["share"] == 50  # B1 broken, B2 not


def test_a_ratio_over_nothing_has_no_value(cast: Cast, patrols: Register) -> None:  # noqa: F811
    share_of(patrols, name="share", label="损坏占比", numerator="broken", denominator="patrols")
    span = figures.Span(YEAR.start.replace(year=2030), YEAR.end.replace(year=2030))
    found = {c.spec.name: c for c in figures.figures_for(cast.user("admin"), patrols, cast.township, span)}
    assert found["share"].value is None


def test_a_figure_flagged_to_be_stated_when_zero_reads_as_ling(cast: Cast, patrols: Register) -> None:  # noqa: F811
    flagged = {"name": "long_ago", "label": "超时巡查", "aggregate": "count", "filter": "${minutes} > 1000"}
    patrols.figures = [*patrols.figures, {**flagged, "unit": "次", "zero": True}]
    patrols.save()
    line = next(
        line
        for line in figures.report_lines(cast.user("admin"), cast.township, YEAR)
        if line.form_id == "counted_patrols"
    )
    stated = {s.label: s.text for s in line.figures}
    assert stated["超时巡查"] == "零次"
    assert "修线路" in stated  # and a figure of nothing without the flag is still left out:
    assert figures.figure_text(Decimal(0), "人") == "0人"
    assert figures.figure_text(Decimal(0), "人", zero=True) == "零人"
