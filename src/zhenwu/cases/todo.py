"""The cases waiting for a user: to accept, to handle, to verify.

Who *may* act on a case is wide (a township admin may take over any case of the township); who is
*waited for* is narrower, and is what this module lists:

- a case is dispatched (accepted, assigned, handled when nobody is assigned) by the staff of its handling
  unit itself: the grid's worker, the village's staff, at the township the office holding it, or the
  township admin when no office holds it;
- a case assigned to a person waits for that person alone;
- a resolved case is checked (核查销号) by the staff of its handling unit and of the unit directly above
  (the village checks its grids' work; the township admin the offices' and the villages').

An item is listed only if the case page offers the user its action (`services.allowed_transitions`), so
the list never shows a case the user cannot act on. One query, whatever the number of cases.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from zhenwu.core.workdays import DayCount
from zhenwu.notifications.todo import TodoItem, TodoKind, end_of
from zhenwu.org.models import Role
from zhenwu.workcalendar.services import work_calendar

from . import services
from .models import Case
from .states import State

TO_ACCEPT = frozenset({State.REPORTED, State.ESCALATED})
TO_HANDLE = frozenset({State.ACCEPTED, State.ASSIGNED, State.IN_PROGRESS, State.RETURNED, State.REOPENED})
# The moves that take a case on: a case where the user could only follow up or extend is not waiting.
HANDLING_ACTIONS = frozenset({"assign", "start", "resolve"})
NOTHING = Q(pk__in=[])
DISPATCHING_ROLES = {Role.GRID_WORKER, Role.VILLAGE_STAFF, Role.DEPARTMENT_STAFF, Role.TOWNSHIP_ADMIN}
CHECKING_ABOVE_ROLES = {Role.VILLAGE_STAFF, Role.TOWNSHIP_ADMIN}


def _own(user: Any) -> Q:
    """The cases whose handling unit the user works at (office staff: those their office holds)."""
    own = Q(handling_unit_id=user.org_unit_id)
    if user.role == Role.DEPARTMENT_STAFF:
        if user.department_id is None:
            return NOTHING  # an office account without its office holds nothing
        own &= Q(handling_department_id=user.department_id)
    return own


def _on_duty(user: Any) -> Q:
    """The cases the user dispatches: their own unit's; at the township, the admin those no office holds."""
    if user.role not in DISPATCHING_ROLES:
        return NOTHING
    if user.role == Role.TOWNSHIP_ADMIN:
        return _own(user) & Q(handling_department__isnull=True)
    return _own(user)


def _checked_by(user: Any) -> Q:
    if user.role not in DISPATCHING_ROLES:
        return NOTHING
    checked = _own(user)
    if user.role in CHECKING_ABOVE_ROLES:
        checked |= Q(handling_unit__parent_id=user.org_unit_id)
    return checked


def waiting_cases(user: Any) -> list[Case]:
    """The cases in the user's scope that may be waiting for them (`_kind_for` decides)."""
    waiting = (
        Q(assignee_id=user.pk, state__in=TO_HANDLE)
        | (_on_duty(user) & Q(state__in=TO_ACCEPT))
        | (_on_duty(user) & Q(state__in=TO_HANDLE, assignee__isnull=True))
        | (_checked_by(user) & Q(state=State.RESOLVED))
    )
    return list(services.cases_for(user).filter(waiting).order_by("pk"))


def _kind_for(user: Any, case: Case) -> TodoKind | None:
    """What the case waits for from the user, if the case page lets the user do it."""
    actions = {t.action for t in services.allowed_transitions(user, case)}
    if case.state_enum in TO_ACCEPT and "accept" in actions:
        return TodoKind.ACCEPT
    if case.state_enum in TO_HANDLE and actions & HANDLING_ACTIONS:
        return TodoKind.HANDLE
    if case.state_enum == State.RESOLVED and "verify" in actions:
        return TodoKind.VERIFY
    return None


def _due(case: Case, kind: TodoKind, calendar: Any) -> datetime | None:
    if kind == TodoKind.ACCEPT:
        return case.acceptance_deadline or case.deadline
    if kind == TodoKind.VERIFY and case.resolved_at is not None:
        resolved = timezone.localdate(case.resolved_at)
        return end_of(calendar.add_days(resolved, services.VERIFY_WORKING_DAYS, DayCount.WORKING))
    return case.deadline


def todo_items(user: Any, now: datetime) -> list[TodoItem]:
    items = []
    calendar = None
    for case in waiting_cases(user):
        kind = _kind_for(user, case)
        if kind is None:
            continue
        if kind == TodoKind.VERIFY and calendar is None:
            today = timezone.localdate(now)
            calendar = work_calendar(today, today)
        where = case.org_unit.name
        state = "" if kind != TodoKind.HANDLE else f" · {case.state_label}"
        items.append(
            TodoItem(
                kind=kind,
                key=f"case:{case.pk}",
                title=case.title,
                link=reverse("cases:case-detail", args=[case.pk]),
                due=_due(case, kind, calendar),
                detail=f"{case.number} · {case.case_type.name} · {where}{state}",
            )
        )
    return items
