"""Write synthetic families to the database in batches, one transaction a batch."""

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date

from django.db import transaction

from earlyhelp.people.models import Address, Household, HouseholdMember, Person, Relationship
from earlyhelp.synthetic.families import FamilyFactory, FamilySpec
from earlyhelp.synthetic.models import GeneratedDataset

TOWN = "London"


def batches(factory: FamilyFactory, families: int, size: int) -> Iterator[list[FamilySpec]]:
    made = 0
    while made < families:
        count = min(size, families - made)
        yield [factory.family() for _ in range(count)]
        made += count


@transaction.atomic
def write_batch(batch: list[FamilySpec], as_of: date, counts: Counter) -> None:
    addresses = Address.objects.bulk_create(
        Address(
            public_id=family.address_public_id,
            line_1=family.line_1,
            line_2=family.line_2,
            town=TOWN,
            postcode=family.postcode,
        )
        for family in batch
    )
    households = Household.objects.bulk_create(
        Household(public_id=family.household_public_id, address=address)
        for family, address in zip(batch, addresses, strict=True)
    )
    people = Person.objects.bulk_create(
        Person(
            public_id=spec.public_id,
            given_name=spec.given_name,
            family_name=spec.family_name,
            date_of_birth=spec.date_of_birth,
            nhs_number=spec.nhs_number,
            upn=spec.upn,
            telephone=spec.telephone,
            email=spec.email,
        )
        for family in batch
        for spec in family.people
    )
    members, relationships = [], []
    position = 0
    for family, household in zip(batch, households, strict=True):
        family_people = people[position : position + len(family.people)]
        position += len(family.people)
        for spec, person in zip(family.people, family_people, strict=True):
            if spec.in_household:
                joined = max(family.moved_in, spec.date_of_birth)
                members.append(
                    HouseholdMember(household=household, person=person, joined_on=joined)
                )
        relationships.extend(
            Relationship(
                person=family_people[rel.person],
                relative=family_people[rel.relative],
                kind=rel.kind,
                has_parental_responsibility=rel.has_parental_responsibility,
            )
            for rel in family.relationships
        )
        counts["households"] += 1
        counts[f"shape: {family.shape}"] += 1
        counts["people living elsewhere"] += sum(not spec.in_household for spec in family.people)
    HouseholdMember.objects.bulk_create(members)
    Relationship.objects.bulk_create(relationships)
    counts["addresses"] += len(addresses)
    counts["people"] += len(people)
    counts["household members"] += len(members)
    counts["relationships"] += len(relationships)
    counts["children under 18"] += sum(
        spec.age_on(as_of) < 18 for family in batch for spec in family.people
    )
    counts["with NHS number"] += sum(bool(p.nhs_number) for p in people)
    counts["with UPN"] += sum(bool(p.upn) for p in people)


def generate(
    families: int,
    seed: int,
    as_of: date,
    batch_size: int = 1000,
    progress: Callable[[int], None] = lambda n: None,
) -> tuple[dict[str, int], int]:
    """Make sure the first `families` families of `seed` exist; return (counts, families added).

    A seed's families always come in the same order, so a larger request after a
    smaller one replays the draws of the families already written and adds only
    the rest; a request no larger adds nothing. Running the demo twice neither
    fails nor doubles the data.
    """
    dataset = GeneratedDataset.objects.filter(seed=seed).first()
    already = dataset.families if dataset else 0
    if dataset is not None and dataset.as_of != as_of and families > already:
        raise ValueError(
            f"--as-of: seed {seed} was generated as of {dataset.as_of}; "
            "use that date to add families to it"
        )
    if families <= already:
        return dataset.counts, 0
    factory = FamilyFactory(seed, as_of)
    for _ in range(already):
        factory.family()  # replay, so that the next family is the one after them
    counts: Counter = Counter(dataset.counts if dataset else {})
    for batch in batches(factory, families - already, batch_size):
        write_batch(batch, as_of, counts)
        progress(len(batch))
    GeneratedDataset.objects.update_or_create(
        seed=seed,
        defaults={"families": families, "as_of": as_of, "counts": dict(sorted(counts.items()))},
    )
    return dict(sorted(counts.items())), families - already
