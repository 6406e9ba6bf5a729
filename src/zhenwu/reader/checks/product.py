"""Products: area × per-亩 figure = total ("播种面积3.2万亩，亩产450公斤，总产1440万公斤";
"面积5000亩，标准120元/亩，补贴资金60万元"), in whatever units each is written."""

from __future__ import annotations

from decimal import Decimal

from zhenwu.reader.checks.common import (
    Document,
    bounds,
    in_area_base,
    is_quantity,
    overlaps,
    show,
    show_value,
)
from zhenwu.reader.model import Figure, Finding, Severity

_SLACK = Decimal("0.005")


def check(document: Document) -> list[Finding]:
    findings: list[Finding] = []
    for rate in document.figures:
        if rate.per != "亩" or not is_quantity(rate):
            continue
        finding = _check_rate(document, rate)
        if finding is not None:
            findings.append(finding)
    return findings


def _numerator(rate: Figure) -> str:
    return rate.dimension.removeprefix("per:").split("/")[0]


def _check_rate(document: Document, rate: Figure) -> Finding | None:
    figures = document.sentence_figures(rate.sentence)
    areas = [f for f in figures if f.dimension == "area" and is_quantity(f)]
    totals = [f for f in figures if f.dimension == _numerator(rate) and is_quantity(f) and not f.per]
    if not areas or not totals:
        return None
    area = _nearest(areas, rate)
    total = _nearest([t for t in totals if t.start > rate.start] or totals, rate)
    expected = _expected_bounds(area, rate)
    total_lo, total_hi = bounds(total)
    slack = (total_hi - total_lo) / 2 + abs(total_hi) * _SLACK
    if overlaps(expected, (total_lo - slack, total_hi + slack)):
        return None
    certain = len(areas) == 1 and len(totals) == 1 and not (area.approx or rate.approx or total.approx)
    return _finding(area, rate, total, "error" if certain else "warning")


def _nearest(candidates: list[Figure], anchor: Figure) -> Figure:
    return min(candidates, key=lambda f: abs(f.start - anchor.start))


def _expected_bounds(area: Figure, rate: Figure) -> tuple[Decimal, Decimal]:
    area_lo, area_hi = bounds(area)
    rate_lo, rate_hi = bounds(rate)
    return in_area_base(area, area_lo) * rate_lo, in_area_base(area, area_hi) * rate_hi


def _finding(area: Figure, rate: Figure, total: Figure, severity: Severity) -> Finding:
    assert area.value is not None and rate.value is not None and total.value is not None
    product = in_area_base(area, area.value) * rate.value
    unit = total.unit
    message = (
        f"乘积不符：{show(area)} × {show(rate)} = {show_value(product, unit)}，"
        f"文中总数{show(total)}为{show_value(total.value, unit)}。"
    )
    return Finding(
        rule="product",
        severity=severity,
        message=message,
        figures=(area.id, rate.id, total.id),
        relation=f"{show(area)} × {show(rate)} = {show(total)}",
    )
