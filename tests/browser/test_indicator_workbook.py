"""A township admin imports the 指标台账 on a phone: upload, read the preview, confirm."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from tests.browser.test_login import ARTIFACTS, log_in
from tests.fixtures.township import make_indicators
from tests.indicators.workbook_helpers import book, build_hekou, months
from zhenwu.indicators.models import Value

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def test_the_admin_imports_the_workbook_on_a_phone(live_server: Any, browser: Any, tmp_path: Path) -> None:
    hekou = build_hekou()
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True)
    page = context.new_page()
    log_in(page, live_server.url, hekou.admin.username, "correct-horse-battery")
    page.goto(f"{live_server.url}{reverse('indicators:workbook-import')}?org={hekou.township.code}")
    assert page.locator("#workbook-template").is_visible()
    page.set_input_files("#id_file", str(make_indicators.FILE))
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#upload-preview")
    assert "数值新增 408" in page.inner_text("#upload-preview")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the preview must not scroll sideways on a phone"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "indicator-workbook-preview.png"), full_page=True)
    page.click("#upload-preview button[type=submit]")
    page.wait_for_selector("text=指标台账：指标新增")
    assert Value.objects.filter(indicator__township=hekou.township).count() == 408
    page.screenshot(path=str(ARTIFACTS / "indicator-workbook-done.png"), full_page=True)
    bad = tmp_path / "有错的台账.xlsx"
    bad.write_bytes(
        book(values=[["河口镇", "固定资产投资", "亿元", *months(1)], ["月亮村", "税收收入", None, 1]])
    )
    page.set_input_files("#id_file", str(bad))
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#upload-errors")
    assert page.locator("#upload-errors li").count() == 2
    page.screenshot(path=str(ARTIFACTS / "indicator-workbook-errors.png"), full_page=True)
    context.close()
