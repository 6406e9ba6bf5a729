"""A document as a GB/T 9704-2012 (党政机关公文格式) Word document.

A4, margins 37/35/28/26 mm (a 156 × 225 mm text block), 22 lines of 28 characters: exact line
spacing of 28.95 pt and a document grid. Title 2号 方正小标宋简体 centred, broken into lines at its sense
boundaries (`titles`); body 3号 仿宋_GB2312 with a two-character first-line indent; "一、" 黑体, "（一）"
楷体_GB2312. The 附件说明 a blank line below the text; 署名 and 成文日期 in the body's font, laid out for
the seal (7.3.5.1); each attachment on a page of its own. Page numbers 4号 宋体 "— 1 —", odd pages right
and even pages left, one character in.

python-docx writes only the Latin font names and leaves the theme fonts in place, and Word then shows
its own Chinese font: every style's and run's rFonts gets w:eastAsia and loses its theme attributes.
The text is marked Chinese, the font table says what each official font is (`fonts`), and the core
properties name the issuer and the title instead of python-docx.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from io import BytesIO
from itertools import pairwise
from typing import Any

from docx import Document as new_document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from zhenwu.core.text import printable

from . import fonts
from .model import Attachment, Document, Paragraph, Style
from .titles import text_width, title_lines

TITLE_FONT = fonts.TITLE
BODY_FONT = fonts.BODY
HEADING1_FONT = fonts.HEADING1
HEADING2_FONT = fonts.HEADING2
PAGE_NUMBER_FONT = fonts.PAGE_NUMBER
BODY_SIZE = Pt(16)  # 3号
TITLE_SIZE = Pt(22)  # 2号
PAGE_NUMBER_SIZE = Pt(14)  # 4号
TABLE_SIZE = Pt(12)  # 小四, so that a table of figures fits the 156 mm text block
TABLE_AREA_MM = 156
EMPTY_CELLS = ("—", "未报")  # a cell with no figure in it, centred
CELL_PADDING = 1.0  # a cell's margins, in characters of 小四: 0.19 cm on each side
LINE_PITCH = Pt(28.95)  # 225 mm ÷ 22 lines
LINE_PITCH_TWIPS = 579
# 156 mm ÷ 28 characters = 15.79 pt a character: 16 pt characters condensed by 0.25 pt fit 28 to a
# line. A character grid would say the same to Word, but LibreOffice gives a 16 pt character two
# 15.79 pt cells, so the grid is a line grid and the characters are condensed.
CONDENSE_TWENTIETHS = -5
THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
# 7.3.5.1: the date four characters in from the right, the issuer centred over it, and the seal pressing
# on both with its top within a line of the text. A township's seal is about 42 mm across, four lines:
# two blank lines put the issuer and the date just below its centre.
DATE_RIGHT_CHARACTERS = 4
LINES_ABOVE_SIGNATURE = 2
AUTOSPACE = 0.25  # the space both put between Chinese and numerals, in characters
NOTE_PREFIX = re.compile(r"(附件：)?([0-9]+．)?")
NUMBER = re.compile(r"[-+]?[0-9][0-9,]*(\.[0-9]+)?%?")

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
    named = r_pr.find(qn("w:rFonts"))
    if named is None:
        named = OxmlElement("w:rFonts")
        r_pr.insert(0, named)
    for attribute in THEME_ATTRIBUTES:
        named.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        named.set(qn(attribute), font)


def _strip_theme_fonts(document: Any) -> None:
    """The template's defaults and built-in styles name theme fonts: name 仿宋 in their place."""
    for named in document.styles.element.iter(qn("w:rFonts")):
        for attribute in THEME_ATTRIBUTES:
            named.attrib.pop(qn(attribute), None)
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            if named.get(qn(attribute)) is None:
                named.set(qn(attribute), BODY_FONT)


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
    snap = OxmlElement("w:snapToGrid", {qn("w:val"): "0"})  # or LibreOffice gives each line two of 28.95
    title.element.get_or_add_pPr().insert_element_before(snap, "w:spacing", "w:ind", "w:jc", "w:outlineLvl")
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


def _chinese(document: Any) -> None:
    """Mark the Chinese text Chinese (the template says English): Word checks it as Chinese, and
    LibreOffice asks for a simplified Chinese face where a font is missing. Numerals and Latin letters stay
    English, or LibreOffice breaks lines inside "1.73亿元" as Chinese text may break anywhere."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = r_pr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        r_pr.append(language)
    language.set(qn("w:val"), "en-US")
    language.set(qn("w:eastAsia"), "zh-CN")


def _font_table(document: Any) -> None:
    """Say in word/fontTable.xml what each official font is, for a machine that lacks it: its English
    name, the GB2312 character set and its class (serif, sans or script), from which Word and WPS choose
    a font that stands in."""
    part = next(r.target_part for r in document.part.rels.values() if r.reltype.endswith("/fontTable"))
    table = parse_xml(part.blob)
    known = {font.get(qn("w:name")) for font in table.iterchildren(qn("w:font"))}
    for official in fonts.OFFICIAL_FONTS:
        if official.name in known:
            continue
        font = OxmlElement("w:font", {qn("w:name"): official.name})
        table.append(font)
        for tag, value in (
            ("w:altName", ",".join(official.other_names)),
            ("w:charset", fonts.GB2312_CHARSET),
            ("w:family", official.word_family),
            ("w:pitch", "variable"),
        ):
            font.append(OxmlElement(tag, {qn("w:val"): value}))
    # python-docx keeps the font table as bytes it does not parse: the bytes are replaced
    part._blob = serialize_part_xml(table)


def official_document() -> Any:
    """A blank GB/T 9704 document (page, styles, page numbers, fonts): every zhenwu .docx starts from it,
    a report rendered from the model and a bulletin or notice written with the helpers below alike."""
    document = new_document()
    _page(document)
    _styles(document)
    _chinese(document)
    _font_table(document)
    _footers(document)
    return document


def add_title(document: Any, text: str) -> Any:
    """The title centred in 2号 小标宋, broken into lines at its sense boundaries (line breaks, one
    paragraph)."""
    title = document.add_paragraph(style=document.styles[STYLE_NAMES[Style.TITLE]])
    run = title.add_run()
    set_fonts(run._r, TITLE_FONT)
    for n, line in enumerate(title_lines(printable(text))):
        if n:
            run.add_break()
        run.add_text(line)
    return title


def add_text(document: Any, text: str, style: Style = Style.BODY) -> Any:
    """A paragraph in the body, a level-1 or a level-2 heading style, with its Chinese font."""
    return _paragraph(document, Paragraph(style, [text]))


def _no_first_line_indent(paragraph: Any) -> Any:
    """Undo the body's two-character indent: Word reads the characters, LibreOffice the points."""
    paragraph.paragraph_format.first_line_indent = Pt(0)
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), "0")
    return ind


def printed_width(text: str) -> float:
    """Width in characters as Word and LibreOffice print a line: a numeral is half a character, and a
    quarter of one is added where Chinese meets numerals ("2026年12月2日" is 7.75 characters wide)."""
    meetings = sum(1 for a, b in pairwise(text) if a.isascii() != b.isascii())
    return text_width(text) + AUTOSPACE * meetings


def signature_indents(issuer: str, day: str) -> tuple[float, float]:
    """Right indents in characters of the 署名 and the 成文日期 of a sealed document (GB/T 9704-2012
    7.3.5.1): the date four characters in from the right, and the issuer centred over the date; an
    issuer too long for that reaches the right edge and no further."""
    day_right = float(DATE_RIGHT_CHARACTERS)
    issuer_right = day_right + (printed_width(day) - printed_width(issuer)) / 2
    return max(0.0, issuer_right), day_right


def add_signature(document: Any, issuer: str, day: str) -> list[Any]:
    """The issuing unit's name centred over the date, the date four characters in from the right, two
    blank lines below the text (or the 附件说明) for the seal."""
    lines = []
    for text, indent in zip((issuer, day), signature_indents(issuer, day), strict=True):
        line = document.add_paragraph(style=document.styles[STYLE_NAMES[Style.SIGNATURE]])
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        ind = _no_first_line_indent(line)
        line.paragraph_format.right_indent = Pt(BODY_SIZE.pt * indent)
        ind.set(qn("w:rightChars"), str(round(indent * 100)))  # Word keeps characters whatever the grid
        _run(line, text, BODY_FONT)
        lines.append(line)
    lines[0].paragraph_format.space_before = Pt(LINE_PITCH.pt * LINES_ABOVE_SIGNATURE)
    return lines


def add_attachment_notes(document: Any, notes: list[str]) -> list[Any]:
    """附件说明 (GB/T 9704-2012 7.3.4): a blank line below the text, two characters in, "附件：" and the
    name; a name that runs on is aligned with its first character."""
    out = []
    for note in notes:
        paragraph = document.add_paragraph(style=document.styles[STYLE_NAMES[Style.BODY]])
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        prefix = NOTE_PREFIX.match(note)
        assert prefix is not None  # every part of the prefix may be absent
        start = 2 if prefix.group(1) else 2 + text_width("附件：")  # "2．" under "1．"
        hanging = text_width(prefix.group())
        ind = _no_first_line_indent(paragraph)
        del ind.attrib[qn("w:firstLineChars")]  # a hanging indent in its place
        paragraph.paragraph_format.left_indent = Pt(BODY_SIZE.pt * (start + hanging))
        paragraph.paragraph_format.first_line_indent = Pt(-BODY_SIZE.pt * hanging)
        ind.set(qn("w:leftChars"), str(round((start + hanging) * 100)))
        ind.set(qn("w:hangingChars"), str(round(hanging * 100)))
        _run(paragraph, note, BODY_FONT)
        out.append(paragraph)
    if out:
        out[0].paragraph_format.space_before = LINE_PITCH
    return out


def add_attachment(document: Any, label: str, attachment: Attachment) -> None:
    """An attachment on a page of its own (GB/T 9704-2012 7.3.7): "附件" in 3号 黑体 at the top left of
    the first line, its title centred on the third, then its table."""
    head = document.add_paragraph(style=document.styles[STYLE_NAMES[Style.BODY]])
    head.alignment = WD_ALIGN_PARAGRAPH.LEFT
    head.paragraph_format.page_break_before = True
    _no_first_line_indent(head)
    _run(head, label, HEADING1_FONT)
    title = add_title(document, attachment.title)
    title.paragraph_format.space_before = LINE_PITCH
    table = attachment.table
    add_table(document, list(table.headers), [list(row) for row in table.rows])


def _column_widths(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[float]:
    """Each column's share of the text block: as wide as its longest cell (a long header on two lines)
    when the table fits, else the columns that can wrap give way in proportion, a number never and a
    header down to three lines."""
    room = TABLE_AREA_MM / (TABLE_SIZE.pt * 25.4 / 72)  # characters of 小四 across the text block
    natural, least = [], []
    for n, header in enumerate(headers):
        cells = [printable(str(row[n])) for row in rows]
        longest = max((text_width(cell) for cell in cells), default=0.0)
        head = text_width(header)
        numeric = all(NUMBER.fullmatch(cell) or cell in EMPTY_CELLS for cell in cells)
        natural.append(max(longest, head if head <= 4 else head / 2) + CELL_PADDING)
        # a numeral is drawn a little wider than half a character, and "%" wider still
        wraps = longest + 0.5 if numeric else min(longest, max(4.0, longest / 2))
        least.append(max(wraps, min(head, max(2.0, head / 3))) + CELL_PADDING)
    excess, slack = sum(natural) - room, sum(natural) - sum(least)
    if excess > 0:
        give = min(1.0, excess / slack) if slack else 0.0
        natural = [wide - (wide - narrow) * give for wide, narrow in zip(natural, least, strict=True)]
    return [width / sum(natural) for width in natural]


def add_table(document: Any, headers: list[str], rows: list[list[object]]) -> Any:
    """A grid table in 小四 as wide as the text block: the header row in 黑体 centred (and repeated on
    every page), cells in 仿宋, numbers right, single-spaced and without the body's first-line indent."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    header_row = table.rows[0]._tr.get_or_add_trPr()
    header_row.append(OxmlElement("w:tblHeader"))
    lines: list[tuple[Any, Sequence[object]]] = [(table.rows[0].cells, headers)]
    lines += [(table.add_row().cells, row) for row in rows]
    widths = [Mm(TABLE_AREA_MM * share) for share in _column_widths(headers, rows)]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid LibreOffice lays out by; Word reads each cell's
    for n, (cells, values) in enumerate(lines):
        for cell, value, width in zip(cells, values, widths, strict=True):
            cell.width = width
            text = printable(str(value))
            paragraph = cell.paragraphs[0]
            _no_first_line_indent(paragraph)
            # single lines of 小四, off the body's 28.95 pt grid
            paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            paragraph._p.get_or_add_pPr().insert_element_before(
                OxmlElement("w:snapToGrid", {qn("w:val"): "0"}), "w:spacing", "w:ind", "w:jc"
            )
            if n == 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            else:
                paragraph.alignment = (
                    WD_ALIGN_PARAGRAPH.RIGHT
                    if NUMBER.fullmatch(text)
                    else WD_ALIGN_PARAGRAPH.CENTER
                    if text in EMPTY_CELLS
                    else WD_ALIGN_PARAGRAPH.LEFT
                )
            run = paragraph.add_run(text)
            run.font.size = TABLE_SIZE
            set_fonts(run._r, HEADING1_FONT if n == 0 else BODY_FONT)
    return table


def to_bytes(document: Any) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _core_properties(document: Any, model: Document) -> None:
    """The file's author is its issuer and its title the document's, not python-docx's defaults."""
    properties = document.core_properties
    properties.author = properties.last_modified_by = model.issuer
    properties.title = model.title
    properties.comments = properties.subject = properties.keywords = properties.category = ""
    properties.language = "zh-CN"
    properties.created = properties.modified = datetime.now(UTC).replace(microsecond=0)
    properties.revision = 1


def render(model: Document) -> bytes:
    """The .docx bytes of a document: its title and text, the 附件说明, the signature, the attachments."""
    document = official_document()
    add_title(document, model.title)
    text = [_paragraph(document, p) for p in model.paragraphs if p.style != Style.SIGNATURE]
    notes = add_attachment_notes(document, model.attachment_notes if model.attachments else [])
    signature = [p.text for p in model.paragraphs if p.style == Style.SIGNATURE]
    if signature:
        issuer, day = signature  # a report signs with its unit and the day it was generated
        lines = add_signature(document, issuer, day)
        # The seal is never alone on a page: the end of the text goes over with the signature.
        for paragraph in [*text[-1:], *notes, lines[0]]:
            paragraph.paragraph_format.keep_with_next = True
    for n, attachment in enumerate(model.attachments, start=1):
        add_attachment(document, model.attachment_label(n), attachment)
    _core_properties(document, model)
    return to_bytes(document)
