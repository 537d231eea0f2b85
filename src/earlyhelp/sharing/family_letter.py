"""The letter telling the family of a disclosure, laid out to print: the council's name and
address (the policy's controller), whom it is addressed to and where, the date, and the
paragraphs kept on the disclosure (made from the policy's words when it was shared).

Whom it goes to: about an adult, the person; about a child (the policy's age, as the child's
identifier counts it; with no date of birth, a child on a case), the people recorded with
parental responsibility who live with them and whom the reader may see, or else "the parent
or carer of" the child. Where:
the person's current address, else their household's; none recorded, the page says so.
Reads only; the print page records the look.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from earlyhelp.access.models import User
from earlyhelp.access.rules import is_restricted_from
from earlyhelp.cases.choices import CaseRole
from earlyhelp.cases.models import CaseMember
from earlyhelp.lib.words import day_words, join_words
from earlyhelp.people.models import (
    HouseholdMember,
    Person,
    PersonAddress,
    with_parental_responsibility,
)
from earlyhelp.policy.schema import Policy
from earlyhelp.sharing import identifier
from earlyhelp.sharing.models import Disclosure


@dataclass(frozen=True)
class Letter:
    """A disclosure's letter, ready to print."""

    council: list[str]
    to: str
    # Who the greeting names: the people addressed, else "parent or carer".
    dear: str
    address: list[str]
    day: str
    reference: str
    paragraphs: list[str]
    signed: list[str]
    # The people named as whom it is addressed to, beyond the person (for the page's look).
    addressees: list[Person] = field(default_factory=list)


def paragraphs_of(disclosure: Disclosure) -> list[str]:
    """The letter's paragraphs as kept on the disclosure (none when the family is not told)."""
    return [p for p in disclosure.letter.split("\n\n") if p.strip()]


# A letter says "we are sharing": only for a disclosure that is, or is going ahead.
SHARING = (Disclosure.Status.SHARED, Disclosure.Status.APPROVED)


def is_told(disclosure: Disclosure) -> bool:
    """Whether the family is told of `disclosure`: it is shared (or approved to be), and a
    letter is kept for it."""
    return (
        disclosure.status in SHARING and disclosure.family_told and bool(paragraphs_of(disclosure))
    )


def with_responsibility(child: Person) -> list[Person]:
    """The people recorded with parental responsibility for `child` who live with them now
    (merged records left out), in the order recorded: the letter goes to the child's home,
    so a parent living elsewhere is not named on it; none at home, []."""
    holders = with_parental_responsibility(child)
    homes = HouseholdMember.objects.current().filter(person=child).values("household")
    at_home = set(
        HouseholdMember.objects.current()
        .filter(household__in=homes, person__in=holders)
        .values_list("person_id", flat=True)
    )
    return [p for p in holders if p.pk in at_home]


def address_lines(person: Person) -> list[str]:
    """The person's current address as lines (the newest they have not moved out of, else
    their current household's); none recorded, []."""
    home = (
        PersonAddress.objects.filter(person=person, moved_out__isnull=True)
        .select_related("address")
        .order_by("-moved_in", "-pk")
        .first()
    )
    address = home.address if home else None
    if address is None:
        member = (
            HouseholdMember.objects.current()
            .filter(person=person)
            .select_related("household__address")
            .order_by("-pk")
            .first()
        )
        address = member.household.address if member else None
    if address is None:
        return []
    return [p for p in (address.line_1, address.line_2, address.town, address.postcode) if p]


def _is_child(policy: Policy, person: Person, on: date) -> bool:
    """Whether a letter about `person` goes to their parents: under the policy's age; with no
    date of birth, if they are a child on a case (the child identifier's rule counts an
    unknown age as a child, which would write to an adult's "parent or carer")."""
    if person.date_of_birth is not None:
        return identifier.is_child(policy, person, on)
    return CaseMember.objects.filter(person=person, role=CaseRole.CHILD).exists()


def letter_of(policy: Policy, disclosure: Disclosure, on: date, reader: User) -> Letter:
    """The disclosure's letter laid out to print on `on` by `reader`. A parent restricted
    from the reader is not named (need-to-know): the letter then goes to "the parent or
    carer of" the child, as when no one with parental responsibility lives with them."""
    person = disclosure.person
    addressees: list[Person] = []
    to = dear = person.full_name
    if _is_child(policy, person, on):
        addressees = [p for p in with_responsibility(person) if not is_restricted_from(reader, p)]
        to = dear = join_words(p.full_name for p in addressees)
        if not addressees:
            to, dear = f"The parent or carer of {person.full_name}", "parent or carer"
    controller = policy.controller
    return Letter(
        council=[controller.name, *controller.address, controller.postcode],
        to=to,
        dear=dear,
        address=address_lines(person),
        day=day_words(on),
        reference=str(disclosure.public_id),
        paragraphs=paragraphs_of(disclosure),
        signed=[policy.service_name, controller.name],
        addressees=addressees,
    )
