"""What staff do to cases, as functions the web pages, the generator and the benchmarks share."""

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction

from earlyhelp.access.models import User
from earlyhelp.cases.models import Case, CaseMember, Contact, Team
from earlyhelp.people.models import Household, Person
from earlyhelp.policy.active import active_policy


def service_choices() -> list[tuple[str, str]]:
    """Services and sub-services of the policy, as (id, name) for a form."""
    options = []
    for service in active_policy().services:
        options.append((service.id, service.name))
        options.extend((sub.id, f"{service.name}: {sub.name}") for sub in service.sub_services)
    return options


def service_name(service_id: str) -> str:
    return dict(service_choices()).get(service_id, service_id)


def service_telling_nothing(service_id: str) -> str | None:
    """For a sub-service whose cases reveal special category or criminal offence data by
    existing (the policy's `reveals`), the name of the service it belongs to, to show
    instead; None for any other service."""
    for service in active_policy().services:
        for sub in service.sub_services:
            if sub.id == service_id and sub.reveals:
                return service.name
    return None


@transaction.atomic
def open_case(
    *,
    service: str,
    household: Household | None,
    children: Iterable[Person],
    family: Iterable[Person] = (),
    reason: str,
    team: Team,
    started: date,
    created_by: User | None,
    allocated_worker: User | None = None,
) -> Case:
    if service not in dict(service_choices()):
        raise ValueError(f"service: {service!r} is not a service of the policy")
    case = Case.objects.create(
        service=service,
        household=household,
        reason=reason,
        team=team,
        started=started,
        created_by=created_by,
        allocated_worker=allocated_worker,
    )
    CaseMember.objects.bulk_create(
        [CaseMember(case=case, person=p, role="child") for p in children]
        + [CaseMember(case=case, person=p, role="family") for p in family]
    )
    return case


@transaction.atomic
def record_contact(
    *,
    case: Case,
    author: User | None,
    kind: str,
    occurred_at: datetime,
    note: str,
    people_present: Iterable[Person] = (),
) -> Contact:
    contact = Contact.objects.create(
        case=case, author=author, kind=kind, occurred_at=occurred_at, note=note
    )
    present = list(people_present)
    if present:
        contact.people_present.set(present)
    return contact
