"""Submissions a phone may retry: the same idempotency key twice makes one record, and the retry is
answered as the first request was.

A phone that loses the answer to a submission (the signal went while the server was saving) cannot know
whether it was saved, so it sends it again with the same key: the header `Idempotency-Key` for the REST
API, the hidden field `idempotency_key` for a page's form (a form post cannot set headers). `idempotent`
wraps the view that saves:

- no key: the view runs as it always did;
- a new key: the view runs inside one transaction with the key's row, and a success (a redirect, or a
  REST answer in the 2xx range) is kept with the key; a refusal (a form shown again with its errors, a
  400, a 409) keeps nothing, so the corrected submission may use the same key;
- a key this user has used: the kept answer again (the same redirect, or the same status and body), and
  the view does not run; with a different body, 422 and a message (the key belongs to another submission).

Two requests with the same key at once: the second one's insert of the key waits on the unique index
until the first commits, then finds the kept answer. Keys are per user; another user's same key is a
different key. `clean_keys` (the daily job in web/tasks.py) deletes those older than IDEMPOTENCY_KEY_DAYS.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request
from rest_framework.response import Response

from zhenwu.api_errors import error_response

from .models import SubmissionKey

HEADER = "Idempotency-Key"
FIELD = "idempotency_key"
# A UUID is what the phone makes; any similar token is taken, so other clients may use their own scheme.
KEY_PATTERN = re.compile(r"[A-Za-z0-9._:-]{8,64}")
# Fields of a form post that are no part of what was submitted.
NOT_CONTENT = {FIELD, "csrfmiddlewaretoken"}

BAD_KEY = "幂等键(Idempotency-Key)格式不正确：应为8至64位字母、数字或“-”，如手机生成的 UUID。"
OTHER_BODY = "该幂等键已用于另一份内容不同的提交，未保存：新的提交请使用新的幂等键(Idempotency-Key)。"
IN_PROGRESS = "相同幂等键的提交正在处理，请稍后重试。"
REPLAYED = "这份提交此前已保存，没有重复保存。"
# Cleaning deletes this many keys per statement: a few hundred kilobytes of ids at a time.
CLEAN_BATCH = 2000

API_PARAMETER = OpenApiParameter(
    HEADER,
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "幂等键：调用方为每份提交生成的唯一值(如 UUID)。网络中断后重发同一提交时带上相同的键，"
        "服务器不会重复保存，而是返回第一次的应答(状态码和内容相同，应答头 Idempotent-Replayed: true)。"
        f"键按用户区分，保存 {settings.IDEMPOTENCY_KEY_DAYS} 天；同一键用于内容不同的提交返回 422。"
    ),
)

View = TypeVar("View", bound=Callable[..., Any])


def idempotent(view: View) -> View:
    """Wrap a view (a page's or the REST API's, a function or a viewset's method) that saves a submission."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        request = next(arg for arg in args if isinstance(arg, HttpRequest | Request))
        if request.method != "POST" or not request.user.is_authenticated:
            return view(*args, **kwargs)
        key = _key(request)
        if key is None:
            return view(*args, **kwargs)
        if not KEY_PATTERN.fullmatch(key):
            return _refuse(request, 400, BAD_KEY)
        return _once(request, key, lambda: view(*args, **kwargs))

    return cast(View, wrapped)


def clean_keys(now: datetime) -> tuple[int, bool]:
    """Delete one batch of keys older than IDEMPOTENCY_KEY_DAYS; say how many, and whether more are due."""
    before = now - timedelta(days=settings.IDEMPOTENCY_KEY_DAYS)
    due = list(
        SubmissionKey.objects.filter(created_at__lt=before)
        .order_by("pk")
        .values_list("pk", flat=True)[: CLEAN_BATCH + 1]
    )
    deleted, _ = SubmissionKey.objects.filter(pk__in=due[:CLEAN_BATCH]).delete()
    return deleted, len(due) > CLEAN_BATCH


def _key(request: HttpRequest | Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        form = request.data if isinstance(request, Request) else request.POST
        found = form.get(FIELD) if isinstance(form, dict | QueryDict) else None
        key = found if isinstance(found, str) else None
    key = key.strip() if key is not None else None
    return key or None


def _once(request: HttpRequest | Request, key: str, run: Callable[[], Any]) -> Any:
    fingerprint = _fingerprint(request)
    with transaction.atomic():
        try:
            # Its own savepoint: a key already there must not spoil the transaction around it.
            with transaction.atomic():
                entry = SubmissionKey.objects.create(
                    user=request.user, key=key, fingerprint=fingerprint, status=0
                )
        except IntegrityError:
            entry = None
        if entry is None:
            return _again(request, key, fingerprint)
        response = run()
        if not _keep(entry, response):
            entry.delete()
        return response


def _keep(entry: SubmissionKey, response: Any) -> bool:
    """Keep a success's answer with its key; say whether it was one."""
    if isinstance(response, Response) and 200 <= response.status_code < 300:
        entry.body = response.data
    elif isinstance(response, HttpResponseRedirect):
        entry.location = response["Location"]
    else:
        return False
    entry.status = response.status_code
    entry.save(update_fields=["status", "location", "body"])
    return True


def _again(request: HttpRequest | Request, key: str, fingerprint: str) -> Any:
    """The answer to a retry: what the first request was answered, or why not."""
    entry = SubmissionKey.objects.filter(user=request.user, key=key).first()
    if entry is None:  # the first one failed and took its key with it while this one waited
        return _refuse(request, 409, IN_PROGRESS)
    if entry.fingerprint != fingerprint:
        return _refuse(request, 422, OTHER_BODY)
    if entry.location:
        if isinstance(request, HttpRequest):
            messages.info(request, REPLAYED)
        response: Any = HttpResponseRedirect(entry.location, status=entry.status)
    else:
        response = Response(entry.body, status=entry.status)
    response["Idempotent-Replayed"] = "true"
    return response


def _refuse(request: HttpRequest | Request, status: int, message: str) -> Any:
    if isinstance(request, Request):
        return error_response(status, message)
    context = {"message": message, "back": request.path}
    return render(request, "web/submission_refused.html", context, status=status)


def _fingerprint(request: HttpRequest | Request) -> str:
    """A digest of what was submitted, read from the parsed input: a retried multipart post has a new
    boundary, so its raw bytes differ while its fields and files do not."""
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    if isinstance(request, Request) and not isinstance(request.data, QueryDict):
        data = (
            {k: v for k, v in request.data.items() if k != FIELD}
            if isinstance(request.data, dict)
            else request.data
        )
        digest.update(json.dumps(data, sort_keys=True, default=str).encode())
        return digest.hexdigest()
    form = request.data if isinstance(request, Request) else request.POST
    parts = [(name, values) for name, values in form.lists() if name not in NOT_CONTENT]
    if not isinstance(request, Request):
        parts += list(request.FILES.lists())
    for name, values in sorted(parts, key=lambda part: part[0]):
        digest.update(f"\n{name}=".encode())
        for value in values:
            digest.update(b"\x00")
            if isinstance(value, str):
                digest.update(value.encode())
            else:
                digest.update(_file_digest(value))
    return digest.hexdigest()


def _file_digest(upload: Any) -> bytes:
    digest = hashlib.sha256(f"{upload.name}:{upload.size}:".encode())
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.digest()
