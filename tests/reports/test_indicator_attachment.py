"""The half-year report carries its indicators as an attachment, 主要经济指标完成情况表: one row per
indicator with the figures the sentences state, those not reported said so; the .docx names it after the
text and prints it after the signature."""

from __future__ import annotations

from io import BytesIO

import docx
import pytest

from zhenwu.documents.docx import render
from zhenwu.documents.model import Document
from zhenwu.indicators.models import Indicator
from zhenwu.org.models import OrgUnit, User
from zhenwu.reports import services
from zhenwu.reports.kinds import spec_for

pytestmark = pytest.mark.usefixtures("full_demo")


@pytest.fixture
def report(db: None) -> Document:
    admin = User.objects.get(username="admin")
    return services.compiled_report(admin, services.find_unit(admin, "示范镇"), spec_for("half-year", 2026))


def test_the_attachment_has_a_row_for_every_indicator_of_the_township(report: Document) -> None:
    (attachment,) = report.attachments
    assert attachment.title == "主要经济指标完成情况表"
    table = attachment.table
    assert table.headers == (
        "序号", "指标", "单位", "全年任务", "上半年完成", "占全年任务", "同比增减", "较序时进度(百分点)"
    )  # fmt: skip
    township = OrgUnit.objects.get(name="示范镇")
    names = [row[1] for row in table.rows]
    assert len(names) == len(set(names)) == Indicator.objects.filter(township=township, active=True).count()
    assert [row[0] for row in table.rows] == [str(n) for n in range(1, len(names) + 1)]


def test_a_row_states_the_figures_the_sentence_states(report: Document) -> None:
    rows = {row[1]: row for row in report.attachments[0].table.rows}
    figures = {f.key: f.text for f in report.figures}
    invest = rows["固定资产投资"]
    assert invest[2] == "亿元" and f"{invest[4]}亿元" == figures["indicator:gdzctz:actual"]
    assert invest[5] == figures["indicator:gdzctz:completion"]
    assert figures["indicator:gdzctz:yoy"] == f"同比增长{invest[6]}"
    assert f"{invest[7]}个百分点" == figures["indicator:gdzctz:gap"]


def test_an_indicator_not_reported_is_said_to_be_so_not_left_out(report: Document) -> None:
    stated = {f.key.split(":")[1] for f in report.figures if f.key.endswith(":actual")}
    unreported = [row for row in report.attachments[0].table.rows if row[4] == "未报"]
    for row in unreported:
        assert row[5:] == ("—", "—", "—")
    codes = dict(Indicator.objects.values_list("name", "code"))
    assert {codes[row[1]] for row in unreported}.isdisjoint(stated)
    assert len(unreported) + len(stated) == len(report.attachments[0].table.rows)


def test_the_docx_names_the_attachment_after_the_text_and_prints_it_after_the_signature(
    report: Document,
) -> None:
    produced = docx.Document(BytesIO(render(report)))
    texts = [p.text for p in produced.paragraphs]
    at = texts.index("附件：主要经济指标完成情况表")
    assert texts[at + 1 : at + 5] == ["示范镇", "2026年11月18日", "附件", "主要经济指标完成情况表"]
    (table,) = produced.tables
    assert len(table.rows) == len(report.attachments[0].table.rows) + 1
    assert [cell.text for cell in table.rows[1].cells] == list(report.attachments[0].table.rows[0])
