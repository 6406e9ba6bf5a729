"""Every write of registers, and who may read and write which register.

A register is readable by a user when it lies in their scope (the township's catalog is shared with
everyone under it), their role is among its readers and, for office staff, their office is among its
offices. Records and things then go through `org/scope.py` by their unit. Writes run inside one
transaction and are logged by auditlog with the acting user.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from zhenwu.activity.services import acting_as
from zhenwu.core import idcard
from zhenwu.households import crypto
from zhenwu.org import scope
from zhenwu.org.models import OrgKind, OrgUnit, Role, User

from . import casework, expressions
from . import definition as spec
from .models import PointsAt, Register, RegisterRecord, RegisterVersion, Thing
from .stored import definition_to_json

# Path segments the register pages use for themselves: a register cannot be named like them.
RESERVED_FORM_IDS = {"load", "records", "things", "device"}


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
    register.figures = [
        {key: getattr(figure, key) for key in ("name", "label", "aggregate", "field", "filter", "unit")}
        for figure in definition.figures
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
) -> RegisterRecord:
    """Check one filled form on the server and keep it; a thing register's record makes its thing, an
    activity's record updates the thing it names. The same instance_id twice returns the first record."""
    if instance_id and (len(instance_id) > 64 or not instance_id.isprintable()):
        raise ValidationError({"instance_id": "实例编号应为不超过64个字符的可见文字(如 uuid:…)。"})
    if not may_write(user, register):
        raise PermissionDenied("无权填报该台账。")
    if instance_id:
        existing = RegisterRecord.objects.filter(instance_id=instance_id).select_related("unit").first()
        # A form sent again (a phone that lost the answer) is acknowledged with the record it made.
        if (
            existing is not None
            and existing.register_id == register.pk
            and scope.unit_in_scope(user, existing.unit)
        ):
            return existing
        if existing is not None:
            raise ValidationError({"instance_id": "该实例编号已被另一条记录使用。"})
    version = version or register.current_version
    if version is None or version.register_id != register.pk:
        raise ValidationError({"version": "该台账没有这个版本。"})
    definition = version.parsed()
    today = timezone.localdate()
    unit = _record_unit(user, register, unit)
    data = _checked_values(definition, values, today)
    pointed = _pointed(user, definition, data, points_at)
    thing = _target_thing(user, register, definition, data)
    _checked_identity(user, register, definition, data)
    record = RegisterRecord(
        register=register,
        version=version,
        unit=unit,
        department=user.department if user.role == Role.DEPARTMENT_STAFF else None,
        instance_id=instance_id or f"uuid:{uuid.uuid4()}",
        entered_by=user if user.pk else None,
        thing=thing,
        **pointed,
    )
    _store_values(record, definition, data)
    try:
        with transaction.atomic(), acting_as(user if user.pk else None):
            record.save()
            _update_things(record, register, definition, today)
            casework.open_case(user, record, definition)
    except IntegrityError:
        # Two submissions of one form at once: the first one stored wins, the second is that one.
        found = RegisterRecord.objects.filter(instance_id=record.instance_id).first()
        if found is None:
            raise
        return found
    return record


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
    for key, message in expressions.check_record(definition, values, today).items():
        errors.setdefault(key, []).append(message)
    if errors:
        raise ValidationError(errors)
    # Defaults and calculations filled in; fields that are not relevant are not kept.
    return dict(expressions.relevant_values(definition, values, today))


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


def _pointed(
    user: Any, definition: Any, data: dict[str, Any], given: models.Model | int | None
) -> dict[str, Any]:
    """The zhenwu record the form points at, which must lie in the user's scope."""
    kind = definition.points_at
    if not kind:
        return {}
    field = definition.points_at_field or "points_at"
    if given is None and definition.points_at_field:
        given = data.get(definition.points_at_field) or None
    if given is None:
        return {}
    from django.apps import apps

    model = apps.get_model(*POINTED_MODELS[PointsAt(kind)])
    pk = given.pk if isinstance(given, models.Model) else given
    if isinstance(given, models.Model) and not isinstance(given, model):
        raise ValidationError({field: f"应关联{PointsAt(kind).label}。"})
    found = scope.scoped(user, model.objects.all()).filter(pk=_as_int(pk)).first()
    if found is None:
        raise ValidationError({field: f"所关联的{PointsAt(kind).label}不存在或无权查看。"})
    return {kind: found}


def _as_int(value: Any) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


def _target_thing(user: Any, register: Register, definition: Any, data: dict[str, Any]) -> Thing | None:
    """The thing an activity names in its entity field, among the things the user may see."""
    field = definition.entity_id_field
    if definition.kind != "activity" or not field or not data.get(field):
        return None
    things = scope.scoped(user, Thing.objects.filter(register__township=register.township))
    if definition.entity_list:
        things = things.filter(register__form_id=definition.entity_list)
    named = str(data[field]).strip()
    try:
        thing = things.filter(key=named.removeprefix("uuid:")).first()
    except ValidationError:
        thing = None  # not a uuid: the thing's own number (编号), as a clerk writes it
    if thing is None:
        thing = things.filter(identity=named).exclude(identity="").first()
    if thing is None or not may_read(user, thing.register):
        raise ValidationError({field: "所选对象不存在或无权查看。"})
    return thing


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


def _update_things(record: RegisterRecord, register: Register, definition: Any, today: date) -> None:
    saved = {field.save_to: record.data.get(field.name) for field in definition.fields if field.save_to}
    saved = {key: value for key, value in saved.items() if value not in (None, "")}
    if definition.kind == "thing":
        label = _thing_label(definition, record.data, today)
        properties = saved or _plain_values(definition, record.data)
        identity = str(record.data.get(definition.identity_field) or "").strip()
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
    elif record.thing is not None and saved:
        thing = Thing.objects.select_for_update().get(pk=record.thing_id)
        thing.properties = {**thing.properties, **saved}
        thing.save(update_fields=["properties", "updated_at"])


def _numbered_thing(register: Register, identity: str) -> Thing | None:
    """The thing already registered under this number, locked for the update; a number the entering user
    may not see was checked before (`_checked_identity`)."""
    if not identity:
        return None
    return Thing.objects.select_for_update().filter(register=register, identity=identity).first()


def _checked_identity(user: Any, register: Register, definition: Any, data: dict[str, Any]) -> None:
    """A number registered by a unit outside the user's scope is not theirs to change."""
    field = definition.identity_field
    identity = str(data.get(field) or "").strip() if field else ""
    if not identity:
        return
    found = Thing.objects.filter(register=register, identity=identity).first()
    if found is not None and not scope.unit_in_scope(user, found.unit):
        raise ValidationError({field: f"编号“{identity}”已由其他单位登记，请核对编号。"})


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
