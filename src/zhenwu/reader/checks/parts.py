"""Parts and whole: "共30个，其中18个…12个" and "A 18个、B 12个，合计30个".

A part larger than its whole is an error. Parts that add up to more than the whole are flagged
as a warning (categories after 其中 may overlap). When the text says the parts make up the whole
(其余, 合计), a sum that misses the whole is flagged too.
"""

from __future__ import annotations

import re
from decimal import Decimal

from zhenwu.reader.checks.common import Document, bounds, comparable, is_quantity, show, show_value
from zhenwu.reader.model import Figure, Finding, Severity

_AMONG = re.compile(r"其中")
_REST = re.compile(r"其余|剩余|余下|其他|另外")
_SUM_BEFORE = re.compile(r"(?:合计|共计|总计|一共|总共)(?:为|达到?|有)?[ \u3000]*$")
_OPEN = "（(【["
_CLOSE = "）)】]"


def check(document: Document) -> list[Finding]:
    findings: list[Finding] = []
    for index, (start, end) in enumerate(document.audit.sentences):
        sentence = document.view[start:end]
        if "其中" in sentence:
            findings.extend(_check_among(document, index, start, end))
        if "计" in sentence or "共" in sentence:
            findings.extend(_check_sum_after(document, index))
    return findings


def _depth(view: str, start: int, end: int) -> int:
    """How many brackets are open at `end`, counting from the sentence start."""
    text = view[start:end]
    return max(0, sum(text.count(ch) for ch in _OPEN) - sum(text.count(ch) for ch in _CLOSE))


def _check_among(document: Document, index: int, start: int, end: int) -> list[Finding]:
    findings: list[Finding] = []
    marks = [m.start() for m in _AMONG.finditer(document.view, start, end)]
    for n, mark in enumerate(marks):
        stop = marks[n + 1] if n + 1 < len(marks) else end
        total = _total_before(document, index, start, mark)
        if total is None:
            continue
        parts = _parts_after(document, index, total, mark, stop)
        if parts:
            findings.extend(_compare(document, total, parts, mark, stop))
    return findings


def _total_before(document: Document, index: int, start: int, mark: int) -> Figure | None:
    before = [f for f in document.sentence_figures(index) if f.end <= mark and is_quantity(f)]
    if before:
        return before[-1]
    if document.view[start:mark].strip(" \u3000，,：:\n\r\t"):
        return None
    previous = [f for f in document.sentence_figures(index - 1) if is_quantity(f)]
    return previous[-1] if previous else None


def _parts_after(document: Document, index: int, total: Figure, mark: int, stop: int) -> list[Figure]:
    base_depth = _depth(document.view, document.audit.sentences[index][0], mark)
    sentence_start = document.audit.sentences[index][0]
    parts = []
    for figure in document.sentence_figures(index):
        if not (mark < figure.start < stop) or not is_quantity(figure) or not comparable(figure, total):
            continue
        if figure.per or _depth(document.view, sentence_start, figure.start) != base_depth:
            continue
        parts.append(figure)
    return parts


def _compare(document: Document, total: Figure, parts: list[Figure], mark: int, stop: int) -> list[Finding]:
    total_lo, total_hi = bounds(total)
    for part in parts:
        if bounds(part)[0] > total_hi and part.approx_mode != "up":
            return [_too_big(total, part)]
    lo = sum((bounds(p)[0] for p in parts), Decimal(0))
    hi = sum((bounds(p)[1] for p in parts), Decimal(0))
    if lo > total_hi:
        return [_sum_finding(total, parts, "warning", "其中各项之和大于总数（如各项不重叠）")]
    says_whole = _REST.search(document.view, mark, stop) is not None
    if says_whole and len(parts) >= 2 and hi < total_lo:
        return [_sum_finding(total, parts, "error", "其中各项（含其余部分）之和与总数不符")]
    return []


def _too_big(total: Figure, part: Figure) -> Finding:
    message = f"部分大于总数：{show(part)}是{show(total)}的一部分，却比它大。"
    return Finding(rule="parts", severity="error", message=message, figures=(total.id, part.id))


def _sum_finding(total: Figure, parts: list[Figure], severity: Severity, what: str) -> Finding:
    assert total.value is not None
    values = [p.value for p in parts if p.value is not None]
    total_sum = sum(values, Decimal(0))
    terms = " + ".join(show(p) for p in parts)
    message = (
        f"{what}：{terms} = {show_value(total_sum, total.unit)}，"
        f"总数{show(total)}为{show_value(total.value, total.unit)}。"
    )
    return Finding(
        rule="parts", severity=severity, message=message, figures=(total.id, *(p.id for p in parts))
    )


def _check_sum_after(document: Document, index: int) -> list[Finding]:
    """'A 18个、B 13个，合计30个': a stated sum must equal its terms."""
    findings: list[Finding] = []
    figures = document.sentence_figures(index)
    for n, total in enumerate(figures):
        window = document.view[max(0, total.start - 6) : total.start]
        if not is_quantity(total) or not _SUM_BEFORE.search(window):
            continue
        terms = _terms_before(figures[:n], total)
        if len(terms) < 2 or "等" in document.view[terms[0].start : total.start]:
            continue
        finding = _sum_mismatch(total, terms)
        if finding is not None:
            findings.append(finding)
    return findings


def _terms_before(figures: list[Figure], total: Figure) -> list[Figure]:
    """The unbroken run of figures like the total just before it: a figure of another kind ends it."""
    terms: list[Figure] = []
    for figure in reversed(figures):
        if not (is_quantity(figure) and comparable(figure, total) and not figure.per):
            break
        terms.insert(0, figure)
    return terms


def _sums_to(terms: list[Figure], total: Figure) -> tuple[bool, bool]:
    """Whether the terms can add up to the total, and whether they must exceed it."""
    total_lo, total_hi = bounds(total)
    lo = sum((bounds(t)[0] for t in terms), Decimal(0))
    hi = sum((bounds(t)[1] for t in terms), Decimal(0))
    return lo <= total_hi and total_lo <= hi, lo > total_hi


def _sum_mismatch(total: Figure, terms: list[Figure]) -> Finding | None:
    # The sum may cover only the last few terms ("新建18条，维修5条、改造7条，合计12条").
    for first in range(len(terms) - 1):
        if _sums_to(terms[first:], total)[0]:
            return None
    _, too_big = _sums_to(terms, total)
    if too_big:
        return _sum_finding(total, terms, "error", "分项之和大于合计")
    return _sum_finding(total, terms, "warning", "分项之和小于合计（如已列出全部分项）")
