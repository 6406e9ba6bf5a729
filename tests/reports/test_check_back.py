"""An edited draft uploaded again: figures that no longer match the data are flagged, with the
data's figure and its source; figures the compiler left alone match; the reader's checks run."""

from __future__ import annotations

from io import BytesIO

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhenwu.documents.docx import render
from zhenwu.documents.model import Document
from zhenwu.org.models import User
from zhenwu.reader import analyse
from zhenwu.reports import services
from zhenwu.reports.checkback import check_back
from zhenwu.reports.kinds import spec_for

pytestmark = pytest.mark.usefixtures("full_demo")


@pytest.fixture
def report(db: None) -> Document:
    admin = User.objects.get(username="admin")
    return services.compiled_report(admin, services.find_unit(admin, "示范镇"), spec_for("half-year", 2026))


def edited_docx(report: Document, old: str, new: str) -> bytes:
    document = docx.Document(BytesIO(render(report)))
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if old in run.text:
                run.text = run.text.replace(old, new)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_an_unchanged_draft_matches_every_figure(report: Document) -> None:
    result = check_back(report, report.text)
    assert result.mismatches == [] and result.errors == []
    assert result.matched == len(analyse(report.text).figures) > 100 and result.unpaired == 0


def test_a_changed_figure_is_flagged_and_deleting_a_sentence_shifts_nothing(report: Document) -> None:
    invest = next(f for f in report.figures if f.key == "indicator:gdzctz:actual")
    resolved = next(f for f in report.figures if f.key == "cases:resolved")
    industry = next(p for p in report.paragraphs if "工业投资完成" in p.text).text
    sentence = industry[industry.index("工业投资完成") :].split("；")[0] + "；"
    text = report.text.replace(f"固定资产投资完成{invest.text}", "固定资产投资完成9.99亿元")
    text = text.replace(f"已办结{resolved.text}", "已办结1件").replace(sentence, "")
    result = check_back(report, text)
    flagged = {(m.draft, m.data, m.figure.key if m.figure else "") for m in result.mismatches}
    assert flagged == {("9.99亿元", invest.text, invest.key), ("1件", resolved.text, resolved.key)}


def test_the_upload_page_flags_figures_and_links_the_datas_figure(
    db: None, client: Client, report: Document
) -> None:
    client.force_login(User.objects.get(username="admin"))
    invest = next(f for f in report.figures if f.key == "indicator:gdzctz:actual")
    upload = SimpleUploadedFile(
        "修改稿.docx", edited_docx(report, f"固定资产投资完成{invest.text}", "固定资产投资完成9.99亿元")
    )
    data = {"kind": "half-year", "year": 2026, "draft": upload}
    page = client.post("/reports/check/?org=990101001", data).content.decode()
    assert "与数据不符 <strong>1</strong>" in page
    assert "9.99亿元" in page and f">{invest.text}</a>" in page


def test_a_file_that_is_not_a_docx_is_refused_with_a_message(db: None, client: Client) -> None:
    client.force_login(User.objects.get(username="admin"))
    upload = SimpleUploadedFile("报告.pdf", b"%PDF-1.4")
    page = client.post("/reports/check/?org=990101001", {"kind": "half-year", "year": 2026, "draft": upload})
    assert "请上传 .docx 文件" in page.content.decode()


def test_an_edited_count_of_monitored_people_is_named_by_its_whole_subject(report: Document) -> None:
    households = next(f for f in report.figures if f.key == "households.monitored")
    people = next(f for f in report.figures if f.key == "households.monitored:people")
    stated = f"共有防返贫监测对象{households.text}{people.text}"
    assert stated in report.text
    edited = "48人" if people.text != "48人" else "49人"
    result = check_back(report, report.text.replace(stated, f"共有防返贫监测对象{households.text}{edited}"))
    [mismatch] = result.mismatches
    assert (mismatch.draft, mismatch.data) == (edited, people.text)
    assert mismatch.about == "防返贫监测对象"


def test_the_upload_page_names_the_severity_of_each_finding_in_chinese(
    db: None, client: Client, report: Document
) -> None:
    client.force_login(User.objects.get(username="admin"))
    invest = next(f for f in report.figures if f.key == "indicator:gdzctz:actual")
    upload = SimpleUploadedFile(
        "修改稿.docx", edited_docx(report, f"固定资产投资完成{invest.text}", "固定资产投资完成xx亿元")
    )
    page = client.post("/reports/check/?org=990101001", {"kind": "half-year", "year": 2026, "draft": upload})
    findings = page.content.decode().split("<h3>核数检查</h3>", 1)[1]
    assert ">警告</span>" in findings
    assert ">warning<" not in findings and ">error<" not in findings and ">info<" not in findings
