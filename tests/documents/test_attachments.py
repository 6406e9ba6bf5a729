"""An attachment: named in the 附件说明 a blank line below the text (GB/T 9704-2012 7.3.4), and printed
after the signature on a page of its own, "附件" in 黑体 at the top left, its title centred on the third
line, then its table (7.3.7). Read back from the .docx, the HTML and the Markdown."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from zhenwu.documents.docx import render
from zhenwu.documents.html import html
from zhenwu.documents.markdown import markdown
from zhenwu.documents.model import Attachment, Document, Style, Table

TABLE = Table(
    ("序号", "指标", "单位", "全年任务", "上半年完成"),
    (("1", "固定资产投资", "亿元", "9.6", "4.98"), ("2", "政务信息公开", "条", "260", "未报")),
)


def signed(*attachments: Attachment) -> Document:
    model = Document("示范镇2026年上半年工作总结及下半年工作计划")
    model.add(Style.BODY, "上半年，示范镇经济社会发展总体平稳。")
    model.add(Style.SIGNATURE, "示范镇")
    model.add(Style.SIGNATURE, "2026年7月5日")
    model.attachments.extend(attachments)
    return model


@pytest.fixture
def produced() -> Any:
    return docx.Document(BytesIO(render(signed(Attachment("主要经济指标完成情况表", TABLE)))))


def fonts_of(run: Any) -> dict[str, str]:
    found = run._r.find(qn("w:rPr")).find(qn("w:rFonts"))
    return {key.split("}")[1]: value for key, value in found.attrib.items()}


def test_the_note_follows_the_text_a_line_below_two_characters_in_before_the_signature(produced: Any) -> None:
    texts = [p.text for p in produced.paragraphs]
    assert texts[1:5] == [
        "上半年，示范镇经济社会发展总体平稳。",
        "附件：主要经济指标完成情况表",
        "示范镇",
        "2026年7月5日",
    ]
    note = produced.paragraphs[2]
    assert note.paragraph_format.space_before == Pt(28.95)  # 正文下空一行
    # 左空二字, and a name that runs on lines up under its first character: three characters ("附件：") in
    assert note.paragraph_format.left_indent == Pt(16 * 5)
    assert note.paragraph_format.first_line_indent == -Pt(16 * 3)
    ind = note._p.pPr.find(qn("w:ind"))
    assert (ind.get(qn("w:leftChars")), ind.get(qn("w:hangingChars"))) == ("500", "300")
    assert ind.get(qn("w:firstLineChars")) is None
    assert fonts_of(note.runs[0])["eastAsia"] == "仿宋_GB2312"


def test_the_attachment_starts_a_page_with_fujian_in_heiti_at_the_top_left(produced: Any) -> None:
    label, title = produced.paragraphs[5:7]
    assert label.text == "附件" and label.paragraph_format.page_break_before
    assert label.paragraph_format.first_line_indent == 0 and label.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert label._p.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "0"
    assert fonts_of(label.runs[0])["eastAsia"] == "黑体"
    # the title in the document title's style, centred, a blank line below 附件: on the third line
    assert title.text == "主要经济指标完成情况表" and title.style.name == "公文标题"
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.paragraph_format.space_before == Pt(28.95)


def test_the_table_follows_its_title_with_the_header_repeated_on_every_page(produced: Any) -> None:
    (table,) = produced.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows == [list(TABLE.headers), *map(list, TABLE.rows)]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    header, first = table.rows[0].cells, table.rows[1].cells
    assert fonts_of(header[1].paragraphs[0].runs[0])["eastAsia"] == "黑体"
    assert fonts_of(first[1].paragraphs[0].runs[0])["eastAsia"] == "仿宋_GB2312"
    assert first[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT  # a name
    assert first[3].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT  # a number
    assert table.rows[2].cells[4].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER  # 未报
    # the columns fill the 156 mm text block, the indicator's name widest
    widths = [column.width for column in table.columns]
    assert abs(sum(widths) / 36000 - 156) < 0.5 and max(widths) == widths[1]
    body = produced.element.body
    assert body.index(table._tbl) > body.index(produced.paragraphs[6]._p)


def test_several_attachments_are_numbered_in_the_note_and_on_their_pages() -> None:
    model = signed(Attachment("主要经济指标完成情况表", TABLE), Attachment("重点项目推进情况表", TABLE))
    assert model.attachment_notes == ["附件：1．主要经济指标完成情况表", "2．重点项目推进情况表"]
    produced = docx.Document(BytesIO(render(model)))
    texts = [p.text for p in produced.paragraphs]
    assert texts[2:4] == model.attachment_notes
    assert "附件1" in texts and "附件2" in texts and len(produced.tables) == 2
    second = produced.paragraphs[3]
    # "2．" under "1．": five characters in, and its name under the first name
    assert second.paragraph_format.left_indent == Pt(16 * 6.5)
    assert second.paragraph_format.first_line_indent == -Pt(16 * 1.5)


def test_html_and_markdown_carry_the_note_the_signature_and_the_table() -> None:
    model = signed(Attachment("主要经济指标完成情况表", TABLE))
    page = html(model)
    assert (
        '<p class="attachment-note">附件：主要经济指标完成情况表</p>\n'
        '<div class="signature"><p>示范镇</p><p>2026年7月5日</p></div>\n'
        '<section class="attachment">\n<p class="attachment-label">附件</p>\n'
        '<p class="attachment-title">主要经济指标完成情况表</p>\n'
        '<table class="attachment-table"><thead><tr><th>序号</th>'
    ) in page
    assert "<td>固定资产投资</td><td>亿元</td><td>9.6</td><td>4.98</td>" in page
    assert "<h1>示范镇2026年上半年工作总结<br>及下半年工作计划</h1>" in page
    text = markdown(model)
    assert "附件：主要经济指标完成情况表\n\n" in text
    assert (
        "**附件**\n\n### 主要经济指标完成情况表\n\n"
        "| 序号 | 指标 | 单位 | 全年任务 | 上半年完成 |\n|---|---|---|---|---|\n"
    ) in text
    assert text.endswith("| 2 | 政务信息公开 | 条 | 260 | 未报 |\n")


def test_a_document_without_attachments_has_no_note() -> None:
    produced = docx.Document(BytesIO(render(signed())))
    assert [p.text for p in produced.paragraphs][1:] == [
        "上半年，示范镇经济社会发展总体平稳。",
        "示范镇",
        "2026年7月5日",
    ]
    assert "attachment" not in html(signed()).split("</style>")[1]
