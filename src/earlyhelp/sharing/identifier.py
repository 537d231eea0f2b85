"""The consistent identifier for children on a disclosure (Children Act 2004 s.16LC, inserted
by the Children's Wellbeing and Schools Act 2026: the NHS number).

Every disclosure about a child carries the child's NHS number where the person's record
holds one, and records that it was not known where it does not; a disclosure about an
adult records that it is not about a child. Who counts as a child is the policy's
(retention.adult_from_age); a person whose age is not known is treated as a child, so the
identifier is never left off a child's disclosure for want of a date of birth. What the
page, the letter and the package say comes from the policy (sharing.child_identifier).
"""

from __future__ import annotations

from datetime import date

from earlyhelp.people.identifiers import format_nhs_number
from earlyhelp.people.models import Person
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.decisions import retention_subject_for_age
from earlyhelp.policy.schema import Policy


def is_child(policy: Policy, person: Person, on: date) -> bool:
    """Whether `person` is a child on `on` by the policy's age (unknown age: yes)."""
    age = person.age_on(on)
    return age is None or retention_subject_for_age(policy, age) == "child"


def identifier_of(person: Person, on: date) -> tuple[str, str]:
    """(ChildIdentifier value, NHS number digits or "") for a disclosure about `person`
    made on `on`."""
    from earlyhelp.sharing.models import ChildIdentifier  # the models call this on save

    if not is_child(active_policy(), person, on):
        return ChildIdentifier.NOT_A_CHILD, ""
    if person.nhs_number:
        return ChildIdentifier.CARRIED, person.nhs_number
    return ChildIdentifier.NOT_KNOWN, ""


def identifier_words(policy: Policy, status: str, nhs_number: str) -> str:
    """What a page, letter or package says about the child's identifier: "NHS number:
    943 476 5919", the policy's words for one not known, or "" (not about a child, or a
    disclosure made before identifiers were recorded)."""
    from earlyhelp.sharing.models import ChildIdentifier

    rule = policy.sharing.child_identifier
    name = rule.name if rule else "NHS number"
    if status == ChildIdentifier.CARRIED and nhs_number:
        return f"{name}: {format_nhs_number(nhs_number)}"
    if status == ChildIdentifier.NOT_KNOWN:
        return rule.not_known_words if rule else f"The child's {name} was not known."
    return ""


def letter_paragraph(policy: Policy, person: Person, on: date) -> list[str]:
    """The letter's paragraph naming the child's identifier, where the policy says the
    letter names it (sharing.child_identifier.in_letter); else nothing."""
    rule = policy.sharing.child_identifier
    if rule is None or not rule.in_letter:
        return []
    status, number = identifier_of(person, on)
    words = identifier_words(policy, status, number)
    return [words] if words else []


def package_words(policy: Policy, disclosure) -> str:
    """The line the recipient's package carries about the child's identifier, where the
    policy says the package names it (sharing.child_identifier.in_package); else ""."""
    rule = policy.sharing.child_identifier
    if rule is None or not rule.in_package:
        return ""
    return identifier_words(policy, disclosure.child_identifier, disclosure.child_nhs_number)
