"""In the real browser at phone size: zhenwu installs as an app, opens with no signal, keeps an event
reported offline in the 待上传 list and sends it once when the network returns; a submission the server
refuses stays in the list with the server's words, and opens again for editing."""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

import pytest
from PIL import Image

from tests.browser.test_login import ARTIFACTS, log_in
from tests.conftest import Cast
from tests.registers.helpers import load
from tests.registers.test_entry import inspection
from zhenwu.cases.models import Case, CaseCategory
from zhenwu.org.demo import DEMO_PASSWORD
from zhenwu.registers.models import RegisterRecord

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
TITLE = "3组路口垃圾堆放两天未清运"


def png_bytes() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def fill_event(page: Any, title: str, with_photo: bool = False) -> None:
    category = CaseCategory.objects.get(case_type__code="grid_event", name="环境卫生")
    page.select_option("#id_case_type", value=str(category.case_type_id))
    page.select_option("#id_category", value=str(category.pk))
    page.fill("#id_title", title)
    page.fill("#id_description", "路口东侧，约两车")
    if with_photo:
        files = [{"name": "现场.png", "mimeType": "image/png", "buffer": png_bytes()}]
        page.set_input_files("#id_photos", files=files)


def phone(browser: Any) -> Any:
    """A phone whose browser runs the app's service worker."""
    return browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, service_workers="allow")


def open_app(page: Any, base: str, *kept: str) -> None:
    """The grid worker logs in online once: the app's worker is active and the phone keeps `kept`."""
    log_in(page, base, "wangge01", DEMO_PASSWORD)
    page.goto(f"{base}/todo/")
    assert page.evaluate("navigator.serviceWorker.ready.then(r => r.active.scriptURL)") == f"{base}/sw.js"
    kept_on_phone(page, *kept)


def kept_on_phone(page: Any, *paths: str) -> None:
    """Waits until the phone keeps these pages: polled here, as wait_for_function would take the pending
    promise itself for a true value."""
    check = (
        "paths => caches.open('zhenwu-pages')"
        ".then(c => Promise.all(paths.map(p => c.match(p, {ignoreVary: true}))))"
        ".then(found => found.every(Boolean))"
    )
    for _ in range(100):
        if page.evaluate(check, list(paths)):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"not kept: {paths}")


def outbox_rows(page: Any) -> list[str]:
    return page.locator("#outbox-list li").all_inner_texts()  # type: ignore[no-any-return]


def test_an_event_reported_offline_is_sent_once_when_the_network_returns(
    cast: Cast, types: dict, live_server: Any, browser: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    context = phone(browser)
    page = context.new_page()
    base = live_server.url

    # Online once: the app installs and keeps the capture pages.
    open_app(page, base, "/cases/new/", "/outbox/")

    # No signal: the form opens from the phone, and two events wait in 待上传 (one without a title).
    context.set_offline(True)
    page.goto(f"{base}/cases/new/")
    fill_event(page, TITLE, with_photo=True)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/outbox/")
    page.wait_for_function("() => document.querySelectorAll('#outbox-list li').length === 1")
    page.goto(f"{base}/cases/new/")
    fill_event(page, "")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/outbox/")
    page.wait_for_function("() => document.querySelectorAll('#outbox-list li').length === 2")
    rows = outbox_rows(page)
    assert TITLE in rows[0] and all("待上传" in row for row in rows)
    assert page.inner_text("#outbox-link .nav-count") == "2"
    assert not Case.objects.exists()

    # Still offline, the app opens again; a page never visited says what works.
    page.reload()
    page.wait_for_function("() => document.querySelectorAll('#outbox-list li').length === 2")
    page.goto(f"{base}/households/list/")
    assert "已保存的页面可继续填写" in page.inner_text("main")
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{base}/outbox/")
    page.wait_for_selector("#outbox-list li")
    page.screenshot(path=str(ARTIFACTS / "outbox-offline-phone.png"), full_page=True)

    # Logging out with work unsent asks first.
    said: list[str] = []
    page.once("dialog", lambda dialog: (said.append(dialog.message), dialog.dismiss()))
    page.click("label.nav-toggle-label")  # on a phone 退出 is in the menu
    page.click("header .account form button")
    assert said == ["还有 2 条未上传的记录，退出将丢失，确定退出？"]

    # The network returns and the next page sends the queue: the first once; the second is refused with
    # the server's words.
    context.set_offline(False)
    page.goto(f"{base}/outbox/")
    page.wait_for_selector("#outbox-list li[data-state=refused]")
    assert page.locator("#outbox-list li").count() == 1
    case = Case.objects.get()
    assert case.title == TITLE and case.photos.count() == 1
    refused = outbox_rows(page)[0]
    assert "被退回" in refused and refused.count("：") == 2 and "标题：该字段是必填项" in refused
    page.screenshot(path=str(ARTIFACTS / "outbox-refused-phone.png"), full_page=True)
    # a refused submission is not sent again as it is: only its edit can change the server's answer
    assert page.locator("#outbox-send").is_hidden() and Case.objects.count() == 1

    # 编辑 opens the form filled as it was typed; with a title it is saved and leaves the list.
    page.click("#outbox-list >> text=编辑")
    page.wait_for_function("() => document.getElementById('id_description').value === '路口东侧，约两车'")
    page.fill("#id_title", "路灯不亮")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/cases/\d+/"))
    assert "已登记事件" in page.inner_text("main")
    assert sorted(Case.objects.values_list("title", flat=True)) == sorted([TITLE, "路灯不亮"])
    page.goto(f"{base}/outbox/")
    page.wait_for_function("() => document.getElementById('outbox-empty').hidden === false")
    assert page.locator("#outbox-link").is_hidden()
    context.close()


def test_a_register_record_filled_offline_is_saved_once_online(
    cast: Cast, live_server: Any, browser: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    load(cast, inspection())
    context = phone(browser)
    page = context.new_page()
    base = live_server.url
    log_in(page, base, "wangge01", DEMO_PASSWORD)
    # The register's list links its form, which the phone keeps from there.
    page.goto(f"{base}/registers/inspections/")
    page.evaluate("() => navigator.serviceWorker.ready")
    kept_on_phone(page, "/registers/inspections/new/")

    context.set_offline(True)
    page.goto(f"{base}/registers/inspections/new/")
    page.fill("input[name=code]", "AB123")
    page.get_by_text("有问题", exact=True).click()
    page.fill("input[name=problem]", "井盖缺失")
    page.fill("input[name=people]", "3")
    page.select_option("select[name=town]", label="片区7")
    page.click("#record-form button[type=submit]")
    page.wait_for_url(f"{base}/outbox/")
    page.wait_for_selector("#outbox-list li[data-state=waiting]")
    assert "新增记录：AB123" in outbox_rows(page)[0]
    assert not RegisterRecord.objects.exists()

    context.set_offline(False)
    page.reload()
    page.wait_for_function("() => document.getElementById('outbox-empty').hidden === false")
    record = RegisterRecord.objects.get(register__form_id="inspections")
    assert record.data["code"] == "AB123" and record.data["problem"] == "井盖缺失"
    context.close()
