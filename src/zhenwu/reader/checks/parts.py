"""Parts and whole: "共30个，其中18个…12个" and "A 18个、B 12个，合计30个".

A part larger than its whole is an error, when the text pairs them plainly: the total written just
before 其中, the part in the first clause after it. A total in an earlier sentence, or a part after a
semicolon (which often starts another subject: "其中税收174万；财政支出1184万"), is a pairing the reader
infers, and makes a warning at most. Parts that add up to more than the whole are flagged as a warning
(categories after 其中 may overlap). When the text says the parts make up the whole (其余, 合计), a sum
that misses the whole is flagged too. The whole of a share ("为全年任务740万元的56.6%") is never the
total of the parts that follow.
"""

from __future__ import annotations

import re
from decimal import Decimal

from zhenwu.reader.checks.common import Document, bounds, comparable, is_quantity, show, show_value
from zhenwu.reader.model import Figure, Finding, Pairing, Severity

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
        found = _total_before(document, index, start, mark)
        if found is None:
            continue
        total, pairing = found
        parts = _parts_after(document, index, total, mark, stop)
        if parts:
            findings.extend(_compare(document, total, parts, mark, stop, pairing))
    return findings


def _total_before(document: Document, index: int, start: int, mark: int) -> tuple[Figure, Pairing] | None:
    before = [
        f
        for f in document.sentence_figures(index)
        if f.end <= mark and is_quantity(f) and not _whole_of_share(document, f)
    ]
    if before:
        between = document.view[before[-1].end : mark].strip(" \u3000，,：:（(")
        return before[-1], "stated" if not between else "inferred"
    if document.view[start:mark].strip(" \u3000，,：:\n\r\t"):
        return None
    previous = [
        f for f in document.sentence_figures(index - 1) if is_quantity(f) and not _whole_of_share(document, f)
    ]
    return (previous[-1], "inferred") if previous else None


def _whole_of_share(document: Document, figure: Figure) -> bool:
    """ "为全年任务740万元的56.6%": the 740万元 is what a share is of, not a total of what follows."""
    later = [f for f in document.sentence_figures(figure.sentence) if f.start >= figure.end]
    if not later or later[0].kind != "share":
        return False
    return document.view[figure.end : later[0].start] in ("的", "")


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


def _compare(
    document: Document, total: Figure, parts: list[Figure], mark: int, stop: int, pairing: Pairing
) -> list[Finding]:
    total_lo, total_hi = bounds(total)
    for part in parts:
        if bounds(part)[0] > total_hi and part.approx_mode != "up":
            return [_too_big(total, part, _pairing_of_too_big(document, total, part, mark, pairing))]
    lo = sum((bounds(p)[0] for p in parts), Decimal(0))
    hi = sum((bounds(p)[1] for p in parts), Decimal(0))
    if lo > total_hi:
        return [_sum_finding(total, parts, "warning", "其中各项之和大于总数（如各项不重叠）", "inferred")]
    says_whole = _REST.search(document.view, mark, stop) is not None
    if says_whole and len(parts) >= 2 and hi < total_lo:
        return [_sum_finding(total, parts, "error", "其中各项（含其余部分）之和与总数不符", pairing)]
    return []


def _pairing_of_too_big(
    document: Document, total: Figure, part: Figure, mark: int, pairing: Pairing
) -> Pairing:
    """A part bigger than its total more often means the reader took the wrong total: when another
    figure just before could hold the part ("共有农户198户，新纳入监测1户，其中脱贫户120户"), the total
    is ambiguous."""
    earlier = document.nearby(total, before=1, after=0)
    if any(
        f.id != total.id and f.end <= mark and comparable(f, part) and bounds(f)[1] >= bounds(part)[0]
        for f in earlier
        if is_quantity(f)
    ):
        return "ambiguous"
    after_semicolon = any(ch in "；;" for ch in document.view[mark : part.start])
    return "inferred" if after_semicolon else pairing


def _too_big(total: Figure, part: Figure, pairing: Pairing) -> Finding:
    message = f"部分大于总数：{show(part)}是{show(total)}的一部分，却比它大。"
    return Finding(
        rule="parts",
        severity="error",
        message=message,
        figures=(total.id, part.id),
        relation=f"{show(part)} ≤ {show(total)}",
        pairing=pairing,
    )


def _sum_finding(
    total: Figure, parts: list[Figure], severity: Severity, what: str, pairing: Pairing = "stated"
) -> Finding:
    assert total.value is not None
    values = [p.value for p in parts if p.value is not None]
    total_sum = sum(values, Decimal(0))
    terms = " + ".join(show(p) for p in parts)
    message = (
        f"{what}：{terms} = {show_value(total_sum, total.unit)}，"
        f"总数{show(total)}为{show_value(total.value, total.unit)}。"
    )
    return Finding(
        rule="parts",
        severity=severity,
        message=message,
        figures=(total.id, *(p.id for p in parts)),
        relation=f"{terms} = {show(total)}",
        pairing=pairing,
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
