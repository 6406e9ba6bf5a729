"""In the real browser at phone size, the field's harder moments: the answer to a report lost on the way
back (the case is saved once, however often the phone sends it), a household visit recorded with no
signal, the photos of a report the server asks about again (可能重复) kept rather than chosen anew, and a
page kept on the phone that opens offline without the one-time message of the visit that kept it."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.lossy_proxy import lossy_proxy
from tests.browser.test_login import log_in
from tests.browser.test_offline import TITLE, fill_event, kept_on_phone, phone, png_bytes
from tests.conftest import Cast
from tests.households import factories as household_factories
from zhenwu.cases import services
from zhenwu.cases.models import Case, CaseCategory, Channel
from zhenwu.households.models import MonitoringVisit
from zhenwu.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_a_report_whose_answer_is_lost_is_saved_once(
    cast: Cast, types: dict, live_server: Any, browser: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    with lossy_proxy(live_server.url) as proxy:
        context = phone(browser)
        page = context.new_page()
        base = proxy.url
        log_in(page, base, "wangge01", DEMO_PASSWORD)
        page.goto(f"{base}/todo/")
        page.evaluate("() => navigator.serviceWorker.ready")
        page.reload()  # now under the worker's control
        assert page.evaluate("!!navigator.serviceWorker.controller")

        # The signal goes while the server saves: the server has the case, the phone has no answer (nor
        # to the browser's own quick retry); the service worker keeps the report and shows 待上传.
        page.goto(f"{base}/cases/new/")
        # The page keeps the user's offline pages (/outbox/ among them) as it opens: the loss is armed
        # after that, or the keeping's GET /outbox/ would end it before the report is sent.
        page.wait_for_load_state("networkidle")
        fill_event(page, TITLE, with_photo=True)
        proxy.lose_until("POST", "/cases/new/", until="GET /outbox/")
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{base}/outbox/")
        assert proxy.lost and Case.objects.count() == 1

        # With the signal back, the phone sends it again with the same key: the server answers as the
        # first time, and nothing more is saved.
        page.wait_for_function("() => document.getElementById('outbox-empty').hidden === false")
        posts = [seen for seen in proxy.seen if seen == "POST /cases/new/"]
        assert len(posts) == len(proxy.lost) + 1
        case = Case.objects.get()
        assert case.title == TITLE and case.photos.count() == 1
        context.close()


def test_a_household_visit_recorded_offline_is_saved_once_online(
    cast: Cast, live_server: Any, browser: Any
) -> None:
    monitored = household_factories.monitoring_case(cast.grid0101)
    context = phone(browser)
    page = context.new_page()
    base = live_server.url
    log_in(page, base, "wangge01", DEMO_PASSWORD)
    # The household's page was never opened: the phone keeps it at login, as this month's visit is due.
    path = f"/households/monitoring/{monitored.pk}/"
    page.evaluate("() => navigator.serviceWorker.ready")
    kept_on_phone(page, path)

    context.set_offline(True)
    page.goto(f"{base}{path}")
    page.fill("input[name=visited_on]", "2026-11-18")
    page.fill("textarea[name=note]", "户主在家，医药费报销已到账")
    page.click("form:has(textarea[name=note]) button[type=submit]")
    page.wait_for_url(f"{base}/outbox/")
    page.wait_for_selector("#outbox-list li[data-state=waiting]")
    assert not MonitoringVisit.objects.exists()

    context.set_offline(False)
    page.reload()
    page.wait_for_function("() => document.getElementById('outbox-empty').hidden === false")
    visit = MonitoringVisit.objects.get()
    assert visit.case == monitored and visit.note == "户主在家，医药费报销已到账"
    assert visit.visitor.username == "wangge01"
    context.close()


def test_the_photo_of_a_report_asked_about_again_is_kept(
    cast: Cast, types: dict, live_server: Any, browser: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    category = CaseCategory.objects.get(case_type__code="grid_event", name="环境卫生")
    worker = cast.user("wangge01")
    first = services.create_case(
        worker,
        case_type=category.case_type,
        category=category,
        title=TITLE,
        description=TITLE,
        org_unit=cast.grid0101,
        channel=Channel.GRID_APP,
    )
    context = phone(browser)
    page = context.new_page()
    base = live_server.url
    log_in(page, base, "wangge01", DEMO_PASSWORD)
    page.goto(f"{base}/cases/report/")
    page.select_option("#id_category", value=str(category.pk))
    page.fill("#id_description", TITLE)
    page.set_input_files(
        "#id_photos", files=[{"name": "现场.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.click("#quick-report button[type=submit]")

    # Asked whether it is the same event, the form comes back with the photo still chosen.
    page.wait_for_selector("#possible-duplicate")
    assert first.number in page.inner_text("#possible-duplicate")
    page.wait_for_function("() => document.getElementById('id_photos').files.length === 1")
    assert "已保留上次选择的照片1张" in page.inner_text("#quick-report")
    page.check("#id_confirm_duplicate")
    page.click("#quick-report button[type=submit]")
    page.wait_for_selector(".messages")
    assert re.search(r"已上报 ?WG\d+", page.inner_text(".messages"))
    second = Case.objects.exclude(pk=first.pk).get()
    assert second.photos.count() == 1
    context.close()


def test_a_page_opened_offline_shows_no_stale_message(
    cast: Cast, types: dict, live_server: Any, browser: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    category = CaseCategory.objects.get(case_type__code="grid_event", name="环境卫生")
    context = phone(browser)
    page = context.new_page()
    base = live_server.url
    log_in(page, base, "wangge01", DEMO_PASSWORD)
    page.goto(f"{base}/cases/report/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now under the worker, which keeps the page as it is visited
    page.select_option("#id_category", value=str(category.pk))
    page.fill("#id_description", TITLE)
    with page.expect_navigation():
        page.click("#quick-report button[type=submit]")
    assert "已上报" in page.inner_text(".messages")
    kept_on_phone(page, "/cases/report/")

    # Offline, the same page opens from the phone, without the message of that one visit.
    context.set_offline(True)
    page.goto(f"{base}/cases/report/")
    page.wait_for_selector("#quick-report")
    assert page.locator(".messages").count() == 0
    assert Case.objects.count() == 1
    context.close()
