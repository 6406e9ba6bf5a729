"""The escalation job killed in the middle and run again, and two runs at once: every case is escalated
exactly once and every notification made exactly once.

The killed run is a real `zhenwu jobs run escalate_overdue_cases` process against the test database,
sent SIGKILL once some of its escalations are committed. It runs at the real time (the test's clock is
frozen only in this process), so its cases are dated from the real time.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection, connections
from django.db.models import Count
from django.utils import timezone
from time_machine import escape_hatch

from tests.conftest import Cast
from zhenwu.cases import reminders
from zhenwu.cases.models import Case, CaseCategory, CaseEvent, CaseType, EscalationRule
from zhenwu.cases.states import State
from zhenwu.notifications.models import Kind, Notification
from zhenwu.org.models import OrgKind, OrgUnit

CASES = 400
ZHENWU = [sys.executable, "-c", "from zhenwu.manage import main; main()"]


def overdue_events(n: int, now: datetime, villages: list[OrgUnit]) -> list[int]:
    """`n` level-1 grid events in the grids of `villages`, three weeks past their deadline at `now` (two
    working days past it, whatever the holidays). The rule for level 2 is switched off, so that each case
    has exactly one rule to be escalated by (three weeks late, it would climb on to the township)."""
    EscalationRule.objects.filter(case_type__code="grid_event", from_level=2).update(active=False)
    grid_event = CaseType.objects.get(code="grid_event")
    category = CaseCategory.objects.filter(case_type=grid_event).first()
    grids = list(OrgUnit.objects.filter(kind=OrgKind.GRID, parent__in=villages).order_by("path"))
    cases = [
        Case(
            case_type=grid_event,
            category=category,
            title=f"超期事件{i}",
            description="路口垃圾堆放",
            org_unit=grids[i % len(grids)],
            level=1,
            handling_unit=grids[i % len(grids)],
            state=State.ACCEPTED,
            received_at=now - timedelta(days=28),
            accepted_at=now - timedelta(days=27),
            deadline=now - timedelta(days=21),
        )
        for i in range(n)
    ]
    return [case.pk for case in Case.objects.bulk_create(cases)]


def assert_each_escalated_once(ids: list[int]) -> None:
    per_case = dict(
        CaseEvent.objects.filter(case_id__in=ids, action="escalate", actor__isnull=True)
        .values_list("case_id")
        .annotate(n=Count("pk"))
    )
    assert per_case == {pk: 1 for pk in ids}
    assert set(Case.objects.filter(pk__in=ids).values_list("state", "level", "version")) == {
        (State.ESCALATED, 2, 2)
    }
    notes = Notification.objects.filter(kind=Kind.ESCALATION)
    assert notes.count() == len(ids)
    assert notes.values("key").distinct().count() == len(ids)
    assert set(notes.values_list("key", flat=True)) == {
        f"escalation:case:{pk}:rule:{rule}"
        for pk, rule in CaseEvent.objects.filter(case_id__in=ids, action="escalate").values_list(
            "case_id", "details__rule"
        )
    }


# --- a killed worker ------------------------------------------------------------------------------


@contextmanager
def database_for_a_subprocess(tmp_path: Path) -> Iterator[tuple[str, Callable[[], int]]]:
    """The test database as a subprocess reaches it (DATABASE_URL), and a count of the escalations it
    committed. SQLite's test database lives in this process's memory: it is copied to a file for the
    subprocess and copied back after."""
    events = "SELECT COUNT(*) FROM cases_caseevent WHERE action = 'escalate' AND actor_id IS NULL"
    settings = connection.settings_dict
    if connection.vendor == "postgresql":

        def committed() -> int:
            with connection.cursor() as cursor:
                cursor.execute(events)
                return int(cursor.fetchone()[0])

        user, host, port, name = settings["USER"], settings["HOST"], settings["PORT"], settings["NAME"]
        yield f"postgres://{user}@{host}:{port or 5432}/{name}", committed
        return
    assert connection.vendor == "sqlite"
    connection.ensure_connection()
    memory = connection.connection
    file = tmp_path / "copy.sqlite3"
    with closing(sqlite3.connect(file)) as target:
        memory.backup(target)

    def committed_in_file() -> int:
        with closing(sqlite3.connect(file, timeout=20)) as reader:
            return int(reader.execute(events).fetchone()[0])

    yield f"sqlite:///{file}", committed_in_file
    with closing(sqlite3.connect(file)) as source:
        source.backup(memory)


def job_process(database_url: str, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "zhenwu.settings_test",
        "DATABASE_URL": database_url,
        "DEBUG": "1",
        "CACHE_DIR": str(tmp_path / "cache"),
    }
    return subprocess.Popen(
        [*ZHENWU, "jobs", "run", "escalate_overdue_cases"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_middle_leaves_every_case_escalated_once_after_the_next_run(
    cast: Cast, types: dict, tmp_path: Path
) -> None:
    real_now = escape_hatch.datetime.datetime.now(tz=UTC)
    ids = overdue_events(CASES, real_now, [cast.village01, cast.village02])

    with database_for_a_subprocess(tmp_path) as (url, committed):
        killed = job_process(url, tmp_path)
        deadline = time.monotonic() + 120
        while committed() == 0 and killed.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=30)
        done_when_killed = committed()
        assert killed.returncode == -signal.SIGKILL, killed.stderr.read() if killed.stderr else ""
        assert 0 < done_when_killed < CASES, f"the run was not caught in the middle ({done_when_killed})"

        again = job_process(url, tmp_path)
        out, err = again.communicate(timeout=300)
        assert again.returncode == 0, err.decode()
        assert f"自动升级 {CASES - done_when_killed} 件超期事件" in out.decode()

    assert_each_escalated_once(ids)
    told = dict(
        Notification.objects.filter(kind=Kind.ESCALATION)
        .values_list("recipient__username")
        .annotate(n=Count("pk"))
    )
    assert told == {"cun01": CASES // 2, "cun02": CASES // 2}


# --- two runs at once -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite locks the whole database for a writer, so there is no row race to test; "
    "CI runs this on PostgreSQL",
)
def test_two_runs_at_once_escalate_each_case_once(cast: Cast, types: dict) -> None:
    now = timezone.now()
    ids = overdue_events(60, now, [cast.village01, cast.village02])
    barrier = threading.Barrier(2)
    summaries: list[str] = []

    def run() -> None:
        try:
            barrier.wait()
            summaries.append(reminders.escalate_overdue(now))
        except Exception as failure:  # recorded, so that any failure shows in the assertion below
            summaries.append(repr(failure))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(summaries) == 2 and all(s.startswith(("自动升级", "没有需要")) for s in summaries), summaries
    escalated = [re.match(r"自动升级 (\d+) 件", summary) for summary in summaries]
    assert sum(int(m.group(1)) for m in escalated if m) == 60
    assert_each_escalated_once(ids)
