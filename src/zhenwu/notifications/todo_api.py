"""`GET /api/v1/todo`: the caller's to-do list, as the page shows it."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from zhenwu.api_errors import INVALID, error_response

from .todo import TodoItem, TodoKind, todo_list

KINDS_HELP = "；".join(f"{kind.value} {kind.label}" for kind in TodoKind)
ITEM = inline_serializer(
    "TodoItem",
    {
        "kind": serializers.ChoiceField(TodoKind.values, help_text=KINDS_HELP),
        "kind_label": serializers.CharField(help_text="类别的中文名"),
        "key": serializers.CharField(help_text="所涉记录，在一个用户的清单中唯一，如 case:42"),
        "title": serializers.CharField(),
        "detail": serializers.CharField(),
        "due": serializers.DateTimeField(allow_null=True, help_text="截止时间(北京时间)；null 为无期限"),
        "overdue": serializers.BooleanField(help_text="已逾期"),
        "url": serializers.CharField(help_text="办理的页面(站内路径)"),
    },
    many=True,
    help_text="逾期的在前，再按截止时间；无期限的在后",
)
TODO = inline_serializer(
    "Todo",
    {
        "now": serializers.DateTimeField(help_text="清单计算的时刻：逾期按此判断"),
        "count": serializers.IntegerField(),
        "overdue": serializers.IntegerField(help_text="其中已逾期"),
        "by_kind": inline_serializer(
            "TodoCounts", {kind.value: serializers.IntegerField() for kind in TodoKind}, help_text="各类数量"
        ),
        "items": ITEM,
    },
)
TIME = serializers.DateTimeField()


def _item(item: TodoItem) -> dict[str, Any]:
    return {
        "kind": item.kind.value,
        "kind_label": item.kind_label,
        "key": item.key,
        "title": item.title,
        "detail": item.detail,
        "due": TIME.to_representation(item.due) if item.due else None,
        "overdue": item.overdue,
        "url": item.link,
    }


@extend_schema(
    parameters=[OpenApiParameter("kind", str, enum=TodoKind.values, description="只列出这一类")],
    responses=TODO,
)
@api_view(["GET"])
def todo(request: Request) -> Response:
    """Everything waiting for the caller: cases to accept, handle or verify, values to enter, visits,
    milestones, narrative entries and approvals, computed now from the records, within the caller's scope."""
    raw = request.query_params.get("kind", "")
    if raw and raw not in TodoKind.values:
        choices = "、".join(TodoKind.values)
        return error_response(400, INVALID, {"kind": [f"未知的类别“{raw[:20]}”，可选：{choices}。"]})
    kind = TodoKind(raw) if raw else None
    listed = todo_list(request.user)
    counts = dict(listed.kinds())
    return Response(
        {
            "now": TIME.to_representation(listed.now),
            "count": listed.count,
            "overdue": listed.overdue_count,
            "by_kind": {k.value: counts.get(k, 0) for k in TodoKind},
            "items": [_item(item) for item in listed.of_kind(kind)],
        }
    )
