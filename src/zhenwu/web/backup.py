"""`zhenwu backup`: one directory holding a consistent copy of the database, the media files, and a
manifest that lets `zhenwu restore` prove the copy whole before it touches anything (docs/backup.md).

PostgreSQL is dumped by `pg_dump --format=custom` on a snapshot this process exports, and the row counts
are read in that same snapshot, so that they describe exactly the rows in the dump while the servers go
on writing. SQLite is copied by its online backup API, which gives a consistent copy of a database in use.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
MEDIA_FILE = "media.tar"
PREFIX = "zhenwu-backup-"
# The label whose HMAC under FIELD_ENCRYPTION_KEY names the key in a manifest: the key itself never
# leaves the settings, and the value tells nothing about it.
KEY_CHECK_LABEL = b"zhenwu backup: FIELD_ENCRYPTION_KEY check v1"
# Tables `migrate` fills in a new database: a restore target holding only these still counts as empty.
MIGRATION_TABLES = frozenset(
    {"django_migrations", "django_content_type", "auth_permission", "activity_log_purge_permit"}
)
VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message is for the operator, in Chinese."""


@dataclass(frozen=True)
class Snapshot:
    """What the database held at the moment it was copied."""

    tables: dict[str, int]
    migrations: dict[str, str]
    server_version: str
    tool: str


def key_check_value(key: str | None = None) -> str:
    """Names FIELD_ENCRYPTION_KEY without revealing it: an HMAC-SHA256 of a fixed label under the key."""
    secret = settings.FIELD_ENCRYPTION_KEY if key is None else key
    return hmac.new(secret.encode(), KEY_CHECK_LABEL, hashlib.sha256).hexdigest()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def zhenwu_version() -> str:
    try:
        return metadata.version("zhenwu")
    except metadata.PackageNotFoundError:
        return "unknown"


# --- the database's tables ----------------------------------------------------------------------------


def table_names(cursor: Any) -> list[str]:
    return sorted(connection.introspection.table_names(cursor))


def count_rows(cursor: Any, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        counts[table] = int(cursor.fetchone()[0])
    return counts


def last_migrations(rows: list[tuple[str, str]]) -> dict[str, str]:
    """Each app's last applied migration, from django_migrations' rows in the order they were applied."""
    last: dict[str, str] = {}
    for app, name in rows:
        last[app] = name
    return dict(sorted(last.items()))


# --- PostgreSQL --------------------------------------------------------------------------------------


def postgres_environment(database: dict[str, Any]) -> dict[str, str]:
    """libpq's variables for a DATABASES entry: the password goes in the environment, never on a command
    line another user could read; what the entry leaves empty, libpq takes from the environment as the
    app's own connection does."""
    env = dict(os.environ)
    options = database.get("OPTIONS") or {}
    values = {
        "PGDATABASE": database.get("NAME"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
    }
    env.update({name: str(value) for name, value in values.items() if value})
    return env


def server_major() -> int:
    connection.ensure_connection()
    version: int = connection.pg_version
    return version // 10000


def postgres_tool(name: str, major: int) -> str:
    """`pg_dump` or `pg_restore` of the server's major version: Debian keeps each version's under
    /usr/lib/postgresql/N/bin, and the one on PATH may be older than the server, which pg_dump refuses.
    A newer version reads an older server, so the next ones up will do."""
    installed = sorted(
        int(path.parent.parent.name)
        for path in Path("/usr/lib/postgresql").glob(f"*/bin/{name}")
        if path.parent.parent.name.isdigit()
    )
    for version in [major, *(v for v in installed if v > major)]:
        candidate = Path(f"/usr/lib/postgresql/{version}/bin/{name}")
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    raise BackupError(
        f"找不到 {name}：请安装 PostgreSQL {major} 的客户端"
        f"（Debian：apt-get install postgresql-client-{major}）。"
    )


def run_tool(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tool = Path(command[0]).name
        raise BackupError(f"{tool} 失败（退出码 {done.returncode}）：{done.stderr.strip()[-2000:]}")


def dump_postgres(target: Path) -> Snapshot:
    """pg_dump on a snapshot exported by a read-only REPEATABLE READ transaction of this connection; the
    row counts and migrations are read in the same transaction, so they describe the dump exactly."""
    if connection.in_atomic_block:
        raise BackupError("备份须在事务之外运行：导出的快照须是一个新事务的第一条语句。")
    major = server_major()
    tool = postgres_tool("pg_dump", major)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot, version = cursor.fetchone()
        env = postgres_environment(connection.settings_dict)
        run_tool([tool, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"], env)
        tables = count_rows(cursor, table_names(cursor))
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        migrations = last_migrations(cursor.fetchall())
    return Snapshot(tables, migrations, str(version), f"pg_dump {major} ({tool})")


# --- SQLite ------------------------------------------------------------------------------------------


def copy_sqlite(source_path: str, target: Path) -> None:
    """A consistent copy of a database in use. One step copies every page under one read transaction:
    with WAL the servers go on writing meanwhile, and a write in the middle cannot restart the copy."""
    # A test database in memory is named by a URI ("file:memorydb_default?mode=memory&cache=shared").
    uri = source_path.startswith("file:")
    with (
        closing(sqlite3.connect(source_path, timeout=60, uri=uri)) as source,
        closing(sqlite3.connect(target)) as copy,
    ):
        source.backup(copy)
        # The copy stands alone: one file, no -wal beside it.
        copy.execute("PRAGMA journal_mode=DELETE")


def read_sqlite(path: Path) -> Snapshot:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as copy:
        names = [
            row[0]
            for row in copy.execute(
                "SELECT name FROM sqlite_master"
                " WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        tables = {name: copy.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}
        rows = copy.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
    return Snapshot(tables, last_migrations(rows), sqlite3.sqlite_version, "sqlite3 online backup API")


def dump_sqlite(target: Path) -> Snapshot:
    copy_sqlite(str(connection.settings_dict["NAME"]), target)
    return read_sqlite(target)


# --- media -------------------------------------------------------------------------------------------


def media_files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield path


def tar_media(target: Path) -> dict[str, int]:
    """The media root as an uncompressed tar (photos are compressed already), paths relative to it. It
    is read after the database, so every file a copied row names was there to be read."""
    root = Path(settings.MEDIA_ROOT)
    files = size = 0
    with tarfile.open(target, "w") as tar:
        for path in media_files(root):
            tar.add(path, arcname=path.relative_to(root).as_posix(), recursive=False)
            files += 1
            size += path.stat().st_size
    return {"files": files, "bytes": size}


# --- the backup --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    path: Path
    manifest: dict[str, Any]


@contextmanager
def _partial(final: Path) -> Iterator[Path]:
    """A directory that takes the backup's name only once complete: a backup cut short never looks whole."""
    work = final.with_name(f".{final.name}.partial")
    work.mkdir(parents=True)
    try:
        yield work
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    work.rename(final)


def backup(out: Path, now: datetime | None = None) -> Written:
    """Write `out/zhenwu-backup-YYYYmmdd-HHMMSS/` (Beijing time) and return it with its manifest."""
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"不支持备份 {vendor} 数据库：zhenwu 支持 PostgreSQL 与 SQLite。")
    created = timezone.localtime(now or timezone.now())
    final = out / f"{PREFIX}{created:%Y%m%d-%H%M%S}"
    if final.exists():
        raise BackupError(f"{final} 已存在：同一秒内不能做两份备份，请稍后再试。")
    with _partial(final) as work:
        database_file = work / DATABASE_FILES[vendor]
        snapshot = dump_postgres(database_file) if vendor == "postgresql" else dump_sqlite(database_file)
        media = tar_media(work / MEDIA_FILE)
        manifest = {
            "format": FORMAT,
            "created_at": created.isoformat(timespec="seconds"),
            "zhenwu_version": zhenwu_version(),
            "database": {
                "vendor": vendor,
                "server_version": snapshot.server_version,
                "file": database_file.name,
                "tool": snapshot.tool,
            },
            "migrations": snapshot.migrations,
            "tables": snapshot.tables,
            "media": {"file": MEDIA_FILE, **media},
            "files": {name: sha256_of(work / name) for name in (database_file.name, MEDIA_FILE)},
            "field_encryption_key_check": key_check_value(),
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return Written(final, manifest)


def backups_in(out: Path) -> list[Path]:
    """The complete backups in `out`, oldest first (their names sort by time)."""
    if not out.is_dir():
        return []
    return sorted(p for p in out.glob(f"{PREFIX}*") if p.is_dir() and (p / MANIFEST).exists())


def prune(out: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest complete backups in `out`; the ones deleted."""
    old = backups_in(out)[:-keep] if keep > 0 else []
    for path in old:
        shutil.rmtree(path)
    return old
