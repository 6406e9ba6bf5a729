"""The leader logs in and opens the dashboard: the township's figures, the villages' cases, and a village
opened from the table."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from tests.browser.test_login import ARTIFACTS, log_in
from zhenwu.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_the_leader_reads_the_dashboard_and_opens_a_village(live_server: Any, page: Any) -> None:
    call_command("demo", stdout=StringIO())
    log_in(page, live_server.url, "leader", DEMO_PASSWORD)
    page.click("nav >> text=驾驶舱")
    page.wait_for_selector("#cases-by-unit")
    assert "示范镇 · 领导驾驶舱" in page.inner_text("h1")
    assert page.locator("#cases-by-unit tbody tr").count() == 12
    assert page.locator("#worst-indicators tbody tr").count() > 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "leader-dashboard.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "leader-dashboard-phone.png"), full_page=True)
    page.click("#cases-by-unit >> text=东岗村")
    page.wait_for_selector("text=东岗村 · 领导驾驶舱")
    assert page.locator("#cases-by-unit tbody tr").count() == 5
