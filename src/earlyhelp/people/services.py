"""What staff do to a person's record, as functions: each write with its audit event.

Each function writes in one transaction and records the audit event in it, so a write
that fails leaves neither its rows nor an event saying it happened (earlyhelp.audit.log:
an event is written in the caller's transaction). Access is the caller's to check: these
functions write what they are given. Moving house is people.moves.record_move; the
merge itself is people.merge.
"""

from datetime import date

from django.db import models, transaction
from django.http import HttpRequest

from earlyhelp.access.models import Restriction
from earlyhelp.audit.log import record
from earlyhelp.datamap.registry import categories_of, fact_models
from earlyhelp.people.merge import merge_people, undo_merge
from earlyhelp.people.models import ContactMethod, Person, PersonMerge
from earlyhelp.rights.processing import refuse_if_restricted

# The fields of a person's own record a member of staff types in.
PERSON_FIELDS = ("given_name", "family_name", "date_of_birth", "nhs_number", "upn")


def _audit_fact(request: HttpRequest, person: Person, model: type[models.Model]) -> None:
    record(
        request,
        action="create",
        record_type="person",
        record_id=str(person.public_id),
        categories=categories_of(model),
        details={"fact": model._meta.label},
    )


@transaction.atomic
def create_person(
    request: HttpRequest,
    *,
    given_name: str,
    family_name: str,
    date_of_birth: date | None,
    nhs_number: str,
    upn: str,
) -> Person:
    """A new person recorded by the requesting user; one "create" event against them.

    The values are the form's, already checked; the caller has checked for duplicates.
    Raises what the database raises (IntegrityError for an NHS number or UPN already
    recorded), with nothing written.
    """
    person = Person.objects.create(
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
        nhs_number=nhs_number,
        upn=upn,
        created_by=request.user,
    )
    record(
        request,
        action="create",
        record_type="person",
        record_id=str(person.public_id),
        categories=categories_of(Person),
    )
    return person


@transaction.atomic
def change_person(request: HttpRequest, person: Person, **values: object) -> Person:
    """Change the person's own details (PERSON_FIELDS); one "change" event against them.

    Raises ValueError for a field not in PERSON_FIELDS (ProcessingRestricted while their data
    is restricted from processing), and what the database raises for
    a value it refuses (IntegrityError for another person's NHS number), with nothing written.
    """
    unknown = sorted(set(values) - set(PERSON_FIELDS))
    if unknown:
        raise ValueError(f"change_person: {', '.join(unknown)} not a person's own details")
    refuse_if_restricted(person)
    for name, value in values.items():
        setattr(person, name, value)
    person.save()
    record(
        request,
        action="change",
        record_type="person",
        record_id=str(person.public_id),
        categories=categories_of(Person),
    )
    return person


@transaction.atomic
def add_contact_method(
    request: HttpRequest, person: Person, *, kind: str, value: str, label: str, source: str
) -> ContactMethod:
    """A telephone number or email address of the person; one "create" event against them.

    Raises rights.processing.ProcessingRestricted while their data is restricted."""
    refuse_if_restricted(person)
    method = ContactMethod.objects.create(
        person=person,
        recorded_by=request.user,
        kind=kind,
        value=value,
        label=label,
        source=source,
    )
    _audit_fact(request, person, ContactMethod)
    return method


@transaction.atomic
def record_fact(request: HttpRequest, person: Person, fact: models.Model) -> models.Model:
    """Save `fact` (an unsaved row of a kind of fact, people.facts) about the person.

    The fact is recorded by the requesting user; one "create" event against the person
    names the fact's model and its categories. Raises ValueError when `fact` is not a
    kind of fact of the data map, or is already saved.
    """
    model = type(fact)
    if model not in fact_models().values():
        raise ValueError(f"record_fact: {model._meta.label} is not a kind of fact")
    if fact.pk is not None:
        raise ValueError("record_fact: the fact is already recorded")
    refuse_if_restricted(person)
    fact.person = person
    fact.recorded_by = request.user
    fact.save()
    _audit_fact(request, person, model)
    return fact


def _named_on_restriction(person: Person) -> frozenset[int] | None:
    """The accounts a restriction of `person`'s record names, or None when it has none."""
    restriction = Restriction.objects.filter(person=person).first()
    if restriction is None:
        return None
    return frozenset(restriction.named_users.values_list("pk", flat=True))


def refuse_if_restriction_widened(kept: Person, merged: Person) -> None:
    """Raise ValueError ("merge: ...") unless both records are restricted to the same
    people, or neither is restricted.

    Merged, everything of `merged` is read through `kept`'s record, under `kept`'s
    restriction: one naming other people would open `merged`'s to them, and one on `kept`
    alone would close `merged`'s cases to their team unseen. With none on `kept`,
    `merged`'s restriction would move onto it, closing it to its own workers, again with
    no restriction made on it.
    """
    if _named_on_restriction(kept) != _named_on_restriction(merged):
        raise ValueError(
            "merge: one record is restricted to other people than the other. Change the "
            "restrictions so that both name the same people, then merge"
        )


@transaction.atomic
def merge_records(request: HttpRequest, kept: Person, merged: Person, reason: str) -> PersonMerge:
    """Merge `merged` into `kept` (people.merge.merge_people), with a reason.

    One "merge" event against each record: the kept one, and the merged one, whose own
    "who has seen" list shows the merge too (as undo_records_merge does for the undo).
    Raises ValueError when merge_people refuses (no reason, the same person, a record
    already merged, a database rule) or a restriction would be widened
    (refuse_if_restriction_widened), with nothing written.
    """
    refuse_if_restriction_widened(kept, merged)
    merge = merge_people(kept, merged, request.user, reason)
    record(
        request,
        action="merge",
        record_type="person",
        record_id=str(kept.public_id),
        details={"merged": str(merged.public_id)},
        reason=reason,
    )
    record(
        request,
        action="merge",
        record_type="person",
        record_id=str(merged.public_id),
        details={"kept": str(kept.public_id)},
        reason=reason,
    )
    return merge


@transaction.atomic
def undo_records_merge(request: HttpRequest, merge: PersonMerge, reason: str) -> None:
    """Separate two merged records (people.merge.undo_merge), with a reason.

    One "undo_merge" event against each record: the kept one, and the merged one, whose
    own "who has seen" list shows the undo too. Raises ValueError when undo_merge refuses
    (undone already, the kept record merged since, a database rule), with nothing written.
    """
    undo_merge(merge, request.user)
    record(
        request,
        action="undo_merge",
        record_type="person",
        record_id=str(merge.kept.public_id),
        details={"merged": str(merge.merged.public_id)},
        reason=reason,
    )
    record(
        request,
        action="undo_merge",
        record_type="person",
        record_id=str(merge.merged.public_id),
        details={"kept": str(merge.kept.public_id)},
        reason=reason,
    )
