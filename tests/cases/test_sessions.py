"""Group sessions and their registers (cases.sessions): who may open a session, who may be
put on it, the register's states and walk-ins, attendance in each child's chronology, and
each write with its audit events in one transaction (a refused write writes nothing)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases import sessions
from earlyhelp.cases.chronology import person_chronology
from earlyhelp.cases.models import Attendance, GroupSession
from tests.factories import PersonFactory, RestrictionFactory, TeamFactory

FAMILY_SUPPORT = "family-support-and-complex-families"


def _today():
    return timezone.localdate()


@pytest.fixture
def worker(make_user, team, case):
    user = make_user("priya", Role.PRACTITIONER)
    user.last_name = "Shah"
    user.save()
    team.members.add(user)
    return user


@pytest.fixture
def as_worker(request_as, worker):
    return request_as(worker)


def _create(request, **changes):
    values = {
        "service": FAMILY_SUPPORT,
        "kind": "stay_and_play",
        "title": "Tuesday stay and play",
        "venue": "Queen's Crescent Community Centre",
        "held_on": _today(),
    }
    return sessions.create_session(request, **{**values, **changes})


@pytest.fixture
def session(as_worker):
    return _create(as_worker)


def _events(**filters):
    return list(AuditEvent.objects.filter(**filters).order_by("pk"))


def _nothing_written(before_rows: int, before_events: int) -> bool:
    return Attendance.objects.count() == before_rows and AuditEvent.objects.count() == before_events


# --- creating a session ----------------------------------------------------------------


def test_a_session_is_run_by_its_creator_unless_named_and_its_creation_is_audited(
    as_worker, worker
):
    session = _create(as_worker)
    assert list(session.run_by.all()) == [worker]
    assert session.created_by == worker
    [event] = _events(record_type="session", record_id=str(session.public_id))
    assert event.action == "create"
    assert event.actor == worker


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"service": "no-such-service"}, "service:"),
        ({"kind": "disco"}, "kind:"),
        ({"title": "   "}, "title:"),
        ({"venue": ""}, "venue:"),
        ({"venue": "x" * 201}, "venue:"),
        ({"held_on": timezone.localdate() + timedelta(days=400)}, "held_on:"),
        ({"held_on": timezone.localdate() - timedelta(days=400)}, "held_on:"),
        ({"run_by": []}, "run_by:"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_writes_nothing(as_worker, changes, field):
    with pytest.raises(ValueError, match=f"^{field}"):
        _create(as_worker, **changes)
    assert not GroupSession.objects.exists()
    assert not _events(record_type="session")


def test_a_session_is_run_only_by_caseworkers(as_worker, make_user):
    analyst = make_user("ana", Role.ANALYST)
    with pytest.raises(ValueError, match=r"^run_by:"):
        _create(as_worker, run_by=[analyst])
    assert not GroupSession.objects.exists()


def test_a_session_within_a_year_either_way_is_plausible(as_worker):
    assert _create(as_worker, held_on=_today() + timedelta(days=360)).pk
    assert _create(as_worker, held_on=_today() - timedelta(days=360)).pk


# --- who may open a session ------------------------------------------------------------


def test_a_session_is_open_to_its_runners_and_the_teams_of_its_service_only(
    session, worker, make_user
):
    colleague = make_user("cara", Role.TEAM_MANAGER)
    TeamFactory(name="West family support", service=FAMILY_SUPPORT).members.add(colleague)
    outsider = make_user("olu", Role.PRACTITIONER)
    TeamFactory(name="South youth", service="iyss").members.add(outsider)
    assert sessions.may_open_session(worker, session)
    assert sessions.may_open_session(colleague, session)
    assert not sessions.may_open_session(outsider, session)
    session.run_by.add(outsider)
    assert sessions.may_open_session(outsider, session)
    analyst = make_user("ana", Role.ANALYST)
    session.run_by.add(analyst)
    assert not sessions.may_open_session(analyst, session)  # no casework, no session


def test_a_team_of_a_service_covers_the_sessions_of_its_sub_services(make_user, as_worker):
    youth = make_user("yas", Role.PRACTITIONER)
    TeamFactory(name="Youth", service="iyss").members.add(youth)
    session = _create(as_worker, service="youth-service", kind="youth_project")
    assert sessions.may_open_session(youth, session)
    assert session in sessions.sessions_for(youth)
    assert ("youth-service", "Integrated Youth Support Services: Youth Service") in (
        sessions.session_services(youth)
    )


def test_sessions_you_run_this_week_are_this_weeks_only(as_worker, worker):
    monday, sunday = sessions.week_of(_today())
    this_week = [_create(as_worker, held_on=monday), _create(as_worker, held_on=sunday)]
    _create(as_worker, held_on=monday - timedelta(days=1))
    _create(as_worker, held_on=sunday + timedelta(days=1))
    someone_elses = _create(as_worker, held_on=monday)
    someone_elses.run_by.clear()
    assert list(sessions.sessions_run_this_week(worker, _today())) == this_week


# --- who is expected --------------------------------------------------------------------


def test_expected_people_are_listed_not_recorded_and_counted_neither_as_coming_nor_absent(
    session, as_worker, family
):
    rows = sessions.set_expected(as_worker, session, add=[family["yusuf"], family["mum"]])
    assert {row.person for row in rows} == {family["yusuf"], family["mum"]}
    assert all(not row.walk_in and row.recorded_by is None for row in rows)
    assert {row.status for row in session.attendance.all()} == {"expected"}
    assert not session.attendance.filter(status__in=["absent", "attended"]).exists()
    words = {row.person: row.status_words for row in sessions.register_rows(as_worker, session)}
    assert set(words.values()) == {sessions.NOT_RECORDED}
    assert not person_chronology(family["yusuf"], {"attendance"})


def test_the_expected_list_offers_the_people_of_the_services_open_cases(session, worker, family):
    offered = set(sessions.expected_candidates(worker, session))
    assert offered == {family["yusuf"], family["leila"], family["mum"]}


def test_setting_who_is_expected_is_one_change_on_the_session_and_a_create_per_person(
    session, as_worker, family
):
    before = AuditEvent.objects.count()
    sessions.set_expected(as_worker, session, add=[family["yusuf"], family["leila"]])
    events = list(AuditEvent.objects.order_by("pk"))[before:]
    assert [(e.action, e.record_type) for e in events] == [
        ("change", "session"),
        ("create", "person"),
        ("create", "person"),
    ]
    assert {e.record_id for e in events[1:]} == {
        str(family["yusuf"].public_id),
        str(family["leila"].public_id),
    }
    assert all("youth-project-attendance" in e.categories for e in events)


def test_a_person_restricted_from_the_worker_cannot_be_added_and_whom_to_ask_is_said(
    session, as_worker, family, make_user
):
    keeper = make_user("kim", Role.TEAM_MANAGER)
    keeper.first_name, keeper.last_name = "Kim", "Kowalczyk"
    keeper.save()
    RestrictionFactory(person=family["leila"], created_by=keeper)
    rows, events = Attendance.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValueError) as refusal:
        sessions.set_expected(as_worker, session, add=[family["yusuf"], family["leila"]])
    assert str(refusal.value).startswith("person:")
    assert "Kim Kowalczyk" in str(refusal.value)
    assert "Leila" not in str(refusal.value)
    assert _nothing_written(rows, events)


def test_a_person_held_by_another_team_cannot_be_added(session, as_worker):
    elsewhere = PersonFactory()
    other_case_team = TeamFactory(name="Elsewhere", service="iyss")
    from earlyhelp.cases.services import open_case

    open_case(
        service="iyss",
        household=None,
        children=[elsewhere],
        family=[],
        reason="Youth work",
        team=other_case_team,
        started=_today(),
        created_by=None,
    )
    rows, events = Attendance.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValueError, match=r"^person:"):
        sessions.set_expected(as_worker, session, add=[elsewhere])
    assert _nothing_written(rows, events)


def test_someone_already_on_the_list_is_not_added_twice(session, as_worker, family):
    sessions.set_expected(as_worker, session, add=[family["yusuf"]])
    with pytest.raises(ValueError, match=r"^person:"):
        sessions.set_expected(as_worker, session, add=[family["yusuf"]])
    with pytest.raises(ValueError, match=r"^person:"):
        sessions.add_walk_in(as_worker, session, family["yusuf"])
    assert Attendance.objects.count() == 1


def test_someone_not_yet_recorded_can_be_taken_off_the_list_but_not_once_recorded(
    session, as_worker, family
):
    sessions.set_expected(as_worker, session, add=[family["yusuf"], family["leila"]])
    sessions.set_expected(as_worker, session, remove=[family["leila"]])
    assert [row.person for row in session.attendance.all()] == [family["yusuf"]]
    sessions.take_register(as_worker, session, {family["yusuf"]: "absent"})
    with pytest.raises(ValueError, match=r"^remove:"):
        sessions.set_expected(as_worker, session, remove=[family["yusuf"]])
    assert session.attendance.count() == 1


# --- the register -----------------------------------------------------------------------


def test_the_register_records_attended_absent_and_cancelled_by_the_worker(
    session, as_worker, worker, family
):
    people = [family["yusuf"], family["leila"], family["mum"]]
    sessions.set_expected(as_worker, session, add=people)
    sessions.take_register(
        as_worker,
        session,
        {family["yusuf"]: "attended", family["leila"]: "absent", family["mum"]: "cancelled"},
    )
    status = {row.person: row.status for row in session.attendance.all()}
    assert status == {
        family["yusuf"]: "attended",
        family["leila"]: "absent",
        family["mum"]: "cancelled",
    }
    assert all(row.recorded_by == worker for row in session.attendance.all())
    words = {row.person: row.status_words for row in sessions.register_rows(as_worker, session)}
    assert words[family["mum"]] == "Cancelled (sent apologies)"


def test_the_register_is_in_each_childs_chronology_and_a_place_not_yet_recorded_is_not(
    session, as_worker, family
):
    sessions.set_expected(as_worker, session, add=[family["yusuf"], family["leila"]])
    assert not person_chronology(family["yusuf"], {"attendance"})  # expected: nothing yet
    sessions.take_register(
        as_worker, session, {family["yusuf"]: "attended", family["leila"]: "absent"}
    )
    [event] = person_chronology(family["yusuf"], {"attendance"})
    assert event.summary == "Yusuf attended Tuesday stay and play"
    assert event.title == "Stay and play"
    [missed] = person_chronology(family["leila"], {"attendance"})
    assert missed.summary == "Leila did not attend Tuesday stay and play"
    sessions.take_register(as_worker, session, {family["yusuf"]: "cancelled"})
    [apologies] = person_chronology(family["yusuf"], {"attendance"})
    assert apologies.summary == "Yusuf sent apologies for Tuesday stay and play"


def test_the_register_is_one_change_on_the_session_and_a_create_per_person_recorded(
    session, as_worker, family
):
    sessions.set_expected(as_worker, session, add=[family["yusuf"], family["leila"]])
    before = AuditEvent.objects.count()
    sessions.take_register(
        as_worker, session, {family["yusuf"]: "attended", family["leila"]: "absent"}
    )
    events = list(AuditEvent.objects.order_by("pk"))[before:]
    assert [(e.action, e.record_type) for e in events] == [
        ("change", "session"),
        ("create", "person"),
        ("create", "person"),
    ]
    assert events[0].record_id == str(session.public_id)
    assert {e.record_id for e in events[1:]} == {
        str(family["yusuf"].public_id),
        str(family["leila"].public_id),
    }
    assert all(e.details.get("session") == str(session.public_id) for e in events[1:])


def test_a_bad_status_names_the_field_and_the_register_writes_nothing(session, as_worker, family):
    sessions.set_expected(as_worker, session, add=[family["yusuf"], family["leila"]])
    rows = list(Attendance.objects.order_by("pk").values_list())
    events = AuditEvent.objects.count()
    with pytest.raises(ValueError, match=r"^status:"):
        sessions.take_register(
            as_worker, session, {family["yusuf"]: "attended", family["leila"]: "late"}
        )
    assert list(Attendance.objects.order_by("pk").values_list()) == rows
    assert AuditEvent.objects.count() == events


def test_someone_not_on_the_list_is_not_on_its_register(session, as_worker, family):
    sessions.set_expected(as_worker, session, add=[family["yusuf"]])
    with pytest.raises(ValueError, match=r"^person:"):
        sessions.take_register(as_worker, session, {family["leila"]: "attended"})
    assert session.attendance.count() == 1


def test_the_register_of_a_session_still_to_come_is_refused(as_worker, family):
    later = _create(as_worker, held_on=_today() + timedelta(days=3))
    sessions.set_expected(as_worker, later, add=[family["yusuf"]])
    rows, events = Attendance.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValueError, match=r"^held_on:"):
        sessions.take_register(as_worker, later, {family["yusuf"]: "attended"})
    with pytest.raises(ValueError, match=r"^held_on:"):
        sessions.add_walk_in(as_worker, later, family["leila"])
    assert _nothing_written(rows, events)
    assert later.attendance.get().recorded_by is None


def test_a_restricted_person_already_on_the_list_is_not_recorded_by_someone_it_excludes(
    session, as_worker, family, make_user
):
    sessions.set_expected(as_worker, session, add=[family["yusuf"], family["leila"]])
    RestrictionFactory(person=family["leila"], created_by=make_user("kim", Role.TEAM_MANAGER))
    rows = list(Attendance.objects.order_by("pk").values_list())
    with pytest.raises(ValueError, match=r"^person:"):
        sessions.take_register(
            as_worker, session, {family["yusuf"]: "attended", family["leila"]: "attended"}
        )
    assert list(Attendance.objects.order_by("pk").values_list()) == rows
    named = [row for row in sessions.register_rows(as_worker, session) if row.allowed]
    assert [row.person for row in named] == [family["yusuf"]]


# --- walk-ins ---------------------------------------------------------------------------


def test_a_walk_in_is_recorded_as_attending_and_shows_in_their_chronology(
    session, as_worker, worker, family
):
    before = AuditEvent.objects.count()
    row = sessions.add_walk_in(as_worker, session, family["leila"])
    assert (row.walk_in, row.status, row.recorded_by) == (True, "attended", worker)
    [event] = person_chronology(family["leila"], {"attendance"})
    assert event.summary == "Leila attended Tuesday stay and play"
    events = list(AuditEvent.objects.order_by("pk"))[before:]
    assert [(e.action, e.record_type, e.record_id) for e in events] == [
        ("change", "session", str(session.public_id)),
        ("create", "person", str(family["leila"].public_id)),
    ]


def test_a_walk_in_restricted_from_the_worker_is_refused_and_nothing_written(
    session, as_worker, family, make_user
):
    RestrictionFactory(person=family["leila"], created_by=make_user("kim", Role.TEAM_MANAGER))
    rows, events = Attendance.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValueError, match=r"^person:"):
        sessions.add_walk_in(as_worker, session, family["leila"])
    assert _nothing_written(rows, events)


def test_a_person_no_case_holds_may_be_a_walk_in(session, as_worker):
    newcomer = PersonFactory(given_name="Nadia")
    assert sessions.add_walk_in(as_worker, session, newcomer).walk_in


def test_attendance_recorded_without_a_worker_shows_its_status_and_stays_on_the_list(
    session, as_worker, family
):
    """Rows the generator writes have no `recorded_by`: one that says attended or cancelled
    is recorded (as the chronology says), not "Not recorded yet", and is not taken off."""
    Attendance.objects.create(session=session, person=family["yusuf"], status="attended")
    Attendance.objects.create(session=session, person=family["leila"], status="cancelled")
    words = {row.person: row.status_words for row in sessions.register_rows(as_worker, session)}
    assert words == {family["yusuf"]: "Attended", family["leila"]: "Cancelled (sent apologies)"}
    with pytest.raises(ValueError, match=r"^remove:"):
        sessions.set_expected(as_worker, session, remove=[family["yusuf"]])
    assert session.attendance.count() == 2
