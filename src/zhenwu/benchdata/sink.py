"""Where generated rows go: COPY on PostgreSQL, executemany on SQLite, with ids given by the generator.

The generator hands out primary keys itself (from the table's current maximum up), so rows can point at
each other before any is written and the same seed gives the same ids. Afterwards the sequences are
moved past the new rows, so that records created the usual way get fresh ids.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from typing import Any

from django.core.management.color import no_style
from django.db import DatabaseError, models
from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Max

Row = tuple[Any, ...]


class Sink:
    def __init__(self, connection: BaseDatabaseWrapper | None = None) -> None:
        self.connection = connection or default_connection
        self.is_postgres = self.connection.vendor == "postgresql"
        self.counts: Counter[str] = Counter()
        self._next_id: dict[type[models.Model], int] = {}

    def ids(self, model: type[models.Model], count: int) -> range:
        """`count` fresh primary keys for `model`, above any already in its table or handed out."""
        if model not in self._next_id:
            highest = model._default_manager.aggregate(top=Max("pk"))["top"]
            self._next_id[model] = (highest or 0) + 1
        start = self._next_id[model]
        self._next_id[model] = start + count
        return range(start, start + count)

    def next_id(self, model: type[models.Model]) -> int:
        return self.ids(model, 1)[0]

    def write(self, model: type[models.Model], columns: Sequence[str], rows: Iterable[Row]) -> int:
        """Write rows (tuples in `columns` order) into `model`'s table; returns how many."""
        _check_columns(model, columns)
        table = model._meta.db_table
        if self.is_postgres:
            written = self._copy(table, columns, rows)
        else:
            written = self._insert(model, table, columns, rows)
        self.counts[table] += written
        return written

    def _copy(self, table: str, columns: Sequence[str], rows: Iterable[Row]) -> int:
        quote = self.connection.ops.quote_name
        names = ", ".join(quote(c) for c in columns)
        written = 0
        with (
            self.connection.cursor() as cursor,
            cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
                written += 1
        return written

    def _insert(
        self, model: type[models.Model], table: str, columns: Sequence[str], rows: Iterable[Row]
    ) -> int:
        quote = self.connection.ops.quote_name
        adapters = [_sqlite_adapter(self.connection, model, c) for c in columns]
        statement = (
            f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
            f"VALUES ({', '.join('%s' for _ in columns)})"
        )
        batch: list[Row] = []
        written = 0
        with self.connection.cursor() as cursor:
            for row in rows:
                batch.append(tuple(adapt(v) for adapt, v in zip(adapters, row, strict=True)))
                if len(batch) >= 5000:
                    cursor.executemany(statement, batch)
                    written += len(batch)
                    batch = []
            if batch:
                cursor.executemany(statement, batch)
                written += len(batch)
        return written

    def reset_sequences(self, models_written: Iterable[type[models.Model]]) -> None:
        """Move each table's id sequence past its highest id (PostgreSQL; SQLite keeps up by itself)."""
        statements = self.connection.ops.sequence_reset_sql(no_style(), list(models_written))
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def analyze(self) -> None:
        """Fresh planner statistics, so the first benchmark does not run on an empty table's plan.

        Outside a transaction it vacuums too: a bulk load leaves the visibility map empty until
        autovacuum gets round to it, and until then a count that an index could answer alone (open
        cases of a scope) reads a heap page per row instead — the state a county's server is in after
        a night's vacuum is the one to measure.
        """
        with self.connection.cursor() as cursor:
            if self.connection.in_atomic_block:
                cursor.execute("ANALYZE")
                return
            cursor.execute("VACUUM ANALYZE")
            # Write the load's pages out now, or the first benchmark measures the server doing it. It
            # needs a superuser (or pg_checkpoint); without, the server writes them out in its own time.
            with suppress(DatabaseError):
                cursor.execute("CHECKPOINT")


def _check_columns(model: type[models.Model], columns: Sequence[str]) -> None:
    """Every NOT NULL column must be written: the database knows none of Django's defaults."""
    known = {f.column for f in model._meta.concrete_fields}
    unknown = [c for c in columns if c not in known]
    missing = [
        f.column
        for f in model._meta.concrete_fields
        if not f.null
        and f.column not in columns
        and not f.primary_key
        and f.db_default is models.NOT_PROVIDED
    ]
    if unknown or missing:
        raise ValueError(f"{model._meta.db_table}: unknown columns {unknown}, missing columns {missing}")


def _sqlite_adapter(
    connection: BaseDatabaseWrapper, model: type[models.Model], column: str
) -> Callable[[Any], Any]:
    field = next(f for f in model._meta.concrete_fields if f.column == column)
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value  # type: ignore[no-any-return]
    if isinstance(field, models.JSONField):
        return lambda value: value if value is None or isinstance(value, str) else json.dumps(value)
    return _same


def _same(value: Any) -> Any:
    return value
