"""`zhenwu serve` starts the task queue's worker beside the server, and stops it with the server."""

from __future__ import annotations

import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.processes import environment, free_port, migrated_sqlite, zhenwu


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found.extend(int(child) for child in (task / "children").read_text().split())
        except FileNotFoundError:
            continue  # a thread that ended meanwhile
    return found


def command_line(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except FileNotFoundError:
        return False


def wait_until_answering(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not answer")


@pytest.mark.parametrize("debug", ["1", "0"], ids=["development server", "gunicorn"])
def test_serve_runs_the_worker_beside_the_server_and_stops_it(tmp_path: Path, debug: str) -> None:
    url = migrated_sqlite(tmp_path / "serve.sqlite3")
    port = free_port()
    env = environment(
        DATABASE_URL=url, ZHENWU_VAR=tmp_path, DEBUG=debug, DJANGO_SETTINGS_MODULE="zhenwu.settings"
    )
    serve = subprocess.Popen(
        zhenwu("serve", f"127.0.0.1:{port}", "--workers", "1"), env=env, stdout=subprocess.DEVNULL
    )
    try:
        wait_until_answering(port)
        started = children(serve.pid)
        workers = [pid for pid in started if "zhenwu.manage worker" in command_line(pid)]
        assert len(workers) == 1
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=30)
    deadline = time.monotonic() + 20
    while any(alive(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [command_line(pid) for pid in started if alive(pid)]
