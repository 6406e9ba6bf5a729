"""Rates from counts: a rate named after an act ("办结率83.8%") must agree with the count of that act
divided by the total it is a rate of ("受理群众诉求2487件，已办结2333件").

The numerator is the count whose clause names the rate's act (办结 → 办结率, 整改 → 整改率); the
denominator a total of the same unit stated in the same or the previous sentence (受理, 共, 排查, 应参保).
Only counts the sentence itself pairs with the rate can make an error.
"""

from __future__ import annotations

import re

from zhenwu.reader.checks.common import (
    Document,
    comparable,
    has_value,
    is_quantity,
    overlaps,
    percent_bounds,
    ratio_bounds,
    show,
    show_percent,
)
from zhenwu.reader.grammar import words
from zhenwu.reader.model import Figure, Finding, Pairing, Severity
from zhenwu.reader.subject import clause_before

_RATE_NAME = re.compile(r"([\u4e00-\u9fff]{2,6})率[^，,。；;：:\d%]{0,8}$")
# Acts whose rate is a count of the act over a total; others (增长率, 贡献率) are not counts.
_ACTS = frozenset(
    words("办结 完成 参保 整改 销号 化解 满意 覆盖 入学 接种 签约 发放 回访 处置 结案 调解 到位 达标")
)
# A qualifier narrows the act: an on-time rate counts only what was done on time.
_QUALIFIERS = frozenset(words("按期 按时 及时 限期 当场 当日 一次"))
# Words before the act that make the count the opposite (未整改) or the total (应参保) of the act.
_NOT_DONE = re.compile(r"(?:未|尚未|没有|不|待|应|需|正在|拟|计划|仍在)$")
_TOTAL_WORDS = re.compile(
    r"受理|共|总|合计|累计|排查|发现|应|接到|收到|交办|登记|全镇|全乡|全街道|全年|任务|目标|计划|涉及|摸排|检查|现有|共有"
)
_PREVIOUS_SENTENCES = 1


def check(document: Document) -> list[Finding]:
    findings: list[Finding] = []
    for figure in document.figures:
        if figure.kind != "rate" or figure.unit != "%" or not has_value(figure):
            continue
        finding = _check_rate(document, figure)
        if finding is not None:
            findings.append(finding)
    return findings


def _rate_name(document: Document, rate: Figure) -> str | None:
    """'按期办结率为83.8%' -> '按期办结'; None when the rate is not one of counts."""
    match = _RATE_NAME.search(document.view, max(0, rate.start - 16), rate.start)
    if match is None:
        return None
    name = match.group(1)
    if name[-2:] not in _ACTS:
        return None
    return name[-4:] if name[-4:-2] in _QUALIFIERS else name[-2:]


def _does_act(document: Document, figure: Figure, act: str) -> bool:
    """Whether the figure's clause says the act was done ('已办结2333件'), not left undone."""
    clause = clause_before(document.view, figure.start)
    at = clause.rfind(act)
    return at >= 0 and not _NOT_DONE.search(clause[:at])


def _numerators(document: Document, rate: Figure, act: str) -> list[Figure]:
    return [
        f
        for f in document.sentence_figures(rate.sentence)
        if f.id != rate.id and is_quantity(f) and not f.per and _does_act(document, f, act)
    ]


def _is_stated_total(document: Document, figure: Figure) -> bool:
    return bool(_TOTAL_WORDS.search(clause_before(document.view, figure.start)))


def _denominators(document: Document, rate: Figure, numerator: Figure, act: str) -> tuple[list[Figure], bool]:
    """Totals the numerator may be a rate of, and whether one of them is stated in the rate's sentence.

    Any larger count between a total and the numerator ("其中网格事件2000件") may be the base as well."""
    pool = [
        f
        for f in document.nearby(rate, before=_PREVIOUS_SENTENCES, after=0)
        if f.start < numerator.start
        and f.id != numerator.id
        and is_quantity(f)
        and not f.per
        and comparable(f, numerator)
        and not _does_act(document, f, act)
        and _at_least(f, numerator)
    ]
    totals = [f for f in pool if _is_stated_total(document, f)]
    if not totals:
        return [], False
    first = min(f.start for f in totals)
    candidates = [f for f in pool if f.start >= first]
    return candidates, any(f.sentence == rate.sentence for f in totals)


def _at_least(whole: Figure, part: Figure) -> bool:
    assert whole.value is not None and part.value is not None
    return whole.value >= part.value and whole.value > 0


def _check_rate(document: Document, rate: Figure) -> Finding | None:
    act = _rate_name(document, rate)
    if act is None:
        return None
    numerators = _numerators(document, rate, act)
    pairs: list[tuple[Figure, Figure]] = []
    in_sentence = False
    for numerator in numerators:
        wholes, stated_here = _denominators(document, rate, numerator, act)
        pairs.extend((numerator, whole) for whole in wholes)
        in_sentence = in_sentence or stated_here
    if not pairs or any(_fits(part, whole, rate) for part, whole in pairs):
        return None
    part, whole = max(
        pairs, key=lambda pair: (pair[0].start, _is_stated_total(document, pair[1]), pair[1].start)
    )
    pairing = _pairing(pairs, in_sentence and whole.sentence == rate.sentence)
    return _finding(part, whole, rate, act, pairing)


def _fits(part: Figure, whole: Figure, rate: Figure) -> bool:
    ratio = ratio_bounds(part, whole)
    return ratio is None or overlaps(ratio, percent_bounds(rate))


def _pairing(pairs: list[tuple[Figure, Figure]], same_sentence: bool) -> Pairing:
    if len(pairs) > 1:
        return "ambiguous"
    return "stated" if same_sentence else "inferred"


def _finding(part: Figure, whole: Figure, rate: Figure, act: str, pairing: Pairing) -> Finding:
    assert part.value is not None and whole.value is not None and rate.value is not None
    actual = part.value * 100 / whole.value
    exact = not (part.approx or whole.approx or rate.approx)
    severity: Severity = "error" if exact else "warning"
    relation = f"{show(part)}÷{show(whole)}"
    message = (
        f"{act}率不符：{show(part)} ÷ {show(whole)} = {show_percent(actual)}，"
        f"文中写作{show(rate)}，相差{show_percent(abs(actual - rate.value))}。"
    )
    return Finding(
        rule="rate",
        severity=severity,
        message=message,
        figures=(part.id, whole.id, rate.id),
        relation=relation,
        pairing=pairing,
    )
