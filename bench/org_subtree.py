"""Subtree listing at county scale: 20 townships, 400 villages, 4,000 grids.

Prints, for a township's and the county's subtree, the number of queries and the time against a floor
measured in the same run: the same rows read by their primary keys, with no path condition. Run with
`.venv/bin/python bench/org_subtree.py` (a throw-away SQLite database, or DATABASE_URL for PostgreSQL).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from _setup import setup_django

REPEAT = 30


def build_county(townships: int = 20, villages: int = 20, grids: int = 10) -> None:
    from zhenwu.org.models import OrgKind, OrgUnit

    OrgUnit.objects.filter(code__startswith="B").order_by("-depth").delete()

    def unit(kind: str, code: str, parent: OrgUnit | None) -> OrgUnit:
        path = (parent.path if parent else "") + code + "/"
        return OrgUnit(kind=kind, code=code, name=code, parent=parent, path=path, depth=path.count("/") - 1)

    county = unit(OrgKind.COUNTY, "B", None)
    county.save()
    town_units = OrgUnit.objects.bulk_create(
        [unit(OrgKind.TOWNSHIP, f"B{t:02d}", county) for t in range(townships)]
    )
    village_units = OrgUnit.objects.bulk_create(
        [unit(OrgKind.VILLAGE, f"{t.code}{v:02d}", t) for t in town_units for v in range(villages)]
    )
    OrgUnit.objects.bulk_create(
        [unit(OrgKind.GRID, f"{v.code}{g:02d}", v) for v in village_units for g in range(grids)]
    )


def timed(work: Callable[[], int]) -> tuple[float, int]:
    samples = []
    rows = 0
    for _ in range(REPEAT):
        start = time.perf_counter()
        rows = work()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), rows


def main() -> int:
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhenwu.org.models import OrgUnit

    build_county()
    results = {}
    for label, code in (("township", "B07"), ("county", "B")):
        root = OrgUnit.objects.get(code=code)
        pks = list(OrgUnit.objects.filter(path__startswith=root.path).values_list("pk", flat=True))

        def subtree(root: OrgUnit = root) -> int:
            return len(list(OrgUnit.objects.subtree(root).select_related("parent")))

        def floor(pks: list[int] = pks) -> int:
            return len(list(OrgUnit.objects.filter(pk__in=pks).select_related("parent")))

        with CaptureQueriesContext(connection) as ctx:
            subtree()
        subtree_time, rows = timed(subtree)
        floor_time, floor_rows = timed(floor)
        results[label] = {
            "rows": rows,
            "queries": len(ctx.captured_queries),
            "subtree_ms": round(subtree_time * 1000, 3),
            "floor_ms": round(floor_time * 1000, 3),
            "floor_rows": floor_rows,
            "ratio": round(subtree_time / floor_time, 2),
        }
        print(
            f"{label:>9}: {rows} units in {len(ctx.captured_queries)} query, "
            f"{subtree_time * 1000:.2f} ms; "
            f"floor (same rows by primary key, {floor_rows}) {floor_time * 1000:.2f} ms; "
            f"ratio {subtree_time / floor_time:.2f}"
        )
    out = Path(__file__).parent / "results" / f"org_subtree_{connection.vendor}.json"
    out.parent.mkdir(exist_ok=True)
    machine = {"cores": os.cpu_count(), "python": platform.python_version(), "database": connection.vendor}
    out.write_text(json.dumps({"machine": machine, "results": results}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
