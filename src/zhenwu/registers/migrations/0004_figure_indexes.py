"""Indexes the register figures read by.

Every figure narrows a register's records to a unit's subtree and a span: (register, unit, entered_at)
on both databases. On PostgreSQL, GIN indexes on the records' `data` and the things' `properties` serve
the figures' filters, which run there as JSON containment (`data @> '{"status": "broken"}'`); SQLite
has no such index and is not where a county's records are kept.

Numbered 0004 beside another branch's 0003: after both are merged, make this depend on 0003 (or run
`makemigrations --merge`).
"""

from django.db import migrations, models

GIN = [
    ("register_record_data_gin", "registers_registerrecord", "data"),
    ("register_thing_properties_gin", "registers_thing", "properties"),
]


def create_gin(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in GIN:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} jsonb_path_ops)"
        )


def drop_gin(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in GIN:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("registers", "0003_device_key")]

    operations = [
        migrations.AddIndex(
            model_name="registerrecord",
            index=models.Index(fields=["register", "unit", "entered_at"], name="register_record_unit_day"),
        ),
        migrations.RunPython(create_gin, drop_gin),
    ]
