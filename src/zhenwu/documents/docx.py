"""A document as a GB/T 9704-2012 (党政机关公文格式) Word document.

A4, margins 37/35/28/26 mm (a 156 × 225 mm text block), 22 lines of 28 characters: exact line
spacing of 28.95 pt and a document grid. Title 2号 方正小标宋简体 centred; body 3号 仿宋_GB2312 with a
two-character first-line indent; "一、" 黑体, "（一）" 楷体_GB2312. 署名 and 成文日期 in the body's font,
right, a blank line below the text. Page numbers 4号 宋体 "— 1 —", odd pages right and even pages left,
one character in.

python-docx writes only the Latin font names and leaves the theme fonts in place, and Word then shows
its own Chinese font: every style's and run's rFonts gets w:eastAsia and loses its theme attributes.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any

from docx import Document as new_document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from zhenwu.core.text import printable

from .model import Document, Paragraph, Style

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
BODY_SIZE = Pt(16)  # 3号
TITLE_SIZE = Pt(22)  # 2号
PAGE_NUMBER_SIZE = Pt(14)  # 4号
TABLE_SIZE = Pt(12)  # 小四, so that a table of figures fits the 156 mm text block
LINE_PITCH = Pt(28.95)  # 225 mm ÷ 22 lines
LINE_PITCH_TWIPS = 579
# 156 mm ÷ 28 characters = 15.79 pt a character: 16 pt characters condensed by 0.25 pt fit 28 to a
# line. A character grid would say the same to Word, but LibreOffice gives a 16 pt character two
# 15.79 pt cells, so the grid is a line grid and the characters are condensed.
CONDENSE_TWENTIETHS = -5
THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")

STYLE_NAMES = {
    Style.TITLE: "公文标题",
    Style.HEADING1: "一级标题",
    Style.HEADING2: "二级标题",
    Style.BODY: "Normal",
    Style.SIGNATURE: "Normal",
}


def set_fonts(element: Any, font: str) -> None:
    """Name `font` for Latin, East Asian and complex script text, and drop theme font references."""
    r_pr = element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attribute in THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), font)


def _strip_theme_fonts(document: Any) -> None:
    """The template's defaults and built-in styles name theme fonts: name 仿宋 in their place."""
    for fonts in document.styles.element.iter(qn("w:rFonts")):
        for attribute in THEME_ATTRIBUTES:
            fonts.attrib.pop(qn(attribute), None)
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            if fonts.get(qn(attribute)) is None:
                fonts.set(qn(attribute), BODY_FONT)


def _page(document: Any) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(24)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))


def _body_format(style: Any) -> None:
    paragraph = style.paragraph_format
    paragraph.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.line_spacing = LINE_PITCH
    paragraph.space_before = paragraph.space_after = Pt(0)
    paragraph.widow_control = False


def _indent_two_characters(style: Any) -> None:
    style.paragraph_format.first_line_indent = BODY_SIZE * 2
    indent = style.element.get_or_add_pPr().get_or_add_ind()
    indent.set(qn("w:firstLineChars"), "200")  # Word keeps two characters whatever the grid


def _outline(style: Any, level: int) -> None:
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(level))
    style.element.get_or_add_pPr().append(outline)


def _styles(document: Any) -> None:
    _strip_theme_fonts(document)
    normal = document.styles["Normal"]
    normal.font.size = BODY_SIZE
    set_fonts(normal.element, BODY_FONT)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CONDENSE_TWENTIETHS))
    normal.element.get_or_add_rPr().append(spacing)
    _body_format(normal)
    _indent_two_characters(normal)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    title = document.styles.add_style(STYLE_NAMES[Style.TITLE], WD_STYLE_TYPE.PARAGRAPH)
    title.base_style = normal
    title.font.size = TITLE_SIZE
    set_fonts(title.element, TITLE_FONT)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    title.element.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "0")
    title.paragraph_format.line_spacing = Pt(36)  # a 22 pt title does not fit a 28.95 pt line
    title.paragraph_format.space_after = LINE_PITCH
    _outline(title, 0)

    for style_key, font, level in ((Style.HEADING1, HEADING1_FONT, 1), (Style.HEADING2, HEADING2_FONT, 2)):
        heading = document.styles.add_style(STYLE_NAMES[style_key], WD_STYLE_TYPE.PARAGRAPH)
        heading.base_style = normal
        heading.font.size = BODY_SIZE
        set_fonts(heading.element, font)
        heading.paragraph_format.keep_with_next = True
        _outline(heading, level)

    footer = document.styles["Footer"]
    footer.font.size = PAGE_NUMBER_SIZE
    set_fonts(footer.element, PAGE_NUMBER_FONT)
    footer.paragraph_format.first_line_indent = Pt(0)
    footer.element.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "0")
    footer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE


def _field(run: Any, instruction: str) -> None:
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == instruction:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def _page_number(paragraph: Any, align: Any) -> None:
    """'— 1 —' in 4号 宋体, one character in from the side it sits on."""
    paragraph.style = (
        paragraph.part.document.styles["Footer"] if hasattr(paragraph.part, "document") else "Footer"
    )
    paragraph.alignment = align
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = PAGE_NUMBER_SIZE
    else:
        paragraph.paragraph_format.left_indent = PAGE_NUMBER_SIZE
    for part in ("— ", None, " —"):
        run = paragraph.add_run(part or "")
        run.font.size = PAGE_NUMBER_SIZE
        set_fonts(run._r, PAGE_NUMBER_FONT)
        if part is None:
            _field(run, "PAGE")


def _footers(document: Any) -> None:
    settings = document.settings.element
    if settings.find(qn("w:evenAndOddHeaders")) is None:
        settings.append(OxmlElement("w:evenAndOddHeaders"))
    section = document.sections[0]
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _paragraph(document: Any, paragraph: Paragraph) -> Any:
    out = document.add_paragraph(style=document.styles[STYLE_NAMES[paragraph.style]])
    if paragraph.style == Style.SIGNATURE:
        out.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if paragraph.lead:
        _run(out, paragraph.lead, HEADING2_FONT)
    body = "".join(p if isinstance(p, str) else p.text for p in paragraph.pieces)
    font = {Style.HEADING1: HEADING1_FONT, Style.HEADING2: HEADING2_FONT}.get(paragraph.style, BODY_FONT)
    _run(out, body, font)
    return out


def _run(paragraph: Any, text: str, font: str) -> None:
    # Text stored before the door was checked may hold characters Word's XML refuses.
    run = paragraph.add_run(printable(text))
    set_fonts(run._r, font)


def official_document() -> Any:
    """A blank GB/T 9704 document (page, styles, page numbers): every zhenwu .docx starts from it, a
    report rendered from the model and a bulletin or notice written with the helpers below alike."""
    document = new_document()
    _page(document)
    _styles(document)
    _footers(document)
    return document


def add_title(document: Any, text: str) -> Any:
    title = document.add_paragraph(style=document.styles[STYLE_NAMES[Style.TITLE]])
    _run(title, text, TITLE_FONT)
    return title


def add_text(document: Any, text: str, style: Style = Style.BODY) -> Any:
    """A paragraph in the body, a level-1 or a level-2 heading style, with its Chinese font."""
    return _paragraph(document, Paragraph(style, [text]))


def text_width(text: str) -> float:
    """Width in body characters: an Arabic numeral or Latin letter is half a Chinese character."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def signature_indents(issuer: str, day: str) -> tuple[float, float]:
    """Right indents in characters of the 署名 and the 成文日期 (GB/T 9704-2012 7.3.5.3): the issuer two
    characters in from the right and the date starting two characters right of the issuer's start; a
    date that would then come nearer the edge than two characters sits two in, and the issuer moves left
    with it."""
    issuer_width, day_width = text_width(issuer), text_width(day)
    day_right = max(2.0, issuer_width - day_width)
    return day_right + day_width + 2 - issuer_width, day_right


def add_signature(document: Any, issuer: str, day: str) -> list[Any]:
    """The issuing unit's name and the date, right, after a blank line."""
    lines = []
    for text, indent in zip((issuer, day), signature_indents(issuer, day), strict=True):
        line = document.add_paragraph(style=document.styles[STYLE_NAMES[Style.SIGNATURE]])
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        line.paragraph_format.first_line_indent = Pt(0)
        line.paragraph_format.right_indent = Pt(BODY_SIZE.pt * indent)
        ind = line._p.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:firstLineChars"), "0")
        ind.set(qn("w:rightChars"), str(round(indent * 100)))  # Word keeps characters whatever the grid
        _run(line, text, BODY_FONT)
        lines.append(line)
    lines[0].paragraph_format.space_before = LINE_PITCH
    return lines


def add_table(document: Any, headers: list[str], rows: list[list[object]]) -> Any:
    """A plain grid table in 仿宋, 小四, single-spaced and without the body's first-line indent."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    lines: list[tuple[Any, Sequence[object]]] = [(table.rows[0].cells, headers)]
    lines += [(table.add_row().cells, row) for row in rows]
    for cells, values in lines:
        for cell, value in zip(cells, values, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.first_line_indent = Pt(0)
            paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            run = paragraph.add_run(printable(str(value)))
            run.font.size = TABLE_SIZE
            set_fonts(run._r, BODY_FONT)
    return table


def to_bytes(document: Any) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render(model: Document) -> bytes:
    """The .docx bytes of a document."""
    document = official_document()
    add_title(document, model.title)
    for paragraph in model.paragraphs:
        if paragraph.style != Style.SIGNATURE:
            _paragraph(document, paragraph)
    signature = [p.text for p in model.paragraphs if p.style == Style.SIGNATURE]
    if signature:
        issuer, day = signature  # a report signs with its unit and the day it was generated
        add_signature(document, issuer, day)
    return to_bytes(document)
