"""The milestones waiting for a user: those of their office's projects due within a week, or overdue.

A project's owner office (`Project.department`) runs it (`services.may_edit`) and marks its milestones
done on the project page; projects not yet signed, or completed, are not under way. One query.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from zhenwu.notifications.todo import TodoItem, TodoKind, end_of
from zhenwu.org.models import Role

from . import services
from .models import ACTIVE_STAGES, Milestone

DUE_WITHIN = timedelta(days=7)


def milestones_due(user: Any, today: Any) -> list[Milestone]:
    if user.role != Role.DEPARTMENT_STAFF or user.department_id is None:
        return []
    projects = services.projects_for(user).filter(department_id=user.department_id, stage__in=ACTIVE_STAGES)
    milestones = Milestone.objects.filter(
        project__in=projects, actual_date__isnull=True, planned_date__lte=today + DUE_WITHIN
    )
    return list(milestones.select_related("project").order_by("planned_date", "pk"))


def todo_items(user: Any, now: datetime) -> list[TodoItem]:
    today = timezone.localdate(now)
    return [
        TodoItem(
            kind=TodoKind.MILESTONE,
            key=f"milestone:{m.pk}",
            title=f"{m.project.name}：{m.name}",
            link=reverse("projects:project-detail", args=[m.project_id]) + "#milestones",
            due=end_of(m.planned_date),
            detail=f"计划{m.planned_date:%Y-%m-%d}完成" + (f" · {m.note}" if m.note else ""),
        )
        for m in milestones_due(user, today)
    ]
