"""A village user logs in through the real browser and sees only their village; five wrong passwords
lock the account."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cast
from zhenwu.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))


def log_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("button[type=submit]")


def test_a_village_user_sees_only_their_villages_units(cast: Cast, live_server: Any, page: Any) -> None:
    log_in(page, live_server.url, "cun01", DEMO_PASSWORD)
    assert "东岗村" in page.inner_text("header")
    page.click("nav >> text=组织机构")
    page.wait_for_selector("#unit-list")
    names = page.locator("#unit-list tbody td:first-child").all_inner_texts()
    assert names == ["东岗村"] + [f"东岗村第{g}网格" for g in range(1, 6)]
    assert "西河村" not in page.content()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "cun01-unit-list.png"), full_page=True)
    response = page.goto(f"{live_server.url}/org/units/{cast.village02.code}/")
    assert response.status == 404


def test_five_wrong_passwords_lock_the_account(cast: Cast, live_server: Any, page: Any) -> None:
    for attempt in range(5):
        log_in(page, live_server.url, "cun02", f"wrong-{attempt}")
    assert "账户已锁定" in page.content()
    log_in(page, live_server.url, "cun02", DEMO_PASSWORD)
    assert "账户已锁定" in page.content()
    assert page.url.endswith("/accounts/login/")


def test_the_menu_folds_on_a_phone(cast: Cast, live_server: Any, browser: Any) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    log_in(phone, live_server.url, "wangge01", DEMO_PASSWORD)
    assert not phone.is_visible("nav.mainnav")
    phone.click("label.nav-toggle-label")
    assert phone.is_visible("nav.mainnav >> text=组织机构")
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "wangge01-phone-home.png"), full_page=True)
    context.close()
