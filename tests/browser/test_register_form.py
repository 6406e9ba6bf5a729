"""In the real browser, on a phone: wangge01 fills a register's form built from its definition."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_login import log_in
from tests.conftest import Cast
from tests.registers.helpers import load
from tests.registers.test_entry import inspection
from zhenwu.org.demo import DEMO_PASSWORD
from zhenwu.registers.models import RegisterRecord

pytestmark = pytest.mark.browser
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))


def test_a_grid_worker_fills_a_register_form_on_a_phone(
    cast: Cast, live_server: Any, browser: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    load(cast, inspection())
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        geolocation={"latitude": 30.5201, "longitude": 114.3102},
        permissions=["geolocation"],
    )
    page = context.new_page()
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 and "/static/" in r.url else None)
    log_in(page, live_server.url, "wangge01", DEMO_PASSWORD)

    page.goto(f"{live_server.url}/registers/inspections/")
    page.click("#new-record")
    page.wait_for_load_state()
    problem = page.locator("[data-name=problem]")
    assert problem.is_hidden()  # shown only when the state is 有问题
    page.screenshot(path=str(ARTIFACTS / "register-form-empty-390.png"), full_page=True)

    page.fill("input[name=code]", "AB123")
    page.get_by_text("有问题", exact=True).click()
    assert problem.is_visible()
    page.fill("input[name=problem]", "井盖缺失")
    page.fill("input[name=people]", "3")
    page.select_option("select[name=town]", label="片区7")
    page.get_by_text("消防", exact=True).click()
    page.click("[data-locate]")
    page.wait_for_function("document.querySelector('input[name=spot_0]').value !== ''")
    assert page.input_value("input[name=spot_0]") == "30.520100"
    page.screenshot(path=str(ARTIFACTS / "register-form-filled-390.png"), full_page=True)
    # Nothing runs off the side of a phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    with page.expect_navigation():
        page.click("#record-form button[type=submit]")
    record = RegisterRecord.objects.get(register__form_id="inspections")
    assert page.url.endswith(f"/registers/records/{record.pk}/")
    assert "已新增“现场检查”记录" in page.content() and "井盖缺失" in page.content()
    assert record.data["spot"] == "30.520100 114.310200" and record.data["state"] == "bad"
    page.screenshot(path=str(ARTIFACTS / "register-record-saved-390.png"), full_page=True)
    assert not missing, missing  # the form's own script and style were served

    # The list, narrowed to the chosen state, with the record and its export link.
    page.goto(f"{live_server.url}/registers/inspections/")
    page.select_option("select[name=choice]", label="现场状态：有问题")
    with page.expect_navigation():
        page.click("#record-filters button[type=submit]")
    assert f"/registers/records/{record.pk}/" in page.content() and "choice=state%3Dbad" in page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "register-list-filtered-390.png"), full_page=True)
    context.close()


def test_a_grid_worker_picks_a_lamp_by_part_of_its_number_on_a_phone(
    cast: Cast, live_server: Any, browser: Any
) -> None:
    """Among many lamps, wangge01 types part of a number, picks the lamp from the matches and marks it
    broken; a lamp of another grid is never offered."""
    from playwright.sync_api import expect

    from tests.registers.books import patrols
    from tests.registers.helpers import lamp_at, register_in

    lamps = {
        number: lamp_at(cast, cast.grid0101, number).thing for number in ("0121", "0122", "0123", "0456")
    }
    lamp_at(cast, cast.grid0102, "0124")  # another grid's
    register_in(cast, cast.township, patrols())
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    log_in(page, live_server.url, "wangge01", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/registers/lamp_patrols/new/")

    box = page.locator("input[name=lamp]")
    box.click()
    box.press_sequentially("012", delay=50)
    options = page.locator(".thing-choices [role=option]")
    expect(options).to_have_count(3)  # the matches of "012", after those of the empty box
    assert options.all_inner_texts() == [
        f"路灯0121（0121）\n{cast.grid0101.name}",
        f"路灯0122（0122）\n{cast.grid0101.name}",
        f"路灯0123（0123）\n{cast.grid0101.name}",
    ]
    page.screenshot(path=str(ARTIFACTS / "register-thing-picker-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    options.nth(2).click()
    assert box.input_value() == "0123" and page.locator(".thing-choices").is_hidden()
    assert "已选：路灯0123（0123）" in page.locator(".thing-status").inner_text()
    page.get_by_text("损坏", exact=True).click()
    page.screenshot(path=str(ARTIFACTS / "register-thing-picked-390.png"), full_page=True)

    with page.expect_navigation():
        page.click("#record-form button[type=submit]")
    assert "已新增“路灯巡查”记录" in page.content()
    chosen = lamps["0123"]
    assert chosen is not None
    chosen.refresh_from_db()
    assert chosen.properties["status"] == "broken"
    assert all(t is not None and t.properties["status"] == "normal" for n, t in lamps.items() if n != "0123")
    context.close()
