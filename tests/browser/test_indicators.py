"""The leader opens the indicator dashboard in the browser: the chart draws, warnings come first, and
an indicator opens on its trend and village ranking."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from tests.browser.test_login import ARTIFACTS, log_in
from zhenwu.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_the_leader_reads_the_dashboard_and_drills_into_an_indicator(live_server: Any, page: Any) -> None:
    call_command("demo", stdout=StringIO())
    log_in(page, live_server.url, "leader", DEMO_PASSWORD)
    page.click("nav >> text=指标")
    page.wait_for_selector("#progress-chart canvas")
    first_rows = page.locator("#progress-table tbody tr").all()[:3]
    assert all("warned" in (row.get_attribute("class") or "") for row in first_rows)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "leader-indicators.png"), full_page=True)
    page.click("#progress-table >> text=新增就业岗位")
    page.wait_for_selector("#trend-chart canvas")
    assert page.locator("#ranking tbody tr").count() == 12
    page.screenshot(path=str(ARTIFACTS / "leader-indicator-detail.png"), full_page=True)
