"""The chronology: every event for a child or a family, newest first.

Each kind of event is read with one query (only the columns shown), then the
kinds are merged in date order. A family with thousands of events stays one
page request of a few small queries.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time

from django.db.models import Q
from django.utils import timezone

from earlyhelp.cases.choices import (
    AssessmentKind,
    AttendanceStatus,
    ContactKind,
    SessionKind,
    closure_reason_name,
    revealed_by,
    service_telling_nothing,
)
from earlyhelp.cases.corrections import corrected_pks, struck_out_reasons
from earlyhelp.cases.models import (
    Assessment,
    Attendance,
    Case,
    CaseMember,
    CaseNote,
    Contact,
    Document,
    Plan,
    PlanReview,
    Reopening,
)
from earlyhelp.people.models import Household, HouseholdMember, Person

SUMMARY_CHARS = 300

KINDS = {
    "contact": "Contact",
    "assessment": "Assessment",
    "plan": "Plan",
    "case": "Case opened or closed",
    "attendance": "Attendance",
    "document": "Document",
    "note": "Case note",
}


@dataclass(frozen=True)
class Event:
    when: datetime
    kind: str
    title: str
    summary: str
    case_id: object | None = None  # the case's public_id, for a link
    contact_id: int | None = None  # a contact whose note with_notes() has not read yet
    struck_out: str = ""  # why the contact was struck out (cases.corrections), if it was
    corrected: bool = False  # the contact was corrected; its earlier versions are kept
    case_note_id: int | None = None  # a case note whose text with_notes() has not read yet
    reveals: tuple[str, ...] = ()  # categories a named session's service reveals (choices)

    @property
    def label(self) -> str:
        return KINDS[self.kind]


def _shorten(note: str) -> str:
    """A note cut to SUMMARY_CHARS ends at a word, with an ellipsis to say there is more."""
    if len(note) < SUMMARY_CHARS:
        return note
    return note[: SUMMARY_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _case_events(cases, public: dict) -> Iterable[Event]:
    for case in cases.values("public_id", "service", "started", "ended", "closure_reason"):
        yield Event(_at(case["started"]), "case", "Case opened", "", case["public_id"])
        if case["ended"]:
            yield Event(
                _at(case["ended"]),
                "case",
                "Case closed",
                closure_reason_name(case["closure_reason"]),
                case["public_id"],
            )
    # A reopened case's earlier closures live on only in its reopenings.
    for reopening in Reopening.objects.filter(case__in=cases).only(
        "case_id", "was_ended", "was_closure_reason", "reason", "reopened_at"
    ):
        case_id = public[reopening.case_id]
        reason = closure_reason_name(reopening.was_closure_reason)
        yield Event(_at(reopening.was_ended), "case", "Case closed", reason, case_id)
        summary = _shorten(reopening.reason)
        yield Event(reopening.reopened_at, "case", "Case reopened", summary, case_id)


def _attendance_events(
    attendance_filter: Q, reader_services: Collection[str] | None
) -> Iterable[Event]:
    """The register as each person's events: attended, absent, or sent apologies.

    A session of a sub-service whose very name is special category or criminal offence
    data (the policy's `reveals`: a youth justice group) is said only as "a session of <its
    service>" unless the reader works in a team covering the sub-service
    (`reader_services`; None, no reader: everyone's is said that way)."""
    labels = dict(SessionKind.choices)
    said = {
        AttendanceStatus.ATTENDED: "attended",
        AttendanceStatus.ABSENT: "did not attend",
        AttendanceStatus.CANCELLED: "sent apologies for",
    }
    hidden: dict[str, str | None] = {}  # service id: what to say instead, looked up once
    rows = Attendance.objects.filter(attendance_filter, status__in=list(said))
    for day, kind, title, service, name, status in rows.values_list(
        "session__held_on",
        "session__kind",
        "session__title",
        "session__service",
        "person__given_name",
        "status",
    ):
        if service not in hidden:
            hidden[service] = service_telling_nothing(service)
        broader = hidden[service]
        if broader is not None and (reader_services is None or service not in reader_services):
            summary = f"{name} {said[status]} a session of {broader}"
            yield Event(_at(day), "attendance", "Session", summary)
        else:
            summary = f"{name} {said[status]} {title}"
            reveals = revealed_by(service) if broader is not None else ()
            yield Event(_at(day), "attendance", labels[kind], summary, reveals=reveals)


def events_for_cases(
    case_ids: list[int],
    attendance_filter: Q,
    kinds: set[str],
    reader_services: Collection[str] | None = None,
    special_note_cases: Collection[int] = (),
) -> list[Event]:
    """The events of the cases `case_ids` and the attendance `attendance_filter` picks, of
    the `kinds` asked for, newest first; see _attendance_events for `reader_services`.

    A case note marked special category is an event only on the cases in
    `special_note_cases` (those whose special category notes the reader may read,
    cases.case_notes.special_note_cases); elsewhere it is left out, as on the case page.
    """
    # Case ids first, each by an indexed lookup: filtering by a join with an OR in it
    # made every query below read the whole cases table.
    cases = Case.objects.filter(pk__in=case_ids)
    # Each case's public id once, not once an event (a UUID made 2,000 times a page).
    public = dict(cases.values_list("pk", "public_id"))
    events: list[Event] = []
    if "contact" in kinds:
        labels = dict(ContactKind.choices)
        # Notes are encrypted: with_notes() decrypts only those of the page shown.
        rows = Contact.objects.filter(case__in=cases).values_list(
            "occurred_at", "kind", "pk", "case_id"
        )
        events += [
            Event(at, "contact", labels.get(k, k), "", public[c], contact_id=pk)
            for at, k, pk, c in rows
        ]
    if "assessment" in kinds:
        labels = dict(AssessmentKind.choices)
        rows = Assessment.objects.filter(case__in=cases).values_list(
            "started", "completed", "kind", "case_id"
        )
        for started, completed, kind, pk in rows:
            case_id = public[pk]
            events.append(Event(_at(started), "assessment", f"{labels[kind]} started", "", case_id))
            if completed:
                title = f"{labels[kind]} completed"
                events.append(Event(_at(completed), "assessment", title, "", case_id))
    if "plan" in kinds:
        rows = Plan.objects.filter(case__in=cases).values_list("agreed", "review_date", "case_id")
        events += [
            Event(_at(agreed), "plan", "Plan agreed", f"Review due {review:%-d %B %Y}", public[c])
            for agreed, review, c in rows
        ]
        reviews = PlanReview.objects.filter(plan__case__in=cases).values_list(
            "reviewed_on", "next_review", "plan__case_id"
        )
        events += [
            Event(
                _at(reviewed),
                "plan",
                "Plan reviewed",
                f"Next review due {following:%-d %B %Y}" if following else "No further review set",
                public[c],
            )
            for reviewed, following, c in reviews
        ]
    if "case" in kinds:
        events += _case_events(cases, public)
    if "document" in kinds:
        rows = Document.objects.filter(case__in=cases).values_list(
            "recorded_at", "title", "case_id"
        )
        events += [Event(at, "document", "Document added", t, public[c]) for at, t, c in rows]
    if "attendance" in kinds:
        events += _attendance_events(attendance_filter, reader_services)
    if "note" in kinds:
        labels = dict(CaseNote.Kind.choices)
        rows = CaseNote.objects.filter(case__in=cases).values_list(
            "recorded_at", "kind", "pk", "case_id", "special_category"
        )
        events += [
            Event(at, "note", labels[k], "", public[c], case_note_id=pk)
            for at, k, pk, c, special in rows
            if not special or c in special_note_cases
        ]
    events.sort(key=lambda event: event.when, reverse=True)
    return events


def with_notes(events: Iterable[Event]) -> list[Event]:
    """The events with each contact's and case note's text, decrypted and shortened, as
    its summary.

    A family's chronology has thousands of contacts and a page shows fifty: decrypting
    every note to show a page of them was most of the page's time. A contact struck out
    (cases.corrections) keeps its note and carries the reason, as on the case page.
    """
    events = list(events)
    wanted = [event.contact_id for event in events if event.contact_id is not None]
    notes = dict(Contact.objects.filter(pk__in=wanted).values_list("pk", "note"))
    struck = struck_out_reasons(Contact, wanted)
    corrected = corrected_pks(Contact, wanted)
    case_notes = [event.case_note_id for event in events if event.case_note_id is not None]
    written = dict(CaseNote.objects.filter(pk__in=case_notes).values_list("pk", "note"))
    read = []
    for event in events:
        if event.contact_id is not None:
            event = replace(
                event,
                summary=_shorten(notes.get(event.contact_id, "")),
                struck_out=struck.get(event.contact_id, ""),
                corrected=event.contact_id in corrected,
                contact_id=None,
            )
        elif event.case_note_id is not None:
            summary = _shorten(written.get(event.case_note_id, ""))
            event = replace(event, summary=summary, case_note_id=None)
        read.append(event)
    return read


Stay = tuple[date | None, date]  # a former member's time in the household: joined, left


def _members_and_former(household: Household) -> tuple[list[int], dict[int, list[Stay]]]:
    """Who lives in the household now (person ids), and each stay of those who no longer
    do (someone who left, came back and left again has two)."""
    current, former = [], {}
    for person_id, joined_on, left_on in HouseholdMember.objects.filter(
        household=household
    ).values_list("person_id", "joined_on", "left_on"):
        if left_on is None:
            current.append(person_id)
        else:
            former.setdefault(person_id, []).append((joined_on, left_on))
    for person_id in current:
        former.pop(person_id, None)  # living here now: all their history is the household's
    return current, former


def _during(stay: Stay, started: str, ended: str | None = None) -> Q:
    """Rows of a former member's (dates in `started`, and `ended` if given) that fall in
    their stay: begun by the day they left, and not over before they came (when known)."""
    joined, left = stay
    within = Q(**{f"{started}__lte": left})
    if joined is not None:
        if ended is None:
            within &= Q(**{f"{started}__gte": joined})
        else:
            within &= Q(**{f"{ended}__isnull": True}) | Q(**{f"{ended}__gte": joined})
    return within


def household_case_ids(household: Household) -> set[int]:
    """The household's own cases, every case someone living there now is on, and the
    cases a former member was on while they lived there (begun by the day they left, and
    not closed before they came, for each stay).

    A family's history keeps a former member's time in it; their life after they left
    (a case at their new address), or between two stays, is not the household's.
    """
    current, former = _members_and_former(household)
    case_ids = set(Case.objects.filter(household=household).values_list("pk", flat=True))
    case_ids |= set(CaseMember.objects.filter(person__in=current).values_list("case_id", flat=True))
    for person_id, stays in former.items():
        for stay in stays:
            case_ids |= set(
                CaseMember.objects.filter(
                    _during(stay, "case__started", "case__ended"), person_id=person_id
                ).values_list("case_id", flat=True)
            )
    return case_ids


def household_chronology(
    household: Household,
    kinds: set[str] | None = None,
    only_cases: Collection[int] | None = None,
    reader_services: Collection[str] | None = None,
    special_note_cases: Collection[int] = (),
) -> list[Event]:
    """Events of the household's cases, and its members' attendance, newest first.

    A former member's attendance is shown up to the day they left, as their cases are
    (household_case_ids). Contacts' notes are not read: pass the events shown to
    with_notes().

    `only_cases` limits the cases to those given (the ones the reader may open);
    `reader_services`, the services whose sessions the reader may name (sessions.services_of);
    `special_note_cases`, see events_for_cases.
    """
    current, former = _members_and_former(household)
    attended = Q(person__in=current)
    for person_id, stays in former.items():
        for stay in stays:
            attended |= Q(_during(stay, "session__held_on"), person_id=person_id)
    case_ids = household_case_ids(household)
    if only_cases is not None:
        case_ids &= set(only_cases)
    return events_for_cases(
        sorted(case_ids), attended, kinds or set(KINDS), reader_services, special_note_cases
    )


def person_chronology(
    person: Person,
    kinds: set[str] | None = None,
    only_cases: Collection[int] | None = None,
    reader_services: Collection[str] | None = None,
    special_note_cases: Collection[int] = (),
) -> list[Event]:
    """Events of the person's cases, and their attendance, newest first.

    Contacts' notes are not read: pass the events shown to with_notes().

    `only_cases` limits the cases to those given (the ones the reader may open);
    `reader_services`, the services whose sessions the reader may name (sessions.services_of);
    `special_note_cases`, see events_for_cases.
    """
    case_ids = set(CaseMember.objects.filter(person=person).values_list("case_id", flat=True))
    if only_cases is not None:
        case_ids &= set(only_cases)
    return events_for_cases(
        sorted(case_ids), Q(person=person), kinds or set(KINDS), reader_services, special_note_cases
    )
