"""On a phone (390 px): the unread count stays in the top bar while the menu is folded, the inbox opens a
notification and marks it read, the channel choices are saved, and the admin's failures page fits."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_login import ARTIFACTS, log_in
from tests.conftest import Cast
from zhenwu.notifications import services
from zhenwu.notifications.models import Channel, ChannelChoice, Delivery, DeliveryState, Kind
from zhenwu.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"])


def test_a_grid_worker_reads_notifications_and_chooses_channels_on_a_phone(
    cast: Cast, live_server: Any, browser: Any
) -> None:
    worker = cast.user("wangge01")
    for n in range(3):
        services.notify(
            [worker],
            services.Message(
                kind=Kind.DEADLINE,
                key=f"phone:{n}",
                title=f"事件“东岗村{n}组路灯不亮”明天到期，请及时办结",
                body="请在 11月19日 17:00 前办结。" * 3,
                link="/notifications/settings/",
            ),
        )
    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    log_in(page, live_server.url, "wangge01", DEMO_PASSWORD)

    badge = page.locator("header .notify-link .count")
    assert badge.inner_text() == "3"
    box = badge.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"], "visible with the menu folded"

    page.click("header .notify-link")
    page.wait_for_selector("ul.inbox")
    assert _fits(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "phone-inbox.png"), full_page=True)

    page.click("ul.inbox li.unread .inbox-title >> nth=0")
    page.wait_for_selector("table.choices")
    assert page.locator("header .notify-link .count").inner_text() == "2"
    assert _fits(page)

    page.check("input[name=milestone__email]")
    page.click("text=保存")
    page.wait_for_selector("text=已保存通知方式")
    assert ChannelChoice.objects.get(user=worker, kind=Kind.MILESTONE, channel=Channel.EMAIL).enabled
    page.screenshot(path=str(ARTIFACTS / "phone-notification-settings.png"), full_page=True)
    context.close()


def test_the_admins_failures_page_fits_a_phone(cast: Cast, live_server: Any, browser: Any) -> None:
    user = cast.user("cun01")
    ChannelChoice.objects.create(user=user, kind=Kind.DEADLINE, channel=Channel.EMAIL)
    services.notify([user], services.Message(kind=Kind.DEADLINE, key="k", title="事件明天到期"))
    Delivery.objects.update(
        state=DeliveryState.FAILED,
        attempts=8,
        last_error="邮件服务器 mail.township-government.example.gov.cn:465 拒绝连接(服务未启动或端口不对)。",
    )
    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    log_in(page, live_server.url, "admin", DEMO_PASSWORD)

    page.goto(f"{live_server.url}/notifications/deliveries/")
    assert "拒绝连接" in page.inner_text("main")
    assert _fits(page)
    page.click('button:has-text("重新发送")')
    page.wait_for_selector("text=已重新排队发送")
    assert Delivery.objects.get().state == DeliveryState.PENDING
    page.screenshot(path=str(ARTIFACTS / "phone-deliveries.png"), full_page=True)
    context.close()
