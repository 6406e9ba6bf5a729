"""The .docx follows GB/T 9704-2012: read back from the file, not from what we meant to write."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from zhenwu.documents.docx import render
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


def test_the_title_is_22pt_xiaobiaosong_centred(produced: Any) -> None:
    title = produced.paragraphs[0]
    assert title.text == "示范镇2026年上半年工作总结及下半年工作计划"
    assert title.style.font.size == Pt(22)
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert fonts_of(title.runs[0]._r)["eastAsia"] == "方正小标宋简体"


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


def test_the_issuer_and_the_date_end_the_document_right_aligned_in_fangsong_after_a_blank_line(
    produced: Any,
) -> None:
    *_, body, issuer, day = produced.paragraphs
    assert (body.text, issuer.text, day.text) == ("（二）一段引领的标题。正文。", "示范镇", "2026年12月2日")
    for line in (issuer, day):
        assert line.alignment == WD_ALIGN_PARAGRAPH.RIGHT and line.paragraph_format.first_line_indent == 0
        assert line.style.font.size == Pt(16) and fonts_of(line.runs[0]._r)["eastAsia"] == "仿宋_GB2312"
    assert issuer.paragraph_format.space_before == Pt(28.95)  # a blank line below the text
    # GB/T 9704 7.3.5.3: the date (6.5 characters: numerals are half wide) two characters in from the
    # right, and the issuer's first character two characters left of the date's
    assert day.paragraph_format.right_indent == Pt(32)
    assert issuer.paragraph_format.right_indent == Pt(16 * 7.5)
    assert issuer._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")) == "750"


def test_a_long_issuer_sits_two_characters_in_and_the_date_starts_two_characters_after_it() -> None:
    model = Document("标题")
    model.add(Style.SIGNATURE, "中共示范镇委员会示范镇人民政府")
    model.add(Style.SIGNATURE, "2026年12月2日")
    *_, issuer, day = docx.Document(BytesIO(render(model))).paragraphs
    assert issuer.paragraph_format.right_indent == Pt(32)
    assert day.paragraph_format.right_indent == Pt(16 * 8.5)  # 15 − 6.5 characters
