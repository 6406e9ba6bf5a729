"""A document as Markdown."""

from __future__ import annotations

from html import escape

from .model import Attachment, Document, Style


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _attachment(label: str, attachment: Attachment) -> list[str]:
    table = attachment.table
    lines = [f"**{label}**", "", f"### {attachment.title}", ""]
    lines.append("| " + " | ".join(_cell(h) for h in table.headers) + " |")
    lines.append("|" + "---|" * len(table.headers))
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    return [*lines, ""]


def markdown(document: Document) -> str:
    lines = [f"# {document.title}", ""]
    signature = []
    for paragraph in document.paragraphs:
        if paragraph.style == Style.HEADING1:
            lines.append(f"## {paragraph.text}")
        elif paragraph.style == Style.HEADING2:
            lines.append(f"### {paragraph.text}")
        elif paragraph.style == Style.SIGNATURE:
            signature.append(f'<p align="right">{escape(paragraph.text)}</p>')
            continue
        else:
            lead = f"**{paragraph.lead}**" if paragraph.lead else ""
            lines.append(lead + paragraph.text[len(paragraph.lead) :])
        lines.append("")
    if document.attachments:
        lines += ["  \n".join(document.attachment_notes), ""]  # a hard break between names
    for line in signature:
        lines += [line, ""]
    for n, attachment in enumerate(document.attachments, start=1):
        lines += ["---", "", *_attachment(document.attachment_label(n), attachment)]
    return "\n".join(lines)
