"""The chronology: every event for a child, a family or a case, newest first.

Each kind of event is read with one query (only the columns shown), then the
kinds are merged in date order. A family with thousands of events stays one
page request of a few small queries.

Besides the work on cases, a person's recorded facts and address changes are events
(`Subject` says whose, and which kinds of fact the reader may see), and so is each
allocation of a case. Every event knows who recorded it (`by`), so that the page can be
filtered by date and by member of staff (`filtered`).
"""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time

from django.db.models import Q
from django.utils import timezone

from earlyhelp.cases.choices import (
    AssessmentKind,
    AttendanceStatus,
    ClosureDecision,
    ContactKind,
    SessionKind,
    closure_reason_name,
    revealed_by,
    service_telling_nothing,
)
from earlyhelp.cases.corrections import corrected_pks, struck_out_reasons
from earlyhelp.cases.models import (
    Allocation,
    Assessment,
    Attendance,
    Case,
    CaseMember,
    CaseNote,
    ClosureRequest,
    Contact,
    Document,
    Plan,
    PlanReview,
    Reopening,
)
from earlyhelp.datamap.registry import categories_of
from earlyhelp.people.models import Address, Household, HouseholdMember, Person, PersonAddress
from earlyhelp.web.templatetags.words import fact_fields
from earlyhelp.web.words import NO_NAME

SUMMARY_CHARS = 300

KINDS = {
    "contact": "Contact",
    "assessment": "Assessment",
    "plan": "Plan",
    "case": "Case opened or closed",
    "attendance": "Attendance",
    "document": "Document",
    "note": "Case note",
    "allocation": "Case allocation",
    "fact": "Recorded fact",
    "address": "Address change",
}
# What an address change shows of the person: the address and when they moved.
ADDRESS_SHOWS = (PersonAddress, Address)


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
    by: int | None = None  # the member of staff who recorded it (their user id), if known
    about: int | None = None  # whose fact or address it is (their person id)
    shows: tuple[str, ...] = ()  # the categories of that fact or address, for the audit
    recorder: str = ""  # who recorded it, in words, once the page names them (by_name)

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
    # Who closed a case: the manager who signed off the closure of that day.
    signed_off = {
        (case_id, closing_on): decided_by
        for case_id, closing_on, decided_by in ClosureRequest.objects.filter(
            case__in=cases, decision=ClosureDecision.APPROVED
        ).values_list("case_id", "closing_on", "decided_by_id")
    }
    for case in cases.values(
        "pk", "public_id", "service", "started", "ended", "closure_reason", "created_by_id"
    ):
        opened, case_id = _at(case["started"]), case["public_id"]
        yield Event(opened, "case", "Case opened", "", case_id, by=case["created_by_id"])
        if case["ended"]:
            yield Event(
                _at(case["ended"]),
                "case",
                "Case closed",
                closure_reason_name(case["closure_reason"]),
                case["public_id"],
                by=signed_off.get((case["pk"], case["ended"])),
            )
    # A reopened case's earlier closures live on only in its reopenings.
    for reopening in Reopening.objects.filter(case__in=cases).only(
        "case_id", "was_ended", "was_closure_reason", "reason", "reopened_at", "reopened_by_id"
    ):
        case_id = public[reopening.case_id]
        reason = closure_reason_name(reopening.was_closure_reason)
        closer = signed_off.get((reopening.case_id, reopening.was_ended))
        yield Event(_at(reopening.was_ended), "case", "Case closed", reason, case_id, by=closer)
        summary = _shorten(reopening.reason)
        yield Event(
            reopening.reopened_at,
            "case",
            "Case reopened",
            summary,
            case_id,
            by=reopening.reopened_by_id,
        )


def _allocation_events(cases, public: dict) -> Iterable[Event]:
    """Each allocation of the cases: to whom (or back to no one), by whom, and why."""
    rows = Allocation.objects.filter(case__in=cases).values_list(
        "allocated_at",
        "worker__first_name",
        "worker__last_name",
        "worker_id",
        "allocated_by_id",
        "reason",
        "case_id",
    )
    for at, first, last, worker, by, reason, case in rows:
        if worker is None:
            title = "Case taken back: allocated to no one"
        else:
            title = f"Case allocated to {f'{first} {last}'.strip() or NO_NAME}"
        yield Event(at, "allocation", title, _shorten(reason), public[case], by=by)


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
    for day, kind, title, service, name, status, by in rows.values_list(
        "session__held_on",
        "session__kind",
        "session__title",
        "session__service",
        "person__given_name",
        "status",
        "recorded_by_id",
    ):
        if service not in hidden:
            hidden[service] = service_telling_nothing(service)
        broader = hidden[service]
        if broader is not None and (reader_services is None or service not in reader_services):
            summary = f"{name} {said[status]} a session of {broader}"
            yield Event(_at(day), "attendance", "Session", summary, by=by)
        else:
            summary = f"{name} {said[status]} {title}"
            reveals = revealed_by(service) if broader is not None else ()
            yield Event(_at(day), "attendance", labels[kind], summary, reveals=reveals, by=by)


def events_for_cases(
    case_ids: list[int],
    attendance_filter: Q,
    kinds: set[str],
    reader_services: Collection[str] | None = None,
    special_note_cases: Collection[int] = (),
    subjects: Sequence["Subject"] = (),
) -> list[Event]:
    """The events of the cases `case_ids` and the attendance `attendance_filter` picks, of
    the `kinds` asked for, newest first; see _attendance_events for `reader_services`.

    A case note marked special category is an event only on the cases in
    `special_note_cases` (those whose special category notes the reader may read,
    cases.case_notes.special_note_cases); elsewhere it is left out, as on the case page.
    The `subjects`' recorded facts and address changes are events too (see Subject).
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
            "occurred_at", "kind", "pk", "case_id", "author_id"
        )
        events += [
            Event(at, "contact", labels.get(k, k), "", public[c], contact_id=pk, by=by)
            for at, k, pk, c, by in rows
        ]
    if "assessment" in kinds:
        labels = dict(AssessmentKind.choices)
        rows = Assessment.objects.filter(case__in=cases).values_list(
            "started", "completed", "kind", "case_id", "author_id"
        )
        for started, completed, kind, pk, by in rows:
            case_id = public[pk]
            title = f"{labels[kind]} started"
            events.append(Event(_at(started), "assessment", title, "", case_id, by=by))
            if completed:
                title = f"{labels[kind]} completed"
                events.append(Event(_at(completed), "assessment", title, "", case_id, by=by))
    if "plan" in kinds:
        rows = Plan.objects.filter(case__in=cases).values_list(
            "agreed", "review_date", "case_id", "author_id"
        )
        events += [
            Event(
                _at(agreed),
                "plan",
                "Plan agreed",
                f"Review due {review:%-d %B %Y}",
                public[c],
                by=by,
            )
            for agreed, review, c, by in rows
        ]
        reviews = PlanReview.objects.filter(plan__case__in=cases).values_list(
            "reviewed_on", "next_review", "plan__case_id", "author_id"
        )
        events += [
            Event(
                _at(reviewed),
                "plan",
                "Plan reviewed",
                f"Next review due {following:%-d %B %Y}" if following else "No further review set",
                public[c],
                by=by,
            )
            for reviewed, following, c, by in reviews
        ]
    if "case" in kinds:
        events += _case_events(cases, public)
    if "allocation" in kinds:
        events += _allocation_events(cases, public)
    if "document" in kinds:
        rows = Document.objects.filter(case__in=cases).values_list(
            "recorded_at", "title", "case_id", "author_id"
        )
        events += [
            Event(at, "document", "Document added", t, public[c], by=by) for at, t, c, by in rows
        ]
    if "attendance" in kinds:
        events += _attendance_events(attendance_filter, reader_services)
    if "note" in kinds:
        labels = dict(CaseNote.Kind.choices)
        rows = CaseNote.objects.filter(case__in=cases).values_list(
            "recorded_at", "kind", "pk", "case_id", "special_category", "author_id"
        )
        events += [
            Event(at, "note", labels[k], "", public[c], case_note_id=pk, by=by)
            for at, k, pk, c, special, by in rows
            if not special or c in special_note_cases
        ]
    events += _subject_events(subjects, kinds)
    events.sort(key=lambda event: event.when, reverse=True)
    return events


@dataclass(frozen=True)
class Subject:
    """A person whose recorded facts and address changes a chronology shows.

    `fact_models` are the kinds of fact the reader may see of theirs (the person page's
    rule: special category and offence facts only with need-to-know); `stays`, for a
    former member of a household, limits them to what was recorded while they lived there
    (their life after they left is not the household's); None, everything.
    """

    person: Person
    fact_models: tuple[type, ...] = ()
    stays: tuple["Stay", ...] | None = None

    def covers(self, day: date) -> bool:
        """Whether `day` falls in one of their stays (always, with no stays to keep to)."""
        if self.stays is None:
            return True
        return any((joined is None or joined <= day) and day <= left for joined, left in self.stays)

    def arrived_within(self, day: date) -> bool:
        """Whether a move in on `day` was to a home of their time in the household: as
        `covers`, but never on the day they left, which is the day someone moving alone
        moves in to their new home (people.moves.record_move), not the family's."""
        if self.stays is None:
            return True
        return any((joined is None or joined <= day) and day < left for joined, left in self.stays)


def _local_day(at: datetime) -> date:
    return timezone.localtime(at).date()


def _fact_events(subjects: Sequence[Subject]) -> Iterable[Event]:
    """Each fact recorded about the subjects, of the kinds each may be shown, when it was
    recorded; what it says is the summary, and a struck-out one carries its reason."""
    for model in {model for subject in subjects for model in subject.fact_models}:
        whose = {s.person.pk: s for s in subjects if model in s.fact_models}
        title = model._meta.verbose_name.capitalize()
        shows = tuple(categories_of(model))
        rows = [
            row
            for row in model.objects.filter(person_id__in=list(whose))
            if whose[row.person_id].covers(_local_day(row.recorded_at))
        ]
        struck = struck_out_reasons(model, [row.pk for row in rows])
        corrected = corrected_pks(model, [row.pk for row in rows])
        for row in rows:
            said = "; ".join(
                f"{label}: {value}" if label else str(value) for label, value in fact_fields(row)
            )
            name = whose[row.person_id].person.given_name
            yield Event(
                row.recorded_at,
                "fact",
                f"{title} recorded for {name}",
                _shorten(said),
                struck_out=struck.get(row.pk, ""),
                corrected=row.pk in corrected,
                by=row.recorded_by_id,
                about=row.person_id,
                shows=shows,
            )


def _address_events(subjects: Sequence[Subject]) -> Iterable[Event]:
    """Each subject's moves: into an address (or, with no date, when it was recorded) and
    out of it, within their stays; a former member's move in on the day they left is to
    where they live now, and left out (Subject.arrived_within)."""
    whose = {s.person.pk: s for s in subjects}
    shows = tuple(categories_of(*ADDRESS_SHOWS))
    rows = list(PersonAddress.objects.filter(person_id__in=list(whose)).select_related("address"))
    struck = struck_out_reasons(PersonAddress, [row.pk for row in rows])
    corrected = corrected_pks(PersonAddress, [row.pk for row in rows])
    for row in rows:
        subject = whose[row.person_id]
        name = subject.person.given_name
        marks = {
            "struck_out": struck.get(row.pk, ""),
            "corrected": row.pk in corrected,
            "by": row.recorded_by_id,
            "about": row.person_id,
            "shows": shows,
        }
        if row.moved_in is not None:
            if subject.arrived_within(row.moved_in):
                title = f"{name} moved in"
                yield Event(_at(row.moved_in), "address", title, str(row.address), **marks)
        elif subject.arrived_within(_local_day(row.recorded_at)):
            title = f"Address recorded for {name}"
            yield Event(row.recorded_at, "address", title, str(row.address), **marks)
        if row.moved_out is not None and subject.covers(row.moved_out):
            title = f"{name} moved out"
            yield Event(_at(row.moved_out), "address", title, str(row.address), **marks)


def _subject_events(subjects: Sequence[Subject], kinds: set[str]) -> list[Event]:
    events: list[Event] = []
    if subjects and "fact" in kinds:
        events += _fact_events(subjects)
    if subjects and "address" in kinds:
        events += _address_events(subjects)
    return events


def filtered(
    events: Iterable[Event],
    since: date | None = None,
    until: date | None = None,
    by: int | None = None,
) -> list[Event]:
    """The events on or after `since` and on or before `until` (days where the service
    is), recorded by the member of staff `by`; each None lets every event through."""
    kept = []
    for event in events:
        day = _local_day(event.when)
        if since is not None and day < since:
            continue
        if until is not None and day > until:
            continue
        if by is not None and event.by != by:
            continue
        kept.append(event)
    return kept


def by_name(events: Iterable[Event], names: dict[int, str]) -> list[Event]:
    """The events with who recorded each in words, from `names` ({user id: name})."""
    return [
        replace(event, recorder=names.get(event.by, "")) if event.by is not None else event
        for event in events
    ]


def recorders(events: Iterable[Event]) -> set[int]:
    """Who recorded the events: the user ids to offer in the "recorded by" filter."""
    return {event.by for event in events if event.by is not None}


def with_notes(events: Iterable[Event], *, whole: bool = False) -> list[Event]:
    """The events with each contact's and case note's text, decrypted and shortened (or
    `whole`, for a printed chronology a case conference reads), as its summary.

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
    cut = (lambda note: note) if whole else _shorten
    read = []
    for event in events:
        if event.contact_id is not None:
            event = replace(
                event,
                summary=cut(notes.get(event.contact_id, "")),
                struck_out=struck.get(event.contact_id, ""),
                corrected=event.contact_id in corrected,
                contact_id=None,
            )
        elif event.case_note_id is not None:
            summary = cut(written.get(event.case_note_id, ""))
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


def household_people(household: Household) -> list[tuple[Person, tuple[Stay, ...] | None]]:
    """Everyone who lives or lived in the household, with a former member's stays (None
    for someone living there now): whose facts and moves its chronology may show. A record
    merged into another is left out: its facts are the kept record's now."""
    current, former = _members_and_former(household)
    people = Person.objects.filter(pk__in=[*current, *former], merged_into__isnull=True)
    return [
        (person, tuple(former[person.pk]) if person.pk in former else None)
        for person in people.order_by("pk")
    ]


def household_chronology(
    household: Household,
    kinds: set[str] | None = None,
    only_cases: Collection[int] | None = None,
    reader_services: Collection[str] | None = None,
    special_note_cases: Collection[int] = (),
    subjects: Sequence[Subject] = (),
    only_people: Collection[int] | None = None,
) -> list[Event]:
    """Events of the household's cases, and its members' attendance, newest first.

    A former member's attendance is shown up to the day they left, as their cases are
    (household_case_ids). Contacts' notes are not read: pass the events shown to
    with_notes().

    `only_cases` limits the cases to those given (the ones the reader may open);
    `reader_services`, the services whose sessions the reader may name (sessions.services_of);
    `special_note_cases`, see events_for_cases; `subjects`, the members whose facts and
    moves are shown (built from household_people); `only_people`, the members whose
    attendance may be shown (those the reader may open: a restricted one's sessions name
    them), None for everyone's.
    """
    current, former = _members_and_former(household)
    if only_people is not None:
        current = [pk for pk in current if pk in only_people]
        former = {pk: stays for pk, stays in former.items() if pk in only_people}
    attended = Q(person__in=current)
    for person_id, stays in former.items():
        for stay in stays:
            attended |= Q(_during(stay, "session__held_on"), person_id=person_id)
    case_ids = household_case_ids(household)
    if only_cases is not None:
        case_ids &= set(only_cases)
    return events_for_cases(
        sorted(case_ids),
        attended,
        kinds or set(KINDS),
        reader_services,
        special_note_cases,
        subjects,
    )


def person_chronology(
    person: Person,
    kinds: set[str] | None = None,
    only_cases: Collection[int] | None = None,
    reader_services: Collection[str] | None = None,
    special_note_cases: Collection[int] = (),
    subjects: Sequence[Subject] = (),
) -> list[Event]:
    """Events of the person's cases, and their attendance, newest first.

    Contacts' notes are not read: pass the events shown to with_notes().

    `only_cases` limits the cases to those given (the ones the reader may open);
    `reader_services`, the services whose sessions the reader may name (sessions.services_of);
    `special_note_cases`, see events_for_cases; `subjects`, the person themselves when
    their facts and moves are shown.
    """
    case_ids = set(CaseMember.objects.filter(person=person).values_list("case_id", flat=True))
    if only_cases is not None:
        case_ids &= set(only_cases)
    return events_for_cases(
        sorted(case_ids),
        Q(person=person),
        kinds or set(KINDS),
        reader_services,
        special_note_cases,
        subjects,
    )


def case_chronology(
    case: Case,
    kinds: set[str] | None = None,
    reader_services: Collection[str] | None = None,
    special_note_cases: Collection[int] = (),
) -> list[Event]:
    """Events of one case, and the attendance of the people on it while it was open,
    newest first (a case conference's record of the work). Facts and moves are the
    person's and the family's chronologies', not the case's.
    """
    on_case = CaseMember.objects.filter(case=case).values_list("person_id", flat=True)
    attended = Q(person__in=list(on_case), session__held_on__gte=case.started)
    if case.ended is not None:
        attended &= Q(session__held_on__lte=case.ended)
    return events_for_cases(
        [case.pk], attended, kinds or set(KINDS), reader_services, special_note_cases
    )
