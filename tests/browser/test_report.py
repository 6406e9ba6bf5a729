"""The compiler chooses the half-year report in the browser, follows a figure to its records, and
downloads the Word document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest

from tests.browser.test_login import ARTIFACTS, log_in
from tests.demo_snapshot import load_demo
from zhenwu.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_the_half_year_report_is_previewed_traced_and_downloaded(
    transactional_db: None, live_server: Any, page: Any, tmp_path: Path
) -> None:
    load_demo()
    log_in(page, live_server.url, "admin", DEMO_PASSWORD)
    page.click("nav >> text=报告")
    page.select_option("#id_kind", "half-year")
    page.fill("#id_year", "2026")
    page.click("#report-choice button[type=submit]")
    page.wait_for_selector("#report-preview h1")
    # broken as printed
    assert page.inner_text("#report-preview h1") == "示范镇2026年上半年工作总结\n及下半年工作计划"
    assert page.locator("#report-preview a.figure").count() > 80
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-preview.png"), full_page=False)
    figure = page.locator("#report-preview a.figure").first
    figure.click()
    page.wait_for_load_state()
    assert "/indicators/" in page.url
    page.go_back()
    with page.expect_download() as download:
        page.click("#download-docx")
    path = tmp_path / "report.docx"
    download.value.save_as(path)
    assert docx.Document(str(path)).paragraphs[0].text == "示范镇2026年上半年工作总结\n及下半年工作计划"
