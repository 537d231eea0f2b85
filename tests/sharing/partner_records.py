"""Partners' requests and emergency shares written directly (no audit events), for the
role-by-route matrix and the form-wide checks in tests/web."""

from __future__ import annotations

from datetime import date, timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.people.models import Person
from earlyhelp.sharing.models import Disclosure, PartnerRequest, Relocation
from tests.sharing.sharing_records import a_disclosure

LOGGER = "partner-logger"


def _logger() -> User:
    return User.objects.filter(username=LOGGER).first() or User.objects.create_user(
        username=LOGGER, first_name="Lou"
    )


def a_partner_request(person: Person, logger: User, approval: str) -> PartnerRequest:
    """An open request from the police about `person`, logged by `logger`, with `approval`."""
    return PartnerRequest.objects.create(
        person=person,
        recipient="criminal-justice",
        organisation="Metropolitan Police",
        requester="DC Rowe",
        requester_contact="rowe@police.example",
        basis="crime-and-taxation",
        basis_law="Data Protection Act 2018 Schedule 2 paragraph 2",
        form_reference="DP-1",
        asked="Dates of contact",
        received_on=date(2026, 11, 2),
        due_on=date(2026, 11, 16),
        policy_version="test",
        logged_by=logger,
        approval=approval,
    )


def an_emergency_share(person: Person, maker: User) -> Disclosure:
    """A disclosure about `person` shared first in an emergency, awaiting approval."""
    disclosure = a_disclosure(person, maker)
    Disclosure.objects.filter(pk=disclosure.pk).update(
        emergency=True,
        emergency_reason="At risk tonight",
        approval_due_at=timezone.now() + timedelta(hours=24),
    )
    disclosure.refresh_from_db()
    return disclosure


def matrix_partner_request(records: dict, approval: str = PartnerRequest.Approval.WAITING) -> str:
    """For the route walks: the public id of a request about the records' person."""
    person = Person.objects.get(public_id=records.get("person") or records.get("person_id"))
    return str(a_partner_request(person, _logger(), approval).public_id)


def matrix_emergency(records: dict) -> str:
    """For the route walks: the public id of an emergency share about the records' person."""
    person = Person.objects.get(public_id=records.get("person") or records.get("person_id"))
    return str(an_emergency_share(person, _logger()).public_id)


def partner_form_pages(
    practitioner: Client, manager: Client, person: Person
) -> list[tuple[str, Client, str]]:
    """(name, client, url) of the partners' request, transfer and emergency pages with a
    form, as their role sees them."""
    waiting = a_partner_request(person, _logger(), PartnerRequest.Approval.WAITING)
    approved = a_partner_request(person, _logger(), PartnerRequest.Approval.APPROVED)
    urgent = an_emergency_share(person, _logger())
    Relocation.objects.create(
        person=person,
        country="CA",
        country_name="Canada",
        receiving_authority="Children's Aid Society of Toronto",
        moved_on=date(2026, 11, 20),
        recorded_by=_logger(),
    )
    on = person.public_id
    return [
        (
            "sharing: log partner request",
            practitioner,
            reverse("sharing:log_partner_request", args=[on]),
        ),
        (
            "sharing: approve partner request",
            manager,
            reverse("sharing:approve_partner_request", args=[waiting.public_id]),
        ),
        (
            "sharing: answer partner request",
            practitioner,
            reverse("sharing:answer_partner_request", args=[approved.public_id]),
        ),
        (
            "sharing: refuse partner request",
            practitioner,
            reverse("sharing:refuse_partner_request", args=[approved.public_id]),
        ),
        ("sharing: move abroad", practitioner, reverse("sharing:relocation", args=[on])),
        ("sharing: share abroad", practitioner, reverse("sharing:share_abroad", args=[on])),
        ("sharing: emergency", practitioner, reverse("sharing:share_in_emergency", args=[on])),
        (
            "sharing: approve emergency",
            manager,
            reverse("sharing:approve_emergency", args=[urgent.public_id]),
        ),
    ]
