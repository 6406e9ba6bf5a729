"""Unfilled placeholders (xx, x.x%, xxx万元, 20xx0头, 20xx年) and blanks where a number was never written
("兑付资金万元", "完成率%"): a draft that still has them is not finished."""

from __future__ import annotations

import re

from zhenwu.reader.checks.common import Document
from zhenwu.reader.model import Finding

_SHOWN = 6
_YEAR = re.compile(r"(?<![\dxX])(?:19|20)(?:[xX]{2}|\d[xX])年")
# A unit right after a word, with no number: "资金万元", "完成率%". Words that do precede a unit without a
# number are excluded: 千万元, 上万元, 数万元, 过亿元, 百分之.
_WORD_BEFORE = re.compile(r"[\u4e00-\u9fff]{1,6}$")
_BLANK = re.compile(r"(?<=[\u4e00-\u9fff])(?<![十百千万亿过上数近超逾几余多成约兆每])(?:万元|亿元|%|％)")


def check(document: Document) -> list[Finding]:
    return _unfilled_figures(document) + _unfilled_years(document) + _blanks(document)


def _unfilled_figures(document: Document) -> list[Finding]:
    """One warning per sentence, naming the placeholders in it."""
    findings: list[Finding] = []
    for index in sorted(document.by_sentence):
        holes = [f for f in document.sentence_figures(index) if f.placeholder]
        if not holes:
            continue
        shown = "、".join(f.text.strip() for f in holes[:_SHOWN])
        more = f"等{len(holes)}处" if len(holes) > _SHOWN else f"共{len(holes)}处"
        findings.append(
            Finding(
                rule="placeholder",
                severity="warning",
                message=f"占位符未填写：{shown}（{more}），请填入实际数字。",
                figures=tuple(f.id for f in holes),
            )
        )
    return findings


def _unfilled_years(document: Document) -> list[Finding]:
    return [
        _place_finding(m, f"年份未填写：「{m.group()}」，请填入实际年份。")
        for m in _YEAR.finditer(document.view)
    ]


def _blanks(document: Document) -> list[Finding]:
    findings = []
    for match in _BLANK.finditer(document.view):
        word = _WORD_BEFORE.search(document.view, max(0, match.start() - 6), match.start())
        shown = (word.group() if word else "") + match.group()
        findings.append(_place_finding(match, f"缺少数字：「{shown}」的单位前没有写数。"))
    return findings


def _place_finding(match: re.Match[str], message: str) -> Finding:
    """A finding about words that are not a figure: it points at them by their place in the text."""
    return Finding(
        rule="placeholder", severity="warning", message=message, figures=(), span=(match.start(), match.end())
    )
