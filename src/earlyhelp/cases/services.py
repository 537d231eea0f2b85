"""What staff do to cases, as functions the web pages, the generator and the benchmarks share.

open_case and record_contact write without an audit event (the generator and the tests
call them); a page calls the `..._as` function instead, which writes the same rows and
the page's audit event in one transaction, so a write that fails leaves neither.
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.access.roles import CASEWORK
from earlyhelp.access.rules import is_restricted_from, manages_team_of
from earlyhelp.audit.log import record
from earlyhelp.cases import documents
from earlyhelp.cases.choices import service_choices
from earlyhelp.cases.corrections import contact_time_error
from earlyhelp.cases.models import Allocation, Case, CaseMember, Contact, Document, Team
from earlyhelp.datamap.registry import categories_of
from earlyhelp.people.models import Household, Person


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


@transaction.atomic
def open_case_as(request: HttpRequest, **fields) -> Case:
    """open_case (with its keyword arguments), as the requesting user: one "create" event
    against the case, with the categories of the case and its members.

    Raises ValueError for a service not in the policy, with nothing written.
    """
    case = open_case(**fields)
    record(
        request,
        action="create",
        record_type="case",
        record_id=case.public_id,
        categories=categories_of(Case, CaseMember),
    )
    return case


@transaction.atomic
def record_contact_as(request: HttpRequest, case: Case, **fields) -> Contact:
    """record_contact on `case` (with its other keyword arguments), written by the
    requesting user: one "create" event against the contact, naming the case.

    Raises ValueError "occurred_at: ..." for a contact that cannot have happened then
    (corrections.contact_time_error: after today, before the case opened, or after a
    closed case closed; one made before it closed may still be written up late), with
    nothing written.
    """
    fields["people_present"] = list(fields.get("people_present", ()))
    problem = contact_time_error(case, fields["occurred_at"], fields["people_present"])
    if problem:
        raise ValueError(problem)
    contact = record_contact(case=case, author=request.user, **fields)
    record(
        request,
        action="create",
        record_type="contact",
        record_id=str(contact.public_id),
        categories=categories_of(Contact),
        details={"case": str(case.public_id)},
    )
    return contact


def add_document_as(
    request: HttpRequest,
    case: Case,
    *,
    upload: UploadedFile,
    kind: str,
    title: str,
    content_type: str,
) -> Document:
    """Store `upload` encrypted (cases.documents.store) and record it on `case`, added by
    the requesting user: one "create" event against the document, naming the case.

    The file is stored first, named by its SHA-256: if the row is then refused, nothing
    names the file, and the same upload later is stored under the same name again.
    """
    sha256, size = documents.store(upload)
    with transaction.atomic():
        document = Document.objects.create(
            case=case,
            author=request.user,
            kind=kind,
            title=title,
            content_type=content_type,
            size=size,
            sha256=sha256,
        )
        record(
            request,
            action="create",
            record_type="document",
            record_id=str(document.public_id),
            categories=categories_of(Document),
            details={"case": str(case.public_id)},
        )
    return document


class AllocationRefused(ValueError):
    """An allocation the rules do not allow; the message names the field and the rule."""


def allocatable_workers(case: Case) -> list[User]:
    """Who a case may be allocated to: the active members of its team who do casework,
    by name. A worker a restriction on someone on the case does not name is left out."""
    members = list(case.members.select_related("person__restriction"))
    workers = []
    for user in case.team.members.filter(is_active=True).order_by("first_name", "last_name"):
        if not user.has_role(*CASEWORK):
            continue
        if any(is_restricted_from(user, member.person) for member in members):
            continue
        workers.append(user)
    return workers


@transaction.atomic
def allocate_case_as(request: HttpRequest, case: Case, *, worker: User | None, reason: str):
    """Allocate `case` to `worker` (None: back to unallocated), by the requesting manager,
    with `reason`: the case's worker changes, the allocation is kept as history, and one
    "update" event is recorded against the case. The worker sees it on their home page.

    Raises AllocationRefused (nothing written) for someone who is not a manager of the
    case's team, a closed case, a worker not in allocatable_workers(case), the worker it is
    allocated to already, or no reason.
    """
    # Locked so two managers allocating at once leave one history, not two crossed ones.
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not manages_team_of(request.user, case):
        raise AllocationRefused(f"allocated_by: a manager of {case.team.name} allocates its cases")
    if not case.is_open:
        raise AllocationRefused("case: a closed case cannot be allocated; reopen it first")
    if not reason.strip():
        raise AllocationRefused("reason: enter why the case is allocated to this worker")
    if worker is not None and worker not in allocatable_workers(case):
        raise AllocationRefused(
            f"worker: {worker.get_full_name() or worker.get_username()} is not a worker of "
            f"{case.team.name} who may open this family's records"
        )
    if worker == case.allocated_worker:
        who = worker.get_full_name() if worker else "no one"
        raise AllocationRefused(f"worker: the case is already allocated to {who}")
    allocation = Allocation.objects.create(
        case=case, worker=worker, allocated_by=request.user, reason=reason.strip()
    )
    case.allocated_worker = worker
    case.save(update_fields=["allocated_worker"])
    record(
        request,
        action="allocate",
        record_type="case",
        record_id=case.public_id,
        categories=categories_of(Allocation),
        details={"allocation": str(allocation.public_id)},
    )
    return allocation


def mark_allocation_seen(case: Case, user: User) -> int:
    """The worker has opened the case: their allocations to it are no longer new.
    Returns how many were marked."""
    return Allocation.objects.filter(case=case, worker=user, seen_at__isnull=True).update(
        seen_at=timezone.now()
    )
