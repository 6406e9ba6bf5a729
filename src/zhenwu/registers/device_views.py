"""`/registers/device/`: a user's device key for ODK Collect, and the QR code that configures Collect.

The key is shown once, in the answer to the request that made it, and the QR code that carries it is
drawn into that same page as a data: image (the site's CSP allows `img-src data:`): no URL, cache or
session ever holds the key, so it cannot be fetched again. Afterwards the page shows only the key's first
characters and when it was last used.
"""

from __future__ import annotations

import base64

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from zhenwu.org.models import User

from . import devicekeys, openrosa


def server_url(request: HttpRequest) -> str:
    """The address Collect is given: the OpenRosa root, over HTTPS wherever Basic needs it."""
    secure = settings.OPENROSA_REQUIRE_HTTPS or request.is_secure()
    root = reverse("openrosa:form-list").removesuffix("formList").rstrip("/")
    return f"{'https' if secure else 'http'}://{request.get_host()}{root}"


def _project_name(user: User) -> str:
    unit = user.org_unit
    township = unit.township() if unit is not None else None
    return f"镇务·{(township or unit).name}" if unit is not None else "镇务"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def device(request: HttpRequest) -> HttpResponse:
    """GET shows the key in use; POST makes a new one (revoking the old) and shows it with its QR code."""
    user: User = request.user  # type: ignore[assignment]
    context = {"server_url": server_url(request), "new_key": None, "qr": ""}
    if request.method == "POST":
        made = devicekeys.create_key(user)
        settings_json = openrosa.collect_settings(
            context["server_url"], user.username, made.key, _project_name(user)
        )
        png = openrosa.settings_qr_png(settings_json)
        context |= {"new_key": made.key, "qr": "data:image/png;base64," + base64.b64encode(png).decode()}
    context["key"] = devicekeys.active_key(user)
    return render(request, "registers/device.html", context)


@login_required
@require_POST
def device_revoke(request: HttpRequest) -> HttpResponse:
    if devicekeys.revoke_keys(request.user):  # type: ignore[arg-type]
        messages.success(request, "设备密钥已停用：使用它的手机将无法再提交。")
    return redirect("registers:device")
