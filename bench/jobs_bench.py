"""The periodic scans at county scale: each job run over a county from `zhenwu bench-data` (1,000,000 cases
with the defaults), timed with its queries, then run again at once to show that a second run finds its
work done and reads only its window, never every case.

    DATABASE_URL=postgres://…/zhenwu_county python bench/jobs_bench.py [LABEL]

Each job runs for a moment when all of them have work: the 21st of the month before the data's last day,
09:00 (past the entry deadline, past the visits' 20th). Everything a job writes is rolled back, so the
benchmark can be run again on the same data. The floor, measured in the same run, is one read of the whole
case table (`SELECT count(*)`): the least a scan that re-read every case would cost. Writes
bench/results/jobs_LABEL.json.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from typing import Any

from _setup import machine, setup_django, write_result

# Not scans of records: deliveries talk to mail and chat servers, the cleaning reads the media folder.
SKIPPED = {"deliver_notifications", "clean_register_parts"}


def scan_moment() -> datetime:
    from django.utils import timezone

    from zhenwu.cases.models import Case

    last = Case.objects.order_by("-received_at").values_list("received_at", flat=True).first()
    first_of_month = timezone.localtime(last or timezone.now()).date().replace(day=1)
    month_before = (first_of_month - timedelta(days=1)).replace(day=21)
    return timezone.make_aware(datetime.combine(month_before, datetime.min.time()).replace(hour=9))


def measured(name: str, now: datetime) -> dict[str, Any]:
    from django.db import connection

    from zhenwu.jobs.services import run_job

    queries = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    # Counted as they go, not kept: a first run may make more queries than Django's debug log holds.
    with connection.execute_wrapper(count):
        started = time.perf_counter()
        run = run_job(name, now)
        seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 3), "queries": queries, "summary": run.summary}


def floor() -> float:
    from django.db import connection

    times = []
    with connection.cursor() as cursor:
        for _ in range(5):
            started = time.perf_counter()
            cursor.execute("SELECT count(*) FROM cases_case")
            cursor.fetchone()
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    label = sys.argv[1] if len(sys.argv) > 1 else "county_postgresql"
    setup_django()
    from django.conf import settings
    from django.db import transaction

    from zhenwu.cases.models import Case
    from zhenwu.jobs.registry import jobs

    settings.MEDIA_ROOT = tempfile.mkdtemp()  # the bulletins' files are thrown away with the rest
    now = scan_moment()
    full_read = floor()
    rows = []
    for job in jobs():
        if job.name in SKIPPED:
            continue
        with transaction.atomic():
            first = measured(job.name, now)
            again = measured(job.name, now)
            transaction.set_rollback(True)
        row = {
            "job": job.name,
            "what": job.title,
            "first": first,
            "again": again,
            "first_ratio_to_floor": round(first["seconds"] / full_read, 1),
        }
        rows.append(row)
        print(
            f"{job.name:28} {first['seconds']:7.3f} s {first['queries']:5} queries  {first['summary']}\n"
            f"{'':28} again {again['seconds']:7.3f} s {again['queries']:5} queries  {again['summary']}",
            flush=True,
        )
    result = {
        "label": label,
        "cases": Case.objects.count(),
        "moment": now.isoformat(),
        "floor": {"what": "SELECT count(*) FROM cases_case", "seconds": round(full_read, 4)},
        "jobs": rows,
        "machine": machine(),
    }
    path = write_result(f"jobs_{label}", result)
    print(f"floor (every case read once): {full_read * 1000:.1f} ms; written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
