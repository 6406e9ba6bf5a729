"""What the reader finds in a report: figures, findings, and the audit that holds both."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Kind = Literal["amount", "count", "percent", "growth", "share", "rate"]
Severity = Literal["error", "warning", "info"]
# What every page, export and message shows for a severity; the JSON keeps the codes.
SEVERITY_LABELS: dict[Severity, str] = {"error": "错误", "warning": "警告", "info": "提示"}
# How sure the reader is that the figures a finding relates belong together: the text says so
# ("占全年任务8亿元的52.5%"), the reader inferred it from the words around them, or several pairings
# were possible. Only a stated pairing can make an error; a guessed one is at most a 提示.
Pairing = Literal["stated", "inferred", "ambiguous"]
PAIRING_LABELS: dict[Pairing, str] = {
    "stated": "文中明示",
    "inferred": "由上下文推断",
    "ambiguous": "有多种可能",
}
HIGHEST_SEVERITY: dict[Pairing, Severity] = {"stated": "error", "inferred": "warning", "ambiguous": "info"}
# How an approximate figure relates to its written value: 余/多/以上 mean at least, 近 means at most.
ApproxMode = Literal["", "up", "down", "around"]


@dataclass(slots=True)
class Figure:
    """One stated quantity: where it is, what it is worth in a base unit, and what it counts."""

    id: int
    text: str
    start: int
    end: int
    value: Decimal | None
    unit: str | None
    kind: Kind
    subject: str | None
    approx: bool
    placeholder: bool
    # Not part of the JSON: what the checks need to compare figures fairly.
    dimension: str = ""
    step: Decimal = Decimal(1)
    approx_mode: ApproxMode = ""
    sentence: int = 0
    sign_word: str = ""
    per: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    figures: tuple[int, ...]
    # The relation checked, in figures and operators ("「269户」÷「1446户」"), and how sure the pairing is.
    relation: str = ""
    pairing: Pairing = "stated"
    # Where in the text, for a finding about words that are not a figure ("兑付资金万元" with no number).
    span: tuple[int, int] | None = None

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    @property
    def pairing_label(self) -> str:
        return PAIRING_LABELS[self.pairing]


@dataclass(slots=True)
class Audit:
    text: str
    figures: list[Figure] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)

    def sentence_of(self, figure: Figure) -> str:
        start, end = self.sentences[figure.sentence]
        return self.text[start:end].strip()

    def sentence_of_finding(self, finding: Finding) -> str:
        """The sentence a finding is about: its first figure's, or the one its span starts in."""
        if finding.figures:
            return self.sentence_of(self.figures[finding.figures[0]])
        if finding.span is None:
            return ""
        at = finding.span[0]
        return next((self.text[a:b].strip() for a, b in self.sentences if a <= at < b), "")
