"""A leader pastes a report into the number-check page in the browser and sees the wrong share flagged."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_login import ARTIFACTS, log_in
from tests.conftest import Cast
from zhenwu.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

REPORT = (
    "一、工作成效\n预计一季度完成固定资产投资4.9个亿，同比增长28%；完成社会消费品零售总额2.55亿元。\n"
    "全镇粮食播种面积10000亩，其中水稻播种面积6000亩，占全镇的48.6%。\n"
    "今年共谋划项目xx个，完成投资xx.x亿元。\n"
)


def test_a_pasted_report_shows_marked_figures_and_findings(cast: Cast, live_server: Any, page: Any) -> None:
    log_in(page, live_server.url, "leader", DEMO_PASSWORD)
    page.click("nav >> text=核数")
    page.fill("#id_text", REPORT)
    page.click("#check-form button[type=submit]")
    page.wait_for_selector("#check-summary")
    assert page.locator("mark.fig").count() >= 6
    assert page.locator("mark.fig.error").count() >= 1
    assert page.locator("li.finding.error").count() >= 1
    assert page.locator("li.finding.warning").count() >= 1  # the unfilled placeholders
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "leader-number-check.png"), full_page=True)
