"""The bulletin, the ranking and the rectification notice use the work reports' renderer: GB/T 9704
page, title in 方正小标宋, body in 仿宋 with its East Asian font set, page numbers in the footer."""

from io import BytesIO
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from tests.cases.test_figures import build
from tests.conftest import Cast


def official(content: bytes) -> Any:
    document = Document(BytesIO(content))
    section = document.sections[0]
    assert (round(section.top_margin / Mm(1)), round(section.left_margin / Mm(1))) == (37, 28)
    title = document.paragraphs[0]
    assert title.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert "PAGE" in section.footer._element.xml
    return document


def test_the_bulletin_and_ranking_are_official_documents(cast: Cast, types: dict, client: Client) -> None:
    build(cast)
    client.force_login(cast.user("leader"))
    day = {"date": timezone.localdate().isoformat(), "format": "docx"}
    bulletin = official(
        client.get(reverse("cases:bulletin", kwargs={"code": cast.township.code}), day).content
    )
    assert bulletin.paragraphs[0].text == "示范镇事件办理一周一通报"
    headings = [p for p in bulletin.paragraphs if p.text.startswith("一、")]
    assert headings and headings[0].runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    table_run = bulletin.tables[0].rows[1].cells[0].paragraphs[0].runs[0]
    assert table_run._r.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    ranking = client.get(reverse("cases:ranking", kwargs={"code": cast.township.code}), day)
    assert official(ranking.content).paragraphs[0].text == "示范镇事件办理一月一排名"
