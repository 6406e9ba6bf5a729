"""The REST API's errors: in Chinese, and always one shape, `{"detail": "…", "errors": {"field": ["…"]}}`.

`detail` says what went wrong in a sentence; `errors` names each field (or item, "values[2].value") with
its messages, and is empty when no field is to blame. A client reads one shape whatever failed: a bad
filter, a missing record, a refused transition, or the server itself.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger("zhenwu.api")

NOT_FOUND = "记录不存在或无权查看。"
INVALID = "提交的内容有误，请按各字段的提示修改。"
SERVER_ERROR = "服务器处理请求时出错，已记录。请稍后再试。"
UNREADABLE = "请求内容无法解析：请以有效的 JSON 提交。"
_CHINESE = re.compile(r"[\u4e00-\u9fff]")
# DRF's own messages for these, where its Chinese translation is missing or reads as a machine's.
DETAILS = {
    status.HTTP_401_UNAUTHORIZED: "未登录或令牌无效：请先登录，或在请求头中提供有效的 Token。",
    status.HTTP_403_FORBIDDEN: "无权执行此操作。",
    status.HTTP_404_NOT_FOUND: NOT_FOUND,
    status.HTTP_405_METHOD_NOT_ALLOWED: "不支持此请求方法。",
    status.HTTP_406_NOT_ACCEPTABLE: "无法以所要求的格式返回。",
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: "请求内容的格式不受支持，请以 JSON 提交。",
    status.HTTP_429_TOO_MANY_REQUESTS: "请求过于频繁，请稍后再试。",
}


def error_body(detail: str, errors: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {"detail": detail, "errors": errors or {}, **extra}


def error_response(code: int, detail: str, errors: dict[str, Any] | None = None, **extra: Any) -> Response:
    return Response(error_body(detail, errors, **extra), status=code)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(NOT_FOUND)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or DETAILS[status.HTTP_403_FORBIDDEN])
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        # Anything else is zhenwu's own failure: logged with its traceback, answered in the same shape.
        logger.exception("API error at %s", context["request"].path, exc_info=exc)
        return error_response(status.HTTP_500_INTERNAL_SERVER_ERROR, SERVER_ERROR)
    response.data = _shaped(exc, response.status_code, response.data)
    return response


def _shaped(exc: Exception, code: int, data: Any) -> dict[str, Any]:
    if isinstance(exc, exceptions.ValidationError):
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        return error_body(INVALID, {key: _messages(value) for key, value in errors.items()})
    if isinstance(exc, exceptions.NotFound):
        return error_body(NOT_FOUND)  # the same for a record that is missing and one out of scope
    if isinstance(exc, exceptions.ParseError):
        return error_body(UNREADABLE)
    detail = str(data.get("detail", "") if isinstance(data, dict) else data)
    # A message of zhenwu's own (in Chinese) is kept; the library's English ones are replaced.
    return error_body(detail if _CHINESE.search(detail) else DETAILS.get(code, INVALID))


def _messages(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v) for item in value for v in (item if isinstance(item, list | tuple) else [item])]
    if isinstance(value, dict):
        return [f"{key}：{message}" for key, inner in value.items() for message in _messages(inner)]
    return [str(value)]


ERROR_SCHEMA = {
    "type": "object",
    "required": ["detail", "errors"],
    "properties": {
        "detail": {"type": "string", "description": "出了什么问题，一句中文"},
        "errors": {
            "type": "object",
            "description": "按字段(或项目，如 values[2].value)列出的中文说明；无具体字段时为空",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "additionalProperties": True,
}
ERRORS = {
    "400": "请求有误：errors 按字段列出原因",
    "401": "未登录或令牌无效",
    "403": "无权执行此操作",
    "404": "记录不存在或不在调用者的范围内",
    "405": "不支持此请求方法",
    "415": "请求内容的格式不受支持",
}


def document_errors(result: dict[str, Any], **_: Any) -> dict[str, Any]:
    """drf-spectacular's last step: every operation documents the errors it may answer, in the one
    shape above, so that a client (and the schema test) knows them."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                response = responses.setdefault(code, {"description": description})
                response.setdefault("content", {"application/json": {"schema": reference}})
    return result
