"""`make scaleout-test`: zhenwu beyond one machine, run on this one as separate processes (issue 22).

    python bench/scaleout.py [--seconds 20] [--failover-seconds 30] [--clients 32] [--strict]

Starts on 127.0.0.1, and stops by PID when done, on failure or on Ctrl-C (bench/scaleout_services.py):
a PostgreSQL primary (57401) and a streaming replica made with pg_basebackup -R (57402), Redis (57403),
two app servers A and B (`zhenwu serve --no-jobs`, 57410/57411) sharing the database, the replica, Redis
and a media root, one `zhenwu worker`, and nginx (57400) in front of the servers. Loads the demo township,
then runs case intake (REST API, an Idempotency-Key on every submission) at 32 clients through nginx:
with one app server behind nginx, with two, and with two of which one is killed (SIGKILL) and started
again mid-run. Meanwhile two readers load dashboards and lists, and the replica's lag is sampled each
second. Then it checks, and prints as a checklist:

- every acknowledged case is in the database exactly once, and a submission sent again with its key
  made nothing twice;
- dashboard and list reads were served by the replica (the X-Zhenwu-Read-From header, the replica's
  pg_stat_database);
- a writer reads its own write at once (written through one server, read through the other);
- a change of remembered reference data through server A is seen through server B at once.

A check whose feature is not in this checkout yet (the read replica router, the Redis cache) is reported
"not available" instead of failing; with --strict it fails. Results: bench/results/scaleout.json
(docs/scaleout.md explains it). Exit status 1 when a check fails.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

from _setup import machine, write_result
from httpload import environment
from scaleout_services import (
    MEDIA_DIR,
    PORTS,
    ROOT,
    SERVER_PORTS,
    Services,
    database_url,
    ensure_nginx,
)

DEMO_PASSWORD = "zhenwu-demo"  # zhenwu.org.demo.DEMO_PASSWORD
RETRY_STATUSES = {502, 503, 504, 409}  # 409: the same key is being saved by another request right now
MAX_ATTEMPTS = 10
REPEAT_EVERY = 20  # every 20th acknowledged submission is sent again with its key, as a phone would
READ_YOUR_WRITES_SECONDS = 10
REPLICA_NOTICE = "数据来自只读副本"
FRESH_DASHBOARD = "/dashboard/?fresh=1"  # built afresh by the request that reads it
PASS, FAIL, MISSING = "PASS", "FAIL", "NOT AVAILABLE"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20, help="intake with one, then two servers")
    parser.add_argument("--failover-seconds", type=float, default=30, help="intake while B is killed")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per app server")
    parser.add_argument("--strict", action="store_true", help="a feature not available fails the run")
    args = parser.parse_args()

    env = environment(
        database_url("primary"),
        DATABASE_REPLICA_URLS=database_url("replica"),
        REPLICA_MAX_LAG_SECONDS="10",
        READ_YOUR_WRITES_SECONDS=str(READ_YOUR_WRITES_SECONDS),
        REDIS_URL=f"redis://127.0.0.1:{PORTS['redis']}/0",
        MEDIA_ROOT=str(MEDIA_DIR),
        SECURE_COOKIES="0",  # plain HTTP on loopback
        ZHENWU_ENV_FILE="",  # the checkout's .env (the demo's DEBUG=1) is not this deployment's
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        DATABASE_CONN_MAX_AGE="60",
    )
    env.pop("DATABASE_URL_REPLICA", None)
    services = Services(env, workers=args.workers)
    failed = True
    signal.signal(signal.SIGTERM, _interrupt)
    started = time.monotonic()
    try:
        services.nginx_bin = ensure_nginx()
        checks, result = run(services, args)
        failed = any(c.status == FAIL or (args.strict and c.status == MISSING) for c in checks)
        result["seconds_in_all"] = round(time.monotonic() - started, 1)
        path = write_result("scaleout", result)
        print_checklist(checks)
        print(f"written to {path.relative_to(ROOT)}; {result['seconds_in_all']:.0f} s in all")
    except KeyboardInterrupt:
        print("\ninterrupted: stopping what was started", flush=True)
    finally:
        print("stopping every process started:", flush=True)
        services.stop_all()
        keep = ROOT / "var" / "scaleout-logs" if failed else None
        services.remove_data(keep)
        if keep is not None:
            print(f"logs kept in {keep}")
    return 1 if failed else 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def step(what: str) -> None:
    print(f"== {what}", flush=True)


# --- the run ---------------------------------------------------------------------------------------


def run(services: Services, args: argparse.Namespace) -> tuple[list[Check], dict[str, Any]]:
    step("starting PostgreSQL primary, replica, Redis")
    services.clean()
    services.start_primary()
    services.start_replica()
    services.start_redis()
    step("migrating and loading the demo township on the primary")
    zhenwu(services, ["migrate", "--noinput", "-v0"])
    zhenwu(services, ["demo"])
    cast = prepare(services)
    print("features in this checkout:", json.dumps(cast["features"], ensure_ascii=False), flush=True)
    step("starting app servers A and B, the worker, nginx")
    services.start_server("A")
    services.start_server("B")
    services.start_worker()
    services.start_nginx(["A"])

    readers = Readers(cast)
    lag = LagSampler()
    replica_before = replica_stats()
    readers.start()
    lag.start()
    phases = []
    step(f"intake, ONE app server behind nginx, {args.clients} clients, {args.seconds:.0f} s")
    phases.append(intake_phase("one_server", cast, args.clients, args.seconds, lag))
    services.nginx_upstream(["A", "B"])
    step(f"intake, TWO app servers behind nginx, {args.clients} clients, {args.seconds:.0f} s")
    phases.append(intake_phase("two_servers", cast, args.clients, args.seconds, lag))
    step(f"intake, TWO app servers, B killed (SIGKILL) and started again, {args.failover_seconds:.0f} s")
    failover = Failover(services, args.failover_seconds)
    phases.append(intake_phase("failover", cast, args.clients, args.failover_seconds, lag, failover))
    failover.join()
    lag.stop()
    readers.stop()
    time.sleep(1.5)  # idle backends report their statistics within a second or so
    replica_after = replica_stats()

    step("checks")
    # What each client was told, and what it gave up on: for the check, not for the json.
    acked: dict[str, int] = {}
    given_up: list[str] = []
    for p in phases:
        acked.update({k: v["id"] for k, v in p.pop("_keys").items()})
        given_up += p.pop("_given_up")
    checks = [
        safely("every acknowledged case is in the database exactly once", check_intake, acked, given_up),
        safely("a retry with the same key makes no second case", check_repeats, phases),
        safely(
            "dashboard and list reads were served by the replica",
            check_replica_reads,
            cast,
            readers,
            replica_before,
            replica_after,
        ),
        safely("a writer reads its own write at once", check_read_your_writes, cast),
        safely("a change through server A is seen through server B at once", check_cache_change, cast),
        safely("a killed app server comes back and serves again", check_failover, services, failover),
    ]
    result = {
        "label": "scaleout",
        "features": cast["features"],
        "setup": {
            "app_servers": 2,
            "gunicorn_workers_per_server": args.workers,
            "clients": args.clients,
            "intake": "REST API POST /api/v1/cases/ with Idempotency-Key, through nginx",
            "ports": {**PORTS, **{f"server_{k}": v for k, v in SERVER_PORTS.items()}},
        },
        "throughput": {
            p["phase"]: {"cases_per_second": p["cases_per_second"], "p95_ms": p["p95_ms"]} for p in phases
        },
        "two_to_one_ratio": round(
            phases[1]["cases_per_second"] / max(phases[0]["cases_per_second"], 0.01), 2
        ),
        "phases": phases,
        "failover": failover.summary(),
        "replica_lag": lag.summary(),
        "reads": readers.summary(),
        "replica_pg_stat_database": {k: replica_after[k] - replica_before[k] for k in replica_after},
        "client_errors": client_errors(phases),
        "checks": [c.as_dict() for c in checks],
        "machine": machine(),
    }
    return checks, result


def zhenwu(services: Services, command: list[str]) -> str:
    print("$ zhenwu", " ".join(command)[:60], flush=True)
    out = subprocess.run(
        [sys.executable, "-m", "zhenwu.manage", *command],
        env=services.server_env("admin"),
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise RuntimeError(f"zhenwu {command[0]} failed:\n{out.stdout[-2000:]}{out.stderr[-4000:]}")
    return out.stdout


PREPARE = """
import json
from django.conf import settings
from rest_framework.authtoken.models import Token
from zhenwu.cases.models import CaseCategory
from zhenwu.org.models import User
grid = User.objects.get(username="wangge01")
village = User.objects.get(username="cun02")
category = CaseCategory.objects.filter(case_type__open311=True).select_related("case_type").first()
cache = settings.CACHES["default"]["BACKEND"]
print("SCALEOUT " + json.dumps({
    "grid_token": Token.objects.get_or_create(user=grid)[0].key,
    "grid_unit": grid.org_unit.code,
    "village_token": Token.objects.get_or_create(user=village)[0].key,
    "village_pk": village.pk,
    "case_type": category.case_type.code,
    "category": category.code,
    "features": {
        "replica_router": "replica_1" in settings.DATABASES
        and bool(getattr(settings, "DATABASE_ROUTERS", [])),
        "redis_cache": "redis" in cache.lower(),
        "cache_backend": cache,
        "redis_queue": "Redis" in settings.HUEY["huey_class"],
    },
}))
"""


def prepare(services: Services) -> dict[str, Any]:
    """API tokens for the grid worker who reports and the village user whose account the cache test
    stops; the category to report in; which of issue 22's features this checkout has."""
    out = zhenwu(services, ["shell", "-c", PREPARE])
    line = next(line for line in out.splitlines() if line.startswith("SCALEOUT "))
    return dict(json.loads(line.removeprefix("SCALEOUT ")))


# --- HTTP ------------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Client:
    """One keep-alive connection to a port, and the cookies its responses set (a browser's session,
    and whatever the read-your-writes router sets on a write)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> Answer:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        jar = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        for name, morsel in jar.items():
            self.cookies[name] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, data)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def log_in(self, username: str, password: str = DEMO_PASSWORD) -> None:
        page = self.request("GET", "/accounts/login/")
        token = page.body.decode().split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        body = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        answer = self.request("POST", "/accounts/login/", body.encode(), form)
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"could not log in as {username}: HTTP {answer.status}")

    def csrf(self) -> dict[str, str]:
        return {"X-CSRFToken": self.cookies.get("csrftoken", "")}

    def form_token(self, path: str) -> str:
        page = self.request("GET", path)
        return page.body.decode().split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]


def case_body(cast: dict[str, Any], key: str, number: int) -> bytes:
    """A case whose external number is its idempotency key, so the database can be asked per submission."""
    return json.dumps(
        {
            "case_type": cast["case_type"],
            "category": cast["category"],
            "title": f"路灯不亮（压测{number}）",
            "description": f"路灯不亮，夜间通行不便，请尽快维修。压测提交 {key}",
            "org_unit": cast["grid_unit"],
            "external_number": key,
            "confirm_duplicate": True,
        },
        ensure_ascii=False,
    ).encode()


# --- intake --------------------------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    stop_at: float
    started: float
    lock: threading.Lock = field(default_factory=threading.Lock)
    sent: int = 0
    acknowledged: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> {id, number}
    unacknowledged: list[str] = field(default_factory=list)  # keys given up on
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)  # every response a client saw, retries too
    retried: int = 0
    replayed: int = 0  # answers marked Idempotent-Replayed (a retry whose first try had been saved)
    repeats: Counter[str] = field(default_factory=Counter)
    per_second: Counter[int] = field(default_factory=Counter)

    def next_number(self) -> int | None:
        with self.lock:
            if time.monotonic() >= self.stop_at:
                return None
            self.sent += 1
            return self.sent


def intake_phase(
    name: str,
    cast: dict[str, Any],
    clients: int,
    seconds: float,
    lag: LagSampler,
    failover: Failover | None = None,
) -> dict[str, Any]:
    lag.loading.set()
    now = time.monotonic()
    phase = Phase(name, now + seconds, now)
    threads = [threading.Thread(target=intake_client, args=(phase, cast)) for _ in range(clients)]
    for thread in threads:
        thread.start()
    if failover is not None:
        failover.phase = phase
        failover.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - phase.started
    lag.loading.clear()
    ordered = sorted(phase.latencies)

    def percentile(p: float) -> float:
        return (
            round(ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000, 1)
            if ordered
            else 0
        )

    row = {
        "phase": name,
        "clients": clients,
        "seconds": round(elapsed, 2),
        "submissions": phase.sent,
        "acknowledged": len(phase.acknowledged),
        "cases_per_second": round(len(phase.acknowledged) / elapsed, 1),
        "p50_ms": percentile(50),
        "p95_ms": percentile(95),
        "p99_ms": percentile(99),
        "statuses": dict(sorted(phase.statuses.items())),
        "retried_requests": phase.retried,
        "replayed_answers": phase.replayed,
        "given_up": len(phase.unacknowledged),
        "repeats": dict(phase.repeats),
        "acknowledged_per_second": [phase.per_second.get(s, 0) for s in range(int(elapsed) + 1)],
        "_keys": phase.acknowledged,
        "_given_up": phase.unacknowledged,
    }
    print(
        f"  {name:12} {row['cases_per_second']:7.1f} cases/s  p50 {row['p50_ms']} p95 {row['p95_ms']} ms  "
        f"acked {row['acknowledged']}  retried {phase.retried}  replayed {phase.replayed}  "
        f"statuses {row['statuses']}",
        flush=True,
    )
    return row


def intake_client(phase: Phase, cast: dict[str, Any]) -> None:
    client = Client(PORTS["nginx"])
    headers = {"Content-Type": "application/json", "Authorization": f"Token {cast['grid_token']}"}
    while (number := phase.next_number()) is not None:
        key = str(uuid.uuid4())
        body = case_body(cast, key, number)
        began = time.monotonic()
        answer = submit(phase, client, body, {**headers, "Idempotency-Key": key})
        if answer is None or answer.status != 201:
            with phase.lock:
                phase.unacknowledged.append(key)
            continue
        data = answer.json()
        with phase.lock:
            phase.latencies.append(time.monotonic() - began)
            phase.acknowledged[key] = {"id": data["id"], "number": data.get("number", "")}
            phase.per_second[int(time.monotonic() - phase.started)] += 1
        if number % REPEAT_EVERY == 0:
            repeat(phase, client, body, {**headers, "Idempotency-Key": key}, data["id"])
    client.close()


def submit(
    phase: Phase, client: Client, body: bytes, headers: dict[str, str], first: bool = True
) -> Answer | None:
    """Send one submission, and again with the same key after a lost answer or a gateway error. A replay
    is counted when the submission is sent for the `first` time (not a deliberate resend): its answer had
    been lost, and its case was not made twice."""
    for attempt in range(MAX_ATTEMPTS):
        if attempt:
            with phase.lock:
                phase.retried += 1
            time.sleep(0.2 * attempt)
        try:
            answer = client.request("POST", "/api/v1/cases/", body, headers)
        except (OSError, http.client.HTTPException):
            with phase.lock:
                phase.statuses["connection_error"] += 1
            continue
        with phase.lock:
            phase.statuses[str(answer.status)] += 1
            if first and answer.headers.get("idempotent-replayed") == "true":
                phase.replayed += 1
        if answer.status not in RETRY_STATUSES:
            return answer
    return None


def repeat(phase: Phase, client: Client, body: bytes, headers: dict[str, str], case_id: int) -> None:
    """The same submission again, as a phone that lost the answer sends it (and again after a gateway
    error, as for any submission): the first case comes back, marked as a replay."""
    answer = submit(phase, client, body, headers, first=False)
    if answer is None:
        with phase.lock:
            phase.repeats["no_answer"] += 1
        return
    same = answer.status == 201 and answer.json().get("id") == case_id
    replayed = answer.headers.get("idempotent-replayed") == "true"
    with phase.lock:
        phase.repeats["same_case_replayed" if same and replayed else f"wrong:{answer.status}"] += 1


def client_errors(phases: list[dict[str, Any]]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    for p in phases:
        bad = {k: v for k, v in p["statuses"].items() if k != "201"}
        errors[p["phase"]] = {
            "by_status": bad,
            "given_up": p["given_up"],
            "retried_requests": p["retried_requests"],
        }
    return errors


# --- the readers, the replica's lag ------------------------------------------------------------------


class Readers:
    """Two leaders' browsers through nginx, reading dashboards and lists while the intake runs, noting
    which database each answer was read from."""

    PATHS = ("/dashboard/", "/cases/?state=open", FRESH_DASHBOARD, "/api/v1/cases/?state=open")

    def __init__(self, cast: dict[str, Any]) -> None:
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.read_from: dict[str, Counter[str]] = {p: Counter() for p in self.PATHS}
        self.after_login: Counter[str] = Counter()  # reads made when the login's own write is long past
        self.statuses: Counter[int] = Counter()
        self.notice: Counter[str] = Counter()  # dashboards from a replica: with the notice or without
        self.threads = [threading.Thread(target=self.read, args=(n,)) for n in range(2)]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        for thread in self.threads:
            thread.join()

    def read(self, n: int) -> None:
        client = Client(PORTS["nginx"])
        client.log_in("leader")
        logged_in = time.monotonic()
        i = n
        while not self.stop_event.is_set():
            path = self.PATHS[i % len(self.PATHS)]
            i += 1
            try:
                answer = client.request("GET", path)
            except (OSError, http.client.HTTPException):
                with self.lock:
                    self.statuses[0] += 1
                continue
            source = answer.headers.get("x-zhenwu-read-from", "(no header)")
            with self.lock:
                self.statuses[answer.status] += 1
                self.read_from[path][source] += 1
                if time.monotonic() - logged_in > READ_YOUR_WRITES_SECONDS + 1:
                    self.after_login[source] += 1
                # Only a dashboard built in this request must say so: a kept one says where it was built
                # (the first, in the login's read-your-writes seconds, was built on the primary).
                if path == FRESH_DASHBOARD and source.startswith("replica"):
                    self.notice["with" if REPLICA_NOTICE in answer.body.decode() else "without"] += 1
            self.stop_event.wait(0.2)
        client.close()

    def summary(self) -> dict[str, Any]:
        return {
            "by_path": {p: dict(c) for p, c in self.read_from.items()},
            "after_read_your_writes_window": dict(self.after_login),
            "statuses": {str(k): v for k, v in self.statuses.items()},
            "replica_dashboards_with_notice": dict(self.notice),
        }


class LagSampler:
    """Each second: the replica's `now() - pg_last_xact_replay_timestamp()` (and whether it has replayed
    all it received), and the primary's own view, pg_stat_replication.replay_lag."""

    def __init__(self) -> None:
        self.stop_event = threading.Event()
        self.samples: list[dict[str, Any]] = []
        self.thread = threading.Thread(target=self.sample)
        self.loading = threading.Event()  # set while an intake phase runs: only those seconds are kept

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join()

    def sample(self) -> None:
        import psycopg

        replica = psycopg.connect(
            f"postgres://postgres@127.0.0.1:{PORTS['replica']}/postgres", autocommit=True
        )
        primary = psycopg.connect(
            f"postgres://postgres@127.0.0.1:{PORTS['primary']}/postgres", autocommit=True
        )
        with replica, primary:
            while not self.stop_event.wait(1.0):
                row = replica.execute(
                    "select extract(epoch from now() - pg_last_xact_replay_timestamp())::float,"
                    " pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()"
                ).fetchone()
                seen = primary.execute(
                    "select extract(epoch from replay_lag)::float,"
                    " pg_wal_lsn_diff(sent_lsn, replay_lsn)::bigint from pg_stat_replication"
                ).fetchone()
                assert row is not None
                if not self.loading.is_set():
                    continue
                self.samples.append(
                    {
                        "replay_timestamp_age_s": row[0],
                        "caught_up": bool(row[1]),
                        "primary_replay_lag_s": seen[0] if seen else None,
                        "bytes_behind": seen[1] if seen else None,
                    }
                )

    def summary(self) -> dict[str, Any]:
        def stats(values: list[float]) -> dict[str, Any]:
            ordered = sorted(v for v in values if v is not None)
            if not ordered:
                return {"samples": 0}
            p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
            return {"samples": len(ordered), "max_s": round(ordered[-1], 3), "p95_s": round(p95, 3)}

        # A replica that has replayed all it received is not behind, however old its last commit.
        behind = [0.0 if s["caught_up"] else s["replay_timestamp_age_s"] for s in self.samples]
        return {
            "now_minus_last_replay": stats([s["replay_timestamp_age_s"] for s in self.samples]),
            "lag_when_not_caught_up_counted_0": stats(behind),
            "primary_pg_stat_replication_replay_lag": stats(
                [s["primary_replay_lag_s"] for s in self.samples]
            ),
            "bytes_behind_max": max((s["bytes_behind"] or 0 for s in self.samples), default=0),
            "samples_caught_up": sum(1 for s in self.samples if s["caught_up"]),
        }


def replica_stats() -> dict[str, int]:
    """The replica's own counters for the zhenwu database (asked from another database, so that the
    asking does not count)."""
    import psycopg

    with psycopg.connect(f"postgres://postgres@127.0.0.1:{PORTS['replica']}/postgres") as connection:
        row = connection.execute(
            "select xact_commit + xact_rollback, tup_returned, tup_fetched, blks_hit + blks_read"
            " from pg_stat_database where datname = %s",
            ["zhenwu"],
        ).fetchone()
    assert row is not None
    return dict(zip(("transactions", "tup_returned", "tup_fetched", "blocks"), map(int, row), strict=True))


# --- the failover --------------------------------------------------------------------------------


class Failover(threading.Thread):
    """During the failover phase: kill server B with SIGKILL at a quarter of the phase, start it again
    two seconds later, and note when it answered again. A server slow to start (a busy machine) makes the
    phase last until B has been back for BACK_SECONDS, so that nginx is seen sending it work again."""

    BACK_SECONDS = 5.0

    def __init__(self, services: Services, seconds: float) -> None:
        super().__init__()
        self.services, self.seconds = services, seconds
        self.events: dict[str, float] = {}
        self.error = ""
        self.phase: Phase | None = None

    def run(self) -> None:
        began = time.monotonic()
        try:
            time.sleep(self.seconds / 4)
            self.services.kill_server("B")
            self.events["killed_at_s"] = time.monotonic() - began
            self.killed_wall = time.time()
            time.sleep(2)
            self.events["restart_at_s"] = time.monotonic() - began
            self.services.start_server("B")
            self.events["answering_again_at_s"] = time.monotonic() - began
            self.back_wall = time.time()
            if self.phase is not None:
                with self.phase.lock:
                    self.phase.stop_at = max(self.phase.stop_at, time.monotonic() + self.BACK_SECONDS)
        except Exception as error:  # reported as a failed check; the other phases' results stand
            self.error = repr(error)

    def summary(self) -> dict[str, Any]:
        return {**{k: round(v, 1) for k, v in self.events.items()}, "error": self.error}


# --- checks --------------------------------------------------------------------------------------


@dataclass
class Check:
    name: str
    status: str
    detail: str
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"check": self.name, "status": self.status, "detail": self.detail, **self.data}


def safely(name: str, check: Callable[..., Check], *args: Any) -> Check:
    """A check that breaks (a page that is not there, a server that does not answer) fails by its name;
    the others still run and the processes are still stopped."""
    try:
        return check(*args)
    except Exception as error:
        return Check(name, FAIL, f"the check itself failed: {error!r}")


def primary() -> Any:
    import psycopg

    return psycopg.connect(database_url("primary"))


def check_intake(acked: dict[str, int], given_up: list[str]) -> Check:
    """Every acknowledged case is stored once, under the id its client was given; no submission's key
    made two cases, acknowledged or not."""
    keys = list(acked) + given_up
    with primary() as connection:
        rows = connection.execute(
            "select external_number, array_agg(id) from cases_case where external_number = any(%s)"
            " group by external_number",
            [keys],
        ).fetchall()
    stored = {key: ids for key, ids in rows}
    missing = [k for k in acked if k not in stored]
    twice = {k: ids for k, ids in stored.items() if len(ids) > 1}
    wrong_id = [k for k in acked if k in stored and stored[k] != [acked[k]]]
    saved_unacked = sum(1 for k in given_up if k in stored)
    data = {
        "acknowledged": len(acked),
        "missing": len(missing),
        "stored_twice": len(twice),
        "other_id_than_acknowledged": len(wrong_id),
        "given_up_by_clients": len(given_up),
        "given_up_but_saved": saved_unacked,
    }
    ok = acked and not missing and not twice and not wrong_id
    detail = (
        f"{len(acked)} acknowledged, all stored once under the id acknowledged"
        if ok
        else f"{len(missing)} missing, {len(twice)} stored twice, {len(wrong_id)} under another id"
    )
    return Check(
        "every acknowledged case is in the database exactly once", PASS if ok else FAIL, detail, data
    )


def check_repeats(phases: list[dict[str, Any]]) -> Check:
    repeats: Counter[str] = Counter()
    for p in phases:
        repeats.update(p["repeats"])
    replayed = sum(p["replayed_answers"] for p in phases)
    wrong = sum(v for k, v in repeats.items() if k != "same_case_replayed")
    ok = repeats["same_case_replayed"] > 0 and wrong == 0
    detail = (
        f"{repeats['same_case_replayed']} submissions sent again with their key: each answered with its "
        f"first case (Idempotent-Replayed), {wrong} otherwise; {replayed} retries after errors were replays"
    )
    return Check(
        "a retry with the same key makes no second case", PASS if ok else FAIL, detail, dict(repeats)
    )


def check_replica_reads(
    cast: dict[str, Any], readers: Readers, before: dict[str, int], after: dict[str, int]
) -> Check:
    name = "dashboard and list reads were served by the replica"
    sources = readers.after_login
    total = sum(sources.values())
    from_replica = sum(v for k, v in sources.items() if k.startswith("replica"))
    transactions = after["transactions"] - before["transactions"]
    data: dict[str, Any] = {"reads": total, "from_replica": from_replica}
    data["replica_transactions"] = transactions
    data["dashboard_notice"] = dict(readers.notice)
    if not cast["features"]["replica_router"] and "(no header)" in sources:
        return Check(
            name, MISSING, "no read replica router in this checkout (no X-Zhenwu-Read-From header)", data
        )
    share = from_replica / total if total else 0.0
    notice_ok = readers.notice["without"] == 0 and readers.notice["with"] > 0
    ok = share >= 0.9 and transactions > 0 and notice_ok
    detail = (
        f"{from_replica} of {total} reads ({share:.0%}) said replica; the replica counted {transactions} "
        f"transactions on {DATABASE_NAME}; {readers.notice['with']} dashboards built on the replica showed "
        f"“{REPLICA_NOTICE}”, {readers.notice['without']} did not"
    )
    return Check(name, PASS if ok else FAIL, detail, data)


DATABASE_NAME = "zhenwu"


def check_read_your_writes(cast: dict[str, Any]) -> Check:
    """A grid worker's browser session writes a case through one server and at once reads it through
    the other: directly (A then B), and through nginx (whichever servers it picks)."""
    name = "a writer reads its own write at once"
    a, b, via = Client(SERVER_PORTS["A"]), Client(SERVER_PORTS["B"]), Client(PORTS["nginx"])
    via.log_in("wangge01")
    for other in (a, b):
        other.cookies = via.cookies  # one browser: the same session on every server
    seen: Counter[str] = Counter()
    failures: list[str] = []
    crossed = 0
    for i in range(10):
        write, read = (a, b) if i < 5 else (via, via)
        key = str(uuid.uuid4())
        headers = {"Content-Type": "application/json", "Idempotency-Key": key, **write.csrf()}
        created = write.request("POST", "/api/v1/cases/", case_body(cast, key, 90000 + i), headers)
        if created.status != 201:
            failures.append(f"write {i}: HTTP {created.status}")
            continue
        case_id = created.json()["id"]
        got = read.request("GET", f"/api/v1/cases/{case_id}/")
        listed = read.request("GET", "/api/v1/cases/?state=open")
        source = got.headers.get("x-zhenwu-read-from", "(no header)")
        seen[source] += 1
        if created.headers.get("x-upstream") != got.headers.get("x-upstream"):
            crossed += 1
        if got.status != 200 or got.json().get("id") != case_id:
            failures.append(f"read {i}: HTTP {got.status}")
        elif listed.status != 200 or case_id not in [c["id"] for c in listed.json().get("results", [])]:
            failures.append(f"list {i}: the new case is not in the list (HTTP {listed.status})")
    data = {"read_from": dict(seen), "failures": failures, "nginx_pairs_on_different_servers": crossed}
    if failures:
        return Check(name, FAIL, "; ".join(failures[:5]), data)
    if not cast["features"]["replica_router"]:
        return Check(
            name, MISSING, "each write was read at once, but every read is the primary's: no router", data
        )
    ok = set(seen) == {"primary"}
    detail = f"10 writes read back at once through the other server or nginx; read from {dict(seen)}"
    return Check(name, PASS if ok else FAIL, detail, data)


def check_cache_change(cast: dict[str, Any]) -> Check:
    """Remembered reference data changed through server A is seen through server B at once: an admin
    stops a village user's account through A, and B at once refuses that user's API token (the tokens
    are remembered data, zhenwu.org.auth); started again through A, B at once accepts it."""
    name = "a change through server A is seen through server B at once"
    admin, b = Client(SERVER_PORTS["A"]), Client(SERVER_PORTS["B"])
    admin.log_in("admin")
    token = {"Authorization": f"Token {cast['village_token']}"}
    page = f"/org/accounts/{cast['village_pk']}/"
    steps: dict[str, int] = {"B before": b.request("GET", "/api/v1/cases/?state=open", headers=token).status}
    try:
        for action, expected in (("deactivate", 401), ("activate", 200)):
            body = urlencode({"action": action, "csrfmiddlewaretoken": admin.form_token(page)}).encode()
            form = {"Content-Type": "application/x-www-form-urlencoded"}
            steps[f"A {action}"] = admin.request("POST", page, body, form).status
            steps[f"B after {action}"] = b.request("GET", "/api/v1/cases/?state=open", headers=token).status
            steps[f"B after {action} expected"] = expected
    finally:
        admin.request(
            "POST",
            page,
            urlencode({"action": "activate", "csrfmiddlewaretoken": admin.form_token(page)}).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
    ok = (
        steps["B before"] == 200
        and steps["A deactivate"] == 302
        and steps["B after deactivate"] == 401
        and steps["B after activate"] == 200
    )
    detail = (
        f"B answered the token {steps['B before']}; A stopped the account ({steps['A deactivate']}); "
        f"B at once {steps['B after deactivate']} (401 expected); "
        f"started again, B {steps['B after activate']}"
    )
    data = {"steps": steps, "cache_backend": cast["features"]["cache_backend"]}
    if not ok and not cast["features"]["redis_cache"]:
        return Check(
            name, MISSING, f"no Redis cache in this checkout (each server has its own): {detail}", data
        )
    return Check(name, PASS if ok else FAIL, detail, data)


def check_failover(services: Services, failover: Failover) -> Check:
    """B, killed and started again, answers through nginx again (its upstream address in nginx's log
    after it came back)."""
    name = "a killed app server comes back and serves again"
    if failover.error or not hasattr(failover, "back_wall"):
        return Check(name, FAIL, f"B was not killed and started again: {failover.error}")
    b = f"127.0.0.1:{SERVER_PORTS['B']}"
    after = 0
    for line in (services.logs / "nginx-access.log").read_text().splitlines():
        stamp, status, rest = line.split(" ", 2)
        if float(stamp) > failover.back_wall and status == "201" and f"upstream={b} " in rest:
            after += 1
    ok = after > 0
    detail = f"B killed at {failover.events['killed_at_s']:.1f} s, answering again at "
    detail += f"{failover.events['answering_again_at_s']:.1f} s; {after} cases were then taken by B"
    return Check(name, PASS if ok else FAIL, detail, {"cases_by_b_after_restart": after})


def print_checklist(checks: list[Check]) -> None:
    print("\nscaleout checklist:")
    marks = {PASS: "[x]", FAIL: "[ ]", MISSING: "[-]"}
    for c in checks:
        print(f"  {marks[c.status]} {c.status:13} {c.name}\n        {c.detail}")


if __name__ == "__main__":
    sys.exit(main())
