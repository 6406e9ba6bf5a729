"""On a phone, a camera's 9 MB photo is shrunk before it is sent: it arrives at most 1600 px on its longest
side, turned as its EXIF orientation says, under the server's limit, and its GPS position fills the report."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, TiffImagePlugin

from tests.browser.test_login import log_in
from tests.conftest import Cast
from tests.registers.collect import patrols
from tests.registers.helpers import load
from zhenwu.cases import catalog
from zhenwu.cases.models import Case
from zhenwu.cases.services import MAX_PHOTO_BYTES
from zhenwu.org.demo import DEMO_PASSWORD
from zhenwu.registers.models import RegisterRecord
from zhenwu.workcalendar import demo as calendar_demo

pytestmark = pytest.mark.browser


def camera_photo(width: int = 6000, height: int = 4000) -> bytes:
    """6000×4000 noise at quality 95 (about 9 MB), red on its left sixth, taken with the phone turned
    (orientation 6: shown portrait, the red on top) at 30°31'12.5"N 114°18'3.6"E."""
    noise = Image.merge("RGB", [Image.effect_noise((width // 6, height // 6), s) for s in (50, 60, 70)])
    photo = noise.resize((width, height), Image.Resampling.BICUBIC)
    photo.paste((255, 0, 0), (0, 0, width // 6, height))
    exif = Image.Exif()
    exif[0x0112] = 6
    rational = TiffImagePlugin.IFDRational
    exif.get_ifd(0x8825).update(
        {1: "N", 2: (rational(30), rational(31), rational(1250, 100)),
         3: "E", 4: (rational(114), rational(18), rational(360, 100))}
    )  # fmt: skip
    out = BytesIO()
    photo.save(out, "JPEG", quality=95, exif=exif.tobytes())
    return out.getvalue()


def test_a_9_mb_photo_arrives_shrunk_upright_and_places_the_report(
    cast: Cast, live_server: Any, browser: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    calendar_demo.load()
    catalog.install()
    photo = camera_photo()
    assert 8_000_000 < len(photo) < 12_000_000 and len(photo) > MAX_PHOTO_BYTES
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    log_in(page, live_server.url, "wangge01", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/cases/report/")
    page.select_option("#id_category", label="环境卫生")
    page.fill("#id_description", "3组路口垃圾堆放两天未清运")

    page.set_input_files(
        "#id_photos", files=[{"name": "IMG_1234.JPG", "mimeType": "image/jpeg", "buffer": photo}]
    )
    with page.expect_navigation(timeout=60_000):
        page.click("#quick-report button[type=submit]")  # while the photo is still being shrunk, maybe
    page.wait_for_load_state()

    case = Case.objects.get()
    assert (case.latitude, case.longitude) == (Decimal("30.520139"), Decimal("114.301000"))
    stored = case.photos.get()
    assert stored.content_type == "image/jpeg" and stored.size < MAX_PHOTO_BYTES
    with Image.open(stored.image.path) as arrived:
        assert arrived.size == (1067, 1600)  # portrait: turned as the camera said, 1600 on the long side
        top, bottom = arrived.convert("RGB").getpixel((533, 60)), arrived.convert("RGB").getpixel((533, 1500))
    assert top[0] > 200 and top[1] < 60 and top[2] < 60, top  # the red side is on top
    assert not (bottom[0] > 200 and bottom[1] < 60), bottom
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_a_photo_the_browser_cannot_read_is_sent_as_it_is(
    cast: Cast, live_server: Any, browser: Any, settings: Any, tmp_path: Path
) -> None:
    """Chromium cannot decode HEIC: the iPhone's photo goes as it is and the server converts it."""
    from tests.cases.test_heic_photos import heic

    settings.MEDIA_ROOT = tmp_path
    calendar_demo.load()
    catalog.install()
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    log_in(page, live_server.url, "wangge01", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/cases/report/")
    page.select_option("#id_category", label="环境卫生")
    page.fill("#id_description", "5组水渠堵塞")
    page.set_input_files(
        "#id_photos", files=[{"name": "IMG_0001.HEIC", "mimeType": "image/heic", "buffer": heic().read()}]
    )
    with page.expect_navigation(timeout=60_000):
        page.click("#quick-report button[type=submit]")
    page.wait_for_load_state()
    stored = Case.objects.get().photos.get()
    with Image.open(stored.image.path) as arrived:
        assert arrived.format == "JPEG" and arrived.size == (32, 64)
    context.close()


def test_a_registers_photo_is_shrunk_and_its_position_fills_the_geopoint(
    cast: Cast, live_server: Any, browser: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    load(cast, patrols())
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    log_in(page, live_server.url, "wangge01", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/registers/lamp_patrol/new/")
    page.fill("input[name=lamp_no]", "0123")
    page.get_by_text("正常", exact=True).click()

    photo = camera_photo(3000, 2000)
    page.set_input_files(
        "input[name=photo]", files=[{"name": "IMG_5.JPG", "mimeType": "image/jpeg", "buffer": photo}]
    )
    page.wait_for_function("document.querySelector('input[name=point_0]').value !== ''")
    with page.expect_navigation(timeout=60_000):
        page.click("#record-form button[type=submit]")
    page.wait_for_load_state()

    record = RegisterRecord.objects.get()
    assert record.data["point"] == "30.520139 114.301000"
    with Image.open(tmp_path / record.data["photo"]) as arrived:
        assert arrived.format == "JPEG" and arrived.size == (1067, 1600)
    context.close()
