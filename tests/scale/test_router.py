"""The read-replica router sends a GET's reads to a healthy replica and everything else to the primary:
writes, reads after a write, reads of a user who wrote a moment ago, work outside a request, and reads
when the replica is down or behind. The response says which it was.

The replica is `replica_1`: on SQLite and PostgreSQL alike a second connection to the test database, as
Django's TEST MIRROR makes one; its health (up, how far behind) is injected where a test is about the
router's choice, and really asked where a test is about the asking.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, router, transaction
from django.db.utils import load_backend
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from time_machine import TimeMachineFixture

from tests.conftest import FROZEN_NOW, Cast
from zhenwu import replicas
from zhenwu.org.models import OrgUnit, User

REPLICA = "replica_1"
DOWN = "replica_2"  # nothing listens where it points
UNUSED_PORT = 57101  # in this brief's range, never started


@pytest.fixture
def routing(settings: Any) -> Iterator[Any]:
    """The router and middleware installed as DATABASE_REPLICA_URLS would install them, for replica_1."""
    settings.DATABASE_REPLICAS = [REPLICA]
    settings.DATABASE_ROUTERS = ["zhenwu.replicas.ReplicaRouter"]
    settings.MIDDLEWARE = ["zhenwu.replicas.ReplicaMiddleware", *settings.MIDDLEWARE]
    settings.REPLICA_MAX_LAG_SECONDS = 10
    settings.READ_YOUR_WRITES_SECONDS = 10
    replicas.forget()
    yield settings
    replicas.forget()


def add_alias(alias: str, **changes: object) -> None:
    """A second connection to the test database under `alias` (or elsewhere, with `changes`)."""
    params = copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)
    params["TEST"] = {**params["TEST"], "MIRROR": DEFAULT_DB_ALIAS}
    params.update(changes)
    connections[alias] = load_backend(params["ENGINE"]).DatabaseWrapper(params, alias)


def drop_alias(alias: str) -> None:
    connections[alias].close()
    del connections[alias]


@pytest.fixture
def replica_connection(routing: Any) -> Iterator[str]:
    add_alias(REPLICA)
    yield REPLICA
    drop_alias(REPLICA)


def healthy(alias: str = REPLICA, lag: float = 0.0) -> None:
    replicas.record(replicas.Health(alias, up=True, lag=lag, checked=time.monotonic()))


def down(alias: str = REPLICA) -> None:
    replicas.record(replicas.Health(alias, up=False, lag=None, checked=time.monotonic(), error="refused"))


# --- the choice, through the middleware, with the replica's health injected ---------------------------


class Recorder:
    """A view that reads (and writes when asked) the way a view's queries ask the router."""

    def __init__(self, *steps: str) -> None:
        self.steps = steps
        self.reads: list[str] = []

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for step in self.steps:
            if step == "read":
                self.reads.append(router.db_for_read(User))
            else:
                router.db_for_write(User)
        return HttpResponse("ok")


def serve(method: str, *steps: str, cookies: dict[str, str] | None = None) -> tuple[Recorder, HttpResponse]:
    view = Recorder(*steps)
    request = getattr(RequestFactory(), method.lower())("/")
    request.COOKIES.update(cookies or {})
    response = replicas.ReplicaMiddleware(view)(request)
    return view, response


def test_a_get_reads_from_the_replica_and_says_so(routing: Any) -> None:
    healthy()
    view, response = serve("GET", "read", "read")
    assert view.reads == [REPLICA, REPLICA]
    assert response[replicas.HEADER] == REPLICA
    assert replicas.COOKIE not in response.cookies  # it wrote nothing


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_request_that_may_write_reads_from_the_primary_from_the_start(routing: Any, method: str) -> None:
    healthy()
    view, response = serve(method, "read", "read")
    assert view.reads == [DEFAULT_DB_ALIAS, DEFAULT_DB_ALIAS]
    assert response[replicas.HEADER] == "primary"


def test_after_a_write_the_rest_of_the_request_reads_from_the_primary(routing: Any) -> None:
    healthy()
    view, response = serve("GET", "read", "write", "read", "read")
    assert view.reads == [REPLICA, DEFAULT_DB_ALIAS, DEFAULT_DB_ALIAS]
    assert replicas.COOKIE in response.cookies  # a GET that wrote marks its writer too


@pytest.mark.django_db(transaction=True)
def test_an_open_transaction_on_the_primary_sends_reads_to_the_primary(routing: Any) -> None:
    healthy()

    def view(request: HttpRequest) -> HttpResponse:
        reads = [router.db_for_read(User)]
        with transaction.atomic():
            reads.append(router.db_for_read(User))
        reads.append(router.db_for_read(User))  # rows read in it may be written back: it stays
        return HttpResponse(",".join(reads))

    response = replicas.ReplicaMiddleware(view)(RequestFactory().get("/"))
    assert response.content.decode() == f"{REPLICA},default,default"


def test_a_user_who_wrote_3_seconds_ago_reads_from_the_primary_and_30_seconds_ago_from_the_replica(
    routing: Any, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(FROZEN_NOW, tick=False)
    healthy()
    _, wrote = serve("POST", "write")
    cookies = {replicas.COOKIE: wrote.cookies[replicas.COOKIE].value}
    assert wrote.cookies[replicas.COOKIE]["max-age"] == 10

    time_machine.shift(timedelta(seconds=3))
    view, response = serve("GET", "read", cookies=cookies)
    assert view.reads == [DEFAULT_DB_ALIAS]
    assert response[replicas.HEADER] == "primary"
    assert replicas.COOKIE not in response.cookies  # reading does not extend the window

    time_machine.shift(timedelta(seconds=27))
    view, response = serve("GET", "read", cookies=cookies)
    assert view.reads == [REPLICA]
    assert response[replicas.HEADER] == REPLICA


def test_a_forged_write_cookie_is_ignored(routing: Any) -> None:
    healthy()
    view, _ = serve("GET", "read", cookies={replicas.COOKIE: "1"})
    assert view.reads == [REPLICA]


def test_a_replica_marked_down_is_skipped(routing: Any) -> None:
    down()
    view, response = serve("GET", "read")
    assert view.reads == [DEFAULT_DB_ALIAS]
    assert response[replicas.HEADER] == "primary"


@pytest.mark.parametrize(("lag", "served_by"), [(4.0, REPLICA), (10.0, REPLICA), (10.5, DEFAULT_DB_ALIAS)])
def test_a_replica_further_behind_than_the_limit_is_skipped(routing: Any, lag: float, served_by: str) -> None:
    healthy(lag=lag)
    view, _ = serve("GET", "read")
    assert view.reads == [served_by]


def test_a_replica_whose_lag_is_not_known_is_skipped(routing: Any) -> None:
    replicas.record(replicas.Health(REPLICA, up=True, lag=None, checked=time.monotonic()))
    view, _ = serve("GET", "read")
    assert view.reads == [DEFAULT_DB_ALIAS]


def test_of_two_replicas_the_healthy_one_serves_and_keeps_serving_the_request(
    routing: Any,
) -> None:
    routing.DATABASE_REPLICAS = ["replica_1", "replica_2"]
    down("replica_1")
    healthy("replica_2")
    for _ in range(5):
        view, response = serve("GET", "read", "read", "read")
        assert view.reads == ["replica_2"] * 3
        assert response[replicas.HEADER] == "replica_2"


# --- outside a request --------------------------------------------------------------------------------


def test_work_outside_a_request_reads_from_the_primary_unless_it_opts_in(routing: Any) -> None:
    healthy()
    assert router.db_for_read(User) == DEFAULT_DB_ALIAS
    with replicas.reading_from_replica():
        assert router.db_for_read(User) == REPLICA
        assert router.db_for_write(User) == DEFAULT_DB_ALIAS
        assert router.db_for_read(User) == DEFAULT_DB_ALIAS  # it wrote: its reads follow
    assert router.db_for_read(User) == DEFAULT_DB_ALIAS


def test_reading_from_the_primary_holds_inside_a_request_that_may_use_the_replica(
    routing: Any,
) -> None:
    healthy()

    def view(request: HttpRequest) -> HttpResponse:
        with replicas.reading_from_primary():
            inside = router.db_for_read(User)
        return HttpResponse(f"{inside},{router.db_for_read(User)}")

    response = replicas.ReplicaMiddleware(view)(RequestFactory().get("/"))
    assert response.content.decode() == f"default,{REPLICA}"


def test_remembered_reference_data_is_built_from_the_primary_in_a_request_on_the_replica(
    routing: Any,
) -> None:
    """Kept for every process, it must never be a replica's rows of a few seconds ago."""
    from zhenwu.remembered import Remembered

    healthy()
    built_on: list[str] = []
    kept = Remembered("router-test", lambda: built_on.append(router.db_for_read(User)) or len(built_on))

    def view(request: HttpRequest) -> HttpResponse:
        kept.get()
        return HttpResponse(router.db_for_read(User))

    response = replicas.ReplicaMiddleware(view)(RequestFactory().get("/"))
    assert built_on == ["default"] and response.content.decode() == REPLICA


def test_rows_of_the_replica_and_the_primary_may_be_related(routing: Any) -> None:
    on_replica, on_primary = OrgUnit(), User()
    on_replica._state.db, on_primary._state.db = REPLICA, DEFAULT_DB_ALIAS
    assert router.allow_relation(on_primary, on_replica)
    assert router.allow_migrate(REPLICA, "org") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "org")


# --- asking the replica ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("in_recovery", "caught_up", "behind", "lag"),
    [
        (False, None, None, 0.0),  # a primary
        (True, True, 3600.0, 0.0),  # replayed all it received; the primary has been idle an hour
        (True, False, 12.5, 12.5),
        (True, False, -0.2, 0.0),  # clocks a little apart
        (True, None, None, None),  # replayed nothing yet
    ],
)
def test_the_lag_is_read_from_what_postgresql_answers(
    in_recovery: bool, caught_up: bool | None, behind: float | None, lag: float | None
) -> None:
    assert replicas.lag_from(in_recovery, caught_up, behind) == lag


@pytest.mark.django_db(transaction=True)  # a test's own transaction would pin reads to the primary
def test_health_is_asked_once_per_interval_not_per_query(replica_connection: str) -> None:
    with CaptureQueriesContext(connections[REPLICA]) as asked:
        for _ in range(4):
            serve("GET", "read", "read")
    assert len(asked.captured_queries) == 1  # the one health query; the Recorder's reads run none
    assert replicas.health_of(REPLICA).up


@pytest.mark.django_db(transaction=True)  # a test's own transaction would pin reads to the primary
def test_a_replica_that_refuses_connections_is_found_down_and_skipped(routing: Any) -> None:
    pytest.importorskip("psycopg")
    routing.DATABASE_REPLICAS = [DOWN]
    add_alias(
        DOWN,
        ENGINE="django.db.backends.postgresql",
        HOST="127.0.0.1",
        PORT=str(UNUSED_PORT),
        NAME="zhenwu",
        USER="postgres",
        PASSWORD="",
        OPTIONS={"connect_timeout": 3},
    )
    try:
        view, response = serve("GET", "read")
        found = replicas.health_of(DOWN)
    finally:
        drop_alias(DOWN)
    assert view.reads == [DEFAULT_DB_ALIAS]
    assert response[replicas.HEADER] == "primary"
    assert not found.up and "refused" in found.error.lower()


@pytest.mark.django_db
def test_on_postgresql_the_lag_query_runs_on_a_second_connection(routing: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("DATABASE_URL is not PostgreSQL: the lag query is PostgreSQL's")
    add_alias(REPLICA)
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(replicas.LAG_SQL)
            in_recovery, caught_up, behind = cursor.fetchone()
        found = replicas.check(REPLICA)
    finally:
        drop_alias(REPLICA)
    # The test server is a primary: not in recovery, so nothing received or replayed.
    assert (in_recovery, caught_up, behind) == (False, None, None)
    assert found.up and found.lag == 0.0 and not found.error


# --- whole requests: the header and the dashboard --------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_read_on_the_replica_says_how_old_its_figures_are(
    cast: Cast, replica_connection: str
) -> None:
    client = Client()
    client.force_login(cast.user("leader"))
    healthy(lag=4.2)
    url = reverse("web:dashboard")
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        response = client.get(url)
    assert response.status_code == 200
    assert response[replicas.HEADER] == REPLICA
    assert "数据来自只读副本，约5秒前" in response.content.decode()
    assert len(on_replica.captured_queries) > 5  # the session, the user and the figures

    healthy(lag=0.0)
    fresh = client.get(f"{url}?fresh=1")
    assert "数据来自只读副本，约1秒前" in fresh.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_writer_reads_the_dashboard_from_the_primary_without_the_note(
    cast: Cast, replica_connection: str, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(FROZEN_NOW, tick=False)
    healthy()
    client = Client()
    client.force_login(cast.user("leader"))
    # A POST that writes: the inbox marked read (any form that saves would do).
    wrote = client.post(reverse("notifications:read-all"))
    assert wrote[replicas.HEADER] == "primary"
    assert replicas.COOKIE in wrote.cookies

    time_machine.shift(timedelta(seconds=3))
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        response = client.get(reverse("web:dashboard") + "?fresh=1")
    assert response[replicas.HEADER] == "primary"
    assert "只读副本" not in response.content.decode()
    assert on_replica.captured_queries == []


@pytest.mark.django_db
def test_without_replicas_nothing_is_routed_and_no_header_is_sent(cast: Cast, client: Client) -> None:
    assert "zhenwu.replicas.ReplicaMiddleware" not in django_settings.MIDDLEWARE
    assert not django_settings.DATABASE_ROUTERS
    client.force_login(cast.user("leader"))
    response = client.get(reverse("web:dashboard"))
    assert replicas.HEADER not in response
    assert "只读副本" not in response.content.decode()


# --- settings ----------------------------------------------------------------------------------------------


def load_settings(**env: str) -> dict[str, object]:
    """zhenwu.settings in a fresh interpreter with these variables: its database aliases and routing."""
    script = """
import json
from zhenwu import settings as s
print(json.dumps({
    "databases": {
        alias: {"host": d["HOST"], "test": d.get("TEST"), "options": d["OPTIONS"], "age": d["CONN_MAX_AGE"]}
        for alias, d in s.DATABASES.items()
    },
    "replicas": s.DATABASE_REPLICAS,
    "routers": getattr(s, "DATABASE_ROUTERS", []),
    "middleware": s.MIDDLEWARE[0],
    "lag": s.REPLICA_MAX_LAG_SECONDS,
    "ryw": s.READ_YOUR_WRITES_SECONDS,
}))
"""
    clean = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URLS"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**clean, "ZHENWU_ENV_FILE": "", "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    loaded: dict[str, object] = json.loads(result.stdout)
    return loaded


def test_replica_urls_become_aliases_with_the_router_and_middleware() -> None:
    loaded = load_settings(
        DATABASE_URL="postgres://zhenwu@db/zhenwu?sslmode=disable",
        DATABASE_REPLICA_URLS="postgres://zhenwu@db2/zhenwu, postgres://zhenwu@db3/zhenwu?connect_timeout=3",
        DATABASE_CONN_MAX_AGE="30",
    )
    databases = loaded["databases"]
    assert isinstance(databases, dict)
    assert list(databases) == ["default", "replica_1", "replica_2"]
    assert databases["replica_1"] == {
        "host": "db2",
        "test": {"MIRROR": "default"},
        "options": {"sslmode": "disable"},
        "age": 30,
    }
    assert databases["replica_2"]["options"] == {"sslmode": "disable", "connect_timeout": 3}
    assert loaded["replicas"] == ["replica_1", "replica_2"]
    assert loaded["routers"] == ["zhenwu.replicas.ReplicaRouter"]
    assert loaded["middleware"] == "zhenwu.replicas.ReplicaMiddleware"
    assert (loaded["lag"], loaded["ryw"]) == (10, 10)


def test_without_replica_urls_the_settings_are_as_before() -> None:
    loaded = load_settings(DATABASE_URL="sqlite:////tmp/zhenwu-router-settings.sqlite3")
    assert list(loaded["databases"]) == ["default"]  # type: ignore[call-overload]
    assert loaded["routers"] == [] and loaded["replicas"] == []
    assert loaded["middleware"] != "zhenwu.replicas.ReplicaMiddleware"
