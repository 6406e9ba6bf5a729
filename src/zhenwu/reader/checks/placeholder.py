"""Unfilled placeholders (xx, x.x%, xxx万元): a draft that still has them is not finished."""

from __future__ import annotations

from zhenwu.reader.checks.common import Document
from zhenwu.reader.model import Finding

_SHOWN = 6


def check(document: Document) -> list[Finding]:
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
