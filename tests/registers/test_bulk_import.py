"""An Excel import checks its rows as create_record checks one record and writes them in bulk: what it
keeps is what the same rows entered one by one keep, a thing list imported again updates its things,
a refused row anywhere keeps nothing, and the import is one line in the activity log."""

from __future__ import annotations

import json
from typing import Any

from auditlog.models import LogEntry
from django.db import transaction

from tests.conftest import Cast
from tests.households import factories as hh
from zhenwu.cases.models import Case, CaseType
from zhenwu.households import crypto
from zhenwu.registers import imports, services
from zhenwu.registers.models import RecordImport, Register, RegisterRecord, Thing
from zhenwu.registers.workbook import ImportRow

from .books import aid, lamps, patrols
from .helpers import lamp_at, register_in
from .test_hazard_link import inspection, inspections


class _Undo(Exception):
    pass


def snapshot() -> dict[str, Any]:
    """Every record and thing as a page would show them, without their ids, keys and times."""
    records = [
        (
            r.register.form_id, r.unit.code, r.department_id, r.entered_by_id, r.data,
            json.loads(crypto.decrypt(r.personal_cipher)) if r.personal_cipher else {},
            r.thing.identity if r.thing else None, r.household_id,
        )
        for r in RegisterRecord.objects.select_related("register", "unit", "thing").order_by("pk")
    ]  # fmt: skip
    things = [
        (t.register.form_id, t.identity, t.label, t.unit.code, t.properties, t.created_by_record.data)
        for t in Thing.objects.select_related("register", "unit", "created_by_record").order_by("identity")
    ]
    return {"records": records, "things": things}


def rolled_back(enter: Any) -> dict[str, Any]:
    """What `enter()` leaves in the database, which is then put back as it was."""
    try:
        with transaction.atomic():
            enter()
            found = snapshot()
            raise _Undo
    except _Undo:
        return found


def test_an_import_keeps_what_the_same_rows_entered_one_by_one_keep(cast: Cast) -> None:
    lamp_at(cast, cast.village02, "0009", keeper_phone="13900001111")  # a number registered before
    registers = {
        "lamps": register_in(cast, cast.township, lamps()),
        "patrols": register_in(cast, cast.township, patrols()),
        "aid": register_in(cast, cast.township, aid()),
    }
    household = hh.household(cast.village01)
    village01, grid, village02 = cast.village01.name, cast.grid0101.name, cast.village02.name
    files: dict[str, list[ImportRow]] = {
        "lamps": [
            ImportRow(4, village01, {"lamp_no": "0001", "status": "normal", "keeper_phone": "13812345678"}),
            ImportRow(5, grid, {"lamp_no": "0002", "status": "broken"}),
            ImportRow(6, village02, {"lamp_no": "0009", "status": "broken"}),  # registered before
            ImportRow(7, "", {"lamp_no": "0001", "status": "broken"}),  # again in the same file
        ],
        "patrols": [
            ImportRow(4, grid, {"lamp": "0002", "status": "normal", "minutes": "15"}),
            ImportRow(5, village01, {"lamp": "0001", "status": "normal"}),
            ImportRow(6, grid, {"lamp": "0002", "status": "broken", "minutes": "5"}),  # later wins
        ],
        "aid": [ImportRow(4, village01, {"household": str(household.pk), "goods": "基础母羊2只"})],
    }
    admin = cast.user("admin")
    units = {unit.name: unit for unit in services.entry_units(admin, registers["lamps"])}

    def imported() -> None:
        for form_id in files:
            report = imports.import_records(admin, registers[form_id], files[form_id], dry_run=False)
            assert report.saved, report.errors

    def one_by_one() -> None:
        for form_id, rows in files.items():
            for row in imports.plain_rows(rows):
                unit = units.get(row.unit)
                services.create_record(admin, registers[form_id], row.values, unit=unit)

    by_import, by_hand = rolled_back(imported), rolled_back(one_by_one)
    assert by_import == by_hand
    things = {identity: (properties, unit) for _, identity, _, unit, properties, _ in by_import["things"]}
    assert things == {
        "0001": ({"status": "normal"}, cast.township.code),  # row 7 (the importer's unit), then a patrol
        "0002": ({"status": "broken"}, cast.grid0101.code),
        "0009": ({"status": "broken"}, cast.village02.code),
    }
    assert by_import["records"][1][4]["keeper_phone"] == "138****5678"  # masked, the full one encrypted
    assert by_import["records"][1][5] == {"keeper_phone": "13812345678"}


def many_lamps(cast: Cast, count: int, status: str = "normal") -> list[ImportRow]:
    units = [cast.village01.name, cast.grid0101.name, cast.grid0102.name]
    return [ImportRow(4 + n, units[n % 3], {"lamp_no": f"{n:04d}", "status": status}) for n in range(count)]


def test_a_thing_list_imported_again_updates_its_statuses(cast: Cast) -> None:
    register = register_in(cast, cast.township, lamps())
    admin = cast.user("admin")
    first = imports.import_records(admin, register, many_lamps(cast, 300), dry_run=False)
    assert first.saved and (first.created_things, first.updated_things) == (300, 0)
    again = many_lamps(cast, 300)
    again[10] = ImportRow(14, again[10].unit, {"lamp_no": "0010", "status": "broken"})
    again.append(ImportRow(400, cast.village01.name, {"lamp_no": "0300", "status": "broken"}))
    second = imports.import_records(admin, register, again, dry_run=False)
    assert second.saved and (second.created_things, second.updated_things) == (1, 300)
    assert Thing.objects.filter(register=register).count() == 301
    broken = Thing.objects.filter(register=register, properties__status="broken")
    assert sorted(broken.values_list("identity", flat=True)) == ["0010", "0300"]
    assert RegisterRecord.objects.filter(register=register).count() == 601


def test_a_refused_late_row_keeps_nothing(cast: Cast) -> None:
    register = register_in(cast, cast.township, lamps())
    patrol = register_in(cast, cast.township, patrols())
    admin = cast.user("admin")
    assert imports.import_records(admin, register, many_lamps(cast, 300), dry_run=False).saved
    before = (RegisterRecord.objects.count(), RecordImport.objects.count())
    rows = [
        ImportRow(4 + n, cast.village01.name, {"lamp": f"{n % 300:04d}", "status": "broken"})
        for n in range(400)
    ]
    rows[398] = ImportRow(402, cast.village01.name, {"lamp": "9999", "status": "broken"})  # no such lamp
    report = imports.import_records(admin, patrol, rows, dry_run=False)
    assert report.errors == ["第402行「路灯」列：所选对象不存在或无权查看。"] and not report.saved
    assert (RegisterRecord.objects.count(), RecordImport.objects.count()) == before
    assert not Thing.objects.filter(properties__status="broken").exists()
    # A value refused by its own field is named the same way, and keeps nothing either.
    rows[398] = ImportRow(402, cast.village01.name, {"lamp": "0001", "status": "broken", "minutes": "-3"})
    report = imports.import_records(admin, patrol, rows, dry_run=False)
    assert report.errors == ["第402行「用时(分钟)」列：用时不能为负数"]
    assert (RegisterRecord.objects.count(), RecordImport.objects.count()) == before


def test_an_import_is_one_line_in_the_activity_log(cast: Cast, django_assert_max_num_queries: Any) -> None:
    register: Register = register_in(cast, cast.township, lamps())
    admin = cast.user("admin")
    logged = LogEntry.objects.count()
    # The rows' lookups and writes are made for all of them at once, not once per row.
    with django_assert_max_num_queries(25):
        report = imports.import_records(admin, register, many_lamps(cast, 300), dry_run=False)
    assert report.saved
    entry = LogEntry.objects.order_by("-pk").first()
    assert LogEntry.objects.count() == logged + 1 and entry is not None
    assert entry.actor == admin and entry.content_type.model == "recordimport"
    done = RecordImport.objects.get()
    assert (done.register, done.actor, done.unit, done.rows, done.created_things) == (
        register, admin, cast.township, 300, 300,
    )  # fmt: skip


def test_imported_inspections_open_a_case_for_each_hazard_found(cast: Cast, types: Any) -> None:
    register = inspections(cast)
    worker = cast.user("wangge01")
    grid = cast.grid0101.name
    rows = [
        ImportRow(4, grid, inspection()),
        ImportRow(5, grid, inspection("pass", place_name="西河超市")),
        ImportRow(6, grid, inspection(place_name="南山液化气站")),
    ]
    report = imports.import_records(worker, register, rows, dry_run=False)
    assert report.saved, report.errors
    opened = {r.data["place_name"]: r.case for r in RegisterRecord.objects.filter(register=register)}
    assert opened["西河超市"] is None
    assert [opened[name].title for name in ("东岗加油站", "南山液化气站")] == [  # type: ignore[union-attr]
        "东岗加油站：发现隐患", "南山液化气站：发现隐患",
    ]  # fmt: skip
    assert Case.objects.filter(reported_by=worker, org_unit=cast.grid0101).count() == 2


def test_an_import_that_cannot_open_its_cases_keeps_nothing(cast: Cast) -> None:
    CaseType.objects.filter(code="hazard").delete()
    register = inspections(cast)
    grid = cast.grid0101.name
    rows = [
        ImportRow(4, grid, inspection()),
        ImportRow(5, grid, inspection("pass")),
        ImportRow(6, grid, inspection()),
    ]
    report = imports.import_records(cast.user("wangge01"), register, rows, dry_run=False)
    assert [error.split("：")[0] for error in report.errors] == ["第4行「隐患描述」列", "第6行「隐患描述」列"]
    assert not report.saved and not RegisterRecord.objects.filter(register=register).exists()
