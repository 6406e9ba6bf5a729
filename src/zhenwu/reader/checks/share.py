"""Shares: "A…占B的p%" must agree with A ÷ B, within the precision p is written with.

B is the whole the sentence names ("全年任务", "全镇监测户"), looked up among the report's figures.
A completion share without 占 ("锁定债务4300万元，已化解1352万元，共化解债务31%") is checked too,
but only ever as a warning, since the relation is inferred.
"""

from __future__ import annotations

import re

from zhenwu.reader import grammar
from zhenwu.reader.checks.common import (
    Document,
    comparable,
    has_value,
    is_quantity,
    is_total,
    overlaps,
    percent_bounds,
    ratio_bounds,
    show,
    show_percent,
)
from zhenwu.reader.model import Figure, Finding, Severity
from zhenwu.reader.subject import clause_before, verbs_in

_LOOK_BEFORE = 60
_LOOK_AFTER = 10
_OUTSIDE = re.compile(r"全县|全市|全省|全区|全国|全州|全盟|县级|市级|省级")
_TARGET = re.compile(r"任务|目标|计划")
_GENERIC_WHOLE = re.compile(
    r"^(?:全镇|全乡|全街道|全村|全年|本年|年度|总|的|总数|总量|总额|总和|数|比重|比例|合计)+"
)
_WHOLE_TAIL = re.compile(r"(?:的|总数|总量|总额|总和|数|比重|比例)+$")
_BASE_WORDS = re.compile(r"总额|总量|总数|任务|目标|计划|锁定|全镇|全年|共有|总计|合计")


def check(document: Document) -> list[Finding]:
    findings: list[Finding] = []
    for figure in document.figures:
        if not has_value(figure):
            continue
        if figure.kind == "share":
            finding = _check_share(document, figure)
        elif figure.kind == "percent" and figure.unit == "%":
            finding = _check_completion(document, figure)
        else:
            finding = None
        if finding is not None:
            findings.append(finding)
    return findings


def _part_before(document: Document, share: Figure) -> Figure | None:
    """The figure the share is of: the last one before 占 ("完成4.2亿元，占全年任务8亿元的52.5%")."""
    sentence_start = document.audit.sentences[share.sentence][0]
    zhan = document.view.rfind("占", sentence_start, share.start)
    limit = zhan if zhan >= 0 else share.start
    for figure in reversed(document.sentence_figures(share.sentence)):
        if figure.end <= limit and is_quantity(figure) and not figure.per:
            return figure
    return None


def _whole_phrase(document: Document, share: Figure) -> str | None:
    window = document.view[max(0, share.start - 24) : share.start]
    clause = re.split(r"[，,。；;：:！？\n]", window)[-1]
    match = grammar.SHARE_BEFORE.search(clause)
    if match is None:
        return None
    return match["whole"] or ""


def _check_share(document: Document, share: Figure) -> Finding | None:
    part = _part_before(document, share)
    whole_phrase = _whole_phrase(document, share)
    if part is None or whole_phrase is None or _OUTSIDE.search(whole_phrase):
        return None
    candidates = _wholes(document, part, whole_phrase)
    if not candidates:
        return None
    results = [(whole, ratio_bounds(part, whole)) for whole in candidates]
    if any(r is not None and overlaps(r, percent_bounds(share)) for _, r in results):
        return None
    whole, ratio = results[0]
    if ratio is None:
        return None
    exact = not (part.approx or whole.approx or share.approx)
    severity: Severity = "error" if exact and len(candidates) == 1 else "warning"
    return _finding(part, whole, share, severity, "占比")


def _wholes(document: Document, part: Figure, phrase: str) -> list[Figure]:
    """Figures the phrase after 占 may name, nearest first."""
    key = _WHOLE_TAIL.sub("", _GENERIC_WHOLE.sub("", phrase))
    # A whole is stated near its part; looking further only finds the same words in another section.
    nearby = document.nearby(part, before=_LOOK_BEFORE, after=_LOOK_AFTER)
    pool = [f for f in nearby if f.id != part.id and is_quantity(f) and comparable(f, part)]
    pool = [f for f in pool if f.value is not None and part.value is not None and f.value > 0]
    if _TARGET.search(phrase):
        found = [f for f in pool if _is_target_of(document, f, part)]
    elif key:
        found = [f for f in pool if _names(document, f, key)]
    else:
        found = [f for f in pool if f.start < part.start and is_total(document, f) and _near(f, part)]
    return sorted(found, key=lambda f: (f.sentence != part.sentence, abs(f.start - part.start)))


def _near(a: Figure, b: Figure) -> bool:
    return abs(a.sentence - b.sentence) <= 2


def _is_target_of(document: Document, target: Figure, part: Figure) -> bool:
    before = document.view[max(0, target.start - 16) : target.start]
    if not _TARGET.search(before):
        return False
    subject = part.subject or ""
    sentence_start, sentence_end = document.audit.sentences[target.sentence]
    return len(subject) >= 2 and subject in document.view[sentence_start:sentence_end]


def _names(document: Document, figure: Figure, key: str) -> bool:
    subject = figure.subject or ""
    if len(subject) >= 2 and (key in subject or subject in key):
        return True
    before = document.view[max(0, figure.start - 16) : figure.start]
    return key in before


def _check_completion(document: Document, percent: Figure) -> Finding | None:
    """'锁定债务4300万元，已化解1352万元，…共化解债务31%': a share without 占, inferred."""
    verbs = verbs_in(clause_before(document.view, percent.start))
    if not verbs:
        return None
    earlier = [f for f in document.sentence_figures(percent.sentence) if f.start < percent.start]
    done = [f for f in earlier if is_quantity(f) and verbs & verbs_in(clause_before(document.view, f.start))]
    if not done:
        return None
    part = done[-1]
    bases = [
        f
        for f in earlier
        if f.id != part.id and is_quantity(f) and comparable(f, part) and _is_base(document, f)
    ]
    if not bases or bases[-1].value is None or part.value is None or bases[-1].value <= part.value:
        return None
    ratio = ratio_bounds(part, bases[-1])
    if ratio is None or overlaps(ratio, percent_bounds(percent)):
        return None
    return _finding(part, bases[-1], percent, "warning", "完成比例")


def _is_base(document: Document, figure: Figure) -> bool:
    before = document.view[max(0, figure.start - 12) : figure.start]
    return bool(_BASE_WORDS.search(before + (figure.subject or "")))


def _finding(part: Figure, whole: Figure, share: Figure, severity: Severity, what: str) -> Finding:
    assert part.value is not None and whole.value is not None and share.value is not None
    actual = part.value * 100 / whole.value
    message = (
        f"{what}不符：{show(part)} ÷ {show(whole)} = {show_percent(actual)}，"
        f"文中写作{show(share)}，相差{show_percent(abs(actual - share.value))}。"
    )
    return Finding(rule="share", severity=severity, message=message, figures=(part.id, whole.id, share.id))
