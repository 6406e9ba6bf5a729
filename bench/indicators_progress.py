"""Indicator progress at scale: 300 indicators × 500 org units for one period.

Prints the number of queries and the time of `progress_table`, against a floor measured in the same
run: reading the same Value and Target rows with no arithmetic (`values_list`). Uses a throw-away
SQLite database unless DATABASE_URL names another.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

INDICATORS = 300
VILLAGES = 499  # plus the township: 500 units


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenwu.settings_test")
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build() -> tuple[list, list]:  # type: ignore[type-arg]
    from zhenwu.indicators.models import Indicator, Target, Value
    from zhenwu.org.models import Department, OrgKind, OrgUnit

    county = OrgUnit.objects.create(kind=OrgKind.COUNTY, code="BX", name="县", path="BX/", depth=0)
    township = OrgUnit.objects.create(
        kind=OrgKind.TOWNSHIP, code="BXT", name="镇", parent=county, path="BX/BXT/", depth=1
    )
    villages = OrgUnit.objects.bulk_create(
        OrgUnit(kind=OrgKind.VILLAGE, code=f"BXV{n:03d}", name=f"村{n}", parent=township,
                path=f"BX/BXT/BXV{n:03d}/", depth=2)
        for n in range(VILLAGES)
    )  # fmt: skip
    office = Department.objects.create(township=township, code="b", name="办")
    indicators = Indicator.objects.bulk_create(
        Indicator(
            township=township, department=office, code=f"i{n}", name=f"指标{n}", unit="万元", by_village=True
        )
        for n in range(INDICATORS)
    )
    units = [township, *villages]
    targets, values = [], []
    for indicator in indicators:
        for unit in villages:
            targets.append(Target(indicator=indicator, org_unit=unit, year=2026, value=Decimal(1200)))
            for year, month in ((2026, 8), (2026, 7), (2025, 8)):
                values.append(
                    Value(indicator=indicator, org_unit=unit, year=year, month=month, value=Decimal(700))
                )
    Target.objects.bulk_create(targets, batch_size=5000)
    Value.objects.bulk_create(values, batch_size=5000)
    return indicators, units


def main() -> int:
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhenwu.core.periods import Period
    from zhenwu.indicators import services
    from zhenwu.indicators.models import Target, Value

    indicators, units = build()
    period = Period(2026, 8)
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        rows = services.progress_table(indicators, units, period)
    progress_seconds = time.perf_counter() - start
    start = time.perf_counter()
    raw = len(
        list(Value.objects.filter(year__in=[2025, 2026], month__in=[7, 8]).values_list("value", flat=True))
    )
    raw += len(list(Target.objects.filter(year=2026).values_list("value", flat=True)))
    floor_seconds = time.perf_counter() - start
    result = {
        "indicators": len(indicators),
        "units": len(units),
        "rows": len(rows),
        "queries": len(ctx.captured_queries),
        "progress_seconds": round(progress_seconds, 3),
        "floor_rows": raw,
        "floor_seconds": round(floor_seconds, 3),
        "ratio": round(progress_seconds / floor_seconds, 2),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "database": connection.vendor,
        },
    }
    print(
        f"progress of {len(rows)} (indicator, unit) pairs in {result['queries']} queries, "
        f"{progress_seconds:.2f} s; floor (read {raw} rows) {floor_seconds:.2f} s; ratio {result['ratio']}"
    )
    out = Path(__file__).parent / "results" / f"indicators_progress_{connection.vendor}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
