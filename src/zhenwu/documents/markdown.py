"""A document as Markdown."""

from __future__ import annotations

from html import escape

from .model import Document, Style


def markdown(document: Document) -> str:
    lines = [f"# {document.title}", ""]
    for paragraph in document.paragraphs:
        if paragraph.style == Style.HEADING1:
            lines.append(f"## {paragraph.text}")
        elif paragraph.style == Style.HEADING2:
            lines.append(f"### {paragraph.text}")
        elif paragraph.style == Style.SIGNATURE:
            lines.append(f'<p align="right">{escape(paragraph.text)}</p>')
        else:
            lead = f"**{paragraph.lead}**" if paragraph.lead else ""
            lines.append(lead + paragraph.text[len(paragraph.lead) :])
        lines.append("")
    return "\n".join(lines)
