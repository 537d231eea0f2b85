"""Who else a subject access bundle may name: the deny-list for one request, from the records.

The product knows the family: everyone related to the people in scope or living with them,
the other people on their cases and at their contacts, and the other children at the same
group sessions. Each becomes a `finders.Party` with every name form and contact detail the
records hold. The people in scope (the requester and those the request is about) and the
staff who wrote the records (workers acting in their role, DPA 2018 Schedule 2 paragraph 17,
unless the policy says otherwise) are kept: never proposed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from earlyhelp.access.models import User
from earlyhelp.bundles.finders import Party
from earlyhelp.cases.models import Attendance, CaseMember, Contact
from earlyhelp.people.models import (
    ContactMethod,
    HouseholdMember,
    Person,
    PersonAddress,
    PersonName,
    Relationship,
)


@dataclass(frozen=True)
class Parties:
    """The deny-list and the keep-list of one request."""

    third: list[Party]
    keep: list[Party]


def parties_for(
    in_scope: Iterable[Person],
    *,
    redact_workers: bool,
    worker_names: Iterable[str] = (),
    named_on_request: Iterable[str] = (),
) -> Parties:
    """Third parties of `in_scope` (Person rows: the request's people and records merged into
    them), with why each is one in words, and the people to keep.

    Queries are per kind of link, not per person: a family with many contacts costs a few
    queries. `redact_workers` comes from the policy (rights.access_bundle.redact_workers).
    The workers kept are those acting in their role on these records: `worker_names` (who
    wrote the records copied), and the teams and allocated workers of the people's cases;
    never the whole staff, whose first names would hide a sibling's. `named_on_request`:
    the requester's and subject's names as the request gives them, kept too.
    """
    scope = list(in_scope)
    scope_ids = {p.pk for p in scope}
    why: dict[int, str] = {}

    def note(person_id: int, words: str) -> None:
        if person_id not in scope_ids:
            why.setdefault(person_id, words)

    # "person is kind of relative" ("Amira is the parent of Yusuf"), either way round.
    for rel in Relationship.objects.filter(person__in=scope_ids).exclude(relative__in=scope_ids):
        note(rel.relative_id, f"Family ({rel.get_kind_display().lower()} relationship)")
    for rel in Relationship.objects.filter(relative__in=scope_ids).exclude(person__in=scope_ids):
        note(rel.person_id, f"Family ({rel.get_kind_display().lower()} relationship)")
    households = HouseholdMember.objects.filter(person__in=scope_ids).values("household")
    for member in HouseholdMember.objects.filter(household__in=households):
        note(member.person_id, "Lives in the same household")
    cases = CaseMember.objects.filter(person__in=scope_ids).values("case")
    for member in CaseMember.objects.filter(case__in=cases):
        note(member.person_id, "On the same case")
    present = Contact.people_present.through.objects.filter(contact__case__in=cases).values_list(
        "person_id", flat=True
    )
    for person_id in present:
        note(person_id, "At a contact on the same case")
    sessions = Attendance.objects.filter(person__in=scope_ids).values("session")
    for person_id in Attendance.objects.filter(session__in=sessions).values_list(
        "person_id", flat=True
    ):
        note(person_id, "At the same group session")

    third = _parties(Person.objects.filter(pk__in=why), why)
    keep = _parties(scope, {p.pk: "" for p in scope})
    keep += [_named(name, "") for name in named_on_request if name.strip()]
    if not redact_workers:
        workers = {name for name in worker_names if name.strip()}
        # Two indexed lookups, not an OR across joins (a scan on a large database).
        on_cases = [
            *User.objects.filter(teams__cases__in=cases).distinct(),
            *User.objects.filter(allocated_cases__in=cases).distinct(),
        ]
        workers |= {user.get_full_name() for user in on_cases if user.get_full_name().strip()}
        keep += [_named(name, "Worker acting in their role") for name in sorted(workers)]
    return Parties(third=third, keep=keep)


def _parties(people: Iterable[Person], why: dict[int, str]) -> list[Party]:
    people = list(people)
    ids = [p.pk for p in people]
    other_names: dict[int, list[PersonName]] = defaultdict(list)
    for name in PersonName.objects.filter(person__in=ids):
        other_names[name.person_id].append(name)
    details: dict[int, list[object]] = defaultdict(list)
    for method in ContactMethod.objects.filter(person__in=ids):
        details[method.person_id].append(method.value)
    homes = [
        (lived.person_id, lived.address)
        for lived in PersonAddress.objects.filter(person__in=ids).select_related("address")
    ] + [
        (member.person_id, member.household.address)
        for member in HouseholdMember.objects.filter(person__in=ids).select_related(
            "household__address"
        )
    ]
    for person_id, address in homes:
        details[person_id] += [
            line for line in (address.line_1, address.line_2, address.postcode) if line
        ]
    found = []
    for person in people:
        names = other_names[person.pk]
        found.append(
            Party(
                full_names=(person.full_name, *(f"{n.given_name} {n.family_name}" for n in names)),
                given_names=(person.given_name, *(n.given_name for n in names)),
                family_names=(person.family_name, *(n.family_name for n in names)),
                details=tuple(
                    d
                    for d in (
                        person.nhs_number,
                        person.upn,
                        person.date_of_birth,
                        *details[person.pk],
                    )
                    if d
                ),
                why=why[person.pk],  # the finder adds the name
            )
        )
    return found


def _identifiers(person: Person) -> tuple[object, ...]:
    return (person.nhs_number, person.upn, person.date_of_birth)


def _named(full_name: str, why: str) -> Party:
    """A person known only by a name as written ("Sam Patel"): its first and last words
    are the given and family names."""
    words = full_name.split()
    return Party(
        full_names=(" ".join(words),),
        given_names=(words[0],) if words else (),
        family_names=(words[-1],) if len(words) > 1 else (),
        why=why,
    )
