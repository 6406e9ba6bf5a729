"""The personal-data access log is appended, never changed or deleted: the database refuses it.

Only `member_id` may still change, to NULL, when a member's record is removed (the entry keeps who
looked, where and when).
"""

from django.db import migrations

from zhenwu.activity.append_only import operations

create, drop = operations(
    "households_personaldataaccess",
    "personal_data_access",
    "the personal-data access log is append-only",
    columns="actor_id, org_unit_id, what, at",
)


class Migration(migrations.Migration):
    dependencies = [("households", "0001_initial"), ("activity", "0001_append_only_log")]
    operations = [migrations.RunPython(create, drop)]
