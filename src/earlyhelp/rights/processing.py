"""Restriction of processing (UK GDPR Article 18), as the rest of the product asks it.

While a ``ProcessingRestriction`` is in force on a person their data is kept but not used:
no extract takes them (extracts.database), no page or service changes their record (the
person guards in access.guards, people.services, cases.corrections), and their page says
so. Nothing shares data yet; a sharing feature must ask ``restriction_in_force`` too.

Every write that names a restricted person is refused, whichever page it starts from: one
naming them as the relative in a relationship recorded from another person's page, adding
them to a household or recording that they left one (people.composition), a move of a
household they live in (people.moves), and a merge or its undoing where they are the record
kept or the one merged away (people.merge). The refusal says which request restricted them
and since when (restricted_words), and nothing is written.

Case-level records stay allowed: notes, contacts, plans, assessments and the like on a
family's case, though the case includes a restricted person. Safeguarding work on the
family continues, and Article 18(2) allows processing of restricted data for the
protection of the rights of another natural person (the child and the rest of the family);
what is blocked is any change to the restricted person's own record.

This module imports only models, so the guards and services that ask it import nothing of
the rights pages.
"""

from __future__ import annotations

from django.db.models import QuerySet

from earlyhelp.lib.plausible import format_day
from earlyhelp.people.models import Person
from earlyhelp.rights.models import Disagreement, ProcessingRestriction


class ProcessingRestricted(ValueError):
    """A write refused because the person's data is restricted from processing."""


def restriction_in_force(person: Person) -> ProcessingRestriction | None:
    """The processing restriction in force on ``person``, if any."""
    return (
        ProcessingRestriction.objects.in_force()
        .filter(person=person)
        .select_related("request")
        .first()
    )


def restricted_people() -> QuerySet:
    """The ids of everyone whose data is restricted from processing now (for a filter)."""
    return ProcessingRestriction.objects.in_force().values("person_id")


def restricted_words(restriction: ProcessingRestriction, whose: str = "") -> str:
    """Why nothing may be changed, in words: since when, and by which request. `whose`
    names the record ("Yusuf Haddad's record") where the page is about someone else."""
    by = (
        f" at the request of rights request {restriction.request.reference}"
        if restriction.request_id
        else ""
    )
    since = format_day(restriction.started_on)
    return (
        f"{whose or 'This record'} is restricted from processing since {since}"
        f"{by}. Nothing in it may be changed, extracted or shared until the information "
        "governance officer lifts the restriction."
    )


def restricted_problem(*people: Person | None, field: str = "person", named: bool = False) -> str:
    """ "field: why" for the first of ``people`` whose data is restricted from processing, or
    "". With `named`, the words name the person (the page is about someone else)."""
    for person in people:
        if person is None or person.pk is None:
            continue
        restriction = restriction_in_force(person)
        if restriction is not None:
            whose = f"{person.full_name}'s record" if named else ""
            return f"{field}: {restricted_words(restriction, whose)}"
    return ""


def refuse_if_restricted(*people: Person | None, named: bool = False) -> None:
    """Raise ProcessingRestricted ("person: ...") when any of ``people`` is restricted."""
    problem = restricted_problem(*people, named=named)
    if problem:
        raise ProcessingRestricted(problem)


def notes_shown(person: Person) -> tuple[type, ...]:
    """The rights models a person's page shows rows of (rights/_person_notes.html): a
    processing restriction in force, their disagreements with recorded data; for the look's
    audited categories."""
    shown: list[type] = []
    if restriction_in_force(person) is not None:
        shown.append(ProcessingRestriction)
    if Disagreement.objects.filter(person=person).exists():
        shown.append(Disagreement)
    return tuple(shown)
