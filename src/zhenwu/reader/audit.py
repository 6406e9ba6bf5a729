"""Reading a report: figures first, then every check over them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from zhenwu.reader.checks import run_checks
from zhenwu.reader.clean import SentenceIndex, make_view, sentence_spans
from zhenwu.reader.extract import extract_figures
from zhenwu.reader.model import Audit, Figure, Finding


def analyse(text: str, dated: date | None = None) -> Audit:
    """The figures a report states and the findings on how they agree with each other.

    `dated` is the day the report speaks from; without it the date written in the report is used."""
    view = make_view(text)
    spans = sentence_spans(view)
    figures = extract_figures(text, view, SentenceIndex(spans))
    audit = Audit(text=text, figures=figures, sentences=spans)
    audit.findings = run_checks(audit, view, dated)
    return audit


def json_number(value: Decimal | None) -> int | float | None:
    """Integral values as int (490000000, not 490000000.0); others as float for JSON."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def figure_json(figure: Figure) -> dict[str, Any]:
    return {
        "id": figure.id,
        "text": figure.text,
        "start": figure.start,
        "end": figure.end,
        "value": json_number(figure.value),
        "unit": figure.unit,
        "kind": figure.kind,
        "subject": figure.subject,
        "approx": figure.approx,
        "placeholder": figure.placeholder,
    }


def finding_json(finding: Finding) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "rule": finding.rule,
        "severity": finding.severity,
        "message": finding.message,
        "figures": list(finding.figures),
        "relation": finding.relation,
        "pairing": finding.pairing,
    }
    if finding.span is not None:
        shape["start"], shape["end"] = finding.span
    return shape


def to_json(audit: Audit) -> dict[str, Any]:
    """The audit as the `--json` output shape: figures and findings."""
    return {
        "figures": [figure_json(f) for f in audit.figures],
        "findings": [finding_json(f) for f in audit.findings],
    }
