"""Group sessions (stay and play, youth project, parenting programme) and their registers.

A worker creates a session for a service of the policy, sets who is expected, and takes
the register on the day or after: each person on the list attended, was absent, or
cancelled (sent apologies); someone who came without being expected is added as a walk-in,
found by search. Attendance shows in each person's chronology (cases.chronology, status
attended only).

Who is expected is held as attendance rows with `walk_in` False and the status "expected"
until the register records them attended, absent or cancelled: an expected person is
neither counted as coming (the chronology shows attended only) nor as staying away.
`register_rows` says "Not recorded yet" for them.

Who may open a session (`may_open_session`): the workers running it, and the workers of a
team of the session's service (a team of a service with sub-services covers its
sub-services' sessions). A person is put on a session only by someone who may open their
record now (`person_access`, not by break-glass, which reads and never writes); a person
restricted from the worker cannot be added, and the refusal says whom to ask without
naming them.

Each write here is one transaction with its audit events: one against the session
(record_type "session", its public id), and for a write that records people, one "create"
against each person whose attendance it writes (their data: youth-project attendance). A
refused write (ValueError, naming the field and the rule) leaves nothing.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.access.roles import CASEWORK
from earlyhelp.access.rules import cases_of_my_teams, person_access
from earlyhelp.audit.log import record
from earlyhelp.cases.choices import AttendanceStatus, SessionKind, service_choices
from earlyhelp.cases.models import Attendance, CaseMember, GroupSession, Team
from earlyhelp.datamap.registry import categories_of
from earlyhelp.lib.plausible import format_day, range_error
from earlyhelp.people.models import Person
from earlyhelp.policy.active import active_policy
from earlyhelp.rights.processing import restricted_problem

# What a session's register writes and shows of a person: their attendance and their name.
ATTENDANCE_RECORD = (Attendance,)
PERSON_NAMED = (Attendance, Person)
TITLE_LIMIT = 200  # GroupSession.title and .venue
# A session is planned or recorded at most this far from today, either way.
PLAUSIBLE_YEARS = 1
# How many people of the service's open cases the expected-list form offers at once.
CANDIDATE_LIMIT = 200
NOT_RECORDED = "Not recorded yet"


def _today() -> date:
    return timezone.localdate()


def _years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def held_on_error(held_on: date | None, today: date) -> str | None:
    """The message if a session's date is not plausible: more than a year back or ahead."""
    return range_error(
        held_on,
        field="The date of the session",
        earliest=_years_from(today, -PLAUSIBLE_YEARS),
        latest=_years_from(today, PLAUSIBLE_YEARS),
    )


def top_service(service_id: str) -> str:
    """The policy's service a service or sub-service id belongs to (itself, for a service)."""
    for service in active_policy().services:
        if service.id == service_id or any(s.id == service_id for s in service.sub_services):
            return service.id
    return service_id


def _covering(service_id: str) -> set[str]:
    """The service ids whose teams cover a session of `service_id`: it and its parent."""
    return {service_id, top_service(service_id)}


def _same_service(service_id: str) -> set[str]:
    """Every service id of the policy under the same top service as `service_id`."""
    top = top_service(service_id)
    for service in active_policy().services:
        if service.id == top:
            return {service.id, *(s.id for s in service.sub_services)}
    return {service_id}


def services_of(user: User) -> set[str]:
    """The service ids a user's teams cover: a team of a service covers its sub-services;
    a team of a sub-service, that sub-service."""
    covered: set[str] = set()
    for service_id in user.teams.values_list("service", flat=True):
        top = top_service(service_id) == service_id
        covered |= _same_service(service_id) if top else {service_id}
    return covered


def session_services(user: User) -> list[tuple[str, str]]:
    """The services (id, name) a user may create a session for: those of their teams, with
    their sub-services, in the policy's order."""
    mine = services_of(user)
    return [(key, name) for key, name in service_choices() if key in mine]


def workers_of(user: User) -> list[User]:
    """Who may run a session `user` creates: the active practitioners and team managers
    of their teams (themself included), by name."""
    members = User.objects.filter(teams__in=user.teams.values("pk"), is_active=True)
    found = {u.pk: u for u in members.distinct().order_by("first_name", "last_name", "username")}
    found.setdefault(user.pk, user)
    return [u for u in found.values() if u.has_role(*CASEWORK)]


def may_open_session(user: User, session: GroupSession) -> bool:
    """Whether `user` may open `session`: one of its runners, or a worker of a team of its
    service (or of the service its sub-service belongs to)."""
    if not user.has_role(*CASEWORK):
        return False
    if session.run_by.filter(pk=user.pk).exists():
        return True
    return user.teams.filter(service__in=_covering(session.service)).exists()


def sessions_for(user: User) -> QuerySet[GroupSession]:
    """The sessions `user` may open (`may_open_session`), each once."""
    services = services_of(user)
    return GroupSession.objects.filter(Q(run_by=user) | Q(service__in=services)).distinct()


def week_of(today: date) -> tuple[date, date]:
    """Monday and Sunday of the week `today` is in."""
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def sessions_run_this_week(user: User, today: date) -> QuerySet[GroupSession]:
    """The sessions `user` runs in the week of `today` (Monday to Sunday), by date."""
    monday, sunday = week_of(today)
    return (
        GroupSession.objects.filter(run_by=user, held_on__range=(monday, sunday))
        .distinct()
        .order_by("held_on", "title", "pk")
    )


def this_week_and_upcoming(user: User, today: date) -> QuerySet[GroupSession]:
    """The sessions `user` may open from the Monday of this week on, soonest first."""
    monday, _ = week_of(today)
    return sessions_for(user).filter(held_on__gte=monday).order_by("held_on", "title", "pk")


def before_this_week(user: User, today: date) -> QuerySet[GroupSession]:
    """The sessions `user` may open held before the Monday of this week, latest first: the
    registers of past weeks, to look back at or take late."""
    monday, _ = week_of(today)
    return sessions_for(user).filter(held_on__lt=monday).order_by("-held_on", "title", "pk")


def _session_event(request: HttpRequest | None, action: str, session: GroupSession, **details):
    record(
        request,
        action=action,
        record_type="session",
        record_id=str(session.public_id),
        categories=categories_of(*ATTENDANCE_RECORD) if details.get("people") else (),
        details={"service": session.service, **{k: v for k, v in details.items() if v}},
    )


def _person_event(
    request: HttpRequest | None,
    person: Person,
    session: GroupSession,
    action: str = "create",
    **details: int,
) -> None:
    """The write against the person: their attendance row made ("create") or taken off
    the list ("change", taken_off=1)."""
    record(
        request,
        action=action,
        record_type="person",
        record_id=str(person.public_id),
        categories=categories_of(*ATTENDANCE_RECORD),
        details={"session": str(session.public_id), **details},
    )


def _user(request: HttpRequest | None) -> User | None:
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _check_text(name: str, value: object, words: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name}: enter the {words}")
    if len(value) > TITLE_LIMIT:
        raise ValueError(f"{name}: the {words} must be {TITLE_LIMIT} characters or fewer")
    return value.strip()


@transaction.atomic
def create_session(
    request: HttpRequest | None,
    *,
    service: str,
    kind: str,
    title: str,
    venue: str,
    held_on: date,
    run_by: Sequence[User] | None = None,
) -> GroupSession:
    """Create a session, run by `run_by` (the requesting worker when None): one "create"
    event against it.

    Raises ValueError, with nothing written, naming the field:
    - "service:" not a service or sub-service of the policy;
    - "kind:" not stay and play, youth project or parenting programme;
    - "title:", "venue:" empty or too long;
    - "held_on:" more than a year before or after today;
    - "run_by:" no one, or someone who does no casework.
    """
    if service not in dict(service_choices()):
        raise ValueError("service: choose a service of the policy")
    if kind not in SessionKind.values:
        raise ValueError("kind: choose stay and play, youth project or parenting programme")
    title = _check_text("title", title, "title")
    venue = _check_text("venue", venue, "venue")
    if not isinstance(held_on, date):
        raise ValueError("held_on: enter the date of the session")
    problem = held_on_error(held_on, _today())
    if problem:
        raise ValueError(f"held_on: {problem}")
    runners = list(run_by) if run_by is not None else [u for u in [_user(request)] if u]
    if not runners:
        raise ValueError("run_by: choose at least one worker to run the session")
    for runner in runners:
        if not runner.is_active or not runner.has_role(*CASEWORK):
            raise ValueError("run_by: a session is run by practitioners or team managers")
    session = GroupSession.objects.create(
        service=service,
        kind=kind,
        title=title,
        venue=venue,
        held_on=held_on,
        created_by=_user(request),
    )
    session.run_by.set(runners)
    _session_event(request, "create", session)
    return session


def _may_add(request: HttpRequest, person: Person, field: str = "person") -> None:
    """Refuse (ValueError "<field>: ...") a person the worker may not write about now
    (restricted from them, held by a team they are not in, or open only by break-glass):
    never named."""
    access = person_access(request, person)
    if access.restricted:
        raise ValueError(
            f"{field}: a record chosen is restricted and cannot be changed by you; "
            f"ask {access.ask or 'your team manager'}"
        )
    if not access.allowed or access.read_only:
        raise ValueError(
            f"{field}: a record chosen is held by a team you are not in; ask its team to change it"
        )
    # Restricted from processing (UK GDPR Article 18): nothing new is written about them.
    if problem := restricted_problem(person, field=field):
        raise ValueError(problem)


def _locked(session: GroupSession) -> GroupSession:
    """The session as it is now, locked for this transaction (one register write at once)."""
    return GroupSession.objects.select_for_update().get(pk=session.pk)


def expected_candidates(user: User, session: GroupSession) -> QuerySet[Person]:
    """People on the open cases of `user`'s teams of the session's service (children and
    family), by name, each once; those already on the session's list left out. At most
    CANDIDATE_LIMIT: anyone else is found by search. Each is still to pass the person rule
    before it is shown (a restriction may close one)."""
    cases = (
        cases_of_my_teams(user)
        .filter(ended__isnull=True, service__in=_same_service(session.service))
        .values("pk")
    )
    people = CaseMember.objects.filter(case__in=cases).values("person_id")
    return (
        Person.objects.filter(pk__in=people, merged_into__isnull=True)
        .exclude(attendance__session=session)
        .select_related("restriction__created_by")
        .order_by("family_name", "given_name", "pk")[:CANDIDATE_LIMIT]
    )


@transaction.atomic
def set_expected(
    request: HttpRequest,
    session: GroupSession,
    *,
    add: Iterable[Person] = (),
    remove: Iterable[Person] = (),
) -> list[Attendance]:
    """Put `add` on the session's list of who is expected, and take `remove` off it: one
    "change" event against the session, and one "create" against each person added.
    Returns the rows added.

    Raises ValueError, with nothing written, naming the field:
    - "person:" someone the worker may not open now (restricted: whom to ask), someone
      already on the list, or a record merged into another;
    - "remove:" someone not on the list, or whose attendance the register has recorded.
    """
    session = _locked(session)
    add, remove = list(add), list(remove)
    if not add and not remove:
        raise ValueError("person: choose at least one person")
    on_list = {row.person_id: row for row in session.attendance.all()}
    for person in add:
        _may_add(request, person)
        if person.merged_into_id:
            raise ValueError("person: that record was merged into another; add that one")
        if person.pk in on_list or sum(p.pk == person.pk for p in add) > 1:
            raise ValueError(f"person: {person.full_name} is already on this session's list")
    for person in remove:
        row = on_list.get(person.pk)
        if row is None:
            raise ValueError("remove: only someone on this session's list can be taken off it")
        _may_add(request, person, "remove")
        if is_recorded(row):
            raise ValueError(
                f"remove: the register has recorded {person.full_name}; record them absent "
                "or cancelled instead"
            )
    Attendance.objects.filter(session=session, person__in=remove).delete()
    rows = [
        Attendance.objects.create(
            session=session, person=person, status=AttendanceStatus.EXPECTED, walk_in=False
        )
        for person in add
    ]
    _session_event(
        request,
        "change",
        session,
        people=[str(p.public_id) for p in add + remove],
        expected_added=len(add),
        expected_removed=len(remove),
    )
    for person in add:
        _person_event(request, person, session)
    for person in remove:
        _person_event(request, person, session, action="change", taken_off=1)
    return rows


def is_recorded(row: Attendance) -> bool:
    """Whether the register says how `row`'s person attended (anything but "expected")."""
    return row.status != AttendanceStatus.EXPECTED


def _check_on_the_day(session: GroupSession) -> None:
    if session.held_on > _today():
        raise ValueError(
            f"held_on: the session is on {format_day(session.held_on)}; its register is "
            "taken on the day or after"
        )


@transaction.atomic
def take_register(
    request: HttpRequest, session: GroupSession, statuses: Mapping[Person, str]
) -> list[Attendance]:
    """Record each person's attendance (attended, absent or cancelled): one "change" event
    against the session, and one "create" against each person recorded. Returns the rows
    written.

    Raises ValueError, with nothing written, naming the field:
    - "held_on:" the session is after today;
    - "status:" not attended, absent or cancelled;
    - "person:" someone not on the session's list, or whom the worker may not open now.
    """
    session = _locked(session)
    _check_on_the_day(session)
    if not statuses:
        raise ValueError("status: record at least one person's attendance")
    rows = {row.person_id: row for row in session.attendance.select_related("person")}
    for person, status in statuses.items():
        if status not in AttendanceStatus.values or status == AttendanceStatus.EXPECTED:
            raise ValueError("status: choose attended, absent or cancelled")
        if person.pk not in rows:
            raise ValueError("person: only someone on this session's list is on its register")
        _may_add(request, person)
    now, worker = timezone.now(), _user(request)
    written = []
    for person, status in statuses.items():
        row = rows[person.pk]
        row.status, row.recorded_by, row.recorded_at = status, worker, now
        row.save(update_fields=["status", "recorded_by", "recorded_at"])
        written.append(row)
    _session_event(
        request,
        "change",
        session,
        people=[str(p.public_id) for p in statuses],
        register=len(statuses),
    )
    for person in statuses:
        _person_event(request, person, session)
    return written


@transaction.atomic
def add_walk_in(request: HttpRequest, session: GroupSession, person: Person) -> Attendance:
    """Record `person` as a walk-in who attended: one "change" event against the session
    and one "create" against the person.

    Raises ValueError, with nothing written, naming the field: "held_on:" the session is
    after today; "person:" someone the worker may not open now, a merged record, or
    someone already on the list (whose attendance the register records).
    """
    session = _locked(session)
    _check_on_the_day(session)
    _may_add(request, person)
    if person.merged_into_id:
        raise ValueError("person: that record was merged into another; add that one")
    if session.attendance.filter(person=person).exists():
        raise ValueError(
            f"person: {person.full_name} is already on this session's list; record them on "
            "the register"
        )
    row = Attendance.objects.create(
        session=session,
        person=person,
        status=AttendanceStatus.ATTENDED,
        walk_in=True,
        recorded_by=_user(request),
    )
    _session_event(request, "change", session, people=[str(person.public_id)], walk_in=1)
    _person_event(request, person, session)
    return row


@dataclass(frozen=True)
class RegisterRow:
    """One person on a session's list as a reader sees it: named only if they may open the
    record (`allowed`); a restricted one says whom to ask."""

    attendance: Attendance
    allowed: bool
    restricted: bool
    ask: str
    access: object

    @property
    def person(self) -> Person:
        return self.attendance.person

    @property
    def recorded(self) -> bool:
        return is_recorded(self.attendance)

    @property
    def status_words(self) -> str:
        if not self.recorded:
            return NOT_RECORDED
        return self.attendance.get_status_display()


def register_rows(request: HttpRequest, session: GroupSession) -> list[RegisterRow]:
    """The session's list (expected people, then walk-ins), by name, each under the person
    rule. The caller audits the looks at those named (`named`)."""
    rows = []
    attendance = session.attendance.select_related("person__restriction__created_by").order_by(
        "walk_in", "person__family_name", "person__given_name", "pk"
    )
    for row in attendance:
        access = person_access(request, row.person)
        rows.append(RegisterRow(row, access.allowed, access.restricted, access.ask, access))
    return rows


def session_teams(session: GroupSession) -> QuerySet[Team]:
    """The teams whose workers may open the session (besides its runners)."""
    return Team.objects.filter(service__in=_covering(session.service))
