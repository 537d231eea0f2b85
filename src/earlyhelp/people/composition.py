"""Family composition: who lives in a household, and how people are related.

A worker adds someone to a household (from the first day they lived there), records the
day a member left (their membership is kept, with `left_on`: the household's history),
and records a relationship between two people ("Amira is the parent of Yusuf", with or
without parental responsibility).

Need-to-know: the caller has opened the household or person through its guard (changes
refused under break-glass); the person added, or the relative named, must be one the
worker may open themselves, by allocation or because no case holds them, never by
break-glass and never past a restriction. Moving house is people.moves.

Each function is one write and its audit events, in one transaction; a refusal
(CompositionRefused, its message naming the field and the rule) writes neither.
"""

from datetime import date

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from earlyhelp.access.rules import person_access, who_to_ask
from earlyhelp.audit.log import record
from earlyhelp.datamap.registry import categories_of
from earlyhelp.lib.plausible import event_date_error, format_day, period_error
from earlyhelp.people.models import Household, HouseholdMember, Person, Relationship
from earlyhelp.rights.processing import restricted_problem

JOINED_FIELD = "Date they joined the household"
LEFT_FIELD = "Date they left the household"
# Kinds of relationship where the person is the elder: a parent is born before their child.
ELDER_KINDS = {
    Relationship.Kind.PARENT,
    Relationship.Kind.STEP_PARENT,
    Relationship.Kind.GRANDPARENT,
}


class CompositionRefused(ValueError):
    """A change that cannot be recorded; ``str()`` is "field: the rule", for a form."""


def _today() -> date:
    return timezone.localdate()


def may_name(request: HttpRequest, person: Person) -> str | None:
    """Why `person` may not be added or named by the requesting user, or None if they may.

    The worker must be able to open the person's record themselves: allocated to them (or
    held by no case), not restricted from them, and not only by break-glass. Someone
    restricted is not named in the message: only whom to ask.
    """
    if person.merged_into_id:
        return "person: that record was merged into another; choose the record it became"
    access = person_access(request, person)
    if access.restricted:
        return f"person: the record is restricted; ask {who_to_ask(person) or 'your manager'}"
    if not access.allowed or access.read_only:
        return (
            "person: their record is held by another team; ask the team holding their case "
            "to record it"
        )
    return None


def _household_event(request: HttpRequest, household: Household, details: dict) -> None:
    record(
        request,
        action="change",
        record_type="household",
        record_id=str(household.public_id),
        categories=categories_of(Household, HouseholdMember),
        details=details,
    )


def _person_event(
    request: HttpRequest, person: Person, action: str, shown: tuple, details: dict
) -> None:
    record(
        request,
        action=action,
        record_type="person",
        record_id=str(person.public_id),
        categories=categories_of(*shown),
        details=details,
    )


@transaction.atomic
def add_to_household(
    request: HttpRequest, household: Household, person: Person, *, joined_on: date | None
) -> HouseholdMember:
    """Add `person` to `household`, living there from `joined_on` (None: not known).

    Two "change" events: against the household and against the person.

    Raises CompositionRefused, with nothing written:
    - "person:" the worker may not open the person (may_name), their data is restricted
      from processing (rights.processing), or they live there now;
    - "joined_on:" after today, before their date of birth, or (someone coming back) not
      after the day they last left it.

    Someone who left and comes back gets a new membership; the ended one stays as the
    household's history.
    """
    problem = may_name(request, person) or restricted_problem(person, named=True)
    if problem:
        raise CompositionRefused(problem)
    earlier = list(
        HouseholdMember.objects.filter(household=household, person=person).order_by("left_on")
    )
    if any(member.left_on is None for member in earlier):
        raise CompositionRefused(f"person: {person.full_name} lives in this household already")
    message = event_date_error(
        joined_on, field=JOINED_FIELD, today=_today(), born=person.date_of_birth
    )
    if not message and earlier and joined_on is not None and joined_on <= earlier[-1].left_on:
        message = (
            f"The {JOINED_FIELD.lower()} must be after {format_day(earlier[-1].left_on)}, "
            f"the day {person.given_name} last left it"
        )
    if message:
        raise CompositionRefused(f"joined_on: {message}")
    member = HouseholdMember.objects.create(household=household, person=person, joined_on=joined_on)
    _household_event(request, household, {"joined": str(person.public_id)})
    _person_event(request, person, "change", (HouseholdMember,), {"household": "joined"})
    return member


@transaction.atomic
def end_membership(
    request: HttpRequest, household: Household, person: Person, *, left_on: date
) -> HouseholdMember:
    """Record that `person` left `household` on `left_on`: the membership is kept, ended.

    Two "change" events: against the household and against the person.

    Raises CompositionRefused, with nothing written:
    - "person:" they do not live in the household now, or their data is restricted from
      processing (rights.processing);
    - "left_on:" missing, after today, before their date of birth or before they joined.
    """
    member = (
        HouseholdMember.objects.select_for_update()
        .filter(household=household, person=person, left_on__isnull=True)
        .first()
    )
    if member is None:
        raise CompositionRefused(f"person: {person.full_name} does not live in this household now")
    problem = restricted_problem(person, named=True)
    if problem:
        raise CompositionRefused(problem)
    if left_on is None:
        raise CompositionRefused(f"left_on: enter the {LEFT_FIELD.lower()}")
    message = event_date_error(
        left_on, field=LEFT_FIELD, today=_today(), born=person.date_of_birth
    ) or period_error(
        member.joined_on,
        left_on,
        start_field="date they joined the household",
        end_field=LEFT_FIELD,
    )
    if message:
        raise CompositionRefused(f"left_on: {message}")
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    _household_event(request, household, {"left": str(person.public_id)})
    _person_event(request, person, "change", (HouseholdMember,), {"household": "left"})
    return member


def relationship_error(
    person: Person, relative: Person, kind: str, *, other_than: Relationship | None = None
) -> str | None:
    """Why `person` cannot be `kind` of `relative`, as "field: words", or None if they can:
    "kind:" not a kind of relationship, or a parent or grandparent born after the person
    they are parent or grandparent of; "relative:" that relationship is recorded already
    (leaving out `other_than`, the one being corrected). Recording and correcting a
    relationship both ask it (cases.corrections)."""
    if kind not in Relationship.Kind.values:
        return f"kind: {kind!r} is not a kind of relationship"
    words = Relationship.Kind(kind).label.lower()
    if (
        kind in ELDER_KINDS
        and person.date_of_birth
        and relative.date_of_birth
        and person.date_of_birth >= relative.date_of_birth
    ):
        return (
            f"kind: {person.full_name} (born {format_day(person.date_of_birth)}) cannot be "
            f"{words} of {relative.full_name}, born before them "
            f"({format_day(relative.date_of_birth)})"
        )
    same = Relationship.objects.filter(person=person, relative=relative, kind=kind)
    if other_than is not None:
        same = same.exclude(pk=other_than.pk)
    if same.exists():
        return (
            f"relative: {person.full_name} is recorded already as {words} of "
            f"{relative.full_name}; to change it (whether they have parental responsibility, "
            "say), correct that relationship on their record: its author or a team manager can"
        )
    return None


@transaction.atomic
def record_relationship(
    request: HttpRequest,
    person: Person,
    relative: Person,
    *,
    kind: str,
    parental_responsibility: bool,
    source: str,
) -> Relationship:
    """Record that `person` is `kind` of `relative`, with or without parental responsibility.

    One "create" event against each of the two people (it is both of theirs).

    Raises CompositionRefused, with nothing written:
    - "relative:" the same person, or one the worker may not open (may_name), or this
      relationship is recorded already;
    - "person:" or "relative:" that one's data is restricted from processing
      (rights.processing: the relationship is both of theirs);
    - "kind:" not a kind of relationship, or a parent or grandparent born after the
      person they are parent or grandparent of.
    """
    if relative.pk == person.pk:
        raise CompositionRefused("relative: a person cannot be their own relative")
    problem = may_name(request, relative)
    if problem:
        raise CompositionRefused(problem.replace("person:", "relative:", 1))
    # Both people's records change: refused while either is restricted from processing.
    problem = restricted_problem(person, named=True) or restricted_problem(
        relative, field="relative", named=True
    )
    if problem:
        raise CompositionRefused(problem)
    problem = relationship_error(person, relative, kind)
    if problem:
        raise CompositionRefused(problem)
    relationship = Relationship.objects.create(
        person=person,
        relative=relative,
        kind=kind,
        has_parental_responsibility=parental_responsibility,
        source=source,
        recorded_by=request.user,
    )
    for someone in (person, relative):
        _person_event(request, someone, "create", (Relationship,), {"fact": "people.Relationship"})
    return relationship
