"""Check a returned draft against the data: read both with the report reader, pair their figures by
what they are about, and flag each figure of the draft whose value the data no longer gives.

A figure is paired by its anchor (the indicator or subject the sentence is about: the last amount,
count or rate before it in the same sentence), its own subject, its kind and its dimension, and its
rank among figures with the same four; so deleting a sentence does not shift the pairs of the others.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from zhenwu.documents.model import Document, Figure
from zhenwu.reader import Audit, Finding, analyse
from zhenwu.reader import Figure as ReadFigure

ANCHOR_KINDS = {"amount", "count", "rate"}
Key = tuple[str, str, str, str, int]


@dataclass(frozen=True)
class Mismatch:
    """A figure of the draft that disagrees with the data now."""

    about: str
    draft: str
    data: str
    figure: Figure | None  # the generated figure, with its computation and sources


@dataclass
class CheckBack:
    mismatches: list[Mismatch] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # the reader's own checks on the draft
    matched: int = 0
    unpaired: int = 0  # figures of the draft that the generated report does not state

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


def keyed(audit: Audit) -> dict[Key, ReadFigure]:
    found: dict[Key, ReadFigure] = {}
    seen: Counter[tuple[str, str, str, str]] = Counter()
    anchor, sentence = "", -1
    for figure in audit.figures:
        if figure.sentence != sentence:
            anchor, sentence = "", figure.sentence
        subject = figure.subject or ""
        if figure.kind in ANCHOR_KINDS and subject:
            anchor = subject
        base = (anchor, subject, str(figure.kind), figure.dimension)
        found[(*base, seen[base])] = figure
        seen[base] += 1
    return found


def _model_figures(document: Document, audit: Audit) -> dict[int, Figure]:
    """Which generated figure each figure the reader found in the generated text is (by offset)."""
    spans: list[tuple[int, int, Figure]] = []
    offset = len(document.title) + 1
    for paragraph in document.paragraphs:
        position = offset + len(paragraph.lead)
        for piece in paragraph.pieces:
            text = piece if isinstance(piece, str) else piece.text
            if isinstance(piece, Figure):
                spans.append((position, position + len(text), piece))
            position += len(text)
        offset += len(paragraph.text) + 1
    found: dict[int, Figure] = {}
    for read in audit.figures:
        for start, end, figure in spans:
            if start <= read.start < end:
                found[read.id] = figure
                break
    return found


def check_back(document: Document, draft_text: str) -> CheckBack:
    """Compare the figures of an edited draft with the figures the data gives now."""
    ours = analyse(document.text)
    theirs = analyse(draft_text)
    by_key, generated = keyed(ours), _model_figures(document, ours)
    result = CheckBack(findings=list(theirs.findings))
    for key, figure in keyed(theirs).items():
        data = by_key.get(key)
        if data is None:
            result.unpaired += 1
            continue
        if figure.value == data.value and figure.unit == data.unit:
            result.matched += 1
            continue
        about = " ".join(dict.fromkeys(part for part in key[:2] if part))
        result.mismatches.append(Mismatch(about, figure.text, data.text, generated.get(data.id)))
    return result
