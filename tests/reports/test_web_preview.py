"""The web page: choose kind, unit and year; the preview links each figure to its records; the
download is the GB/T 9704 .docx."""

from __future__ import annotations

import re
from io import BytesIO

import docx
import pytest
from django.test import Client

from zhenwu.org.models import User
from zhenwu.web.downloads import DOCX

pytestmark = pytest.mark.usefixtures("full_demo")

QUERY = "?org=990101001&kind=half-year&year=2026"


@pytest.fixture
def admin_client(db: None, client: Client) -> Client:
    client.force_login(User.objects.get(username="admin"))
    return client


def test_the_preview_links_every_figure_to_the_page_of_its_records(admin_client: Client) -> None:
    page = admin_client.get(f"/reports/{QUERY}").content.decode()
    assert "<h1>示范镇2026年上半年工作总结<br>及下半年工作计划</h1>" in page  # broken as printed
    links = re.findall(r'<a class="figure" href="([^"]+)" title="([^"]+)">', page)
    assert len(links) > 80
    targets = {href.split("?")[0].split("/")[1] for href, _ in links}
    assert {"indicators", "projects", "cases", "households"} <= targets
    assert '<span class="figure"' not in page  # no figure of the report without the page of its records
    for href, _ in links[:40:7]:
        assert admin_client.get(href.replace("&amp;", "&")).status_code == 200, href


def test_the_download_is_a_docx_named_after_the_report(admin_client: Client) -> None:
    response = admin_client.get(f"/reports/download/{QUERY}&format=docx")
    assert response["Content-Type"] == DOCX
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    document = docx.Document(BytesIO(response.content))
    assert document.paragraphs[0].text == "示范镇2026年上半年工作总结\n及下半年工作计划"


def test_the_menu_has_a_reports_entry(admin_client: Client) -> None:
    page = admin_client.get("/reports/").content.decode()
    assert 'href="/reports/"' in page and "报告" in page


def test_the_preview_ends_with_the_issuer_over_todays_date_and_then_the_attachment(
    admin_client: Client,
) -> None:
    page = admin_client.get(f"/reports/{QUERY}").content.decode()
    notes = '<p class="attachment-note">附件：主要经济指标完成情况表</p>\n'
    signature = (
        '<div class="signature"><p>示范镇</p><p>2026年11月18日</p></div>\n<section class="attachment">'
    )
    assert notes + signature in page
    assert (
        ".report-preview div.signature { width: fit-content; margin: 3.8em 4em 0 auto; text-align: center; }"
        in page
    )


def test_a_report_of_a_span_not_yet_begun_is_refused_with_a_message(admin_client: Client) -> None:
    page = admin_client.get("/reports/?org=990101001&kind=annual&year=2027")
    assert page.status_code == 200
    assert "2027年度尚未开始，还不能生成报告。" in page.content.decode()
    download = admin_client.get("/reports/download/?org=990101001&kind=annual&year=2027&format=docx")
    assert download.status_code == 404
