"""The services `bench/scaleout.py` runs on loopback: a PostgreSQL primary and its streaming replica,
Redis, app servers, a task worker and nginx, each a child process this module started and stops by its PID.

Every process is kept in `Services.processes` from the moment it starts, so that `stop_all` (called on
success, on failure and on Ctrl-C) ends each of them and nothing else. An app server runs in a process
group of its own whose id is its PID: `kill_server` ends gunicorn's master and workers at once with
SIGKILL, as a machine that loses power would.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "scale-harness"
PG_DIR = Path(f"/tmp/{NAME}-pg")
RUN_DIR = Path(f"/tmp/{NAME}-run")
MEDIA_DIR = Path(f"/tmp/{NAME}-media")
PORTS = {"nginx": 57400, "primary": 57401, "replica": 57402, "redis": 57403}
SERVER_PORTS = {"A": 57410, "B": 57411}
DATABASE = "zhenwu"
REPLICATION_ROLE = "replicator"


def pg_bin(name: str) -> str:
    """A PostgreSQL server program (initdb, postgres, pg_basebackup) of the newest version installed."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not versions:
        raise RuntimeError("PostgreSQL's server programs are missing: apt-get install -y postgresql")
    return str(versions[-1] / name)


def database_url(role: str) -> str:
    return f"postgres://postgres@127.0.0.1:{PORTS[role]}/{DATABASE}"


def ensure_nginx() -> str:
    """Debian's nginx, installed when it is missing (saying so): the script needs its binary only."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found:
        return found
    command = ["apt-get", "install", "-y", "--no-install-recommends", "nginx"]
    print("nginx is not installed; installing Debian's package:", " ".join(command), flush=True)
    if os.geteuid() != 0:
        command = ["sudo", *command]
    subprocess.run(command, check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    return shutil.which("nginx") or "/usr/sbin/nginx"


def as_postgres() -> dict[str, object]:
    """Popen arguments that run a program as the postgres user (PostgreSQL refuses root)."""
    return {"user": "postgres", "group": "postgres", "extra_groups": []} if os.geteuid() == 0 else {}


@dataclass
class Services:
    """What this run started, by name; each entry a Popen whose PID is the process to stop."""

    env: dict[str, str]
    nginx_bin: str = ""
    workers: int = 3
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    logs: Path = RUN_DIR / "logs"

    # --- files ---------------------------------------------------------------------------------------

    def clean(self) -> None:
        """Start from nothing: a previous run that was killed may have left its directories."""
        for directory in (PG_DIR, RUN_DIR, MEDIA_DIR):
            shutil.rmtree(directory, ignore_errors=True)
        PG_DIR.mkdir(parents=True)
        for directory in (RUN_DIR, self.logs, MEDIA_DIR, RUN_DIR / "nginx-temp"):
            directory.mkdir(parents=True, exist_ok=True)
        (RUN_DIR / "nginx-temp").chmod(0o777)  # nginx's workers run as nobody
        if os.geteuid() == 0:
            shutil.chown(PG_DIR, "postgres", "postgres")

    def remove_data(self, keep_logs: Path | None) -> None:
        if keep_logs is not None:
            shutil.rmtree(keep_logs, ignore_errors=True)
            shutil.copytree(self.logs, keep_logs)
        for directory in (PG_DIR, RUN_DIR, MEDIA_DIR):
            shutil.rmtree(directory, ignore_errors=True)

    def _start(self, name: str, command: list[str], **options: object) -> subprocess.Popen[bytes]:
        with (self.logs / f"{name}.log").open("ab") as log:
            process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                **options,  # type: ignore[call-overload]
            )
        self.processes[name] = process
        return process  # type: ignore[no-any-return]

    def _run(self, name: str, command: list[str], **options: object) -> None:
        with (self.logs / f"{name}.log").open("ab") as log:
            subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, check=True, **options)  # type: ignore[call-overload]

    # --- PostgreSQL ----------------------------------------------------------------------------------

    def start_primary(self) -> None:
        data = PG_DIR / "primary"
        self._run(
            "initdb",
            [
                pg_bin("initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            **as_postgres(),
        )
        settings = [
            f"port = {PORTS['primary']}",
            "listen_addresses = '127.0.0.1'",
            f"unix_socket_directories = '{PG_DIR}'",
            "wal_level = replica",
            "max_wal_senders = 4",
            "hot_standby = on",
            "max_connections = 100",
            "shared_buffers = 128MB",
        ]
        with (data / "postgresql.conf").open("a") as conf:
            conf.write("\n# bench/scaleout.py\n" + "\n".join(settings) + "\n")
        with (data / "pg_hba.conf").open("a") as hba:
            hba.write(f"host replication {REPLICATION_ROLE} 127.0.0.1/32 trust\n")
        self._start("primary", [pg_bin("postgres"), "-D", str(data)], **as_postgres())
        wait_for_postgres("primary", self.processes["primary"])
        import psycopg

        url = f"postgres://postgres@127.0.0.1:{PORTS['primary']}/postgres"
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f"create role {REPLICATION_ROLE} with replication login")
            connection.execute(f'create database "{DATABASE}"')

    def start_replica(self) -> None:
        """A streaming replica of the primary: a base backup whose -R writes the standby's settings."""
        data = PG_DIR / "replica"
        command = [pg_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(PORTS["primary"])]
        command += ["-U", REPLICATION_ROLE, "-D", str(data), "-R", "-X", "stream", "-c", "fast"]
        self._run("pg_basebackup", command, **as_postgres())
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {PORTS['replica']}\n")
        self._start("replica", [pg_bin("postgres"), "-D", str(data)], **as_postgres())
        wait_for_postgres("replica", self.processes["replica"])

    # --- Redis, the app servers, the worker --------------------------------------------------------

    def start_redis(self) -> None:
        command = ["redis-server", "--port", str(PORTS["redis"]), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--dir", str(RUN_DIR)]
        process = self._start("redis", command)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"redis-server stopped at start; see {self.logs / 'redis.log'}")
            try:
                import socket

                with socket.create_connection(("127.0.0.1", PORTS["redis"]), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("redis-server did not answer PING within 20 s")

    def server_env(self, name: str) -> dict[str, str]:
        """One app server's environment: shared database, Redis and media; its own var/ and file cache,
        as a second machine would have, so that only what is really shared can be seen by the other."""
        own = RUN_DIR / f"server-{name}"
        own.mkdir(exist_ok=True)
        return {**self.env, "ZHENWU_VAR": str(own), "CACHE_DIR": str(own / "cache")}

    def start_server(self, name: str) -> None:
        port = SERVER_PORTS[name]
        command = [sys.executable, "-m", "zhenwu.manage", "serve", f"127.0.0.1:{port}", "--no-jobs"]
        command += ["--workers", str(self.workers)]
        process = self._start(f"server-{name}", command, env=self.server_env(name), start_new_session=True)
        wait_for_http(port, process, self.logs / f"server-{name}.log")

    def kill_server(self, name: str) -> None:
        """SIGKILL to the server's whole process group (gunicorn's master and its workers)."""
        process = self.processes[f"server-{name}"]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def start_worker(self) -> None:
        command = [sys.executable, "-m", "zhenwu.manage", "worker", "--quiet"]
        self._start("worker", command, env=self.server_env("worker"), start_new_session=True)

    # --- nginx ---------------------------------------------------------------------------------------

    def write_nginx_conf(self, servers: list[str]) -> Path:
        upstream = "\n".join(
            f"        server 127.0.0.1:{SERVER_PORTS[s]} max_fails=1 fail_timeout=5s;" for s in servers
        )
        conf = RUN_DIR / "nginx.conf"
        temp = RUN_DIR / "nginx-temp"
        conf.write_text(
            NGINX_CONF.format(
                pid=RUN_DIR / "nginx.pid",
                error_log=self.logs / "nginx-error.log",
                access_log=self.logs / "nginx-access.log",
                temp=temp,
                upstream=upstream,
                port=PORTS["nginx"],
            )
        )
        return conf

    def start_nginx(self, servers: list[str]) -> None:
        conf = self.write_nginx_conf(servers)
        self._run("nginx", [self.nginx_bin, "-t", "-c", str(conf)])
        process = self._start("nginx", [self.nginx_bin, "-c", str(conf)])
        wait_for_http(PORTS["nginx"], process, self.logs / "nginx-error.log", path="/nginx-ready")

    def nginx_upstream(self, servers: list[str]) -> None:
        """Point nginx at these servers: a new config and SIGHUP to its master, which starts new workers."""
        self.write_nginx_conf(servers)
        self.processes["nginx"].send_signal(signal.SIGHUP)
        time.sleep(1.5)  # the old workers finish their requests; the new ones have the new upstream

    # --- the end -------------------------------------------------------------------------------------

    def stop_all(self) -> None:
        """Stop every process this run started, by its PID, newest first (the app servers before the
        databases they use); a process that ignores SIGTERM for 20 s gets SIGKILL."""
        for name, process in reversed(list(self.processes.items())):
            if process.poll() is not None:
                continue
            try:
                if name.startswith(("server-", "worker")):
                    os.killpg(process.pid, signal.SIGTERM)
                elif name in ("primary", "replica"):
                    process.send_signal(signal.SIGINT)  # PostgreSQL's fast shutdown
                else:
                    process.terminate()
                process.wait(timeout=20)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                with_kill(process, group=name.startswith(("server-", "worker")))
            print(f"  stopped {name} (pid {process.pid})", flush=True)


def with_kill(process: subprocess.Popen[bytes], group: bool) -> None:
    try:
        if group:
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except ProcessLookupError:
        pass
    process.wait()


def wait_for_postgres(name: str, process: subprocess.Popen[bytes]) -> None:
    import psycopg

    url = f"postgres://postgres@127.0.0.1:{PORTS[name]}/postgres"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"PostgreSQL ({name}) stopped at start; see its log")
        try:
            with psycopg.connect(url, connect_timeout=2) as connection:
                connection.execute("select 1")
                return
        except psycopg.OperationalError:
            time.sleep(0.3)
    raise RuntimeError(f"PostgreSQL ({name}) did not accept connections within 60 s")


def wait_for_http(port: int, process: subprocess.Popen[bytes], log: Path, path: str = "/healthz") -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the process on port {port} stopped at start; see {log}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"nothing answered {path} on port {port} within 90 s; see {log}")


# nginx in front of the app servers. A server that refuses the connection or answers 502 has the request
# passed to the next one; a POST already sent is not (nginx never resends a non-idempotent request), so
# its client sees 502 and retries with the same Idempotency-Key. The log names the upstream that answered
# and the replica header; X-Upstream tells the client too.
NGINX_CONF = """\
daemon off;
worker_processes 1;
pid {pid};
error_log {error_log} warn;
events {{ worker_connections 1024; }}
http {{
    log_format scaleout '$msec $status $request_method $uri upstream=$upstream_addr '
                        'upstream_status=$upstream_status read_from=$upstream_http_x_zhenwu_read_from '
                        'time=$request_time';
    access_log {access_log} scaleout;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    client_max_body_size 20m;
    upstream zhenwu {{
{upstream}
    }}
    server {{
        listen 127.0.0.1:{port};
        location = /nginx-ready {{ return 200 "ok"; }}
        location / {{
            proxy_pass http://zhenwu;
            proxy_next_upstream error timeout http_502;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""
