"""Case figures over the demo year (over 5,000 cases): the township's figures, its weekly bulletin and
its monthly ranking, against a floor measured in the same run: reading the same cases' figure columns in
one plain query with no arithmetic. Run with `.venv/bin/python bench/case_figures.py` (a throw-away SQLite
database, or DATABASE_URL for PostgreSQL).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from _setup import setup_django

REPEAT = 10


def timed(run: Callable[[], Any]) -> float:
    run()
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from zhenwu.cases import services
    from zhenwu.cases.models import Case
    from zhenwu.org.demo import TOWNSHIP
    from zhenwu.org.models import OrgUnit, User

    load_start = time.perf_counter()
    call_command("demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    load_seconds = time.perf_counter() - load_start
    leader = User.objects.get(username="leader")
    township = OrgUnit.objects.get(code=TOWNSHIP[0])
    today = timezone.localdate()
    year_start = today - timedelta(days=365)

    def floor() -> int:
        return len(
            list(
                Case.objects.filter(received_at__gte=services.start_of_day(year_start)).values_list(
                    *services.FIGURE_FIELDS
                )
            )
        )

    runs = {
        "year_figures": lambda: services.case_figures(leader, township, year_start, today),
        "weekly_bulletin": lambda: services.weekly_bulletin(leader, township, today),
        "monthly_ranking_grids": lambda: services.ranking(
            leader, township, *services.month_of(today), "grid"
        ),
    }
    floor_time = timed(floor)
    results: dict[str, Any] = {"demo_load_seconds": round(load_seconds, 1), "cases": Case.objects.count()}
    print(f"demo loaded in {load_seconds:.1f} s ({results['cases']} cases); floor {floor_time * 1000:.1f} ms")
    for label, run in runs.items():
        seconds = timed(run)
        results[label] = {
            "ms": round(seconds * 1000, 2),
            "floor_ms": round(floor_time * 1000, 2),
            "ratio": round(seconds / floor_time, 2),
        }
        print(f"{label:>22}: {seconds * 1000:.1f} ms, ratio to floor {seconds / floor_time:.2f}")
    out = Path(__file__).parent / "results" / f"case_figures_{connection.vendor}.json"
    out.parent.mkdir(exist_ok=True)
    machine = {"cores": os.cpu_count(), "python": platform.python_version(), "database": connection.vendor}
    out.write_text(json.dumps({"machine": machine, "results": results}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
