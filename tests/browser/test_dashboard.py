"""The leader logs in and opens the dashboard: the villages ranked worst first with the last three named at
the top, the township's figures, and a village opened from the ranking; on a desktop and on a phone."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.browser.test_login import ARTIFACTS, log_in
from tests.demo_snapshot import load_demo
from zhenwu.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def assert_rows_fit(page: Any) -> None:
    """Every ranking row, and every cell of it, stays within the phone's width: nothing runs off the right."""
    cells = page.locator("#ranking tbody td")
    for n in range(cells.count()):
        box = cells.nth(n).bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"], cells.nth(n).inner_text()


def test_the_leader_reads_the_ranking_and_opens_a_village(live_server: Any, page: Any) -> None:
    load_demo()
    log_in(page, live_server.url, "leader", DEMO_PASSWORD)
    page.click("nav >> text=驾驶舱")
    page.wait_for_selector("#ranking")
    assert "示范镇 · 领导驾驶舱" in page.inner_text("h1")
    for key in ("resolution_rate", "on_time_rate", "indicators"):
        assert page.locator(f"#rank-{key} tbody tr").count() == 12
        named = page.inner_text(f'[data-last-three="{key}"]')
        marked = page.locator(f"#rank-{key} tbody tr.last .who a").all_inner_texts()
        assert len(marked) >= 3 and all(name in named for name in marked)
    # worst first: the first row of a ranking is the highest rank number
    ranks = page.locator("#rank-on_time_rate tbody td.rank").all_inner_texts()
    numbers = [int(r.split()[0]) for r in ranks if r.split()[0].isdigit()]
    assert numbers == sorted(numbers, reverse=True) and numbers[-1] == 1
    assert page.locator("#worst-indicators tbody tr").count() > 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "leader-dashboard.png"), full_page=True)

    page.set_viewport_size(PHONE)
    page.reload()
    page.wait_for_selector("#ranking")
    # on a phone the last three of every figure are read on the first screen, without scrolling
    for key in ("resolution_rate", "on_time_rate", "indicators"):
        box = page.locator(f'[data-last-three="{key}"]').bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], key
    assert_rows_fit(page)
    page.screenshot(path=str(ARTIFACTS / "leader-dashboard-phone-first-screen.png"))
    page.screenshot(path=str(ARTIFACTS / "leader-dashboard-phone.png"), full_page=True)

    page.locator("#rank-on_time_rate tbody tr .who a").first.click()
    page.wait_for_selector("#rank-on_time_rate")
    assert "村" in page.inner_text("h1") or "社区" in page.inner_text("h1")
    assert page.locator("#rank-on_time_rate tbody tr").count() == 5  # its grids
    assert page.locator("#rank-indicators").count() == 0  # grids have no indicators
    assert_rows_fit(page)
    page.screenshot(path=str(ARTIFACTS / "village-dashboard-phone.png"), full_page=True)


def test_early_in_a_month_the_phone_says_which_month_is_ranked(
    live_server: Any, page: Any, time_machine: Any
) -> None:
    load_demo()
    time_machine.move_to(datetime(2026, 12, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, "leader", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_selector("#ranking")
    notes = page.locator('[data-figure="ranking-fallback"]').all_inner_texts()
    assert any("本月数据尚少，排名按11月" in n for n in notes)
    assert any("本月数据尚少，排名按1-10月" in n for n in notes)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "leader-dashboard-phone-early-month.png"))
