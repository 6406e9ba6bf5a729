"""The document model: a title and paragraphs made of text and figures, each figure with the computation
and the pages that show the records behind it. The renderers (.docx, HTML, Markdown) read only this model;
what it says comes from whoever composes it (a work report, a bulletin), never from records read here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from zhenwu.core.numbers import parse_quantity
from zhenwu.core.text import printable


class Style(StrEnum):
    TITLE = "title"
    BODY = "body"
    HEADING1 = "heading1"  # 一、 黑体
    HEADING2 = "heading2"  # （一） 楷体
    SIGNATURE = "signature"


@dataclass(frozen=True)
class Source:
    """A page that shows records behind a figure: a URL name with its arguments and query."""

    label: str
    route: str
    args: tuple[int | str, ...] = ()
    query: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Figure:
    """A number as the report writes it, its value, how it was computed and where it came from."""

    text: str
    value: Decimal | None
    how: str
    sources: tuple[Source, ...] = ()
    key: str = ""  # a stable name ("indicator:gdzctz:actual") to compare a draft's figures back
    # What it counts over which span ("households.benefit_paid:dibao@2026-01-01..2026-06-30"): two
    # figures of one measure are one figure, and must read the same wherever the report states them.
    measure: str = ""


Piece = str | Figure


@dataclass
class Paragraph:
    style: Style
    pieces: list[Piece] = field(default_factory=list)
    # a level-2 heading run in at the start of a body paragraph, as 公文 often writes "（一）…。正文"
    lead: str = ""

    @property
    def text(self) -> str:
        return self.lead + "".join(p if isinstance(p, str) else p.text for p in self.pieces)

    @property
    def figures(self) -> list[Figure]:
        return [p for p in self.pieces if isinstance(p, Figure)]


@dataclass(frozen=True)
class Table:
    """A table of text: a header row and rows of cells, each as it is printed."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Attachment:
    """An attachment (附件) printed after the document on a page of its own, named in the 附件说明 after
    the body (GB/T 9704-2012 7.3.4 and 7.3.7)."""

    title: str
    table: Table


@dataclass
class Document:
    title: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Plain text, one paragraph a line, title first: what the reader checks."""
        return "\n".join([self.title, *(p.text for p in self.paragraphs)])

    @property
    def figures(self) -> list[Figure]:
        return [f for p in self.paragraphs for f in p.figures]

    @property
    def issuer(self) -> str:
        """Who issues the document: the 发文机关署名 it signs with, or nobody."""
        return next((p.text for p in self.paragraphs if p.style == Style.SIGNATURE), "")

    @property
    def attachment_notes(self) -> list[str]:
        """The 附件说明 lines (GB/T 9704-2012 7.3.4): "附件：名称", or with several "附件：1．名称",
        "2．名称"."""
        titles = [a.title for a in self.attachments]
        if len(titles) == 1:
            return [f"附件：{titles[0]}"]
        return [("附件：" if n == 1 else "") + f"{n}．{title}" for n, title in enumerate(titles, start=1)]

    def attachment_label(self, n: int) -> str:
        """ "附件", or "附件2" when there are several: what heads the attachment's page."""
        return "附件" if len(self.attachments) == 1 else f"附件{n}"

    def measures(self) -> set[str]:
        return {f.measure for f in self.figures if f.measure}

    def measure_conflicts(self) -> list[tuple[Figure, Figure]]:
        """Pairs of figures of one measure that state different values: the report contradicts itself."""
        first: dict[str, Figure] = {}
        conflicts = []
        for figure in self.figures:
            if not figure.measure:
                continue
            seen = first.setdefault(figure.measure, figure)
            if _quantity(seen.text) != _quantity(figure.text):
                conflicts.append((seen, figure))
        return conflicts

    def add(self, style: Style, *pieces: Piece, lead: str = "") -> Paragraph:
        # Offices' narrative text stored before the door was checked may hold a bell or a direction
        # override: every renderer (Word, Markdown, HTML) gets it printable.
        kept = [printable(p) if isinstance(p, str) else p for p in pieces if p != ""]
        paragraph = Paragraph(style, kept, printable(lead))
        self.paragraphs.append(paragraph)
        return paragraph


def date_text(day: date) -> str:
    """ "2026年7月5日": how an official document writes a date, 成文日期 above all (GB/T 9704-2012 7.3.5.4:
    Arabic numerals, the year in full, no leading zero)."""
    return f"{day.year}年{day.month}月{day.day}日"


def _quantity(text: str) -> Decimal | None:
    """A figure's value as written, in its base unit: "33.68万元" and "336800元" are one amount."""
    parsed = parse_quantity(text)
    return parsed.value if parsed else None
