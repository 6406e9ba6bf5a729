"""In the real browser, on a phone: a village clerk downloads a register's template, fills it, sees a
wrong row named, then imports the list after the check."""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.browser.test_login import log_in
from tests.conftest import Cast
from tests.registers.books import lamps
from tests.registers.helpers import load
from zhenwu.org.demo import DEMO_PASSWORD
from zhenwu.registers import workbook
from zhenwu.registers.models import Thing

pytestmark = pytest.mark.browser
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))


def filled(template: bytes, rows: list[list[Any]], path: Path) -> Path:
    book = load_workbook(BytesIO(template))
    sheet = book[workbook.SHEET]
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=workbook.FIRST_DATA_ROW + offset, column=column, value=value)
    book.save(path)
    return path


def test_a_village_clerk_imports_a_lamp_list_from_excel(
    cast: Cast, live_server: Any, browser: Any, tmp_path: Path
) -> None:
    load(cast, lamps())
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    log_in(page, live_server.url, "cun01", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/registers/lamps/")
    page.click("#import-records")
    page.wait_for_load_state()
    with page.expect_download() as download:
        page.click("#download-template")
    template = Path(download.value.path()).read_bytes()

    here = cast.village01.name
    wrong = filled(template, [[here, "0001", "正常"], [here, "12", "正常"]], tmp_path / "wrong.xlsx")
    page.set_input_files("#id_file", str(wrong))
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "第5行「路灯编号」列：编号应为4位数字" in page.content()
    page.screenshot(path=str(ARTIFACTS / "register-import-error-390.png"), full_page=True)

    right = filled(template, [[here, "0001", "正常"], [here, "0002", "损坏"]], tmp_path / "right.xlsx")
    page.set_input_files("#id_file", str(right))
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "检查通过：共 2 条记录" in page.content() and not Thing.objects.exists()
    page.screenshot(path=str(ARTIFACTS / "register-import-checked-390.png"), full_page=True)
    with page.expect_navigation():
        page.click("#confirm-import")
    assert "2条记录。" in page.inner_text(".messages") and page.url.endswith("/registers/lamps/")
    assert sorted(Thing.objects.values_list("identity", flat=True)) == ["0001", "0002"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "register-import-done-390.png"), full_page=True)
    context.close()
