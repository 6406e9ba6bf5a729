"""The queue is real: a job queued by one process is run by `zhenwu worker` in another, from the embedded
SQLite queue and from Redis, and two workers on one Redis run each queued job once."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from huey import RedisHuey, SqliteHuey

from tests.processes import environment, free_port, migrated_sqlite, zhenwu


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """The workers' database: a file of its own (the test database is in this process's memory on SQLite)."""
    migrated_sqlite(tmp_path / "worker.sqlite3")
    return tmp_path / "worker.sqlite3"


def runs_in(database: Path, name: str = "clean_register_parts") -> list[tuple[str, bool]]:
    """The runs of the queued job (the workers' scheduler may run the every-minute jobs beside it)."""
    query = "SELECT name, ok FROM jobs_jobrun WHERE name = ?"
    with sqlite3.connect(database) as db:
        return [(name, bool(ok)) for name, ok in db.execute(query, [name])]


def queue_run_now(huey: Any, name: str, times: int = 1) -> None:
    """Put `jobs.run_now(name)` on `huey`'s queue as the command's process does (a task is known by its
    module and name)."""

    def run_now(name: str) -> None:  # pragma: no cover - runs in the worker
        raise AssertionError("never called here")

    run_now.__module__ = "zhenwu.jobs.tasks"
    queued = huey.task(name="jobs.run_now")(run_now)
    for _ in range(times):
        queued(name)


def wait_for_runs(database: Path, count: int, seconds: float = 60) -> list[tuple[str, bool]]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if len([run for run in runs_in(database) if run[1]]) >= count:
            time.sleep(1)  # a second run of the same task would show by now
            return runs_in(database)
        time.sleep(0.2)
    raise AssertionError(f"the workers ran {len(runs_in(database))} of {count} queued jobs in {seconds} s")


def start_workers(count: int, database: Path, **env: Any) -> list[subprocess.Popen[bytes]]:
    env["DATABASE_URL"] = f"sqlite:///{database}"
    return [
        subprocess.Popen(zhenwu("worker", "--quiet", "--workers", "2"), env=environment(**env))
        for _ in range(count)
    ]


def stop(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.wait(timeout=30)


def test_the_embedded_queue_runs_a_queued_job_in_the_worker(tmp_path: Path, database: Path) -> None:
    workers = start_workers(1, database, ZHENWU_VAR=tmp_path)
    try:
        queue_run_now(SqliteHuey("zhenwu", filename=str(tmp_path / "queue.sqlite3")), "clean_register_parts")
        runs = wait_for_runs(database, 1)
    finally:
        stop(workers)

    assert runs == [("clean_register_parts", True)]


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A Redis server of this test's own on the loopback address."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (.ci/run installs it)")
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    try:
        client = RedisHuey("probe", url=f"redis://127.0.0.1:{port}/0").storage.conn
        for _ in range(100):
            try:
                client.ping()
                break
            except Exception:
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_two_workers_on_redis_run_each_queued_job_once(
    redis_url: str, tmp_path: Path, database: Path
) -> None:
    workers = start_workers(2, database, REDIS_URL=redis_url, ZHENWU_VAR=tmp_path)
    try:
        queue_run_now(RedisHuey("zhenwu", url=redis_url), "clean_register_parts", times=6)
        runs = wait_for_runs(database, 6)
    finally:
        stop(workers)

    assert runs == [("clean_register_parts", True)] * 6
