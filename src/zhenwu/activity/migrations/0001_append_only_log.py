"""Make the activity log append-only in the database itself.

Nobody may edit or delete an entry, whatever path they take (admin, shell, SQL through the app's
connection). Deleting is possible only while a row sits in `activity_log_purge_permit`, a table no code
of zhenwu writes: the test suite uses it to empty its throw-away databases between tests, and an
operator who must purge (a court order, a retention limit) has to do so deliberately, by hand.
Setting the actor to NULL stays possible so that the foreign key is well-formed; zhenwu never deletes
users (they are deactivated), so in practice it does not happen.
"""

from django.db import migrations

GUARDED_COLUMNS = (
    "action, changes, changes_text, content_type_id, object_pk, object_id, object_repr, timestamp"
)
PERMIT_TABLE = "CREATE TABLE activity_log_purge_permit (id integer PRIMARY KEY)"
NO_PERMIT = "NOT EXISTS (SELECT 1 FROM activity_log_purge_permit)"

SQLITE = [
    PERMIT_TABLE,
    f"""CREATE TRIGGER activity_log_no_update BEFORE UPDATE OF {GUARDED_COLUMNS} ON auditlog_logentry
        BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END""",
    f"""CREATE TRIGGER activity_log_no_delete BEFORE DELETE ON auditlog_logentry WHEN {NO_PERMIT}
        BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS activity_log_no_update",
    "DROP TRIGGER IF EXISTS activity_log_no_delete",
    "DROP TABLE IF EXISTS activity_log_purge_permit",
]
POSTGRES = [
    PERMIT_TABLE,
    f"""CREATE OR REPLACE FUNCTION activity_log_refuse() RETURNS trigger AS $$
        BEGIN
            IF TG_OP <> 'UPDATE' AND NOT ({NO_PERMIT}) THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION 'the activity log is append-only';
        END; $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER activity_log_no_update BEFORE UPDATE OF {GUARDED_COLUMNS} ON auditlog_logentry
        FOR EACH ROW EXECUTE FUNCTION activity_log_refuse()""",
    """CREATE TRIGGER activity_log_no_delete BEFORE DELETE ON auditlog_logentry
        FOR EACH ROW EXECUTE FUNCTION activity_log_refuse()""",
    """CREATE TRIGGER activity_log_no_truncate BEFORE TRUNCATE ON auditlog_logentry
        FOR EACH STATEMENT EXECUTE FUNCTION activity_log_refuse()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS activity_log_no_truncate ON auditlog_logentry",
    "DROP TRIGGER IF EXISTS activity_log_no_update ON auditlog_logentry",
    "DROP TRIGGER IF EXISTS activity_log_no_delete ON auditlog_logentry",
    "DROP FUNCTION IF EXISTS activity_log_refuse()",
    "DROP TABLE IF EXISTS activity_log_purge_permit",
]


def create(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    statements = POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("auditlog", "0017_add_actor_email")]
    operations = [migrations.RunPython(create, drop)]
