"""Reading the activity log, and acting as a user outside a web request.

Every create, update and delete of a registered model is written by django-auditlog from model signals;
inside a request its middleware names the actor. Commands and services run outside a request name the
actor with `acting_as`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet

from zhenwu.org import scope
from zhenwu.org.models import User

ACTION_LABELS = {
    LogEntry.Action.CREATE: "新增",
    LogEntry.Action.UPDATE: "修改",
    LogEntry.Action.DELETE: "删除",
    LogEntry.Action.ACCESS: "查看",
}
ACTION_CLASSES = {
    LogEntry.Action.CREATE: "create",
    LogEntry.Action.UPDATE: "update",
    LogEntry.Action.DELETE: "delete",
}


@contextmanager
def acting_as(actor: User | None) -> Iterator[None]:
    """Attribute every write inside the block to `actor`, restoring the outer actor afterwards."""
    outer = auditlog_value.get(None)
    with set_actor(actor):
        yield
    if outer is not None:
        auditlog_value.set(outer)


def may_read_log(user: Any) -> bool:
    return bool(user.is_authenticated) and scope.is_township_admin(user)


def entries_for(user: Any) -> QuerySet[LogEntry]:
    """The log entries a township admin may read: those made by users within their subtree."""
    entries = LogEntry.objects.select_related("actor", "actor__org_unit", "content_type").order_by(
        "-timestamp"
    )
    if not may_read_log(user):
        return entries.none()
    if scope.sees_everything(user):
        return entries
    root = scope.scope_root(user)
    assert root is not None
    return entries.filter(actor__org_unit__path__startswith=root.path)


def history_of(user: Any, record: models.Model) -> QuerySet[LogEntry]:
    """Every logged change of one record, newest first, for a user allowed to read the log."""
    content_type = ContentType.objects.get_for_model(type(record))
    if not may_read_log(user):
        return LogEntry.objects.none()
    return (
        LogEntry.objects.select_related("actor")
        .filter(Q(content_type=content_type) & Q(object_pk=str(record.pk)))
        .order_by("-timestamp")
    )


def changes_of(entry: LogEntry) -> list[tuple[str, str, str]]:
    """(field, before, after) for each changed field, with field names as the model shows them."""
    rows = []
    for field, (before, after) in (entry.changes_display_dict or {}).items():
        rows.append((str(field), _shown(before), _shown(after)))
    return rows


def _shown(value: object) -> str:
    """A logged decimal as pages show it: kept as "1E+3" or "4.9000", it reads "1000" and "4.9".
    Whole numbers are left as they are: a code such as "007" is text, not a number."""
    text = str(value)
    if not _DECIMAL.fullmatch(text):
        return text
    shown = f"{Decimal(text).normalize():f}"
    return "0" if shown == "-0" else shown


_DECIMAL = re.compile(r"-?(0|[1-9]\d*)(\.\d+([eE][+-]?\d+)?|[eE][+-]?\d+)")


def record_changes(model: type[models.Model], exclude: Iterable[str] = ()) -> None:
    """Write every create, update and delete of `model` to the activity log.

    The log holds the record's own fields. Relations that point at the record from other tables are
    left out: auditlog would read each of them (a query apiece) on every save, and their changes are
    logged with the records that hold them.
    """
    pointing_here = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
    auditlog.register(model, exclude_fields=[*pointing_here, *exclude])
