"""In the real browser: a grid event from wangge01's phone report to its verified closure.

wangge01 reports it with a photo on the phone page, cun01 (the village) accepts it and assigns it back to
wangge01, wangge01 resolves it, and leader, someone other than the person who did the work, verifies it.
"""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.browser.test_login import log_in
from tests.conftest import Cast
from zhenwu.cases import catalog
from zhenwu.cases.models import Case
from zhenwu.org.demo import DEMO_PASSWORD
from zhenwu.workcalendar import demo as calendar_demo

pytestmark = pytest.mark.browser
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))


def png_bytes() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def act(page: Any, action: str, note: str = "") -> None:
    block = page.locator(f"details[data-action={action}]")
    block.locator("summary").click()
    if note:
        block.locator("textarea[name=note]").fill(note)
    with page.expect_navigation():
        block.locator("button[type=submit]").click()


def log_out(page: Any) -> None:
    if not page.locator("header .account button").is_visible():
        page.click("label.nav-toggle-label")  # on a phone 退出 is in the menu
    page.click("header .account button")
    page.wait_for_load_state()


def test_a_grid_event_goes_from_report_to_verified_closure_by_three_users(
    cast: Cast, live_server: Any, browser: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    calendar_demo.load()
    catalog.install()
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()

    # 1. wangge01 reports from the phone page: category, text, photo; the grid is filled in.
    log_in(page, live_server.url, "wangge01", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/cases/report/")
    assert cast.grid0101.name in page.inner_text("#quick-report")
    page.select_option("#id_category", label="环境卫生")
    page.fill("#id_description", "3组路口垃圾堆放两天未清运")
    page.set_input_files(
        "#id_photos", files=[{"name": "现场.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    with page.expect_navigation():
        page.click("#quick-report button[type=submit]")
    case = Case.objects.get()
    assert case.number in page.inner_text("#my-reports") and case.photos.count() == 1
    page.screenshot(path=str(ARTIFACTS / "case-1-wangge01-report.png"), full_page=True)
    log_out(page)

    # 2. cun01 accepts it and assigns it to wangge01 by name.
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url, "cun01", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    act(page, "accept")
    assert "受理" in page.inner_text("#case-state")
    block = page.locator("details[data-action=assign]")
    block.locator("summary").click()
    block.locator("select[name=assignee]").select_option(label="吴网格")
    with page.expect_navigation():
        block.locator("button[type=submit]").click()
    assert "已分派" in page.inner_text("#case-state")
    log_out(page)

    # 3. wangge01 resolves it.
    log_in(page, live_server.url, "wangge01", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    act(page, "resolve", "已联系保洁员清运完毕")
    assert "办结" in page.inner_text("#case-state")
    assert page.locator("details[data-action=verify]").count() == 0  # the one who did it cannot close it
    log_out(page)

    # 4. leader verifies the closure.
    log_in(page, live_server.url, "leader", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    act(page, "verify")
    assert "核查销号" in page.inner_text("#case-state")
    events = page.locator("#case-events tbody tr td:nth-child(2)").all_inner_texts()
    assert events == ["上报", "受理", "分派", "办结", "核查销号"]
    actors = page.locator("#case-events tbody tr td:nth-child(4)").all_inner_texts()
    assert set(actors) == {"吴网格", "李东岗", "钱镇长"}
    page.screenshot(path=str(ARTIFACTS / "case-2-leader-verified.png"), full_page=True)
    context.close()
    case.refresh_from_db()
    assert case.state == "verified"


def test_a_second_tab_acting_on_a_stale_page_is_told_to_refresh(
    cast: Cast, live_server: Any, browser: Any
) -> None:
    calendar_demo.load()
    catalog.install()
    context = browser.new_context(locale="zh-CN")
    first, second = context.new_page(), context.new_page()
    log_in(first, live_server.url, "cun01", DEMO_PASSWORD)
    from tests.cases.conftest import make_case

    case = make_case(cast.user("wangge01"), cast.grid0101)
    for tab in (first, second):
        tab.goto(f"{live_server.url}/cases/{case.pk}/")
    act(first, "accept")
    act(second, "reject", "不属于受理范围")
    assert "处理（受理），请刷新" in second.inner_text(".messages")
    assert "受理" in second.inner_text("#case-state")
    context.close()
