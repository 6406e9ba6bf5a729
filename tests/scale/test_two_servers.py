"""Two `zhenwu serve` processes (gunicorn, DEBUG off) on one database, one Redis and one media root are
one site: nothing a request needs is kept in a server's memory.

Through real HTTP on loopback: the first-run key the later server printed opens /setup/ on the other; a
session made on server A is valid on server B; B has read the Open311 services list (remembered reference
data, kept in each process), a township admin renames a category through A's admin site, and B's very
next answer carries the new name; a photo uploaded through A is served by B. What they share is kept in
Redis, on the database after the queue's. Each server has a var/ of its own, as on two machines.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from io import BytesIO
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlencode, urlsplit, urlunsplit

import dj_database_url
import pytest
import redis
from PIL import Image

from tests.onboarding.test_init import ARGS
from tests.processes import environment, migrated_sqlite, zhenwu

PORTS = range(57200, 57300)  # this test's own loopback ports
ADMIN = {"display_name": "周海涛", "username": "zhouht", "password1": "hekou-river-2026"}


def free_port_in(ports: range, taken: set[int]) -> int:
    for port in ports:
        if port in taken:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        taken.add(port)
        return port
    raise AssertionError(f"no free loopback port in {ports.start}-{ports.stop - 1}")


def missing(reason: str) -> NoReturn:
    """A service the test needs is missing: a failure under CI, which installs it, a skip elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def ports() -> set[int]:
    return set()


@pytest.fixture
def redis_url(tmp_path: Path, ports: set[int]) -> Iterator[str]:
    """A Redis server of this test's own on the loopback address, keeping nothing on disk."""
    server = shutil.which("redis-server")
    if server is None:
        missing("redis-server is not installed (.ci/run installs it: apt-get install redis-server)")
    port = free_port_in(PORTS, ports)
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                    connection.sendall(b"PING\r\n")
                    if connection.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """The servers' database, migrated: a SQLite file, or a PostgreSQL database of the test's own when the
    suite runs on PostgreSQL (dropped afterwards)."""
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith(("postgres://", "postgresql://")):
        yield migrated_sqlite(tmp_path / "shared.sqlite3")
        return
    import psycopg

    parts = urlsplit(configured)
    name = f"{parts.path.strip('/') or 'zhenwu'}_two_servers"
    url = urlunsplit(parts._replace(path=f"/{name}"))
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        missing(f"PostgreSQL at {parts.hostname}:{parts.port} cannot be reached: {error}")
    try:
        subprocess.run(zhenwu("migrate", "-v0"), env=environment(DATABASE_URL=url), check=True)
        yield url
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def query(database_url: str, sql: str) -> list[tuple[Any, ...]]:
    """Rows straight from the servers' database, to check what they wrote."""
    if database_url.startswith("sqlite"):
        with sqlite3.connect(dj_database_url.parse(database_url)["NAME"]) as db:
            return db.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(database_url) as db:
        return db.execute(sql).fetchall()


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    output: Path

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def wait_until_answering(server: Server, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"server {server.name} stopped: {server.output.read_text()}")
        try:
            with urllib.request.urlopen(server.url("/healthz"), timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"server {server.name} did not answer: {server.output.read_text()}")


@pytest.fixture
def servers(
    tmp_path: Path, ports: set[int], redis_url: str, database_url: str
) -> Iterator[tuple[Server, Server]]:
    """Servers A and B, started one after the other on the same database, Redis and media root."""
    started: list[Server] = []
    try:
        for name in ("A", "B"):
            # Each its own var/ (where a file cache would be), as on two machines; the media root shared.
            env = environment(
                DJANGO_SETTINGS_MODULE="zhenwu.settings",
                DEBUG="0",
                DATABASE_URL=database_url,
                REDIS_URL=redis_url,
                MEDIA_ROOT=tmp_path / "media",
                ZHENWU_VAR=tmp_path / name,
                PYTHONUNBUFFERED="1",  # the first-run link is read from the output while the server runs
            )
            port = free_port_in(PORTS, ports)
            output = tmp_path / f"server-{name}.log"
            with output.open("wb") as log:
                command = zhenwu("serve", f"127.0.0.1:{port}", "--workers", "2", "--no-jobs")
                process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
            started.append(Server(name, port, process, output))
            wait_until_answering(started[-1])
        yield started[0], started[1]
    finally:
        for server in started:
            server.process.terminate()
        for server in started:
            server.process.wait(timeout=30)


class Browser:
    """Cookies and CSRF as a browser keeps them, for any of the servers (they share one host name)."""

    def __init__(self) -> None:
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def cookie(self, name: str) -> str:
        return next((c.value or "" for c in self.cookies if c.name == name), "")

    def get(self, url: str) -> tuple[int, str, bytes]:
        """Status, final URL (redirects followed) and body."""
        try:
            with self.opener.open(url, timeout=30) as response:
                return response.status, response.geturl(), response.read()
        except urllib.error.HTTPError as error:
            return error.code, url, error.read()

    def post(
        self, url: str, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> tuple[int, str, bytes]:
        request = urllib.request.Request(url, data=body, method="POST")
        request.add_header("Content-Type", content_type)
        request.add_header("X-CSRFToken", self.cookie("csrftoken"))
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.geturl(), response.read()
        except urllib.error.HTTPError as error:
            return error.code, url, error.read()

    def submit(self, url: str, fields: list[tuple[str, str]]) -> tuple[int, str, bytes]:
        """A form posted as a browser posts it, with the CSRF token the page's cookie holds."""
        fields = [*fields, ("csrfmiddlewaretoken", self.cookie("csrftoken"))]
        return self.post(url, urlencode(fields).encode(), "application/x-www-form-urlencoded")


class FormFields(HTMLParser):
    """The fields one form of a page would send as it stands: inputs, checked boxes, selected options and
    text areas (not buttons, files or the inline formsets' empty templates)."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        name = a.get("name", "")
        if not self.inside or (tag != "option" and (not name or "__prefix__" in name)):
            return
        kind = a.get("type", "text").lower()
        if tag == "input" and kind not in ("submit", "button", "file", "image", "reset"):
            if kind not in ("checkbox", "radio") or "checked" in a:
                self.fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select is not None and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = name, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)


def form_fields(page: bytes, form_id: str) -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(page.decode())
    return parser.fields


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    body = BytesIO()
    for name, value in fields.items():
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        body.write(value.encode() + b"\r\n")
    for name, (file_name, content, content_type) in files.items():
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{file_name}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode()
        )
        body.write(content + b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"


def service_names(browser: Browser, server: Server) -> set[str]:
    status, _, body = browser.get(server.url("/open311/v2/services.json"))
    assert status == 200, body[:500]
    return {service["service_name"] for service in json.loads(body)}


def png(size: tuple[int, int] = (64, 48)) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, (40, 120, 200)).save(out, "PNG")
    return out.getvalue()


def set_up_through(browser: Browser, server: Server, key: str) -> None:
    """The first-run page, as its first admin fills it in: makes the township and logs the admin in."""
    status, _, page = browser.get(server.url(f"/setup/?key={key}"))
    assert status == 200, page[:500]
    fields = {**ARGS, **ADMIN, "password2": ADMIN["password1"], "key": key}
    status, landed, page = browser.submit(server.url("/setup/"), list(fields.items()))
    assert status == 200 and "/indicators/library/" in landed, page[:1000]


def printed_key(server: Server) -> str:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = re.search(r"/setup/\?key=(\S+)", server.output.read_text())
        if found:
            return found.group(1)
        time.sleep(0.1)
    raise AssertionError(f"server {server.name} printed no first-run link: {server.output.read_text()}")


def rename_category(browser: Browser, server: Server, type_pk: int, old: str, new: str) -> None:
    """Through the admin site: the case type's page, its category `old` renamed `new`, saved."""
    change = server.url(f"/admin/cases/casetype/{type_pk}/change/")
    status, _, page = browser.get(change)
    assert status == 200, page[:500]
    fields = form_fields(page, "casetype_form")
    named = [i for i, (name, value) in enumerate(fields) if name.endswith("-name") and value == old]
    assert len(named) == 1, fields
    fields[named[0]] = (fields[named[0]][0], new)
    status, landed, page = browser.submit(change, [*fields, ("_save", "保存")])
    assert status == 200 and landed.endswith("/admin/cases/casetype/"), page.decode()[:3000]


def test_two_servers_share_sessions_remembered_data_and_photos(
    servers: tuple[Server, Server], database_url: str, redis_url: str
) -> None:
    a, b = servers
    admin = Browser()

    # The key the later server printed is the one in the shared cache: server A accepts it.
    set_up_through(admin, a, printed_key(b))

    # The session A made is valid on B, and nobody else's request is.
    status, landed, page = admin.get(b.url("/admin/"))
    assert (
        status == 200
        and landed == b.url("/admin/")
        and f"<strong>{ADMIN['username']}</strong>" in page.decode()
    )
    status, landed, _ = Browser().get(b.url("/admin/"))
    assert "/login/" in landed

    # B reads the services list, in each of its worker processes, then A renames a category.
    for _ in range(6):
        assert "环境卫生" in service_names(Browser(), b)
    [(type_pk,)] = query(database_url, "SELECT id FROM cases_casetype WHERE code = 'grid_event'")
    rename_category(admin, a, type_pk, "环境卫生", "环境卫生整治")
    for _ in range(6):  # at once, in every worker of B
        names = service_names(Browser(), b)
        assert "环境卫生整治" in names and "环境卫生" not in names

    # A photo uploaded through A is served by B, from the shared media root.
    photo = png()
    body, content_type = multipart(
        {
            "case_type": "grid_event",
            "category": "grid_event-sanitation",
            "title": "垃圾堆放",
            "description": "路口垃圾堆放，已拍照。",
            "org_unit": ARGS["code"],
        },
        {"photos": ("现场.png", photo, "image/png")},
    )
    status, _, answer = admin.post(a.url("/api/v1/cases/"), body, content_type)
    assert status == 201, answer[:1000]
    [(photo_pk, stored)] = query(database_url, "SELECT id, image FROM cases_casephoto")
    status, _, served = admin.get(b.url(f"/cases/photos/{photo_pk}/"))
    assert status == 200 and served == photo
    assert (a.output.parent / "media" / stored).read_bytes() == photo

    # What they shared was in Redis, on the cache's database, the one after the queue's.
    cached = redis.Redis.from_url(redis_url.removesuffix("/0") + "/1").keys("*")
    assert any(b"remembered:case-catalog:version" in key for key in cached)
    assert redis.Redis.from_url(redis_url).keys("*remembered*") == []
