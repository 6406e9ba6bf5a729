"""The number-check page: paste or upload a report, see the figures marked and the findings beside."""

import io
import re

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast

WRONG_SHARE = "全镇粮食播种面积10000亩，其中水稻播种面积6000亩，占全镇的48.6%。"


def test_a_pasted_report_comes_back_with_its_figures_marked_and_the_error_shown(
    cast: Cast, client: Client
) -> None:
    client.force_login(cast.user("leader"))
    page = client.post(reverse("web:number-check"), {"text": WRONG_SHARE}).content.decode()
    assert '<mark class="fig error"' in page
    assert ">48.6%</mark>" in page
    assert "错误" in page and "60" in page  # the arithmetic: 6000 ÷ 10000 = 60%, not 48.6%


def test_an_uploaded_docx_is_read(cast: Cast, client: Client) -> None:
    document = docx.Document()
    document.add_paragraph(WRONG_SHARE)
    buffer = io.BytesIO()
    document.save(buffer)
    upload = SimpleUploadedFile("report.docx", buffer.getvalue())
    client.force_login(cast.user("cun01"))
    page = client.post(reverse("web:number-check"), {"upload": upload}).content.decode()
    assert ">10000亩</mark>" in page


def test_a_file_that_is_not_a_report_is_refused_in_chinese(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("cun01"))
    upload = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff")
    page = client.post(reverse("web:number-check"), {"upload": upload}).content.decode()
    assert "只能上传 .txt(UTF-8)或 .docx 文件" in page


def test_a_broken_docx_is_refused_in_chinese(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("cun01"))
    upload = SimpleUploadedFile("report.docx", b"not a zip")
    page = client.post(reverse("web:number-check"), {"upload": upload}).content.decode()
    assert "无法读取该 .docx 文件" in page


def test_an_empty_form_asks_for_a_report(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("cun01"))
    page = client.post(reverse("web:number-check"), {"text": "  "}).content.decode()
    assert "请粘贴报告全文或上传文件" in page


def test_text_with_markup_is_escaped(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("cun01"))
    page = client.post(
        reverse("web:number-check"), {"text": "<script>alert(1)</script>完成投资3亿元"}
    ).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_every_severity_the_page_shows_is_in_chinese(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("leader"))
    text = WRONG_SHARE + "完成固定资产投资xx亿元。"
    page = client.post(reverse("web:number-check"), {"text": text}).content.decode()
    shown = re.sub(r"<[^>]*>", " ", page)  # what a reader sees, without tags and their classes
    assert "错误" in shown and "警告" in shown
    assert not re.search(r"\b(error|warning|info)\b", shown)
    # a marked figure names its worst finding when hovered, in the same words
    assert re.search(r'<mark class="fig warning" id="fig-\d+" title="[^"]*· 警告"', page)


def test_each_finding_shows_the_relation_it_checked_and_how_sure_the_pairing_is(
    cast: Cast, client: Client
) -> None:
    client.force_login(cast.user("leader"))
    text = "财政收入完成1318万元，占全年任务2355万元的60%。兑付资金万元。"
    page = client.post(reverse("web:number-check"), {"text": text}).content.decode()
    assert "核对的关系：「1318万元」 ÷ 「2355万元」 = 「60%」（配对：文中明示）" in page
    assert "缺少数字：「兑付资金万元」" in page and "<blockquote>兑付资金万元。</blockquote>" in page
    assert page.count("涉及：") == 1  # the blank has no figure to list
