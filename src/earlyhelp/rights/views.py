"""The information governance officer's rights requests and complaints: intake, the list,
a request's page and the small form for each event on its clock."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from earlyhelp.access.decorators import role_required
from earlyhelp.access.roles import Role
from earlyhelp.lib.plausible import format_day
from earlyhelp.lib.words import join_words
from earlyhelp.packages.models import ProtectedPackage
from earlyhelp.packages.services import packages_of
from earlyhelp.policy.active import active_policy
from earlyhelp.rights import asked, clock, services
from earlyhelp.rights import forms as rights_forms
from earlyhelp.rights.letters import outcome_wording
from earlyhelp.rights.models import RightsRequest
from earlyhelp.rights.scope_views import scope_items
from earlyhelp.web.forms import add_refusal
from earlyhelp.web.once import submitted_once
from earlyhelp.web.words import staff_name

IG = Role.INFORMATION_GOVERNANCE


# ---------------------------------------------------------------------------------------
# Words for a request: its type, its status, what is due.
# ---------------------------------------------------------------------------------------


def asked_words(rights_request: RightsRequest) -> list[str]:
    """Each right asked for, in the form's words; an objection names the uses objected to
    by the policy's names: "Object to a use of information: LIIA"."""
    labels = dict(RightsRequest.Right.choices)
    words = []
    for right in rights_request.rights_asked:
        label = labels.get(right, right)
        if right == RightsRequest.Right.OBJECT:
            uses = asked.objection_words(rights_request)
            label = f"{label}: {uses}" if uses else f"{label}: the use is not yet recorded"
        words.append(label)
    return words


def type_words(rights_request: RightsRequest) -> str:
    """ "Complaint", or "Request: a copy of the information held and delete information"."""
    if rights_request.is_complaint:
        return "Complaint"
    labels = dict(RightsRequest.Right.choices)
    words = join_words(
        [labels.get(r, r)[:1].lower() + labels.get(r, r)[1:] for r in rights_request.rights_asked]
    )
    return f"Request: {words}" if words else "Request"


def law_words(rule) -> str:
    """The law a time limit comes from, said once: "UK GDPR Article 12A (Data (Use and
    Access) Act 2025)", with the regime's name only where the law does not already say it."""
    if rule.regime_name and rule.regime_name not in rule.law:
        return f"{rule.law} ({rule.regime_name})"
    return rule.law


def status_words(rights_request: RightsRequest) -> str:
    """The status in plain words: "Refused: <exemption>", "Awaiting acknowledgement"."""
    status = RightsRequest.Status
    if rights_request.status == status.REFUSED and rights_request.exemption:
        return f"Refused, relying on {rights_request.exemption}"
    if rights_request.is_complaint and rights_request.status == status.RECEIVED:
        return "Awaiting acknowledgement"
    if rights_request.is_complaint and rights_request.status == status.ANSWERED:
        return "Outcome given"
    return rights_request.get_status_display()


def due_words(due: clock.Due) -> str:
    """ "Response due 2 March 2026", "Outcome due without undue delay", "Closed"."""
    if due.on is None:
        if due.what == "Acknowledgement due":  # received before s.164A applied
            return "Acknowledgement due: no statutory date applied when it was received"
        return due.what
    if due.awaiting_identity:
        return f"{due.what} {format_day(due.on)}, or a month from when proof of identity arrives"
    return f"{due.what} {format_day(due.on)}"


def handler_words(rights_request: RightsRequest) -> str:
    """The handler's full name; "Not yet taken on" while open, "No one recorded" if closed."""
    user = rights_request.handled_by
    if user is None:
        return "Not yet taken on" if rights_request.is_open else "No one was recorded"
    return user.get_full_name() or user.username


def end_of_week(today: date) -> date:
    """The Sunday ending ``today``'s week."""
    return today + timedelta(days=6 - today.weekday())


# ---------------------------------------------------------------------------------------
# The list.
# ---------------------------------------------------------------------------------------

FILTERS = {
    "open": "Open",
    "new": "New, not yet taken on",
    "waiting": "Waiting for identity or clarification",
    "due-this-week": "Due this week",
    "overdue": "Overdue",
    "paused": "Paused, awaiting clarification",
    "closed": "Closed",
    "all": "All",
}
KINDS = {"all": "Requests and complaints", "request": "Requests", "complaint": "Complaints"}


WAITING = (RightsRequest.Status.AWAITING_IDENTITY, RightsRequest.Status.AWAITING_CLARIFICATION)


def is_new(rights_request: RightsRequest) -> bool:
    """Open and no one has taken it on yet."""
    return rights_request.is_open and rights_request.handled_by_id is None


def is_waiting(rights_request: RightsRequest) -> bool:
    """Open and waiting for the requester: proof of identity, or clarification."""
    return rights_request.is_open and rights_request.status in WAITING


@dataclass(frozen=True)
class Row:
    rights_request: RightsRequest
    type: str
    due: clock.Due
    due_text: str
    status: str
    handler: str
    overdue: bool
    due_this_week: bool


def rows_for(requests, today: date) -> list[Row]:
    """One row per request, its due date always from rights.clock."""
    rows = []
    week_end = end_of_week(today)
    for rr in requests:
        due = clock.next_due(rr, today)
        overdue = due.on is not None and due.on < today
        rows.append(
            Row(
                rr,
                type_words(rr),
                due,
                due_words(due),
                status_words(rr),
                handler_words(rr),
                overdue,
                due.on is not None and today <= due.on <= week_end,
            )
        )
    return rows


def _sort_key(row: Row):
    # Open ones with a date first, by date; then open without one; closed last, latest first.
    if not row.rights_request.is_open:
        return (2, -row.rights_request.closed_on.toordinal())
    if row.due.on is None:
        return (1, row.rights_request.received.toordinal())
    return (0, row.due.on.toordinal())


@role_required(IG)
@require_safe
def request_list(request: HttpRequest) -> HttpResponse:
    """Every request and complaint: counts, filters, each row's due date and status."""
    today = timezone.localdate()
    show = request.GET.get("show", "open")
    show = show if show in FILTERS else "open"
    kind = request.GET.get("kind", "all")
    kind = kind if kind in KINDS else "all"
    everything = RightsRequest.objects.select_related("handled_by").prefetch_related(
        "clarifications"
    )
    rows = rows_for(everything, today)
    open_rows = [r for r in rows if r.rights_request.is_open]
    counts = [
        ("open", FILTERS["open"], len(open_rows)),
        ("due-this-week", FILTERS["due-this-week"], sum(r.due_this_week for r in open_rows)),
        ("overdue", FILTERS["overdue"], sum(r.overdue for r in open_rows)),
        ("paused", FILTERS["paused"], sum(r.due.paused for r in open_rows)),
        ("new", FILTERS["new"], sum(is_new(r.rights_request) for r in open_rows)),
        ("waiting", FILTERS["waiting"], sum(is_waiting(r.rights_request) for r in open_rows)),
    ]
    keep: Callable[[Row], bool] = {
        "open": lambda r: r.rights_request.is_open,
        "due-this-week": lambda r: r.rights_request.is_open and r.due_this_week,
        "overdue": lambda r: r.rights_request.is_open and r.overdue,
        "paused": lambda r: r.rights_request.is_open and r.due.paused,
        "new": lambda r: is_new(r.rights_request),
        "waiting": lambda r: is_waiting(r.rights_request),
        "closed": lambda r: not r.rights_request.is_open,
        "all": lambda r: True,
    }[show]
    shown = [r for r in rows if keep(r) and (kind == "all" or r.rights_request.kind == kind)]
    shown.sort(key=_sort_key)
    context = {
        "rows": shown,
        "counts": counts,
        "filters": FILTERS,
        "kinds": KINDS,
        "show": show,
        "kind": kind,
        "today": today,
        "week_end": end_of_week(today),
    }
    return render(request, "rights/request_list.html", context)


def due_lists_context(today: date | None = None) -> dict:
    """The IG officer's home page: open requests due within five working days, and overdue
    ones, each with its reference, due date and status (the reminders' lists)."""
    today = today or timezone.localdate()
    soon, overdue = services.due_soon_and_overdue(today)

    def rows(pairs):
        return [
            {"rights_request": rr, "due": due_words(due), "status": status_words(rr)}
            for rr, due in pairs
        ]

    open_ones = list(RightsRequest.objects.open().only("kind", "status", "handled_by", "closed_on"))

    def count(test, kind: str) -> int:
        return sum(1 for rr in open_ones if rr.kind == kind and test(rr))

    return {
        "rights_new": {
            "requests": count(is_new, RightsRequest.Kind.REQUEST),
            "complaints": count(is_new, RightsRequest.Kind.COMPLAINT),
        },
        "rights_waiting": count(is_waiting, RightsRequest.Kind.REQUEST),
        "rights_due_soon": rows(soon),
        "rights_overdue": rows(overdue),
        "rights_within_days": services.REMIND_WITHIN_WORKING_DAYS,
    }


# ---------------------------------------------------------------------------------------
# Intake.
# ---------------------------------------------------------------------------------------


@role_required(IG)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def log_request(request: HttpRequest) -> HttpResponse:
    """A request or complaint received by letter, email, telephone or in person."""
    form = rights_forms.IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rights_request = services.log_request(request, **form.request_fields())
        except ValueError as problem:
            add_refusal(form, problem, fallback="received")
        else:
            messages.success(
                request,
                f"{rights_request.get_kind_display()} {rights_request.reference} logged",
            )
            return redirect("rights:request", request_id=rights_request.public_id)
    return render(request, "rights/log_request.html", {"form": form})


# ---------------------------------------------------------------------------------------
# A request's page and its actions.
# ---------------------------------------------------------------------------------------


def _awaited(rr: RightsRequest):
    return next((c for c in rr.clarifications.all() if c.answered_on is None), None)


def _is_request(rr: RightsRequest) -> bool:
    return rr.is_open and not rr.is_complaint


@dataclass(frozen=True)
class Action:
    """One thing an officer can record on a request: its page's title, form and service."""

    title: str
    form: type[forms.Form]
    applies: Callable[[RightsRequest], bool]
    run: Callable[[HttpRequest, RightsRequest, dict], None]
    done: str
    button: str = "Save"
    # The form's starting answers from the request (changing what is asked for).
    initial: Callable[[RightsRequest], dict] | None = None
    # Closing it records the officer as its handler if no one handles it yet.
    closes: bool = False


ACTIONS: dict[str, Action] = {
    "assign": Action(
        "Take it on or assign a handler",
        rights_forms.AssignForm,
        lambda rr: rr.is_open,
        lambda req, rr, d: services.assign_handler(req, rr, d["handler"]),
        "Handler recorded",
    ),
    "asked": Action(
        "Change what is asked for",
        rights_forms.AskedForm,
        _is_request,
        lambda req, rr, d: asked.change_asked(
            req, rr, d["rights_asked"], d.get("objection_projects") or []
        ),
        "What is asked for is changed",
        initial=lambda rr: {
            "rights_asked": rr.rights_asked,
            "objection_projects": rr.objection_projects,
        },
    ),
    "identity": Action(
        "Record identity evidence received",
        rights_forms.IdentityForm,
        lambda rr: _is_request(rr) and rr.identity_evidence_received is None,
        lambda req, rr, d: services.record_identity_evidence(
            req, rr, d["received_on"], d["evidence"]
        ),
        "Identity evidence recorded",
    ),
    "fee": Action(
        "Record a fee paid",
        rights_forms.FeeForm,
        # Only where the request's rule starts the clock from a fee (Article 12A).
        lambda rr: (
            _is_request(rr)
            and rr.fee_paid is None
            and "fee_paid" in clock.frozen_rule(rr).clock_starts_at_latest_of
        ),
        lambda req, rr, d: services.record_fee_paid(req, rr, d["paid_on"]),
        "Fee recorded",
    ),
    "clarify": Action(
        "Ask for clarification",
        rights_forms.ClarifyForm,
        lambda rr: _is_request(rr) and _awaited(rr) is None,
        lambda req, rr, d: services.ask_clarification(req, rr, d["asked_on"], d["question"]),
        "Clarification asked for: the clock is paused",
    ),
    "clarification-answer": Action(
        "Record the clarification received",
        rights_forms.ClarificationAnswerForm,
        lambda rr: _is_request(rr) and _awaited(rr) is not None,
        lambda req, rr, d: services.record_clarification_answer(
            req, rr, d["answered_on"], d["answer"]
        ),
        "Clarification recorded: the clock runs again",
    ),
    "extend": Action(
        "Extend the time to answer",
        rights_forms.ExtendForm,
        lambda rr: _is_request(rr) and rr.extended_on is None,
        lambda req, rr, d: services.extend_request(req, rr, d["extended_on"], d["reasons"]),
        "Time extended: the letter to send is on this page",
        "Extend and make the letter",
    ),
    "answer": Action(
        "Answer and close",
        rights_forms.AnswerForm,
        _is_request,
        lambda req, rr, d: services.answer_request(req, rr, d["on"], d["summary"]),
        "Answered: the letter to send is on this page",
        "Close and make the letter",
        closes=True,
    ),
    "refuse": Action(
        "Refuse and close",
        rights_forms.RefuseForm,
        _is_request,
        lambda req, rr, d: services.refuse_request(
            req, rr, d["on"], d["exemption"], d["explanation"]
        ),
        "Refused: the letter to send is on this page",
        "Refuse and make the letter",
        closes=True,
    ),
    "withdraw": Action(
        "Record that it was withdrawn",
        rights_forms.WithdrawForm,
        lambda rr: rr.is_open,
        lambda req, rr, d: services.withdraw_request(req, rr, d["on"]),
        "Recorded as withdrawn",
        closes=True,
    ),
    "acknowledge": Action(
        "Acknowledge the complaint",
        rights_forms.AcknowledgeForm,
        lambda rr: rr.is_open and rr.is_complaint and rr.acknowledged_on is None,
        lambda req, rr, d: services.acknowledge_complaint(req, rr, d["on"]),
        "Acknowledged: the letter to send is on this page",
        "Acknowledge and make the letter",
    ),
    "complaint-outcome": Action(
        "Record the outcome of the complaint",
        rights_forms.ComplaintOutcomeForm,
        lambda rr: rr.is_open and rr.is_complaint,
        lambda req, rr, d: services.record_complaint_outcome(req, rr, d["on"], d["outcome"]),
        "Outcome recorded: the letter to send is on this page",
        "Close and make the letter",
        closes=True,
    ),
}


def timeline(rr: RightsRequest) -> list[tuple[date, str]]:
    """The request's dated events, oldest first, in words."""
    events = [(rr.received, f"Received by {rr.get_channel_display().lower()}")]
    if rr.identity_evidence_received:
        events.append((rr.identity_evidence_received, "Identity evidence received"))
    if rr.fee_paid:
        events.append((rr.fee_paid, "Fee paid"))
    for c in rr.clarifications.all():
        events.append((c.asked_on, "Clarification asked for: the clock paused"))
        if c.answered_on:
            events.append((c.answered_on, "Clarification received: the clock ran again"))
    if rr.extended_on:
        events.append((rr.extended_on, "Time to answer extended"))
    if rr.acknowledged_on:
        events.append((rr.acknowledged_on, "Complaint acknowledged"))
    events += bundle_events(rr)
    if rr.closed_on:
        events.append((rr.closed_on, status_words(rr)))
    return sorted(events, key=lambda event: event[0])


def bundle_events(rr: RightsRequest) -> list[tuple[date, str]]:
    """The subject access bundles' steps, in words: made, approved, and each link sent
    (how, until when it works, how often it was downloaded): what was sent when."""
    events: list[tuple[date, str]] = []
    bundles = list(rr.bundles.select_related("approved_by").order_by("made_at"))
    # What left for each bundle: its protected packages (the one export mechanism).
    sent: dict = defaultdict(list)
    for package in packages_of(ProtectedPackage.Kind.ACCESS_BUNDLE, [b.public_id for b in bundles]):
        sent[package.owner_public_id].append(package)
    for bundle in bundles:
        events.append((timezone.localdate(bundle.made_at), "Subject access bundle made"))
        if bundle.approved_at:
            events.append(
                (
                    timezone.localdate(bundle.approved_at),
                    f"Bundle of {bundle.page_count or 0:,} pages approved by "
                    f"{staff_name(bundle.approved_by)}",
                )
            )
        for package in sent[bundle.public_id]:
            downloads = package.downloads
            events.append(
                (
                    timezone.localdate(package.made_at),
                    f"Bundle sent {package.how or bundle.sent_how}: the link works until "
                    f"{format_day(timezone.localdate(package.expires_at))}; "
                    + (
                        f"downloaded {downloads:,} time{'s' if downloads != 1 else ''}"
                        if downloads
                        else "not downloaded yet"
                    ),
                )
            )
    return events


def _get(request_id) -> RightsRequest:
    return get_object_or_404(
        RightsRequest.objects.select_related("handled_by", "created_by"), public_id=request_id
    )


def clock_context(rr: RightsRequest, today: date) -> dict:
    """The clock in words, the due date and, for a complaint, its two steps."""
    context: dict = {"due": clock.next_due(rr, today)}
    context["due_text"] = due_words(context["due"])
    rule = clock.frozen_rule(rr)
    context["rule"] = rule
    context["law"] = law_words(rule)
    if rr.is_complaint:
        complaint_rule = clock.frozen_complaint_rule(rr)
        context["complaint_rule"] = complaint_rule
        context["acknowledge_by"] = clock.acknowledge_by(rr)
        context["outcome_wording"] = outcome_wording(rr, active_policy())
    else:
        deadline = clock.deadline_of(rr, today)
        context["deadline"] = deadline
        if rr.is_open and rr.extended_on is None:
            context["tell_extension_by"] = clock.tell_extension_by(rr, today)
    return context


@role_required(IG)
@require_safe
def request_detail(request: HttpRequest, request_id) -> HttpResponse:
    """Everything typed, the clock in words, the timeline, the letters and the actions."""
    rights_request = _get(request_id)
    services.audit_request(request, rights_request, "view", "request page seen", actor=request.user)
    today = timezone.localdate()
    context = {
        "rights_request": rights_request,
        "type": type_words(rights_request),
        "asked": asked_words(rights_request),
        "status": status_words(rights_request),
        "handler": handler_words(rights_request),
        "timeline": timeline(rights_request),
        "clarifications": rights_request.clarifications.order_by("asked_on"),
        "actions": [
            (slug, action.title)
            for slug, action in ACTIONS.items()
            if action.applies(rights_request)
        ],
        "services_used": [
            s.name for s in active_policy().services if s.id in rights_request.services_used
        ],
        **clock_context(rights_request, today),
        # The records in scope, each look at a person named recorded (rights.scope_views).
        "scope": scope_items(request, rights_request),
    }
    return render(request, "rights/request_detail.html", context)


@role_required(IG)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def request_action(request: HttpRequest, request_id, action: str) -> HttpResponse:
    """One event on the request's clock, or its closing: a small form, then its page."""
    rights_request = _get(request_id)
    chosen = ACTIONS.get(action)
    if chosen is None:
        raise Http404
    if not chosen.applies(rights_request):
        messages.info(request, f"{chosen.title}: this no longer applies to it")
        return redirect("rights:request", request_id=rights_request.public_id)
    initial = chosen.initial(rights_request) if chosen.initial else None
    form = chosen.form(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if action == "assign":  # its own rule: only the handler hands it on
                chosen.run(request, rights_request, form.cleaned_data)
            else:
                asked.act_as_handler(
                    request,
                    rights_request,
                    lambda: chosen.run(request, rights_request, form.cleaned_data),
                )
        except ValueError as problem:
            add_refusal(form, problem, fallback=next(iter(form.fields)))
        else:
            messages.success(request, chosen.done)
            return redirect("rights:request", request_id=rights_request.public_id)
    context = {
        "rights_request": rights_request,
        "action": chosen,
        "slug": action,
        "form": form,
        "awaited": _awaited(rights_request),
        **clock_context(rights_request, timezone.localdate()),
    }
    return render(request, "rights/request_action.html", context)


# The letters kept on a request, each printable on its own page.
LETTERS = {
    "extension": ("extension_letter", "Letter telling them of the extension"),
    "acknowledgement": ("acknowledgement_letter", "Acknowledgement letter"),
    "outcome": ("outcome_letter", "Outcome letter"),
}


@role_required(IG)
@require_safe
def letter(request: HttpRequest, request_id, which: str) -> HttpResponse:
    """One letter alone on its page, to print (the browser's print, no script needed)."""
    rights_request = _get(request_id)
    if which not in LETTERS:
        raise Http404
    field, title = LETTERS[which]
    text = getattr(rights_request, field)
    services.audit_request(
        request, rights_request, "view", f"{title.lower()} seen to print", actor=request.user
    )
    return render(
        request,
        "rights/letter.html",
        {"rights_request": rights_request, "title": title, "text": text, "printable": bool(text)},
    )
