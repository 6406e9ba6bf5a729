"""A grid worker opens the device page on a phone (390 px), makes a device key and sees the QR code that
configures ODK Collect."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_login import ARTIFACTS, log_in
from tests.conftest import Cast
from zhenwu.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_a_grid_worker_makes_a_device_key_and_sees_the_collect_qr_code(
    cast: Cast, live_server: Any, browser: Any
) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, live_server.url, "wangge01", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/registers/device/")
    assert "尚未生成" in page.inner_text("#device")

    page.click("text=生成设备密钥和二维码")

    page.wait_for_selector("#collect-qr img")
    image = page.locator("#collect-qr img")
    assert image.evaluate("img => img.complete && img.naturalWidth > 100")
    box = image.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.inner_text("#new-key").startswith("zw")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "grid-worker-collect-device.png"), full_page=True)
    context.close()
