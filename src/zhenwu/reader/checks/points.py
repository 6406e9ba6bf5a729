"""Percentage points: the gap or the change between two percentages is written in 个百分点
("低于序时进度50.0个百分点", "比上年提高3.7个百分点"), and when both percentages are stated it adds up
("办结率83.8%，上年同期为80.1%，提高3.7个百分点").

"同比增长12%" of an amount is a relative change and right as it is; only a gap to a percentage
(序时进度, a rate's average or target) or a change of a rate written with "%" is misuse.
"""

from __future__ import annotations

import re
from decimal import Decimal

from zhenwu.reader.checks.common import Document, bounds, has_value, overlaps, percent_bounds, show
from zhenwu.reader.model import Figure, Finding, Pairing, Severity
from zhenwu.reader.subject import clause_before

_GAP_WORDS = r"低于|高于|超过|超出|落后于?|领先于?|慢于|快于|滞后于?|超"
_TIME_PROGRESS = r"序时进度|时序进度|时间进度|序时"
_OTHER_BASES = r"全[县市区省]平均水?平?|平均水平|平均值|目标值?|目标任务|计划"
_GAP_TO_PROGRESS = re.compile(
    rf"(?:(?:{_GAP_WORDS})(?:{_TIME_PROGRESS})|比(?:{_TIME_PROGRESS})(?:低|高|慢|快|落后|超出|超))"
    r"(?:了|约|达到?|为)?[ \u3000]*$"
)
_GAP_TO_OTHER = re.compile(
    rf"(?:(?:{_GAP_WORDS})(?:{_OTHER_BASES})|比(?:{_OTHER_BASES})(?:低|高|落后|超出|超))"
    r"(?:了|约|达到?|为)?[ \u3000]*$"
)
# A rate the clause speaks of; 生产率, 效率, 利率, 增长率 are quantities or rates of growth, not shares.
_RATE_WORD = re.compile(r"(?<!生产)(?<![效利汇频功税])(?<!增长)率|比重|占比|满意度|知晓度")
_YEAR_WORDS = r"同比|比上年|较上年|比去年|较去年|比上年同期|较上年同期|比去年同期|较去年同期"
_RATE_THEN_CHANGE = re.compile(rf"^[ \u3000]*[，,]?[ \u3000]*(?:{_YEAR_WORDS})?[ \u3000]*$")
_BASE_BEFORE = re.compile(
    rf"(?:去年同期|上年同期|去年|上年|同期|上一年|全[县市区省](?:平均)?|平均|{_TIME_PROGRESS})(?:水平)?"
    r"(?:为|是|的|达到?)?[（(]?[ \u3000]*$"
)
_PARENTHESES = re.compile(r"[（(][^（()）]*[）)]")
_CLAUSE_MARK = re.compile(r"[，,；;：:]")
_COMPARED = rf"(?:{_OTHER_BASES}|{_TIME_PROGRESS}|上年同期|去年同期|上年|去年)?了?[ \u3000]*$"
_UP = re.compile(rf"(?:提高|上升|增加|高于|超过|超出|领先|增长|提升){_COMPARED}")
_DOWN = re.compile(rf"(?:下降|降低|减少|低于|落后|回落|下滑){_COMPARED}")
_FROM = re.compile(r"(?:由|从)[ \u3000]*$")


def check(document: Document) -> list[Finding]:
    findings: list[Finding] = []
    for figure in document.figures:
        if not has_value(figure):
            continue
        if figure.unit == "%" and "‰" not in figure.text:
            finding = _written_in_percent(document, figure)
        elif figure.unit == "百分点":
            finding = _check_points(document, figure)
        else:
            finding = None
        if finding is not None:
            findings.append(finding)
    return findings


def _clause(document: Document, figure: Figure) -> str:
    return clause_before(document.view, figure.start)


def _sentence_before(document: Document, figure: Figure) -> str:
    start = document.audit.sentences[figure.sentence][0]
    return document.view[start : figure.start]


def _written_in_percent(document: Document, figure: Figure) -> Finding | None:
    clause = _clause(document, figure)
    if _GAP_TO_PROGRESS.search(clause):
        return _misuse(figure, "与序时进度之差")
    if _GAP_TO_OTHER.search(clause) and _of_a_rate(document, figure):
        return _misuse(figure, "两个百分比之差")
    if figure.kind == "growth" and _of_a_rate(document, figure):
        return _misuse(figure, "比率的增减")
    return None


def _of_a_rate(document: Document, figure: Figure) -> bool:
    """Whether the figure is said of a rate: the clause names one ('办结率比上年提高3.7%'), or the
    figure follows a rate right away ('办结率93.8%，比上年提高3.7%')."""
    if _RATE_WORD.search(_clause(document, figure)):
        return True
    earlier = [f for f in document.sentence_figures(figure.sentence) if f.end <= figure.start]
    if not earlier:
        return False
    previous = earlier[-1]
    between = document.view[previous.end : figure.start]
    words = re.sub(rf"{_GAP_WORDS}|{_OTHER_BASES}|提高|上升|下降|降低|增加|减少|提升|增长|了|为", "", between)
    return previous.kind == "rate" and previous.unit == "%" and bool(_RATE_THEN_CHANGE.match(words))


def _misuse(figure: Figure, what: str) -> Finding:
    number = figure.text.strip().rstrip("%％").strip()
    message = (
        f"{show(figure)}是{what}，应以百分点表示：写作「{number}个百分点」；"
        f"写作“%”读作相对的百分比，意思不同。"
    )
    return Finding(
        rule="points",
        severity="warning",
        message=message,
        figures=(figure.id,),
        relation=f"{show(figure)}应为百分点",
        pairing="inferred",
    )


def _check_points(document: Document, change: Figure) -> Finding | None:
    direction = _direction(document, change)
    if direction == 0:
        return None
    percents = [
        f
        for f in document.sentence_figures(change.sentence)
        if f.end <= change.start and has_value(f) and f.unit == "%" and f.kind != "growth"
    ]
    bases = [f for f in percents if _is_base(document, f)]
    currents = [f for f in percents if not _is_base(document, f)]
    if len(bases) != 1 or not currents or any(_FROM.search(_clause(document, f)) for f in percents):
        return None
    base = bases[0]
    stated = _signed_bounds(change, direction)
    if any(overlaps(_difference(current, base), stated) for current in currents):
        return None
    pairing: Pairing = "stated" if len(currents) == 1 else "ambiguous"
    return _arithmetic(currents[-1], base, change, direction, pairing)


def _direction(document: Document, change: Figure) -> int:
    """+1 for a rise or a lead, -1 for a fall or a lag, 0 when the clause says neither. A figure in
    brackets does not end the clause: '低于序时进度（50.0%）38.0个百分点'."""
    tail = _PARENTHESES.sub("", _sentence_before(document, change))
    clause = _CLAUSE_MARK.split(tail)[-1]
    if _UP.search(clause):
        return 1
    if _DOWN.search(clause):
        return -1
    return 0


def _is_base(document: Document, figure: Figure) -> bool:
    """A percentage the change is measured from: last year's, or an average's ('全县平均为95.1%')."""
    before = document.view[max(0, figure.start - 12) : figure.start]
    return bool(_BASE_BEFORE.search(before))


def _signed_bounds(change: Figure, direction: int) -> tuple[Decimal, Decimal]:
    """The stated change as a signed interval: the written size (a decrease is stored negative), turned
    by the word before it."""
    assert change.value is not None
    lo, hi = percent_bounds(change)
    if change.value < 0:
        lo, hi = -hi, -lo
    return (lo, hi) if direction > 0 else (-hi, -lo)


def _difference(current: Figure, base: Figure) -> tuple[Decimal, Decimal]:
    cur_lo, cur_hi = bounds(current)
    base_lo, base_hi = bounds(base)
    return cur_lo - base_hi, cur_hi - base_lo


def _arithmetic(current: Figure, base: Figure, change: Figure, direction: int, pairing: Pairing) -> Finding:
    assert current.value is not None and base.value is not None and change.value is not None
    actual = current.value - base.value
    word = "提高" if direction > 0 else "下降"
    exact = not (current.approx or base.approx or change.approx)
    severity: Severity = "error" if exact else "warning"
    message = (
        f"百分点不符：{show(current)} − {show(base)} = {_points(actual)}，文中写作{word}{show(change)}。"
    )
    return Finding(
        rule="points",
        severity=severity,
        message=message,
        figures=(current.id, base.id, change.id),
        relation=f"{show(current)}−{show(base)}",
        pairing=pairing,
    )


def _points(value: Decimal) -> str:
    return f"{value.normalize():f}个百分点"
