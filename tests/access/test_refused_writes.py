"""A refused write writes nothing: a 403 leaves every table and the document store as they were.

Every POST route of the people and cases apps that writes family data is posted valid data by
someone the record is closed to: a practitioner or a team manager of another team, and each
of them again after breaking glass (emergency access reads, never writes). The answer must be
403, and a snapshot of every model's rows (contents, not only counts) must be unchanged; only
the audit trail, sessions and sign-in attempt tables may move, since a refusal is recorded.
The same posts by the family's own team write, so the data is valid and the check can fail.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver, reverse
from django_otp import DEVICE_ID_SESSION_KEY

from earlyhelp.access.models import User
from earlyhelp.access.roles import Role
from earlyhelp.cases.models import GroupSession, Team
from earlyhelp.people.facts import FACT_MODELS, fact_form_class
from earlyhelp.people.merge import merge_people
from earlyhelp.people.models import Person
from earlyhelp.policy.active import active_policy
from earlyhelp.web.forms import DateField
from tests.access.closure_records import another_case, closure_awaiting
from tests.access.plan_records import plan_on
from tests.cases import sample_files
from tests.factories import (
    AssessmentFactory,
    AttendanceFactory,
    GroupSessionFactory,
    PersonFactory,
    RestrictionFactory,
    TeamFactory,
)

# Tables a refusal may write to: the refusal is audited; the session and sign-in tables
# belong to the visit, not the family.
NOT_FAMILY_DATA = {"audit.AuditEvent", "audit.AuditChainHead", "sessions.Session"}
BREAK_GLASS_REASON = "Police at school asking about Yusuf, allocated worker off sick"


def _tables() -> list:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label not in NOT_FAMILY_DATA and model._meta.app_label != "axes"
    ]


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table that holds family data (or anything else), in key order."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in _tables()
    }


def _changed(before: dict, after: dict) -> dict[str, tuple[int, int]]:
    return {
        label: (len(before[label]), len(after[label]))
        for label in before
        if before[label] != after[label]
    }


def _documents(settings) -> list:
    return sorted(p for p in settings.DOCUMENTS_DIR.rglob("*") if p.is_file())


@dataclass(frozen=True)
class World:
    yusuf: Person
    duplicate: Person
    merge: object
    case: object
    home_team: Team
    worker: User | None = None  # a practitioner of the home team, to allocate the case to
    closing: object = None  # another case of the family, its closure awaiting sign-off
    closed: object = None  # another case of the family, closed
    restricted: Person | None = None  # someone else, restricted by the home team's manager
    keeper: User | None = None  # that manager: the only one of the team who may lift it


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
    session.save()
    return client


def _day(prefix: str, day: date) -> dict[str, str]:
    """A date as the three boxes of the GOV.UK date input post it."""
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def _fact_data(kind: str) -> dict[str, str]:
    """Valid answers to the required questions of a fact's form, read from the form."""
    data = {}
    for name, field in fact_form_class(FACT_MODELS[kind])().fields.items():
        if not field.required:
            continue
        if isinstance(field, DateField):
            data |= _day(name, date(2026, 1, 5))
        elif getattr(field, "choices", None):
            data[name] = str(next(value for value, _ in field.choices if value != ""))
        elif name == "academic_year":
            data[name] = "2025/26"
        else:
            data[name] = "Recorded in a test"[: getattr(field, "max_length", None)]
    return data


# Route -> (its arguments, valid data for this poster). One entry per write route; the
# record_fact route once per kind of fact.
Build = Callable[[World, User], dict]
WRITES: dict[str, tuple[str, Callable[[World], list], Build]] = {
    "people:edit": (
        "people:edit",
        lambda w: [w.yusuf.public_id],
        lambda w, u: {
            "given_name": "Changed",
            "family_name": "Haddad",
            **_day("date_of_birth", date(2016, 2, 9)),
        },
    ),
    **{
        f"people:record_fact/{kind}": (
            "people:record_fact",
            lambda w, kind=kind: [w.yusuf.public_id, kind],
            lambda w, u, kind=kind: _fact_data(kind),
        )
        for kind in FACT_MODELS
    },
    "people:add_address": (
        "people:add_address",
        lambda w: [w.yusuf.public_id],
        lambda w, u: {
            "line_1": "1 New Road",
            "town": "London",
            "postcode": "NW1 1AA",
            "source": "family",
            "household_moves": "alone",  # he moves out on his own
        },
    ),
    "people:add_contact_method": (
        "people:add_contact_method",
        lambda w: [w.yusuf.public_id],
        lambda w, u: {"kind": "telephone", "value": "07700 900123", "source": "family"},
    ),
    "people:compare_for_merge": (
        "people:compare_for_merge",
        lambda w: [w.yusuf.public_id, w.duplicate.public_id],
        lambda w, u: {"reason": "Same child, same school"},
    ),
    "people:restrict": (
        "people:restrict",
        lambda w: [w.yusuf.public_id],
        lambda w, u: {"reason": "A relative works in the team", "named_users": [str(u.pk)]},
    ),
    "people:lift_restriction": (
        "people:lift_restriction",
        lambda w: [w.restricted.public_id],
        lambda w, u: {"reason": "The relative has left"},
    ),
    "people:undo_merge": (
        "people:undo_merge",
        lambda w: [w.merge.public_id],
        lambda w, u: {"reason": "They are cousins with the same name"},
    ),
    "cases:open_case": (
        "cases:open_case",
        lambda w: [w.yusuf.public_id],
        lambda w, u: {
            "service": "family-support-and-complex-families",
            "team": str(u.teams.get().pk),
            "children": [str(w.yusuf.public_id)],
            "reason": "Attendance worries",
            **_day("started", date(2026, 10, 1)),
        },
    ),
    "cases:add_contact": (
        "cases:add_contact",
        lambda w: [w.case.public_id],
        lambda w, u: {
            "kind": "home_visit",
            "note": "Visited the family at home",
            "people_present": [str(w.yusuf.public_id)],
            **_day("occurred_on", date(2026, 10, 2)),
        },
    ),
    "cases:add_document": (
        "cases:add_document",
        lambda w: [w.case.public_id],
        lambda w, u: {
            "kind": "report",
            "title": "School report",
            "file": SimpleUploadedFile("report.pdf", sample_files.pdf("School report")),
        },
    ),
    **{
        route: (
            route,
            lambda w, tail=tail: [w.case.public_id, *tail(w)],
            lambda w, u: {
                **_day("agreed", date(2026, 10, 1)),
                "goal": "Yusuf goes to school every day",
                "need": "none",
                "action_1": "Walk Yusuf to school",
                "who_1": "Amira",
                **_day("by_when_1", date(2026, 10, 8)),
            },
        )
        for route, tail in (
            ("cases:agree_plan", lambda w: []),
            ("cases:add_plan_goal", lambda w: [w.case.plans.get().public_id]),
            ("cases:edit_plan_goal", lambda w: [w.case.plans.get().public_id, 1]),
        )
    },
    "cases:review_plan": (
        "cases:review_plan",
        lambda w: [w.case.public_id, w.case.plans.get().public_id],
        lambda w, u: {
            **_day("reviewed_on", date(2026, 10, 2)),
            "status_1": "in_progress",
            "summary": "Better mornings",
        },
    ),
    "cases:start_assessment": (
        "cases:start_assessment",
        lambda w: [w.case.public_id],
        lambda w, u: {"reviews": "new", **_day("started", date(2026, 10, 1))},
    ),
    "cases:edit_assessment": (
        "cases:edit_assessment",
        lambda w: [w.case.assessments.get().public_id],
        lambda w, u: {
            **_day("started", date(2026, 9, 8)),
            "took_part": "Amira and Yusuf",
            "family_views": "Amira wants help with the flat",
            "child_views": "Yusuf wants his own room",
            "family_agreed": "yes",
            **_day("family_agreed_on", date(2026, 9, 8)),
            "needs-TOTAL_FORMS": "1",
            "needs-INITIAL_FORMS": "0",
            "needs-0-outcome": active_policy().casework.headline_outcomes[0].id,
            "needs-0-description": "Damp, overcrowded flat",
        },
    ),
    "cases:complete_assessment": (
        "cases:complete_assessment",
        lambda w: [w.case.assessments.get().public_id],
        lambda w, u: _day("completed", date(2026, 10, 2)),
    ),
    # A group session of the home team's service (not a family record: its id is the
    # session's), with Yusuf expected; Leila is added as expected, Amira as a walk-in.
    "cases:session_expected": (
        "cases:session_expected",
        lambda w: [GroupSession.objects.get().public_id],
        lambda w, u: {"people": [str(_on_case(w, "Leila").public_id)]},
    ),
    "cases:session_register": (
        "cases:session_register",
        lambda w: [GroupSession.objects.get().public_id],
        lambda w, u: {f"status_{w.yusuf.public_id}": "attended"},
    ),
    "cases:session_walk_in": (
        "cases:session_walk_in",
        lambda w: [GroupSession.objects.get().public_id],
        lambda w, u: {"person": str(_on_case(w, "Amira").public_id)},
    ),
}
WRITES["people:add_household_member"] = (
    "people:add_household_member",
    lambda w: [w.case.household.public_id],
    lambda w, u: {"action": "save", "person": str(w.duplicate.public_id)},
)
WRITES["people:leave_household"] = (
    "people:leave_household",
    lambda w: [w.case.household.public_id, w.yusuf.public_id],
    lambda w, u: _day("left_on", date(2026, 10, 2)),
)
WRITES["people:add_relationship"] = (
    "people:add_relationship",
    lambda w: [w.yusuf.public_id],
    lambda w, u: {
        "action": "save",
        "relative": str(w.duplicate.public_id),
        "kind": "sibling",
        "parental_responsibility": "no",
        "source": "family",
    },
)
WRITES["cases:correct_contact"] = (
    "cases:correct_contact",
    lambda w: [w.case.public_id, w.case.contacts.get().public_id],
    lambda w, u: {"action": "strike", "reason": "Recorded on the wrong case"},
)
WRITES["cases:correct_person_record"] = (
    "cases:correct_person_record",
    lambda w: [w.yusuf.public_id, "relationship", 1],
    lambda w, u: {"action": "strike", "reason": "Recorded on the wrong child"},
)
WRITES["cases:add_case_note"] = (
    "cases:add_case_note",
    lambda w: [w.case.public_id],
    lambda w, u: {"kind": "case_note", "note": "Spoke to school", "special_category": "no"},
)
WRITES["cases:allocate"] = (
    "cases:allocate",
    lambda w: [w.case.public_id],
    lambda w, u: {"worker": str(w.worker.pk), "reason": "Knows the family"},
)
WRITES["cases:request_closure"] = (
    "cases:request_closure",
    lambda w: [w.case.public_id],
    lambda w, u: {
        "reason": "needs-met",
        **_day("closing_on", date.today()),  # not before the contact recorded today
        "summary": "Yusuf goes to school every day",
    },
)
WRITES["cases:decide_closure"] = (
    "cases:decide_closure",
    lambda w: [w.closing.public_id, w.closing.closure_requests.get().public_id],
    lambda w, u: {"decision": "approve"},
)
WRITES["cases:reopen_case"] = (
    "cases:reopen_case",
    lambda w: [w.closed.public_id],
    lambda w, u: {"reason": "The family asked for help again"},
)
MANAGERS_ONLY = {
    "people:compare_for_merge",
    "people:restrict",
    "people:undo_merge",
    "cases:allocate",
    "cases:decide_closure",
    # A correction is its author's or a manager's of a team holding the record.
    "cases:correct_contact",
    "cases:correct_person_record",
}
OWNER_ONLY = {"people:lift_restriction"}
# Routes of the people and cases apps that write no family data on a POST, or that any
# caseworker may use (a new person belongs to no one yet; a search writes only its audit).
# A new group session is about a service, not a family: any caseworker creates one. The merge
# page's POST is its search (the merge itself is posted from the comparison).
NOT_REFUSED_WRITES = {
    "people:search",
    "people:merge",
    "people:create",
    "people:break_glass",
    "cases:new_session",
}

REFUSED = {
    "practitioner in another team": (Role.PRACTITIONER, False),
    "manager in another team": (Role.TEAM_MANAGER, False),
    "practitioner in another team, after breaking glass": (Role.PRACTITIONER, True),
    "manager in another team, after breaking glass": (Role.TEAM_MANAGER, True),
}


@pytest.fixture
def world(family, case, team, make_user, settings, tmp_path) -> World:
    settings.DOCUMENTS_DIR = tmp_path / "documents"
    settings.DOCUMENTS_DIR.mkdir()
    yusuf = family["yusuf"]
    duplicate = PersonFactory(
        given_name="Yusef",
        family_name="Haddad",
        date_of_birth=yusuf.date_of_birth,
        unidentified=True,
    )
    merged = PersonFactory(
        given_name="Yusuf",
        family_name="Hadad",
        date_of_birth=yusuf.date_of_birth,
        unidentified=True,
    )
    merge = merge_people(yusuf, merged, make_user("merger", Role.TEAM_MANAGER), "Same child")
    plan_on(case)  # a plan not yet reviewed, for the plan's routes
    AssessmentFactory(  # open, for the assessment's routes, with what completing it needs
        case=case,
        started=date(2026, 9, 8),
        child_views="Yusuf says he misses his friends",
        took_part="Amira (mother), Yusuf",
        summary="School attendance first",
    )
    case.contacts.create(  # for the correction's routes
        kind="home_visit", occurred_at=case.created_at, note="Visited the family"
    )
    # A group session of the team's service, Yusuf expected: for the session's routes.
    AttendanceFactory(
        session=GroupSessionFactory(service=team.service), person=yusuf, status="absent"
    )
    worker = make_user("wren", Role.PRACTITIONER)
    team.members.add(worker)
    closing = another_case(case)
    closure_awaiting(closing, worker)  # asked by the worker, for a manager to sign off
    closed = another_case(case, closed_on=date(2026, 11, 1))
    # A record a manager of the home team restricted: only they, or the IG officer, lift it.
    keeper = make_user("keeper", Role.TEAM_MANAGER)
    team.members.add(keeper)
    restricted = PersonFactory()
    RestrictionFactory(person=restricted, created_by=keeper, named_users=[keeper])
    return World(yusuf, duplicate, merge, case, team, worker, closing, closed, restricted, keeper)


def _on_case(world: World, given_name: str) -> Person:
    """A person on the family's case, by their given name."""
    return world.case.people.get(given_name=given_name)


def _member(make_user, role: Role, team: Team) -> User:
    user = make_user(f"user-{uuid.uuid4().hex[:8]}", role)
    team.members.add(user)
    return user


def test_every_post_route_of_the_people_and_cases_apps_is_checked_or_writes_no_family_data(
    world, make_user
):
    """A new route must be added here: either it is refused-write checked, or it takes no
    POST (a GET-only page answers 405 to the family's own worker and writes nothing)."""
    checked = {route for route, _, _ in WRITES.values()}
    worker = _signed_in(_member(make_user, Role.PRACTITIONER, world.home_team))
    names = set()
    for namespace in ("people", "cases"):
        names |= {
            f"{namespace}:{name}"
            for name in get_resolver().namespace_dict[namespace][1].reverse_dict
            if isinstance(name, str)
        }
    arguments = {
        "people:person": [world.yusuf.public_id],
        "people:person_chronology": [world.yusuf.public_id],
        "people:household": [world.case.household.public_id],
        "people:household_chronology": [world.case.household.public_id],
        "cases:case": [world.case.public_id],
        "cases:document": [uuid.uuid4()],
        "cases:assessment": [world.case.assessments.get().public_id],
        "cases:plan": [world.case.public_id, world.case.plans.get().public_id],
        "cases:closure": [
            world.closing.public_id,
            world.closing.closure_requests.get().public_id,
        ],
        "cases:work_list": ["mine"],
        "cases:record_corrections": [world.yusuf.public_id],
        "cases:sessions": [],
        "cases:session": [GroupSession.objects.get().public_id],
        "cases:case_contacts": [world.case.public_id],
        "cases:case_chronology": [world.case.public_id],
        "cases:case_chronology_print": [world.case.public_id],
        "cases:person_chronology_print": [world.yusuf.public_id],
        "cases:household_chronology_print": [world.case.household.public_id],
    }
    assert names - checked - NOT_REFUSED_WRITES == set(arguments)
    before = snapshot()
    for name, args in arguments.items():
        assert worker.post(reverse(name, args=args), {"note": "x"}).status_code == 405, name
    assert snapshot() == before


def _refused_poster(world: World, make_user, refused: str) -> tuple[Client, User]:
    role, broke_glass = REFUSED[refused]
    user = _member(make_user, role, TeamFactory(name="South youth", service="iyss"))
    client = _signed_in(user)
    if broke_glass:
        glass = reverse("people:break_glass", args=[world.yusuf.public_id])
        assert client.post(glass, {"reason": BREAK_GLASS_REASON}).status_code == 302
        person = reverse("people:person", args=[world.yusuf.public_id])
        assert client.get(person).status_code == 200  # the glass is broken: it can read
    return client, user


@pytest.mark.parametrize("refused", list(REFUSED))
@pytest.mark.parametrize("write", list(WRITES))
def test_a_refused_write_is_403_and_changes_nothing(world, make_user, settings, write, refused):
    route, args, data = WRITES[write]
    client, user = _refused_poster(world, make_user, refused)
    before, files = snapshot(), _documents(settings)
    response = client.post(reverse(route, args=args(world)), data(world, user))
    assert response.status_code == 403
    assert _changed(before, snapshot()) == {}
    assert _documents(settings) == files


@pytest.mark.parametrize("write", list(WRITES))
def test_the_same_write_by_the_familys_own_team_is_saved(world, make_user, settings, write):
    """The control: the data posted above is valid, so a missing guard would show."""
    route, args, data = WRITES[write]
    role = Role.TEAM_MANAGER if route in MANAGERS_ONLY else Role.PRACTITIONER
    # A restriction is lifted by the manager who made it (or the IG officer), not any other.
    user = world.keeper if route in OWNER_ONLY else _member(make_user, role, world.home_team)
    before = snapshot()
    response = _signed_in(user).post(reverse(route, args=args(world)), data(world, user))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _changed(before, snapshot())


@pytest.mark.parametrize(
    "who",
    ["practitioner in another team", "manager in another team", "practitioner in her own team"],
)
def test_breaking_glass_into_a_restricted_record_is_403_and_changes_nothing(
    family, case, team, make_user, who
):
    leila = family["leila"]
    keeper = _member(make_user, Role.TEAM_MANAGER, team)
    RestrictionFactory(person=leila, reason="Her aunt works here", created_by=keeper)
    leila.restriction.named_users.add(keeper)
    role = Role.TEAM_MANAGER if who.startswith("manager") else Role.PRACTITIONER
    own = who.endswith("own team")
    client = _signed_in(
        _member(make_user, role, team if own else TeamFactory(name="South", service="iyss"))
    )
    before = snapshot()
    glass = reverse("people:break_glass", args=[leila.public_id])
    assert client.post(glass, {"reason": BREAK_GLASS_REASON}).status_code == 403
    assert _changed(before, snapshot()) == {}
    assert client.get(reverse("people:person", args=[leila.public_id])).status_code == 403
