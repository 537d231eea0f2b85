"""Pages for partners' requests (log, the open list, a request, its approval, answering it
by sharing or by not sharing), a child's move abroad and a share with the authority there,
and a share made first in a safeguarding emergency with a manager's approval after.

Thin views: the rules, the writes and their audit events are in sharing.partner_requests,
sharing.transfers and sharing.emergency. Each page showing a person's data records a look.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from earlyhelp.access.decorators import role_required
from earlyhelp.access.guards import audit_look, refused, with_person_to_change
from earlyhelp.access.roles import CASEWORK, Role
from earlyhelp.access.rules import Access, is_restricted_from, person_access
from earlyhelp.audit.log import record, record_many
from earlyhelp.datamap.registry import categories_of
from earlyhelp.people.models import Person
from earlyhelp.policy.active import active_policy
from earlyhelp.sharing import (
    countries,
    emergency,
    partner_forms,
    partner_requests,
    services,
    transfers,
)
from earlyhelp.sharing.forms import APPROVE, TELL
from earlyhelp.sharing.identifier import identifier_words
from earlyhelp.sharing.models import Disclosure, PartnerRequest
from earlyhelp.sharing.views import GOVERNANCE_RULE, described, reader_access
from earlyhelp.sharing.words import recipient_words
from earlyhelp.web.forms import add_refusal
from earlyhelp.web.once import submitted_once

FORM_PAGE = "sharing/partner_form.html"
LIST_PAGE = 50  # requests to a page of the list


def _categories() -> list[str]:
    return sorted(set(services.log_categories()) | set(categories_of(Person)))


def _share_args(data: dict) -> dict:
    """The share form's answers as sharing.services.share's keyword arguments."""
    return {
        "purpose": data["purpose"],
        "item_keys": data["items"],
        "tell_family": data["tell"] == TELL,
        "exemption": data.get("exemption") or "",
        "exemption_reason": data.get("exemption_reason") or "",
        "method": data.get("method") or "",
        "reference": data.get("reference") or "",
    }


def _form_page(request: HttpRequest, person: Person, form, **context) -> HttpResponse:
    return render(request, FORM_PAGE, {"person": person, "form": form, **context})


# --- partners' requests -------------------------------------------------------------------


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_person_to_change
@submitted_once
def log_partner_request(request: HttpRequest, person: Person) -> HttpResponse:
    """Log a request for the person's information received from a partner."""
    form = partner_forms.LogPartnerRequestForm(request.POST or None, policy=active_policy())
    if request.method == "POST" and form.is_valid():
        try:
            logged = partner_requests.log_request(request, person, **form.cleaned_data)
        except services.ShareRefused as problem:
            add_refusal(form, problem)
        else:
            messages.success(request, "Request from a partner logged")
            return redirect("sharing:partner_request", request_id=logged.public_id)
    return _form_page(
        request,
        person,
        form,
        heading="Log a request from a partner",
        intro="A partner (the police, another council, a school, health) asks for this "
        "person's information. The answer is due by the time the policy sets; some legal "
        "bases need an information governance officer's or team manager's approval before "
        "anything is shared.",
        button="Log the request",
    )


def _open_request(
    request: HttpRequest, request_id
) -> tuple[PartnerRequest, Access | None, HttpResponse | None]:
    """The request named in the URL and the reader's access to its person: casework access
    (the person's page's rule), or the IG officer's oversight (None)."""
    found = get_object_or_404(
        PartnerRequest.objects.select_related("person", "logged_by", "disclosure"),
        public_id=request_id,
    )
    return (found, *reader_access(request, found.person))


def _look(request: HttpRequest, person: Person, access: Access | None, page: str) -> None:
    if access is None:
        record(
            request,
            action="view",
            record_type="person",
            record_id=person.public_id,
            categories=_categories(),
            rule=GOVERNANCE_RULE,
            details={"page": page},
        )
    else:
        audit_look(request, access, "person", person.public_id, _categories(), page=page)


def _request_context(found: PartnerRequest) -> dict:
    policy = active_policy()
    return {
        "partner_request": found,
        "person": found.person,
        "group": recipient_words(policy, found.recipient),
        "overdue": found.overdue(),
    }


@role_required(*CASEWORK, Role.INFORMATION_GOVERNANCE)
@require_safe
def partner_request_detail(request: HttpRequest, request_id) -> HttpResponse:
    """A partner's request: who asked, on what basis, what, by when, and the answer."""
    found, access, refusal = _open_request(request, request_id)
    if refusal is not None:
        return refusal
    _look(request, found.person, access, "partner-request")
    may_answer = (
        found.status == PartnerRequest.Status.OPEN
        and access is not None
        and services.access_problem(request, found.person) is None
    )
    context = {
        **_request_context(found),
        "may_answer": may_answer,
        "may_approve": partner_requests.approval_problem(request.user, found) is None,
        "oversight": access is None,  # the IG officer: back to the list, not the person
    }
    return render(request, "sharing/partner_request.html", context)


@role_required(Role.INFORMATION_GOVERNANCE, Role.TEAM_MANAGER)
@require_safe
def partner_request_list(request: HttpRequest) -> HttpResponse:
    """The requests from partners the reader oversees, filtered (open by default: soonest
    due first, overdue marked; due this week, overdue, waiting for approval, answered ...;
    by the kind of organisation asking), with each filter's count, by pages."""
    policy = active_policy()
    today = timezone.localdate()
    found = partner_requests.listing(
        request.user,
        policy,
        show=request.GET.get("show", ""),
        group=request.GET.get("kind", ""),
        today=today,
    )
    page = Paginator(found.rows, LIST_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    # A person restricted from the reader is named only as "a restricted record", with
    # nothing of the request: its due date stays, so nothing falls due unseen.
    restricted = {row.pk for row in rows if is_restricted_from(request.user, row.person)}
    rule = (
        GOVERNANCE_RULE
        if request.user.has_role(Role.INFORMATION_GOVERNANCE)
        else "access:allocation"
    )
    seen = {row.person.pk: row.person for row in rows if row.pk not in restricted}
    record_many(
        request,
        [
            {
                "action": "view",
                "record_type": "person",
                "record_id": str(person.public_id),
                "categories": _categories(),
                "rule": rule,
                "details": {"page": "partner-requests"},
            }
            for person in seen.values()
        ],
    )
    shown = [
        {
            "row": row,
            "group": recipient_words(policy, row.recipient),
            "overdue": row.overdue(today),
            "restricted": row.pk in restricted,
        }
        for row in rows
    ]
    kept = {"show": found.show, "kind": found.group}
    context = {
        "rows": shown,
        "page": page,
        "counts": [
            (slug, partner_requests.SHOW[slug], found.counts[slug])
            for slug in partner_requests.COUNTED
        ],
        "filters": partner_requests.SHOW,
        "show": found.show,
        "shown_as": partner_requests.SHOW[found.show],
        "kinds": found.groups,
        "kind": found.group,
        "kind_as": found.groups[found.group],
        "week_end": partner_requests.end_of_week(today),
        "kept": urlencode(kept),
        "time_to_answer": partner_requests.time_to_answer_words(policy),
    }
    return render(request, "sharing/partner_requests.html", context)


@role_required(Role.INFORMATION_GOVERNANCE, Role.TEAM_MANAGER)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def approve_partner_request(request: HttpRequest, request_id) -> HttpResponse:
    """An IG officer or team manager approves or refuses answering a request by sharing."""
    found, access, refusal = _open_request(request, request_id)
    if refusal is not None:
        return refusal
    form = partner_forms.PartnerApprovalForm(request.POST or None)
    problem = partner_requests.approval_problem(request.user, found)
    if problem and request.method == "POST":
        add_refusal(form, problem)
    elif request.method == "POST" and form.is_valid():
        try:
            partner_requests.decide_approval(
                request,
                found,
                approve=form.cleaned_data["decision"] == APPROVE,
                note=form.cleaned_data["note"],
            )
        except services.ShareRefused as refused_problem:
            add_refusal(form, refused_problem)
        else:
            messages.success(request, "Decision recorded")
            return redirect("sharing:partner_request", request_id=found.public_id)
    _look(request, found.person, access, "partner-request-approval")
    return render(
        request,
        "sharing/partner_request_form.html",
        {
            **_request_context(found),
            "form": form,
            "heading": "Approve or refuse answering this request",
            "problem": problem,
            "button": "Save decision",
        },
    )


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def answer_partner_request(request: HttpRequest, request_id) -> HttpResponse:
    """Answer a request by sharing: the share form, to the requester's group."""
    found, access, refusal = _open_request(request, request_id)
    if refusal is not None:
        return refusal
    person = found.person
    policy = active_policy()
    items = services.items_of(person, request.user)
    form = partner_forms.ShareForm(
        request.POST or None, policy=policy, items=items, initial={"recipient": found.recipient}
    )
    form.fields["recipient"].choices = [
        c for c in form.fields["recipient"].choices if c[0] == found.recipient
    ]
    if request.method == "POST" and form.is_valid():
        try:
            partner_requests.answer_by_sharing(request, found, **_share_args(form.cleaned_data))
        except services.ShareRefused as problem:
            add_refusal(form, problem)
        else:
            messages.success(request, "Request answered by a disclosure")
            return redirect("sharing:partner_request", request_id=found.public_id)
    _look(request, person, access, "partner-request-answer")
    return render(
        request,
        "sharing/partner_request_form.html",
        {
            **_request_context(found),
            "form": form,
            "heading": "Answer by sharing",
            "button": "Share and record the answer",
        },
    )


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def refuse_partner_request(request: HttpRequest, request_id) -> HttpResponse:
    """Answer a request by not sharing, with the reason."""
    found, access, refusal = _open_request(request, request_id)
    if refusal is not None:
        return refusal
    form = partner_forms.AnswerByRefusingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partner_requests.answer_by_refusing(request, found, **form.cleaned_data)
        except services.ShareRefused as problem:
            add_refusal(form, problem)
        else:
            messages.success(request, "Decision not to share recorded")
            return redirect("sharing:partner_request", request_id=found.public_id)
    _look(request, found.person, access, "partner-request-refuse")
    return render(
        request,
        "sharing/partner_request_form.html",
        {
            **_request_context(found),
            "form": form,
            "heading": "Answer by not sharing",
            "button": "Record the decision",
        },
    )


# --- moves abroad and transfers ---------------------------------------------------------------


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_person_to_change
@submitted_once
def record_relocation(request: HttpRequest, person: Person) -> HttpResponse:
    """Record that a child has gone to live abroad, with the authority there."""
    form = partner_forms.RelocationForm(request.POST or None, policy=active_policy())
    if request.method == "POST" and form.is_valid():
        try:
            transfers.record_relocation(request, person, **form.cleaned_data)
        except services.ShareRefused as problem:
            add_refusal(form, problem)
        else:
            messages.success(request, "Move abroad recorded")
            return redirect("sharing:share_abroad", person_id=person.public_id)
    return _form_page(
        request,
        person,
        form,
        heading="Record a move abroad",
        intro="Information goes abroad only when a child goes to live in another country, "
        "through the authority there the council liaises with.",
        button="Record the move",
    )


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_person_to_change
@submitted_once
def share_abroad(request: HttpRequest, person: Person) -> HttpResponse:
    """Share with an authority abroad, relying on a recorded move, by a route the policy
    gives; recorded as a transfer."""
    policy = active_policy()
    items = services.items_of(person, request.user)
    moves = list(transfers.relocations_of(person))
    form = partner_forms.ShareAbroadForm(
        request.POST or None, policy=policy, items=items, relocations=moves
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = next((m for m in moves if str(m.public_id) == data.get("relocation")), None)
        try:
            disclosure = transfers.share_abroad(
                request,
                person,
                country=chosen.country if chosen else "",
                route=data["route"],
                relocation=chosen,
                recipient=data["recipient"],
                **_share_args(data),
            )
        except services.ShareRefused as problem:
            add_refusal(form, problem)
        else:
            messages.success(request, "Transfer abroad recorded")
            return redirect("sharing:disclosure", disclosure_id=disclosure.public_id)
    shown = {c for item in items for c in item.categories}
    audit_look(
        request,
        request.record_access,
        "person",
        person.public_id,
        sorted(shown | set(_categories())),
        page="share-abroad",
    )
    return _form_page(
        request,
        person,
        form,
        heading="Share with an authority abroad",
        intro="Only where the privacy notice allows it: the child's move recorded with the "
        "authority there, and a route UK law gives for the transfer.",
        button="Record the transfer",
        extra_link=("sharing:relocation", "Record a move abroad first"),
    )


# --- a safeguarding emergency -----------------------------------------------------------------


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_person_to_change
@submitted_once
def share_in_emergency(request: HttpRequest, person: Person) -> HttpResponse:
    """Share first in a safeguarding emergency; a team manager approves afterwards."""
    policy = active_policy()
    items = services.items_of(person, request.user)
    form = partner_forms.EmergencyShareForm(request.POST or None, policy=policy, items=items)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            disclosure = emergency.share_in_emergency(
                request,
                person,
                emergency_reason=data["emergency_reason"],
                recipient=data["recipient"],
                **_share_args(data),
            )
        except services.ShareRefused as problem:
            add_refusal(form, problem)
        else:
            messages.success(request, "Shared; a team manager's approval is due")
            return redirect("sharing:disclosure", disclosure_id=disclosure.public_id)
    shown = {c for item in items for c in item.categories}
    audit_look(
        request,
        request.record_access,
        "person",
        person.public_id,
        sorted(shown | set(_categories())),
        page="share-in-emergency",
    )
    hours = policy.sharing.emergency_approval_within_hours
    return _form_page(
        request,
        person,
        form,
        heading="Share in a safeguarding emergency",
        intro=(
            f"The information leaves now; a team manager must approve within {hours} hours. "
            "Until then it is flagged on the managers' queue."
            if hours
            else "The policy gives no emergency route: share through the usual page."
        ),
        button="Share now",
    )


@role_required(Role.TEAM_MANAGER)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def approve_emergency(request: HttpRequest, disclosure_id) -> HttpResponse:
    """A team manager approves a share made first in an emergency."""
    disclosure = get_object_or_404(
        Disclosure.objects.select_related("person", "created_by"), public_id=disclosure_id
    )
    person = disclosure.person
    access = person_access(request, person)
    if not access.allowed:
        return refused(request, person, access, "person", person.public_id)
    form = partner_forms.EmergencyApprovalForm(request.POST or None)
    problem = emergency.approval_problem(request.user, disclosure)
    if problem and request.method == "POST":
        add_refusal(form, problem)
    elif request.method == "POST" and form.is_valid():
        try:
            emergency.approve_emergency(request, disclosure, note=form.cleaned_data["note"])
        except services.ShareRefused as refused_problem:
            add_refusal(form, refused_problem)
        else:
            messages.success(request, "Emergency share approved")
            return redirect("sharing:disclosure", disclosure_id=disclosure.public_id)
    audit_look(
        request, access, "person", person.public_id, _categories(), page="emergency-share-approval"
    )
    return render(
        request,
        "sharing/emergency_approval.html",
        {
            **described(disclosure),
            "person": person,
            "form": form,
            "problem": problem,
            "overdue": disclosure.emergency_overdue(),
        },
    )


def emergency_rows(request: HttpRequest) -> list[dict]:
    """For a team manager's queue: the emergency shares awaiting their approval, overdue
    marked; a look is recorded against each person named."""
    rows = list(emergency.awaiting_approval_for(request.user))
    people = {d.person.pk: d.person for d in rows}
    record_many(
        request,
        [
            {
                "action": "view",
                "record_type": "person",
                "record_id": str(p.public_id),
                "categories": _categories(),
                "rule": "access:allocation",
                "details": {"page": "emergency-shares-waiting"},
            }
            for p in people.values()
        ],
    )
    now = timezone.now()
    return [{**described(d), "overdue": d.emergency_overdue(now)} for d in rows]


def disclosure_extras(disclosure: Disclosure) -> dict:
    """What a disclosure's page adds for the child's identifier, an emergency, a transfer
    and the partner's request it answered."""
    policy = active_policy()
    return {
        "identifier": identifier_words(
            policy, disclosure.child_identifier, disclosure.child_nhs_number
        ),
        "transfer": (transfer := getattr(disclosure, "transfer", None)),
        "transfer_country": countries.country_name(transfer.country) if transfer else "",
        "answers": getattr(disclosure, "partner_request", None),
    }
