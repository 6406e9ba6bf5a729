"""The checks a report's figures go through; each returns findings and never raises on odd input."""

from __future__ import annotations

from collections.abc import Callable

from zhenwu.reader.checks import growth, listcount, parts, placeholder, plausibility, product, share
from zhenwu.reader.checks.common import Document
from zhenwu.reader.model import Audit, Finding

Check = Callable[[Document], list[Finding]]

CHECKS: tuple[Check, ...] = (
    placeholder.check,
    share.check,
    parts.check,
    product.check,
    listcount.check,
    growth.check,
    plausibility.check,
)


def run_checks(audit: Audit, view: str) -> list[Finding]:
    document = Document(audit, view)
    findings: list[Finding] = []
    for check in CHECKS:
        findings.extend(check(document))
    findings.sort(key=lambda f: (min(f.figures, default=0), f.rule))
    return findings
