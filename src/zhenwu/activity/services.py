"""Reading the activity log, and acting as a user outside a web request.

Every create, update and delete of a registered model is written by django-auditlog from model signals;
inside a request its middleware names the actor. Commands and services run outside a request name the
actor with `acting_as`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from zhenwu.core.numbers import format_grouped
from zhenwu.org import scope
from zhenwu.org.models import ScopeRule, User

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


def entry_for(user: Any, pk: int) -> LogEntry | None:
    """One entry the user may open: one made within their subtree, or one about a record they see (a
    change by the system or from above, which that record's history lists beside the others)."""
    entry = entries_for(user).filter(pk=pk).first()
    if entry is not None or not may_read_log(user):
        return entry
    about = LogEntry.objects.select_related("actor", "content_type").filter(pk=pk).first()
    model = about.content_type.model_class() if about is not None else None
    if about is None or model is None or not isinstance(getattr(model, "scope", None), ScopeRule):
        return None
    try:
        seen = scope.scoped(user, model._default_manager.filter(pk=about.object_pk)).exists()
    except ValueError:  # a key of another shape than the model's
        return None
    return about if seen else None


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
    """(field, before, after) for each changed field, named and written as the model's pages show them."""
    model = entry.content_type.model_class()
    # A record may write some of its values itself (a register record's form data, by the form's labels).
    writer = getattr(model, "logged_value", None)
    record = model._default_manager.filter(pk=entry.object_pk).first() if writer and model else None
    rows = []
    for name, values in (entry.changes_dict or {}).items():
        field = _field(model, name)
        before, after = [*values, None, None][:2]
        label = str(field.verbose_name) if field is not None else str(name)
        rows.append((label, _written(record, name, before, field), _written(record, name, after, field)))
    return rows


def _written(record: Any, name: str, value: object, field: models.Field[Any, Any] | None) -> str:
    written = record is not None and value not in (None, "None")
    own = record.logged_value(name, str(value)) if written else None
    return own if own is not None else shown(value, field)


EMPTY = "—"
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")
_NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?")


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def shown(value: object, field: models.Field[Any, Any] | None = None) -> str:
    """A logged value as the pages write it: a choice by its label, a record by its name, a time in
    Beijing time, a decimal with thousands separated (never "1E+3"), yes/no in words, nothing as —.

    auditlog keeps every value as text ("None" for nothing, datetimes as naive UTC); entries written by
    hand (`log_create` with a changes dict) carry values of no model field, read by their look alone."""
    if value is None or value in ("None", "", "null"):
        return EMPTY
    text = str(value)
    if field is None:
        return _by_look(text)
    if field.choices:
        return str(dict(field.flatchoices).get(_choice_key(field, text), text))
    if isinstance(field, models.ForeignKey):
        return _related(field, text)
    if isinstance(field, models.BooleanField):
        return {"True": "是", "False": "否"}.get(text, text)
    if isinstance(field, models.DateTimeField):
        return _local_time(text)
    if isinstance(field, models.DecimalField):
        return _grouped(text)
    return text


def _by_look(text: str) -> str:
    if _ISO_TIME.fullmatch(text):
        return _local_time(text)
    if _NUMBER.fullmatch(text) and ("." in text or "e" in text.lower()):
        return _grouped(text)  # whole numbers stay as typed: a code such as "007" is text
    return text


def _choice_key(field: models.Field[Any, Any], text: str) -> object:
    try:
        return field.to_python(text)
    except ValidationError:
        return text


def _related(field: models.ForeignKey[Any, Any], text: str) -> str:
    """The related record by its name, or 已删除 with its number when it is gone."""
    model = field.related_model
    assert isinstance(model, type)
    try:
        record = model._default_manager.filter(pk=text).first()
    except (ValueError, ValidationError):
        return text
    return str(record) if record is not None else f"已删除的{model._meta.verbose_name}（{text}）"


def _local_time(text: str) -> str:
    """A logged time (naive UTC from auditlog, or ISO with its offset) in Beijing time."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _grouped(text: str) -> str:
    try:
        return format_grouped(Decimal(text))
    except InvalidOperation:
        return text


def record_changes(model: type[models.Model], exclude: Iterable[str] = ()) -> None:
    """Write every create, update and delete of `model` to the activity log.

    The log holds the record's own fields. Relations that point at the record from other tables are
    left out: auditlog would read each of them (a query apiece) on every save, and their changes are
    logged with the records that hold them.
    """
    pointing_here = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
    auditlog.register(model, exclude_fields=[*pointing_here, *exclude])
