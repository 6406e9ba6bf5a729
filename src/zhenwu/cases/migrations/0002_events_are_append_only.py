"""Case events are appended, never changed or deleted: the database refuses it, whatever path is taken.

Deleting is possible only while a row sits in `activity_log_purge_permit` (see the activity app's
first migration): the test suite's flushes, or an operator's deliberate purge.
"""

from django.db import migrations

from zhenwu.activity.append_only import operations

create, drop = operations("cases_caseevent", "case_event", "case events are append-only")


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("activity", "0001_append_only_log")]
    operations = [migrations.RunPython(create, drop)]
