"""Scoring the reader against an annotated set of real reports (the gold format of shared/corpus).

A gold set lists figures (where each is, its value in a base unit, its subject) and findings: `flag` (some
error or warning must cover one of the texts), `no_error` (no error may cover them) and `no_error_anywhere`.
A set is one gold.json beside its texts, or a folder of NAME.txt with NAME.json each holding that
document's annotations. The score counts what the team's bar is set on: recall, subject accuracy, the
findings kept, and every error not covering an annotated inconsistency (a false error).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from zhenwu.reader.audit import analyse
from zhenwu.reader.checks.common import MU_IN_SQUARE_METRES
from zhenwu.reader.files import read_file
from zhenwu.reader.model import Audit, Figure, Finding

# The gold set's units in the reader's base units (money in 元, mass in kg, length in 米, area as written).
_BASE: dict[str, Decimal] = {
    "元": Decimal(1),
    "万元": Decimal(10**4),
    "亿元": Decimal(10**8),
    "kg": Decimal(1),
    "公斤": Decimal(1),
    "千克": Decimal(1),
    "斤": Decimal("0.5"),
    "吨": Decimal(1000),
    "米": Decimal(1),
    "公里": Decimal(1000),
    "千米": Decimal(1000),
    "平方公里": Decimal(10**6),
    "公顷": Decimal(10**4),
}


@dataclass
class GoldSet:
    texts: dict[str, str]
    figures: list[dict[str, Any]]
    findings: list[dict[str, Any]]


@dataclass
class Score:
    figures: int = 0
    found: int = 0
    subjects: int = 0
    subjects_right: int = 0
    findings: int = 0
    findings_kept: int = 0
    misses: list[str] = field(default_factory=list)
    wrong_subjects: list[str] = field(default_factory=list)
    lost_findings: list[str] = field(default_factory=list)
    false_errors: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.figures if self.figures else 1.0

    @property
    def subject(self) -> float:
        return self.subjects_right / self.subjects if self.subjects else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "figures": self.figures,
            "recall": round(self.recall, 4),
            "subject": round(self.subject, 4),
            "findings": f"{self.findings_kept}/{self.findings}",
            "false_errors": len(self.false_errors),
            "misses": self.misses,
            "wrong_subjects": self.wrong_subjects,
            "lost_findings": self.lost_findings,
            "false_error_messages": self.false_errors,
        }


def load(path: Path) -> GoldSet:
    """A gold.json with its texts beside it, or a folder of NAME.txt + NAME.json."""
    if path.is_file():
        data = json.loads(path.read_text(encoding="utf-8"))
        docs = {g["doc"] for g in data["figures"]} | {f["doc"] for f in data["findings"]}
        texts = {doc: read_file(path.parent / doc) for doc in sorted(docs)}
        return GoldSet(texts, data["figures"], data["findings"])
    gold = GoldSet({}, [], [])
    for annotation in sorted(path.glob("*.json")):
        data = json.loads(annotation.read_text(encoding="utf-8"))
        text_path = annotation.with_suffix(".txt")
        gold.texts[text_path.name] = read_file(text_path)
        gold.figures.extend(data["figures"])
        gold.findings.extend(data["findings"])
    return gold


def score(gold: GoldSet) -> Score:
    audits = {doc: analyse(text) for doc, text in gold.texts.items()}
    result = Score()
    for expected in gold.figures:
        _score_figure(result, audits[expected["doc"]], expected)
    for expected in gold.findings:
        _score_finding(result, gold.texts[expected["doc"]], audits[expected["doc"]], expected)
    for doc, audit in audits.items():
        flagged = _flag_spans(gold, doc)
        for finding in audit.findings:
            if finding.severity == "error" and not _covers(audit, finding, flagged):
                result.false_errors.append(f"{doc}: {finding.message}")
    return result


def _in_base_unit(value: Any, unit: str | None) -> Decimal:
    return Decimal(str(value)) * _BASE.get(unit or "", Decimal(1))


def _matches(figure: Figure, expected: dict[str, Any]) -> bool:
    overlap = figure.start < expected["end"] and expected["start"] < figure.end
    if not overlap or figure.value is None:
        return False
    want = _in_base_unit(expected["value"], expected["unit"])
    got = figure.value
    if expected["unit"] == "亩" and figure.unit == "平方米":
        got = figure.value / MU_IN_SQUARE_METRES
    return abs(got - want) <= max(abs(want), Decimal(1)) * Decimal("0.005")


def _score_figure(result: Score, audit: Audit, expected: dict[str, Any]) -> None:
    result.figures += 1
    found = next((f for f in audit.figures if _matches(f, expected)), None)
    where = f"{expected['doc']}: {expected['quote']}"
    if found is None:
        result.misses.append(where)
        return
    result.found += 1
    if not expected.get("subject"):
        return
    result.subjects += 1
    got = (found.subject or "").replace(" ", "")
    if got and (expected["subject"] in got or got in expected["subject"]):
        result.subjects_right += 1
    else:
        result.wrong_subjects.append(f"{where} → {found.subject!r}（应为{expected['subject']}）")


def _spans(text: str, needles: Iterable[str]) -> list[tuple[int, int]]:
    spans = []
    for needle in needles:
        at = text.find(needle)
        while at >= 0:
            spans.append((at, at + len(needle)))
            at = text.find(needle, at + 1)
    return spans


def _flag_spans(gold: GoldSet, doc: str) -> list[tuple[int, int]]:
    needles = [s for f in gold.findings if f["doc"] == doc and f["expect"] == "flag" for s in f["any_of"]]
    return _spans(gold.texts[doc], needles)


def _covers(audit: Audit, finding: Finding, spans: list[tuple[int, int]]) -> bool:
    places = [(audit.figures[i].start, audit.figures[i].end) for i in finding.figures]
    places += [finding.span] if finding.span else []
    return any(a < d and c < b for a, b in places for c, d in spans)


def _score_finding(result: Score, text: str, audit: Audit, expected: dict[str, Any]) -> None:
    result.findings += 1
    spans = _spans(text, expected["any_of"])
    if expected["expect"] == "flag":
        kept = any(f.severity in ("error", "warning") and _covers(audit, f, spans) for f in audit.findings)
    elif expected["expect"] == "no_error":
        kept = not any(f.severity == "error" and _covers(audit, f, spans) for f in audit.findings)
    else:
        kept = not any(f.severity == "error" for f in audit.findings)
    result.findings_kept += kept
    if not kept:
        result.lost_findings.append(f"{expected['doc']} {expected['expect']}: {expected['why']}")
