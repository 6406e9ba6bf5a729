"""On a phone (390 px), without any script of ours: the compiler orders a figure, writes a lead sentence
and saves the outline; the report preview follows it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_login import ARTIFACTS, log_in
from tests.demo_snapshot import load_demo
from zhenwu.org.demo import DEMO_PASSWORD
from zhenwu.org.models import OrgUnit

pytestmark = pytest.mark.browser
LEAD = "今年以来，我镇经济运行稳中有进"


def test_the_compiler_arranges_the_outline_on_a_phone(
    transactional_db: None, live_server: Any, browser: Any
) -> None:
    load_demo()
    township = OrgUnit.objects.get(name="示范镇")
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    log_in(page, live_server.url, "admin", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/reports/?org={township.code}&kind=half-year&year=2026")
    page.click("#edit-outline")
    page.wait_for_selector("#section-economy")
    names = page.locator("#section-economy .outline-list .name")
    first, second = names.nth(0).inner_text(), names.nth(1).inner_text()
    page.locator("#section-economy .outline-list li").first.locator("button[title=下移]").click()
    page.wait_for_selector("#section-economy")
    assert [names.nth(0).inner_text(), names.nth(1).inner_text()] == [second, first]
    page.fill("#lead-economy", LEAD)
    page.click("#save-outline")
    page.wait_for_selector(".messages")
    assert page.input_value("#lead-economy") == LEAD
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-outline-390.png"), full_page=False)
    page.locator("#section-economy").screenshot(path=str(ARTIFACTS / "report-outline-economy-390.png"))
    # Nothing runs off the side of a phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"{live_server.url}/reports/?org={township.code}&kind=half-year&year=2026")
    assert f"{LEAD}。" in page.inner_text("#report-preview")
    context.close()
