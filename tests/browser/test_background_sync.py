"""Background Sync in the real browser: an event kept on the phone with no signal is sent by the service
worker alone when the browser wakes it for the queue's tag, with no zhenwu page open to send it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_offline import TITLE, fill_event, open_app, phone
from tests.conftest import Cast
from zhenwu.cases.models import Case

pytestmark = pytest.mark.browser
SYNC_TAG = "zhenwu-outbox"  # outbox-queue.js


def test_the_service_worker_sends_the_queue_when_the_browser_syncs(
    cast: Cast, types: dict, live_server: Any, browser: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    context = phone(browser)
    page = context.new_page()
    base = live_server.url
    open_app(page, base, "/cases/new/", "/outbox/")

    # No signal: the event waits on the phone, and the page has asked the browser for a sync.
    context.set_offline(True)
    page.goto(f"{base}/cases/new/")
    fill_event(page, TITLE)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/outbox/")
    page.wait_for_selector("#outbox-list li[data-state=waiting]")
    assert page.evaluate("navigator.serviceWorker.ready.then(r => r.sync.getTags())") == [SYNC_TAG]
    assert not Case.objects.exists()

    # The zhenwu page is closed; the signal returns; the browser wakes the worker for the tag.
    blank = context.new_page()
    devtools = context.new_cdp_session(blank)
    registrations: list[dict[str, Any]] = []
    devtools.on("ServiceWorker.workerRegistrationUpdated", lambda e: registrations.extend(e["registrations"]))
    devtools.send("ServiceWorker.enable")
    page.close()
    context.set_offline(False)
    blank.wait_for_timeout(200)
    (registration,) = [r for r in registrations if r["scopeURL"] == f"{base}/" and not r["isDeleted"]]
    devtools.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": base,
            "registrationId": registration["registrationId"],
            "tag": SYNC_TAG,
            "lastChance": False,
        },
    )
    for _ in range(100):
        if Case.objects.exists():
            break
        blank.wait_for_timeout(100)
    case = Case.objects.get()
    assert case.title == TITLE and case.reported_by == cast.user("wangge01")

    # The next zhenwu page finds nothing waiting.
    page = context.new_page()
    page.goto(f"{base}/outbox/")
    page.wait_for_function("() => document.getElementById('outbox-empty').hidden === false")
    assert Case.objects.count() == 1
    context.close()
