import re
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import get_valid_filename
from django.views.decorators.http import require_http_methods, require_safe

from earlyhelp.access.decorators import role_required
from earlyhelp.access.guards import (
    audit_case_page,
    audit_look,
    audit_looks,
    audit_people_shown,
    people_shown,
    refused,
    with_case,
    with_case_to_change,
    with_person_to_change,
)
from earlyhelp.access.roles import CASEWORK, Role
from earlyhelp.access.rules import (
    Access,
    case_access,
    case_accesses,
    is_restricted_from,
    manages_team_of,
    who_to_ask,
)
from earlyhelp.cases import case_notes, caseload, documents, plans
from earlyhelp.cases.choices import CaseRole, service_choices, service_name, service_telling_nothing
from earlyhelp.cases.forms import AllocationForm, ContactForm, DocumentForm, OpenCaseForm
from earlyhelp.cases.models import (
    Allocation,
    Assessment,
    Case,
    CaseMember,
    Contact,
    Document,
    GoalProgress,
    Need,
    Plan,
    PlanAction,
    PlanGoal,
    PlanReview,
)
from earlyhelp.cases.services import (
    AllocationRefused,
    add_document_as,
    allocatable_workers,
    allocate_case_as,
    mark_allocation_seen,
    open_case_as,
    record_contact_as,
)
from earlyhelp.datamap.registry import categories_of
from earlyhelp.people.models import Address, Household, Person
from earlyhelp.people.moves import current_household
from earlyhelp.policy.active import active_policy
from earlyhelp.rights.processing import restriction_in_force
from earlyhelp.web.once import submitted_once

# What each page shows, by model: its audit events record these models' categories
# (datamap.registry.categories_of), never a list typed here.
# A case page: the case, its family and people, assessments, plans, contacts and documents.
CASE_PAGE = (
    Case,
    CaseMember,
    Allocation,
    Person,
    Household,
    Address,
    Assessment,
    Need,
    Plan,
    PlanGoal,
    PlanAction,
    PlanReview,
    GoalProgress,
    Contact,
    Document,
)
# A person offered on the open-a-case form: their name and age.
PERSON_LISTED = (Person,)
# The case page lists the latest contacts, and links to all of them a page at a time.
LATEST_CONTACTS = 10
CONTACTS_PAGE = 25
# The case's contacts, listed: the case and its people, and each contact's note.
CONTACTS_SHOWN = (Case, CaseMember, Person, Contact)


@role_required(*CASEWORK)
@require_safe
@with_case
def case_detail(request: HttpRequest, case: Case) -> HttpResponse:
    access = request.record_access
    members = list(case.members.select_related("person").order_by("pk"))
    notes = case_notes.notes_for(request.user, case)
    # Special category notes' categories only when the page shows one (cases.case_notes).
    shown = sorted({*categories_of(*CASE_PAGE), *notes.categories})
    audit_look(request, access, "case", case.public_id, shown, page="case")
    # The case's notes and plans are about everyone on it.
    audit_people_shown(request, access, [m.person for m in members], shown, "case")
    if not access.emergency:
        mark_allocation_seen(case, request.user)
    context = {
        "case": case,
        "service": service_name(case.service),
        "members": members,
        "assessments": case.assessments.order_by("-started"),
        # The first is the latest (plans.with_next_review's order); the others are
        # superseded by it.
        "plans": case.plans.prefetch_related("goals").order_by("-agreed", "-pk"),
        "contacts": case.contacts.order_by("-occurred_at")[:LATEST_CONTACTS],
        "contact_count": case.contacts.count(),
        "documents": case.documents.order_by("-recorded_at"),
        "case_notes": notes,
        "allocations": case.allocations.select_related("worker", "allocated_by").order_by(
            "-allocated_at"
        ),
        "can_allocate": (
            not access.emergency and case.is_open and manages_team_of(request.user, case)
        ),
    }
    return render(request, "cases/case.html", context)


@role_required(*CASEWORK)
@require_safe
@with_case
def case_contacts(request: HttpRequest, case: Case) -> HttpResponse:
    """Every contact of the case, newest first, a page at a time (the case page shows the
    latest ten). The look is recorded against the case and everyone on it."""
    contacts = case.contacts.select_related("author").order_by("-occurred_at", "-pk")
    page = Paginator(contacts, CONTACTS_PAGE).get_page(request.GET.get("page"))
    audit_case_page(request, case, "case", case.public_id, CONTACTS_SHOWN, "case-contacts")
    return render(request, "cases/case_contacts.html", {"case": case, "page": page})


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_case_to_change
@submitted_once
def add_contact(request: HttpRequest, case: Case) -> HttpResponse:
    people = [member.person for member in case.members.select_related("person").order_by("pk")]
    form = ContactForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            record_contact_as(
                request,
                case,
                kind=form.cleaned_data["kind"],
                occurred_at=form.occurred_at(),
                note=form.cleaned_data["note"],
                people_present=form.present(),
            )
        except ValueError as problem:
            form.add_error("occurred_on", str(problem).partition(": ")[2])
        else:
            messages.success(request, "Contact recorded")
            if case.household_id:
                return redirect(
                    "people:household_chronology", household_id=case.household.public_id
                )
            return redirect("cases:case", case_id=case.public_id)
    return render(request, "cases/add_contact.html", {"case": case, "form": form})


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_case_to_change
@submitted_once
def add_document(request: HttpRequest, case: Case) -> HttpResponse:
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        add_document_as(
            request,
            case,
            upload=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            content_type=form.content_type,
        )
        messages.success(request, "Document added")
        return redirect("cases:case", case_id=case.public_id)
    return render(request, "cases/add_document.html", {"case": case, "form": form})


def download_name(title: str, extension: str) -> str:
    """A safe file name from a document's title: "Plan, May 2026" -> "Plan_May_2026.pdf".

    Letters (any alphabet), digits, "-", "_" and "." survive; at most 100 characters
    before the extension, which is added unless the title already ends with it.
    """
    stem = get_valid_filename_or_empty(title)
    if extension and stem.lower().endswith(extension):
        stem = stem[: -len(extension)]
    return f"{stem[:100].strip('._-') or 'document'}{extension}"


def get_valid_filename_or_empty(text: str) -> str:
    # Django's rule (word characters, "-" and "."), with runs of spaces as one "_".
    try:
        return get_valid_filename(re.sub(r"[\s_\u2013\u2014]+", " ", text).strip())
    except SuspiciousFileOperation:  # nothing left of it, or only dots
        return ""


@role_required(*CASEWORK)
@require_safe
def download_document(request: HttpRequest, document_id) -> HttpResponse:
    document = get_object_or_404(Document.objects.select_related("case"), public_id=document_id)
    access = case_access(request, document.case)
    if not access.allowed:
        return refused(request, None, access, "document", document.public_id)
    try:
        # Decrypted and checked whole before anything is sent or recorded as seen.
        content = documents.open_document(document.sha256)
    except documents.DocumentUnavailable as problem:
        context = {"document": document, "reason": problem.reason}
        return render(request, "cases/document_missing.html", context, status=410)
    shown = categories_of(Document)
    audit_look(request, access, "document", document.public_id, shown, page="document")
    # A case's documents are about the people on it.
    members = Person.objects.filter(case_memberships__case=document.case).distinct()
    audit_people_shown(request, access, members, shown, "document")
    extension = next(
        (ext for ext, kind in documents.EXTENSIONS.items() if kind == document.content_type), ""
    )
    response = FileResponse(
        content,
        as_attachment=True,
        # Named by its title, as the worker knows it. The name travels only in this
        # response's header (never in the address, which is what logs keep).
        filename=download_name(document.title, extension),
        content_type=document.content_type,
    )
    response["Content-Length"] = document.size
    response["Cache-Control"] = "no-store"
    return response


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_person_to_change
@submitted_once
def open_case_view(request: HttpRequest, person: Person) -> HttpResponse:
    """Open a case for a child and the household they live in."""
    household = current_household(person)
    living_here = (
        # Who lives there now: someone who left is neither offered nor put on the case.
        list(household.current_members().select_related("restriction")) if household else [person]
    )
    # A restricted member is neither shown nor put on the case by someone it excludes.
    people = [p for p in living_here if not is_restricted_from(request.user, p)]
    withheld = [who_to_ask(p) for p in living_here if p not in people]
    audit_people_shown(
        request, request.record_access, people, categories_of(*PERSON_LISTED), "open-case"
    )
    teams = list(request.user.teams.order_by("name"))
    # A case is about the children and young people among them; the adults are family.
    until = active_policy().casework.young_person_until_age
    on = date.today()
    # A person whose data is restricted from processing (UK GDPR Article 18) is not put on
    # a new case: the case opens for the others, and the page says who was left off.
    restricted = [p for p in people if restriction_in_force(p) is not None]
    people = [p for p in people if p not in restricted]
    young = [p for p in people if p.date_of_birth is None or p.age_on(on) < until]
    form = OpenCaseForm(request.POST or None, services=service_choices(), teams=teams, people=young)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        children = [form.people[key] for key in data["children"]]
        case = open_case_as(
            request,
            service=data["service"],
            household=household,
            children=children,
            family=[p for p in people if p not in children],
            reason=data["reason"],
            team=next(t for t in teams if str(t.pk) == data["team"]),
            started=data["started"],
            created_by=request.user,
            allocated_worker=request.user if request.user.has_role(Role.PRACTITIONER) else None,
        )
        messages.success(request, "Case opened")
        for left_off in restricted:
            messages.info(
                request,
                f"{left_off.full_name} was not added: their record is restricted from processing",
            )
        return redirect("cases:case", case_id=case.public_id)
    return render(
        request,
        "cases/open_case.html",
        {
            "person": person,
            "form": form,
            "teams": teams,
            "withheld": withheld,
            "no_young_people": not young,
            "until": until,
        },
    )


# A work list row: the children's names, the case's service and team, its last contact
# and its plan's next review.
WORK_LIST_ROW = (Person, Case, Contact, Plan)
# A new allocation on the home page also shows who allocated it and why.
NEW_ALLOCATION_ROW = (Person, Case, Allocation)


def _children_of(cases: list[Case]) -> dict[int, list[Person]]:
    """{case pk: the children the case is about, by name}, in one query."""
    children: dict[int, list[Person]] = {case.pk: [] for case in cases}
    members = (
        CaseMember.objects.filter(case__in=cases, role=CaseRole.CHILD)
        .select_related("person")
        .order_by("person__family_name", "person__given_name")
    )
    for member in members:
        children[member.case_id].append(member.person)
    return children


def _rows(request: HttpRequest, cases: list[Case], shown: tuple, page: str) -> list[dict]:
    """Each case of a list under the case rule (need-to-know per row), with its children;
    each look audited against every child named. A row the reader may not open names
    no one.

    Shapes: {"case", "allowed", "restricted", "ask", "children", "contact_overdue",
    "review_overdue"}.
    """
    today = date.today()
    overdue_before = caseload.contact_overdue_before(today)
    children = _children_of(cases)
    categories = categories_of(*shown)
    rows, looks = [], []
    accesses = case_accesses(request, cases)
    for case in cases:
        access = accesses[case.pk]
        named = children[case.pk] if access.allowed else []
        looks += people_shown(access, named, categories, page)
        last = getattr(case, "last_contact", None)
        since = last.date() if last else case.started
        review = getattr(case, "next_plan_review", None)
        rows.append(
            {
                "case": case,
                "allowed": access.allowed,
                "restricted": access.restricted,
                "ask": access.ask,
                "children": named,
                # A row not open to the reader names a service that reveals special category
                # or offence data only by the service it belongs to (as `holders` does).
                "service": (
                    service_name(case.service)
                    if access.allowed
                    else service_telling_nothing(case.service) or service_name(case.service)
                ),
                "contact_overdue": since < overdue_before,
                "review_overdue": plans.is_overdue(review, today),
            }
        )
    audit_looks(request, looks)
    return rows


def work_list_context(request: HttpRequest, slug: str, count: int | None = None) -> dict:
    """What a work list shows: one sorted page of its rows, with the sort in force and
    the list's count (`count` when the caller has it from caseload.counts). The sort and
    page come from the address (?sort=&order=&page=)."""
    cases = caseload.work_list(request.user, slug, date.today())
    descending = request.GET.get("order") == "desc"
    page, sort = caseload.sorted_page(
        cases.select_related("team", "allocated_worker"),
        request.GET.get("sort", ""),
        descending,
        request.GET.get("page"),
        count,
    )
    return {
        "work_list": caseload.WORK_LISTS[slug],
        "page": page,
        "rows": _rows(request, list(page.object_list), WORK_LIST_ROW, "work-list"),
        "sort": sort,
        "sort_columns": caseload.SORT_COLUMNS,
        "descending": descending,
        "count": page.paginator.count,
        "overdue_after_days": active_policy().casework.contact_overdue_after_days,
    }


def new_allocations_context(request: HttpRequest) -> list[dict]:
    """The allocations to the reader not yet opened, each under the case rule."""
    allocations = list(caseload.new_allocations(request.user)[: caseload.PAGE_SIZE])
    rows = _rows(request, [a.case for a in allocations], NEW_ALLOCATION_ROW, "new-allocations")
    for row, allocation in zip(rows, allocations, strict=True):
        row["allocation"] = allocation
    return rows


@role_required(*CASEWORK)
@require_safe
def work_list_view(request: HttpRequest, list_name: str) -> HttpResponse:
    """One work list, whole: sortable, a page at a time. A manager's team lists are
    refused to a practitioner."""
    kind = caseload.WORK_LISTS.get(list_name)
    if kind is None:
        raise Http404("No such list")
    if kind not in caseload.lists_for(request.user):
        raise PermissionDenied("Only a team manager has the team's lists")
    context = work_list_context(request, list_name)
    context["lists"] = caseload.lists_for(request.user)
    return render(request, "cases/work_list.html", context)


@role_required(Role.TEAM_MANAGER)
@require_http_methods(["GET", "HEAD", "POST"])
@with_case_to_change
@submitted_once
def allocate(request: HttpRequest, case: Case) -> HttpResponse:
    """A manager of the case's team allocates it to a worker of the team, with a reason."""
    if not manages_team_of(request.user, case):
        return refused(request, None, Access(False), "case", case.public_id, case=case)
    workers = allocatable_workers(case)
    form = AllocationForm(request.POST or None, workers=workers, current=case.allocated_worker)
    if request.method == "POST" and form.is_valid():
        try:
            allocation = allocate_case_as(
                request, case, worker=form.chosen_worker(), reason=form.cleaned_data["reason"]
            )
        except AllocationRefused as problem:
            field, _, message = str(problem).partition(": ")
            form.add_error(field if field in form.fields else None, message)
        else:
            who = allocation.worker.get_full_name() if allocation.worker else "no one"
            messages.success(request, f"Case allocated to {who}")
            return redirect("cases:case", case_id=case.public_id)
    return render(request, "cases/allocate.html", {"case": case, "form": form})
