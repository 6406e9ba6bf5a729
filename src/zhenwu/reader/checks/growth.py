"""Growth: where a sentence gives both periods, the sign word (增长/下降) and the rate must fit them.

"收入1.2亿元，去年同期1.0亿元，同比增长20%"; "监测户由85户减少到90户"; "覆盖率由85.3%提高到87.4%，
提高2.1个百分点".
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

from zhenwu.reader.checks.common import (
    Document,
    bounds,
    comparable,
    has_value,
    is_quantity,
    nominal_disagrees,
    overlaps,
    percent_bounds,
    show,
    show_percent,
)
from zhenwu.reader.model import Figure, Finding, Severity

_LAST_YEAR = re.compile(r"去年同期|上年同期|去年|上年|同期|上一年")
_FROM_TO = re.compile(
    r"^[ \u3000]*(?P<word>增加|增长|提高|提升|上升|扩大|下降|减少|降低|回落|下滑|缩减)(?:到|至|为)[ \u3000]*$"
)
_FROM = re.compile(r"(?:由|从)[ \u3000]*$")
_UP_WORDS = frozenset({"增加", "增长", "提高", "提升", "上升", "扩大"})


def check(document: Document) -> list[Finding]:
    findings: list[Finding] = []
    for index in document.by_sentence:
        figures = document.sentence_figures(index)
        findings.extend(_check_year_on_year(document, figures))
        findings.extend(_check_from_to(document, figures))
    return findings


def _is_last_year(document: Document, figure: Figure) -> bool:
    return bool(_LAST_YEAR.search(document.view[max(0, figure.start - 10) : figure.start]))


def _check_year_on_year(document: Document, figures: list[Figure]) -> list[Finding]:
    findings: list[Finding] = []
    for n, growth in enumerate(figures):
        if growth.kind != "growth" or not has_value(growth) or growth.unit != "%":
            continue
        bases = [f for f in figures if is_quantity(f) and _is_last_year(document, f)]
        if len(bases) != 1:
            continue
        base = bases[0]
        currents = [f for f in figures[:n] if is_quantity(f) and f.id != base.id and comparable(f, base)]
        currents = [f for f in currents if not _is_last_year(document, f)]
        if currents:
            finding = _compare_rate(currents[-1], base, growth)
            if finding is not None:
                findings.append(finding)
    return findings


def _change_bounds(current: Figure, base: Figure) -> tuple[Decimal, Decimal] | None:
    cur_lo, cur_hi = bounds(current)
    base_lo, base_hi = bounds(base)
    if base_lo <= 0:
        return None
    return (cur_lo - base_hi) * 100 / base_hi, (cur_hi - base_lo) * 100 / base_lo


def _compare_rate(current: Figure, base: Figure, growth: Figure) -> Finding | None:
    change = _change_bounds(current, base)
    if change is None:
        return None
    assert current.value is not None and base.value is not None and growth.value is not None
    actual = (current.value - base.value) * 100 / base.value
    if overlaps(change, percent_bounds(growth)):
        return _within_rounding(current, base, growth, actual)
    wrong_sign = (actual > 0) != (growth.value > 0) and (change[0] > 0 or change[1] < 0)
    what = "增减方向不符" if wrong_sign else "增幅不符"
    exact = not (current.approx or base.approx or growth.approx)
    severity: Severity = "error" if exact or wrong_sign else "warning"
    message = (
        f"{what}：({show(current)} − {show(base)}) ÷ {show(base)} = {show_percent(actual)}，"
        f"文中写作{growth.sign_word}{show(growth)}。"
    )
    return Finding(
        rule="growth",
        severity=severity,
        message=message,
        figures=(current.id, base.id, growth.id),
        relation=f"({show(current)} − {show(base)}) ÷ {show(base)} = {show(growth)}",
    )


def _within_rounding(current: Figure, base: Figure, growth: Figure, actual: Decimal) -> Finding | None:
    """Figures rounded as written could give the stated rate; say so quietly if face values do not."""
    if not nominal_disagrees(actual, growth):
        return None
    message = (
        f"增幅按所写数字计算为{show_percent(actual)}（{show(current)}比{show(base)}），"
        f"文中写作{growth.sign_word}{show(growth)}；在取整误差范围内，请核实。"
    )
    return Finding(
        rule="growth",
        severity="info",
        message=message,
        figures=(current.id, base.id, growth.id),
        relation=f"({show(current)} − {show(base)}) ÷ {show(base)} = {show(growth)}",
    )


def _check_from_to(document: Document, figures: list[Figure]) -> list[Finding]:
    findings: list[Finding] = []
    for first, second in itertools.pairwise(figures):
        if not (has_value(first) and has_value(second) and comparable(first, second)):
            continue
        between = _FROM_TO.match(document.view[first.end : second.start])
        if between is None or not _FROM.search(document.view[max(0, first.start - 3) : first.start]):
            continue
        finding = _from_to_direction(first, second, between["word"])
        if finding is not None:
            findings.append(finding)
        points = _next_points(figures, second)
        if points is not None:
            checked = _check_points(first, second, points)
            if checked is not None:
                findings.append(checked)
    return findings


def _from_to_direction(first: Figure, second: Figure, word: str) -> Finding | None:
    lo1, hi1 = bounds(first)
    lo2, hi2 = bounds(second)
    rising = word in _UP_WORDS
    if (rising and hi2 < lo1) or (not rising and lo2 > hi1):
        message = (
            f"增减方向不符：由{show(first)}{word}到{show(second)}，数字却是{'减少' if rising else '增加'}的。"
        )
        return Finding(
            rule="growth",
            severity="error",
            message=message,
            figures=(first.id, second.id),
            relation=f"{show(first)} {word} {show(second)}",
        )
    return None


def _next_points(figures: list[Figure], after: Figure) -> Figure | None:
    for figure in figures:
        if figure.start > after.end and figure.kind == "growth" and has_value(figure):
            return figure
    return None


def _check_points(first: Figure, second: Figure, change: Figure) -> Finding | None:
    """The stated change after "由A到B": percentage points for rates, percent for quantities."""
    assert first.value is not None and second.value is not None and change.value is not None
    lo1, hi1 = bounds(first)
    lo2, hi2 = bounds(second)
    if change.unit == "百分点" and first.dimension == "percent":
        actual_bounds = (lo2 - hi1, hi2 - lo1)
        actual = second.value - first.value
        shown = f"{show(second)} − {show(first)} = {actual.normalize():f}个百分点"
    elif change.unit == "%" and lo1 > 0:
        actual_bounds = ((lo2 - hi1) * 100 / hi1, (hi2 - lo1) * 100 / lo1)
        actual = (second.value - first.value) * 100 / first.value
        shown = f"({show(second)} − {show(first)}) ÷ {show(first)} = {show_percent(actual)}"
    else:
        return None
    if overlaps(actual_bounds, percent_bounds(change)):
        return None
    severity: Severity = "warning" if (first.approx or second.approx or change.approx) else "error"
    message = f"变化幅度不符：{shown}，文中写作{change.sign_word}{show(change)}。"
    return Finding(
        rule="growth",
        severity=severity,
        message=message,
        figures=(first.id, second.id, change.id),
        relation=f"{show(second)} − {show(first)} = {show(change)}",
    )
