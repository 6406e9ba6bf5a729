"""On a phone, a unit is found by typing part of its name: the report is written for the village so
chosen, and the case list narrowed to it; nobody types or reads a code."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_login import ARTIFACTS, log_in
from tests.demo_snapshot import load_demo
from zhenwu.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def test_a_unit_is_found_by_name_on_a_phone_and_the_report_generated_for_it(
    transactional_db: None, live_server: Any, page: Any
) -> None:
    load_demo()
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, "admin", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/reports/")
    picker = page.locator("#report-choice select[name=org]")
    search = page.locator("#report-choice .unit-picker input[type=search]")
    assert search.is_visible() and picker.is_visible()
    search.fill("西河")
    assert picker.evaluate("s => Array.from(s.options).map(o => o.text)") == ["西河村"]
    assert picker.input_value() == "990101001002"
    search.fill("不存在的村")
    assert picker.evaluate("s => Array.from(s.options).map(o => o.text)") == ["没有名称含“不存在的村”的单位"]
    search.fill("东岗")
    assert picker.input_value() == "990101001001"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # fits the phone
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "unit-picker-report-phone.png"), full_page=False)
    page.select_option("#id_kind", "half-year")
    page.fill("#id_year", "2026")
    page.click("#report-choice button[type=submit]")
    page.wait_for_selector("#report-preview h1")
    assert page.inner_text("#report-preview h1").startswith("东岗村2026年上半年工作总结")
    assert "org=990101001001" in page.url
    # the choice stays shown by name after the page comes back
    assert page.locator("#report-choice select[name=org] option:checked").inner_text() == "东岗村"


def test_the_case_list_is_narrowed_to_a_grid_found_by_name_on_a_phone(
    transactional_db: None, live_server: Any, page: Any
) -> None:
    load_demo()
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, "leader", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/cases/")
    search = page.locator("form.filters .unit-picker input[type=search]")
    search.fill("西河村 › 第2")
    picker = page.locator("form.filters select[name=unit]")
    assert picker.evaluate("s => Array.from(s.options).map(o => o.text)") == ["西河村 › 第2网格"]
    search.press("Enter")  # chooses, and does not send the form before the user looks
    assert "unit=" not in page.url
    page.screenshot(path=str(ARTIFACTS / "unit-picker-cases-phone.png"), full_page=False)
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert "unit=99010100100202" in page.url
    assert page.locator("form.filters select[name=unit] option:checked").inner_text() == "西河村 › 第2网格"
    places = page.locator("#case-list tbody td[data-label=发生地]").all_inner_texts()
    assert places and set(places) == {"西河村第2网格"}
