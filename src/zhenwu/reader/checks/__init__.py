"""The checks a report's figures go through; each returns findings and never raises on odd input."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from zhenwu.reader.checks import (
    dates,
    growth,
    listcount,
    parts,
    placeholder,
    plausibility,
    points,
    product,
    rate,
    repeated,
    share,
)
from zhenwu.reader.checks.common import Document
from zhenwu.reader.model import HIGHEST_SEVERITY, Audit, Finding, Severity

Check = Callable[[Document], list[Finding]]

CHECKS: tuple[Check, ...] = (
    placeholder.check,
    share.check,
    parts.check,
    product.check,
    listcount.check,
    growth.check,
    plausibility.check,
    rate.check,
    repeated.check,
    points.check,
    dates.check,
)


def run_checks(audit: Audit, view: str, dated: date | None = None) -> list[Finding]:
    document = Document(audit, view, dated=dated)
    findings: list[Finding] = []
    for check in CHECKS:
        findings.extend(_within_certainty(f) for f in check(document))
    findings.sort(key=lambda f: (_place(audit, f), f.rule))
    return findings


_RANK: dict[Severity, int] = {"info": 0, "warning": 1, "error": 2}


def _within_certainty(finding: Finding) -> Finding:
    """A finding is never more severe than its pairing is sure: a guessed base makes a 提示 at most."""
    ceiling = HIGHEST_SEVERITY[finding.pairing]
    if _RANK[finding.severity] <= _RANK[ceiling]:
        return finding
    return replace(finding, severity=ceiling)


def _place(audit: Audit, finding: Finding) -> int:
    """Where a finding is in the text: findings are listed in reading order."""
    starts = [audit.figures[i].start for i in finding.figures]
    if finding.span is not None:
        starts.append(finding.span[0])
    return min(starts, default=0)
