"""In the real browser, on a phone: a record's photo shows as a thumbnail on its page, and opens in full."""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from tests.browser.test_login import log_in
from tests.conftest import Cast
from tests.registers.collect import patrols
from tests.registers.helpers import load
from zhenwu.org.demo import DEMO_PASSWORD
from zhenwu.registers import services

pytestmark = pytest.mark.browser
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))


def camera_photo() -> bytes:
    """A phone camera's photo: large, landscape."""
    out = BytesIO()
    Image.new("RGB", (2000, 1500), (40, 110, 60)).save(out, "JPEG", quality=70)
    return out.getvalue()


def test_a_records_photo_is_a_thumbnail_that_opens_the_full_photo_on_a_phone(
    cast: Cast, live_server: Any, browser: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    register = load(cast, patrols()).register
    path = default_storage.save("registers/lamp_patrol/0f3c.jpg", ContentFile(camera_photo()))
    values = {"lamp_no": "0123", "status": "damaged", "photo": path}
    record = services.create_record(cast.user("admin"), register, values, unit=cast.grid0101)
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    log_in(page, live_server.url, "wangge01", DEMO_PASSWORD)

    page.goto(f"{live_server.url}/registers/records/{record.pk}/")
    thumbnail = page.locator("a.photo img")
    thumbnail.wait_for()
    page.wait_for_function("() => document.querySelector('a.photo img').complete")
    page.screenshot(path=str(ARTIFACTS / "register-record-photo-390.png"), full_page=True)

    assert thumbnail.evaluate("img => img.naturalWidth") == 320  # the small copy, not the camera's 2000
    box = thumbnail.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    with context.expect_page() as opened:
        thumbnail.click()
    full = opened.value
    full.wait_for_load_state()
    assert full.evaluate("document.images[0].naturalWidth") == 2000
    context.close()
