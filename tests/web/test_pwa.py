"""The installable app's server side: the manifest, the service worker served at the root with its
header, the files it keeps all present, the offline page for anyone, and the 待上传 page for users.

The browser side (installing, working offline, the queue) is tests/browser/test_offline.py.
"""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from PIL import Image

from tests.conftest import Cast
from tests.households import factories as household_factories
from tests.registers.helpers import load
from tests.registers.test_entry import inspection
from zhenwu.web import pwa
from zhenwu.web.security import CONTENT_SECURITY_POLICY


def test_the_manifest_names_the_app_in_chinese_and_opens_the_to_do_list(client: Client) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert manifest["name"] == manifest["short_name"] == "镇务"
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/todo/"
    assert manifest["theme_color"] == "#b3261e"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}


@pytest.mark.parametrize(("path", "size"), [(path, sizes) for path, sizes, _ in pwa.ICONS])
def test_each_icon_is_a_png_of_its_stated_size(path: str, size: str) -> None:
    found = finders.find(path)
    assert isinstance(found, str)
    with Image.open(found) as icon:
        assert icon.format == "PNG" and f"{icon.width}x{icon.height}" == size


def test_the_service_worker_is_served_at_the_root_for_the_whole_site(client: Client) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    script = response.content.decode()
    # Workbox from zhenwu's own copy, never a CDN
    assert 'modulePathPrefix: "/static/web/vendor/workbox-7.4.1"' in script
    assert "https://" not in script and "http://" not in script


def test_every_file_the_worker_keeps_exists(client: Client) -> None:
    for entry in pwa.precache_list():
        url = entry["url"]
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
        else:
            assert client.get(url).status_code == 200, url
    script = client.get("/sw.js").content.decode()
    imported = re.findall(r'"(/static/[^"]+\.js)"', script.split("workbox.setConfig")[0])
    assert imported and all(finders.find(path.removeprefix("/static/")) for path in imported)
    for module in ("core", "routing", "strategies", "precaching"):
        assert finders.find(f"{pwa.WORKBOX}/workbox-{module}.prod.js"), module


def test_the_policy_lets_the_worker_and_the_manifest_load_from_the_site() -> None:
    """worker-src and manifest-src fall back to default-src, which is the site itself."""
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["default-src"] == "'self'"
    assert "worker-src" not in directives and "manifest-src" not in directives


def test_the_offline_page_needs_no_login(client: Client, db: None) -> None:
    response = client.get("/offline/")
    assert response.status_code == 200
    assert "离线：已保存的页面可继续填写，提交将在联网后自动上传" in response.content.decode()


def test_the_outbox_is_an_empty_list_for_a_user_and_asks_a_visitor_to_log_in(
    cast: Cast, client: Client
) -> None:
    assert client.get("/outbox/")["Location"].startswith("/accounts/login/")
    client.force_login(cast.user("wangge01"))
    page = client.get("/outbox/").content.decode()
    assert 'id="outbox-list"' in page and "立即上传" in page
    # every page carries the badge (shown by the script when something waits) and the manifest
    home = client.get("/").content.decode()
    assert 'id="outbox-link"' in home and 'rel="manifest"' in home and 'name="theme-color"' in home


def test_the_pages_kept_at_login_are_the_users_forms_registers_and_to_do(cast: Cast, client: Client) -> None:
    load(cast, inspection())
    monitored = household_factories.monitoring_case(cast.grid0101)
    assert client.get("/offline/pages.json")["Location"].startswith("/accounts/login/")
    client.force_login(cast.user("wangge01"))
    pages = client.get("/offline/pages.json").json()["pages"]
    assert pages[:5] == ["/cases/new/", "/cases/report/", "/cases/visits/", "/todo/", "/outbox/"]
    assert "/registers/inspections/new/" in pages
    assert f"/households/monitoring/{monitored.pk}/" in pages  # this month's visit is on the to-do list
    # another village's staff do not visit it
    client.force_login(cast.user("cun02"))
    assert f"/households/monitoring/{monitored.pk}/" not in client.get("/offline/pages.json").json()["pages"]
