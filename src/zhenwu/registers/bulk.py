"""Many checked records of one register kept at once: what `services.create_record` writes for each
record, written in batches (an Excel import of 100,000 rows takes seconds, not an hour).

The records come from `services.RecordChecks` (every check of create_record, made once for all of
them) in the order of the file, and are written as create_record would write them one after the
other: a thing register's record makes its thing, or updates the thing already registered under its
number (编号), also when an earlier row of the same file registered it; an activity's record updates
the thing it names, later rows over earlier ones; a record that finds a hazard opens its case. The
caller holds the transaction. The import itself is the logged write (`RecordImport`), as the
households' imports are: one line in the activity log, not one per record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from zhenwu.activity.services import acting_as

from . import casework, services
from .models import RecordImport, RegisterRecord, Thing

# Rows per INSERT: a batch of records is about 2 MB of statement.
BATCH_SIZE = 2000
# Rows per bulk UPDATE: Django writes one CASE over the batch's ids, which the database reads for
# every row it updates, so the cost of a batch grows with its square.
UPDATE_BATCH_SIZE = 500


@dataclass
class Stored:
    """What was written: new and updated things, the import's log record, and the records that could
    not open their case (by their place in the list given)."""

    created_things: int = 0
    updated_things: int = 0
    logged: RecordImport | None = None
    refused: dict[int, ValidationError] = field(default_factory=dict)


def store_records(checks: services.RecordChecks, records: list[RegisterRecord]) -> Stored:
    """Keep `records` (unsaved, made by `checks.completed`), in their order, inside the caller's
    transaction; a refused case (`Stored.refused`) leaves the caller to roll back."""
    user, definition = checks.user, checks.definition
    stored = Stored()
    with acting_as(user if user.pk else None):
        RegisterRecord.objects.bulk_create(records, batch_size=BATCH_SIZE)
        if definition.kind == "thing":
            stored.created_things, stored.updated_things = _register_things(checks, records)
        else:
            _update_named_things(checks, records)
        if definition.opens_case:
            for n, record in enumerate(records):
                try:
                    casework.open_case(user, record, definition)
                except ValidationError as error:
                    stored.refused[n] = error
        stored.logged = RecordImport.objects.create(
            register=checks.register,
            version=checks.version,
            actor=user,
            unit=_importing_unit(checks),
            rows=len(records),
            created_things=stored.created_things,
            updated_things=stored.updated_things,
        )
    return stored


def _register_things(checks: services.RecordChecks, records: list[RegisterRecord]) -> tuple[int, int]:
    """Each record's thing: made, or the one of its number updated (locked first). Returns how many
    things were made and how many records updated one."""
    definition, register = checks.definition, checks.register
    made = [(record, *services.thing_made(definition, record.data, checks.today)) for record in records]
    numbers = sorted({identity for _, _, identity, _ in made if identity})
    numbered: dict[str, Thing] = {}
    for chunk in services.in_chunks(numbers):
        locked = Thing.objects.select_for_update().filter(register=register, identity__in=chunk)
        numbered.update((thing.identity, thing) for thing in locked)
    new: list[Thing] = []
    changed: dict[int, Thing] = {}
    for record, label, identity, properties in made:
        thing = numbered.get(identity) if identity else None
        if thing is None:
            thing = Thing(
                register=register, unit=record.unit, department=record.department, label=label,
                identity=identity, properties=properties, created_by_record=record,
            )  # fmt: skip
            new.append(thing)
            if identity:
                numbered[identity] = thing
        else:  # the list entered again, or the number met earlier in this file
            thing.label, thing.unit = label, record.unit
            thing.properties = {**thing.properties, **properties}
            if thing.pk is not None:
                changed[thing.pk] = thing
        record.thing = thing
    Thing.objects.bulk_create(new, batch_size=BATCH_SIZE)
    _save_changed(changed, ["label", "unit", "properties", "updated_at"])
    RegisterRecord.objects.bulk_update(records, ["thing"], batch_size=UPDATE_BATCH_SIZE)
    return len(new), len(records) - len(new)


def _update_named_things(checks: services.RecordChecks, records: list[RegisterRecord]) -> None:
    """The properties each activity saves, written over its thing's (locked first), row after row."""
    saving = [(record, services.saved_values(checks.definition, record.data)) for record in records]
    saving = [(record, saved) for record, saved in saving if record.thing_id is not None and saved]
    things: dict[int, Thing] = {}
    for chunk in services.in_chunks(sorted({record.thing_id for record, _ in saving})):
        things.update((thing.pk, thing) for thing in Thing.objects.select_for_update().filter(pk__in=chunk))
    for record, saved in saving:
        thing = things[record.thing_id]
        thing.properties = {**thing.properties, **saved}
    _save_changed(things, ["properties", "updated_at"])


def _save_changed(things: dict[int, Thing], fields: list[str]) -> None:
    now = timezone.now()  # bulk_update does not set auto_now fields
    for thing in things.values():
        thing.updated_at = now
    Thing.objects.bulk_update(list(things.values()), fields, batch_size=UPDATE_BATCH_SIZE)


def _importing_unit(checks: services.RecordChecks) -> Any:
    """Where the import is logged: the importing user's own unit when it lies in the register's
    township (a county administrator's import, at the township)."""
    own = checks.user.org_unit if checks.user.org_unit_id else None
    township = checks.register.township
    return own if own is not None and own.is_within(township) else township
