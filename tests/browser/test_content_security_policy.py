"""Under the Content-Security-Policy the pages still work in a real browser: the charts draw, the case
form narrows its categories, the admin opens, and the browser reports no violation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_login import ARTIFACTS, log_in
from tests.demo_snapshot import load_demo
from zhenwu.indicators.models import Indicator
from zhenwu.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_no_page_breaks_the_policy(live_server: Any, page: Any) -> None:
    load_demo()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    log_in(page, live_server.url, "admin", DEMO_PASSWORD)
    indicator = Indicator.objects.get(code="gdzctz")
    pages = {
        "/dashboard/": None,
        "/indicators/": "#progress-chart canvas",
        f"/indicators/{indicator.pk}/": "#trend-chart canvas",
        "/projects/": "#funnel-chart canvas",
        "/cases/new/": None,
        "/reports/": None,
        "/admin/": None,
        f"/admin/indicators/indicator/{indicator.pk}/change/": None,
    }
    for path, drawn in pages.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
        if drawn:
            page.wait_for_selector(drawn)
    page.goto(f"{live_server.url}/cases/new/")
    page.select_option("#id_case_type", label="安全隐患排查整治")
    visible = page.locator("#id_category option:not([hidden])").all_inner_texts()
    assert visible and all("网格" not in text for text in visible)  # the script narrowed them
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "csp-case-form.png"), full_page=True)
    assert refused == []
