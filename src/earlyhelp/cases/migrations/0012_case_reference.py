"""Every case gets a reference people can quote (cases.models.new_case_reference).

Added empty first, filled for the cases already there, then made required and unique: a
unique column with a default would give every existing row the same value.
"""

from django.db import migrations, models

import earlyhelp.cases.models

BATCH = 1000


def give_references(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    used = set(Case.objects.exclude(reference=None).values_list("reference", flat=True))
    while True:
        batch = list(Case.objects.filter(reference=None).only("pk")[:BATCH])
        if not batch:
            return
        for case in batch:
            reference = earlyhelp.cases.models.new_case_reference()
            while reference in used:
                reference = earlyhelp.cases.models.new_case_reference()
            used.add(reference)
            case.reference = reference
        Case.objects.bulk_update(batch, ["reference"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_team_name_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="reference",
            field=models.CharField(editable=False, max_length=12, null=True),
        ),
        migrations.RunPython(give_references, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="case",
            name="reference",
            field=models.CharField(
                default=earlyhelp.cases.models.new_case_reference,
                editable=False,
                max_length=12,
                unique=True,
            ),
        ),
    ]
