"""For the information governance officer: emergency access to review, and who saw a record."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from earlyhelp.access.decorators import role_required
from earlyhelp.access.roles import Role
from earlyhelp.access.rules import BREAK_GLASS_SECONDS, is_restricted_from, who_to_ask
from earlyhelp.audit.log import events_for_record, flagged_events, record, review
from earlyhelp.audit.models import AuditEvent, ReviewOutcome
from earlyhelp.cases.models import Case, Document
from earlyhelp.cases.services import service_name
from earlyhelp.people.models import Household, Person
from earlyhelp.policy.active import active_policy

# The words for the rule an event relied on, for the "who has seen" list.
RULE_WORDS = {
    "access:allocation": "Allocated to them or their team",
    "access:break-glass": "Emergency access",
    "access:refused": "Refused: not open to them",
    "access:governance": "Information governance",
}
# The words for the page a look was on.
PAGE_WORDS = {
    "person": "record page",
    "person-relationships": "a relative's record page",
    "household": "household page",
    "case": "case page",
    "chronology": "chronology",
    "search": "search results",
    "duplicate-check": "duplicate check when adding a person",
    "merge-candidates": "merge form",
    "undo-merge": "undo merge form",
    "refused": "refused",
    "document": "document download",
    "who-has-seen": "who has seen",
    "emergency-review": "emergency access review",
    "emergency-queue": "emergency access queue",
    "open-case": "open a case form",
}


def record_names(user, events) -> tuple[dict[tuple[str, str], str], list[Person]]:
    """Words for the records a list of events is about, and the people those words name.

    Keyed by (record_type, record_id): a person's name, a case's service and family, a
    household's address. A person restricted from `user` is named only as "a restricted
    record", here as on every other page.
    """
    ids: dict[str, set[str]] = {}
    for event in events:
        if event.record_id:
            ids.setdefault(event.record_type, set()).add(event.record_id)
    names: dict[tuple[str, str], str] = {}
    named: dict[int, Person] = {}

    def name(person: Person) -> str:
        if is_restricted_from(user, person):
            return "a restricted record"
        named[person.pk] = person
        return person.full_name

    people = Person.objects.filter(public_id__in=ids.get("person", ())).select_related(
        "restriction"
    )
    for person in people:
        words = name(person)
        names["person", str(person.public_id)] = words[:1].upper() + words[1:]
    cases = Case.objects.filter(public_id__in=ids.get("case", ())).prefetch_related(
        "members__person__restriction"
    )
    for case in cases:
        family = ", ".join(name(m.person) for m in case.members.all())
        names["case", str(case.public_id)] = f"{service_name(case.service)} case: {family}"
    for household in Household.objects.filter(
        public_id__in=ids.get("household", ())
    ).select_related("address"):
        names["household", str(household.public_id)] = f"Household at {household.address}"
    for document in Document.objects.filter(public_id__in=ids.get("document", ())):
        names["document", str(document.public_id)] = "A document on a case"
    return names, list(named.values())


def _described(request: HttpRequest, events, page: str) -> list[dict]:
    """Events in words for a governance page; the look is recorded against each person named."""
    names, named = record_names(request.user, events)
    for person in named:
        record(
            request,
            action="view",
            record_type="person",
            record_id=person.public_id,
            categories=["identity-and-contact"],
            rule="access:governance",
            details={"page": page},
        )
    wording = {category.id: category.wording for category in active_policy().categories}
    return [
        {
            "event": event,
            "categories": [wording.get(c, c) for c in event.categories],
            "record": names.get((event.record_type, event.record_id), ""),
            "page": PAGE_WORDS.get((event.details or {}).get("page", ""), ""),
            "why": event.reason or RULE_WORDS.get(event.rule, event.rule),
        }
        for event in events
    ]


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Was the access justified?",
        choices=ReviewOutcome.choices,
        error_messages={"required": "Select whether the access was justified"},
    )
    note = forms.CharField(
        label="Note (optional)", required=False, max_length=2000, widget=forms.Textarea({"rows": 2})
    )


@role_required(Role.INFORMATION_GOVERNANCE)
@require_safe
def emergency_access_queue(request: HttpRequest) -> HttpResponse:
    events = list(flagged_events().filter(action="break_glass")[:500])
    described = _described(request, events, "emergency-queue")
    return render(
        request,
        "access/emergency_access.html",
        {
            "waiting": [d for d in described if d["event"].reviewed_at is None],
            "reviewed": [d for d in described if d["event"].reviewed_at is not None][:50],
        },
    )


@role_required(Role.INFORMATION_GOVERNANCE)
@require_http_methods(["GET", "HEAD", "POST"])
def review_emergency_access(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_object_or_404(AuditEvent, pk=event_id, flagged=True)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        review(event, reviewed_by=request.user, **form.cleaned_data)
        messages.success(request, "Review recorded")
        return redirect("governance:emergency_access")
    # Everything they opened by break-glass in the hour it lasted: the person, and the
    # case, household and chronology pages that followed.
    until = event.at + timedelta(seconds=BREAK_GLASS_SECONDS)
    looks = list(
        AuditEvent.objects.filter(
            actor=event.actor, flagged=True, id__gt=event.id, at__lte=until
        ).order_by("id")[:200]
    )
    # One naming pass for the break-glass event and the looks that followed it.
    described = _described(request, [event, *looks], "emergency-review")
    return render(
        request,
        "access/review_emergency_access.html",
        {
            "event": event,
            "record": described[0]["record"],
            "form": form,
            "looks": described[1:],
        },
    )


@role_required(Role.INFORMATION_GOVERNANCE)
@require_safe
def who_has_seen(request: HttpRequest, person_id) -> HttpResponse:
    """Every look at and change to a person's record, and the searches that listed them."""
    person = get_object_or_404(
        Person.objects.select_related("restriction__created_by"), public_id=person_id
    )
    events = list(events_for_record("person", person.public_id)[:500])
    described = _described(request, events, "who-has-seen")
    if not events:
        record(
            request,
            action="view",
            record_type="person",
            record_id=person.public_id,
            categories=["identity-and-contact"],
            rule="access:governance",
            details={"page": "who-has-seen"},
        )
    restricted = is_restricted_from(request.user, person)
    context = {
        "person": person,
        "restricted": restricted,
        "ask": who_to_ask(person) if restricted else "",
        "events": described,
    }
    return render(request, "access/who_has_seen.html", context)
