"""Casework for synthetic families: cases, assessments, plans, contacts, documents, attendance.

Pure Python, no database. `make_casework(family, catalogue, as_of)` draws a family's
casework from `family.casework_seed` alone, so it is the same whatever batch the
family is written in, and a family replayed to reach later ones costs nothing here.
`Catalogue` holds what the casework refers to: the policy's services (as plain ids and
names, themed by the words of their names), the teams of each, and the seed's group
sessions.
"""

import bisect
import hashlib
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from earlyhelp.synthetic import casework_vocabulary as cv
from earlyhelp.synthetic.families import FamilySpec
from earlyhelp.synthetic.notes import CaseVoice, age_on

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
class GoalSpec:
    goal: str
    actions: str
    target_date: date
    status: str


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


@dataclass
class PlanSpec:
    public_id: uuid.UUID
    agreed: date
    review_date: date
    goals: list[GoalSpec]
    recorded_at: datetime


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
    assessments: list[AssessmentSpec] = field(default_factory=list)
    plans: list[PlanSpec] = field(default_factory=list)
    contacts: list[ContactSpec] = field(default_factory=list)
    documents: list[DocumentSpec] = field(default_factory=list)


@dataclass
class FamilyCasework:
    cases: list[CaseSpec] = field(default_factory=list)
    # (session index, person index) -> whether they came.
    attendance: dict[tuple[int, int], bool] = field(default_factory=dict)

    def attend(self, session: int, person: int, came: bool = True) -> None:
        self.attendance.setdefault((session, person), came)


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
        self, options: list[ServiceOption], teams: list[TeamSpec], sessions: list[SessionSpec]
    ) -> None:
        if not options:
            raise ValueError("the policy declares no services for cases to belong to")
        self.options = options
        self.teams = teams
        self.sessions = sessions
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

    def sessions_between(self, kind: str, venue: str, first: date, last: date) -> list[int]:
        dates, indexes = self.runs[(kind, venue)]
        return indexes[bisect.bisect_left(dates, first) : bisect.bisect_right(dates, last)]


def moment(day: date, rng: random.Random, first_hour: int = 9, last_hour: int = 18) -> datetime:
    """A time in working hours on `day` (moved off a weekend to the Monday)."""
    if day.weekday() >= 5:
        day += timedelta(days=7 - day.weekday())
    minutes = rng.randrange(first_hour * 60, last_hour * 60, 5)
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
        self.assess_and_plan(case, voice, last_day)
        self.contacts(case, voice, last_day)
        self.documents(case, voice, last_day)
        self.attendance(case, voice, last_day)
        return case

    def team(self, service: str) -> TeamSpec:
        teams = self.catalogue.teams_of[service]
        district = self.family.postcode.split()[0]
        wanted = "North" if district in cv.NORTH_DISTRICTS else "South"
        if self.rng.random() < 0.2:
            wanted = "Central"
        return next((t for t in teams if t.locality == wanted), teams[0])

    def closure_reason(self) -> str:
        reasons = cv.CLOSURE_REASONS
        return self.rng.choices([r for r, _ in reasons], weights=[w for _, w in reasons])[0]

    def assess_and_plan(self, case: CaseSpec, voice: CaseVoice, last_day: date) -> None:
        rng = self.rng
        kind = "youth_justice" if case.theme == "justice" else "early_help"
        started = min(case.started + timedelta(days=rng.randrange(0, 21)), last_day)
        reviews = 0
        while started <= last_day and reviews < 3:
            completed = started + timedelta(days=rng.randrange(7, 43))
            done = completed if completed <= last_day else None
            needs = rng.sample(cv.NEEDS[case.theme], min(3, len(cv.NEEDS[case.theme])))
            need_text = [voice.fill([n], started) for n in needs]
            need_text = [n for n in need_text if n]
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

    @staticmethod
    def need(needs: list[str]) -> str:
        """The first need, to go inside a sentence."""
        need = (needs or ["Routines at home."])[0].rstrip(".")
        return need[:1].lower() + need[1:]

    def plan(
        self, case: CaseSpec, voice: CaseVoice, agreed: date, review: date, last_day: date
    ) -> PlanSpec:
        rng = self.rng
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
            goals.append(
                GoalSpec(
                    goal=text,
                    actions=voice.fill([actions], agreed) or "FSW to review with the family.",
                    target_date=review,
                    status=status,
                )
            )
        return PlanSpec(new_id(rng), agreed, review, goals, moment(agreed, rng))

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
                        self.work.attend(session, person)
        elif case.theme in cv.YOUTH_THEMES and rng.random() < 0.5:
            venue = rng.choice(catalogue.venues.get("youth_project") or [""])
            if venue:
                window = catalogue.sessions_between("youth_project", venue, case.started, last_day)
                chosen = rng.sample(window, min(len(window), rng.randint(3, 20)))
                for session in chosen:
                    self.work.attend(session, voice.focus)
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
                    self.work.attend(session, voice.carer, rng.random() < 0.8)


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
    for session in rng.sample(window, min(len(window), rng.randint(1, 8))):
        work.attend(session, child)
