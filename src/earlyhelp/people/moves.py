"""Moving house: a person's new current address, and what happens to their household.

A household is the people living together at one address. When one of them moves, either
the household moves with them (its address changes) or they leave it; the two are never
left silently disagreeing, which is how a page came to say a child "lives in the household
at" an address they had left.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.http import HttpRequest

from earlyhelp.audit.log import record
from earlyhelp.people.models import Address, Household, HouseholdMember, Person, PersonAddress

HOUSEHOLD_MOVES = "household"
MOVES_ALONE = "alone"


@dataclass(frozen=True)
class NewAddress:
    line_1: str
    line_2: str
    town: str
    postcode: str
    moved_in: date | None
    source: str


def current_household(person: Person) -> Household | None:
    """The household the person lives in now (the most recent one joined), or None."""
    member = (
        HouseholdMember.objects.filter(person=person, left_on__isnull=True)
        .select_related("household__address")
        .order_by("-pk")
        .first()
    )
    return member.household if member else None


def record_move(
    request: HttpRequest, person: Person, new: NewAddress, household_moves: str | None
) -> Address:
    """Save `new` as the person's current address; the one before becomes history.

    `household_moves` says what happens to their current household, if they have one:
    HOUSEHOLD_MOVES (its address becomes the new one) or MOVES_ALONE (they leave it on
    the day they moved in, or today). Each record changed gets an audit event.
    Raises ValueError when the person has a household and `household_moves` is neither.
    """
    household = current_household(person)
    if household is not None and household_moves not in (HOUSEHOLD_MOVES, MOVES_ALONE):
        raise ValueError(f"household_moves: {household_moves!r} is not a choice")
    moved_on = new.moved_in or date.today()
    with transaction.atomic():
        address = Address.objects.create(
            line_1=new.line_1, line_2=new.line_2, town=new.town, postcode=new.postcode
        )
        person.addresses.filter(moved_out__isnull=True).update(moved_out=moved_on)
        PersonAddress.objects.create(
            person=person,
            address=address,
            moved_in=new.moved_in,
            source=new.source,
            recorded_by=request.user,
        )
        record(
            request,
            action="create",
            record_type="person",
            record_id=str(person.public_id),
            categories=["identity-and-contact"],
            details={"fact": "people.PersonAddress"},
        )
        if household is not None and household_moves == HOUSEHOLD_MOVES:
            household.address = address
            household.save(update_fields=["address"])
        elif household is not None:
            HouseholdMember.objects.filter(
                household=household, person=person, left_on__isnull=True
            ).update(left_on=moved_on)
        if household is not None:
            record(
                request,
                action="change",
                record_type="household",
                record_id=str(household.public_id),
                categories=["identity-and-contact", "household-members"],
                details={"household": household_moves},
            )
    return address
