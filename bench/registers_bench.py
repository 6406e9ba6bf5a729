"""Registers (台账) at county scale: figures, lists, an Excel import and ODK Collect, each beside its floor.

    python bench/registers_bench.py --database-url URL [--label county_postgresql] [--townships 20]
        [--records 1000000] [--import-rows 100000] [--requests 40] [--seconds 10]

On a database of its own, generated when it holds no register records yet: the county's tree and
accounts (`zhenwu bench-data` with no other records), the template library loaded into every township
with `services.load_definition`, and `--records` records written in bulk (COPY on PostgreSQL): in each
township the library's demo things (1055 numbered lamps, waters, plots, debts, enterprises, farms) and
three years of what was done to them, the demo's year of patrols, visits, inspections and campaigns
repeated with their dates moved back until the township's share is reached, the things' properties as
those records left them. Then, for the register with the most records (路灯巡查, `lamp_patrol`) of the
first township, as its leader, and each measured beside a floor taken in the same run:

- the register's figures with their village breakdown (`figures.breakdown`, what the register's page
  shows), and the list's first page with its count (`listing.filtered_records`, as the page pages it);
  floor: a plain SELECT of the same rows from the same index (a count per unit over the span; the
  newest page and the count);
- the register's pages through the server (`zhenwu serve`, gunicorn, DEBUG off): floor `/healthz`;
- an Excel import of `--import-rows` patrols into the last township's register (read, every row
  checked as create_record checks it, written, one transaction): floor openpyxl reading the same file
  plus COPY of the same records (rolled back);
- ODK Collect submissions (multipart `xml_submission_file`, HTTP Basic with a device key) from 8
  clients: floor `/healthz` at 8 clients; every acknowledged record is counted in the database.

Results go to bench/results/registers_<label>.json.
"""

from __future__ import annotations

import argparse
import base64
import email.utils
import json
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from datetime import time as day_time
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from _setup import machine, write_result
from httpload import Request, Result, Server, environment, load, log_in

FORM = "lamp_patrol"  # the register with the most records: patrols and repairs of numbered lamps
THING_FORM = "street_lamp"
YEARS = 3
PASSWORD = "zhenwu-bench"  # bench-data's password for every account
CLIENTS = 8
TARGET_MS = {"figures": 200, "list": 200, "submission": 100}
TARGET_IMPORT_SECONDS = 60


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--label", default="county_postgresql")
    parser.add_argument("--townships", type=int, default=20)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40, help="measurements of each query and page")
    parser.add_argument("--seconds", type=float, default=10, help="the submissions' run")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--generate-only", action="store_true", help="make the data and stop")
    args = parser.parse_args()

    # Plain HTTP to 127.0.0.1, as an intranet install without TLS runs (docs/registers.md): Collect's
    # password would otherwise be refused over it.
    env = environment(args.database_url, OPENROSA_REQUIRE_HTTPS="0")
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    generated = generate(args.townships, args.records)
    if args.generate_only:
        print(json.dumps(scale()))
        return 0
    cast = Cast()
    result: dict[str, Any] = {
        "label": args.label,
        "database": env["DATABASE_URL"].split(":", 1)[0],
        "scale": scale(),
        "generated_seconds": generated,
        "register": {"form_id": FORM, "township": cast.first.name, "records": cast.register.records.count()},
    }
    print(json.dumps(result, ensure_ascii=False), flush=True)
    result["queries"] = measure_queries(cast, args.requests)
    with Server(env, args.workers, 1) as server:
        result["server"] = {"workers": args.workers, "threads": 1, "debug": False}
        cookies = {who: log_in(server.port, user.username, PASSWORD) for who, user in cast.readers.items()}
        result["floor"] = measure_floor(server.port, args.requests)
        result["pages"] = measure_pages(server.port, cast, cookies, args.requests, result["floor"])
        result["submissions"] = measure_submissions(server.port, cast, args.seconds, result["floor"])
    result["import"] = measure_import(cast, args.import_rows)
    result["machine"] = machine()
    path = write_result(f"registers_{args.label}", result)
    print(f"written to {path}")
    return 0


# --- the data ------------------------------------------------------------------------------------------


def generate(townships: int, records: int) -> float | None:
    """Make the county, its registers and their records, each only when missing; the seconds it took."""
    from django.core.management import call_command
    from django.db import transaction

    from zhenwu.org.models import OrgUnit
    from zhenwu.registers.models import RegisterRecord

    if RegisterRecord.objects.exists():
        return None
    started = time.perf_counter()
    if not OrgUnit.objects.exists():
        call_command(
            "bench_data",
            townships=townships,
            cases_per_township=0,
            indicators_per_township=0,
            projects_per_township=0,
            households_per_township=0,
        )
    from zhenwu.benchdata.sink import Sink
    from zhenwu.org.models import OrgKind
    from zhenwu.registers.models import Thing

    sink = Sink()
    chosen = list(OrgUnit.objects.filter(kind=OrgKind.TOWNSHIP).order_by("path"))
    for n, township in enumerate(chosen):
        share = records // len(chosen) + (1 if n < records % len(chosen) else 0)
        with transaction.atomic():  # records and things point at each other: checked at the commit
            Township(sink, township, n).write(share)
        print(f"{township.name}: {share:,} records, {time.perf_counter() - started:.0f} s", flush=True)
    sink.reset_sequences([RegisterRecord, Thing])
    if sink.is_postgres:
        sink.analyze()
    return round(time.perf_counter() - started, 1)


class Township:
    """One township's registers (the library, loaded as its admin would) and its records."""

    def __init__(self, sink: Any, township: Any, number: int) -> None:
        from django.utils import timezone

        from zhenwu.org.models import OrgKind, Role, User
        from zhenwu.registers.demo import load_library

        self.sink, self.township = sink, township
        self.today = timezone.localdate()
        self.random = random.Random(number)
        admin = User.objects.get(org_unit=township, role=Role.TOWNSHIP_ADMIN)
        self.registers = load_library(admin, township)
        self.definitions = {form_id: r.current_version.parsed() for form_id, r in self.registers.items()}
        self.villages = list(township.children.filter(kind=OrgKind.VILLAGE).order_by("code"))
        self.units = {u.code: u for u in type(township).objects.filter(path__startswith=township.path)}
        self.grids = {v.code: list(v.children.order_by("code")) for v in self.villages}
        people = User.objects.filter(org_unit__path__startswith=township.path, is_active=True)
        self.admin = admin
        self.office_staff = {u.department.code: u for u in people.filter(role=Role.DEPARTMENT_STAFF)}
        self.unit_users = {
            u.org_unit_id: u for u in people.filter(role__in=[Role.VILLAGE_STAFF, Role.GRID_WORKER])
        }

    def write(self, share: int) -> None:
        from zhenwu.registers.library.demo_records import SEED, demo_records

        base = demo_records(
            self.township.code,
            [(v.code, v.name) for v in self.villages],
            self.today,
            seed=SEED + self.random.randrange(1000),
        )
        things = [r for form_id, rs in base.items() if self.registers[form_id].kind == "thing" for r in rs]
        done = sorted(
            (r for form_id, rs in base.items() if self.registers[form_id].kind != "thing" for r in rs),
            key=lambda r: (r.made_on, r.form_id),
        )
        copies: list[tuple[Any, int]] = []  # (demo record, days moved back)
        n = 0
        while len(things) + len(copies) < share and done:
            back = 365 * (n % YEARS) + 7 * (n // YEARS)
            copies += [(r, back) for r in done[: share - len(things) - len(copies)]]
            n += 1
        self._write(things[:share], copies)

    def _write(self, things: list[Any], done: list[tuple[Any, int]]) -> None:
        from django.utils import timezone

        from zhenwu.registers import services
        from zhenwu.registers.library.demo_records import THING_CODE_FIELDS
        from zhenwu.registers.models import RegisterRecord, Thing

        record_ids = iter(self.sink.ids(RegisterRecord, len(things) + len(done)))
        thing_ids = iter(self.sink.ids(Thing, len(things)))
        rows: list[tuple[Any, ...]] = []
        made: dict[tuple[str, str], dict[str, Any]] = {}  # (thing register, 编号) -> the thing's row
        for demo in things:
            register, definition = self.registers[demo.form_id], self.definitions[demo.form_id]
            unit = self._unit(demo, demo.data.get(THING_CODE_FIELDS[demo.form_id], ""))
            record = self._record(next(record_ids), register, definition, demo.data, unit, demo, 0)
            label, identity, properties = services.thing_made(definition, record.data, self.today)
            made[(demo.form_id, identity)] = {
                "id": next(thing_ids), "register": register, "unit": unit, "label": label,
                "identity": identity, "properties": properties, "record": record,
            }  # fmt: skip
            record.thing_id = made[(demo.form_id, identity)]["id"]
            rows.append(self._record_row(record))
        moved = sorted(done, key=lambda pair: pair[0].made_on - timedelta(days=pair[1]))
        for demo, back in moved:
            register, definition = self.registers[demo.form_id], self.definitions[demo.form_id]
            thing = made.get((definition.entity_list, demo.thing)) if demo.thing else None
            unit = thing["unit"] if thing is not None else self._unit(demo, "")
            data = self._moved(definition, demo.data, back)
            record = self._record(next(record_ids), register, definition, data, unit, demo, back)
            if thing is not None:
                record.thing_id = thing["id"]
                thing["properties"] = {
                    **thing["properties"],
                    **services.saved_values(definition, record.data),
                }
            rows.append(self._record_row(record))
        self.sink.write(RegisterRecord, RECORD_COLUMNS, rows)
        now = timezone.now()
        self.sink.write(
            Thing,
            ["id", "register_id", "key", "unit_id", "department_id", "label", "identity", "properties",
             "created_by_record_id", "updated_at"],
            [
                (t["id"], t["register"].pk, self._uuid().hex, t["unit"].pk, None, t["label"], t["identity"],
                 json.dumps(t["properties"]), t["record"].pk, now)
                for t in made.values()
            ],
        )  # fmt: skip

    def _unit(self, demo: Any, code: str) -> Any:
        """The record's unit: a thing that grid workers patrol lies in a grid of its village, the same
        grid for the same number (as the demo places them); the rest where the demo entered them."""
        unit = self.units[demo.unit]
        grids = self.grids.get(unit.code)
        if grids and (code and demo.form_id in ("street_lamp", "water", "farmland_plot")):
            return grids[sum(code.encode()) % len(grids)]
        if grids and demo.form_id == "place_inspection":
            return grids[sum(demo.data.get("place_name", "").encode()) % len(grids)]
        return unit

    def _moved(self, definition: Any, data: dict[str, str], back: int) -> dict[str, str]:
        if not back:
            return dict(data)
        moved = dict(data)
        for field in definition.fields:
            if field.type == "date" and data.get(field.name):
                moved[field.name] = (date.fromisoformat(data[field.name]) - timedelta(days=back)).isoformat()
        return moved

    def _record(
        self, pk: int, register: Any, definition: Any, data: dict[str, Any], unit: Any, demo: Any, back: int
    ) -> Any:
        from zhenwu.registers import services
        from zhenwu.registers.models import RegisterRecord

        user = self.unit_users.get(unit.pk)
        department = None
        if user is None:
            user = self.office_staff.get(demo.office) or self.admin
            department = user.department_id
        day = demo.made_on - timedelta(days=back)
        entered = datetime.combine(day, day_time(8), tzinfo=self.township_zone()) + timedelta(
            minutes=self.random.randrange(600)
        )
        record = RegisterRecord(
            pk=pk, register=register, version=register.current_version, unit=unit, department_id=department,
            instance_id=f"uuid:{self._uuid()}", entered_by=user, entered_at=entered,
        )  # fmt: skip
        services._store_values(record, definition, data)  # masked and encrypted as create_record keeps them
        return record

    @staticmethod
    def township_zone() -> Any:
        from django.utils import timezone

        return timezone.get_current_timezone()

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.random.getrandbits(128), version=4)

    def _record_row(self, record: Any) -> tuple[Any, ...]:
        return (
            record.pk, record.register_id, record.version_id, record.unit_id, record.department_id,
            record.instance_id, json.dumps(record.data), record.personal_cipher, record.thing_id,
            record.entered_by_id, record.entered_at,
        )  # fmt: skip


RECORD_COLUMNS = [
    "id", "register_id", "version_id", "unit_id", "department_id", "instance_id", "data", "personal_cipher",
    "thing_id", "entered_by_id", "entered_at",
]  # fmt: skip


def scale() -> dict[str, int]:
    from zhenwu.org.models import OrgKind, OrgUnit
    from zhenwu.registers.models import Register, RegisterRecord, Thing

    return {
        "townships": OrgUnit.objects.filter(kind=OrgKind.TOWNSHIP).count(),
        "villages": OrgUnit.objects.filter(kind=OrgKind.VILLAGE).count(),
        "grids": OrgUnit.objects.filter(kind=OrgKind.GRID).count(),
        "registers": Register.objects.count(),
        "records": RegisterRecord.objects.count(),
        "things": Thing.objects.count(),
    }


class Cast:
    """Who the benchmark acts as: the first township's leader and a village's staff read its patrols, a
    grid worker of it submits from ODK Collect, the last township's 农业农村办 imports."""

    def __init__(self) -> None:
        from zhenwu.org.models import OrgKind, OrgUnit, Role, User
        from zhenwu.registers.models import Register

        townships = list(OrgUnit.objects.filter(kind=OrgKind.TOWNSHIP).order_by("path"))
        self.first, self.last = townships[0], townships[-1]
        self.village = OrgUnit.objects.filter(parent=self.first, kind=OrgKind.VILLAGE).order_by("path")[0]
        self.register = Register.objects.get(township=self.first, form_id=FORM)
        self.things = Register.objects.get(township=self.first, form_id=THING_FORM)
        self.import_register = Register.objects.get(township=self.last, form_id=FORM)
        people = User.objects.filter(is_active=True)
        self.readers = {
            "leader": people.get(org_unit=self.first, role=Role.TOWNSHIP_LEADER),
            "village": people.get(org_unit=self.village, role=Role.VILLAGE_STAFF),
        }
        self.worker = people.filter(org_unit__parent=self.village, role=Role.GRID_WORKER).order_by("pk")[0]
        self.importer = people.get(
            org_unit=self.last, role=Role.DEPARTMENT_STAFF, department__code=self.import_register.offices[0]
        )


# --- timing --------------------------------------------------------------------------------------------


def timed(run: Any, requests: int) -> dict[str, float]:
    for _ in range(3):
        run()  # the caches a worker has warm after its first requests
    seconds = []
    for _ in range(requests):
        started = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - started)
    seconds.sort()
    pick = lambda p: seconds[min(len(seconds) - 1, round(p / 100 * (len(seconds) - 1)))]  # noqa: E731
    return {"p50_ms": round(pick(50) * 1000, 1), "p95_ms": round(pick(95) * 1000, 1)}


def measure_queries(cast: Cast, requests: int) -> list[dict[str, Any]]:
    """The figures and the list as the register's page computes them, in this process, against a plain
    SELECT of the same rows."""
    from django.core.paginator import Paginator
    from django.db import connection
    from django.http import QueryDict
    from django.utils import timezone

    from zhenwu.registers import figures, listing
    from zhenwu.registers.models import Register
    from zhenwu.registers.views import PER_PAGE

    leader = cast.readers["leader"]
    today = timezone.localdate()
    span = figures.Span(date(today.year, 1, 1), today)
    start = datetime.combine(date(today.year, 1, 1), day_time.min, tzinfo=timezone.get_current_timezone())
    end = datetime.combine(today + timedelta(days=1), day_time.min, tzinfo=timezone.get_current_timezone())

    def fresh(pk: int) -> Register:  # as a request finds it
        return Register.objects.select_related("township", "current_version").get(pk=pk)

    def breakdown(pk: int) -> Any:
        def run() -> None:
            register = fresh(pk)
            found = figures.breakdown(leader, register, register.township, span)
            [c.value for _, row in found.rows for c in row]

        return run

    def count_by_unit(pk: int) -> Any:
        def run() -> None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT unit_id, COUNT(*) FROM registers_registerrecord WHERE register_id = %s "
                    "AND entered_at >= %s AND entered_at < %s GROUP BY unit_id",
                    [pk, start, end],
                )
                cursor.fetchall()

        return run

    def listed(pk: int, query: str) -> Any:
        def run() -> None:
            register = fresh(pk)
            form = listing.list_filter(QueryDict(query), leader, register)
            page = Paginator(listing.filtered_records(leader, register, form), PER_PAGE).get_page(1)
            [(r.unit.name, r.entered_by, r.thing, r.version.version) for r in page]
            page.paginator.count  # noqa: B018

        return run

    def newest_page(pk: int) -> Any:
        def run() -> None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT id, unit_id, thing_id, entered_by_id, version_id, entered_at "
                    "FROM registers_registerrecord WHERE register_id = %s "
                    "ORDER BY entered_at DESC, id DESC LIMIT %s",
                    [pk, PER_PAGE],
                )
                cursor.fetchall()
                cursor.execute("SELECT COUNT(*) FROM registers_registerrecord WHERE register_id = %s", [pk])
                cursor.fetchall()

        return run

    village = cast.village.code
    rows = [
        ("figures", f"figures of {FORM} with the village breakdown, township", breakdown(cast.register.pk),
         count_by_unit(cast.register.pk), "a count per unit of the register's records in the span"),
        ("figures", f"figures of {THING_FORM} (things as they stand) by village, township",
         breakdown(cast.things.pk), count_by_unit(cast.things.pk), "a count per unit of its records"),
        ("list", f"list of {FORM}, township, first page and count", listed(cast.register.pk, ""),
         newest_page(cast.register.pk), "the newest page and the count of the register's records"),
        ("list", f"list of {FORM}, a village and a choice",
         listed(cast.register.pk, f"unit={village}&choice=status=broken"),
         newest_page(cast.register.pk), "the newest page and the count of the register's records"),
        ("list", f"list of {FORM}, words searched", listed(cast.register.pk, "q=L01-0001"),
         newest_page(cast.register.pk), "the newest page and the count of the register's records"),
    ]  # fmt: skip
    found = []
    for kind, what, run, floor_run, floor_what in rows:
        measured, floor = timed(run, requests), timed(floor_run, requests)
        row = {"what": what, "kind": kind, **measured, "floor": {"what": floor_what, **floor}}
        row["p95_ratio_to_floor"] = round(row["p95_ms"] / max(floor["p95_ms"], 0.1), 1)
        row["target_p95_ms"] = TARGET_MS[kind]
        row["met"] = row["p95_ms"] < TARGET_MS[kind]
        print(
            f"{what:64} p50 {row['p50_ms']:7.1f} p95 {row['p95_ms']:7.1f} ms  floor p95 {floor['p95_ms']} ms"
        )
        found.append(row)
    return found


def measure_floor(port: int, requests: int) -> dict[str, Any]:
    get = Request("GET", "/healthz")
    load(port, lambda n: get, clients=1, requests=20)
    one = load(port, lambda n: get, clients=1, requests=max(requests * 5, 200))
    many = load(port, lambda n: get, clients=CLIENTS, seconds=3)
    return {"pages": percentiles(one), f"clients_{CLIENTS}": many.summary()}


def percentiles(result: Result) -> dict[str, float]:
    return {
        "p50_ms": round(result.percentile(50) * 1000, 1),
        "p95_ms": round(result.percentile(95) * 1000, 1),
    }


def measure_pages(
    port: int, cast: Cast, cookies: dict[str, str], requests: int, floor: dict[str, Any]
) -> list[dict[str, Any]]:
    village = cast.village.code
    pages = [
        (f"register page ({FORM}): figures by village and the list, township leader", "leader",
         f"/registers/{FORM}/"),
        (f"register page ({FORM}), a village and a choice, township leader", "leader",
         f"/registers/{FORM}/?unit={village}&choice=status%3Dbroken"),
        (f"register page ({FORM}): figures by grid and the list, village staff", "village",
         f"/registers/{FORM}/"),
        (f"thing register page ({THING_FORM}), township leader", "leader", f"/registers/{THING_FORM}/"),
    ]  # fmt: skip
    rows = []
    for what, who, path in pages:
        get = Request("GET", path, headers={"Cookie": cookies[who]})
        load(port, lambda n, get=get: get, clients=1, requests=3)
        result = load(port, lambda n, get=get: get, clients=1, requests=requests)
        row: dict[str, Any] = {"page": what, "path": path, "as": who, **percentiles(result)}
        row["statuses"] = {str(k): v for k, v in result.statuses.items()}
        row["p95_ratio_to_floor"] = round(row["p95_ms"] / floor["pages"]["p95_ms"], 1)
        row["target_p95_ms"] = TARGET_MS["list"]
        row["met"] = row["p95_ms"] < TARGET_MS["list"] and set(result.statuses) == {200}
        print(f"{what:72} p50 {row['p50_ms']:7.1f} p95 {row['p95_ms']:7.1f} ms {row['statuses']}")
        rows.append(row)
    return rows


# --- ODK Collect ---------------------------------------------------------------------------------------

XFORMS = "http://www.w3.org/2002/xforms"


def measure_submissions(port: int, cast: Cast, seconds: float, floor: dict[str, Any]) -> dict[str, Any]:
    """Finished patrols sent as ODK Collect sends them, from CLIENTS phones at once."""
    from django.utils import timezone

    from zhenwu.registers import devicekeys
    from zhenwu.registers.models import RegisterRecord, Thing

    key = devicekeys.create_key(cast.worker).key
    lamps = list(
        Thing.objects.filter(register=cast.things, unit=cast.worker.org_unit).values_list(
            "identity", flat=True
        )
    )
    if not lamps:
        sys.exit(
            f"no lamp in {cast.worker.org_unit.name}: the generated data are not what this benchmark expects"
        )
    assert cast.register.current_version is not None
    template = cast.register.current_version.xform
    credentials = base64.b64encode(f"{cast.worker.username}:{key}".encode()).decode()
    sent: list[str] = []
    today = timezone.localdate().isoformat()

    def submission(n: int) -> Request:
        instance_id = f"uuid:{uuid.uuid4()}"
        sent.append(instance_id)
        values = {"lamp": lamps[n % len(lamps)], "visit_type": "patrol", "visit_date": today,
                  "finding": "ok", "status": "normal"}  # fmt: skip
        body, boundary = multipart(filled(template, values, instance_id))
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Authorization": f"Basic {credentials}",
            "X-OpenRosa-Version": "1.0",
            "Date": email.utils.formatdate(usegmt=True),
        }
        return Request("POST", "/openrosa/submission", body, headers)

    before = RegisterRecord.objects.count()
    warm = load(port, submission, clients=1, requests=5)  # each worker's first request
    result = load(port, submission, clients=CLIENTS, seconds=seconds)
    stored = RegisterRecord.objects.filter(instance_id__in=sent).count()
    acknowledged = result.statuses.get(201, 0) + warm.statuses.get(201, 0)
    floor_run = floor[f"clients_{CLIENTS}"]
    row: dict[str, Any] = {
        "what": f"OpenRosa submission of a {FORM} record, {CLIENTS} clients",
        **result.summary(),
    }
    row.update(
        acknowledged=acknowledged,
        stored=stored,
        lost=max(0, acknowledged - stored),
        new_rows=RegisterRecord.objects.count() - before,
        floor={
            "what": f"/healthz, {CLIENTS} clients",
            "per_second": floor_run["per_second"],
            "p95_ms": floor_run["p95_ms"],
        },
        throughput_ratio_to_floor=round(floor_run["per_second"] / max(result.throughput, 0.1), 1),
        p95_ratio_to_floor=round(result.percentile(95) * 1000 / floor_run["p95_ms"], 1),
        target=f"p95 < {TARGET_MS['submission']} ms, none lost",
    )
    row["met"] = (
        row["p95_ms"] < TARGET_MS["submission"] and row["lost"] == 0 and set(result.statuses) == {201}
    )
    print(
        f"{row['what']:64} {row['per_second']:7.1f}/s p50 {row['p50_ms']} p95 {row['p95_ms']} ms "
        f"stored {stored} {row['statuses']}"
    )
    return row


def filled(xform: str, values: dict[str, str], instance_id: str) -> bytes:
    """The XForm's primary instance with `values` in its leaves and its instanceID, as Collect writes a
    finished form (unanswered questions stay as empty elements)."""
    model = ET.fromstring(xform.encode()).find(f".//{{{XFORMS}}}model")
    assert model is not None
    instance = model.find(f"{{{XFORMS}}}instance")
    assert instance is not None
    root = next(iter(instance))
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1]
        if len(element) == 0 and name in values:
            element.text = values[name]
        elif name == "instanceID":
            element.text = instance_id
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def multipart(instance: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="xml_submission_file"; filename="submission.xml"\r\n'
            "Content-Type: text/xml\r\n\r\n"
        ).encode()
        + instance
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, boundary


# --- the Excel import ----------------------------------------------------------------------------------


def measure_import(cast: Cast, rows: int) -> dict[str, Any]:
    """An Excel file of `rows` patrols of the last township's lamps, imported by its 农业农村办."""
    from django.db import connection

    from zhenwu.registers import imports, services, workbook
    from zhenwu.registers.models import RecordImport, RegisterRecord

    register, user = cast.import_register, cast.importer
    assert register.current_version is not None
    definition = register.current_version.parsed()
    units = [unit.name for unit in services.entry_units(user, register)]
    path = Path(tempfile.mkdtemp()) / "路灯巡查.xlsx"
    plain = write_patrols(path, cast, definition, units, rows)
    data = path.read_bytes()

    started = time.perf_counter()
    read, errors = workbook.read_rows(definition, data, path.name, units=units)
    read_seconds = time.perf_counter() - started
    assert not errors, errors[:5]
    started = time.perf_counter()
    checked = imports.import_records(user, register, read, dry_run=True)
    check_seconds = time.perf_counter() - started
    assert checked.ok, checked.errors[:5]
    token = imports.pending_token(user, register, read)
    before = RegisterRecord.objects.count()
    started = time.perf_counter()
    read, _ = workbook.read_rows(definition, data, path.name, units=units)
    report = imports.import_records(user, register, read, dry_run=False)
    import_seconds = time.perf_counter() - started
    assert report.saved, report.errors[:5]
    assert (
        RegisterRecord.objects.count() - before == rows
        and RecordImport.objects.filter(register=register).exists()
    )
    read_floor, write_floor = floor_read(path, rows), floor_write(cast, plain)
    floor_seconds = read_floor + write_floor
    result = {
        "what": f"Excel import, {rows:,} rows of {FORM}",
        "rows": rows,
        "database": connection.vendor,
        "file_mb": round(len(data) / 1024 / 1024, 1),
        "import_seconds": round(import_seconds, 1),
        "read_seconds": round(read_seconds, 1),
        "check_seconds": round(check_seconds, 1),
        "confirmation_bytes": len(token),
        "floor": {
            "what": "openpyxl reading the same file, and COPY of the same records (rolled back)",
            "read_seconds": round(read_floor, 1),
            "write_seconds": round(write_floor, 1),
            "seconds": round(floor_seconds, 1),
        },
        "ratio": round(import_seconds / floor_seconds, 2),
        "target_seconds": TARGET_IMPORT_SECONDS,
        "met": import_seconds < TARGET_IMPORT_SECONDS,
    }
    print(
        f"import of {rows:,} rows: {import_seconds:.1f} s (reading {read_seconds:.1f} s); the upload's check "
        f"{check_seconds:.1f} s; floor {floor_seconds:.1f} s (read {read_floor:.1f}, write {write_floor:.1f})"
    )
    return result


def write_patrols(
    path: Path, cast: Cast, definition: Any, units: list[str], rows: int
) -> list[dict[str, str]]:
    """The register's template (its three head rows) with `rows` patrols and repairs typed in, as a clerk
    types them: choices by their labels, dates as dates, numbers as numbers. Returns the rows' values as
    text, for the floor's COPY."""
    from django.utils import timezone
    from openpyxl import Workbook, load_workbook

    from zhenwu.registers import workbook
    from zhenwu.registers.models import Thing

    head = load_workbook(BytesIO(workbook.template(definition, units=units)), read_only=True)
    head_rows = [list(r) for r in head[workbook.SHEET].iter_rows(max_row=workbook.NAME_ROW, values_only=True)]
    head.close()
    fields = {f.name: f for f in definition.fields}
    labels = {
        name: {c.name: c.label for c in fields[name].choices} for name in ("visit_type", "finding", "status")
    }
    lamps = list(
        Thing.objects.filter(register__township=cast.last, register__form_id=THING_FORM)
        .select_related("unit")
        .values_list("identity", "unit__name")
    )
    rng = random.Random(7)
    today = timezone.localdate()
    book = Workbook(write_only=True)
    sheet = book.create_sheet(workbook.SHEET)
    for row in head_rows:
        sheet.append(row)
    names = [str(v) for v in head_rows[workbook.NAME_ROW - 1]]
    plain: list[dict[str, str]] = []
    for _ in range(rows):
        lamp, unit = lamps[rng.randrange(len(lamps))]
        day = today - timedelta(days=rng.randrange(300))
        repair = rng.random() < 0.2
        values: dict[str, Any] = {
            "lamp": lamp,
            "visit_type": "repair" if repair else "patrol",
            "visit_date": day,
        }
        if repair:
            values.update(repair_action="更换灯泡", repair_cost=rng.choice([80, 120, 260.5]), status="normal")
        else:
            values.update(finding=rng.choice(["ok"] * 7 + ["no_light", "flicker"]))
            values["status"] = "normal" if values["finding"] == "ok" else "broken"
        # workbook.read_rows asks for every required column, also one its row makes irrelevant (a
        # patrol's 维修内容, a repair's 巡查发现): the clerk fills them, and the check leaves them out.
        values.setdefault("finding", "ok")
        values.setdefault("repair_action", "无")
        shown = {k: labels[k][v] if k in labels else v for k, v in values.items()}
        sheet.append([unit if name == workbook.UNIT_KEY else shown.get(name) for name in names])
        plain.append({k: v.isoformat() if isinstance(v, date) else str(v) for k, v in values.items()})
    book.save(path)
    return plain


def floor_read(path: Path, rows: int) -> float:
    from openpyxl import load_workbook

    started = time.perf_counter()
    book = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert count >= rows
    return time.perf_counter() - started


class _Undo(Exception):
    pass


def floor_write(cast: Cast, plain: list[dict[str, str]]) -> float:
    """The same number of records with the same values, written as the bulk loader writes (COPY on
    PostgreSQL) into the same table and its indexes, then rolled back."""
    from django.db import transaction
    from django.utils import timezone

    from zhenwu.benchdata.sink import Sink
    from zhenwu.registers.models import RegisterRecord

    register = cast.import_register
    sink = Sink()
    now = timezone.now()
    unit_id, user_id = register.township_id, cast.importer.pk
    rows = [
        (pk, register.pk, register.current_version_id, unit_id, None, f"uuid:{uuid.uuid4()}",
         json.dumps(values), "", None, user_id, now)
        for pk, values in zip(sink.ids(RegisterRecord, len(plain)), plain, strict=True)
    ]  # fmt: skip
    started = time.perf_counter()
    try:
        with transaction.atomic():
            sink.write(RegisterRecord, RECORD_COLUMNS, rows)
            elapsed = time.perf_counter() - started
            raise _Undo
    except _Undo:
        pass
    return elapsed


if __name__ == "__main__":
    sys.exit(main())
