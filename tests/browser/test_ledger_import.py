"""In the real browser at phone width: the township admin checks a hazard ledger, sees its faults by row
and column, fixes it, and confirms the import; the cases are there with their real dates."""

from __future__ import annotations

import os
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from tests.browser.test_login import log_in
from tests.cases.test_ledger_import import HEAD
from tests.conftest import Cast
from zhenwu.cases import catalog
from zhenwu.cases.models import Case
from zhenwu.org.demo import DEMO_PASSWORD
from zhenwu.workcalendar import demo as calendar_demo

pytestmark = pytest.mark.browser
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))


def ledger_file(tmp_path: Path, village: str, bad: bool) -> Path:
    book = Workbook()
    book.active.append(HEAD)
    for n in range(1, 4):
        resolved = date(2026, 4, 2) if not (bad and n == 2) else None
        category = "台风" if bad and n == 3 else "六小场所"
        book.active.append([
            f"AQ-{n:03d}", f"第{n}处小餐馆灭火器过期", category, "日常排查", village, "", "", "", "", "",
            date(2026, 3, 10), date(2026, 3, 11), resolved, None, "已办结", "已整改",
        ])  # fmt: skip
    out = BytesIO()
    book.save(out)
    path = tmp_path / ("有错的台账.xlsx" if bad else "安全隐患台账.xlsx")
    path.write_bytes(out.getvalue())
    return path


def test_the_admin_checks_and_imports_a_hazard_ledger_on_a_phone(
    cast: Cast, live_server: Any, browser: Any, tmp_path: Path
) -> None:
    calendar_demo.load()
    catalog.install()
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    log_in(page, live_server.url, "admin", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/cases/")
    page.click("text=导入台账")
    page.select_option("#id_case_type", label="安全隐患排查整治")
    page.set_input_files("#id_file", str(ledger_file(tmp_path, cast.village01.name, bad=True)))
    page.click("button[name=check]")
    report = page.inner_text("#import-report")
    assert "发现2处错误，未写入任何数据" in report
    assert "第3行「办结日期」：状态为「已办结」，须填写办结日期。" in report
    assert "第4行「类别」" in report
    page.screenshot(path=str(ARTIFACTS / "ledger-import-errors-phone.png"), full_page=True)

    page.select_option("#id_case_type", label="安全隐患排查整治")
    page.set_input_files("#id_file", str(ledger_file(tmp_path, cast.village01.name, bad=False)))
    page.click("button[name=check]")
    assert "检查通过：3行，将新增3件" in page.inner_text("#import-report")
    assert not Case.objects.exists()
    page.screenshot(path=str(ARTIFACTS / "ledger-import-checked-phone.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at phone width ({width}px)"
    page.click("button[name=confirm]")
    assert "已导入：3件" in page.inner_text("#import-report")
    assert Case.objects.filter(imported_at__isnull=False).count() == 3
    page.screenshot(path=str(ARTIFACTS / "ledger-import-done-phone.png"), full_page=True)
    case = Case.objects.get(ledger_number="AQ-001")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    assert "原编号 AQ-001" in page.inner_text("#case-imported")
    assert "2026-03-10" in page.inner_text("#case-facts")
    assert "(台账导入)" in page.inner_text("body")
    page.screenshot(path=str(ARTIFACTS / "ledger-imported-case-phone.png"), full_page=True)
    context.close()
