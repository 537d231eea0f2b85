"""Person.merged_into indexed only where set.

A plain index on a column that is NULL for almost every person tempts a planner without
statistics (SQLite before ANALYZE) to read every live person through it for
`merged_into IS NULL`; a partial index serves `merged_into = ?` and nothing else. The old
index is dropped by name rather than by AlterField, which on SQLite would copy the whole
table.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The name Django gave the foreign key's index in 0001 (the same on SQLite and PostgreSQL).
OLD_INDEX = "people_person_merged_into_id_138bbee4"


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0011_name_index_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", False)),
                fields=["merged_into"],
                name="people_person_merged_into",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="person",
                    name="merged_into",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="merged_records",
                        to="people.person",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{OLD_INDEX}"',
                    reverse_sql=(
                        f'CREATE INDEX "{OLD_INDEX}" ON "people_person" ("merged_into_id")'
                    ),
                ),
            ],
        ),
    ]
