"""Every case says which county its place lies in (`Case.county_code`), and the indexes that count a scope's
cases lead with it, so that a county's queries read its own cases only when counties share the table."""

from django.db import migrations, models

# The first code of the place's path: the county at the root of its tree.
FILL = {
    "postgresql": (
        "UPDATE cases_case SET county_code = split_part(org_orgunit.path, '/', 1) "
        "FROM org_orgunit WHERE org_orgunit.id = cases_case.org_unit_id"
    ),
    "sqlite": (
        "UPDATE cases_case SET county_code = (SELECT substr(path, 1, instr(path, '/') - 1) "
        "FROM org_orgunit WHERE org_orgunit.id = cases_case.org_unit_id)"
    ),
}


def fill_county_codes(apps, schema_editor):
    schema_editor.execute(FILL[schema_editor.connection.vendor])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_escalation_rules"),
        ("org", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="county_code",
            field=models.CharField(default="", editable=False, max_length=32, verbose_name="所属县编码"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_county_codes, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.CheckConstraint(
                condition=models.Q(("county_code", ""), _negated=True), name="case_county_code_set"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["county_code", "org_unit"], name="case_county_place"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["county_code", "received_at"],
                include=("org_unit", "state", "resolved_at", "deadline"),
                name="case_county_received",
            ),
        ),
        # The figures' covering index carries the county the scope now names, or it covers no longer.
        migrations.RemoveIndex(model_name="case", name="case_place_received_cover"),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["org_unit", "received_at"],
                include=("state", "resolved_at", "deadline", "county_code"),
                name="case_place_received_cover",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["county_code", "state", "deadline", "org_unit"],
                include=("imported_at",),
                name="case_county_state_deadline",
            ),
        ),
    ]
