"""For the information governance officer: emergency access to review, and who saw a record."""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import models
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from earlyhelp.access import notices as notices_service
from earlyhelp.access import who_has_seen as seen
from earlyhelp.access.decorators import role_required
from earlyhelp.access.forms import ReviewForm, WhoHasSeenFilters
from earlyhelp.access.guards import audit_looks, look
from earlyhelp.access.models import EmergencyAccessNotice, Restriction
from earlyhelp.access.roles import Role
from earlyhelp.access.rules import BREAK_GLASS_SECONDS, Access, is_restricted_from, who_to_ask
from earlyhelp.audit.log import record
from earlyhelp.audit.models import Action, AuditEvent, ReviewOutcome
from earlyhelp.audit.queries import events_for_record, flagged_events
from earlyhelp.cases.choices import service_name
from earlyhelp.cases.models import Case, Document
from earlyhelp.datamap.registry import categories_of
from earlyhelp.lib.plausible import format_day
from earlyhelp.people.models import Household, Person
from earlyhelp.policy.active import active_policy
from earlyhelp.retention.models import DestructionReview, LegalHold
from earlyhelp.web.once import submitted_once
from earlyhelp.web.words import policy_rule_words, staff_name

# The words for the rule an event relied on, for the "who has seen" list. Every rule the
# code records has words here (tests/web/test_words_not_codes.py finds them in the source);
# a rule of the policy ("project:liia") is named by the policy; no id reaches the page.
RULE_WORDS = {
    "": "",
    "access:allocation": "Allocated to their case or their team's",
    "access:break-glass": "Emergency access",
    "access:no-case": "No case holds the record: open to casework staff",
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
# What the "who has seen" list may be narrowed to, in the words of its "What" column: a look
# that was a search's result is told apart from one that opened the record.
ACTION_FILTERS = {
    Action.VIEW.value: ACTION_WORDS[Action.VIEW],
    seen.LISTED: seen.LISTED_WORDS,
    **{
        action.value: ACTION_WORDS[action]
        for action in Action
        if action
        not in (Action.VIEW, Action.SEARCH, Action.SIGN_IN, Action.SIGN_IN_FAILED, Action.SIGN_OUT)
    },
}
# The rows of the "who has seen" list a page shows.
EVENTS_A_PAGE = 50
# What an event did when its details say more than its action ("Changed"): every "what"
# the retention code records (retention.holds._audit, retention.services), as the "What"
# column of one person's list says it, and before the record it was about.
WHAT_WORDS = {
    "legal hold placed": ("Placed a legal hold", "Placed a legal hold on"),
    "legal hold lifted": ("Lifted a legal hold", "Lifted a legal hold on"),
    "destruction deferred": ("Deferred destruction", "Deferred destroying the records of"),
    "destruction approved": ("Approved destruction", "Approved destroying the records of"),
    "consent given": ("Recorded a parent's consent", "Recorded a parent's consent for"),
    "consent refused": ("Recorded a parent's refusal", "Recorded a parent's refusal for"),
    "consent withdrawn": ("Recorded a withdrawal", "Recorded a parent's withdrawal for"),
    "team created": ("Created a team", "Created a team:"),
    "team renamed": ("Renamed a team", "Renamed a team:"),
    "restriction made": ("Restricted a record", "Restricted the record of"),
    "restriction changed": ("Changed a restriction", "Changed who may open the record of"),
    "restriction lifted": ("Lifted a restriction", "Lifted the restriction on the record of"),
    "media uploaded": ("Uploaded a nursery photo or video", "Uploaded a nursery photo or video of"),
    "media tagged": ("Changed who is in a nursery photo", "Changed who is in a nursery photo of"),
    "media shared": ("Shared a nursery photo or video", "Shared a nursery photo or video of"),
    "media erased": ("Erased nursery photos and videos", "Erased nursery photos and videos of"),
    "media removal asked": (
        "Asked the app's provider to remove a photo",
        "Asked the app's provider to remove a photo of",
    ),
    seen.EXPORTED: (
        "Exported who has seen this record",
        "Exported the list of who has seen the record of",
    ),
    "media past its retention": (
        "Erased a nursery photo or video at the end of its retention period",
        "Erased, at the end of its retention period, a nursery photo or video of",
    ),
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
    "compare_for_merge": "merge form, comparing two records",
    "merge-search": "search on the merge form",
    "restrict_person": "restrict form",
    "add_address": "add an address form",
    "add_contact_method": "add a telephone or email form",
    "record_fact": "record information form",
    "person_chronology_view": "chronology",
    "household_detail": "household page",
    "household_chronology_view": "household chronology",
    "case_chronology_view": "case chronology",
    "chronology-print": "chronology, to print",
    "person_chronology_print": "chronology, to print",
    "household_chronology_print": "household chronology, to print",
    "case_chronology_print": "case chronology, to print",
    "case-contacts": "every contact of a case",
    "case_contacts": "every contact of a case",
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
    "disclosure-letter": "a disclosure's letter to the family, to print",
    "disclosure-withdraw-link": "withdraw a disclosure's protected package link form",
    "disclosure-new-link": "make a new protected package link for a disclosure form",
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
    "consents": "a nursery child's photo and video consent",
    "child_consents": "a nursery child's photo and video consent",
    "record-consent": "record a parent's consent decision form",
    "record_consent": "record a parent's consent decision form",
    "withdraw-consent": "withdraw a consent form",
    "withdraw_consent": "withdraw a consent form",
    "media-queue": "nursery photos and videos share queue",
    "media-upload": "upload a nursery photo or video form",
    "media-item": "a nursery photo or video",
    "media-tags": "children in a nursery photo or video form",
    "media-file-preview": "a nursery photo's preview",
    "media-file-full": "a nursery photo or video, opened",
    "child-media": "a nursery child's photos and videos",
    "child_media": "a nursery child's photos and videos",
    "erase-child-media": "erase a nursery child's photos and videos form",
    "erase_child_media": "erase a nursery child's photos and videos form",
    "removal_asked": "record that the app's provider was asked to remove a photo or video",
    "consents-to-ask": "consents to ask parents for",
    "restrictions": "the list of restricted records",
    "lift-restriction": "lift a restriction form",
    "lift_restriction": "lift a restriction form",
    seen.EXPORT_PAGE: "who has seen, exported as a spreadsheet file (CSV)",
}


@dataclass(frozen=True)
class Reference:
    """A record a reason names by its public id ("Legal hold <id>"), and its words.

    `model`: where to look it up by public_id (None: the words need no look-up, and say
    nothing more of the person than the event does). `shows`: the models whose fields the
    words show, whose categories the look at the page records."""

    gone: str
    model: type[models.Model] | None = None
    words: Callable[[models.Model], str] | None = None
    shows: tuple[type[models.Model], ...] = ()


def _hold_words(hold: LegalHold) -> str:
    reference = f" (their reference {hold.reference})" if hold.reference else ""
    return f"a legal hold asked for by {hold.issuer}{reference}"


def _review_words(review: DestructionReview) -> str:
    planned = timezone.localtime(review.planned_at).date()
    return f"a destruction review planned {format_day(planned)}"


_REVIEW = Reference("a destruction review no longer recorded", DestructionReview, _review_words)
# The records the code names in a reason by their public id, by the words before the id
# (retention: "Legal hold <id>", "Destruction review <id>", "Destruction approved in review
# <id>"; sharing: "Disclosure <id>", "Partner request <id>", "Relocation <id>"). Looked up
# once a page for all its rows; an id of any other kind is left out of the words.
REFERENCES = {
    "legal hold": Reference(
        "a legal hold no longer recorded", LegalHold, _hold_words, shows=(LegalHold,)
    ),
    "destruction review": _REVIEW,
    "review": _REVIEW,
    "disclosure": Reference("a disclosure of their information"),
    "partner request": Reference("a partner's request for information about them"),
    "relocation": Reference("their move abroad"),
}
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_KINDS = "|".join(re.escape(kind) for kind in sorted(REFERENCES, key=len, reverse=True))
REFERENCE = re.compile(rf"\b(?P<kind>{_KINDS}) (?P<id>{_UUID})\b", re.IGNORECASE)
ANY_ID = re.compile(rf"\s*\b{_UUID}\b", re.IGNORECASE)
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def referenced(events: Iterable[AuditEvent]) -> dict[tuple[type, str], models.Model]:
    """The records the events' reasons name by id, keyed (model, public id): one query a
    kind of record for the whole page, never one a row."""
    wanted: dict[type[models.Model], set[str]] = {}
    for event in events:
        for found in REFERENCE.finditer(event.reason or ""):
            model = REFERENCES[found["kind"].lower()].model
            if model is not None:
                wanted.setdefault(model, set()).add(found["id"].lower())
    return {
        (model, str(row.public_id)): row
        for model, ids in wanted.items()
        for row in model.objects.filter(public_id__in=sorted(ids))
    }


def _day_words(found: re.Match) -> str:
    try:
        return format_day(date.fromisoformat(found.group()))
    except ValueError:
        return found.group()


def reason_words(
    reason: str, records: dict[tuple[type, str], models.Model]
) -> tuple[str, set[type[models.Model]]]:
    """A reason as a reader reads it, and the models its words show.

    "Legal hold <id>" -> "A legal hold asked for by the Met Police"; "Destruction deferred
    until 2027-03-01" -> "... until 1 March 2027". No id reaches the words; the stored event
    keeps them. `records`: from referenced()."""
    shown: set[type[models.Model]] = set()

    def named(found: re.Match) -> str:
        kind = REFERENCES[found["kind"].lower()]
        row = records.get((kind.model, found["id"].lower())) if kind.model else None
        if row is None or kind.words is None:
            return kind.gone
        shown.update(kind.shows)
        return kind.words(row)

    words = ISO_DAY.sub(_day_words, reason)
    words = ANY_ID.sub("", REFERENCE.sub(named, words))
    return capfirst(" ".join(words.split())), shown


def rule_words(rule: str) -> str:
    """The rule an event relied on, in words; never the rule's id."""
    if rule in RULE_WORDS:
        return RULE_WORDS[rule]
    return policy_rule_words(active_policy(), rule)


def action_words(action: str) -> str:
    return ACTION_WORDS.get(action, "Did something the service no longer names")


def _what(event: AuditEvent) -> tuple[str, str] | None:
    what = event.details.get("what") if isinstance(event.details, dict) else None
    return WHAT_WORDS.get(what) if isinstance(what, str) else None


def event_action_words(event: AuditEvent) -> str:
    """What an event did: "Lifted a legal hold" where its details say so, "Listed in search
    results" for a search's look at the person, else its action."""
    if seen.listed_in_search(event):
        return seen.LISTED_WORDS
    what = _what(event)
    return what[0] if what else action_words(event.action)


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
        # In the order the case recorded them (the children first), on any database: a
        # prefetch has no order of its own, and PostgreSQL's varies.
        members = sorted(case.members.all(), key=lambda member: member.pk)
        family = ", ".join(name(m.person) for m in members)
        names["case", str(case.public_id)] = f"{service_name(case.service)} case: {family}"
    for household in Household.objects.filter(
        public_id__in=ids.get("household", ())
    ).select_related("address"):
        names["household", str(household.public_id)] = f"Household at {household.address}"
    for document in Document.objects.filter(public_id__in=ids.get("document", ())):
        names["document", str(document.public_id)] = "a document on a case"
    return names, list(named.values())


def _described(request: HttpRequest, events, page: str) -> list[dict]:
    """Events in words for a governance page; the look is recorded against each person named,
    with the categories of what the page shows of them (a legal hold's issuer, say)."""
    described, named, shown = _in_words(request.user, events)
    for person in named:
        more = shown.get(("person", str(person.public_id)), set())
        record(
            request,
            action="view",
            record_type="person",
            record_id=person.public_id,
            categories=categories_of(*PERSON_LISTED, *more),
            rule="access:governance",
            details={"page": page},
        )
    return described


def _in_words(user, events) -> tuple[list[dict], list[Person], dict]:
    """Events in words for `user`, the people the words name, and the models whose fields
    they show, by record ((record_type, record_id): set of models). Records nothing."""
    names, named = record_names(user, events)
    records = referenced(events)
    wording = {category.id: category.wording for category in active_policy().categories}
    described = []
    shown: dict[tuple[str, str], set[type[models.Model]]] = {}
    for event in events:
        record_words = names.get((event.record_type, event.record_id), "")
        why, shows = reason_words(event.reason, records) if event.reason else ("", set())
        shown.setdefault((event.record_type, event.record_id), set()).update(shows)
        described.append(
            {
                "event": event,
                "who": staff_name(event.actor),
                "action": event_action_words(event),
                "what": what_words(event, record_words),
                "categories": [
                    wording.get(c, "a category no longer in the policy") for c in event.categories
                ],
                "record": capfirst(record_words),
                "page": PAGE_WORDS.get((event.details or {}).get("page", ""), ""),
                "why": why or rule_words(event.rule),
                "outcome": _outcome_words(getattr(event, "review_outcome", None)),
            }
        )
    return described, named, shown


def what_words(event: AuditEvent, record_words: str) -> str:
    """One event in a sentence: "Emergency access to Yusuf Haddad's record", "Looked at ..."."""
    if event.action == Action.BREAK_GLASS:
        if event.record_type == "person" and record_words:
            if record_words == "a restricted record":
                return "Emergency access to a restricted record"
            return f"Emergency access to {record_words}'s record"
        return f"Emergency access to {RECORD_WORDS.get(event.record_type, 'a record')}"
    about = record_words or RECORD_WORDS.get(event.record_type, "a record")
    what = _what(event)
    return f"{what[1] if what else action_words(event.action)} {about}"


def _outcome_words(outcome: str | None) -> str:
    if not outcome:
        return ""
    return ReviewOutcome(outcome).label if outcome in ReviewOutcome.values else ""


@role_required(Role.INFORMATION_GOVERNANCE)
@require_safe
def restrictions(request: HttpRequest) -> HttpResponse:
    """Every restriction of who may open a record: whose, who may open it, who made or last
    changed it, and its review date, the overdue first. Each person named is a look."""
    rows = list(
        Restriction.objects.select_related("person", "created_by", "changed_by")
        .prefetch_related("named_users")
        .order_by(F("review_on").asc(nulls_first=True), "person__family_name", "pk")
    )
    audit_looks(
        request,
        [
            look(Access(True), "person", r.person.public_id, categories_of(Restriction),
                 page="restrictions")
            for r in rows
        ],
    )  # fmt: skip
    today = timezone.localdate()
    return render(request, "access/restrictions.html", {"rows": rows, "today": today})


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


def _review_message(outcome: str, event: AuditEvent, sent: list) -> str:
    """What the officer is told once a review is recorded: who was told of it, if anyone."""
    if outcome != ReviewOutcome.NOT_JUSTIFIED:
        return "Review recorded"
    worker = staff_name(event.actor)
    if not sent and EmergencyAccessNotice.objects.filter(review__event=event).exists():
        return (
            f"Review recorded. The managers of {worker} were told by an earlier review that "
            "this emergency access was not justified, so they were not told again"
        )
    if not sent:
        return (
            f"Review recorded. {worker} is in no team with a team manager, so no manager "
            "was told: tell their manager yourself"
        )
    managers = ", ".join(staff_name(notice.manager) for notice in sent)
    return (
        f"Review recorded. {managers} will see on their home page that the emergency "
        f"access by {worker} was not justified"
    )


@role_required(Role.INFORMATION_GOVERNANCE)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def review_emergency_access(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_object_or_404(AuditEvent, pk=event_id, flagged=True)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _, sent = notices_service.review_emergency_access(request, event, **form.cleaned_data)
        messages.success(request, _review_message(form.cleaned_data["outcome"], event, sent))
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


def _filters(request: HttpRequest, person: Person) -> WhoHasSeenFilters:
    """The "who has seen" filters as the address gives them, offering the staff with an
    event against the person."""
    staff = seen.actors_of("person", person.public_id)
    return WhoHasSeenFilters(request.GET, staff=staff, actions=ACTION_FILTERS)


def _chosen(form: WhoHasSeenFilters) -> seen.Filters:
    data = form.cleaned_data
    return seen.Filters(
        actor_id=int(data["who"]) if data.get("who") else None,
        role=data.get("role", ""),
        action=data.get("action", ""),
        since=data.get("since"),
        until=data.get("until"),
    )


@role_required(Role.INFORMATION_GOVERNANCE)
@require_safe
def who_has_seen(request: HttpRequest, person_id) -> HttpResponse:
    """Every look at and change to a person's record, and the searches that listed them,
    newest first, by pages: narrowed by whom, their role, what they did and the days."""
    person = get_object_or_404(
        Person.objects.select_related("restriction__created_by"), public_id=person_id
    )
    form = _filters(request, person)
    page = None
    described: list[dict] = []
    if form.is_valid():
        chosen = _chosen(form)
        events = seen.filtered(events_for_record("person", person.public_id), chosen)
        page = Paginator(events, EVENTS_A_PAGE).get_page(request.GET.get("page"))
        described = _described(request, list(page.object_list), "who-has-seen")
    restricted = is_restricted_from(request.user, person)
    if not described or restricted:
        # The page is about the person even when it lists nothing of theirs, or names them
        # only as a restricted record (_described records a look only at those it names).
        record(
            request,
            action="view",
            record_type="person",
            record_id=person.public_id,
            categories=categories_of(*PERSON_LISTED),
            rule="access:governance",
            details={"page": "who-has-seen"},
        )
    # The filters as chosen, without the page: what the page links and the export keep.
    query = urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])
    context = {
        "person": person,
        "restricted": restricted,
        "ask": who_to_ask(person) if restricted else "",
        "form": form,
        "filtered": form.is_valid() and any(form.cleaned_data.values()),
        "page": page,
        "events": described,
        "query": query,
    }
    return render(request, "access/who_has_seen.html", context)


@role_required(Role.INFORMATION_GOVERNANCE)
# GET only: a HEAD (a link checker, a prefetch) would be recorded as an export of a file
# no one received.
@require_GET
def who_has_seen_export(request: HttpRequest, person_id) -> HttpResponse:
    """The "who has seen" list, narrowed as the page was, as a CSV file in the page's words;
    the export is recorded against the person. Filters that are not right go back to the
    page, which says what is wrong."""
    person = get_object_or_404(
        Person.objects.select_related("restriction__created_by"), public_id=person_id
    )
    form = _filters(request, person)
    if not form.is_valid():
        page = reverse("governance:who_has_seen", args=[person.public_id])
        return redirect(f"{page}?{request.GET.urlencode()}")
    events = list(seen.filtered(events_for_record("person", person.public_id), _chosen(form)))
    described, _, shown = _in_words(request.user, events)
    more = shown.get(("person", str(person.public_id)), set())
    rows = [
        (
            seen.when_words(item["event"].at),
            item["who"],
            item["action"],
            capfirst(item["page"]),
            "; ".join(item["categories"]),
            item["why"],
        )
        for item in described
    ]
    seen.record_export(request, person, categories_of(*PERSON_LISTED, *more), len(rows))
    response = HttpResponse(seen.csv_text(rows), content_type="text/csv; charset=utf-8")
    filename = seen.export_filename(timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(Role.TEAM_MANAGER)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def emergency_access_notice(request: HttpRequest, notice_id) -> HttpResponse:
    """A notice to this manager that a worker's emergency access was found not justified,
    and marking it read. Anyone else's notice is not found."""
    notice = get_object_or_404(
        EmergencyAccessNotice.objects.select_related(
            "worker", "review__reviewed_by", "review__event"
        ),
        public_id=notice_id,
        manager=request.user,
    )
    if request.method == "POST":
        if notices_service.mark_read(request, notice):
            messages.success(request, "Notice marked as read")
        return redirect("governance:emergency_access_notice", notice_id=notice.public_id)
    return render(request, "access/emergency_access_notice.html", {"notice": notice})
