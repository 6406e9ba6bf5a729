"""Case events are appended, never changed or deleted: the database refuses it, whatever path is taken.

Deleting is possible only while a row sits in `activity_log_purge_permit` (see the activity app's
first migration): the test suite's flushes, or an operator's deliberate purge.
"""

from django.db import migrations

NO_PERMIT = "NOT EXISTS (SELECT 1 FROM activity_log_purge_permit)"
SQLITE = [
    """CREATE TRIGGER case_event_no_update BEFORE UPDATE ON cases_caseevent
        BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END""",
    f"""CREATE TRIGGER case_event_no_delete BEFORE DELETE ON cases_caseevent WHEN {NO_PERMIT}
        BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS case_event_no_update",
    "DROP TRIGGER IF EXISTS case_event_no_delete",
]
POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION case_event_refuse() RETURNS trigger AS $$
        BEGIN
            IF TG_OP <> 'UPDATE' AND NOT ({NO_PERMIT}) THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION 'case events are append-only';
        END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER case_event_no_update BEFORE UPDATE ON cases_caseevent
        FOR EACH ROW EXECUTE FUNCTION case_event_refuse()""",
    """CREATE TRIGGER case_event_no_delete BEFORE DELETE ON cases_caseevent
        FOR EACH ROW EXECUTE FUNCTION case_event_refuse()""",
    """CREATE TRIGGER case_event_no_truncate BEFORE TRUNCATE ON cases_caseevent
        FOR EACH STATEMENT EXECUTE FUNCTION case_event_refuse()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS case_event_no_truncate ON cases_caseevent",
    "DROP TRIGGER IF EXISTS case_event_no_update ON cases_caseevent",
    "DROP TRIGGER IF EXISTS case_event_no_delete ON cases_caseevent",
    "DROP FUNCTION IF EXISTS case_event_refuse()",
]


def create(apps, schema_editor):
    for sql in POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    for sql in POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("activity", "0001_append_only_log")]
    operations = [migrations.RunPython(create, drop)]
