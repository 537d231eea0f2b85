"""Write the name index again for people with a Mac or Mc prefix in a family name.

people.matching.name_words now also finds "MacDonald" by "Donald": the keys of those
names change. Only the people with such a name, current or other (MAC_PREFIX_SQL), are
rewritten, in batches, one transaction each: stopped half way, it is run again and writes
them all again. Like every migration it runs with the service stopped.
"""

from django.db import migrations, transaction

from earlyhelp.people.matching import MAC_PREFIX_SQL, keys_of_names

BATCH = 2000


def reindex(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    PersonName = apps.get_model("people", "PersonName")
    NameKey = apps.get_model("people", "NameKey")
    ids = set(
        Person.objects.filter(family_name__regex=MAC_PREFIX_SQL).values_list("id", flat=True)
    )
    ids |= set(
        PersonName.objects.filter(family_name__regex=MAC_PREFIX_SQL).values_list(
            "person_id", flat=True
        )
    )
    ordered = sorted(ids)
    for start in range(0, len(ordered), BATCH):
        batch = ordered[start : start + BATCH]
        names = {pk: [] for pk in batch}
        for pk, given, family in Person.objects.filter(id__in=batch).values_list(
            "id", "given_name", "family_name"
        ):
            names[pk].append((given, family))
        for pk, given, family in PersonName.objects.filter(person_id__in=batch).values_list(
            "person_id", "given_name", "family_name"
        ):
            names[pk].append((given, family))
        with transaction.atomic():
            NameKey.objects.filter(person_id__in=batch).delete()
            NameKey.objects.bulk_create(
                (
                    NameKey(person_id=pk, key=key)
                    for pk, known_as in names.items()
                    for key in keys_of_names(known_as)
                ),
                batch_size=5000,
            )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("people", "0012_merged_into_indexed_where_set"),
    ]

    operations = [
        migrations.RunPython(reindex, migrations.RunPython.noop, elidable=True),
    ]
