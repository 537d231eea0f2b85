"""Restriction of processing (UK GDPR Article 18), as the rest of the product asks it.

While a ``ProcessingRestriction`` is in force on a person their data is kept but not used:
no extract takes them (extracts.database), no page or service changes their record (the
person guards in access.guards, people.services, cases.corrections), and their page says
so. Nothing shares data yet; a sharing feature must ask ``restriction_in_force`` too.

This module imports only models, so the guards and services that ask it import nothing of
the rights pages.
"""

from __future__ import annotations

from django.db.models import QuerySet

from earlyhelp.lib.plausible import format_day
from earlyhelp.people.models import Person
from earlyhelp.rights.models import ProcessingRestriction


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


def restricted_words(restriction: ProcessingRestriction) -> str:
    """Why nothing may be changed, in words: since when, and by which request."""
    by = (
        f" at the request of rights request {restriction.request.reference}"
        if restriction.request_id
        else ""
    )
    return (
        f"This record is restricted from processing since {format_day(restriction.started_on)}"
        f"{by}. Nothing in it may be changed, extracted or shared until the information "
        "governance officer lifts the restriction."
    )


def refuse_if_restricted(*people: Person | None) -> None:
    """Raise ProcessingRestricted ("person: ...") when any of ``people`` is restricted."""
    for person in people:
        if person is None or person.pk is None:
            continue
        restriction = restriction_in_force(person)
        if restriction is not None:
            raise ProcessingRestricted(f"person: {restricted_words(restriction)}")
