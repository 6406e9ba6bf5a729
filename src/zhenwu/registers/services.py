"""Every write of registers, and who may read and write which register.

A register is readable by a user when it lies in their scope (the township's catalog is shared with
everyone under it), their role is among its readers and, for office staff, their office is among its
offices. Records and things then go through `org/scope.py` by their unit. Writes run inside one
transaction and are logged by auditlog with the acting user.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone

from zhenwu.activity.services import acting_as
from zhenwu.core import idcard
from zhenwu.households import crypto
from zhenwu.org import scope
from zhenwu.org.models import OrgKind, OrgUnit, Role, User

from . import casework, expressions
from . import definition as spec
from .models import EarlierInstance, PointsAt, Register, RegisterRecord, RegisterVersion, Thing
from .stored import definition_to_json

# Path segments the register pages use for themselves: a register cannot be named like them.
RESERVED_FORM_IDS = {"load", "records", "things", "device"}
# The things an entity field's search box offers for what was typed: enough to pick from on a phone.
THINGS_SHOWN = 20


# --- who may read and write ------------------------------------------------------------------------


def _allowed(user: Any, roles: list[str], offices: list[str]) -> bool:
    if scope.sees_everything(user):
        return True
    if scope.scope_root(user) is None:
        return False
    if roles and user.role not in roles:
        return False
    if offices and user.role == Role.DEPARTMENT_STAFF:
        office = user.department
        return office is not None and (office.code in offices or office.name in offices)
    return True


def may_read(user: Any, register: Register) -> bool:
    return _allowed(user, register.readers, register.offices) and _township_seen(user, register.township)


def _township_seen(user: Any, township: OrgUnit) -> bool:
    """As `scope.scoped` decides for a register (a catalog shared downward), from the paths alone."""
    if scope.sees_everything(user):
        return True
    root = scope.scope_root(user)
    return root is not None and (township.is_within(root) or root.is_within(township))


def may_write(user: Any, register: Register) -> bool:
    return may_read(user, register) and _may_write_settings(user, register)


def _may_write_settings(user: Any, register: Register) -> bool:
    # A county viewer reads the townships' registers; records are entered in the township.
    if getattr(user, "role", "") == Role.COUNTY_VIEWER:
        return False
    return _allowed(user, register.writers, register.offices)


def registers_for(user: Any, write: bool = False) -> QuerySet[Register]:
    """The registers `user` may read (or, with `write`, fill), in their scope."""
    keep = [
        register.pk
        for register in scope.scoped(user, Register.objects.all())
        if _allowed(user, register.readers, register.offices)
        and (not write or _may_write_settings(user, register))
    ]
    return Register.objects.filter(pk__in=keep).select_related("township", "current_version")


def registers_named(user: Any, form_id: str) -> list[Register]:
    """The registers of one form id the user may read, with one query: ODK Collect names a register by
    its form id alone, on every submission."""
    found = scope.scoped(user, Register.objects.filter(form_id=form_id).select_related("township"))
    return [register for register in found if _allowed(user, register.readers, register.offices)]


def fillable_version(user: Any, form_id: str, version: str) -> RegisterVersion | None:
    """The version of the one register of this form id the user may fill, with one query (without its
    workbook and XForm, which checking and storing a record do not need); None when it is not exactly
    one, for the caller to say why."""
    versions = RegisterVersion.objects.defer("source", "xform").select_related("register__township")
    # Every township may have a register of this form id: only those in scope are read.
    registers = scope.scoped(user, Register.objects.filter(form_id=form_id))
    found = [
        found
        for found in versions.filter(register__in=registers, version=version)
        if found.register.current_version_id and may_write(user, found.register)
    ]
    return found[0] if len(found) == 1 else None


def may_load(user: Any, township: OrgUnit) -> bool:
    return (
        scope.is_township_admin(user)
        and township.kind == OrgKind.TOWNSHIP
        and scope.unit_in_scope(user, township)
    )


# --- definitions -----------------------------------------------------------------------------------


def load_definition(
    user: Any, township: OrgUnit, source: bytes | BinaryIO, file_name: str
) -> RegisterVersion:
    """Read a township's XLSForm and keep it as a new register or a new version of one.

    A bad workbook raises `DefinitionError` with every message in Chinese and changes nothing.
    """
    if not may_load(user, township):
        raise PermissionDenied("只有本乡镇的管理员可以载入台账定义。")
    source = source if isinstance(source, bytes) else source.read()
    definition = spec.read_definition(source, file_name)
    problems = _conflicts(township, definition)
    if problems:
        raise spec.DefinitionError(problems)
    with transaction.atomic(), acting_as(user if user.pk else None):
        register, _ = Register.objects.select_for_update().get_or_create(
            township=township,
            form_id=definition.form_id,
            defaults={"title": definition.title, "kind": definition.kind},
        )
        version = RegisterVersion.objects.create(
            register=register,
            version=definition.version,
            file_name=file_name[:255],
            source=source,
            definition=definition_to_json(definition),
            xform=definition.xform,
            md5=definition.definition_hash.removeprefix("md5:"),
            loaded_by=user if user.pk else None,
        )
        _copy_settings(register, definition, version)
    return version


def _conflicts(township: OrgUnit, definition: Any) -> list[str]:
    """What the database refuses of a definition that is well-formed on its own."""
    if definition.form_id in RESERVED_FORM_IDS:
        return [f"settings 表 form_id:“{definition.form_id}”是保留名称，请换一个表单编号。"]
    register = Register.objects.filter(township=township, form_id=definition.form_id).first()
    if register is None:
        return []
    problems = []
    if not definition.version:
        problems.append(
            f"settings 表 version:台账“{register.title}”已载入过，新版本须在 version 列填写新的版本号。"
        )
    elif register.versions.filter(version=definition.version).exists():
        problems.append(
            f"settings 表 version:台账“{register.title}”已有版本“{definition.version}”，"
            "修改定义后请改用新的版本号。"
        )
    if register.kind != definition.kind:
        problems.append(f"台账“{register.title}”已是{register.get_kind_display()}，新版本不能改变台账类型。")
    return problems


def _copy_settings(register: Register, definition: Any, version: RegisterVersion) -> None:
    register.title = definition.title
    register.kind = definition.kind
    register.current_version = version
    register.readers = list(definition.readers)
    register.writers = list(definition.writers)
    register.offices = list(definition.offices)
    register.personal = [field.name for field in definition.fields if field.personal]
    register.points_at = definition.points_at
    register.patrol_days = definition.patrol_days
    register.patrol_form = definition.patrol_form
    register.figures = [
        {key: getattr(figure, key) for key in spec.FIGURE_KEYS} for figure in definition.figures
    ]
    register.save()


# --- records ---------------------------------------------------------------------------------------


POINTED_MODELS = {
    PointsAt.HOUSEHOLD: ("households", "Household"),
    PointsAt.MEMBER: ("households", "Member"),
    PointsAt.PROJECT: ("projects", "Project"),
    PointsAt.CASE: ("cases", "Case"),
}


def create_record(
    user: Any,
    register: Register,
    values: dict[str, Any],
    *,
    unit: OrgUnit | None = None,
    instance_id: str | None = None,
    version: RegisterVersion | None = None,
    points_at: models.Model | int | None = None,
    case_received_at: datetime | None = None,
) -> RegisterRecord:
    """Check one filled form on the server and keep it; a thing register's record makes its thing, an
    activity's record updates the thing it names. The same instance_id twice returns the first record.

    A case the record opens (casework) is received now; a loader of records of past days (the demo)
    gives `case_received_at`, the time its record was made."""
    if instance_id:
        _check_instance_id(instance_id)
    if not may_write(user, register):
        raise PermissionDenied("无权填报该台账。")
    if instance_id:
        existing = record_by_instance(instance_id)
        # A form sent again (a phone that lost the answer, or the copy an edit replaced) is acknowledged
        # with the record it made.
        if (
            existing is not None
            and existing.register_id == register.pk
            and scope.unit_in_scope(user, existing.unit)
        ):
            return existing
        if existing is not None:
            raise ValidationError({"instance_id": "该实例编号已被另一条记录使用。"})
    return _store_record(user, register, values, unit, instance_id, version, points_at, case_received_at)


def store_new_record(
    user: Any, register: Register, values: dict[str, Any], *, instance_id: str, version: RegisterVersion
) -> RegisterRecord:
    """`create_record` for a caller that has just looked the instance id up and found no record (ODK
    Collect's submissions, which answer a resend differently): the same checks, without the lookup."""
    _check_instance_id(instance_id)
    if not may_write(user, register):
        raise PermissionDenied("无权填报该台账。")
    return _store_record(user, register, values, None, instance_id, version, None, None)


def _store_record(
    user: Any,
    register: Register,
    values: dict[str, Any],
    unit: OrgUnit | None,
    instance_id: str | None,
    version: RegisterVersion | None,
    points_at: models.Model | int | None,
    case_received_at: datetime | None,
) -> RegisterRecord:
    checks = RecordChecks(user, register, version or register.current_version)
    record = checks.record(values, unit=unit, points_at=points_at, instance_id=instance_id)
    try:
        with transaction.atomic(), acting_as(user if user.pk else None):
            record.save()
            _update_things(record, register, checks.definition, checks.today)
            casework.open_case(user, record, checks.definition, received_at=case_received_at)
    except IntegrityError:
        # Two submissions of one form at once: the first one stored wins, the second is that one.
        found = RegisterRecord.objects.filter(instance_id=record.instance_id).first()
        if found is None:
            raise
        return found
    return record


def _check_instance_id(instance_id: str) -> None:
    if not instance_id or len(instance_id) > 64 or not instance_id.isprintable():
        raise ValidationError({"instance_id": "实例编号应为不超过64个字符的可见文字(如 uuid:…)。"})


# Lookups of many names at once go in chunks of this many (SQLite's limit on a statement's variables).
LOOKUP_CHUNK = 2000
_LARGEST_ID = 2**63 - 1


class RecordChecks:
    """Everything the server checks of a filled form before keeping it, for one user entering records
    of one version of a register, in the order it refuses them: the unit, the values (types, required,
    constraints, choices), the record the form points at, the thing it names, the number (编号) it
    registers.

    `create_record` checks one record with `record`. An Excel import checks its rows with the same
    calls in two steps — `values` for every row, then `prefetch` with all their values, then
    `completed` for each — so that what the rows name is looked up with a few queries for all of them;
    without `prefetch` each lookup is a query of its own.
    """

    def __init__(self, user: Any, register: Register, version: RegisterVersion | None) -> None:
        if version is None or version.register_id != register.pk:
            raise ValidationError({"version": "该台账没有这个版本。"})
        self.user = user
        self.register = register
        self.version = version
        self.definition = version.parsed()
        self.today = timezone.localdate()
        self._named: dict[str, Thing | None] = {}  # an entity field's text -> the thing it names
        self._numbered: dict[str, Thing | None] = {}  # a number (编号) -> this register's thing of it
        self._pointed: dict[int, models.Model | None] = {}  # an id -> the record pointed at, if seen

    def record(
        self,
        values: dict[str, Any],
        *,
        unit: OrgUnit | None = None,
        points_at: models.Model | int | None = None,
        instance_id: str | None = None,
    ) -> RegisterRecord:
        """The record of `values` (not saved), or ValidationError keyed by field."""
        unit, data = self.values(values, unit)
        return self.completed(unit, data, points_at=points_at, instance_id=instance_id)

    def values(self, values: dict[str, Any], unit: OrgUnit | None = None) -> tuple[OrgUnit, dict[str, Any]]:
        """The record's unit and its values as kept (defaults and calculations made, fields that are not
        relevant left out): the checks that read no other record."""
        return _record_unit(self.user, self.register, unit), _checked_values(
            self.definition, values, self.today
        )

    def completed(
        self,
        unit: OrgUnit,
        data: dict[str, Any],
        *,
        points_at: models.Model | int | None = None,
        instance_id: str | None = None,
    ) -> RegisterRecord:
        """The record of checked values, once the records they name are checked (not saved)."""
        pointed, thing = self.named(data, points_at)
        user = self.user
        record = RegisterRecord(
            register=self.register,
            version=self.version,
            unit=unit,
            department=user.department if user.role == Role.DEPARTMENT_STAFF else None,
            instance_id=instance_id or f"uuid:{uuid.uuid4()}",
            entered_by=user if user.pk else None,
            thing=thing,
            **pointed,
        )
        _store_values(record, self.definition, data)
        return record

    def named(
        self, data: dict[str, Any], points_at: models.Model | int | None = None
    ) -> tuple[dict[str, Any], Thing | None]:
        """What checked values name, each checked in turn: the zhenwu record pointed at (by its kind), the
        thing the entity field names, and the number (编号) registered, which must not be another unit's."""
        pointed = self._pointed_record(data, points_at)
        thing = self._target_thing(data)
        self._check_identity(data)
        return pointed, thing

    def prefetch(self, rows: Iterable[dict[str, Any]]) -> None:
        """Look up at once what the checked values of many records name: the records they point at, the
        things their entity field names, the numbers they register."""
        rows = list(rows)
        self._load_pointed({pk for pk in map(self._pointed_id, rows) if pk is not None})
        self._load_named({name for name in map(self._entity_name, rows) if name is not None})
        self._load_numbered({identity for identity in map(self.identity_of, rows) if identity})

    # --- the record pointed at (a household, a member, a project, a case)

    def _pointed_id(self, data: dict[str, Any]) -> int | None:
        field = self.definition.points_at_field
        if not self.definition.points_at or not field or not data.get(field):
            return None
        return _as_int(data[field])

    def _pointed_record(self, data: dict[str, Any], given: models.Model | int | None) -> dict[str, Any]:
        """The zhenwu record the form points at, which must lie in the user's scope."""
        definition = self.definition
        kind = definition.points_at
        if not kind:
            return {}
        field = definition.points_at_field or "points_at"
        if given is None and definition.points_at_field:
            given = data.get(definition.points_at_field) or None
        if given is None:
            return {}
        model = _pointed_model(kind)
        if isinstance(given, models.Model) and not isinstance(given, model):
            raise ValidationError({field: f"应关联{PointsAt(kind).label}。"})
        pk = _as_int(given.pk if isinstance(given, models.Model) else given)
        self._load_pointed({pk})
        found = self._pointed[pk]
        if found is None:
            raise ValidationError({field: f"所关联的{PointsAt(kind).label}不存在或无权查看。"})
        return {kind: found}

    def _load_pointed(self, pks: set[int]) -> None:
        missing = sorted(pk for pk in pks if pk not in self._pointed)
        if not missing:
            return
        visible = scope.scoped(self.user, _pointed_model(self.definition.points_at).objects.all())
        for chunk in in_chunks(missing):
            found = {o.pk: o for o in visible.filter(pk__in=[pk for pk in chunk if 0 < pk <= _LARGEST_ID])}
            self._pointed.update({pk: found.get(pk) for pk in chunk})

    # --- the thing an activity names

    def _entity_name(self, data: dict[str, Any]) -> str | None:
        field = self.definition.entity_id_field
        if self.definition.kind != "activity" or not field or not data.get(field):
            return None
        return str(data[field]).strip()

    def _target_thing(self, data: dict[str, Any]) -> Thing | None:
        """The thing an activity names in its entity field (by its key, or by its number as a clerk
        writes it), among the things the user may see."""
        named = self._entity_name(data)
        if named is None:
            return None
        self._load_named({named})
        thing = self._named[named]
        if thing is None:
            raise ValidationError({self.definition.entity_id_field: "所选对象不存在或无权查看。"})
        return thing

    def _load_named(self, names: set[str]) -> None:
        missing = sorted(name for name in names if name not in self._named)
        if not missing:
            return
        # The same things the entity field's search box offers: what a page offers, a save accepts.
        things = nameable_things(self.user, self.register, self.definition)
        keys = {}
        for name in missing:
            with suppress(ValueError):
                keys[name] = uuid.UUID(name.removeprefix("uuid:"))
        by_key: dict[uuid.UUID, Thing] = {}
        for chunk in in_chunks(sorted(set(keys.values()))):
            by_key.update((thing.key, thing) for thing in things.filter(key__in=chunk))
        found = {name: by_key[key] for name, key in keys.items() if key in by_key}
        # Not a thing's key: the thing's own number, the first by the things' order when two registers
        # of the township use it.
        numbers = [name for name in missing if name not in found and name]
        for chunk in in_chunks(numbers):
            for thing in things.filter(identity__in=chunk).exclude(identity=""):
                found.setdefault(thing.identity, thing)
        self._named.update({name: found.get(name) for name in missing})

    # --- the number a thing register's record registers

    def identity_of(self, data: dict[str, Any]) -> str:
        field = self.definition.identity_field
        return str(data.get(field) or "").strip() if field else ""

    def _check_identity(self, data: dict[str, Any]) -> None:
        """A number registered by a unit outside the user's scope is not theirs to change."""
        identity = self.identity_of(data)
        if not identity:
            return
        self._load_numbered({identity})
        found = self._numbered[identity]
        if found is not None and not scope.unit_in_scope(self.user, found.unit):
            raise ValidationError(
                {self.definition.identity_field: f"编号“{identity}”已由其他单位登记，请核对编号。"}
            )

    def _load_numbered(self, identities: set[str]) -> None:
        missing = sorted(identity for identity in identities if identity not in self._numbered)
        things = Thing.objects.filter(register=self.register).select_related("unit")
        for chunk in in_chunks(missing):
            found = {thing.identity: thing for thing in things.filter(identity__in=chunk)}
            self._numbered.update({identity: found.get(identity) for identity in chunk})


def in_chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), LOOKUP_CHUNK):
        yield items[start : start + LOOKUP_CHUNK]


def _pointed_model(kind: str) -> type[models.Model]:
    from django.apps import apps

    return apps.get_model(*POINTED_MODELS[PointsAt(kind)])


def _record_unit(user: Any, register: Register, unit: OrgUnit | None) -> OrgUnit:
    unit = unit or (user.org_unit if user.org_unit_id else None)
    if unit is None or not scope.unit_in_scope(user, unit):
        raise ValidationError({"unit": "请选择本人数据范围内的单元。"})
    if not unit.is_within(register.township):
        raise ValidationError({"unit": f"所选单元不属于{register.township.name}。"})
    return unit


def _checked_values(definition: Any, values: dict[str, Any], today: date) -> dict[str, Any]:
    names = {field.name for field in definition.fields}
    errors: dict[str, list[str]] = {
        key: [f"表单中没有字段“{key}”。"]
        for key in values
        if key not in names and key not in definition.repeats_by_name
    }
    for repeat in definition.repeats:
        for key, message in _repeat_shape(repeat, values.get(repeat.name)):
            errors.setdefault(key, []).append(message)
    # PostgreSQL keeps no NUL in a JSON value; no one types one.
    for key, value in _flat_values(definition, values):
        if "\x00" in str(value):
            errors.setdefault(key, []).append("含有不可见的控制字符(NUL)，请删除后重新填写。")
    problems, kept = expressions.checked_values(definition, values, today)
    for key, message in problems.items():
        errors.setdefault(key, []).append(message)
    if errors:
        raise ValidationError(errors)
    # Defaults and calculations filled in; fields that are not relevant are not kept.
    return dict(kept)


def _repeat_shape(repeat: Any, rows: Any) -> list[tuple[str, str]]:
    """What is wrong with the shape of a repeat's value: a list of at most MAX_REPEAT_ROWS rows, each
    a dict of the repeat's own fields."""
    if rows is None:
        return []
    if not isinstance(rows, list | tuple) or not all(isinstance(row, dict) for row in rows):
        return [(repeat.name, f"「{repeat.title}」应为若干项，每项按字段名填写。")]
    if len(rows) > spec.MAX_REPEAT_ROWS:
        return [(repeat.name, f"「{repeat.title}」最多{spec.MAX_REPEAT_ROWS}项，现有{len(rows)}项。")]
    names = {field.name for field in repeat.fields}
    return [
        (repeat.name, f"{spec.row_words(repeat, index)}：表单中没有字段“{key}”。")
        for index, row in enumerate(rows)
        for key in row
        if key not in names
    ]


def _flat_values(definition: Any, values: dict[str, Any]) -> list[tuple[str, Any]]:
    """Every value given, a repeat row's by its `repeat_key`."""
    found = []
    for key, value in values.items():
        if key in definition.repeats_by_name and isinstance(value, list | tuple):
            found += [
                (spec.repeat_key(key, index, name), item)
                for index, row in enumerate(value)
                if isinstance(row, dict)
                for name, item in row.items()
            ]
        else:
            found.append((key, value))
    return found


def _as_int(value: Any) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


def _store_values(record: RegisterRecord, definition: Any, data: dict[str, Any]) -> None:
    """Personal values go encrypted into `personal_cipher`; `data` keeps their masked copies."""
    personal = {
        field.name: str(data[field.name])
        for field in definition.fields
        if field.personal and data.get(field.name) not in (None, "")
    }
    record.data = {**data, **{name: mask(value) for name, value in personal.items()}}
    record.personal_cipher = crypto.encrypt(json.dumps(personal, ensure_ascii=False)) if personal else ""


def mask(value: str) -> str:
    """An identity number as households show it; anything else keeps its last four characters (a phone
    as 138****5678), a short text only its first."""
    value = value.strip()
    if len(value) == 18 and value[:17].isdigit():
        return idcard.mask_id_number(value)
    if any(ch.isdigit() for ch in value):
        return idcard.mask_phone(value)
    return value[:1] + "*" * (len(value) - 1)


def saved_values(definition: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The thing's properties a record sets: its values of the fields that save to one, when given."""
    saved = {field.save_to: data.get(field.name) for field in definition.fields if field.save_to}
    return {key: value for key, value in saved.items() if value not in (None, "")}


def thing_made(definition: Any, data: dict[str, Any], today: date) -> tuple[str, str, dict[str, Any]]:
    """What a thing register's record says of its thing: (label, number, properties)."""
    label = _thing_label(definition, data, today)
    properties = saved_values(definition, data) or _plain_values(definition, data)
    identity = str(data.get(definition.identity_field) or "").strip()
    return label, identity, properties


def _update_things(record: RegisterRecord, register: Register, definition: Any, today: date) -> None:
    if definition.kind == "thing":
        label, identity, properties = thing_made(definition, record.data, today)
        thing = _numbered_thing(register, identity)
        if thing is None:
            thing = Thing.objects.create(
                register=register, unit=record.unit, department=record.department, label=label,
                identity=identity, properties=properties, created_by_record=record,
            )  # fmt: skip
        else:  # the list entered again (a re-import): the thing of that number takes the new values
            thing.label, thing.unit = label, record.unit
            thing.properties = {**thing.properties, **properties}
            thing.save(update_fields=["label", "unit", "properties", "updated_at"])
        record.thing = thing
        record.save(update_fields=["thing"])
        return
    saved = saved_values(definition, record.data)
    if record.thing_id is not None and saved:
        thing = Thing.objects.select_for_update().get(pk=record.thing_id)
        thing.properties = {**thing.properties, **saved}
        thing.save(update_fields=["properties", "updated_at"])


def _numbered_thing(register: Register, identity: str) -> Thing | None:
    """The thing already registered under this number, locked for the update; a number the entering user
    may not see was checked before (`RecordChecks`)."""
    if not identity:
        return None
    return Thing.objects.select_for_update().filter(register=register, identity=identity).first()


def _thing_label(definition: Any, data: dict[str, Any], today: date) -> str:
    label = ""
    if definition.entity_label:
        label = str(expressions.evaluate(definition.entity_label, data, definition, today=today) or "")
    return (label or definition.title)[:255]


def _plain_values(definition: Any, data: dict[str, Any]) -> dict[str, Any]:
    """A thing's properties when no field saves to one: its single values (a repeat's rows stay in the
    record that registered it)."""
    skip = {field.name for field in definition.fields if field.type == "note"}
    skip |= set(definition.repeats_by_name)
    return {key: value for key, value in data.items() if key not in skip}


# --- reading ---------------------------------------------------------------------------------------


def records_for(user: Any, register: Register) -> QuerySet[RegisterRecord]:
    if not may_read(user, register):
        return RegisterRecord.objects.none()
    return scope.scoped(user, register.records.select_related("unit", "version", "entered_by", "thing"))


def records_pointing_at(user: Any, target: models.Model) -> list[RegisterRecord]:
    """The register records about one household, member, project or case (for that record's page), of
    the registers the user may read and in their scope, newest first."""
    kinds = {f"{app}.{name}": str(kind) for kind, (app, name) in POINTED_MODELS.items()}
    kind = kinds.get(type(target)._meta.label)
    if kind is None:
        raise TypeError(f"{type(target).__name__} is not a record a register points at.")
    records = scope.scoped(
        user,
        RegisterRecord.objects.filter(**{kind: target}).select_related(
            "register__township", "version", "unit", "entered_by"
        ),
    )
    return [record for record in records if may_read(user, record.register)]


def case_of(user: Any, record: RegisterRecord) -> Any:
    """The case the record opened (casework), if the user may see it."""
    if record.case_id is None:
        return None
    from zhenwu.cases.models import Case

    return scope.scoped(user, Case.objects.all()).filter(pk=record.case_id).first()


def things_for(user: Any, register: Register) -> QuerySet[Thing]:
    if not may_read(user, register):
        return Thing.objects.none()
    return scope.scoped(user, register.things.select_related("unit"))


def nameable_things(user: Any, register: Register, definition: Any) -> QuerySet[Thing]:
    """The things an activity's entity field may name: of the thing register its entities sheet names in
    the activity's township, which the user may read, in the user's scope."""
    if definition.kind != "activity" or not definition.entity_id_field:
        return Thing.objects.none()
    registers = Register.objects.filter(township=register.township)
    if definition.entity_list:
        registers = registers.filter(form_id=definition.entity_list)
    readable = [found.pk for found in registers.select_related("township") if may_read(user, found)]
    return scope.scoped(user, Thing.objects.filter(register__in=readable))


def things_matching(user: Any, register: Register, definition: Any, typed: str) -> list[Thing]:
    """The choices of the entity field's search box for what was typed: things whose 编号 or name holds
    it, the exact 编号 first, then 编号 starting with it, then by 编号 and name; at most THINGS_SHOWN."""
    typed = typed.strip()[:100]
    things = nameable_things(user, register, definition).select_related("unit")
    if not typed:
        return list(things.order_by("identity", "label", "pk")[:THINGS_SHOWN])
    rank = Case(
        When(identity=typed, then=Value(0)),
        When(identity__startswith=typed, then=Value(1)),
        default=Value(2),
    )
    matching = things.filter(Q(identity__icontains=typed) | Q(label__icontains=typed)).annotate(rank=rank)
    return list(matching.order_by("rank", "identity", "label", "pk")[:THINGS_SHOWN])


def thing_timeline(user: Any, thing: Thing) -> list[RegisterRecord]:
    """The records that made and changed a thing, oldest first, of the registers the user may read."""
    records = scope.scoped(
        user,
        RegisterRecord.objects.filter(thing=thing).select_related(
            "register__township", "version", "unit", "entered_by"
        ),
    ).order_by("entered_at", "pk")
    return [record for record in records if may_read(user, record.register)]


@dataclass(frozen=True)
class Table:
    """A repeat's rows as a page shows them: its fields' labels, then one row of values per item."""

    labels: list[str]
    rows: list[list[Any]]


@dataclass(frozen=True)
class Field:
    """One value of a record as a page shows it; a repeat's value is its number of rows, with `table`."""

    name: str
    label: str
    value: Any
    table: Table | None = None


def shown_values(record: RegisterRecord) -> list[Field]:
    """A record's values labelled by the version that made it (a field later removed keeps its label),
    each repeat in survey order as a small table."""
    definition = record.version.parsed()
    rows = []
    for item in definition.items():
        if item.name not in record.data:
            continue
        if isinstance(item, spec.Repeat):
            table = repeat_table(item, record.data[item.name])
            rows.append(Field(item.name, item.title, f"{len(table.rows)}项", table))
        elif item.type != "note":
            rows.append(Field(item.name, item.label or item.name, _label_of(item, record.data[item.name])))
    return rows


def described_values(record: RegisterRecord, data: dict[str, Any]) -> str:
    """A record's `data` as it once was (an activity log entry's before or after), in words: each value
    by its label in the record's version, as the record's page writes it."""
    definition = record.version.parsed()
    parts = []
    for item in definition.items():
        if item.name not in data:
            continue
        if isinstance(item, spec.Repeat):
            parts.append(f"{item.title}：{len(data[item.name] or [])}项")
        elif item.type != "note":
            parts.append(f"{item.label or item.name}：{_label_of(item, data[item.name])}")
    return "；".join(parts)


def repeat_columns(repeat: Any) -> list[Any]:
    """The fields of a repeat a page shows: not notes, nor the working values of the form (a calculation
    without a label)."""
    return [f for f in repeat.fields if f.type != "note" and not (f.type == "calculate" and not f.label)]


def repeat_table(repeat: Any, rows: Any) -> Table:
    columns = repeat_columns(repeat)
    shown = [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []
    return Table(
        [f.label or f.name for f in columns],
        [[_label_of(f, row[f.name]) if f.name in row else "" for f in columns] for row in shown],
    )


def thing_properties(thing: Thing) -> list[Field]:
    """A thing's current properties, labelled and with choice labels by its register's current version."""
    version = thing.register.current_version
    fields = {f.save_to: f for f in version.parsed().fields if f.save_to} if version else {}
    rows = []
    for name, value in thing.properties.items():
        field = fields.get(name)
        rows.append(Field(name, field.label if field else name, _label_of(field, value) if field else value))
    return rows


def _label_of(field: Any, value: Any) -> Any:
    if not field.choices or value in (None, ""):
        return value
    labels = {choice.name: choice.label for choice in field.choices}
    if field.type == "select_multiple":
        return "、".join(labels.get(part, part) for part in str(value).split())
    return labels.get(str(value), value)


def may_reveal(user: Any) -> bool:
    """Who may see personal values in full: as for households' identity numbers."""
    from zhenwu.households.services import may_see_full

    return may_see_full(user)


def reveal_record(user: User, record: RegisterRecord) -> dict[str, str]:
    """The personal values of one record in full, for a user allowed to see them; every reveal logged."""
    from zhenwu.households.models import PersonalDataAccess

    if (
        not may_reveal(user)
        or not scope.unit_in_scope(user, record.unit)
        or not may_read(user, record.register)
    ):
        raise PermissionDenied("无权查看完整的个人信息。")
    PersonalDataAccess.objects.create(
        actor=user, org_unit=record.unit, what=f"查看台账“{record.register.title[:40]}”记录的个人信息"[:64]
    )
    if not record.personal_cipher:
        return {}
    return dict(json.loads(crypto.decrypt(record.personal_cipher)))


def entry_units(user: Any, register: Register) -> list[OrgUnit]:
    """The units a user may enter a record of `register` for: their own first, then the villages and
    grids under it in the register's township."""
    own = user.org_unit if getattr(user, "org_unit_id", None) else None
    units = scope.visible_units(user).filter(
        path__startswith=register.township.path, kind__in=[OrgKind.VILLAGE, OrgKind.GRID]
    )
    found = [own] if own is not None and own.is_within(register.township) else []
    return found + [unit for unit in units.order_by("path") if unit != own]


# --- edits of a sent record (ODK Collect's deprecatedID) -------------------------------------------


class RecordChanged(ValidationError):
    """An edit of a version of the record that is no longer its latest: another edit came first."""


def record_by_instance(instance_id: str) -> RegisterRecord | None:
    """The record an instanceID names: its own, or one it was known by before an edit."""
    # Every phone's submission asks this of a new id, which names nothing: one query answers that.
    named = RegisterRecord.objects.filter(instance_id=instance_id).values_list("pk", flat=True).order_by()
    earlier = EarlierInstance.objects.filter(instance_id=instance_id).values_list("record_id", flat=True)
    found = list(named.union(earlier.order_by(), all=True))
    if not found:
        return None
    return RegisterRecord.objects.select_related("register", "unit").get(pk=found[0])


def may_edit_record(user: Any, record: RegisterRecord) -> bool:
    """The one who entered the record, or anyone who may fill its register, with the record in scope."""
    return (
        scope.unit_in_scope(user, record.unit)
        and may_read(user, record.register)
        and (record.entered_by_id == getattr(user, "pk", None) or may_write(user, record.register))
    )


def edit_record(
    user: Any,
    record: RegisterRecord,
    values: dict[str, Any],
    *,
    replaces: str,
    instance_id: str,
    version: RegisterVersion | None = None,
) -> RegisterRecord:
    """Replace a record's values by an edited copy of it: `instance_id` is the copy's own, `replaces` the
    one of the version it edits. The values are checked as a new record's; the record keeps its unit, its
    enterer and its entry time, and is known by both ids from now on. The things it made or names are
    brought up to date, a case it now calls for is opened, and the change is in the activity log."""
    if not may_edit_record(user, record):
        raise PermissionDenied("无权修改该记录。")
    _check_instance_id(instance_id)
    if record_by_instance(instance_id) is not None:
        raise ValidationError({"instance_id": "该实例编号已被另一条记录使用。"})
    register = record.register
    checks = RecordChecks(user, register, version or record.version)  # refuses another register's version
    version, definition, today = checks.version, checks.definition, checks.today
    data = _checked_values(definition, values, today)
    named, thing = checks.named(data)
    # A record pointed at from outside its values (a household's page) keeps what it points at.
    pointed = named if definition.points_at_field else None
    with transaction.atomic(), acting_as(user if user.pk else None):
        locked = (
            RegisterRecord.objects.select_for_update().select_related("register", "unit").get(pk=record.pk)
        )
        if locked.instance_id != replaces:
            raise RecordChanged("该记录此后已被修改过，本次修改未保存；请在网页上查看该记录的最新内容。")
        EarlierInstance.objects.create(record=locked, instance_id=locked.instance_id)
        before = locked.thing
        locked.instance_id, locked.version = instance_id, version
        if definition.kind == "activity":
            locked.thing = thing
        if pointed is not None:
            for kind in POINTED_MODELS:
                setattr(locked, str(kind), pointed.get(str(kind)))
        _store_values(locked, definition, data)
        if definition.kind == "thing":
            _renumber_thing(locked, register, definition)
        locked.save()
        for thing_pk in {t.pk for t in (before, locked.thing) if t is not None}:
            _replay_thing(thing_pk, today)
        if locked.case_id is None:
            casework.open_case(user, locked, definition)
    return locked


def _renumber_thing(record: RegisterRecord, register: Register, definition: Any) -> None:
    """A thing's registration edited to another number: the thing takes it, unless another thing has it
    or another record registered the thing (then that record holds its number)."""
    field, thing = definition.identity_field, record.thing
    identity = str(record.data.get(field) or "").strip() if field else ""
    if thing is None or not field or identity == thing.identity:
        return
    if identity and Thing.objects.filter(register=register, identity=identity).exclude(pk=thing.pk).exists():
        raise ValidationError({field: f"编号“{identity}”已登记为另一对象，不能改为该编号。"})
    if thing.created_by_record_id != record.pk:
        raise ValidationError(
            {field: f"该对象由另一条记录登记，修改本记录不能改变其编号“{thing.identity}”。"}
        )
    thing.identity = identity
    thing.save(update_fields=["identity", "updated_at"])


def _replay_thing(thing_pk: int, today: date) -> None:
    """A thing's label and properties as its records make them, applied in the order they were entered: an
    edited record counts with its new values, and a record entered after it still has the last word."""
    thing = Thing.objects.select_for_update().get(pk=thing_pk)
    label, properties = thing.label, {}
    definitions: dict[int, Any] = {}
    records = (
        RegisterRecord.objects.filter(thing=thing).select_related("version").order_by("entered_at", "pk")
    )
    for record in records:
        definition = definitions.setdefault(record.version_id, record.version.parsed())
        saved = {field.save_to: record.data.get(field.name) for field in definition.fields if field.save_to}
        saved = {key: value for key, value in saved.items() if value not in (None, "")}
        if record.register_id == thing.register_id:
            label = _thing_label(definition, record.data, today)
            properties.update(saved or _plain_values(definition, record.data))
        else:
            properties.update(saved)
    thing.label, thing.properties = label, properties
    thing.save(update_fields=["label", "properties", "updated_at"])
