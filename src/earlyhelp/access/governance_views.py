"""For the information governance officer: emergency access to review, and who saw a record."""

from datetime import timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.views.decorators.http import require_http_methods, require_safe

from earlyhelp.access.decorators import role_required
from earlyhelp.access.forms import ReviewForm
from earlyhelp.access.roles import Role
from earlyhelp.access.rules import BREAK_GLASS_SECONDS, is_restricted_from, who_to_ask
from earlyhelp.audit.log import record
from earlyhelp.audit.models import Action, AuditEvent, ReviewOutcome
from earlyhelp.audit.queries import events_for_record, flagged_events, review
from earlyhelp.cases.choices import service_name
from earlyhelp.cases.models import Case, Document
from earlyhelp.datamap.registry import categories_of
from earlyhelp.people.models import Household, Person
from earlyhelp.policy.active import active_policy
from earlyhelp.web.once import submitted_once
from earlyhelp.web.words import policy_rule_words, staff_name

# The words for the rule an event relied on, for the "who has seen" list. Every rule the
# code records has words here (tests/web/test_words_not_codes.py finds them in the source);
# a rule of the policy ("project:liia") is named by the policy; no id reaches the page.
RULE_WORDS = {
    "": "",
    "access:allocation": "Allocated to their case or their team's",
    "access:break-glass": "Emergency access",
    "access:refused": "Refused: the record is not open to them",
    "access:listed": "Listed without access: name, age, area and who holds it",
    "access:restricted-match": "Matched a search; restricted, so nothing was shown",
    "access:governance": "Information governance review",
    "access:rights-request": "Handling a rights request about them",
    "retention:legal-hold": "Information governance: legal holds",
    "retention:review": "Reviewing records due for destruction",
}
# What someone did, in words, for every action the audit trail records.
ACTION_WORDS = {
    Action.VIEW: "Looked at",
    Action.SEARCH: "Found in a search",
    Action.CREATE: "Added",
    Action.CHANGE: "Changed",
    Action.DELETE: "Deleted",
    Action.EXPORT: "Sent out in an extract",
    Action.SHARE: "Shared",
    Action.PRINT: "Printed",
    Action.SIGN_IN: "Signed in",
    Action.SIGN_IN_FAILED: "Failed to sign in",
    Action.SIGN_OUT: "Signed out",
    Action.BREAK_GLASS: "Opened in an emergency",
    Action.MERGE: "Merged a duplicate record",
    Action.UNDO_MERGE: "Undid a merge",
    Action.ALLOCATE: "Allocated",
    Action.RESTRICT: "Restricted",
}
# A governance page names people: their names, as any list of people shows them.
PERSON_LISTED = (Person,)
# A record named by its kind, when it has since been removed.
RECORD_WORDS = {
    "person": "a person's record since removed",
    "case": "a case since removed",
    "household": "a household since removed",
    "document": "a document since removed",
}
# The words for the page a look was on: the pages that name it, and every page whose
# guard records the look for it (by the view's name).
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
    "work-list": "work list",
    "session": "group session page",
    "session-expected": "who is expected at a group session form",
    "session-register": "group session register",
    "session-walk-in": "add a walk-in to a group session",
    "new-allocations": "cases newly allocated, on the home page",
    "allocate": "allocate a case form",
    "person_detail": "record page",
    "edit_person": "change details form",
    "merge_person": "merge form",
    "restrict_person": "restrict form",
    "add_address": "add an address form",
    "add_contact_method": "add a telephone or email form",
    "record_fact": "record information form",
    "person_chronology_view": "chronology",
    "household_detail": "household page",
    "household_chronology_view": "household chronology",
    "case_detail": "case page",
    "open_case_view": "open a case form",
    "add_contact": "add a contact form",
    "add_document": "add a document form",
    "agree_plan": "agree a plan form",
    "plan_detail": "plan page",
    "add_plan_goal": "add a goal to a plan form",
    "edit_plan_goal": "change a plan's goal form",
    "review_plan": "review a plan form",
    "start_assessment": "start an assessment form",
    "edit_assessment": "record an assessment form",
    "complete_assessment": "complete an assessment form",
    "assessment_detail": "assessment page",
    "request_closure": "request closure form",
    "closure_detail": "closure request page",
    "decide_closure": "sign off or return a closure form",
    "reopen_case": "reopen a case form",
    "returned-closures": "closure requests returned, on the home page",
    "add_case_note": "write a case note form",
    "add_household_member": "add a person to a household form",
    "leave_household": "record that someone left a household form",
    "add_relationship": "record a relationship form",
    "correct_contact": "correct or strike out a contact form",
    "correct_person_record": "correct or strike out a record form",
    "record_corrections": "corrections to a record",
    "rights-correction": "correction on a rights request",
    "rights-correct-record": "correct or strike out a record on a rights request",
    "rights-erasure": "erasure on a rights request",
    "rights-restriction": "restriction of processing on a rights request",
    "rights-objection": "objection on a rights request",
    "rights-withdraw-objection": "withdraw an objection on a rights request",
    "rights-request": "a rights request's page",
    "rights-find-records": "finding records for a rights request",
    "rights-duplicates": "possible duplicates of a record for a rights request",
    "rights-add-record": "add a record to a rights request",
    "rights-remove-record": "remove a record from a rights request",
    "rights-child-access": "decide a parent's access to a child's records",
    "share": "share information form",
    "share_information": "share information form",
    "not-sharing": "record a decision not to share form",
    "record_not_sharing": "record a decision not to share form",
    "disclosure": "a disclosure's page",
    "decide-disclosure": "approve or refuse a disclosure form",
    "disclosure-sent": "record that a disclosure was sent form",
    "disclosure-package": "send a disclosure as a protected package form",
    "disclosure-family-told": "record that the family was told of a disclosure form",
    "disclosure-log": "disclosure log",
    "disclosures-waiting": "disclosures waiting for approval, on the home page",
    "share-from-case": "share information from a case: choosing the person",
    "share_from_case": "share information from a case: choosing the person",
    "log_partner_request": "log a request from a partner form",
    "partner-request": "a request from a partner",
    "partner-requests": "open requests from partners",
    "partner-request-approval": "approve answering a partner's request form",
    "partner-request-answer": "answer a partner's request by sharing form",
    "partner-request-refuse": "answer a partner's request by not sharing form",
    "record_relocation": "record a move abroad form",
    "share-abroad": "share with an authority abroad form",
    "share-in-emergency": "share in a safeguarding emergency form",
    "share_abroad": "share with an authority abroad form",
    "share_in_emergency": "share in a safeguarding emergency form",
    "emergency-share-approval": "approve an emergency share form",
    "emergency-shares-waiting": "emergency shares awaiting approval, on the home page",
    "legal-holds": "legal holds",
    "legal-hold": "a legal hold's page",
    "place-legal-hold": "place a legal hold form",
    "destruction-review": "a destruction review",
    "destruction-certificate": "a certificate of destruction",
}


def rule_words(rule: str) -> str:
    """The rule an event relied on, in words; never the rule's id."""
    if rule in RULE_WORDS:
        return RULE_WORDS[rule]
    return policy_rule_words(active_policy(), rule)


def action_words(action: str) -> str:
    return ACTION_WORDS.get(action, "Did something the service no longer names")


def record_names(user, events) -> tuple[dict[tuple[str, str], str], list[Person]]:
    """Words for the records a list of events is about, and the people those words name.

    Keyed by (record_type, record_id): a person's name, a case's service and family, a
    household's address, as they read in the middle of a sentence. A person restricted
    from `user` is named only as "a restricted record", here as on every other page.
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
        names["person", str(person.public_id)] = name(person)
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
        names["document", str(document.public_id)] = "a document on a case"
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
            categories=categories_of(*PERSON_LISTED),
            rule="access:governance",
            details={"page": page},
        )
    wording = {category.id: category.wording for category in active_policy().categories}
    described = []
    for event in events:
        record_words = names.get((event.record_type, event.record_id), "")
        described.append(
            {
                "event": event,
                "who": staff_name(event.actor),
                "action": action_words(event.action),
                "what": what_words(event, record_words),
                "categories": [
                    wording.get(c, "a category no longer in the policy") for c in event.categories
                ],
                "record": capfirst(record_words),
                "page": PAGE_WORDS.get((event.details or {}).get("page", ""), ""),
                "why": event.reason or rule_words(event.rule),
                "outcome": _outcome_words(getattr(event, "review_outcome", None)),
            }
        )
    return described


def what_words(event: AuditEvent, record_words: str) -> str:
    """One event in a sentence: "Emergency access to Yusuf Haddad's record", "Looked at ..."."""
    if event.action == Action.BREAK_GLASS:
        if event.record_type == "person" and record_words:
            if record_words == "a restricted record":
                return "Emergency access to a restricted record"
            return f"Emergency access to {record_words}'s record"
        return f"Emergency access to {RECORD_WORDS.get(event.record_type, 'a record')}"
    about = record_words or RECORD_WORDS.get(event.record_type, "a record")
    return f"{action_words(event.action)} {about}"


def _outcome_words(outcome: str | None) -> str:
    if not outcome:
        return ""
    return ReviewOutcome(outcome).label if outcome in ReviewOutcome.values else ""


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
@submitted_once
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
            "who": described[0]["who"],
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
            categories=categories_of(*PERSON_LISTED),
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
