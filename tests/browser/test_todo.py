"""A village user on a phone (390 px) finds the count of their to-do items in the top bar, opens the list,
narrows it to one kind, and opens an item where it is done: nothing runs off the screen."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_login import ARTIFACTS, log_in
from tests.demo_snapshot import load_demo
from zhenwu.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def assert_fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    rows = page.locator("#todo-list .todo-item")
    for n in range(rows.count()):
        box = rows.nth(n).bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"], rows.nth(n).inner_text()


def test_a_village_user_works_through_the_list_on_a_phone(live_server: Any, page: Any) -> None:
    load_demo()
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, "cun01", DEMO_PASSWORD)
    # the count is in the top bar on the first screen, without opening the menu
    link = page.locator("header .todo-link")
    box = link.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"]
    count = int(link.locator(".nav-count").inner_text())
    assert count == 7
    panel = page.locator("#todo-panel")
    assert "共 7 项，其中 2 项已逾期" in panel.inner_text()
    assert panel.locator(".todo-item").count() == 5

    link.click()
    page.wait_for_selector("#todo-list")
    assert page.locator("#todo-list .todo-item").count() == count
    first = page.locator("#todo-list .todo-item").first
    assert "已逾期" in first.inner_text() and "overdue" in (first.get_attribute("class") or "")
    assert_fits(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "todo-phone.png"), full_page=True)

    page.click(".todo-kinds >> text=待走访")
    page.wait_for_selector('.todo-kinds a[aria-current="page"]:has-text("待走访")')
    kinds = page.locator("#todo-list .todo-item").evaluate_all("rows => rows.map(r => r.dataset.kind)")
    assert kinds and set(kinds) == {"visit"}
    assert_fits(page)
    page.screenshot(path=str(ARTIFACTS / "todo-phone-visits.png"), full_page=True)

    page.locator("#todo-list .todo-item a").first.click()
    page.wait_for_load_state()
    assert "/households/monitoring/" in page.url

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("#todo-panel")
    page.screenshot(path=str(ARTIFACTS / "todo-home-desktop.png"), full_page=True)
