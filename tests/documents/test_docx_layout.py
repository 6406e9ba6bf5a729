"""The .docx follows GB/T 9704-2012: read back from the file, not from what we meant to write."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from zhenwu.documents.docx import add_table, official_document, render
from zhenwu.documents.model import Document, Figure, Style


@pytest.fixture
def produced() -> Any:
    model = Document("示范镇2026年上半年工作总结及下半年工作计划")
    model.add(Style.BODY, "上半年，示范镇经济社会发展总体平稳。")
    model.add(Style.HEADING1, "一、工作成效")
    model.add(Style.HEADING2, "（一）主要指标完成情况")
    model.add(Style.BODY, "固定资产投资完成", Figure("4.90亿元", None, "累计值"), "。")
    model.add(Style.BODY, "正文。", lead="（二）一段引领的标题。")
    model.add(Style.SIGNATURE, "示范镇")
    model.add(Style.SIGNATURE, "2026年12月2日")
    return docx.Document(BytesIO(render(model)))


def mm(length: int) -> float:
    """Word stores lengths in twips: compare to a tenth of a millimetre."""
    return round(length / Mm(1), 1)


def fonts_of(element: Any) -> dict[str, str]:
    found = element.find(qn("w:rPr")).find(qn("w:rFonts"))
    return {key.split("}")[1]: value for key, value in found.attrib.items()}


def test_the_page_is_a4_with_the_gb_margins(produced: Any) -> None:
    section = produced.sections[0]
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (37, 35)
    assert (mm(section.left_margin), mm(section.right_margin)) == (28, 26)
    assert mm(section.page_width - section.left_margin - section.right_margin) == 156
    assert mm(section.page_height - section.top_margin - section.bottom_margin) == 225


def test_a_document_grid_gives_22_lines_of_28_characters(produced: Any) -> None:
    grid = produced.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    assert grid.get(qn("w:linePitch")) == "579"  # 28.95 pt × 20
    condensed = produced.styles["Normal"].element.rPr.find(qn("w:spacing")).get(qn("w:val"))
    advance = 16 + int(condensed) / 20
    assert int(156 / 25.4 * 72 // advance) == 28


def test_the_title_is_22pt_xiaobiaosong_centred_in_two_lines_broken_before_ji(produced: Any) -> None:
    title = produced.paragraphs[0]
    assert title.text == "示范镇2026年上半年工作总结\n及下半年工作计划"
    (run,) = title.runs
    assert len(run._r.findall(qn("w:br"))) == 1  # a line break inside the one title paragraph
    assert title.style.font.size == Pt(22)
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert fonts_of(run._r)["eastAsia"] == "方正小标宋简体"
    # off the body's line grid, or LibreOffice gives each 36 pt line two lines of 28.95 pt
    assert title.style.element.pPr.find(qn("w:snapToGrid")).get(qn("w:val")) == "0"


def test_the_body_is_16pt_fangsong_with_two_characters_indent_and_exact_lines(produced: Any) -> None:
    body = produced.paragraphs[1]
    style = body.style
    assert style.name == "Normal" and style.font.size == Pt(16)
    assert fonts_of(style.element)["eastAsia"] == "仿宋_GB2312"
    assert fonts_of(body.runs[0]._r)["eastAsia"] == "仿宋_GB2312"
    assert style.paragraph_format.first_line_indent == Pt(32)
    assert style.element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    assert style.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert style.paragraph_format.line_spacing == Pt(28.95)


def test_level_one_headings_are_heiti_and_level_two_kaiti(produced: Any) -> None:
    heading1, heading2 = produced.paragraphs[2], produced.paragraphs[3]
    assert heading1.text == "一、工作成效" and fonts_of(heading1.runs[0]._r)["eastAsia"] == "黑体"
    assert fonts_of(heading1.style.element)["eastAsia"] == "黑体"
    assert heading2.text.startswith("（一）") and fonts_of(heading2.runs[0]._r)["eastAsia"] == "楷体_GB2312"
    lead, rest = produced.paragraphs[5].runs
    assert fonts_of(lead._r)["eastAsia"] == "楷体_GB2312" and fonts_of(rest._r)["eastAsia"] == "仿宋_GB2312"


def test_no_style_or_run_keeps_a_theme_font(produced: Any) -> None:
    parts = [produced.styles.element, produced.element, *(s.footer._element for s in produced.sections)]
    for part in parts:
        for fonts in part.iter(qn("w:rFonts")):
            assert not [k for k in fonts.attrib if "Theme" in k or "theme" in k], fonts.attrib
    for paragraph in produced.paragraphs:
        for run in paragraph.runs:
            assert "eastAsia" in fonts_of(run._r)


def test_page_numbers_are_songti_14pt_dashes_odd_right_even_left(produced: Any) -> None:
    assert produced.settings.element.find(qn("w:evenAndOddHeaders")) is not None
    section = produced.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert odd.paragraph_format.right_indent == Pt(14) and even.paragraph_format.left_indent == Pt(14)
    for footer in (odd, even):
        assert footer.text.startswith("— ") and footer.text.endswith(" —")
        assert "PAGE" in footer._p.xml
        for run in footer.runs:
            assert run.font.size == Pt(14) and fonts_of(run._r)["eastAsia"] == "宋体"


def test_the_issuer_is_centred_over_the_date_four_characters_in_two_lines_below_the_text(
    produced: Any,
) -> None:
    *_, body, issuer, day = produced.paragraphs
    assert (body.text, issuer.text, day.text) == ("（二）一段引领的标题。正文。", "示范镇", "2026年12月2日")
    for line in (issuer, day):
        assert line.alignment == WD_ALIGN_PARAGRAPH.RIGHT and line.paragraph_format.first_line_indent == 0
        assert line._p.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "0"
        assert line.style.font.size == Pt(16) and fonts_of(line.runs[0]._r)["eastAsia"] == "仿宋_GB2312"
    # GB/T 9704-2012 7.3.5.1, a sealed document: room for the seal, whose top is within a line of the text
    assert issuer.paragraph_format.space_before == Pt(28.95 * 2)
    # the date's right edge four characters in from the right margin
    assert day.paragraph_format.right_indent == Pt(16 * 4)
    assert day._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")) == "400"
    # the issuer centred over the date: the date prints 7.75 characters wide (6.5, and a quarter at each
    # of the five places where numerals meet Chinese), the issuer 3
    assert issuer.paragraph_format.right_indent == Pt(16 * (4 + (7.75 - 3) / 2))
    assert issuer._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")) == "638"
    # the end of the text goes over to the next page with the signature rather than leave the seal alone
    assert body.paragraph_format.keep_with_next and issuer.paragraph_format.keep_with_next


def test_an_issuer_wider_than_the_date_reaches_no_further_than_the_right_margin() -> None:
    model = Document("标题")
    model.add(Style.SIGNATURE, "中共示范镇委员会示范镇人民政府办公室")
    model.add(Style.SIGNATURE, "2026年7月5日")
    *_, issuer, day = docx.Document(BytesIO(render(model))).paragraphs
    assert (issuer.text, day.text) == ("中共示范镇委员会示范镇人民政府办公室", "2026年7月5日")
    assert issuer.paragraph_format.right_indent == 0
    assert day.paragraph_format.right_indent == Pt(64)


def test_a_table_cell_has_no_first_line_indent_for_word_either() -> None:
    document = official_document()
    table = add_table(document, ["指标", "完成"], [["固定资产投资", "4.98"]])
    for cell in table._cells:
        ind = cell.paragraphs[0]._p.pPr.find(qn("w:ind"))
        assert (
            ind.get(qn("w:firstLineChars")) == "0"
            and cell.paragraphs[0].paragraph_format.first_line_indent == 0
        )
