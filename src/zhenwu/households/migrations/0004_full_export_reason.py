"""A full export's reason, in the append-only personal-data access log.

SQLite adds the column by rebuilding the table, which drops its triggers: they are dropped first and
made again afterwards, now guarding the reason too.
"""

from django.db import migrations, models

from zhenwu.activity.append_only import operations

TABLE, NAME, MESSAGE = (
    "households_personaldataaccess",
    "personal_data_access",
    "the personal-data access log is append-only",
)
create_before, drop_before = operations(TABLE, NAME, MESSAGE, columns="actor_id, org_unit_id, what, at")
create_after, drop_after = operations(TABLE, NAME, MESSAGE, columns="actor_id, org_unit_id, what, reason, at")


class Migration(migrations.Migration):
    dependencies = [("households", "0003_field_key_check")]

    operations = [
        migrations.RunPython(drop_before, create_before),
        migrations.AddField(
            model_name="personaldataaccess",
            name="reason",
            field=models.CharField(blank=True, max_length=200, verbose_name="事由"),
        ),
        migrations.RunPython(create_after, drop_after),
    ]
