"""Moving house: a person's new current address, and what happens to their households.

A household is the people living together at one address. When one of them moves, either
a household moves with them (its address changes, and so does the address of everyone
else in it who lived at the old one) or they leave: the two are never left silently
disagreeing, which is how a page came to say a child "lives in the household at" an
address they had left.

Someone in two households (a child between two homes) moves with at most one of them and
leaves the others. A household with a record restricted from the user is not moved by
them: moving it changes that person's address too; they may still record that the person
moving leaves.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest

from earlyhelp.access.models import User
from earlyhelp.access.rules import is_restricted_from, who_to_ask
from earlyhelp.audit.log import record
from earlyhelp.datamap.registry import categories_of
from earlyhelp.lib.plausible import period_error
from earlyhelp.people.models import Address, Household, HouseholdMember, Person, PersonAddress
from earlyhelp.rights.processing import restricted_problem

MOVES_ALONE = "alone"
MOVED_IN_FIELD = "Date they moved in"


@dataclass(frozen=True)
class NewAddress:
    line_1: str
    line_2: str
    town: str
    postcode: str
    moved_in: date | None
    source: str


class MoveRefused(ValueError):
    """A move that cannot be recorded; ``str()`` is the message a person reads."""


def current_households(person: Person) -> list[Household]:
    """The households the person lives in now, the most recently joined first."""
    members = (
        HouseholdMember.objects.current()
        .filter(person=person)
        .select_related("household__address")
        .order_by("-pk")
    )
    return [member.household for member in members]


def current_household(person: Person) -> Household | None:
    """The household the person lives in now (the most recent one joined), or None."""
    households = current_households(person)
    return households[0] if households else None


def restricted_other(user: User, household: Household, person: Person) -> Person | None:
    """Another member living in `household` whose record is restricted from `user`, if any."""
    others = household.current_members(merged=True).exclude(pk=person.pk)
    for other in others.select_related("restriction__created_by"):
        if is_restricted_from(user, other):
            return other
    return None


def restricted_move_message(other: Person) -> str:
    """Why the user may not move a household: whom to ask, never who is restricted."""
    ask = who_to_ask(other) or "your team manager"
    return f"The household includes a restricted record: ask {ask} to record the move"


def _same_place(one: Address, other: Address) -> bool:
    return one.pk == other.pk or (
        one.postcode == other.postcode
        and " ".join(one.line_1.lower().split()) == " ".join(other.line_1.lower().split())
    )


def _movers(household: Household, person: Person) -> list[PersonAddress]:
    """The other members' current addresses that are the household's (old) address: the
    people who move with the household, the latest to have moved in first (ties in the
    order they were recorded), so a message names the same person every time."""
    lived = (
        PersonAddress.objects.filter(
            person__in=household.current_members().exclude(pk=person.pk), moved_out__isnull=True
        )
        .select_related("address", "person")
        .order_by(F("moved_in").desc(nulls_last=True), "person_id", "pk")
    )
    return [home for home in lived if _same_place(home.address, household.address)]


def move_date_error(
    person: Person, moved_in: date | None, moving: Household | None = None
) -> str | None:
    """The message if `moved_in` is before something it must follow, else None.

    A move is never before the person moved in to their current address, nor before they
    joined a household they now leave or move with; when a household moves, never before
    anyone moving with it moved in to its address.
    """
    if moved_in is None:
        return None
    current = (
        person.addresses.filter(moved_out__isnull=True, moved_in__isnull=False)
        .order_by("-moved_in")
        .first()
    )
    if current is not None and moved_in < current.moved_in:
        return period_error(
            current.moved_in,
            moved_in,
            start_field="date they moved in to their current address",
            end_field=MOVED_IN_FIELD,
        )
    joined = (
        HouseholdMember.objects.current()
        .filter(person=person, joined_on__isnull=False)
        .order_by("-joined_on")
        .first()
    )
    if joined is not None and moved_in < joined.joined_on:
        return period_error(
            joined.joined_on,
            moved_in,
            start_field="date they joined their household",
            end_field=MOVED_IN_FIELD,
        )
    if moving is not None:
        for home in _movers(moving, person):
            if home.moved_in is not None and moved_in < home.moved_in:
                return period_error(
                    home.moved_in,
                    moved_in,
                    start_field=(
                        f"date {home.person.given_name} moved in to the household's address"
                    ),
                    end_field=MOVED_IN_FIELD,
                )
    return None


def _audit_address(request: HttpRequest, person: Person) -> None:
    record(
        request,
        action="create",
        record_type="person",
        record_id=str(person.public_id),
        categories=categories_of(PersonAddress, Address),
        details={"fact": "people.PersonAddress"},
    )


def record_move(
    request: HttpRequest, person: Person, new: NewAddress, household_moves: str | None
) -> Address:
    """Save `new` as the person's current address; the one before becomes history.

    `household_moves` says what happens to their current households, if they have any:
    the public id of the one that moves with them (its address becomes the new one, and
    each other member living at its old address moves too; the person leaves any other),
    or MOVES_ALONE (they leave them all). Leaving is on the day they moved in, or today.
    Each record changed gets an audit event, against the person or household it is about.

    Raises MoveRefused when the person has a household and `household_moves` names none
    of them, when the household includes a record restricted from the user or someone
    whose data is restricted from processing, or when the date is before
    one it must follow.
    """
    households = current_households(person)
    moving = None
    if households and household_moves != MOVES_ALONE:
        moving = next((h for h in households if str(h.public_id) == household_moves), None)
        if moving is None:
            raise MoveRefused(f"household_moves: {household_moves!r} is not a choice")
        other = restricted_other(request.user, moving, person)
        if other is not None:
            raise MoveRefused(restricted_move_message(other))
        # The household's move changes where everyone living in it lives: refused while one
        # of them is restricted from processing (rights.processing).
        living = moving.current_members().exclude(pk=person.pk).order_by("pk")
        problem = restricted_problem(*living, named=True)
        if problem:
            raise MoveRefused(problem.partition(": ")[2])
    error = move_date_error(person, new.moved_in, moving)
    if error:
        raise MoveRefused(error)
    moved_on = new.moved_in or date.today()
    with transaction.atomic():
        address = Address.objects.create(
            line_1=new.line_1, line_2=new.line_2, town=new.town, postcode=new.postcode
        )
        # Read before the household's address changes.
        movers = _movers(moving, person) if moving is not None else []
        person.addresses.filter(moved_out__isnull=True).update(moved_out=moved_on)
        PersonAddress.objects.create(
            person=person,
            address=address,
            moved_in=new.moved_in,
            source=new.source,
            recorded_by=request.user,
        )
        _audit_address(request, person)
        for home in movers:
            # Everyone living at the household's old address moves with it, so search by
            # the old postcode no longer finds them and their page agrees with the household's.
            home.moved_out = moved_on
            home.save(update_fields=["moved_out"])
            PersonAddress.objects.create(
                person=home.person,
                address=address,
                moved_in=new.moved_in,
                source=new.source,
                recorded_by=request.user,
            )
            _audit_address(request, home.person)
        for household in households:
            if household == moving:
                household.address = address
                household.save(update_fields=["address"])
                details = {"household": "moves"}
            else:
                HouseholdMember.objects.current().filter(household=household, person=person).update(
                    left_on=moved_on
                )
                details = {"household": "left"}
            record(
                request,
                action="change",
                record_type="household",
                record_id=str(household.public_id),
                categories=categories_of(Household, HouseholdMember, Address),
                details=details,
            )
    return address
