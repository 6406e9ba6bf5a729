"""Production pages protect the browser and fail in Chinese: a Content-Security-Policy that lets no inline
script run, Permissions-Policy, HSTS when served over HTTPS, and Chinese 400/403/404/500 and CSRF pages
in the site's layout, even on the demo's debug server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import path, reverse

from tests.conftest import Cast
from zhenwu import urls as zhenwu_urls
from zhenwu.web.security import CONTENT_SECURITY_POLICY

SOURCE = Path(zhenwu_urls.__file__).parent


def boom(request: object) -> None:
    raise RuntimeError("a bug")


urlpatterns = [*zhenwu_urls.urlpatterns, path("boom/", boom)]
handler500 = zhenwu_urls.handler500


def test_every_page_carries_the_policies(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("leader"))
    for url in ("/", reverse("indicators:dashboard"), reverse("login"), "/api/v1/me/"):
        response = client.get(url)
        assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert "camera=()" in response["Permissions-Policy"]
    assert "script-src 'self';" in CONTENT_SECURITY_POLICY and "unsafe-eval" not in CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY.split("script-src", 1)[1].split(";", 1)[0]


def test_no_template_has_an_inline_script_or_event_handler() -> None:
    """The policy would stop them; none may be relied on."""
    for template in SOURCE.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag or 'type="application/json"' in tag, f"{template}: {tag}"
        assert not re.search(r"\son[a-z]+\s*=", text), template


@override_settings(SECURE_HSTS_SECONDS=31536000)
def test_https_responses_tell_the_browser_to_keep_to_https(client: Client) -> None:
    assert "max-age=31536000" in client.get(reverse("login"), secure=True)["Strict-Transport-Security"]
    assert "Strict-Transport-Security" not in client.get(reverse("login"))  # a plain-HTTP intranet


@pytest.mark.parametrize("debug", [False, True])
def test_a_missing_page_is_chinese_in_the_layout_even_on_a_debug_server(
    cast: Cast, client: Client, debug: bool
) -> None:
    client.force_login(cast.user("cun01"))
    with override_settings(DEBUG=debug):
        response = client.get(reverse("households:household-detail", args=[999_999]))
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page and "记录不存在或无权查看" in page and "返回首页" in page
    assert 'class="topbar"' in page and "Page not found" not in page and "Traceback" not in page


def test_a_forbidden_page_is_chinese(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("wangge01"))
    response = client.get(reverse("households:access-list"))
    assert response.status_code in (403, 404)
    assert "Forbidden" not in response.content.decode()
    assert ("无权访问" if response.status_code == 403 else "页面不存在") in response.content.decode()


def test_a_form_sent_without_its_token_is_refused_in_chinese(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.user("leader"))
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "页面已过期或来源不明" in page and "CSRF" not in page


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_server_error_is_a_chinese_page_that_needs_nothing(client: Client) -> None:
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "服务器出错" in page and "Server Error" not in page and 'class="topbar"' in page
