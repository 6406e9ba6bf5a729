"""Shares: "A…占B的p%" must agree with A ÷ B, within the precision p is written with.

B is the whole the sentence names: written inside the phrase ("为全年任务740万元的56.6%"), named after 占
("占全镇监测户的33.3%") and looked up among the report's figures, or implied by 其中 ("共有1246户，其中脱贫户
269户，占比18.6%"). How sure the pairing is decides how severe a mismatch may be: a whole the text states
makes an error, one the reader had to choose among several a 提示. When several shares of one whole all
miss it but agree on another base (199 where the text says 198), that base is what is reported, once.
A completion share without 占 ("锁定债务4300万元，已化解1352万元，共化解债务31%") is checked too, but
only ever as a warning, since the relation is inferred.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

from zhenwu.reader import grammar
from zhenwu.reader.checks.common import (
    Document,
    bounds,
    comparable,
    has_value,
    is_quantity,
    is_total,
    overlaps,
    percent_bounds,
    ratio_bounds,
    show,
    show_percent,
    show_value,
)
from zhenwu.reader.model import Figure, Finding, Pairing
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
_CLAUSE_MARKS = "，,；;：:"


@dataclass(frozen=True, slots=True)
class _Share:
    """A share with the (part, whole) pairings the text allows, and whether any of them holds."""

    share: Figure
    pairs: tuple[tuple[Figure, Figure], ...]
    pairing: Pairing
    holds: bool

    @property
    def part(self) -> Figure:
        return self.pairs[0][0]

    @property
    def whole(self) -> Figure:
        return self.pairs[0][1]


def check(document: Document) -> list[Finding]:
    findings: list[Finding] = []
    shares: list[_Share] = []
    for figure in document.figures:
        if not has_value(figure):
            continue
        if figure.kind == "share":
            share = _check_share(document, figure)
            if share is not None:
                shares.append(share)
        elif figure.kind == "percent" and figure.unit == "%":
            finding = _check_completion(document, figure)
            if finding is not None:
                findings.append(finding)
    explained, based = _implied_bases(shares)
    findings.extend(based)
    findings.extend(_finding(s) for s in shares if not s.holds and s.share.id not in explained)
    return findings


def _share_phrase(document: Document, share: Figure) -> re.Match[str] | None:
    window_start = max(0, share.start - 24)
    window = document.view[window_start : share.start]
    cut = max(window.rfind(ch) for ch in "，,。；;：:！？\n")
    return grammar.SHARE_BEFORE.search(document.view, window_start + cut + 1, share.start)


def _check_share(document: Document, share: Figure) -> _Share | None:
    phrase = _share_phrase(document, share)
    if phrase is None:
        return None
    named = phrase["whole"] or phrase["target"] or ""
    if _OUTSIDE.search(named):
        return None
    parts = _parts_before(document, share, phrase.start())
    if not parts:
        return None
    stated = _whole_in_phrase(document, phrase, share)
    if stated is not None:
        pairs = [(p, stated) for p in parts if comparable(p, stated)][:1]
        pairing: Pairing = "stated"
    else:
        pairs, pairing = _pairs(document, parts, named)
    if not pairs:
        return None
    if any(f.approx for pair in pairs for f in pair) or share.approx:
        pairing = "inferred" if pairing == "stated" else pairing
    holds = any(_holds(part, whole, share) for part, whole in pairs)
    return _Share(share, tuple(pairs), pairing, holds)


def _holds(part: Figure, whole: Figure, share: Figure) -> bool:
    ratio = ratio_bounds(part, whole)
    return ratio is None or overlaps(ratio, percent_bounds(share))


def _parts_before(document: Document, share: Figure, phrase_start: int) -> list[Figure]:
    """What the share may be of, nearest first: the last quantity before its phrase, and the figures
    written with it in other units ("120户183人，占60.3%" may be either)."""
    found: list[Figure] = []
    for figure in reversed(document.sentence_figures(share.sentence)):
        if figure.end > phrase_start or not is_quantity(figure) or figure.per:
            continue
        if found and not _adjacent(document, figure, found[-1]):
            break
        if not any(comparable(figure, f) for f in found):
            found.append(figure)
    return found


def _adjacent(document: Document, earlier: Figure, later: Figure) -> bool:
    """Two figures written together ("120户183人", "120户、183人"), one thing counted two ways."""
    between = document.view[earlier.end : later.start].strip(" \u3000、")
    return not between


def _whole_in_phrase(document: Document, phrase: re.Match[str], share: Figure) -> Figure | None:
    for figure in document.sentence_figures(share.sentence):
        if phrase.start() < figure.start and figure.end <= share.start and is_quantity(figure):
            return figure
    return None


Pairs = list[tuple[Figure, Figure]]


def _pairs(document: Document, parts: list[Figure], named: str) -> tuple[Pairs, Pairing]:
    pairs: Pairs = []
    sure = False
    for part in parts:
        total = _qizhong_total(document, part)
        if total is not None and (not named or _names(document, total, _key(named))):
            pairs.append((part, total))
            sure = True
            continue
        pairs.extend((part, whole) for whole in _wholes(document, part, named))
    wholes = {whole.id for _, whole in pairs}
    if len(wholes) > 1 or (len(pairs) > 1 and not sure):
        return pairs, "ambiguous"
    named_whole = bool(_key(named)) or bool(_TARGET.search(named))
    return pairs, "stated" if sure or named_whole else "inferred"


def _qizhong_total(document: Document, part: Figure) -> Figure | None:
    """The total a part is listed under: "共有监测户1246户，其中脱贫户269户"."""
    start = document.audit.sentences[part.sentence][0]
    mark = document.view.rfind("其中", start, part.start)
    if mark < 0:
        return None
    before = [f for f in document.sentence_figures(part.sentence) if f.end <= mark and is_quantity(f)]
    # The total may be written in two units at once ("共有农户198户471人，其中…").
    run = before[-1:]
    for figure in reversed(before[:-1]):
        if not _adjacent(document, figure, run[-1]):
            break
        run.append(figure)
    return next((f for f in run if comparable(f, part)), None)


def _key(named: str) -> str:
    return _WHOLE_TAIL.sub("", _GENERIC_WHOLE.sub("", named))


def _wholes(document: Document, part: Figure, named: str) -> list[Figure]:
    """Figures the words after 占 may name, nearest first."""
    key = _key(named)
    # A whole is stated near its part; looking further only finds the same words in another section.
    nearby = document.nearby(part, before=_LOOK_BEFORE, after=_LOOK_AFTER)
    pool = [f for f in nearby if f.id != part.id and is_quantity(f) and comparable(f, part)]
    pool = [f for f in pool if f.value is not None and part.value is not None and f.value > 0]
    if _TARGET.search(named):
        found = [f for f in pool if _is_target_of(document, f, part)]
    elif key:
        found = [f for f in pool if _names(document, f, key)]
    else:
        found = [f for f in pool if f.start < part.start and is_total(document, f) and _near(f, part)]
    return sorted(found, key=lambda f: (f.sentence != part.sentence, abs(f.start - part.start)))


def _near(a: Figure, b: Figure) -> bool:
    return abs(a.sentence - b.sentence) <= 2


def _is_target_of(document: Document, target: Figure, part: Figure) -> bool:
    if not _TARGET.search(clause_before(document.view, target.start)):
        return False
    subject = part.subject or ""
    sentence_start, sentence_end = document.audit.sentences[target.sentence]
    return len(subject) >= 2 and subject in document.view[sentence_start:sentence_end]


def _names(document: Document, figure: Figure, key: str) -> bool:
    subject = figure.subject or ""
    if len(subject) >= 2 and (key in subject or subject in key):
        return True
    before = document.view[max(0, figure.start - 16) : figure.start]
    return bool(key) and key in before


def _implied_bases(shares: list[_Share]) -> tuple[set[int], list[Finding]]:
    """Shares of one whole that miss it but agree on one other base: the base the report used."""
    explained: set[int] = set()
    findings: list[Finding] = []
    by_whole: dict[int, list[tuple[Figure, _Share]]] = {}
    for share in shares:
        for part, whole in share.pairs:
            by_whole.setdefault(whole.id, []).append((part, share))
    for group in by_whole.values():
        whole = _whole_of(group)
        missing = [(p, s) for p, s in group if not _holds_strictly(p, whole, s.share)]
        if len(missing) < 2 or all(s.holds for _, s in group) or explained & {s.share.id for _, s in group}:
            continue
        base = _common_base(group, whole)
        if base is None:
            continue
        explained.update(s.share.id for _, s in group)
        findings.append(_base_finding(group, whole, base))
    return explained, findings


def _whole_of(group: list[tuple[Figure, _Share]]) -> Figure:
    part, share = group[0]
    return next(w for p, w in share.pairs if p is part)


def _strict_percent(share: Figure) -> tuple[Decimal, Decimal]:
    """The values a stated share stands for at its own precision: 2% is 1.5–2.5%."""
    assert share.value is not None
    return share.value - share.step / 2, share.value + share.step / 2


def _holds_strictly(part: Figure, whole: Figure, share: Figure) -> bool:
    ratio = ratio_bounds(part, whole)
    return ratio is None or overlaps(ratio, _strict_percent(share))


def _common_base(group: list[tuple[Figure, _Share]], whole: Figure) -> Decimal | None:
    lo, hi = Decimal(0), Decimal("Infinity")
    for part, share in group:
        share_lo, share_hi = _strict_percent(share.share)
        part_lo, part_hi = bounds(part)
        if share_lo <= 0:
            return None
        lo, hi = max(lo, part_lo * 100 / share_hi), min(hi, part_hi * 100 / share_lo)
    if lo > hi:
        return None
    if whole.kind == "count":
        candidate = Decimal(math.ceil(lo))
        return candidate if candidate <= hi and candidate != whole.value else None
    whole_lo, whole_hi = bounds(whole)
    return None if overlaps((lo, hi), (whole_lo, whole_hi)) else (lo + hi) / 2


def _base_finding(group: list[tuple[Figure, _Share]], whole: Figure, base: Decimal) -> Finding:
    shares = "、".join(show(s.share) for _, s in group)
    shown = f"{base:f}{whole.unit}" if whole.kind == "count" else show_value(base, whole.unit)
    part, first = group[0]
    assert part.value is not None and whole.value is not None
    actual = show_percent(part.value * 100 / whole.value)
    message = (
        f"占比的基数与总数不符：{shares}都与按{shown}算出的相符，而文中的总数是{show(whole)}"
        f"（{show(part)} ÷ {show(whole)} = {actual}，文中写作{show(first.share)}）。"
    )
    # One share may be paired with its whole by guess; several agreeing on one other base are not chance.
    stated = sum(s.pairing == "stated" for _, s in group)
    pairing: Pairing = "stated" if stated >= 2 else "inferred"
    relation = "；".join(f"{show(p)} ÷ {show(whole)} = {show(s.share)}" for p, s in group)
    figures = tuple(sorted({whole.id} | {f.id for p, s in group for f in (p, s.share)}))
    return Finding(
        rule="share", severity="error", message=message, figures=figures, relation=relation, pairing=pairing
    )


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
    if _holds(part, bases[-1], percent):
        return None
    return _finding(_Share(percent, ((part, bases[-1]),), "inferred", False), "完成比例")


def _is_base(document: Document, figure: Figure) -> bool:
    before = document.view[max(0, figure.start - 12) : figure.start]
    return bool(_BASE_WORDS.search(before + (figure.subject or "")))


def _finding(share: _Share, what: str = "占比") -> Finding:
    part, whole, stated = share.part, share.whole, share.share
    assert stated.value is not None and part.value is not None and whole.value is not None
    actual = part.value * 100 / whole.value
    message = (
        f"{what}不符：{show(part)} ÷ {show(whole)} = {show_percent(actual)}，"
        f"文中写作{show(stated)}，相差{show_percent(abs(actual - stated.value))}。"
    )
    return Finding(
        rule="share",
        severity="error",
        message=message,
        figures=(part.id, whole.id, stated.id),
        relation=f"{show(part)} ÷ {show(whole)} = {show(stated)}",
        pairing=share.pairing,
    )
