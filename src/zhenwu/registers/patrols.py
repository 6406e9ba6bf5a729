"""Patrols due (巡查到期): a thing register whose definition declares `patrol_days` ("30 | lamp_patrol")
wants each of its things patrolled at least that often, a patrol being a record of the named activity
register about the thing. Each day, the writers of that activity register at a thing's unit are told
which of their things have gone that long without one: one notification a recipient a register a day.

A patrol is dated as the registers' figures date a record: by the activity's date field (巡查日期), or the
day it was entered when it holds none. A thing registered less than the interval ago is not due yet.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Subquery, TextField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from zhenwu.notifications.models import Kind
from zhenwu.notifications.services import Message, notify
from zhenwu.org.models import User

from . import services
from .figures import Span, date_field, dated, definition_of
from .models import Register, RegisterKind, RegisterRecord, Thing

# A reminder lists at most this many things, then says how many more.
PATROL_LINES = 50


def remind_patrols(now: datetime) -> str:
    today = timezone.localdate(now)
    told = due_count = 0
    unknown = []
    for register in Register.objects.filter(patrol_days__gt=0, kind=RegisterKind.THING).order_by("pk"):
        patrol = (
            Register.objects.filter(
                township_id=register.township_id, form_id=register.patrol_form, kind=RegisterKind.ACTIVITY
            )
            .select_related("township", "current_version")
            .first()
        )
        if patrol is None:
            unknown.append(f"{register.title}（未载入{register.patrol_form}）")
            continue
        due = due_things(register, patrol, today)
        due_count += len(due)
        if due:
            told += _tell(register, patrol, today, due)
    skipped = f"；未找到巡查台账：{'、'.join(unknown)}" if unknown else ""
    return f"提醒 {told} 人(到期未巡查 {due_count} 个对象){skipped}"


@dataclass(frozen=True)
class Due:
    thing: Thing
    last: str  # the day of its last patrol, "2026-10-02", or "" if it was never patrolled


def due_things(register: Register, patrol: Register, today: date) -> list[Due]:
    """The register's things with no patrol in the last `patrol_days` days (today included), registered
    before that, with the day of their last patrol: one query, however many patrols are stored."""
    since = today - timedelta(days=register.patrol_days - 1)
    field = date_field(definition_of(patrol))
    patrols = RegisterRecord.objects.filter(register=patrol, thing=OuterRef("pk"))
    last_entered = patrols.order_by("-entered_at").values("entered_at")[:1]
    things = (
        register.things.exclude(Exists(patrols.filter(dated(field, Span(start=since)))))
        .exclude(created_by_record__entered_at__gte=_day_start(since))
        .annotate(last_entered=Subquery(last_entered))
        .select_related("unit")
        .order_by("unit__path", "identity", "label", "pk")
    )
    if field:
        # ISO dates: the greatest text is the latest day. Cast, for a text lookup and not the JSON key's.
        days = patrols.annotate(day=Cast(KeyTextTransform(field, "data"), TextField())).filter(day__gt="")
        things = things.annotate(last_day=Subquery(days.order_by("-day").values("day")[:1]))
    return [Due(thing, _last(thing)) for thing in things]


def _last(thing: Thing) -> str:
    """The day of the thing's last patrol: as its date field holds it, else the day it was entered."""
    day = getattr(thing, "last_day", None)
    if day:
        return str(day)
    entered = thing.last_entered  # type: ignore[attr-defined]
    return timezone.localtime(entered).date().isoformat() if entered else ""


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _tell(register: Register, patrol: Register, today: date, due: list[Due]) -> int:
    """Each writer of the patrol register at a due thing's unit is told of that unit's things."""
    by_unit: dict[int, list[Due]] = defaultdict(list)
    for item in due:
        by_unit[item.thing.unit_id].append(item)
    key = f"patrol:{today:%Y-%m-%d}:register:{register.pk}"
    users = (
        User.objects.filter(is_active=True, org_unit_id__in=list(by_unit))
        .exclude(notifications__key=key)
        .select_related("org_unit", "department")
        .order_by("pk")
    )
    told = 0
    for user in users:
        if services.may_write(user, patrol):
            told += notify([user], _message(register, patrol, key, by_unit[user.org_unit_id]))
    return told


def _message(register: Register, patrol: Register, key: str, due: list[Due]) -> Message:
    lines = [f"{d.thing.label}（{'上次巡查' + d.last if d.last else '从未巡查'}）" for d in due]
    if len(lines) > PATROL_LINES:
        lines = [*lines[:PATROL_LINES], f"……共{len(due)}个"]
    # To the patrol's form, with the thing filled in when there is one.
    link = reverse("registers:record-create", args=[patrol.form_id])
    if len(due) == 1:
        link += f"?thing={due[0].thing.pk}"
    days = register.patrol_days
    return Message(
        kind=Kind.PATROL,
        key=key,
        title=f"{register.title}：{len(due)}个超过{days}天未巡查",
        body="\n".join([f"以下对象已超过{days}天未巡查，请安排巡查并在“{patrol.title}”中登记：", *lines]),
        link=link,
    )
