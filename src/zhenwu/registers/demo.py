"""Demo registers: every library register loaded into 示范镇, with a year of records for its villages.

Definitions go through `services.load_definition` and every record through `services.create_record`
(all the server's checks), entered by the account that would enter it: a grid worker for a patrol of a
thing in their grid, the keeping office's staff for the rest. The things patrolled by grid workers
(lamps, waters, plots) belong to a grid of their village so that its worker may see them. Each record's
entry time is then set to the day it was made, so that the figures per month show a year; a case a
record opens (an inspection's hazard) is received on that day, due on the deadline the record set, and
then moved along its life as far as its age makes likely.
Idempotent: a township that has register records is left as it is.
"""

from __future__ import annotations

import hashlib
import random
from datetime import datetime, time
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhenwu.org import demo as org_demo
from zhenwu.org import services as org_services
from zhenwu.org.models import Department, OrgKind, OrgUnit, Role, User

from . import services
from .library.demo_records import ENTITY_FIELDS, DemoRecord, demo_records
from .models import Register, RegisterRecord

LIBRARY = Path(__file__).resolve().parent / "library"
# Every record goes through create_record's checks and the activity log (about 8 ms each): the corpus's
# 1055 lamps and their patrols would double the demo's load time, so the demo keeps one lamp in five
# (211) with every patrol of those. The other registers keep the corpus numbers.
LAMP_SHARE = 5
# Registers a grid worker fills on their round (a place inspected in the grid): entered in a grid of the
# record's village; a hazard found so opens its case in that grid, as the grid's cases are.
GRID_ROUNDS = {"place_inspection": "place_name"}
CASES_SEED = 20261118  # how far along each case an inspection opened has come: the same every load
HOUSEHOLDS_PER_VILLAGE = 6  # aid and poverty profiles for a few households of each village
PROJECTS = 12


def load() -> None:
    township = OrgUnit.objects.get(code=org_demo.TOWNSHIP[0])
    if RegisterRecord.objects.filter(register__township=township).exists():
        return
    admin = User.objects.get(username="admin")
    registers = load_library(admin, township)
    villages = list(township.children.filter(kind=OrgKind.VILLAGE).order_by("code"))
    records = demo_records(
        township.code,
        [(village.code, village.name) for village in villages],
        timezone.localdate(),
        households=_households(villages),
        projects=_projects(township),
    )
    _enter(admin, township, registers, thinned(records))


def thinned(records: dict[str, list[DemoRecord]]) -> dict[str, list[DemoRecord]]:
    """One lamp in LAMP_SHARE, with the patrols and repairs of those lamps."""
    lamps = records.get("street_lamp", [])
    kept = {record.thing for number, record in enumerate(lamps) if number % LAMP_SHARE == 0}
    return {
        **records,
        "street_lamp": [record for record in lamps if record.thing in kept],
        "lamp_patrol": [record for record in records.get("lamp_patrol", []) if record.thing in kept],
    }


def load_library(admin: User, township: OrgUnit) -> dict[str, Register]:
    """Each library workbook as a register of the township (a register already there is kept)."""
    registers = {}
    for path in sorted(LIBRARY.glob("*.xlsx")):
        register = Register.objects.filter(township=township, form_id=path.stem).first()
        if register is None:
            register = services.load_definition(admin, township, path.read_bytes(), path.name).register
        registers[register.form_id] = register
    return registers


def _households(villages: list[OrgUnit]) -> dict[str, list[str]]:
    from zhenwu.households.models import Household

    chosen = {}
    for village in villages:
        ids = Household.objects.filter(org_unit__path__startswith=village.path).order_by("pk")
        chosen[village.code] = [str(pk) for pk in ids.values_list("pk", flat=True)[:HOUSEHOLDS_PER_VILLAGE]]
    return chosen


def _projects(township: OrgUnit) -> list[str]:
    from zhenwu.projects.models import Project

    ids = Project.objects.filter(org_unit__path__startswith=township.path).order_by("pk")
    return [str(pk) for pk in ids.values_list("pk", flat=True)[:PROJECTS]]


class _Cast:
    """Who enters what: office staff by office code, grid workers by grid (made when missing)."""

    def __init__(self, admin: User, township: OrgUnit) -> None:
        self.admin = admin
        self.township = township
        self.offices = {office.code: office for office in Department.objects.filter(township=township)}
        self.grids = {
            unit.code: list(unit.children.filter(kind=OrgKind.GRID).order_by("code"))
            for unit in township.children.filter(kind=OrgKind.VILLAGE)
        }
        self._staff: dict[str, User] = {}
        self._workers: dict[int, User] = {}

    def staff(self, code: str) -> User:
        if code not in self._staff:
            office = self.offices[code]
            found = User.objects.filter(role=Role.DEPARTMENT_STAFF, department=office).order_by("pk").first()
            self._staff[code] = found or org_services.create_user(
                username=f"ks_{code}",
                password=None,
                role=Role.DEPARTMENT_STAFF,
                org_unit=self.township,
                department=office,
                display_name=f"{office.name}工作人员",
            )
        return self._staff[code]

    def grid_of(self, village_code: str, number: str) -> OrgUnit:
        """A thing's grid within its village, the same for the same 编号."""
        grids = self.grids[village_code]
        return grids[int(hashlib.md5(number.encode()).hexdigest(), 16) % len(grids)]

    def worker(self, grid: OrgUnit) -> User:
        if grid.pk not in self._workers:
            found = User.objects.filter(role=Role.GRID_WORKER, org_unit=grid).order_by("pk").first()
            self._workers[grid.pk] = found or org_services.create_user(
                username=f"wg{grid.code[-5:]}",
                password=None,
                role=Role.GRID_WORKER,
                org_unit=grid,
                display_name=f"{grid.name}网格员",
            )
        return self._workers[grid.pk]


def _patrolled(registers: dict[str, Register]) -> set[str]:
    """The thing registers that grid workers update (their things are placed in grids)."""
    kept = set()
    for form_id in ENTITY_FIELDS:
        register = registers.get(form_id)
        if register is not None and Role.GRID_WORKER in register.writers:
            entity_list = register.current_version.parsed().entity_list  # type: ignore[union-attr]
            kept.add(entity_list)
    return kept


def _enter(
    admin: User, township: OrgUnit, registers: dict[str, Register], records: dict[str, list[DemoRecord]]
) -> None:
    cast = _Cast(admin, township)
    units = {unit.code: unit for unit in OrgUnit.objects.filter(path__startswith=township.path)}
    patrolled = _patrolled(registers)
    thing_grid: dict[tuple[str, str], OrgUnit] = {}  # (thing register, 编号) -> its grid
    made: list[tuple[int, Any]] = []
    # Things first (every activity names one), then activities.
    order = sorted(records, key=lambda form_id: registers[form_id].kind != "thing")
    for form_id in order:
        register = registers[form_id]
        entity_list = _entity_list(register)
        for record in records[form_id]:
            unit = units[record.unit]
            user = _office_user(cast, register, record)
            if register.points_at == "project":
                user = _project_office_user(cast, register, record) or user
            if register.form_id in patrolled and unit.kind == OrgKind.VILLAGE and record.thing:
                unit = thing_grid.setdefault((form_id, record.thing), cast.grid_of(record.unit, record.thing))
            elif form_id in GRID_ROUNDS and unit.kind == OrgKind.VILLAGE:
                unit = cast.grid_of(record.unit, record.data[GRID_ROUNDS[form_id]])
                user = cast.worker(unit)
            elif entity_list in patrolled and Role.GRID_WORKER in register.writers:
                unit = thing_grid.get((entity_list, record.thing), unit)
                user = cast.worker(unit) if unit.kind == OrgKind.GRID else user
            with transaction.atomic():
                entered = services.create_record(
                    user, register, record.data, unit=unit, case_received_at=_made_at(record.made_on)
                )
            made.append((entered.pk, record.made_on))
    _date_entries(made)
    _settle_cases(township)


def _entity_list(register: Register) -> str:
    version = register.current_version
    return version.parsed().entity_list if version is not None else ""


def _office_user(cast: _Cast, register: Register, record: DemoRecord) -> User:
    """The keeping office's staff (the record's office when the register is kept by it)."""
    offices = [code for code in register.offices if code in cast.offices]
    code = record.office if record.office in offices else (offices[0] if offices else "")
    return cast.staff(code) if code else cast.admin


def _project_office_user(cast: _Cast, register: Register, record: DemoRecord) -> User | None:
    """A project is seen by its own office: its quantities are entered there (or by the township)."""
    from zhenwu.projects.models import Project

    project = Project.objects.select_related("department").filter(pk=record.data.get("project")).first()
    office = project.department if project is not None else None
    if office is None:
        return cast.admin
    return cast.staff(office.code) if office.code in register.offices else cast.admin


def _settle_cases(township: OrgUnit) -> None:
    """The cases the records opened, received on their records' days, moved along their lives as far as
    their age makes likely (`cases.demo.settle_opened`): a year's hazards are mostly rectified."""
    from zhenwu.cases import demo as cases_demo

    records = RegisterRecord.objects.filter(register__township=township, case__isnull=False)
    opened = records.select_related("case__case_type", "case__org_unit", "case__handling_unit").order_by("pk")
    cases_demo.settle_opened([record.case for record in opened if record.case], random.Random(CASES_SEED))


def _made_at(day: Any) -> datetime:
    """When a record of `day` was made: at ten in the morning, as its entry is dated; not after now."""
    return min(datetime.combine(day, time(10), tzinfo=timezone.get_current_timezone()), timezone.now())


def _date_entries(made: list[tuple[int, Any]]) -> None:
    """Entered on the day each record was made, at ten in the morning: one update per day (a
    correction of the loader's own timestamps, not a user's change, so no log line)."""
    zone = timezone.get_current_timezone()
    days: dict[Any, list[int]] = {}
    for pk, day in made:
        days.setdefault(day, []).append(pk)
    for day, pks in days.items():
        moment = datetime.combine(day, time(10), tzinfo=zone)
        RegisterRecord.objects.filter(pk__in=pks).update(entered_at=moment)
