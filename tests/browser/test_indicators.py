"""The leader opens the indicator dashboard in the browser: the chart draws, warnings come first, and
an indicator opens on its trend and village ranking."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.browser.test_login import ARTIFACTS, log_in
from tests.demo_snapshot import load_demo
from zhenwu.indicators.models import Indicator
from zhenwu.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_the_leader_reads_the_dashboard_and_drills_into_an_indicator(live_server: Any, page: Any) -> None:
    load_demo()
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


def test_a_month_without_a_value_is_drawn_as_a_gap(live_server: Any, page: Any) -> None:
    load_demo()
    log_in(page, live_server.url, "leader", DEMO_PASSWORD)
    indicator = Indicator.objects.get(code="zwgk")  # 政务信息公开: October was not reported
    page.goto(f"{live_server.url}{reverse('indicators:indicator-detail', args=[indicator.pk])}")
    page.wait_for_selector("#trend-chart canvas")
    series = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('trend-chart')).getOption().series"
    )
    this_year = series[0]["data"]
    assert this_year[8] != "-" and this_year[9:] == ["-", "-", "-"]
    assert series[0]["connectNulls"] is False
    assert page.locator("#status").inner_text() == "未报"
    page.screenshot(path=str(ARTIFACTS / "leader-indicator-gap.png"), full_page=True)
