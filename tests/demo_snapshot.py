"""The demo township's records for the tests that need them, without building them again and again.

`zhenwu demo` takes most of a minute; a test process builds it once for each day and starting state, then
puts back the rows it left (a few seconds). The starting state is checked, table by table, so a test
that starts from other rows, or on another day, gets a real load.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import StringIO
from typing import IO, Any

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

# Written by migrations alike in every test database, or the append-only log's permit, never by the demo.
UNTOUCHED = {"django_migrations", "django_content_type", "auth_permission", "activity_log_purge_permit"}

Rows = list[tuple[Any, ...]]


# Rows made by migrations again after a transactional test's flush, under new keys; the demo's rows point
# at them (the log's content type, a group's permissions) and are put back pointing at the new keys.
RENUMBERED = ("django_content_type", "auth_permission")


@dataclass(frozen=True)
class _Snapshot:
    tables: dict[str, tuple[list[str], Rows]]
    output: str
    names: dict[str, dict[Any, tuple[Any, ...]]]


_snapshots: dict[tuple[str, date, tuple[tuple[str, int], ...]], _Snapshot] = {}


def load_demo(stdout: IO[str] | None = None) -> None:
    """What `call_command("demo", stdout=stdout)` does, from the rows a first load left in this process."""
    key = (connection.vendor, timezone.localdate(), _fingerprint())
    snapshot = _snapshots.get(key)
    if snapshot is None:
        out = StringIO()
        call_command("demo", stdout=out)
        snapshot = _snapshots[key] = _Snapshot(_read_tables(), out.getvalue(), _natural_keys())
    else:
        _restore(snapshot)
    if stdout is not None:
        stdout.write(snapshot.output)


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        return sorted(set(connection.introspection.table_names(cursor)) - UNTOUCHED)


def _fingerprint() -> tuple[tuple[str, int], ...]:
    """Each table's row count: the cast alone, or an empty database, or something else (a real load).

    Keys are not compared: after a transactional test's flush the cast comes back under new keys, and the
    callers read their objects after the load.
    """
    marks = []
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            marks.append((table, cursor.fetchone()[0]))
    return tuple(marks)


def _read_tables() -> dict[str, tuple[list[str], Rows]]:
    tables = {}
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [column[0] for column in cursor.description]
            tables[table] = (columns, list(cursor.fetchall()))
    return tables


def _natural_keys() -> dict[str, dict[Any, tuple[Any, ...]]]:
    """Each renumbered table's key → what names the row whatever its key."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, app_label, model FROM django_content_type")
        types = {row[0]: row[1:] for row in cursor.fetchall()}
        cursor.execute("SELECT id, content_type_id, codename FROM auth_permission")
        permissions = {row[0]: (types[row[1]], row[2]) for row in cursor.fetchall()}
    return {"django_content_type": types, "auth_permission": permissions}


def _renumbered_rows(snapshot: _Snapshot) -> dict[str, tuple[list[str], Rows]]:
    """The snapshot's rows with their references to content types and permissions moved to today's keys."""
    now = _natural_keys()
    moves = {}
    for table in RENUMBERED:
        current = {name: key for key, name in now[table].items()}
        moves[table] = {key: current[name] for key, name in snapshot.names[table].items()}
    if all(old == new for move in moves.values() for old, new in move.items()):
        return snapshot.tables
    tables = {}
    with connection.cursor() as cursor:
        for table, (columns, rows) in snapshot.tables.items():
            relations = connection.introspection.get_relations(cursor, table)
            moved = {
                columns.index(column): moves[target]
                for column, (_, target) in relations.items()
                if target in moves and column in columns
            }
            if moved:
                rows = [
                    tuple(moved[i].get(value, value) if i in moved else value for i, value in enumerate(row))
                    for row in rows
                ]
            tables[table] = (columns, rows)
    return tables


def _restore(snapshot: _Snapshot) -> None:
    quote = connection.ops.quote_name
    restored = _renumbered_rows(snapshot)
    with transaction.atomic(), connection.cursor() as cursor:
        # The log is append-only; the permit lets this restore, and only it, empty the log's tables.
        cursor.execute("DELETE FROM activity_log_purge_permit")
        cursor.execute("INSERT INTO activity_log_purge_permit (id) VALUES (1)")
        for table in snapshot.tables:
            cursor.execute(f"DELETE FROM {quote(table)}")
        cursor.execute("DELETE FROM activity_log_purge_permit")
        for table, (columns, rows) in restored.items():
            if rows:
                names = ", ".join(quote(column) for column in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)
        if connection.vendor == "postgresql":
            _advance_sequences(cursor, snapshot.tables)


def _advance_sequences(cursor: Any, tables: dict[str, tuple[list[str], Rows]]) -> None:
    """Move each key's sequence past the restored keys, never back: rows outside this transaction may
    hold higher keys (PostgreSQL's sequences do not roll back; SQLite's AUTOINCREMENT follows by itself)."""
    quote = connection.ops.quote_name
    for table in tables:
        for sequence in connection.introspection.get_sequences(cursor, table):
            highest = f"SELECT MAX({quote(sequence['column'])}) FROM {quote(table)}"
            last = "pg_sequence_last_value(%s::regclass)"
            cursor.execute(
                f"SELECT setval(%s::regclass, GREATEST(COALESCE(({highest}), 1), COALESCE({last}, 1)))",
                [sequence["name"], sequence["name"]],
            )
