"""On a phone (360×740), a village clerk corrects a member's misspelt name from the household's page: the
buttons fit the screen and are a finger's height, and the page shows the new name. Screenshots of the
household page and the form are kept under test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_login import ARTIFACTS, log_in
from tests.browser.test_phone_layout import MEASURE, TAPPED
from tests.conftest import Cast
from tests.households import factories
from zhenwu.households.models import Member
from zhenwu.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def test_a_clerk_corrects_a_member_name_on_a_phone(cast: Cast, live_server: Any, browser: Any) -> None:
    household = factories.household(cast.grid0101)
    child = household.members.get(relation="child")
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        log_in(page, live_server.url, "cun01", DEMO_PASSWORD)
        page.goto(f"{live_server.url}/households/{household.pk}/")
        assert page.evaluate(MEASURE, TAPPED) == []
        page.screenshot(path=str(ARTIFACTS / "household-edit-360-detail.png"), full_page=True)

        page.click(f"#member-list a[href='/households/members/{child.pk}/edit/']")
        page.wait_for_selector("#change-form")
        assert page.evaluate(MEASURE, TAPPED) == []
        page.fill("#id_name", "王晓明")
        page.screenshot(path=str(ARTIFACTS / "household-edit-360-form.png"), full_page=True)
        page.click("#change-form button[type=submit]")
        page.wait_for_selector("#member-list")

        assert "王晓明" in page.inner_text("#member-list")
        assert "成员信息已保存。" in page.inner_text("body")
        assert Member.objects.get(pk=child.pk).name == "王晓明"
    finally:
        context.close()
