"""In the real browser, on a phone: a campaign's outputs (a repeat) added, deleted and filled row by row."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_login import log_in
from tests.conftest import Cast
from tests.registers.helpers import load
from tests.registers.repeats import campaign
from zhenwu.org.demo import DEMO_PASSWORD
from zhenwu.registers.models import RegisterRecord

pytestmark = pytest.mark.browser
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))


def test_a_grid_worker_adds_deletes_and_fills_a_repeats_rows_on_a_phone(
    cast: Cast, live_server: Any, browser: Any
) -> None:
    load(cast, campaign())
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 and "/static/" in r.url else None)
    log_in(page, live_server.url, "wangge01", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/registers/activities/new/")
    rows = page.locator("[data-repeat-rows] [data-repeat-row]")
    assert rows.count() == 1

    page.fill("input[name=day]", "2026-11-01")
    page.fill("input[name=title]", "爱国卫生集中清洁日")
    page.fill("input[name=people]", "45")
    page.click("[data-repeat-add]")
    page.click("[data-repeat-add]")
    assert rows.count() == 3
    assert page.input_value("input[name=outputs-TOTAL_FORMS]") == "3"
    # The middle row deleted: the last becomes the second, named and numbered again.
    rows.nth(1).locator("[data-repeat-delete]").click()
    assert rows.count() == 2 and page.input_value("input[name=outputs-TOTAL_FORMS]") == "2"
    assert rows.nth(1).locator("[data-row-number]").inner_text() == "2"
    assert rows.nth(1).locator("input[name=outputs-1-what]").count() == 1

    page.fill("input[name=outputs-0-what]", "清理垃圾")
    page.fill("input[name=outputs-0-qty]", "3.5")
    remark = rows.nth(0).locator("[data-name=outputs-0-remark]")
    assert remark.is_hidden()
    rows.nth(0).get_by_text("吨", exact=True).click()
    assert remark.is_visible()  # 清运去向 asked only for tons, in this row
    page.fill("input[name=outputs-0-remark]", "镇垃圾中转站")
    page.fill("input[name=outputs-1-what]", "发放宣传单")
    page.fill("input[name=outputs-1-qty]", "0")
    rows.nth(1).get_by_text("份", exact=True).click()
    assert rows.nth(1).locator("[data-name=outputs-1-remark]").is_hidden()
    page.screenshot(path=str(ARTIFACTS / "register-repeat-form-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    with page.expect_navigation():
        page.click("#record-form button.primary")
    assert not RegisterRecord.objects.exists()
    error = page.locator("[data-repeat-row]").nth(1).locator(".field-error")
    assert error.inner_text() == "产出第2项「数量」：数量须大于0"
    page.screenshot(path=str(ARTIFACTS / "register-repeat-error-390.png"), full_page=True)

    page.fill("input[name=outputs-1-qty]", "300")
    with page.expect_navigation():
        page.click("#record-form button.primary")
    record = RegisterRecord.objects.get(register__form_id="activities")
    assert page.url.endswith(f"/registers/records/{record.pk}/")
    assert [row["what"] for row in record.data["outputs"]] == ["清理垃圾", "发放宣传单"]
    assert record.data["outputs"][0]["remark"] == "镇垃圾中转站" and "remark" not in record.data["outputs"][1]
    assert page.locator("table.repeat-rows tbody tr").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "register-repeat-record-390.png"), full_page=True)
    assert not missing, missing
    context.close()


def test_a_repeat_asked_on_a_condition_shows_when_it_holds_and_sends_no_rows_when_not(
    cast: Cast, live_server: Any, browser: Any
) -> None:
    sheets = campaign()
    sheets["survey"].insert(4, ["select_one unit", "main_unit", "主要单位", "", "", "", "", ""])
    sheets["survey"][5][6] = "${main_unit} = 'ton'"
    load(cast, sheets)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    log_in(page, live_server.url, "wangge01", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/registers/activities/new/")
    repeat = page.locator("fieldset[data-repeat=outputs]")
    assert repeat.is_hidden()
    page.get_by_text("吨", exact=True).first.click()
    assert repeat.is_visible()
    page.get_by_text("份", exact=True).first.click()
    assert repeat.is_hidden()
    page.fill("input[name=day]", "2026-11-01")
    page.fill("input[name=title]", "宣传")
    with page.expect_navigation():
        page.click("#record-form button.primary")
    record = RegisterRecord.objects.get(register__form_id="activities")
    assert "outputs" not in record.data and record.data["main_unit"] == "copy"
    context.close()
