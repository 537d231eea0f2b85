"""Disclosures written directly (no audit events), for the role-by-route matrix, the
every-look and restriction walks, and the form-wide checks in tests/web."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.packages.models import ProtectedPackage
from earlyhelp.people.models import Person
from earlyhelp.sharing.models import DisclosedItem, Disclosure

MAKER = "discloser"


def a_disclosure(person: Person, maker: User, status: str = Disclosure.Status.SHARED) -> Disclosure:
    """A disclosure of `status` about `person` to a school, made by `maker`, with one item."""
    waiting = status in (Disclosure.Status.WAITING, Disclosure.Status.APPROVED)
    disclosure = Disclosure.objects.create(
        person=person,
        status=status,
        recipient="education" if not waiting else "criminal-justice",
        agreement="notice-education" if not waiting else "notice-criminal-justice",
        purpose="best-interests-and-health",
        lawful_basis="UK GDPR Article 6(1)(e)",
        categories=["identity-and-contact"],
        policy_version="test",
        family_told=not waiting,
        letter="" if waiting else "We are writing to tell you.",
        exemption="asking-police-for-information" if waiting else "",
        exemption_reason="Police enquiry" if waiting else "",
        created_by=maker,
    )
    DisclosedItem.objects.create(
        disclosure=disclosure,
        record_model="people.Person",
        record_id=str(person.pk),
        label="Person",
        categories=["identity-and-contact"],
    )
    return disclosure


def a_packaged_disclosure(person: Person, maker: User) -> Disclosure:
    """A disclosure about `person` sent as a protected package whose link still works (the
    package's row only: no file is kept)."""
    disclosure = a_disclosure(person, maker)
    disclosure.method = Disclosure.Method.PROTECTED_PACKAGE
    disclosure.save(update_fields=["method"])
    package = ProtectedPackage.objects.create(
        kind=ProtectedPackage.Kind.DISCLOSURE,
        owner_public_id=disclosure.public_id,
        token_sha256=secrets.token_hex(32),
        file_name="disclosure.pdf",
        expires_at=timezone.now() + timedelta(days=1),
        made_by=maker,
        how="By secure email",
        reason=f"Disclosure {disclosure.public_id}",
    )
    package.people.set([person])
    return disclosure


def _maker() -> User:
    return User.objects.filter(username=MAKER).first() or User.objects.create_user(
        username=MAKER, first_name="Dee"
    )


def matrix_disclosure(records: dict, status: str = Disclosure.Status.SHARED) -> str:
    """For the route walks: the public id of a disclosure about the records' person (made
    by someone other than whoever asks, so a manager may decide it)."""
    person = Person.objects.get(public_id=records.get("person") or records.get("person_id"))
    return str(a_disclosure(person, _maker(), status).public_id)


def sharing_form_pages(
    practitioner: Client, manager: Client, person: Person
) -> list[tuple[str, Client, str]]:
    """(name, client, url) of the sharing pages with a form, as their role sees them."""
    waiting = a_disclosure(person, _maker(), Disclosure.Status.WAITING)
    approved = a_disclosure(person, _maker(), Disclosure.Status.APPROVED)
    packaged = a_packaged_disclosure(person, _maker())
    return [
        ("sharing: share", practitioner, reverse("sharing:share", args=[person.public_id])),
        (
            "sharing: not shared",
            practitioner,
            reverse("sharing:not_shared", args=[person.public_id]),
        ),
        ("sharing: decide", manager, reverse("sharing:decide", args=[waiting.public_id])),
        ("sharing: sent", practitioner, reverse("sharing:sent", args=[approved.public_id])),
        (
            "sharing: family told",
            practitioner,
            reverse("sharing:family_told", args=[a_disclosure(person, _maker()).public_id]),
        ),
        (
            "sharing: send as a protected package",
            practitioner,
            reverse("sharing:send_package", args=[approved.public_id]),
        ),
        (
            "sharing: withdraw the link",
            practitioner,
            reverse("sharing:withdraw_link", args=[packaged.public_id]),
        ),
        (
            "sharing: make a new link",
            practitioner,
            reverse("sharing:new_link", args=[packaged.public_id]),
        ),
    ]
