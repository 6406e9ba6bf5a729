"""The instanceIDs a record was known by before ODK Collect sent an edit of it (meta/deprecatedID)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registers", "0004_figure_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="EarlierInstance",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("instance_id", models.CharField(max_length=64, unique=True, verbose_name="此前的实例编号")),
                ("replaced_at", models.DateTimeField(auto_now_add=True, verbose_name="被替换时间")),
                (
                    "record",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="earlier_instances",
                        to="registers.registerrecord",
                        verbose_name="记录",
                    ),
                ),
            ],
            options={
                "verbose_name": "记录此前的实例编号",
                "verbose_name_plural": "记录此前的实例编号",
                "ordering": ["record", "replaced_at", "pk"],
            },
        ),
    ]
