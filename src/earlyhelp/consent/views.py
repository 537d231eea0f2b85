"""Pages for a nursery child's photo and video consents: where each use stands and its
history, a parent's decision, a withdrawal (one action), and the list of consents to ask
parents for. Casework staff with need-to-know access to the child (access.guards)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from earlyhelp.access.decorators import role_required
from earlyhelp.access.guards import (
    audit_look,
    audit_looks,
    audit_others_shown,
    look,
    read_only,
    restricted_match,
    with_person,
    with_person_to_change,
)
from earlyhelp.access.roles import CASEWORK
from earlyhelp.access.rules import Access, is_restricted_from
from earlyhelp.consent import services
from earlyhelp.consent.forms import DecisionForm, WithdrawForm
from earlyhelp.consent.media import past_shares as media_past_shares
from earlyhelp.consent.models import MediaConsent
from earlyhelp.datamap.registry import categories_of
from earlyhelp.people.models import Person, Relationship, with_parental_responsibility
from earlyhelp.rights.processing import restricted_problem
from earlyhelp.web.forms import add_refusal
from earlyhelp.web.once import submitted_once


def _audit(request: HttpRequest, child: Person, parents: list[Person], page: str) -> None:
    """A look at the child's consents, and at each parent the page names, under their own
    access (a parent restricted from the reader is recorded as such, not as allocated)."""
    audit_look(
        request, request.record_access, "person", child.public_id, categories_of(MediaConsent),
        page=page,
    )  # fmt: skip
    others = [p for p in parents if p.pk != child.pk]
    audit_others_shown(request, request.record_access, others, categories_of(Relationship), page)


def _namer(request: HttpRequest) -> Callable[[Person], str]:
    """A parent's name as the reader may see it: a parent whose record is restricted from
    them is not named (as on every other page)."""
    hidden: dict[int, bool] = {}

    def name(person: Person) -> str:
        if person.pk not in hidden:
            hidden[person.pk] = is_restricted_from(request.user, person)
        return RESTRICTED_PARENT if hidden[person.pk] else person.full_name

    return name


def _offered(
    request: HttpRequest, child: Person, holders: list[Person] | None = None
) -> list[Person]:
    """The parents a form offers: those with parental responsibility (`holders`, when the
    page has them already) the reader may see."""
    if holders is None:
        holders = with_parental_responsibility(child)
    return [p for p in holders if not is_restricted_from(request.user, p)]


RESTRICTED_PARENT = "a parent whose record is restricted"


@role_required(*CASEWORK)
@require_safe
@with_person
def child_consents(request: HttpRequest, person: Person) -> HttpResponse:
    """Where each use stands for the child, and every decision recorded."""
    name = _namer(request)
    rows = services.standing(person, name=name)
    decisions = [(d, name(d.given_by)) for d in services.history(person)]
    holders = with_parental_responsibility(person)
    parents = _offered(request, person, holders)
    named = {p.pk: p for p in [*holders, *(d.given_by for d, _ in decisions)]}
    _audit(request, person, list(named.values()), "consents")
    access = request.record_access
    context = {
        "person": person,
        "rows": rows,
        "decisions": decisions,
        "at_nursery": services.at_nursery(person),
        "parents": parents,
        "may_record": not access.read_only,
        "any_given": any(r.withdrawable for r in rows),
        "processing": services.nursery_processing(),
        # Restricted from processing: no new decision, though a withdrawal is recorded.
        "restricted": restricted_problem(person).partition(": ")[2],
        # Shares the app's provider has not been asked to remove: after a withdrawal, ask.
        "removal_to_ask": (
            media_past_shares(person).filter(removal_asked_on=None).count()
            if any(r.status == "Withdrawn" for r in rows)
            else 0
        ),
    }
    return render(request, "consent/child.html", context)


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_person_to_change
@submitted_once
def record_consent(request: HttpRequest, person: Person) -> HttpResponse:
    """Record a parent's decision on one use, against the words in force on the day."""
    name = _namer(request)
    rows = services.standing(person, name=name)
    # A use whose words are not in force yet is not asked about.
    uses = [r.use for r in rows if r.current is not None]
    parents = _offered(request, person)
    form = DecisionForm(request.POST or None, parents=parents, uses=uses)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.record_decision(
                request,
                person,
                given_by=form.parent(),
                use_id=data["use"],
                decision=data["decision"],
                how=data["how"],
                decided_on=data["decided_on"],
            )
        except services.ConsentRefused as problem:
            add_refusal(form, problem)
        else:
            messages.success(request, f"Recorded: consent {made.get_decision_display().lower()}")
            return redirect("consent:child", person_id=person.public_id)
    _audit(request, person, parents, "record-consent")
    context = {
        "person": person,
        "form": form,
        "uses": rows,
        "at_nursery": services.at_nursery(person),
        "parents": parents,
    }
    return render(request, "consent/record.html", context)


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_person
@submitted_once
def withdraw_consent(request: HttpRequest, person: Person) -> HttpResponse:
    """Withdraw a consent in force: one action, recorded as a decision. Allowed while the
    child's record is restricted from processing: withdrawing stops processing."""
    access = request.record_access
    if access.read_only:
        return read_only(request, person, access.rights_request)
    given = [s for s in services.standing(person, name=_namer(request)) if s.withdrawable]
    parents = _offered(request, person)
    form = WithdrawForm(request.POST or None, parents=parents, given=given)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.withdraw(
                request,
                person,
                given_by=form.parent(),
                use_id=data["use"],
                how=data["how"],
                decided_on=data["decided_on"],
            )
        except services.ConsentRefused as problem:
            add_refusal(form, problem)
        else:
            messages.success(request, "Consent withdrawn: it no longer covers any new sharing")
            return redirect("consent:child", person_id=person.public_id)
    _audit(request, person, parents, "withdraw-consent")
    context = {"person": person, "form": form, "given": given, "parents": parents}
    return render(request, "consent/withdraw.html", context)


@role_required(*CASEWORK)
@require_safe
def to_ask(request: HttpRequest) -> HttpResponse:
    """The children at the nursery on the user's teams' cases whose parents are to be
    asked (never asked, or the words changed) or whose consent is due to be confirmed.
    Each child named is a look, under casework access (their team's case)."""
    found, hidden = services.to_ask(request.user)
    shown = categories_of(MediaConsent)
    # A restricted child the list matched is recorded, never named (as search does).
    audit_looks(request, [restricted_match(child, "consents-to-ask") for child in hidden])
    audit_looks(
        request,
        [
            look(Access(True), "person", r.child.public_id, shown, page="consents-to-ask")
            for r in found
        ],
    )
    return render(request, "consent/to_ask.html", {"rows": found, "hidden": len(hidden)})
