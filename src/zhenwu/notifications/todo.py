"""The to-do list (待办): everything waiting for a user, computed live from the records.

Nothing here is stored. Each app says what waits for a user among its own records, through its `todo.py`
(`todo_items(user, now) -> list[TodoItem]`), with the same rules its pages use to let the user act, and
within the user's scope; this module gathers them and sorts them by when they are due. Each app's items
cost a fixed number of queries, whatever the number of records behind them.

The count in the navigation is kept for a minute per user (`count_for`): a page does not compute the
whole list to show one number, and the list itself (`/todo/`, the home page, the API) is always live
and puts its fresh count back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any

from django.core.cache import cache
from django.db import models
from django.utils import timezone
from django.utils.module_loading import import_string

from zhenwu.org import scope
from zhenwu.org.models import Role

# Each app's provider of to-do items, in the order their kinds are shown.
PROVIDERS = (
    "zhenwu.cases.todo.todo_items",
    "zhenwu.indicators.todo.todo_items",
    "zhenwu.households.todo.todo_items",
    "zhenwu.projects.todo.todo_items",
    "zhenwu.reports.todo.todo_items",
)
COUNT_SECONDS = 60  # how long the navigation's count may lag behind the records


class TodoKind(models.TextChoices):
    """What is to be done; the label is the kind as the list shows it."""

    ACCEPT = "accept", "待受理"
    HANDLE = "handle", "待办理"
    VERIFY = "verify", "待核查"
    VALUES = "values", "待填报"
    VISIT = "visit", "待走访"
    MILESTONE = "milestone", "项目节点"
    NARRATIVE = "narrative", "报告素材"
    APPROVAL = "approval", "待审批"


KIND_ORDER = {kind: n for n, kind in enumerate(TodoKind)}


@dataclass(frozen=True)
class TodoItem:
    """One thing waiting for a user: what it is, by when, and the page where it is done."""

    kind: TodoKind
    key: str  # what it is about, unique in one user's list: "case:42", "values:990101001:2026-10"
    title: str
    link: str
    due: datetime | None  # aware; None when nothing sets a date (a proposal waiting for approval)
    detail: str = ""
    overdue: bool = False  # set when the list is made, at its `now`

    @property
    def kind_label(self) -> str:
        return str(self.kind.label)

    def is_overdue(self, now: datetime) -> bool:
        return self.due is not None and self.due < now


def end_of(day: date) -> datetime:
    """A date an item is due on, as the moment it ends in Beijing time (deadlines end at midnight)."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


@dataclass
class TodoList:
    """A user's items at `now`: overdue first, then by due date; items with no due date last."""

    now: datetime
    items: list[TodoItem] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def overdue_count(self) -> int:
        return sum(1 for item in self.items if item.overdue)

    def kinds(self) -> list[tuple[TodoKind, int]]:
        """The kinds present, with how many of each, in the order of TodoKind."""
        counted = Counter(item.kind for item in self.items)
        return [(kind, counted[kind]) for kind in TodoKind if counted[kind]]

    def of_kind(self, kind: TodoKind | None) -> list[TodoItem]:
        return [item for item in self.items if kind is None or item.kind == kind]


def acts(user: Any) -> bool:
    """Only a user who works in a unit has anything to do: the county viewer reads, and an account with
    no role or unit sees nothing."""
    return scope.scope_root(user) is not None and user.role != Role.COUNTY_VIEWER


def _providers() -> list[Callable[[Any, datetime], list[TodoItem]]]:
    return [import_string(path) for path in PROVIDERS]


LAST = datetime.max.replace(tzinfo=timezone.get_fixed_timezone(0))


def _sort_key(item: TodoItem) -> tuple[bool, datetime, int, str]:
    return (not item.overdue, item.due or LAST, KIND_ORDER[item.kind], item.title)


def todo_list(user: Any, now: datetime | None = None) -> TodoList:
    """Everything waiting for `user` at `now`, sorted; its count is kept for the navigation."""
    now = now or timezone.now()
    items: list[TodoItem] = []
    if acts(user):
        for provider in _providers():
            items.extend(replace(item, overdue=item.is_overdue(now)) for item in provider(user, now))
    listed = TodoList(now, sorted(items, key=_sort_key))
    if getattr(user, "pk", None) is not None:
        cache.set(_count_key(user), listed.count, COUNT_SECONDS)
    return listed


def _count_key(user: Any) -> str:
    return f"todo:count:{user.pk}"


def cached_count(user: Any) -> int | None:
    """How many items waited for `user` when their list was last made, within the last minute."""
    if not acts(user):
        return 0
    counted = cache.get(_count_key(user))
    return None if counted is None else int(counted)


def count_for(user: Any) -> int:
    """How many items wait for `user`, as counted within the last minute (the navigation's badge)."""
    counted = cached_count(user)
    return todo_list(user).count if counted is None else counted
