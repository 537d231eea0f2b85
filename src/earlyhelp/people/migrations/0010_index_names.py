"""Fill the name index (0009) for the people already recorded.

In batches of people, one transaction each (the migration itself is not atomic):
stopped half way, it is run again and carries on with the people who have no keys yet.
"""

from django.db import migrations, transaction

from earlyhelp.people.matching import stored_name_keys

BATCH = 2000


def index(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    PersonName = apps.get_model("people", "PersonName")
    NameKey = apps.get_model("people", "NameKey")
    after = 0
    while True:
        rows = list(
            Person.objects.filter(id__gt=after)
            .order_by("id")
            .values_list("id", "given_name", "family_name")[:BATCH]
        )
        if not rows:
            return
        after = rows[-1][0]
        ids = [row[0] for row in rows]
        have = set(NameKey.objects.filter(person_id__in=ids).values_list("person_id", flat=True))
        names = {pk: [(given, family)] for pk, given, family in rows if pk not in have}
        if not names:
            continue
        for pk, given, family in PersonName.objects.filter(person_id__in=names).values_list(
            "person_id", "given_name", "family_name"
        ):
            names[pk].append((given, family))
        keys = []
        for pk, known_as in names.items():
            found = set()
            for given, family in known_as:
                found |= stored_name_keys(given, family)
            keys += [NameKey(person_id=pk, key=key) for key in sorted(found)]
        with transaction.atomic():
            NameKey.objects.bulk_create(keys, batch_size=5000)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("people", "0009_name_index"),
    ]

    operations = [
        migrations.RunPython(index, migrations.RunPython.noop, elidable=True),
    ]
