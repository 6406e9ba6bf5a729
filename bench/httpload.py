"""The HTTP side of the benchmarks: a production server to measure, and clients to load it.

`Server` runs `zhenwu serve` with DEBUG off (gunicorn), as a township would. `load` sends requests from
a number of client threads, each on its own keep-alive connection, and keeps every latency and status.
The clients are plain `http.client`: light enough that on two cores the server, not the client, is what
the figures measure — and the same clients measure the floor (`/healthz`) in the same run.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
ZHENWU = ROOT / ".venv" / "bin" / "zhenwu"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`zhenwu serve` (gunicorn, DEBUG off) on a free port, for the life of a `with` block."""

    def __init__(self, env: dict[str, str], workers: int, threads: int) -> None:
        self.port = free_port()
        self.env = env
        self.workers, self.threads = workers, threads
        self.process: subprocess.Popen[bytes] | None = None
        self.log = ROOT / "var" / "bench-server.log"

    def __enter__(self) -> Server:
        self.log.parent.mkdir(exist_ok=True)
        command = [
            str(ZHENWU),
            "serve",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--no-jobs",
        ]
        command += ["--threads", str(self.threads)]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped at start; see {self.log}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"the server did not answer /healthz within 60 s; see {self.log}")

    def __exit__(self, *exc: object) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)


@dataclass
class Request:
    method: str
    path: str
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Result:
    clients: int
    seconds: float
    latencies: list[float]
    statuses: Counter[int]
    bodies: list[bytes]

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    def summary(self) -> dict[str, object]:
        return {
            "clients": self.clients,
            "requests": self.count,
            "seconds": round(self.seconds, 2),
            "per_second": round(self.throughput, 1),
            "p50_ms": round(self.percentile(50) * 1000, 1),
            "p95_ms": round(self.percentile(95) * 1000, 1),
            "p99_ms": round(self.percentile(99) * 1000, 1),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
        }


def load(
    port: int,
    make_request: Callable[[int], Request],
    *,
    clients: int,
    seconds: float | None = None,
    requests: int | None = None,
    keep_bodies: bool = False,
) -> Result:
    """Send requests from `clients` threads until `seconds` pass or `requests` have been sent in all."""
    assert (seconds is None) != (requests is None), "give a duration or a number of requests"
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    bodies: list[bytes] = []
    sent = 0
    start = time.perf_counter()
    stop_at = start + seconds if seconds is not None else float("inf")

    def next_number() -> int | None:
        nonlocal sent
        with lock:
            if (requests is not None and sent >= requests) or time.perf_counter() >= stop_at:
                return None
            sent += 1
            return sent

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while (number := next_number()) is not None:
            request = make_request(number)
            began = time.perf_counter()
            connection.request(request.method, request.path, body=request.body, headers=request.headers)
            response = connection.getresponse()
            body = response.read()
            elapsed = time.perf_counter() - began
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
            with lock:
                latencies.append(elapsed)
                statuses[response.status] += 1
                if keep_bodies:
                    bodies.append(body)
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Result(clients, time.perf_counter() - start, latencies, statuses, bodies)


def form(fields: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    return urlencode(fields).encode(), {"Content-Type": "application/x-www-form-urlencoded"}


def log_in(port: int, username: str, password: str) -> str:
    """Log in through the login page as a person would; returns the Cookie header of the session."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    page = response.read().decode()
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    body, headers = form({"username": username, "password": password, "csrfmiddlewaretoken": token})
    headers["Cookie"] = f"csrftoken={jar['csrftoken'].value}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("POST", "/accounts/login/", body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    if response.status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"could not log in as {username}: HTTP {response.status}")
    return f"sessionid={jar['sessionid'].value}; csrftoken={jar['csrftoken'].value}"


def environment(database_url: str, **extra: str) -> dict[str, str]:
    """The server's environment: production settings (DEBUG off) on the benchmark's database."""
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "FIELD_ENCRYPTION_KEY": "bench-field-encryption-key-" + "y" * 32,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "zhenwu.settings",
        **extra,
    }
