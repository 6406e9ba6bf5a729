"""The households waiting for a user: monitored households to visit this month, and proposed risk
eliminations to approve.

Every household under monitoring is visited (走访) once a month, by the 20th (VISIT_DUE_DAY, the day the
unvisited reminder of issue 18 is sent): the grid worker of its grid and its village's staff see it
until someone records the month's visit. A risk elimination the village proposed waits for whoever
approves it at the township (`services.may_approve_elimination`); no rule sets a date for that.
One query for each.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from zhenwu.notifications.todo import TodoItem, TodoKind, end_of
from zhenwu.org import scope
from zhenwu.org.models import Role

from . import services
from .models import MonitoringCase, MonitoringState

VISITING_ROLES = {Role.GRID_WORKER, Role.VILLAGE_STAFF}


def _where(case: MonitoringCase) -> str:
    return f"{case.household.org_unit.name} · {case.get_category_display()}"


def visits_due(user: Any, now: datetime) -> list[TodoItem]:
    if user.role not in VISITING_ROLES:
        return []
    today = timezone.localdate(now)
    month_start = today.replace(day=1)
    due = end_of(today.replace(day=services.VISIT_DUE_DAY))
    cases = services.unvisited_monitored(user, month_start).select_related("household__org_unit")
    return [
        TodoItem(
            kind=TodoKind.VISIT,
            key=f"visit:{case.pk}:{month_start:%Y-%m}",
            title=f"走访监测户 {case.household.number}",
            link=reverse("households:monitoring-detail", args=[case.pk]),
            due=due,
            detail=f"{_where(case)} · 本月尚未走访",
        )
        for case in cases.order_by("household__number")
    ]


def approvals_due(user: Any) -> list[TodoItem]:
    if user.role == Role.COUNTY_VIEWER or not services.may_approve_elimination(user):
        return []
    proposed = scope.scoped(user, MonitoringCase.objects.filter(state=MonitoringState.ELIMINATION_PROPOSED))
    return [
        TodoItem(
            kind=TodoKind.APPROVAL,
            key=f"approval:{case.pk}",
            title=f"审批风险消除：监测户 {case.household.number}",
            link=reverse("households:monitoring-detail", args=[case.pk]),
            due=None,
            detail=_where(case)
            + (f" · 拟于{case.eliminated_on:%Y-%m-%d}消除风险" if case.eliminated_on else ""),
        )
        for case in proposed.select_related("household__org_unit").order_by("household__number")
    ]


def todo_items(user: Any, now: datetime) -> list[TodoItem]:
    return visits_due(user, now) + approvals_due(user)
