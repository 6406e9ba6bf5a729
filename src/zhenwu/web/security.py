"""What every response carries for the browser's protection, and the Chinese pages for failed requests.

The policy allows scripts from zhenwu's own files only (its code and the vendored ECharts): an injected
inline script or event handler does not run. Styles may be inline because ECharts writes its tooltips as
HTML with style attributes; a style cannot run code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from zhenwu import api_errors

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Location for a grid worker's report, nothing else a township's pages need.
PERMISSIONS_POLICY = ", ".join(
    [
        "geolocation=(self)",
        "camera=()",
        "microphone=()",
        "payment=()",
        "usb=()",
        "serial=()",
        "bluetooth=()",
        "midi=()",
    ]
)

# The Chinese pages, by status. They extend the site's layout; 500 is plain HTML that needs no context.
ERROR_MESSAGES = {
    400: ("请求有误", "提交的内容无法处理，请返回上一页检查后重试。"),
    403: ("无权访问", "您没有执行此操作的权限。如需开通，请联系乡镇管理员。"),
    404: ("页面不存在", "记录不存在或无权查看。请检查地址，或从菜单重新进入。"),
    500: ("服务器出错", "服务器处理请求时出错，已记录。请稍后再试；如多次出现，请联系乡镇管理员。"),
}


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            # No address of zhenwu holds one, and PostgreSQL cannot even compare a value with it.
            return error_page(request, 400, "请求地址中含有空字符(NUL)，无法处理。")
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A missing or forbidden page is shown in Chinese even on a debug server (the demo runs with
        DEBUG on, where Django would show its English debug page). The API answers in JSON itself."""
        if request.path.startswith(("/api/", "/open311/")):
            return None
        if isinstance(exception, Http404):
            return error_page(request, 404)
        if isinstance(exception, PermissionDenied):
            return error_page(request, 403)
        return None


def _has_nul(request: HttpRequest) -> bool:
    return "\x00" in request.path or any("\x00" in key + value for key, value in request.GET.items())


def error_page(request: HttpRequest, status: int, detail: str = "") -> HttpResponse:
    """The Chinese page; under /api/ the API's one JSON shape, as a client there reads no HTML."""
    title, message = ERROR_MESSAGES[status]
    if request.path.startswith("/api/"):
        body = {"detail": detail or api_errors.DETAILS.get(status, message), "errors": {}}
        return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    context = {"status": status, "title": title, "message": detail or message}
    return render(request, "error.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None, **_: Any) -> HttpResponse:
    return error_page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None, **_: Any) -> HttpResponse:
    return error_page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None, **_: Any) -> HttpResponse:
    return error_page(request, 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    detail = "页面已过期或来源不明，表单未提交。请刷新页面后重新提交。"
    return error_page(request, 403, detail)


def server_error(request: HttpRequest, **_: Any) -> HttpResponse:
    """Rendered without context processors or the database: whatever failed may fail again."""
    from django.template import loader

    if request.path.startswith("/api/"):
        body = {"detail": api_errors.SERVER_ERROR, "errors": {}}
        return JsonResponse(body, status=500, json_dumps_params={"ensure_ascii": False})
    title, message = ERROR_MESSAGES[500]
    html = loader.get_template("500.html").render({"title": title, "message": message})
    return HttpResponse(html, status=500)
