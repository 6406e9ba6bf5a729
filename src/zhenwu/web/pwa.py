"""The installable app: its manifest, its service worker, the offline page and the 待上传 list.

The service worker is a view at the site's root rather than a static file, because a worker controls only
the pages under the folder it is served from, and static files live under /static/. Its list of files to
keep (the app shell) carries a hash of each file's content, so a changed file is fetched again and an
unchanged one is not.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

WORKBOX = "web/vendor/workbox-7.4.1"
DEXIE = "web/vendor/dexie-4.4.7/dexie.min.js"
THEME_COLOUR = "#b3261e"  # the top bar's red, --red in zhenwu.css
ICONS = [
    ("web/icons/icon-192.png", "192x192", "any"),
    ("web/icons/icon-512.png", "512x512", "any"),
    ("web/icons/icon-maskable-512.png", "512x512", "maskable"),
]
# What a phone needs to open zhenwu and fill a form with no signal: the styles, the scripts and the
# icons. The pages themselves are kept as they are visited (network first), see sw.js.
APP_SHELL = [
    "web/zhenwu.css",
    "web/outbox-queue.js",
    "web/offline.js",
    "web/idempotency.js",  # without it offline, every page from the cache would carry the same key
    "web/photos.js",
    "web/unit-picker.js",
    DEXIE,
    "cases/case_form.js",
    "registers/form.css",
    "registers/form.js",
    "registers/picker.css",
    "registers/picker.js",
    *(path for path, _, _ in ICONS),
]


@require_GET
@cache_control(max_age=86400)
def manifest(request: HttpRequest) -> HttpResponse:
    body = {
        "name": "镇务",
        "short_name": "镇务",
        "description": "镇务 · 乡镇工作平台：上报事件、走访、填报台账，无信号时先存在手机上",
        "lang": "zh-CN",
        "start_url": reverse("todo:list"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#f5f6f8",
        "theme_color": THEME_COLOUR,
        "icons": [{"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
                  for path, sizes, purpose in ICONS],
    }  # fmt: skip
    text = json.dumps(body, ensure_ascii=False, indent=2)
    return HttpResponse(text, content_type="application/manifest+json; charset=utf-8")


@require_GET
@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    """Never cached by the browser's HTTP cache, so a new version is seen at the next visit."""
    context = {
        "precache": json.dumps(precache_list()),
        "workbox": static(WORKBOX),
        "dexie": static(DEXIE),
        "queue": static("web/outbox-queue.js"),
        "offline": reverse("web:offline"),
    }
    response = render(request, "web/sw.js", context, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@cache
def precache_list() -> list[dict[str, str]]:
    """Each shell file with the hash of its content; the offline page with the hash of them all and of its
    template, which is all it shows. Computed once per process: files change only with a new release."""
    entries = [{"url": static(path), "revision": _file_hash(path)} for path in APP_SHELL]
    everything = hashlib.sha256()
    for entry in entries:
        everything.update(entry["revision"].encode())
    everything.update(get_template("web/offline.html").template.source.encode())  # type: ignore[attr-defined]
    entries.append({"url": reverse("web:offline"), "revision": everything.hexdigest()[:16]})
    return entries


def _file_hash(path: str) -> str:
    found = finders.find(path)
    assert isinstance(found, str), path
    with open(found, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()[:16]


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """Shown by the service worker for a page that was never opened while online."""
    return render(request, "web/offline.html")


@login_required
@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    """An empty list: the submissions wait on the phone, and offline.js lists them from there."""
    return render(request, "web/outbox.html")


# Kept at most: a phone's storage is not the server's, and each page is fetched at login.
OFFLINE_PAGES_MAX = 40


@login_required
@require_GET
@never_cache
def offline_pages(request: HttpRequest) -> JsonResponse:
    """The pages this user will want with no signal, for offline.js to keep after login: the capture forms,
    the form of every register they may fill, and the page of each thing on their to-do list. offline.js
    keeps those of them its capture patterns name (the one list of them, which the service worker shares)."""
    from zhenwu.notifications.todo import todo_list
    from zhenwu.registers.services import registers_for

    fixed = ["cases:case-create", "cases:report", "cases:visit-list", "todo:list", "web:outbox"]
    pages = [reverse(name) for name in fixed]
    forms = registers_for(request.user, write=True).order_by("title").values_list("form_id", flat=True)
    pages += [reverse("registers:record-create", args=[form_id]) for form_id in forms.distinct()]
    pages += [item.link for item in todo_list(request.user).items]
    return JsonResponse({"pages": list(dict.fromkeys(pages))[:OFFLINE_PAGES_MAX]})
