"""Retention pages (issue 18): legal holds (the IG officer's), destruction reviews (the roles
the policy names as reviewers), and certificates of destruction (both).

Thin views: the rules, the writes and their audit events are in retention.holds and
retention.services. A page that names people records a look against each person it names;
a review shows each person's name, age, last involvement, rule, due date and status, and
nothing else of their records. A certificate names nobody. URLs carry public ids.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import date
from functools import update_wrapper

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case as SqlCase  # cases.models.Case is the family's case
from django.db.models import Count, F, Q, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from earlyhelp.access.decorators import role_required, signed_in
from earlyhelp.access.models import User
from earlyhelp.access.roles import Role
from earlyhelp.access.rules import is_restricted_from, restricted_from
from earlyhelp.audit.log import record, record_many
from earlyhelp.bundles.render import render_schedule
from earlyhelp.cases.models import Case
from earlyhelp.datamap.registry import categories_of
from earlyhelp.lib.plausible import format_day
from earlyhelp.lib.words import join_words
from earlyhelp.packages.views import pdf_response
from earlyhelp.people.models import Household, Person
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.decisions.common import add_period
from earlyhelp.policy.schema import Policy
from earlyhelp.retention import forms, holds, services
from earlyhelp.retention.models import DestructionReview, LegalHold, PlannedDestruction
from earlyhelp.retention.words import rule_words
from earlyhelp.web.forms import add_refusal, refusal_sentence
from earlyhelp.web.once import submitted_once

IG = Role.INFORMATION_GOVERNANCE
Scope = LegalHold.Scope
Status = PlannedDestruction.Status
ITEMS_A_PAGE = 100
LIFTED_A_PAGE = 50
HOLD_RULE = "retention:legal-hold"
REVIEW_RULE = "retention:review"
# What a page about holds shows of the people a hold names, by its scope: their name, their
# household's address, their case; and the council's record of the hold itself.
# The categories follow the models shown (datamap.registry.categories_of).
HOLD_CATEGORIES = {
    Scope.PERSON: categories_of(Person, LegalHold),
    Scope.FAMILY: categories_of(Household, LegalHold),
    Scope.CASE: categories_of(Case, LegalHold),
}
# A review's row: the person (name, age) and the planned item (last involvement, rule, due).
REVIEW_CATEGORIES = categories_of(Person, PlannedDestruction)
CERTIFICATE_HEADINGS = ("What", "Detail")


# --- who may use a page: roles the policy names -------------------------------------------


class _PolicyRoles:
    """A view open to the roles `roles_of()` gives from the policy now, signed in with their
    second factor (role_required, with roles read from the policy at each request).

    `access_rule` is those roles, read when asked, so the route tests see the policy's."""

    def __init__(self, view: Callable[..., HttpResponse], roles_of: Callable[[], Iterable[Role]]):
        update_wrapper(self, view)
        self.view = view
        self.roles_of = roles_of

    @property
    def access_rule(self) -> frozenset[Role]:
        return frozenset(self.roles_of())

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not signed_in(request):
            return redirect_to_login(request.get_full_path())
        if request.user.must_change_password:
            return redirect("access:change_password")
        roles = self.access_rule
        if not roles or not request.user.has_role(*roles):
            raise PermissionDenied
        return self.view(request, *args, **kwargs)


def reviewers_only(view: Callable[..., HttpResponse]) -> _PolicyRoles:
    """The roles the policy names in retention.destruction.reviewers."""
    return _PolicyRoles(view, services.reviewer_roles)


def certificate_readers(view: Callable[..., HttpResponse]) -> _PolicyRoles:
    """The IG officer, and the roles that review destruction."""
    return _PolicyRoles(view, lambda: {IG, *services.reviewer_roles()})


# --- words --------------------------------------------------------------------------------


def _age_words(person: Person, today: date) -> str:
    age = person.age_on(today)
    if age is None:
        return "Date of birth not recorded"
    return f"{age} year{'s' if age != 1 else ''}"


# --- legal holds ----------------------------------------------------------------------------


def _named_people(hold: LegalHold) -> list[Person]:
    """The people a hold's description names: the person, the household's members (its
    address), the case's members. A hold on a service or a rule names nobody."""
    if hold.scope not in HOLD_CATEGORIES:
        return []
    return list(Person.objects.filter(pk__in=holds.people_held_by(hold)).order_by("pk"))


RESTRICTED_HOUSEHOLD = "A restricted household"


def _hidden_from(request: HttpRequest) -> set[int]:
    """The ids of the people restricted from the reader, read once a request."""
    if not hasattr(request, "_restricted_ids"):
        request._restricted_ids = set(
            restricted_from(request.user).values_list("person_id", flat=True)
        )
    return request._restricted_ids


def _described_hold(request: HttpRequest, hold: LegalHold, today: date) -> dict:
    """A hold as a row: what it covers in words, unless that would name or place someone
    restricted from the reader (a person's name, a household's address)."""
    restricted = False
    covers = holds.scope_words(hold)
    if hold.scope == Scope.PERSON and hold.person is not None:
        restricted = hold.person_id in _hidden_from(request)
        covers = "A restricted record" if restricted else covers
    elif hold.scope == Scope.FAMILY and hold.household is not None:
        restricted = bool(_hidden_from(request) & set(holds.people_held_by(hold)))
        covers = RESTRICTED_HOUSEHOLD if restricted else covers
    return {
        "hold": hold,
        "covers": covers,
        "restricted": restricted,
        "review_passed": hold.in_force and hold.review_on < today,
    }


def _look_at_holds(request: HttpRequest, shown: list[dict], *, page: str) -> None:
    """One look against each person the holds shown name (a restricted record: no category,
    as it shows nothing of them)."""
    looks: dict[object, dict] = {}
    for row in shown:
        hold = row["hold"]
        categories = [] if row["restricted"] else HOLD_CATEGORIES.get(hold.scope, [])
        for person in _named_people(hold):
            look = looks.setdefault(
                person.public_id,
                {
                    "action": "view",
                    "record_type": "person",
                    "record_id": str(person.public_id),
                    "categories": set(),
                    "rule": HOLD_RULE,
                    "details": {"page": page},
                },
            )
            look["categories"].update(categories)
    record_many(
        request, [{**look, "categories": sorted(look["categories"])} for look in looks.values()]
    )


def _holds_query():
    return LegalHold.objects.select_related(
        "person__restriction", "household__address", "case", "placed_by", "lifted_by"
    )


@role_required(IG)
@require_safe
def hold_list(request: HttpRequest) -> HttpResponse:
    """Holds in force, soonest review first (a review date passed is marked), then those
    lifted, most recent first, by pages."""
    today = timezone.localdate()
    in_force = [
        _described_hold(request, h, today)
        for h in _holds_query().filter(lifted_at__isnull=True).order_by("review_on", "placed_at")
    ]
    lifted_page = Paginator(
        _holds_query().filter(lifted_at__isnull=False).order_by("-lifted_at"), LIFTED_A_PAGE
    ).get_page(request.GET.get("page"))
    lifted = [_described_hold(request, h, today) for h in lifted_page.object_list]
    _look_at_holds(request, in_force + lifted, page="legal-holds")
    context = {"in_force": in_force, "lifted": lifted, "page": lifted_page}
    return render(request, "retention/holds.html", context)


def _person_in_hand(request: HttpRequest) -> Person | None:
    """The person a hold is placed from (their public id in ?person=), or None; 404 for an
    id that is no person's."""
    public_id = request.GET.get("person", "")
    if not public_id:
        return None
    try:
        public_id = uuid.UUID(public_id)
    except ValueError:
        raise Http404("No such person") from None
    return get_object_or_404(Person.objects.select_related("restriction"), public_id=public_id)


@role_required(IG)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def place_hold(request: HttpRequest) -> HttpResponse:
    """Place a hold: on a person found by search (their record, a household or a case of
    theirs), or on a service or a rule."""
    person = _person_in_hand(request)
    if person is not None and person.merged_into_id is not None:
        # A record merged away (an old search result, a bookmark): the hold belongs on
        # the record it was merged into, which holds its records now.
        kept = person.merged_into
        while kept.merged_into_id is not None:
            kept = kept.merged_into
        messages.info(
            request,
            "That record was merged into another, which now holds its records: "
            "this page places the hold on the record kept.",
        )
        return redirect(reverse("retention:place_hold") + f"?person={kept.public_id}")
    restricted = person is not None and is_restricted_from(request.user, person)
    households = (
        list(Household.objects.filter(members=person).select_related("address").distinct())
        if person is not None and not restricted
        else []
    )
    cases = (
        list(Case.objects.filter(members__person=person).distinct().order_by("-started"))
        if person is not None and not restricted
        else []
    )
    destruction = active_policy().retention.destruction
    latest = (
        format_day(add_period(timezone.localdate(), destruction.hold_review_within))
        if destruction
        else None
    )
    hidden = _hidden_from(request)
    form = forms.PlaceHoldForm(
        request.POST if request.method == "POST" else None,
        person=person,
        households=households,
        cases=cases,
        latest_review=latest,
        # A household with a member restricted from the reader is not named by its address.
        household_words={
            h: RESTRICTED_HOUSEHOLD
            for h in households
            if hidden & set(h.members.values_list("pk", flat=True))
        },
    )
    if restricted:
        form.fields["scope"].choices = [
            (v, "This restricted record only" if v == Scope.PERSON else label)
            for v, label in form.fields["scope"].choices
        ]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            hold = holds.place_hold(
                request,
                issuer=data["issuer"],
                reference=data["reference"],
                scope=data["scope"],
                reason=data["reason"],
                review_on=data["review_on"],
                person=person,
                household=next(
                    (h for h in households if str(h.public_id) == data.get("household")), None
                ),
                case=next((c for c in cases if str(c.public_id) == data.get("case")), None),
                service=data.get("service") or "",
                criterion=data.get("criterion") or "",
                before=data.get("before"),
            )
        except holds.HoldRefused as refusal:
            add_refusal(form, refusal, fallback="scope")
        else:
            messages.success(request, "Legal hold placed")
            return redirect("retention:hold", hold_id=hold.public_id)
    if person is not None:
        record(
            request,
            action="view",
            record_type="person",
            record_id=person.public_id,
            categories=[] if restricted else categories_of(Person, Household, Case),
            rule=HOLD_RULE,
            details={"page": "place-legal-hold"},
        )
    context = {
        "form": form,
        "person": person,
        "restricted": restricted,
        "person_scopes": [f for f in ("household", "case") if f in form.fields],
    }
    return render(request, "retention/place_hold.html", context)


@role_required(IG)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def hold_page(request: HttpRequest, hold_id) -> HttpResponse:
    """One hold, and the form to lift it while it is in force. Once lifted, the page says
    which other holds in force still cover any of its people."""
    hold = get_object_or_404(_holds_query(), public_id=hold_id)
    form = forms.LiftHoldForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            still = holds.lift_hold(request, hold, form.cleaned_data["lift_reason"])
        except holds.HoldRefused as refusal:
            if str(refusal).startswith("hold:"):  # lifted meanwhile, in another tab
                messages.info(request, refusal_sentence(refusal))
                return redirect("retention:hold", hold_id=hold.public_id)
            add_refusal(form, refusal, fallback="lift_reason")
        else:
            messages.success(request, _lifted_words(request, still))
            return redirect("retention:hold", hold_id=hold.public_id)
    today = timezone.localdate()
    shown = _described_hold(request, hold, today)
    others = []
    if not hold.in_force:
        covered = set(holds.people_held_by(hold))
        others = [
            _described_hold(request, other, today)
            for other in _holds_query().filter(lifted_at__isnull=True)
            if covered & set(holds.people_held_by(other))
        ]
    _look_at_holds(request, [shown, *others], page="legal-hold")
    context = {
        **shown,
        "form": form,
        "others": others,
        "people": _people_count(hold),
    }
    return render(request, "retention/hold.html", context)


def _people_count(hold: LegalHold) -> int:
    return holds.people_held_by(hold).count()


def _lifted_words(request: HttpRequest, still: list[LegalHold]) -> str:
    """The success message after lifting: the other holds that still keep its people."""
    if not still:
        return (
            "Hold lifted. No other hold covers its people: their records are planned for "
            "destruction when they fall due."
        )
    names = [
        f"{other.issuer}{f' ({other.reference})' if other.reference else ''}" for other in still
    ]
    return (
        f"Hold lifted. {len(still)} other hold{'s' if len(still) != 1 else ''} still "
        f"cover{'' if len(still) != 1 else 's'} some of its people, whose records stay kept: "
        f"{join_words(names)}."
    )


# --- destruction reviews --------------------------------------------------------------------


def _review(review_id) -> DestructionReview:
    return get_object_or_404(
        DestructionReview.objects.select_related("approved_by"), public_id=review_id
    )


def _with_counts(queryset):
    """Reviews with the number of their items in each state (count_<status>)."""
    return queryset.annotate(
        **{
            f"count_{value}": Count("items", filter=Q(items__status=value))
            for value in Status.values
        }
    )


def _counts(review: DestructionReview) -> dict[str, int]:
    return {value: getattr(review, f"count_{value}") for value in Status.values}


@reviewers_only
@require_safe
def review_list(request: HttpRequest) -> HttpResponse:
    """Every review, newest first: its status, what it covers, and how many records are in
    each state. Counts only: no one is named."""
    reviews = _with_counts(DestructionReview.objects.select_related("approved_by"))
    rows = [{"review": r, "counts": _counts(r)} for r in reviews.order_by("-planned_at")]
    return render(request, "retention/reviews.html", {"rows": rows})


def named_to(user, items: Iterable[PlannedDestruction]) -> set[int]:
    """The ids of the people of `items` the reviewer may see named (services.open_to_review:
    need-to-know; restricted people are left out, and shown as such by _item_row)."""
    pks = [item.pk for item in items if item.person_id]
    if not pks:
        return set()
    return set(
        PlannedDestruction.objects.filter(pk__in=pks)
        .filter(services.open_to_review(user))
        .values_list("person_id", flat=True)
    )


def _item_row(
    item: PlannedDestruction,
    policy: Policy,
    today: date,
    hidden: set[int],
    named: set[int],
    held: set[int] = frozenset(),
) -> dict:
    """A review's row. `hidden`: people restricted from the reader; `named`: those the
    reader may see named (named_to); `held`: people a hold in force covers now."""
    person = item.person
    restricted = person is not None and person.pk in hidden
    outside = person is not None and not restricted and person.pk not in named
    if person is None:
        name, age = "Records destroyed", ""
    elif restricted:
        name, age = "A restricted record", "Not shown"
    elif outside:
        name, age = "A record held by another team", "Not shown"
    else:
        name, age = person.full_name, _age_words(person, today)
    status = item.get_status_display()
    if restricted or outside:
        # Kept, deferred, withdrawn: each says something of the person. Only whether the
        # record still waits for a reviewer is said.
        status = (
            "Waiting for a reviewer who may see it"
            if item.status == Status.PLANNED
            else "Not shown"
        )
    elif item.status == Status.DEFERRED and item.deferred_until:
        status = f"Deferred until {format_day(item.deferred_until)}"
    elif item.status in (Status.PLANNED, Status.APPROVED) and person and person.pk in held:
        status = "Kept: a legal hold covers them now"  # since planning (a household joined)
    shown = not (restricted or outside)
    deferred_by = item.deferred_by
    return {
        "item": item,
        "name": name,
        "age": age,
        "restricted": restricted,
        # Nothing of a person the reader may not see: not even the rule and the due date,
        # from which a date of birth or a last involvement can be worked back.
        "hidden": not shown,
        # A destroyed person's row keeps its rule (as the certificate does), nothing dated.
        "last_involvement": item.last_involvement if shown and person else None,
        "rule": rule_words(policy, item.rule) if shown else "Not shown",
        "due_on": item.due_on if shown and person else None,
        "status": status,
        # Who deferred, when and why: the reviewer's own words, for the next reviewer.
        "deferral": (
            {
                "by": deferred_by.get_full_name() or deferred_by.get_username(),
                "on": timezone.localtime(item.decided_at).date() if item.decided_at else None,
                "reason": item.deferred_reason,
            }
            if shown and item.status == Status.DEFERRED and deferred_by is not None
            else None
        ),
        "may_defer": shown and person and item.status == Status.PLANNED and person.pk not in held,
    }


def _look_at_items(request: HttpRequest, review: DestructionReview, rows: list[dict]) -> None:
    """One look against each person listed (a record not shown by name: no category)."""
    record_many(
        request,
        [
            {
                "action": "view",
                "record_type": "person",
                "record_id": str(row["item"].person.public_id),
                "categories": [] if row["hidden"] else REVIEW_CATEGORIES,
                "rule": REVIEW_RULE,
                "reason": f"Destruction review {review.public_id}",
                "details": {"page": "destruction-review"},
            }
            for row in rows
            if row["item"].person is not None
        ],
    )


def _approvers(review: DestructionReview) -> str:
    """Who approved a review's records, by name, in words ("" for nobody yet)."""
    users = User.objects.filter(
        pk__in=review.items.filter(approved_by__isnull=False).values("approved_by")
    ).order_by("last_name", "first_name", "username")
    return join_words(u.get_full_name() or u.get_username() for u in users)


def _review_page(
    request: HttpRequest, review: DestructionReview, approve_form: forms.ApproveForm | None = None
) -> HttpResponse:
    policy = active_policy()
    today = timezone.localdate()
    # The rows the reader may see first, in due order; then the others in the order they
    # were planned: sorted among the seen by due date, a hidden row's place would give its
    # date away.
    shown = services.open_to_review(request.user) | Q(person__isnull=True)
    items = (
        review.items.select_related("person", "deferred_by")
        .annotate(
            shown=SqlCase(When(shown, then=Value(1)), default=Value(0)),
            shown_due=SqlCase(When(shown, then=F("due_on")), default=None),
        )
        .order_by("-shown", "shown_due", "id")
    )
    page = Paginator(items, ITEMS_A_PAGE).get_page(request.GET.get("page"))
    hidden = _hidden_from(request)
    on_page = [item.person_id for item in page.object_list if item.person_id]
    named = named_to(request.user, page.object_list)
    held = holds.held_people() & set(on_page) if on_page else set()
    rows = [_item_row(item, policy, today, hidden, named, held) for item in page.object_list]
    _look_at_items(request, review, rows)
    counts = _counts(_with_counts(DestructionReview.objects.filter(pk=review.pk)).get())
    is_open = review.status == DestructionReview.Status.OPEN
    # What this reviewer may approve: the waiting records they may see named; the others
    # wait for a reviewer who may (their team's manager, the IG officer).
    waiting_for_you = services.waiting_for(request.user, review) if is_open else []
    yours = len(waiting_for_you)
    restricted_waiting = (
        review.items.filter(status=Status.PLANNED, person__in=restricted_from(request.user)).count()
        if is_open
        else 0
    )
    if approve_form is None and is_open:
        approve_form = forms.ApproveForm(initial={"count": yours})
    approvers = _approvers(review)
    context = {
        "yours": yours,
        "digest": services.seen_digest(waiting_for_you),
        "restricted_waiting": restricted_waiting,
        "other_teams_waiting": counts[Status.PLANNED] - yours - restricted_waiting,
        "governance": request.user.has_role(IG),
        "approvers": approvers,
        "review": review,
        "rows": rows,
        "page": page,
        "counts": counts,
        "kept_since": counts[Status.HELD] + counts[Status.RIGHTS] + counts[Status.NOT_DUE],
        "others_on_page": any(row["hidden"] and not row["restricted"] for row in rows),
        "is_open": is_open,
        "form": approve_form,
        "certificate": review.status == DestructionReview.Status.DESTROYED,
    }
    return render(request, "retention/review.html", context)


@reviewers_only
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def review_page(request: HttpRequest, review_id) -> HttpResponse:
    """A review's records, 100 a page, in due order: each person's name, age, last
    involvement, rule, due date and status; a link to defer each one still waiting; and,
    while the review is open, the approval of the batch (POST): the reviewer confirms they
    reviewed them, and the count they saw must still be the count waiting."""
    review = _review(review_id)
    if request.method != "POST":
        return _review_page(request, review)
    form = forms.ApproveForm(request.POST)
    if form.is_valid():
        try:
            approved = services.approve(
                request, review, seen=form.cleaned_data["count"], digest=form.cleaned_data["seen"]
            )
        except ValueError as refusal:
            review = _review(review_id)  # as it is now
            if review.status != DestructionReview.Status.OPEN:  # approved in another tab
                messages.info(request, f"{services.already_approved(review)}.")
                return redirect("retention:review", review_id=review.public_id)
            add_refusal(form, refusal, fallback="confirm")
        else:
            messages.success(
                request,
                f"Destruction of {approved:,} {'person’s' if approved == 1 else 'people’s'} "
                "records approved. They are destroyed at the next run of the disposal.",
            )
            return redirect("retention:review", review_id=review.public_id)
    return _review_page(request, review, form)


@reviewers_only
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def defer(request: HttpRequest, review_id, item_id: int) -> HttpResponse:
    """Keep one person's records out of the batch, with a reason, for now."""
    review = _review(review_id)
    item = get_object_or_404(
        PlannedDestruction.objects.select_related("person__restriction"),
        pk=item_id,
        review=review,
        person__isnull=False,
    )
    form = forms.DeferForm(request.POST if request.method == "POST" else None)
    hidden = {item.person_id} if is_restricted_from(request.user, item.person) else set()
    named = named_to(request.user, [item])
    row = _item_row(item, active_policy(), timezone.localdate(), hidden, named)
    waiting = review.status == DestructionReview.Status.OPEN and item.status == Status.PLANNED
    closed = ""
    if not waiting:
        closed = "item: only a record waiting in an open review can be deferred"
    elif row["hidden"]:
        # Deciding to keep someone's records needs to know who they are (need-to-know).
        closed = (
            "item: only a reviewer who may see this record can defer it: the manager of "
            "its team or the information governance officer"
        )
    if request.method == "POST" and not closed and form.is_valid():
        try:
            services.defer(request, item, form.cleaned_data["reason"], form.cleaned_data["until"])
        except ValueError as refusal:
            add_refusal(form, refusal, fallback="reason")
        else:
            messages.success(request, "Deferred: these records are kept out of this batch")
            return redirect(
                reverse("retention:review", args=[review.public_id]) + f"#item-{item.pk}"
            )
    _look_at_items(request, review, [row])
    context = {
        "review": review,
        "row": row,
        "form": form,
        "waiting": not closed,
        "not_waiting": refusal_sentence(closed),
    }
    return render(request, "retention/defer.html", context)


# --- certificates ---------------------------------------------------------------------------


def _destroyed(review_id) -> DestructionReview:
    review = _review(review_id)
    if review.status != DestructionReview.Status.DESTROYED:
        raise Http404("This review has not been destroyed")
    return review


def certificate_content(review: DestructionReview) -> dict:
    """What a certificate states, in words, from the review's counts: no personal data."""
    policy = active_policy()
    data = review.certificate or {}
    rules = [(rule_words(policy, rule_id), n) for rule_id, n in (data.get("rules") or {}).items()]
    records = sorted((data.get("records") or {}).items())
    kept = sorted((data.get("kept") or {}).items())
    approver = review.approved_by
    return {
        "reference": str(review.public_id),
        "people": sum(n for _, n in rules),
        "rules": rules,
        "records": records,
        "kept": kept,
        "method": data.get("method") or "",
        "batches": data.get("batches") or 0,
        "merged_records": data.get("merged_records") or 0,
        # Everyone who approved some of its records (each approves those they may see).
        "approved_by": _approvers(review)
        or ((approver.get_full_name() or approver.get_username()) if approver else ""),
        "approved_at": review.approved_at,
        "finished_at": review.finished_at,
        "due_by": review.due_by,
    }


def certificate_rows(content: dict) -> list[tuple[str, str]]:
    """The certificate as (label, words) rows: the page's and the PDF's."""

    def when(moment) -> str:
        if moment is None:
            return "Not recorded"
        local = timezone.localtime(moment)
        return f"{format_day(local.date())}, {local:%H:%M}"

    def people(n: int) -> str:
        return f"{n:,} {'person' if n == 1 else 'people'}"

    rows = [
        ("Batch reference", content["reference"]),
        ("Records due by", format_day(content["due_by"])),
        ("People whose records were destroyed", f"{content['people']:,}"),
    ]
    rows += [(f"Rule: {words}", people(n)) for words, n in content["rules"]]
    rows += [(f"Records: {title}", f"{n:,}") for title, n in content["records"]]
    rows += [
        (why if why.startswith("Kept") else f"Kept: {why}", people(n)) for why, n in content["kept"]
    ]
    if content["merged_records"]:
        rows.append(("Duplicate records merged into them", f"{content['merged_records']:,}"))
    if content["batches"]:
        rows.append(("Transactions", f"{content['batches']:,}"))
    rows += [
        ("Approved by", content["approved_by"] or "Not recorded"),
        ("Approved", when(content["approved_at"])),
        ("Destruction finished", when(content["finished_at"])),
        ("Method", content["method"] or "Not recorded"),
    ]
    return rows


def _audit_certificate(request: HttpRequest, review: DestructionReview, action: str) -> None:
    record(
        request,
        action=action,
        record_type="destruction-review",
        record_id=review.public_id,
        rule=REVIEW_RULE,
        details={"page": "destruction-certificate"},
    )


@certificate_readers
@require_safe
def certificate_list(request: HttpRequest) -> HttpResponse:
    """Every certificate of destruction, newest first: counts only."""
    reviews = DestructionReview.objects.filter(
        status=DestructionReview.Status.DESTROYED
    ).select_related("approved_by")
    rows = [{"review": r, **certificate_content(r)} for r in reviews.order_by("-finished_at")]
    return render(request, "retention/certificates.html", {"rows": rows})


@certificate_readers
@require_safe
def certificate(request: HttpRequest, review_id) -> HttpResponse:
    """A batch's certificate of destruction: what, how many, which rule, who approved it,
    when, how. No personal data."""
    review = _destroyed(review_id)
    content = certificate_content(review)
    _audit_certificate(request, review, "view")
    context = {"review": review, "rows": certificate_rows(content), **content}
    return render(request, "retention/certificate.html", context)


@certificate_readers
@require_safe
def certificate_pdf(request: HttpRequest, review_id) -> HttpResponse:
    """The certificate as a PDF (the bundles' table printer): the council's, titled once;
    its reference is in its rows."""
    review = _destroyed(review_id)
    rows = certificate_rows(certificate_content(review))
    data = render_schedule(
        "Certificate of destruction",
        rows,
        CERTIFICATE_HEADINGS,
        issuer=active_policy().controller.name,
    )
    _audit_certificate(request, review, "export")
    return pdf_response(data, f"certificate-of-destruction-{review.public_id}.pdf")


# --- home pages -----------------------------------------------------------------------------


def home_context(request: HttpRequest) -> dict:
    """For the home pages of the team manager and the IG officer: whether the reader reviews
    destruction, how many records wait in the open review for them (those they may see),
    and (for the IG officer, who places holds) how many holds in force are past their
    review date. Counts: no one named."""
    reviewer = services.may_review(request.user)
    holds_to_review = 0
    if request.user.has_role(Role.INFORMATION_GOVERNANCE):
        holds_to_review = LegalHold.objects.filter(
            lifted_at__isnull=True, review_on__lt=timezone.localdate()
        ).count()
    waiting = (
        PlannedDestruction.objects.filter(
            review__status=DestructionReview.Status.OPEN, status=Status.PLANNED
        )
        .filter(services.open_to_review(request.user))
        .count()
        if reviewer
        else 0
    )
    return {
        "retention_reviewer": reviewer,
        "retention_waiting": waiting,
        "holds_to_review": holds_to_review,
    }
