"""`GET /api/v1/notifications` (the caller's inbox, newest first, `?unread=1` for the unread) and
`POST /api/v1/notifications/{id}/read`. Another user's notification answers 404 like a missing one."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from zhenwu.api_errors import NOT_FOUND
from zhenwu.api_fields import Pages

from . import services
from .models import Kind, Notification


def notification_fields() -> dict[str, serializers.Field[Any, Any, Any, Any]]:
    """Fresh fields for each serializer that names them (a field belongs to one serializer)."""
    return {
        "id": serializers.IntegerField(),
        "kind": serializers.ChoiceField(choices=Kind.choices),
        "kind_label": serializers.CharField(help_text="类别的中文名称"),
        "title": serializers.CharField(),
        "body": serializers.CharField(),
        "link": serializers.CharField(help_text="所涉及事项的页面地址(本站路径)，可为空"),
        "urgent": serializers.BooleanField(),
        "created_at": serializers.DateTimeField(),
        "read_at": serializers.DateTimeField(allow_null=True, help_text="未读时为 null"),
        "attachment": serializers.CharField(allow_null=True, help_text="附件的下载地址，仅接收人可下载"),
    }


NotificationRow = inline_serializer("Notification", notification_fields())
NotificationPage = inline_serializer(
    "PaginatedNotificationList",
    {
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": inline_serializer("Notification", notification_fields(), many=True),
    },
)


class InboxQuerySerializer(serializers.Serializer[Any]):
    unread = serializers.BooleanField(required=False, default=False)


def notification_row(notification: Notification) -> dict[str, Any]:
    attachment = (
        reverse("notifications:attachment", args=[notification.pk]) if notification.attachment else None
    )
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "kind_label": notification.get_kind_display(),
        "title": notification.title,
        "body": notification.body,
        "link": services.target_of(notification),
        "urgent": notification.urgent,
        "created_at": notification.created_at,
        "read_at": notification.read_at,
        "attachment": attachment,
    }


@extend_schema(
    operation_id="notifications_list",
    parameters=[
        OpenApiParameter("unread", bool, description="只列出未读的(unread=1)"),
        OpenApiParameter("limit", int, description="每页条数(最多1000)"),
        OpenApiParameter("offset", int, description="跳过的条数"),
    ],
    responses=NotificationPage,
)
@api_view(["GET"])
def notification_list(request: Request) -> Response:
    """The caller's own notifications, newest first."""
    query = InboxQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    notifications = services.inbox(request.user, unread_only=query.validated_data["unread"])  # type: ignore[arg-type]
    pages = Pages()
    page = pages.paginate_queryset(notifications, request)
    return pages.get_paginated_response([notification_row(n) for n in page or []])


@extend_schema(operation_id="notifications_read", request=None, responses=NotificationRow)
@api_view(["POST"])
def notification_read(request: Request, pk: int) -> Response:
    """Mark one of the caller's notifications read (again is harmless); answers the notification."""
    notification = services.notification_of(request.user, pk)  # type: ignore[arg-type]
    if notification is None:
        raise Http404(NOT_FOUND)
    return Response(notification_row(services.mark_read(notification)))
