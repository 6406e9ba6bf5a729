"""Read replicas: read-only work on a PostgreSQL streaming replica, everything else on the primary.

What goes where (docs/replicas.md):

- A GET or HEAD request reads from a healthy replica, chosen at its first read and kept for the whole
  request, unless its user wrote in the last READ_YOUR_WRITES_SECONDS (a signed cookie says so): then
  from the primary, so that whoever saved something sees it on the next page.
- Every write goes to the primary. Once a request has written (the router was asked where to write) or
  opened a transaction on the primary, the rest of its reads go there too: a read after a write must see
  it, and rows read on a replica must not feed a transaction on the primary.
- POST, PUT, PATCH, DELETE (and OPTIONS) requests read from the primary from the start.
- Work outside a request (jobs, commands, the test suite) reads from the primary unless it opts in with
  `reading_from_replica()`.

A replica is healthy when it answers and is at most REPLICA_MAX_LAG_SECONDS behind. Each process asks each
replica at most every REPLICA_CHECK_SECONDS, never per query; a request whose database failed while it
read from a replica has that replica asked again by the next request.

The state of a request lives in a context variable the middleware sets, so a thread the request starts
(which does not inherit it) reads from the primary: the safe side.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, Error, InterfaceError, OperationalError, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

HEADER = "X-Zhenwu-Read-From"
PRIMARY = "primary"  # the header's word for the default alias
COOKIE = "zhenwu_wrote"
COOKIE_SALT = "zhenwu.replicas.wrote"
READ_ONLY_METHODS = frozenset({"GET", "HEAD"})

# Asked of a PostgreSQL replica: is it one, has it replayed all it received, and how old is the last
# transaction it replayed. An idle primary sends nothing, so that age grows while the replica is fully
# caught up: a replica that has replayed everything it received counts as 0 behind.
LAG_SQL = """
SELECT pg_is_in_recovery(),
       pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn(),
       EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8
"""


# --- health -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Health:
    """What one process last learnt of one replica."""

    alias: str
    up: bool
    lag: float | None  # seconds behind the primary; None when down or not known
    checked: float  # time.monotonic() of the check
    error: str = ""

    @property
    def usable(self) -> bool:
        return self.up and self.lag is not None and self.lag <= settings.REPLICA_MAX_LAG_SECONDS


_health: dict[str, Health] = {}
_checking: set[str] = set()
_lock = threading.Lock()


def lag_from(in_recovery: bool, caught_up: bool | None, behind: float | None) -> float | None:
    """Seconds a PostgreSQL server is behind its primary, from LAG_SQL's answer; None when not known."""
    if not in_recovery:
        return 0.0  # not a replica at all: a primary (or a promoted replica) is never behind
    if caught_up:
        return 0.0
    if behind is None:
        return None  # it has replayed nothing since it started: no way to tell
    return max(0.0, behind)


def check(alias: str) -> Health:
    """Ask the replica now: one query on this thread's connection to it."""
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(LAG_SQL)
                in_recovery, caught_up, behind = cursor.fetchone()
                lag = lag_from(in_recovery, caught_up, behind)
            else:  # SQLite in tests and demos: a "replica" that is the same file is never behind
                cursor.execute("SELECT 1")
                lag = 0.0
    except Error as error:
        _close_quietly(alias)
        return Health(alias, up=False, lag=None, checked=time.monotonic(), error=str(error).strip())
    return Health(alias, up=True, lag=lag, checked=time.monotonic())


def record(health: Health) -> None:
    """Keep what was learnt of a replica until the next check is due (tests inject results here)."""
    with _lock:
        _health[health.alias] = health


def forget(alias: str | None = None) -> None:
    """Ask the replica (or every replica) again at its next use."""
    with _lock:
        if alias is None:
            _health.clear()
        else:
            _health.pop(alias, None)


def health_of(alias: str) -> Health:
    """What is known of the replica, asked anew when the last check is older than REPLICA_CHECK_SECONDS.

    While one thread asks, the others go on with what was known: a replica that takes seconds to refuse
    holds up one request, not all of them."""
    with _lock:
        known = _health.get(alias)
        due = known is None or time.monotonic() - known.checked >= settings.REPLICA_CHECK_SECONDS
        if not due or alias in _checking:
            return known or Health(alias, up=False, lag=None, checked=time.monotonic(), error="checking")
        _checking.add(alias)
    try:
        found = check(alias)
        record(found)
    finally:
        with _lock:
            _checking.discard(alias)
    return found


def choose_replica() -> Health | None:
    """One healthy replica, at random among them, or None when none is."""
    healthy = [h for h in (health_of(alias) for alias in settings.DATABASE_REPLICAS) if h.usable]
    return random.choice(healthy) if healthy else None


def _close_quietly(alias: str) -> None:
    # A connection that failed may fail to close too; it is dropped either way.
    with suppress(Error):
        connections[alias].close()


# --- where the reads of this request go ---------------------------------------------------------------


@dataclass
class Reading:
    """Where the reads of one request (or of one `reading_from_replica` block) go."""

    replica_allowed: bool
    pinned: bool = False  # reads go to the primary from now on
    wrote: bool = False
    replica: Health | None = None  # chosen at the first read, kept for the request
    used_replica: bool = False
    primary_holds: int = 0  # open `reading_from_primary` blocks

    @property
    def source(self) -> str:
        """What the header says: the replica's alias if any read was served by it, else "primary"."""
        return self.replica.alias if self.used_replica and self.replica else PRIMARY


_reading: ContextVar[Reading | None] = ContextVar("zhenwu_reading", default=None)


def read_alias() -> str:
    """The alias the next read goes to."""
    reading = _reading.get()
    if reading is None or not reading.replica_allowed or reading.pinned or reading.primary_holds:
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        reading.pinned = True
        return DEFAULT_DB_ALIAS
    if reading.replica is None:
        reading.replica = choose_replica()
        if reading.replica is None:
            reading.pinned = True  # none is healthy: the primary serves this request
            return DEFAULT_DB_ALIAS
    reading.used_replica = True
    return reading.replica.alias


def wrote() -> None:
    reading = _reading.get()
    if reading is not None:
        reading.wrote = reading.pinned = True


def replica_lag() -> float | None:
    """How far behind the replica this request's reads came from was, when last asked; None: the primary."""
    reading = _reading.get()
    if reading is None or not reading.used_replica or reading.replica is None:
        return None
    return reading.replica.lag


def age_seconds(lag: float | None) -> int | None:
    """A replica's lag as the page says it: whole seconds, at least one."""
    return None if lag is None else max(1, math.ceil(lag))


@contextmanager
def reading_from_replica() -> Iterator[Reading]:
    """Work outside a request that may read slightly old data (a report, an export) reads from a replica.

    Inside a request the request decides; a write in the block sends its later reads to the primary."""
    current = _reading.get()
    if current is not None:
        yield current
        return
    reading = Reading(replica_allowed=True)
    token = _reading.set(reading)
    try:
        yield reading
    finally:
        _reading.reset(token)


@contextmanager
def reading_from_primary() -> Iterator[None]:
    """Reads in the block go to the primary whatever the request: for data that is kept and shared after
    it was read (the remembered reference data), which a replica's old rows must not become."""
    reading = _reading.get()
    if reading is None:
        yield
        return
    reading.primary_holds += 1
    try:
        yield
    finally:
        reading.primary_holds -= 1


class ReplicaRouter:
    """DATABASE_ROUTERS' entry when replicas are configured."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        return read_alias()

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        wrote()
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        """The replicas hold the primary's rows: a row read on one may be linked to a row of the other."""
        ours = {DEFAULT_DB_ALIAS, *settings.DATABASE_REPLICAS}
        dbs = {db for db in (obj1._state.db, obj2._state.db) if db}
        return True if dbs <= ours else None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db in settings.DATABASE_REPLICAS else None  # a replica follows the primary's schema


# --- the request's side -------------------------------------------------------------------------------


def wrote_recently(request: HttpRequest) -> bool:
    value = request.get_signed_cookie(
        COOKIE, default=None, salt=COOKIE_SALT, max_age=settings.READ_YOUR_WRITES_SECONDS
    )
    return value is not None


def remember_write(response: HttpResponse) -> None:
    response.set_signed_cookie(
        COOKIE,
        "1",
        salt=COOKIE_SALT,
        max_age=settings.READ_YOUR_WRITES_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


class ReplicaMiddleware:
    """Sets where the request reads from, says it in the response's header, and marks a writer's browser."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        allowed = request.method in READ_ONLY_METHODS and not wrote_recently(request)
        reading = Reading(replica_allowed=allowed)
        token = _reading.set(reading)
        try:
            response = self.get_response(request)
        finally:
            _reading.reset(token)
        response[HEADER] = reading.source
        if reading.wrote:
            remember_write(response)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        """A replica that failed a request is asked again by the next one, not after the usual pause."""
        reading = _reading.get()
        if reading is None or not reading.used_replica or reading.replica is None:
            return
        if isinstance(exception, OperationalError | InterfaceError):
            forget(reading.replica.alias)
