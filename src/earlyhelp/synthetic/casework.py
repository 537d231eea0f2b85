"""Casework for synthetic families: cases, assessments, plans, contacts, documents, attendance.

Pure Python, no database. `make_casework(family, catalogue, as_of)` draws a family's
casework from `family.casework_seed` alone, so it is the same whatever batch the
family is written in, and a family replayed to reach later ones costs nothing here.
`Catalogue` holds what the casework refers to: the policy's services (as plain ids and
names, themed by the words of their names), the teams of each with their synthetic
staff, the seed's group sessions, and what the policy says about casework (headline
outcomes, closure reasons, the plan review interval) as plain values.
"""

import bisect
import hashlib
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.text import slugify

from earlyhelp.access.roles import Role
from earlyhelp.synthetic import casework_vocabulary as cv
from earlyhelp.synthetic import vocabulary as vocab
from earlyhelp.synthetic.families import FamilySpec
from earlyhelp.synthetic.notes import CaseVoice, age_on, day_phrase

LONDON = ZoneInfo("Europe/London")
# Share of families known to the service with at least one case.
CASE_RATE = 0.35
# How many cases (episodes, one after another) a known family has: (count, weight).
EPISODES = ((1, 75), (2, 20), (3, 5))
# Share of known families whose latest case is still open on the as-of date.
OPEN_RATE = 0.4
# Share of families not known to the service whose under-fives go to stay and play.
DROP_IN_RATE = 0.12
# Cases do not go back further than this before the as-of date.
HISTORY_DAYS = 6 * 365
DOCUMENT_CONTENT_TYPE = "application/pdf"
# Share of open cases allocated to a worker (every closed case was).
ALLOCATED_RATE = 0.85
# Share of allocated cases reallocated once to another worker of the team.
REALLOCATED_RATE = 0.10
# Share of allocated open cases whose worker has asked for closure, awaiting sign-off.
AWAITING_CLOSURE_RATE = 0.03
# Share of assessments the family did not agree to work on (the assessment stops there).
NOT_AGREED_RATE = 0.03
# Share of a drop-in family's first stay and play that they came to unannounced.
WALK_IN_RATE = 0.3
# Share of expected attendees who did not come who sent apologies (the rest are absent).
APOLOGIES_RATE = 0.4


@dataclass(frozen=True)
class ServiceOption:
    """A service a case can belong to: a policy service without sub-services, or a sub-service."""

    id: str
    name: str
    theme: str


@dataclass(frozen=True)
class TeamSpec:
    name: str
    service: str
    locality: str


@dataclass(frozen=True)
class StaffSpec:
    """A synthetic member of a team: cannot sign in (no password, no authenticator)."""

    username: str
    first_name: str
    last_name: str
    team: str
    role: str  # a Role value


@dataclass(frozen=True)
class CaseworkPolicy:
    """What the policy says about casework, as plain values (see policy `casework`)."""

    outcomes: tuple[tuple[str, str], ...]  # (id, name) of each headline outcome
    closure_reasons: tuple[tuple[str, str, bool], ...]  # (id, name, refers to social care)
    review_weeks: int


@dataclass(frozen=True)
class SessionSpec:
    public_id: uuid.UUID
    service: str
    kind: str
    title: str
    venue: str
    held_on: date
    series: int  # index into casework_vocabulary.SESSION_SERIES
    course: int  # which course of a course-based series; -1 for drop-in sessions


@dataclass
class ActionSpec:
    action: str
    who: str
    by_when: date


@dataclass
class GoalSpec:
    goal: str
    actions: str
    target_date: date
    status: str
    need: int | None = None  # index into the found needs of the plan's assessment
    plan_actions: list[ActionSpec] = field(default_factory=list)


@dataclass
class NeedSpec:
    public_id: uuid.UUID
    outcome: str  # a headline outcome id of the policy
    description: str


@dataclass
class AssessmentSpec:
    public_id: uuid.UUID
    kind: str
    started: date
    completed: date | None
    family_views: str
    strengths: str
    needs: str
    summary: str
    recorded_at: datetime
    child_views: str = ""
    took_part: str = ""
    family_agreed: bool | None = None
    family_agreed_on: date | None = None
    reviews: int | None = None  # index of the assessment a review assessment reviews
    found_needs: list[NeedSpec] = field(default_factory=list)


@dataclass
class ReviewSpec:
    public_id: uuid.UUID
    reviewed_on: date
    next_review: date | None
    summary: str
    author: str | None  # a StaffSpec username
    recorded_at: datetime
    progress: list[tuple[str, str]]  # (status, comment) of each goal of the plan, in order


@dataclass
class PlanSpec:
    public_id: uuid.UUID
    agreed: date
    review_date: date
    goals: list[GoalSpec]
    recorded_at: datetime
    assessment: int = 0  # index of the assessment the plan follows
    review: ReviewSpec | None = None


@dataclass
class AllocationSpec:
    public_id: uuid.UUID
    worker: str  # StaffSpec usernames
    allocated_by: str
    allocated_at: datetime
    reason: str
    seen_at: datetime | None


@dataclass
class NeedOutcomeSpec:
    need: int  # index into the found needs of the closure's assessment
    achieved: bool
    sustained: bool
    evidence: str


@dataclass
class ClosureSpec:
    public_id: uuid.UUID
    reason: str  # a closure reason id of the policy
    summary: str
    closing_on: date
    referred_to_social_care_on: date | None
    requested_by: str
    requested_at: datetime
    decision: str  # a ClosureDecision value
    decided_by: str | None
    decided_at: datetime | None
    manager_comment: str
    assessment: int | None  # index of the assessment whose needs the outcomes are of
    outcomes: list[NeedOutcomeSpec] = field(default_factory=list)


@dataclass
class ContactSpec:
    public_id: uuid.UUID
    kind: str
    occurred_at: datetime
    note: str
    present: list[int]  # indexes into FamilySpec.people
    recorded_at: datetime


@dataclass
class DocumentSpec:
    public_id: uuid.UUID
    kind: str
    title: str
    person: int | None
    size: int
    sha256: str
    recorded_at: datetime


@dataclass
class CaseSpec:
    public_id: uuid.UUID
    service: str
    theme: str
    team: str
    reason: str
    started: date
    ended: date | None
    closure_reason: str
    members: list[tuple[int, str]]  # (person index, CaseRole value)
    created_at: datetime
    referred_to_social_care_on: date | None = None
    allocations: list[AllocationSpec] = field(default_factory=list)
    closure: ClosureSpec | None = None
    assessments: list[AssessmentSpec] = field(default_factory=list)
    plans: list[PlanSpec] = field(default_factory=list)
    contacts: list[ContactSpec] = field(default_factory=list)
    documents: list[DocumentSpec] = field(default_factory=list)


@dataclass
class FamilyCasework:
    cases: list[CaseSpec] = field(default_factory=list)
    # (session index, person index) -> (AttendanceStatus value, walked in).
    attendance: dict[tuple[int, int], tuple[str, bool]] = field(default_factory=dict)

    def attend(
        self, session: int, person: int, status: str = "attended", walk_in: bool = False
    ) -> None:
        self.attendance.setdefault((session, person), (status, walk_in))


def theme_of(name: str) -> str:
    lowered = name.lower()
    for words, theme in cv.SERVICE_NAME_THEMES:
        if words in lowered:
            return theme
    return cv.DEFAULT_THEME


def service_options(services: list[tuple[str, str, list[tuple[str, str]]]]) -> list[ServiceOption]:
    """The services cases belong to, from (id, name, [(sub id, sub name)]) of the policy.

    A service with sub-services is worked in through them, so only they are offered.
    """
    options = []
    for service_id, name, subs in services:
        if subs:
            options.extend(ServiceOption(sid, sname, theme_of(sname)) for sid, sname in subs)
        else:
            options.append(ServiceOption(service_id, name, theme_of(name)))
    return options


def make_teams(services: list[tuple[str, str, list[tuple[str, str]]]]) -> list[TeamSpec]:
    """A team per locality for each service (fewer for a sub-service), named after both."""
    teams = []
    for service_id, name, subs in services:
        if subs:
            for sid, sname in subs:
                teams.extend(
                    TeamSpec(f"{sname} {place}"[:100], sid, place)
                    for place in cv.SUB_SERVICE_LOCALITIES
                )
        else:
            teams.extend(
                TeamSpec(f"{name} {place}"[:100], service_id, place)
                for place in cv.SERVICE_LOCALITIES
            )
    return teams


def make_staff(teams: list[TeamSpec]) -> list[StaffSpec]:
    """Each team's synthetic practitioners and team manager, the same for every seed.

    Usernames come from the team's name, so they are made once like the teams.
    """
    staff = []
    for team in teams:
        rng = random.Random(f"earlyhelp staff {team.name}")
        stem = f"synthetic-{slugify(team.name)}"[:130]
        names: set[tuple[str, str]] = set()
        while len(names) < cv.PRACTITIONERS_PER_TEAM + 1:
            names.add((rng.choice(cv.STAFF_FIRST_NAMES), rng.choice(vocab.SURNAMES)))
        ordered = sorted(names)
        rng.shuffle(ordered)
        for number, (first, last) in enumerate(ordered[:-1], start=1):
            staff.append(
                StaffSpec(f"{stem}-{number}", first, last, team.name, Role.PRACTITIONER.value)
            )
        first, last = ordered[-1]
        staff.append(StaffSpec(f"{stem}-manager", first, last, team.name, Role.TEAM_MANAGER.value))
    return staff


def make_sessions(seed: int, as_of: date, options: list[ServiceOption]) -> list[SessionSpec]:
    """The seed's group sessions over the two years before `as_of`, the same every time."""
    rng = random.Random(f"earlyhelp sessions {seed}")
    first = as_of - timedelta(days=cv.SESSION_HISTORY_DAYS)
    sessions = []
    for index, series in enumerate(cv.SESSION_SERIES):
        service = next((o.id for o in options if o.theme == series.theme), options[0].id)
        for venue in series.venues:
            day = first + timedelta(days=(series.weekday - first.weekday()) % 7)
            week = 0
            while day <= as_of:
                if series.course_length:
                    # Courses of weekly sessions with a two-week break between them.
                    course, position = divmod(week, series.course_length + 2)
                    if position >= series.course_length:
                        day += timedelta(days=7)
                        week += 1
                        continue
                else:
                    course = -1
                title = series.title if course < 0 else f"{series.title}, course {course + 1}"
                sessions.append(
                    SessionSpec(
                        public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                        service=service,
                        kind=series.kind,
                        title=title,
                        venue=venue,
                        held_on=day,
                        series=index,
                        course=course,
                    )
                )
                day += timedelta(days=7)
                week += 1
    return sessions


class Catalogue:
    """Services, teams and group sessions, indexed for drawing casework quickly."""

    def __init__(
        self,
        options: list[ServiceOption],
        teams: list[TeamSpec],
        sessions: list[SessionSpec],
        policy: CaseworkPolicy,
    ) -> None:
        if not options:
            raise ValueError("the policy declares no services for cases to belong to")
        if not policy.outcomes or not policy.closure_reasons:
            raise ValueError("the policy declares no headline outcomes or closure reasons")
        self.options = options
        self.teams = teams
        self.sessions = sessions
        self.policy = policy
        self.staff = make_staff(teams)
        self.practitioners: dict[str, list[str]] = {}
        self.manager: dict[str, str] = {}
        for person in self.staff:
            if person.role == Role.TEAM_MANAGER:
                self.manager[person.team] = person.username
            else:
                self.practitioners.setdefault(person.team, []).append(person.username)
        # Headline outcomes by the words the vocabulary classes needs and goals with.
        self.outcome_of_need = {
            text: self.outcome(words) for text, words in cv.NEED_OUTCOME_WORDS.items()
        }
        self.outcome_of_goal = {
            text: self.outcome(words) for text, words in cv.GOAL_OUTCOME_WORDS.items()
        }
        # Closure reasons: the vocabulary's weights, for the reasons the policy has.
        known = {reason for reason, _, _ in policy.closure_reasons}
        weighted = [(r, w) for r, w in cv.CLOSURE_REASONS if r in known]
        if not weighted:
            weighted = [(reason, 1) for reason in sorted(known)]
        self.closure_reasons = [r for r, _ in weighted]
        self.closure_weights = [w for _, w in weighted]
        self.refers_to_social_care = {r for r, _, refers in policy.closure_reasons if refers}
        self.needs_met = {
            r for r, name, _ in policy.closure_reasons if cv.NEEDS_MET_WORDS in name.lower()
        }
        self.by_theme: dict[str, list[ServiceOption]] = {}
        for option in options:
            self.by_theme.setdefault(option.theme, []).append(option)
        self.themes = [t for t in cv.THEMES if t.key in self.by_theme]
        self.teams_of: dict[str, list[TeamSpec]] = {}
        for team in teams:
            self.teams_of.setdefault(team.service, []).append(team)
        # (kind, venue) -> session dates and indexes in date order, for windows by bisect.
        self.runs: dict[tuple[str, str], tuple[list[date], list[int]]] = {}
        courses: dict[tuple[str, int, str, int], list[int]] = {}
        for index, session in enumerate(sessions):
            dates, indexes = self.runs.setdefault((session.kind, session.venue), ([], []))
            dates.append(session.held_on)
            indexes.append(index)
            if session.course >= 0:
                key = (session.kind, session.series, session.venue, session.course)
                courses.setdefault(key, []).append(index)
        # kind -> its courses, each the indexes of its sessions in date order.
        self.courses: dict[str, list[list[int]]] = {}
        for (kind, *_), indexes in courses.items():
            self.courses.setdefault(kind, []).append(indexes)
        self.venues: dict[str, list[str]] = {}
        for kind, venue in self.runs:
            self.venues.setdefault(kind, []).append(venue)

    def outcome(self, words: str) -> str:
        """The first headline outcome whose name has `words`; else the first outcome."""
        for outcome, name in self.policy.outcomes:
            if words.lower() in name.lower():
                return outcome
        return self.policy.outcomes[0][0]

    def session_leads(self, session: SessionSpec) -> list[str]:
        """One or two practitioners of a team of the session's service who run it."""
        teams = self.teams_of.get(session.service)
        if not teams:
            return []
        rng = random.Random(session.public_id.int)
        team = rng.choice(teams)
        return rng.sample(self.practitioners[team.name], rng.randint(1, 2))

    def sessions_between(self, kind: str, venue: str, first: date, last: date) -> list[int]:
        dates, indexes = self.runs[(kind, venue)]
        return indexes[bisect.bisect_left(dates, first) : bisect.bisect_right(dates, last)]


def moment(day: date, rng: random.Random, first_hour: int = 9, last_hour: int = 18) -> datetime:
    """A time in working hours on `day` (moved off a weekend to the Monday)."""
    if day.weekday() >= 5:
        day += timedelta(days=7 - day.weekday())
    minutes = rng.randrange(first_hour * 60, last_hour * 60, 5)
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=LONDON)


def working_hours(day: date, rng: random.Random) -> datetime:
    """A time in working hours on `day` itself, weekend or not."""
    minutes = rng.randrange(9 * 60, 17 * 60, 5)
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=LONDON)


def new_id(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def make_casework(family: FamilySpec, catalogue: Catalogue, as_of: date) -> FamilyCasework:
    rng = random.Random(family.casework_seed)
    work = FamilyCasework()
    if rng.random() < CASE_RATE:
        for started, ended in episodes(family, as_of, rng):
            case = CaseMaker(family, catalogue, as_of, rng, work).make(started, ended)
            if case is not None:
                work.cases.append(case)
    else:
        drop_in(family, catalogue, as_of, rng, work)
    return work


def episodes(family: FamilySpec, as_of: date, rng: random.Random) -> list[tuple[date, date | None]]:
    """Start and end dates of a known family's cases, one after another."""
    count = rng.choices([c for c, _ in EPISODES], weights=[w for _, w in EPISODES])[0]
    open_last = rng.random() < OPEN_RATE
    cursor = max(family.moved_in, as_of - timedelta(days=HISTORY_DAYS))
    found: list[tuple[date, date | None]] = []
    for number in range(count):
        remaining = (as_of - cursor).days
        if remaining < 21:
            break
        if number == count - 1 and open_last:
            start = max(cursor, as_of - timedelta(days=rng.randrange(14, 330)))
            found.append((start, None))
            break
        start = cursor + timedelta(days=rng.randrange(max(1, remaining // (count - number))))
        end = start + timedelta(days=rng.randrange(42, 400))
        if end >= as_of:
            found.append((start, None))
            break
        found.append((start, end))
        cursor = end + timedelta(days=rng.randrange(60, 500))
    return found


class CaseMaker:
    """Draws one case of a family: its service, people, records and attendance."""

    def __init__(
        self,
        family: FamilySpec,
        catalogue: Catalogue,
        as_of: date,
        rng: random.Random,
        work: FamilyCasework,
    ) -> None:
        self.family = family
        self.catalogue = catalogue
        self.as_of = as_of
        self.rng = rng
        self.work = work
        # Nothing is recorded after the as-of date.
        self.latest = datetime.combine(as_of, time(23, 55), tzinfo=LONDON)

    def make(self, started: date, ended: date | None) -> CaseSpec | None:
        rng = self.rng
        people = self.family.people
        home = [i for i, p in enumerate(people) if p.in_household and p.date_of_birth <= started]
        choices = []
        for theme in self.catalogue.themes:
            eligible = [
                i
                for i in home
                if theme.min_age <= age_on(people[i].date_of_birth, started) <= theme.max_age
            ]
            if eligible:
                choices.append((theme, eligible))
        if not choices:
            return None
        theme, eligible = rng.choices(choices, weights=[t.weight for t, _ in choices])[0]
        focus = rng.choice(eligible)
        option = rng.choice(self.catalogue.by_theme[theme.key])
        youth = theme.key in cv.YOUTH_THEMES
        venue_kind = "youth_project" if youth else "stay_and_play"
        venue = rng.choice(self.catalogue.venues.get(venue_kind) or cv.CENTRES)
        voice = CaseVoice(self.family, focus, started, venue, rng)
        last_day = ended or self.as_of
        members = [
            (
                i,
                "child"
                if i == focus or age_on(people[i].date_of_birth, started) < 18
                else "family",
            )
            for i in home
        ]
        case = CaseSpec(
            public_id=new_id(rng),
            service=option.id,
            theme=theme.key,
            team=self.team(option.id).name,
            reason=voice.fill(cv.REASONS[theme.key], started)
            or voice.fill(cv.GENERIC_REASONS, started),
            started=started,
            ended=ended,
            closure_reason="" if ended is None else self.closure_reason(),
            members=members,
            created_at=moment(started, rng),
        )
        self.allocate(case, last_day)
        self.assess_and_plan(case, voice, last_day)
        self.review_plans(case, voice, last_day)
        self.contacts(case, voice, last_day)
        self.documents(case, voice, last_day)
        self.attendance(case, voice, last_day)
        self.close(case, voice)
        return case

    def team(self, service: str) -> TeamSpec:
        teams = self.catalogue.teams_of[service]
        district = self.family.postcode.split()[0]
        wanted = "North" if district in cv.NORTH_DISTRICTS else "South"
        if self.rng.random() < 0.2:
            wanted = "Central"
        return next((t for t in teams if t.locality == wanted), teams[0])

    def closure_reason(self) -> str:
        catalogue = self.catalogue
        return self.rng.choices(catalogue.closure_reasons, weights=catalogue.closure_weights)[0]

    def allocate(self, case: CaseSpec, last_day: date) -> None:
        """Every closed case and most open ones to a practitioner of the team, by its manager;
        a few reallocated once later to another."""
        rng = self.rng
        if case.ended is None and rng.random() >= ALLOCATED_RATE:
            return
        workers = self.catalogue.practitioners[case.team]
        manager = self.catalogue.manager[case.team]
        first = rng.choice(workers)
        at = case.created_at + timedelta(minutes=rng.randrange(15, 180, 5))
        case.allocations.append(self.allocation(first, manager, at, cv.ALLOCATION_REASONS))
        span = (last_day - case.started).days
        if span > 28 and len(workers) > 1 and rng.random() < REALLOCATED_RATE:
            day = case.started + timedelta(days=rng.randrange(14, span - 7))
            later = moment(day, rng)
            if later.date() <= last_day:
                worker = rng.choice([w for w in workers if w != first])
                case.allocations.append(
                    self.allocation(worker, manager, later, cv.REALLOCATION_REASONS)
                )

    def allocation(
        self, worker: str, manager: str, at: datetime, reasons: tuple[str, ...]
    ) -> AllocationSpec:
        rng = self.rng
        seen = at + timedelta(minutes=rng.randrange(10, 72 * 60, 5))
        return AllocationSpec(
            public_id=new_id(rng),
            worker=worker,
            allocated_by=manager,
            allocated_at=at,
            reason=rng.choice(reasons),
            seen_at=seen if seen <= self.latest else None,
        )

    @staticmethod
    def worker_on(case: CaseSpec, day: date) -> str | None:
        """The case's worker on `day`: its allocation then (the first, before any)."""
        worker = None
        for allocation in case.allocations:
            if worker is not None and allocation.allocated_at.date() > day:
                break
            worker = allocation.worker
        return worker

    def assess_and_plan(self, case: CaseSpec, voice: CaseVoice, last_day: date) -> None:
        rng = self.rng
        kind = "youth_justice" if case.theme == "justice" else "early_help"
        started = min(case.started + timedelta(days=rng.randrange(0, 21)), last_day)
        reviews = 0
        while started <= last_day and reviews < 3:
            completed = started + timedelta(days=rng.randrange(7, 43))
            agreed_on = min(started + timedelta(days=rng.randrange(0, 4)), last_day)
            family_agreed = rng.random() >= NOT_AGREED_RATE
            # Without the family's agreement to work together, the assessment stops there.
            done = completed if completed <= last_day and family_agreed else None
            templates = rng.sample(cv.NEEDS[case.theme], min(3, len(cv.NEEDS[case.theme])))
            found = [(t, voice.fill([t], started)) for t in templates]
            found = [(t, text) for t, text in found if text]
            need_text = [text for _, text in found]
            case.assessments.append(
                AssessmentSpec(
                    public_id=new_id(rng),
                    kind=kind if not reviews else "review",
                    started=started,
                    completed=done,
                    family_views=self.sentences(voice, cv.FAMILY_VIEWS, started, 2),
                    strengths=self.sentences(voice, cv.STRENGTHS, started, 3),
                    needs="\n".join(f"- {n}" for n in need_text),
                    summary=voice.fill(cv.SUMMARIES, started, need=self.need(need_text))
                    if done
                    else "",
                    recorded_at=moment(done or started, rng),
                    child_views=self.child_views(voice, started),
                    took_part=voice.fill(
                        cv.TOOK_PART_YOUTH if case.theme in cv.YOUTH_THEMES else cv.TOOK_PART,
                        started,
                    )
                    or "FSW and the family.",
                    family_agreed=family_agreed,
                    family_agreed_on=agreed_on,
                    reviews=len(case.assessments) - 1 if reviews else None,
                    found_needs=[
                        NeedSpec(new_id(rng), self.catalogue.outcome_of_need[t], text)
                        for t, text in found
                    ],
                )
            )
            if done is None:
                return
            agreed = done + timedelta(days=rng.randrange(0, 11))
            if agreed > last_day:
                return
            review = agreed + timedelta(days=rng.randrange(42, 85))
            case.plans.append(self.plan(case, voice, agreed, review, last_day))
            started = review
            reviews += 1

    def child_views(self, voice: CaseVoice, day: date) -> str:
        young = age_on(self.family.people[voice.focus].date_of_birth, day) < 3
        return voice.fill(cv.CHILD_VIEWS_YOUNG if young else cv.CHILD_VIEWS, day)

    @staticmethod
    def need(needs: list[str]) -> str:
        """The first need, to go inside a sentence."""
        need = (needs or ["Routines at home."])[0].rstrip(".")
        return need[:1].lower() + need[1:]

    def plan(
        self, case: CaseSpec, voice: CaseVoice, agreed: date, review: date, last_day: date
    ) -> PlanSpec:
        """A plan on the latest assessment: its goals work on the needs it found."""
        rng = self.rng
        needs = case.assessments[-1].found_needs
        pool = cv.GOALS[case.theme]
        wanted = min(len(pool), rng.randint(2, 4))
        goals: list[GoalSpec] = []
        # In a random order, skipping goals that name someone the family does not have.
        for goal, actions in rng.sample(pool, len(pool)):
            if len(goals) == wanted:
                break
            text = voice.fill([goal], agreed)
            if not text:
                continue
            if review <= last_day:
                status = rng.choices(
                    ("achieved", "in_progress", "not_achieved"), weights=(5, 3, 2)
                )[0]
            else:
                status = rng.choices(("not_started", "in_progress"), weights=(1, 3))[0]
            who_does_what = voice.fill([actions], agreed) or "FSW to review with the family."
            outcome = self.catalogue.outcome_of_goal.get(goal)
            same = [i for i, need in enumerate(needs) if need.outcome == outcome]
            goals.append(
                GoalSpec(
                    goal=text,
                    actions=who_does_what,
                    target_date=review,
                    status=status,
                    need=(same or [len(goals) % len(needs)])[0] if needs else None,
                    plan_actions=self.plan_actions(who_does_what, agreed, review),
                )
            )
        return PlanSpec(
            new_id(rng),
            agreed,
            review,
            goals,
            moment(agreed, rng),
            assessment=len(case.assessments) - 1,
        )

    def plan_actions(self, who_does_what: str, agreed: date, review: date) -> list[ActionSpec]:
        """The first one or two of "X to do this; Y to do that" as who does what by when."""
        rng = self.rng
        actions = []
        for part in who_does_what.rstrip(".").split("; ")[: rng.randint(1, 2)]:
            who, _, what = part.partition(" to ")
            if not what or what.startswith("be "):
                who, what = cv.DEFAULT_ACTION_WHO, part
            days = max(1, (review - agreed).days)
            by_when = agreed + timedelta(days=rng.randrange(7, days + 1) if days > 7 else days)
            actions.append(
                ActionSpec(
                    action=what[:1].upper() + what[1:] + ".",
                    who=who[:1].upper() + who[1:],
                    by_when=by_when,
                )
            )
        return actions

    def review_plans(self, case: CaseSpec, voice: CaseVoice, last_day: date) -> None:
        """A review on each plan whose review date has passed: progress on every goal, and
        the next review, unless a later plan replaced it or the case closed first."""
        rng = self.rng
        interval = timedelta(weeks=self.catalogue.policy.review_weeks)
        for position, plan in enumerate(case.plans):
            reviewed_on = plan.review_date
            if reviewed_on > last_day:
                continue
            next_review: date | None = reviewed_on + interval
            if position + 1 < len(case.plans):
                later = case.plans[position + 1].agreed
                next_review = None
                summary = cv.PLAN_REPLACED_SUMMARY.format(day=day_phrase(later))
            elif case.ended is not None and next_review > case.ended:
                next_review = None
                summary = cv.PLAN_ENDED_SUMMARY
            else:
                summary = voice.fill(cv.PLAN_REVIEW_SUMMARIES, reviewed_on)
                plan.review_date = next_review
            plan.review = ReviewSpec(
                public_id=new_id(rng),
                reviewed_on=reviewed_on,
                next_review=next_review,
                summary=summary,
                author=self.worker_on(case, reviewed_on),
                recorded_at=min(moment(reviewed_on, rng), self.latest),
                progress=[
                    (goal.status, rng.choice(cv.GOAL_PROGRESS_COMMENTS[goal.status]))
                    for goal in plan.goals
                ],
            )

    def close(self, case: CaseSpec, voice: CaseVoice) -> None:
        """A closed case's request, signed off by the team manager; a few open cases' requests
        await sign-off. Each records, per need of the latest assessment, its outcome."""
        rng = self.rng
        worker = case.allocations[-1].worker if case.allocations else None
        if worker is None:
            return
        if case.ended is not None:
            reason = case.closure_reason
            decided_at = working_hours(case.ended, rng)
            requested_day = max(case.started, case.ended - timedelta(days=rng.randrange(1, 8)))
            decision, decided_by = "approved", self.catalogue.manager[case.team]
            comment = rng.choice(cv.MANAGER_COMMENTS)
        elif rng.random() < AWAITING_CLOSURE_RATE:
            reason = self.closure_reason()
            requested_day = max(case.started, self.as_of - timedelta(days=rng.randrange(0, 10)))
            decision, decided_by, decided_at, comment = "awaiting", None, None, ""
        else:
            return
        # Asked for by the worker holding the case then: never before their allocation.
        requested_day = max(requested_day, case.allocations[-1].allocated_at.date())
        requested_at = working_hours(requested_day, rng)
        if decided_at is not None and decided_at <= requested_at:
            decided_at = requested_at + timedelta(minutes=rng.randrange(30, 240, 5))
        referred = requested_day if reason in self.catalogue.refers_to_social_care else None
        if case.ended is not None:
            case.referred_to_social_care_on = referred
        pool = cv.CLOSURE_SUMMARIES.get(reason, ())
        summary = voice.fill(pool, requested_day) if pool else ""
        with_needs = [i for i, a in enumerate(case.assessments) if a.found_needs]
        latest = with_needs[-1] if with_needs else None
        outcomes = []
        if latest is not None:
            met = reason in self.catalogue.needs_met
            for index in range(len(case.assessments[latest].found_needs)):
                achieved = rng.random() < (0.85 if met else 0.25)
                sustained = achieved and rng.random() < (0.8 if met else 0.4)
                evidence = voice.fill(
                    cv.EVIDENCE_ACHIEVED if achieved else cv.EVIDENCE_NOT_ACHIEVED, requested_day
                )
                outcomes.append(NeedOutcomeSpec(index, achieved, sustained, evidence))
        case.closure = ClosureSpec(
            public_id=new_id(rng),
            reason=reason,
            summary=summary or cv.GENERIC_CLOSURE_SUMMARY,
            closing_on=case.ended or requested_day,
            referred_to_social_care_on=referred,
            requested_by=worker,
            requested_at=requested_at,
            decision=decision,
            decided_by=decided_by,
            decided_at=decided_at,
            manager_comment=comment,
            assessment=latest,
            outcomes=outcomes,
        )

    def sentences(self, voice: CaseVoice, pool: tuple[str, ...], day: date, most: int) -> str:
        texts = (voice.fill(pool, day) for _ in range(self.rng.randint(1, most)))
        return " ".join(dict.fromkeys(t for t in texts if t))

    def contacts(self, case: CaseSpec, voice: CaseVoice, last_day: date) -> None:
        rng = self.rng
        group = "youth" if case.theme in cv.YOUTH_THEMES else case.theme
        if group not in cv.CONTACT_KINDS:
            group = "family"
        kinds = [k for k, _ in cv.CONTACT_KINDS[group]]
        kind_weights = [w for _, w in cv.CONTACT_KINDS[group]]
        topics = [t for t, _ in cv.THEME_TOPICS[case.theme]]
        topic_weights = [w for _, w in cv.THEME_TOPICS[case.theme]]
        day = case.started + timedelta(days=rng.randrange(1, 8))
        # Notes are written up the same day or within two, never after the as-of date.
        latest_record = datetime.combine(self.as_of, time(23, 55), tzinfo=LONDON)
        while day <= last_day:
            kind = rng.choices(kinds, weights=kind_weights)[0]
            occurred = moment(day, rng, 8, 19)
            if occurred.date() > last_day:  # a weekend moved to the Monday after the case
                break
            slots = voice.slots(occurred.date())
            openings = cv.OPENINGS[kind]
            if kind == "session" and case.theme == "early_years":
                openings = cv.OPENINGS["session_early"]
            template_opening = slots.fill(openings, keep_marker=True)
            present = sorted(slots.named)
            if template_opening.startswith("~"):
                present = []
            elif not present:
                present = [i for i in (voice.carer, voice.focus) if i is not None]
            opening = template_opening.lstrip("~") or cv.PLAIN_OPENINGS[kind]
            parts = [opening]
            for topic in rng.choices(topics, weights=topic_weights, k=rng.randint(1, 4)):
                text = slots.fill(cv.OBSERVATIONS[topic])
                if text and text not in parts:
                    parts.append(text)
            if rng.random() < 0.7:
                parts.append(slots.fill(cv.NEXT_STEPS))
            note = " ".join(p for p in parts if p)
            case.contacts.append(
                ContactSpec(
                    public_id=new_id(rng),
                    kind=kind,
                    occurred_at=occurred,
                    note=note,
                    present=present,
                    recorded_at=min(
                        occurred + timedelta(minutes=rng.randrange(20, 2880)),
                        max(occurred, latest_record),
                    ),
                )
            )
            day = occurred.date() + timedelta(days=rng.randrange(3, 22))

    def documents(self, case: CaseSpec, voice: CaseVoice, last_day: date) -> None:
        rng = self.rng
        if rng.random() >= 0.45:
            return
        span = max(1, (last_day - case.started).days)
        for kind, title in rng.sample(cv.DOCUMENTS, rng.randint(1, 3)):
            if "Closure" in title and case.ended is None:
                continue
            day = case.started + timedelta(days=rng.randrange(span))
            text = voice.fill([title], day)
            if not text:
                continue
            public_id = new_id(rng)
            # The file itself is never written: its hash stands for deterministic bytes.
            digest = hashlib.sha256(b"earlyhelp synthetic document " + public_id.bytes)
            case.documents.append(
                DocumentSpec(
                    public_id=public_id,
                    kind=kind,
                    title=text,
                    person=voice.focus if "child_full" in title else voice.carer,
                    size=rng.randrange(40_000, 2_500_000),
                    sha256=digest.hexdigest(),
                    recorded_at=moment(day, rng),
                )
            )

    def attendance(self, case: CaseSpec, voice: CaseVoice, last_day: date) -> None:
        rng = self.rng
        catalogue = self.catalogue
        if case.theme == "early_years" and rng.random() < 0.6:
            who = [i for i in (voice.focus, voice.carer) if i is not None]
            venue = rng.choice(catalogue.venues.get("stay_and_play") or [""])
            if venue:
                window = catalogue.sessions_between("stay_and_play", venue, case.started, last_day)
                chosen = rng.sample(window, min(len(window), rng.randint(2, 12)))
                for session in chosen:
                    for person in who:
                        self.work.attend(session, person, self.turned_up())
        elif case.theme in cv.YOUTH_THEMES and rng.random() < 0.5:
            venue = rng.choice(catalogue.venues.get("youth_project") or [""])
            if venue:
                window = catalogue.sessions_between("youth_project", venue, case.started, last_day)
                chosen = rng.sample(window, min(len(window), rng.randint(3, 20)))
                for session in chosen:
                    self.work.attend(session, voice.focus, self.turned_up())
        elif case.theme == "family" and voice.carer is not None and rng.random() < 0.3:
            courses = [
                course
                for course in catalogue.courses.get("parenting_programme", [])
                if case.started <= catalogue.sessions[course[0]].held_on <= last_day
                and catalogue.sessions[course[-1]].held_on <= self.as_of
            ]
            if courses:
                course = rng.choice(courses)
                for session in course:
                    self.work.attend(session, voice.carer, self.turned_up(0.8))

    def turned_up(self, rate: float = 0.92) -> str:
        """Whether an expected attendee came, sent apologies or was absent."""
        rng = self.rng
        if rng.random() < rate:
            return "attended"
        return "cancelled" if rng.random() < APOLOGIES_RATE else "absent"


def drop_in(
    family: FamilySpec, catalogue: Catalogue, as_of: date, rng: random.Random, work: FamilyCasework
) -> None:
    """Families the service does not work with still come to stay and play."""
    little = [
        i
        for i, p in enumerate(family.people)
        if p.in_household and age_on(p.date_of_birth, as_of) < 5
    ]
    venues = catalogue.venues.get("stay_and_play")
    if not little or not venues or rng.random() >= DROP_IN_RATE:
        return
    venue = rng.choice(venues)
    window = catalogue.sessions_between("stay_and_play", venue, as_of - timedelta(days=365), as_of)
    child = rng.choice(little)
    born = family.people[child].date_of_birth
    window = [s for s in window if catalogue.sessions[s].held_on >= born]
    chosen = sorted(rng.sample(window, min(len(window), rng.randint(1, 8))))
    # Their first time, they may come unannounced; afterwards they are expected.
    walked_in = rng.random() < WALK_IN_RATE
    for position, session in enumerate(chosen):
        work.attend(session, child, walk_in=walked_in and not position)
