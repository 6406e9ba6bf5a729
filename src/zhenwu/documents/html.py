"""A document as HTML: the body the web preview places in its page, with each figure linked to its
records, and a standalone page for download."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from .model import Attachment, Document, Figure, Paragraph, Source, Style
from .titles import title_lines

Link = Callable[[Source], str]
# The layout of the .docx where it says something to a reader: the 附件说明 a blank line below the text,
# the date four characters in from the right with the issuer centred over it (GB/T 9704-2012 7.3.5.1),
# each attachment on a new page when printed.
DOCUMENT_CSS = """<style>
p.attachment-note { margin: 1.9em 0 0; padding-left: 5em; text-indent: -3em; }
div.signature { width: fit-content; margin: 3.8em 4em 0 auto; text-align: center; }
div.signature p { margin: 0; text-indent: 0; }
section.attachment { break-before: page; margin-top: 3em; }
p.attachment-label { font-family: sans-serif; text-indent: 0; }
p.attachment-title { text-align: center; font-size: 1.4em; text-indent: 0; }
table.attachment-table { border-collapse: collapse; width: 100%; }
table.attachment-table th, table.attachment-table td { border: 1px solid; padding: .2em .4em; }
</style>"""


def _pieces_html(paragraph: Paragraph, link: Link | None) -> str:
    out = [f"<strong>{escape(paragraph.lead)}</strong>"] if paragraph.lead else []
    for piece in paragraph.pieces:
        if isinstance(piece, Figure):
            title = escape(piece.how)
            if link is not None and piece.sources:
                out.append(f'<a class="figure" href="{escape(link(piece.sources[0]))}" title="{title}">'
                           f"{escape(piece.text)}</a>")  # fmt: skip
            else:
                out.append(f'<span class="figure" title="{title}">{escape(piece.text)}</span>')
        else:
            out.append(escape(piece))
    return "".join(out)


def _title(title: str) -> str:
    """The title broken where the printed one is."""
    return "<br>".join(escape(line) for line in title_lines(title))


def _attachment(label: str, attachment: Attachment) -> str:
    table = attachment.table
    head = "".join(f"<th>{escape(cell)}</th>" for cell in table.headers)
    rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in table.rows)
    return (
        f'<section class="attachment">\n<p class="attachment-label">{escape(label)}</p>\n'
        f'<p class="attachment-title">{_title(attachment.title)}</p>\n'
        f'<table class="attachment-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>\n'
        "</section>"
    )


def html_body(document: Document, link: Link | None = None) -> str:
    tags = {Style.HEADING1: "h2", Style.HEADING2: "h3"}
    parts = [f"<h1>{_title(document.title)}</h1>"]
    signature = []
    for paragraph in document.paragraphs:
        if paragraph.style == Style.SIGNATURE:
            signature.append(f"<p>{_pieces_html(paragraph, link)}</p>")
            continue
        tag = tags.get(paragraph.style, "p")
        parts.append(f"<{tag}>{_pieces_html(paragraph, link)}</{tag}>")
    if document.attachments:
        parts += [f'<p class="attachment-note">{escape(note)}</p>' for note in document.attachment_notes]
    if signature:
        parts.append('<div class="signature">' + "".join(signature) + "</div>")
    for n, attachment in enumerate(document.attachments, start=1):
        parts.append(_attachment(document.attachment_label(n), attachment))
    return "\n".join(parts)


def html(document: Document) -> str:
    return (
        '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(document.title)}</title>\n{DOCUMENT_CSS}</head>"
        f"<body>\n{html_body(document)}\n</body></html>\n"
    )
