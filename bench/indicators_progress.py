"""Indicator progress at county scale, two sizes, each against a floor measured in the same run.

The database holds a county of 20 townships, each with a catalog of 300 indicators (half by village,
a few computed rates), 20 villages, monthly values for 2024-2026 for every unit an indicator applies
to and a target a year (≈2.4 M values), plus one large township of 499 villages with three months of
values for all 300 indicators (the 300 × 500 case).

Measured for August 2026:
- `progress_table` for 300 indicators × 500 units (the large township);
- `progress_table` for 300 indicators × 21 units (a township and its villages), the median of runs;
- the township's `GET /api/v1/indicators/progress` and dashboard page, p50 and p95 of repeated requests.

The floor reads the same Value and Target rows with `values_list` and does nothing with them. Builds the
county once: a database that already holds it is reused. Uses a throw-away SQLite file unless
DATABASE_URL names another database. Writes bench/results/indicators_progress_<database>.json.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from _setup import setup_django

TOWNSHIPS = 20
VILLAGES = 20
INDICATORS = 300
YEARS = (2024, 2025, 2026)
LARGE_VILLAGES = 499  # plus the township: 500 units
PERIOD = (2026, 8)
SMALL_RUNS = 15
REQUESTS = 30
BATCH = 20000


def _insert(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Raw batched inserts: the bench's 2.8 M rows would take longer to build than to measure."""
    from django.db import connection, transaction

    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def _catalog(township: Any, *, all_by_village: bool = False) -> list[Any]:
    """300 indicators; half by village (all for the large township); every 30th a computed rate."""
    from zhenwu.indicators.models import Indicator, IndicatorKind
    from zhenwu.org.models import Department

    office = Department.objects.create(township=township, code="b", name="办")
    made: list[Any] = []
    for n in range(INDICATORS):
        by_village = all_by_village or n % 2 == 0
        kind = IndicatorKind.LEVEL if n % 10 == 4 else IndicatorKind.CUMULATIVE
        extra: dict[str, Any] = {}
        if n % 30 == 28 and not all_by_village:
            kind = IndicatorKind.RATE
            extra = {"numerator": made[n - 24], "denominator": made[n - 26]}  # both levels, by village
        made.append(
            Indicator.objects.create(
                township=township, department=office, code=f"i{n}", name=f"指标{n}", unit="万元",
                kind=kind, by_village=by_village, position=n, **extra,
            )
        )  # fmt: skip
    return made


def _units(parent: Any, code: str, villages: int) -> tuple[Any, list[Any]]:
    from zhenwu.org.models import OrgKind, OrgUnit

    township = OrgUnit.objects.create(
        kind=OrgKind.TOWNSHIP, code=code, name=f"{code}镇", parent=parent,
        path=f"{parent.path}{code}/", depth=1,
    )  # fmt: skip
    kids = OrgUnit.objects.bulk_create(
        OrgUnit(kind=OrgKind.VILLAGE, code=f"{code}V{n:03d}", name=f"{code}村{n}", parent=township,
                path=f"{township.path}{code}V{n:03d}/", depth=2)
        for n in range(villages)
    )  # fmt: skip
    return township, kids


def _fill(indicators: list[Any], township: Any, villages: list[Any], months: list[tuple[int, int]]) -> None:
    """A value for every month and unit an indicator applies to, and a target a year (some phased)."""
    from django.db import connection

    from zhenwu.indicators.models import Target, Value

    now = connection.ops.adapt_datetimefield_value(datetime(2026, 9, 1, tzinfo=UTC))
    values, targets = [], []
    phasing = json.dumps([str(p) for p in (5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 100)])
    for indicator in indicators:
        if indicator.numerator_id:
            continue  # a computed rate has no values of its own
        units = [township, *villages] if indicator.by_village else [township]
        for u_index, unit in enumerate(units):
            if unit is township and indicator.by_village and indicator.pk % 3 == 0:
                continue  # a third of the by-village indicators are the sum of their villages
            base = 100 + (indicator.pk * 7 + u_index * 13) % 900
            for year in sorted({y for y, _ in months}):
                phased = phasing if indicator.pk % 5 == 0 else None
                targets.append((indicator.pk, unit.pk, year, Decimal(base * 12), phased))
            for year, month in months:
                if (u_index + month) % 17 == 0:
                    continue  # now and then a village has not reported
                amount = Decimal(base * month + year % 10)
                values.append((indicator.pk, unit.pk, year, month, amount, "", now))
    _insert(Target._meta.db_table, ["indicator_id", "org_unit_id", "year", "value", "phasing"], targets)
    _insert(
        Value._meta.db_table,
        ["indicator_id", "org_unit_id", "year", "month", "value", "note", "entered_at"],
        values,
    )


def build() -> None:
    from django.db import connection

    from zhenwu.org.models import OrgKind, OrgUnit

    if OrgUnit.objects.filter(code="BX").exists():
        return
    started = time.perf_counter()
    county = OrgUnit.objects.create(kind=OrgKind.COUNTY, code="BX", name="县", path="BX/", depth=0)
    all_months = [(y, m) for y in YEARS for m in range(1, 13)]
    for t in range(TOWNSHIPS):
        township, villages = _units(county, f"BXT{t:02d}", VILLAGES)
        _fill(_catalog(township), township, villages, all_months)
        print(f"  built township {t + 1}/{TOWNSHIPS}", flush=True)
    township, villages = _units(county, "BXL", LARGE_VILLAGES)
    year, month = PERIOD
    months = [(year, month), (year, month - 1), (year - 1, month)]
    _fill(_catalog(township, all_by_village=True), township, villages, months)
    print(f"  built the county in {time.perf_counter() - started:.0f} s", flush=True)
    if connection.vendor == "postgresql":  # a production table is analysed; plans on a fresh one are not
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _timed(run: Callable[[], Any]) -> tuple[float, int, Any]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        result = run()
        seconds = time.perf_counter() - start
    return seconds, len(ctx.captured_queries), result


def _floor(indicators: list[Any], units: list[Any]) -> tuple[float, int]:
    """Read the rows progress reads (this month, last month, last year; this year's targets), nothing more."""
    from zhenwu.indicators.models import Target, Value

    year, month = PERIOD
    ids = [i.pk for i in indicators]
    unit_ids = [u.pk for u in units]
    start = time.perf_counter()
    rows = len(
        list(
            Value.objects.filter(
                indicator_id__in=ids, org_unit_id__in=unit_ids, year__in=[year - 1, year],
                month__in=[month - 1, month],
            ).values_list("indicator_id", "org_unit_id", "year", "month", "value")
        )
    )  # fmt: skip
    rows += len(
        list(
            Target.objects.filter(indicator_id__in=ids, org_unit_id__in=unit_ids, year=year).values_list(
                "indicator_id", "org_unit_id", "value", "phasing"
            )
        )
    )
    return time.perf_counter() - start, rows


def _case(indicators: list[Any], units: list[Any], runs: int) -> dict[str, Any]:
    from zhenwu.core.periods import Period
    from zhenwu.indicators import services

    period = Period(*PERIOD)
    times, queries, pairs = [], 0, 0
    for _ in range(runs):
        seconds, queries, table = _timed(lambda: services.progress_table(indicators, units, period))
        times.append(seconds)
        pairs = len(table)
    floors = [_floor(indicators, units) for _ in range(runs)]
    progress_seconds = statistics.median(times)
    floor_seconds = statistics.median(f for f, _ in floors)
    return {
        "indicators": len(indicators),
        "units": len(units),
        "pairs": pairs,
        "queries": queries,
        "runs": runs,
        "progress_seconds": round(progress_seconds, 4),
        "floor_rows": floors[0][1],
        "floor_seconds": round(floor_seconds, 4),
        "ratio": round(progress_seconds / floor_seconds, 2),
    }


def _requests(township: Any, url: str) -> dict[str, Any]:
    from django.test import Client

    from zhenwu.org.models import Role, User

    user, _ = User.objects.get_or_create(
        username=f"bench-{township.code}", defaults={"role": Role.TOWNSHIP_ADMIN, "org_unit": township}
    )
    client = Client()
    client.force_login(user)
    times, queries = [], 0
    for n in range(REQUESTS + 2):
        seconds, queries, response = _timed(lambda: client.get(url))
        assert response.status_code == 200, (url, response.status_code)
        if n >= 2:  # the first requests warm caches (sessions, templates, the connection)
            times.append(seconds)
    times.sort()
    return {
        "url": url,
        "requests": REQUESTS,
        "queries": queries,
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1] * 1000, 1),
    }


def main() -> int:
    setup_django()
    from django.db import connection

    from zhenwu.indicators.models import Indicator, Value
    from zhenwu.org.models import OrgKind, OrgUnit

    build()
    large = OrgUnit.objects.get(code="BXL")
    township = OrgUnit.objects.get(code=f"BXT{min(7, TOWNSHIPS - 1):02d}")

    def catalog(unit: OrgUnit) -> tuple[list[Any], list[Any]]:
        indicators = list(Indicator.objects.filter(township=unit).order_by("position", "code"))
        units = [unit, *OrgUnit.objects.filter(parent=unit, kind=OrgKind.VILLAGE).order_by("code")]
        return indicators, units

    period = f"period={PERIOD[0]}-{PERIOD[1]:02d}"
    result = {
        "values_in_database": Value.objects.count(),
        "large_township": _case(*catalog(large), runs=1),
        "township": _case(*catalog(township), runs=SMALL_RUNS),
        "township_api": _requests(township, f"/api/v1/indicators/progress?org={township.code}&{period}"),
        "township_page": _requests(township, f"/indicators/?org={township.code}&{period}"),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "database": connection.vendor,
        },
    }
    for name in ("large_township", "township"):
        case = result[name]
        print(
            f"{name}: {case['pairs']} (indicator, unit) pairs in {case['queries']} queries, "
            f"{case['progress_seconds']:.3f} s; floor (read {case['floor_rows']} rows) "
            f"{case['floor_seconds']:.3f} s; ratio {case['ratio']}"
        )
    for name in ("township_api", "township_page"):
        case = result[name]
        print(f"{name}: {case['queries']} queries, p50 {case['p50_ms']} ms, p95 {case['p95_ms']} ms")
    print(f"values in the database: {result['values_in_database']}")
    out = Path(__file__).parent / "results" / f"indicators_progress_{connection.vendor}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
