"""The fixed cast: the demo township with its accounts, and a neighbouring county nobody there may see."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.servers.basehttp import WSGIServer
from django.db import connection, transaction
from django.db.models import Q
from django.test.testcases import LiveServerThread

from tests import factories
from tests.demo_snapshot import load_demo
from zhenwu.cases import catalog
from zhenwu.cases.models import CaseType
from zhenwu.org import demo, services
from zhenwu.org.models import Department, OrgUnit, Role, User
from zhenwu.workcalendar import demo as calendar_demo

# Every test runs on this clock, whatever today is: the demo is built relative to "today", and figures
# change with the day of the month (values are due by the 5th). It ticks, so durations still pass.
# A test about another day moves it with the `time_machine` fixture.
FROZEN_NOW = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(scope="session", autouse=True)
def _frozen_clock() -> Iterator[None]:
    with time_machine.travel(FROZEN_NOW, tick=True):
        yield


class SerialWSGIServer(WSGIServer):
    """The live server answering one request at a time, for SQLite's in-memory test database.

    That database is one connection, which Django hands to every thread of the live server. Two requests at
    once deadlock on it: one thread, inside SQLite, calls back into Python for a date function and waits for
    the interpreter lock, while the other holds that lock and waits for SQLite's connection mutex to bind a
    parameter. Served one at a time, pages cannot meet on the connection (Django then closes each HTTP
    connection after its answer, so the browser's next request is never held behind a kept-alive one).
    """

    busy = threading.Lock()

    def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.busy:
            super().process_request(request, client_address)

    @classmethod
    def wait_until_idle(cls) -> None:
        """A request still being answered when a test ends (a download the browser left) holds a cursor
        open on the shared connection, and the flush after the test finds its tables locked."""
        with cls.busy:
            pass


@pytest.fixture(scope="session", autouse=True)
def _serial_live_server_on_sqlite() -> Iterator[None]:
    if connection.vendor != "sqlite":
        yield
        return
    threaded = LiveServerThread.server_class
    LiveServerThread.server_class = SerialWSGIServer
    yield
    LiveServerThread.server_class = threaded


@dataclass
class Cast:
    county: OrgUnit
    township: OrgUnit
    village01: OrgUnit
    village02: OrgUnit
    village03: OrgUnit
    grid0101: OrgUnit
    grid0102: OrgUnit
    jingfa_department: Department
    minzheng_department: Department
    # outside the demo county altogether
    other_county: OrgUnit
    other_township: OrgUnit
    other_village: OrgUnit
    other_grid: OrgUnit
    other_admin: User
    users: dict[str, User]

    def user(self, username: str) -> User:
        return self.users[username]


OUTSIDE = [("OUT", "外县"), ("OUT-T", "外镇"), ("OUT-V", "外村"), ("OUT-G", "外村网格")]


def load_cast() -> None:
    """The demo tree and accounts, and a county outside it with its own township admin."""
    demo.load_tree()
    demo.load_accounts()
    parent = None
    for code, name in OUTSIDE:
        parent = OrgUnit.objects.filter(code=code).first() or factories.org_unit(parent, code=code, name=name)
    if not User.objects.filter(username="outsider").exists():
        township = OrgUnit.objects.get(code="OUT-T")
        services.create_user(
            username="outsider",
            password=None,
            role=Role.TOWNSHIP_ADMIN,
            org_unit=township,
            display_name="外镇管理员",
        )


def full_demo_rolled_back(django_db_blocker: Any) -> Iterator[None]:
    """The cast and every app's demo records, for a package's tests: each test's own transaction nests
    inside this one, which is never committed."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_cast()
        load_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="session")
def django_db_setup(_frozen_clock: None, django_db_setup: None, django_db_blocker: Any) -> None:
    """Load the cast once per session; each test's transaction rolls back to it."""
    with django_db_blocker.unblock():
        load_cast()


@pytest.fixture
def cast(db: None) -> Cast:
    if not User.objects.filter(username="outsider").exists():
        load_cast()  # a transactional test before this one emptied the database
    units = {
        u.code: u
        for u in OrgUnit.objects.filter(Q(path__startswith=demo.COUNTY[0]) | Q(code__startswith="OUT"))
    }
    township = units[demo.TOWNSHIP[0]]
    departments = {d.code: d for d in Department.objects.filter(township=township)}
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[a.username for a in demo.ACCOUNTS] + ["outsider"])
    }
    return Cast(
        county=units[demo.COUNTY[0]],
        township=township,
        village01=units[demo.village_code(1)],
        village02=units[demo.village_code(2)],
        village03=units[demo.village_code(3)],
        grid0101=units[demo.grid_code(1, 1)],
        grid0102=units[demo.grid_code(1, 2)],
        jingfa_department=departments["jfb"],
        minzheng_department=departments["mzb"],
        other_county=units["OUT"],
        other_township=units["OUT-T"],
        other_village=units["OUT-V"],
        other_grid=units["OUT-G"],
        other_admin=users.pop("outsider"),
        users=users,
    )


@pytest.fixture
def types(cast: Cast) -> dict[str, CaseType]:
    """The standard case types and the holiday table, as the demo installs them."""
    calendar_demo.load()
    return {t.code: t for t in catalog.install()}


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Figures kept by one test (the dashboard's) must not answer the next."""
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _purge_permit_for_flushes(request: pytest.FixtureRequest) -> Iterator[None]:
    """Let a transactional test's flush empty the append-only log, and only that flush.

    The permit is written after the test and removed before the next one, so every test body runs
    against the log as production has it.
    """
    uses_db = {"db", "transactional_db", "live_server", "cast"} & set(request.fixturenames)
    if not uses_db and not request.node.get_closest_marker("django_db"):
        yield
        return
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames) or _marked_transactional(
        request
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM activity_log_purge_permit")
    yield
    if transactional:
        if "live_server" in request.fixturenames and connection.vendor == "sqlite":
            SerialWSGIServer.wait_until_idle()  # the browser's context is closed by now: nothing new comes
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO activity_log_purge_permit (id) VALUES (1)")


def _marked_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))
