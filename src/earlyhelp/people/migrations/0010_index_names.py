"""Fill the name index (0009) for the people already recorded.

In batches of people in id order, one transaction each (the migration itself is not
atomic): stopped half way, it is run again and carries on after the last person done.
Like every migration it runs with the service stopped: a person saved by the service in
between would be indexed, and the rerun would carry on after them.
The table has no indexes yet (0011 adds them), so the rows go in as appends.
"""

from django.db import migrations, transaction
from django.db.models import Max

from earlyhelp.people.matching import keys_of_names

BATCH = 5000


def index(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    PersonName = apps.get_model("people", "PersonName")
    NameKey = apps.get_model("people", "NameKey")
    quote = schema_editor.quote_name
    insert = (
        f"INSERT INTO {quote(NameKey._meta.db_table)} ({quote('person_id')}, {quote('key')}) "
        "VALUES (%s, %s)"
    )
    # A batch is one transaction: everyone up to the last person with keys is done.
    after = NameKey.objects.aggregate(last=Max("person_id"))["last"] or 0
    while True:
        rows = list(
            Person.objects.filter(id__gt=after)
            .order_by("id")
            .values_list("id", "given_name", "family_name")[:BATCH]
        )
        if not rows:
            return
        after = rows[-1][0]
        names = {pk: [(given, family)] for pk, given, family in rows}
        for pk, given, family in PersonName.objects.filter(
            person_id__gte=rows[0][0], person_id__lte=after
        ).values_list("person_id", "given_name", "family_name"):
            names[pk].append((given, family))
        keys = [(pk, key) for pk, known_as in names.items() for key in keys_of_names(known_as)]
        # Plain INSERTs: a million people make some twenty million rows.
        with transaction.atomic(), schema_editor.connection.cursor() as cursor:
            cursor.executemany(insert, keys)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("people", "0009_name_index"),
    ]

    operations = [
        migrations.RunPython(index, migrations.RunPython.noop, elidable=True),
    ]
