"""`zhenwu restore DIR`: put a backup written by `zhenwu backup` back, into an empty database and media
root (docs/backup.md).

Everything that can refuse does so before anything is written: the manifest, the database vendor, the
field encryption key, every file's sha256, and an empty target. Then the database, then the media files,
then each table's row count against the manifest.
"""

from __future__ import annotations

import json
import sqlite3
import tarfile
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from .backup import (
    DATABASE_FILES,
    MANIFEST,
    MIGRATION_TABLES,
    VENDOR_NAMES,
    BackupError,
    count_rows,
    key_check_value,
    media_files,
    postgres_environment,
    postgres_tool,
    run_tool,
    server_major,
    sha256_of,
    table_names,
    zhenwu_version,
)

WRONG_KEY = "备份使用的字段加密密钥与当前设置不同：身份证号将无法解密。请设置备份时的 FIELD_ENCRYPTION_KEY。"

Say = Callable[[str], None]


def read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(f"{directory} 不是 zhenwu 备份：缺少 {MANIFEST}。")
    try:
        manifest: dict[str, Any] = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{path} 无法读取：{error}") from error
    for part in ("database", "files", "tables", "field_encryption_key_check"):
        if part not in manifest:
            raise BackupError(f"{path} 不完整：缺少 {part}。")
    return manifest


def check_vendor(manifest: dict[str, Any]) -> None:
    """A PostgreSQL backup goes back into PostgreSQL and a SQLite one into SQLite: a dump is not portable
    between them (moving from one to the other is a `dumpdata`/`loaddata` job, not a restore)."""
    made, here = manifest["database"]["vendor"], connection.vendor
    if made != here:
        raise BackupError(
            f"这是 {VENDOR_NAMES.get(made, made)} 数据库的备份，当前设置（DATABASE_URL）是 "
            f"{VENDOR_NAMES.get(here, here)} 数据库：不能跨数据库恢复。"
            f"请把 DATABASE_URL 指向一个空的 {VENDOR_NAMES.get(made, made)} 数据库后再恢复。"
        )


def check_key(manifest: dict[str, Any]) -> None:
    if manifest["field_encryption_key_check"] != key_check_value():
        raise BackupError(WRONG_KEY)


def verify_files(directory: Path, manifest: dict[str, Any]) -> None:
    for name, expected in manifest["files"].items():
        path = directory / name
        if not path.is_file():
            raise BackupError(f"备份不完整：缺少文件 {name}。")
        if sha256_of(path) != expected:
            raise BackupError(f"备份文件 {name} 已损坏或被改动（sha256 与清单不符），不予恢复。")


def tables_with_rows() -> dict[str, int]:
    """The target's tables holding rows, but those `migrate` fills in any new database."""
    with connection.cursor() as cursor:
        tables = [t for t in table_names(cursor) if t not in MIGRATION_TABLES]
        return {table: n for table, n in count_rows(cursor, tables).items() if n}


def check_target(replace: bool) -> None:
    if replace:
        return
    full = tables_with_rows()
    if full:
        named = "、".join(list(full)[:5]) + (" 等" if len(full) > 5 else "")
        raise BackupError(
            f"目标数据库不是空的：{len(full)} 张表已有数据（{named}）。恢复只写入空数据库；"
            "确要用备份覆盖现有数据，请加 --replace。"
        )
    root = Path(settings.MEDIA_ROOT)
    present = sum(1 for _ in media_files(root))
    if present:
        raise BackupError(
            f"媒体目录 {root} 不是空的（已有 {present} 个文件）。恢复只写入空目录；确要覆盖，请加 --replace。"
        )


# --- the database ------------------------------------------------------------------------------------


def restore_postgres(dump: Path) -> None:
    """Drop what the target holds (it is empty, or --replace said so), then pg_restore in one transaction,
    so that a restore that fails leaves nothing half-written. Owners and grants are the target's own."""
    tool = postgres_tool("pg_restore", server_major())
    with transaction.atomic(), connection.cursor() as cursor:
        for table in table_names(cursor):
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
    env = postgres_environment(connection.settings_dict)
    connection.close()
    run_tool(
        [
            tool,
            "--no-owner",
            "--no-acl",
            "--clean",
            "--if-exists",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ],
        env,
    )


def restore_sqlite(copy: Path) -> None:
    """Copy the backup's file into place through the backup API: page by page under SQLite's own locks,
    so the target's WAL files are kept in step, which copying over the file would not do."""
    target = str(connection.settings_dict["NAME"])
    connection.close()
    with (
        closing(sqlite3.connect(f"file:{copy}?mode=ro", uri=True)) as source,
        closing(sqlite3.connect(target, timeout=60)) as database,
    ):
        source.backup(database)
        database.execute("PRAGMA journal_mode=WAL")


def extract_media(archive: Path) -> int:
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        members = tar.getmembers()
        # "data": no absolute paths, no way out of the root, no devices or links pointing outside.
        tar.extractall(root, members=members, filter="data")
    return sum(1 for m in members if m.isfile())


def check_counts(manifest: dict[str, Any]) -> dict[str, int]:
    expected: dict[str, int] = manifest["tables"]
    with connection.cursor() as cursor:
        present = set(table_names(cursor))
        missing = sorted(set(expected) - present)
        if missing:
            raise BackupError(f"恢复后缺少数据表：{'、'.join(missing[:10])}。")
        counts = count_rows(cursor, sorted(expected))
    wrong = [f"{t}（清单 {expected[t]}，恢复后 {counts[t]}）" for t in expected if counts[t] != expected[t]]
    if wrong:
        raise BackupError(f"恢复后行数与备份清单不符：{'；'.join(wrong[:10])}。")
    return counts


def restore(directory: Path, *, replace: bool = False, say: Say = print) -> dict[str, int]:
    """Restore the backup in `directory`; each table's row count, as checked against the manifest."""
    manifest = read_manifest(directory)
    check_vendor(manifest)
    check_key(manifest)
    verify_files(directory, manifest)
    say(f"校验通过：{len(manifest['files'])} 个文件的 sha256 与清单一致，字段加密密钥一致。")
    made_by = manifest.get("zhenwu_version", "unknown")
    if made_by != zhenwu_version():
        say(f"注意：备份来自 zhenwu {made_by}，当前是 {zhenwu_version()}；恢复后请运行 zhenwu migrate。")
    if connection.vendor == "sqlite":
        # A new SQLite database is a file in a directory that must exist before anything opens it.
        Path(str(connection.settings_dict["NAME"])).parent.mkdir(parents=True, exist_ok=True)
    check_target(replace)
    database_file = directory / manifest["database"].get("file", DATABASE_FILES[connection.vendor])
    if connection.vendor == "postgresql":
        restore_postgres(database_file)
    else:
        restore_sqlite(database_file)
    say(f"数据库已恢复：{VENDOR_NAMES[connection.vendor]}，{len(manifest['tables'])} 张表。")
    media = manifest.get("media", {}).get("file")
    if media:
        say(f"媒体文件已恢复：{extract_media(directory / media)} 个文件，到 {settings.MEDIA_ROOT}。")
    counts = check_counts(manifest)
    say(f"行数核对一致：{len(counts)} 张表，共 {sum(counts.values())} 行。")
    return counts
