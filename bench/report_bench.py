"""A township's half-year report as a .docx, timed against a floor measured in the same run:
python-docx writing the same paragraphs, with the same styles, and no query at all.

    python bench/report_bench.py [LABEL]

With DATABASE_URL naming a database that holds data (a county from `zhenwu bench-data`), reports on its
first township as that township's administrator; otherwise loads the demo into a throw-away SQLite
database and reports on 示范镇. Target: the report in under 2 seconds. Prints the queries, the seconds
of each part and the ratio; writes bench/results/report_LABEL.json (LABEL defaults to the database).
"""

from __future__ import annotations

import statistics
import sys
import time
from io import StringIO

from _setup import machine, setup_django, write_result

RUNS = 5


def setup_with_data() -> None:
    setup_django()
    from django.core.management import call_command

    from zhenwu.org.models import OrgUnit

    if not OrgUnit.objects.exists():
        call_command("demo", stdout=StringIO())


def timed(function: object) -> tuple[float, object]:
    times, result = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = function()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> int:
    setup_with_data()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhenwu.documents.docx import render
    from zhenwu.org.models import OrgKind, OrgUnit, Role, User
    from zhenwu.reports import services
    from zhenwu.reports.kinds import spec_for

    township = OrgUnit.objects.filter(kind=OrgKind.TOWNSHIP).order_by("path").first()
    admin = User.objects.filter(role=Role.TOWNSHIP_ADMIN, org_unit=township).order_by("pk").first()
    assert township is not None and admin is not None, "no township with an administrator"
    spec = spec_for("half-year", 2026)

    def full() -> bytes:
        return render(services.compiled_report(admin, township, spec))

    with CaptureQueriesContext(connection) as ctx:
        content = full()
    queries = len(ctx.captured_queries)
    report_seconds, _ = timed(full)
    document = services.compiled_report(admin, township, spec)
    gather_seconds, _ = timed(lambda: services.compiled_report(admin, township, spec))
    floor_seconds, _ = timed(lambda: render(document))  # the same paragraphs written, no queries
    result = {
        "paragraphs": len(document.paragraphs),
        "figures": len(document.figures),
        "bytes": len(content),
        "queries": queries,
        "report_seconds": round(report_seconds, 3),
        "figures_seconds": round(gather_seconds, 3),
        "floor_seconds": round(floor_seconds, 3),
        "ratio": round(report_seconds / floor_seconds, 2),
        "target_seconds": 2.0,
        "township": township.name,
        "database": connection.vendor,
        "machine": machine(),
    }
    print(
        f"half-year report of {township.name}: {result['paragraphs']} paragraphs, "
        f"{result['figures']} figures, "
        f"{queries} queries, {report_seconds:.3f} s (figures and text {gather_seconds:.3f} s); "
        f"floor (python-docx, same paragraphs) {floor_seconds:.3f} s; ratio {result['ratio']}; target < 2 s"
    )
    write_result(f"report_{sys.argv[1] if len(sys.argv) > 1 else connection.vendor}", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
