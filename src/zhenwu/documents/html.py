"""A document as HTML: the body the web preview places in its page, with each figure linked to its
records, and a standalone page for download."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from .model import Document, Figure, Paragraph, Source, Style

Link = Callable[[Source], str]
# 署名 and 成文日期 sit right, two characters in, a blank line below the text (GB/T 9704-2012 7.3.5.3)
SIGNATURE_CSS = (
    "<style>p.signature { text-align: right; padding-right: 2em; margin: 0; }"
    " p:not(.signature) + p.signature { margin-top: 1.9em; }</style>"
)


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


def html_body(document: Document, link: Link | None = None) -> str:
    tags = {Style.HEADING1: "h2", Style.HEADING2: "h3"}
    parts = [f"<h1>{escape(document.title)}</h1>"]
    for paragraph in document.paragraphs:
        tag = tags.get(paragraph.style, "p")
        attributes = ' class="signature"' if paragraph.style == Style.SIGNATURE else ""
        parts.append(f"<{tag}{attributes}>{_pieces_html(paragraph, link)}</{tag}>")
    return "\n".join(parts)


def html(document: Document) -> str:
    return (
        '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(document.title)}</title>{SIGNATURE_CSS}</head>"
        f"<body>\n{html_body(document)}\n</body></html>\n"
    )
