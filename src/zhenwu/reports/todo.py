"""The narrative entries waiting for a user: the compiler's requests (素材征集) asking their office, until
the office has written an entry for the report asked about. One query."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from zhenwu.notifications.todo import TodoItem, TodoKind, end_of

from . import services


def todo_items(user: Any, now: datetime) -> list[TodoItem]:
    items = []
    for request in services.requests_waiting_for(user):
        query = urlencode({"org": request.org_unit.code, "year": request.year, "kind": request.kind})
        items.append(
            TodoItem(
                kind=TodoKind.NARRATIVE,
                key=f"narrative:{request.pk}",
                title=f"{request.org_unit.name}{request.year}年{request.get_kind_display()}素材",
                link=f"{reverse('reports:entry-list')}?{query}#entry-form",
                due=end_of(request.due_on),
                detail=request.note or "请填写本站所的工作亮点、主要做法、存在问题和下阶段计划",
            )
        )
    return items
