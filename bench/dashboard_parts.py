"""The leaders' dashboard recount part by part: time (median of REPEAT warm runs) and queries of each
service `web.dashboard.build` calls, and of the whole, for one user of a loaded database (the county of
`make bench-county`). Run with the production-like environment and DATABASE_URL of that database:

    .venv/bin/python bench/dashboard_parts.py county      # the county viewer
    .venv/bin/python bench/dashboard_parts.py t01leader   # a township leader
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from typing import Any

REPEAT = 5


def main(username: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenwu.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from zhenwu.cases import services as cases
    from zhenwu.core.periods import Period
    from zhenwu.households import services as households
    from zhenwu.org import scope
    from zhenwu.org.models import User
    from zhenwu.projects import services as projects
    from zhenwu.web import dashboard

    user = User.objects.get(username=username)
    unit = user.org_unit
    today, now = timezone.localdate(), timezone.now()
    month_start, year_start = today.replace(day=1), date(today.year, 1, 1)
    period = Period.latest_complete(today)
    kind = dashboard.CHILD_KIND.get(unit.kind)
    children = list(scope.visible_units(user).filter(path__startswith=unit.path, kind=kind).order_by("path"))

    def measure(label: str, part: Callable[[], Any]) -> None:
        part()  # warm
        times = []
        for _ in range(REPEAT):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                part()
                times.append(time.perf_counter() - started)
        print(f"{label:14} {statistics.median(times) * 1000:7.1f} ms {len(queries):3d} queries")

    measure("indicators", lambda: dashboard.indicator_standings(user, unit, children, period, today))
    measure(
        "cases month", lambda: cases.case_counts(user, unit, month_start, today, now=now, children=children)
    )
    measure("cases year", lambda: cases.case_counts(user, unit, year_start, today, now=now, children=[]))
    measure("projects", lambda: projects.project_summary(user, unit, period, today))
    measure("hh by state", lambda: households.monitoring_by_state(user, unit))
    measure("hh new month", lambda: households.new_monitored(user, month_start, today, unit))
    measure("hh new year", lambda: households.new_monitored(user, year_start, today, unit))
    measure("hh unvisited", lambda: households.unvisited_monitored(user, month_start, unit).count())
    measure("whole build", lambda: dashboard.build(user, unit))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "county")
