"""The first-run page on a phone: the township's first admin fills it in, is told beside the field what
is wrong, then lands logged in on the indicator library."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.onboarding.conftest import empty_the_tree
from zhenwu.org.models import Role, User
from zhenwu.web import setup

pytestmark = pytest.mark.browser
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))


def test_the_first_admin_sets_up_the_township_on_a_phone(
    transactional_db: None, live_server: Any, browser: Any
) -> None:
    empty_the_tree()
    key = setup.issue_key()
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    phone.goto(f"{live_server.url}/setup/?key={key}")
    for field, value in {
        "township": "河口镇", "code": "990102101000", "county": "清源县", "county_code": "990102000000",
        "display_name": "周海涛", "username": "zhouht", "password1": "hekou-river-2026",
        "password2": "hekou-river-2025",
    }.items():  # fmt: skip
        phone.fill(f"#id_{field}", value)
    with phone.expect_navigation():
        phone.click("button[type=submit]")
    assert "两次输入的密码不一致。" in phone.inner_text("form")
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "setup-phone-error.png"), full_page=True)
    assert not User.objects.exists()
    phone.fill("#id_password1", "hekou-river-2026")
    phone.fill("#id_password2", "hekou-river-2026")
    with phone.expect_navigation():
        phone.click("button[type=submit]")
    assert "/indicators/library/" in phone.url
    assert "河口镇已准备好" in phone.inner_text("main")
    assert User.objects.get().role == Role.TOWNSHIP_ADMIN
    phone.screenshot(path=str(ARTIFACTS / "setup-phone-library.png"), full_page=False)
    context.close()
