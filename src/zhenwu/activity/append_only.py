"""Database triggers that keep a table append-only, for migrations.

Rows may be added, never changed (in the guarded columns) or deleted, whatever path is taken: admin,
shell, or SQL through the app's connection. Deleting is possible only while a row sits in
`activity_log_purge_permit` (see the activity app's first migration): the test suite's flushes, or an
operator's deliberate purge.
"""

from __future__ import annotations

from typing import Any

NO_PERMIT = "NOT EXISTS (SELECT 1 FROM activity_log_purge_permit)"


def _sqlite(table: str, name: str, message: str, columns: str) -> tuple[list[str], list[str]]:
    of = f" OF {columns}" if columns else ""
    create = [
        f"""CREATE TRIGGER {name}_no_update BEFORE UPDATE{of} ON {table}
        BEGIN SELECT RAISE(ABORT, '{message}'); END""",
        f"""CREATE TRIGGER {name}_no_delete BEFORE DELETE ON {table} WHEN {NO_PERMIT}
        BEGIN SELECT RAISE(ABORT, '{message}'); END""",
    ]
    return create, [f"DROP TRIGGER IF EXISTS {name}_no_update", f"DROP TRIGGER IF EXISTS {name}_no_delete"]


def _postgres(table: str, name: str, message: str, columns: str) -> tuple[list[str], list[str]]:
    of = f" OF {columns}" if columns else ""
    create = [
        f"""CREATE OR REPLACE FUNCTION {name}_refuse() RETURNS trigger AS $$
        BEGIN
            IF TG_OP <> 'UPDATE' AND NOT ({NO_PERMIT}) THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION '{message}';
        END; $$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER {name}_no_update BEFORE UPDATE{of} ON {table}
        FOR EACH ROW EXECUTE FUNCTION {name}_refuse()""",
        f"""CREATE TRIGGER {name}_no_delete BEFORE DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {name}_refuse()""",
        f"""CREATE TRIGGER {name}_no_truncate BEFORE TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION {name}_refuse()""",
    ]
    drop = [
        f"DROP TRIGGER IF EXISTS {name}_no_truncate ON {table}",
        f"DROP TRIGGER IF EXISTS {name}_no_update ON {table}",
        f"DROP TRIGGER IF EXISTS {name}_no_delete ON {table}",
        f"DROP FUNCTION IF EXISTS {name}_refuse()",
    ]
    return create, drop


def operations(table: str, name: str, message: str, columns: str = "") -> tuple[Any, Any]:
    """(forward, backward) functions for `migrations.RunPython`; `columns` limits the guarded columns."""

    def statements(schema_editor: Any, forward: bool) -> list[str]:
        build = _postgres if schema_editor.connection.vendor == "postgresql" else _sqlite
        create, drop = build(table, name, message, columns)
        return create if forward else drop

    def create(apps: Any, schema_editor: Any) -> None:
        for sql in statements(schema_editor, True):
            schema_editor.execute(sql)

    def drop(apps: Any, schema_editor: Any) -> None:
        for sql in statements(schema_editor, False):
            schema_editor.execute(sql)

    return create, drop
