"""The name index: people.NameKey rows for every name a person is or was known by.

Search fetches candidates by equality on these keys (people.matching says what they
are). A person's rows are written again whenever their name or one of their other names
is saved or deleted (people.models.NameKeys), and by the generator for the people it
makes in bulk; migration 0010 filled it for the people recorded before it existed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import transaction

from earlyhelp.people.matching import keys_of_names
from earlyhelp.people.models import NameKey, Person, PersonName

BATCH = 2000


def keys_of(person_ids: Iterable[int]) -> Iterator[NameKey]:
    """Unsaved NameKey rows for the current and other names of `person_ids`."""
    ids = list(person_ids)
    names: dict[int, list[tuple[str, str]]] = {pk: [] for pk in ids}
    for pk, given, family in Person.objects.filter(id__in=ids).values_list(
        "id", "given_name", "family_name"
    ):
        names[pk].append((given, family))
    for pk, given, family in PersonName.objects.filter(person_id__in=ids).values_list(
        "person_id", "given_name", "family_name"
    ):
        names[pk].append((given, family))
    for pk, known_as in names.items():
        for key in keys_of_names(known_as):
            yield NameKey(person_id=pk, key=key)


def index_names(person_ids: Iterable[int | None]) -> None:
    """Write the name index rows of `person_ids` again (ids of None are ignored)."""
    ids = sorted({pk for pk in person_ids if pk is not None})
    if not ids:
        return
    with transaction.atomic():
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            # Two saves of one person's names at once must not interleave their rewrites.
            list(Person.objects.select_for_update().filter(id__in=batch).values_list("id"))
            NameKey.objects.filter(person_id__in=batch).delete()
            NameKey.objects.bulk_create(keys_of(batch), batch_size=5000)
