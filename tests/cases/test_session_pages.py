"""The group sessions' pages: the sessions list, create a session, its page, who is
expected, the register and walk-ins; each error names its field, people are named only to
a reader who may open them (each look recorded against them), and a worker of another
team is refused every page and writes nothing."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases import sessions
from earlyhelp.cases.models import Attendance, GroupSession
from tests.factories import RestrictionFactory, TeamFactory

FAMILY_SUPPORT = "family-support-and-complex-families"


def day(prefix: str, value: date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(value.day),
        f"{prefix}_month": str(value.month),
        f"{prefix}_year": str(value.year),
    }


def _today() -> date:
    return timezone.localdate()


@pytest.fixture
def session(practitioner, request_as):
    return sessions.create_session(
        request_as(practitioner),
        service=FAMILY_SUPPORT,
        kind="stay_and_play",
        title="Tuesday stay and play",
        venue="Queen's Crescent Community Centre",
        held_on=_today(),
    )


def _new_session_form(practitioner, **changes) -> dict:
    return {
        "service": FAMILY_SUPPORT,
        "kind": "parenting_programme",
        "title": "Incredible Years, week 1",
        "venue": "Kentish Town Library",
        **day("held_on", _today() + timedelta(days=2)),
        "run_by": [str(practitioner.pk)],
        **changes,
    }


def test_a_practitioner_creates_a_session_run_by_them_from_the_sessions_list(client, practitioner):
    listing = client.get(reverse("cases:sessions"))
    assert reverse("cases:new_session") in listing.content.decode()
    response = client.post(reverse("cases:new_session"), _new_session_form(practitioner))
    session = GroupSession.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("cases:session", args=[session.public_id])
    assert list(session.run_by.all()) == [practitioner]
    assert (session.kind, session.title) == ("parenting_programme", "Incredible Years, week 1")
    listing = client.get(reverse("cases:sessions")).content.decode()
    assert "Incredible Years, week 1" in listing and "Parenting programme" in listing


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"venue": ""}, "Enter the venue"),
        ({"title": ""}, "Enter the title"),
        ({"kind": ""}, "Select the kind of session"),
        ({"run_by": []}, "Select at least one worker who runs the session"),
        ({"service": "iyss"}, "Service: select one of the options shown"),
        (day("held_on", date(2020, 1, 1)), "The date of the session must be between"),
    ],
)
def test_bad_input_on_the_create_form_names_the_field_and_saves_nothing(
    client, practitioner, changes, message
):
    response = client.post(reverse("cases:new_session"), _new_session_form(practitioner, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not GroupSession.objects.exists()


def test_the_session_page_names_the_people_the_reader_may_open_and_records_a_look_at_each(
    client, practitioner, session, family, request_as, make_user
):
    sessions.set_expected(request_as(practitioner), session, add=[family["yusuf"], family["leila"]])
    keeper = make_user("kim", Role.TEAM_MANAGER)
    keeper.first_name, keeper.last_name = "Kim", "Kowalczyk"
    keeper.save()
    RestrictionFactory(person=family["leila"], created_by=keeper)
    before = AuditEvent.objects.count()
    page = client.get(reverse("cases:session", args=[session.public_id])).content.decode()
    assert "Yusuf Haddad" in page
    assert "Leila" not in page
    assert "Ask Kim Kowalczyk" in page
    looks = list(AuditEvent.objects.order_by("pk"))[before:]
    yusuf_looks = [e for e in looks if e.record_id == str(family["yusuf"].public_id)]
    assert [(e.action, e.rule) for e in yusuf_looks] == [("view", "access:allocation")]
    assert "youth-project-attendance" in yusuf_looks[0].categories
    leila_looks = [e for e in looks if e.record_id == str(family["leila"].public_id)]
    assert [e.rule for e in leila_looks] == ["access:restricted-match"]
    assert any(e.record_type == "session" for e in looks)


def test_the_register_offers_attended_absent_and_cancelled_each_with_its_own_id(
    client, practitioner, session, family, request_as
):
    sessions.set_expected(request_as(practitioner), session, add=[family["yusuf"], family["leila"]])
    page = client.get(reverse("cases:session_register", args=[session.public_id])).content.decode()
    ids = re.findall(r'<input class="govuk-radios__input" id="([^"]+)"', page)
    labels = re.findall(r'<label class="govuk-label govuk-radios__label" for="([^"]+)"', page)
    assert len(ids) == 6 and len(set(ids)) == 6
    assert labels == ids
    assert "Cancelled (sent apologies)" in page


def test_taking_the_register_saves_each_state_and_attendance_shows_in_the_chronology(
    client, practitioner, session, family, request_as
):
    sessions.set_expected(
        request_as(practitioner), session, add=[family["yusuf"], family["leila"], family["mum"]]
    )
    url = reverse("cases:session_register", args=[session.public_id])
    response = client.post(
        url,
        {
            f"status_{family['yusuf'].public_id}": "attended",
            f"status_{family['leila'].public_id}": "absent",
            f"status_{family['mum'].public_id}": "cancelled",
        },
    )
    assert response.status_code == 302
    status = {row.person.given_name: row.status for row in session.attendance.all()}
    assert status == {"Yusuf": "attended", "Leila": "absent", "Amira": "cancelled"}
    chronology = client.get(reverse("people:person_chronology", args=[family["yusuf"].public_id]))
    assert "Yusuf attended Tuesday stay and play" in chronology.content.decode()
    chronology = client.get(reverse("people:person_chronology", args=[family["leila"].public_id]))
    assert "attended Tuesday stay and play" not in chronology.content.decode()


def test_a_register_sent_with_nothing_chosen_names_the_field_and_saves_nothing(
    client, practitioner, session, family, request_as
):
    sessions.set_expected(request_as(practitioner), session, add=[family["yusuf"]])
    url = reverse("cases:session_register", args=[session.public_id])
    response = client.post(url, {})
    assert response.status_code == 200
    assert "Select attended, absent or cancelled for at least one person" in (
        response.content.decode()
    )
    assert session.attendance.get().recorded_by is None


def test_who_is_expected_is_chosen_from_the_services_open_cases(
    client, practitioner, session, family
):
    url = reverse("cases:session_expected", args=[session.public_id])
    page = client.get(url).content.decode()
    assert "Yusuf Haddad" in page and "Amira Haddad" in page
    assert "Tomasz" not in page  # on no case of the team
    response = client.post(
        url, {"people": [str(family["yusuf"].public_id), str(family["mum"].public_id)]}
    )
    assert response.status_code == 302
    assert {row.person for row in session.attendance.all()} == {family["yusuf"], family["mum"]}


def test_a_walk_in_is_found_by_search_and_added_as_attending(client, practitioner, session, family):
    url = reverse("cases:session_walk_in", args=[session.public_id])
    found = client.post(url, {"search": "1", "name": "Leila Haddad"})
    assert found.status_code == 200
    page = found.content.decode()
    assert "Leila Haddad" in page and "Add as a walk-in" in page
    assert "Leila" not in url
    response = client.post(url, {"person": str(family["leila"].public_id)})
    assert response.status_code == 302
    row = Attendance.objects.get()
    assert (row.person, row.walk_in, row.status) == (family["leila"], True, "attended")
    page = client.get(reverse("cases:session", args=[session.public_id])).content.decode()
    assert "Walk-ins" in page and "Leila Haddad" in page


def test_a_restricted_person_found_by_search_is_not_named_and_cannot_be_added(
    client, practitioner, session, family, make_user
):
    keeper = make_user("kim", Role.TEAM_MANAGER)
    keeper.first_name, keeper.last_name = "Kim", "Kowalczyk"
    keeper.save()
    RestrictionFactory(person=family["leila"], created_by=keeper)
    url = reverse("cases:session_walk_in", args=[session.public_id])
    page = client.post(url, {"search": "1", "name": "Leila Haddad"}).content.decode()
    results = page.split("found</h3>", 1)[1]
    assert "Leila" not in results
    assert str(family["leila"].public_id) not in results  # no button adds her
    assert "Ask Kim Kowalczyk" in results
    response = client.post(url, {"person": str(family["leila"].public_id)})
    assert response.status_code == 200
    assert "Kim Kowalczyk" in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_register_of_a_session_to_come_is_not_offered(client, practitioner, request_as):
    later = sessions.create_session(
        request_as(practitioner),
        service=FAMILY_SUPPORT,
        kind="youth_project",
        title="Friday youth club",
        venue="Talacre",
        held_on=_today() + timedelta(days=7),
    )
    page = client.get(reverse("cases:session", args=[later.public_id])).content.decode()
    assert reverse("cases:session_register", args=[later.public_id]) not in page
    response = client.get(reverse("cases:session_register", args=[later.public_id]))
    assert response.status_code == 302


@pytest.mark.parametrize(
    "route",
    ["cases:session", "cases:session_expected", "cases:session_register", "cases:session_walk_in"],
)
def test_a_worker_of_another_teams_service_is_refused_and_writes_nothing(
    client, session, family, make_user, sign_in, request_as, route
):
    sessions.set_expected(request_as(session.created_by), session, add=[family["yusuf"]])
    outsider = make_user("olu", Role.PRACTITIONER)
    TeamFactory(name="South youth", service="iyss").members.add(outsider)
    sign_in(outsider)
    url = reverse(route, args=[session.public_id])
    assert client.get(url).status_code == 403
    if route == "cases:session":
        return  # read only: its refusal is the GET's; a POST is not allowed at all
    rows = list(Attendance.objects.order_by("pk").values_list())
    response = client.post(
        url,
        {
            "people": [str(family["leila"].public_id)],
            f"status_{family['yusuf'].public_id}": "attended",
            "person": str(family["leila"].public_id),
        },
    )
    assert response.status_code == 403
    assert list(Attendance.objects.order_by("pk").values_list()) == rows
    refusal = AuditEvent.objects.filter(actor=outsider, rule="access:refused").last()
    assert refusal.record_type == "session"
    assert refusal.record_id == str(session.public_id)


def test_the_home_page_shows_the_sessions_you_run_this_week_with_links(
    client, practitioner, session, request_as
):
    _, sunday = sessions.week_of(_today())
    later = sessions.create_session(
        request_as(practitioner),
        service=FAMILY_SUPPORT,
        kind="youth_project",
        title="Next week's youth club",
        venue="Talacre",
        held_on=sunday + timedelta(days=1),
    )
    page = client.get(reverse("web:home")).content.decode()
    assert "Sessions you run this week" in page
    assert reverse("cases:session", args=[session.public_id]) in page
    assert reverse("cases:session", args=[later.public_id]) not in page
    assert reverse("cases:sessions") in page


def test_the_sessions_list_shows_only_sessions_the_reader_may_open_a_page_at_a_time(
    client, practitioner, request_as, make_user
):
    other = make_user("yas", Role.PRACTITIONER)
    TeamFactory(name="Youth", service="iyss").members.add(other)
    for n in range(27):
        sessions.create_session(
            request_as(practitioner),
            service=FAMILY_SUPPORT,
            kind="stay_and_play",
            title=f"Stay and play {n:02}",
            venue="Centre",
            held_on=_today() + timedelta(days=n % 5),
        )
    sessions.create_session(
        request_as(other),
        service="iyss",
        kind="youth_project",
        title="Not yours",
        venue="Talacre",
        held_on=_today(),
    )
    first = client.get(reverse("cases:sessions")).content.decode()
    second = client.get(reverse("cases:sessions") + "?page=2").content.decode()
    assert "(27)" in first and "Page 1 of 2" in first
    assert first.count("Stay and play ") + second.count("Stay and play ") == 27
    assert "Not yours" not in first + second


def test_an_empty_walk_in_search_asks_for_only_the_boxes_the_page_has(
    client, practitioner, session
):
    url = reverse("cases:session_walk_in", args=[session.public_id])
    page = client.post(url, {"search": "1", "name": ""}).content.decode()
    assert "Enter a name, date of birth or postcode" in page
    assert "NHS number" not in page


def test_earlier_sessions_are_listed_latest_first_apart_from_this_weeks(
    client, practitioner, request_as
):
    monday = _today() - timedelta(days=_today().weekday())
    for title, held_on in (
        ("Last week's group", monday - timedelta(days=3)),
        ("A month ago", monday - timedelta(days=30)),
        ("This Monday", monday),
    ):
        GroupSession.objects.create(
            service=FAMILY_SUPPORT, kind="stay_and_play", title=title, venue="Centre",
            held_on=held_on, created_by=practitioner,
        ).run_by.add(practitioner)  # fmt: skip
    now = client.get(reverse("cases:sessions")).content.decode()
    assert "This Monday" in now and "Last week" not in now
    assert "?when=earlier" in now
    earlier = client.get(reverse("cases:sessions") + "?when=earlier").content.decode()
    assert "Before this week (2)" in earlier and "This Monday" not in earlier
    assert earlier.index("Last week&#x27;s group") < earlier.index("A month ago")


def test_someone_expected_is_taken_off_the_list_from_the_session_page_until_recorded(
    client, practitioner, session, family, request_as
):
    sessions.set_expected(request_as(practitioner), session, add=[family["yusuf"], family["mum"]])
    sessions.take_register(request_as(practitioner), session, {family["mum"]: "attended"})
    page = client.get(reverse("cases:session", args=[session.public_id])).content.decode()
    assert page.count("Take off the list") == 1  # Yusuf, not yet recorded; not Amira
    url = reverse("cases:session_expected", args=[session.public_id])
    response = client.post(url, {"remove": str(family["yusuf"].public_id)}, follow=True)
    assert "Yusuf Haddad taken off who is expected" in response.content.decode()
    assert {row.person for row in session.attendance.all()} == {family["mum"]}
    change = AuditEvent.objects.filter(action="change", record_type="session").latest("id")
    assert change.details["expected_removed"] == 1
    # Someone the register has recorded stays: record them absent or cancelled instead.
    response = client.post(url, {"remove": str(family["mum"].public_id)}, follow=True)
    assert "The register has recorded Amira Haddad" in response.content.decode()
    assert session.attendance.get().person == family["mum"]


def test_a_walk_in_not_yet_recorded_is_added_as_a_new_person_who_attended(
    client, practitioner, session, family
):
    from earlyhelp.people.models import Person
    from tests.people.test_pages import new_person

    url = reverse("cases:session_walk_in", args=[session.public_id])
    page = client.post(url, {"search": "1", "name": "Ola Nowak"}).content.decode()
    create = f"{reverse('people:create')}?walk_in={session.public_id}"
    assert create in page.replace("&amp;", "&")
    assert "A walk-in at Tuesday stay and play" in client.get(create).content.decode()
    response = client.post(create, new_person(given_name="Ola", family_name="Nowak"))
    assert response.url == reverse("cases:session", args=[session.public_id])
    ola = Person.objects.get(given_name="Ola")
    row = Attendance.objects.get()
    assert (row.person, row.walk_in, row.status) == (ola, True, "attended")
    page = client.get(response.url).content.decode()
    assert "Record created for Ola Nowak and added as a walk-in who attended" in page


def test_a_new_person_link_for_a_session_to_come_or_not_ones_own_is_not_found(
    client, practitioner, request_as, make_user
):
    from tests.people.test_pages import new_person

    later = sessions.create_session(
        request_as(practitioner),
        service=FAMILY_SUPPORT,
        kind="stay_and_play",
        title="Next week",
        venue="Hall",
        held_on=_today() + timedelta(days=7),
    )
    create = reverse("people:create")
    assert client.get(f"{create}?walk_in={later.public_id}").status_code == 404
    assert client.get(f"{create}?walk_in=not-a-session").status_code == 404
    yan = make_user("yan", Role.PRACTITIONER)
    TeamFactory(name="Youth", service="iyss").members.add(yan)
    theirs = sessions.create_session(
        request_as(yan),
        service="iyss",
        kind="youth_project",
        title="Youth club",
        venue="Hall",
        held_on=_today(),
    )
    response = client.post(f"{create}?walk_in={theirs.public_id}", new_person(given_name="Ola"))
    assert response.status_code == 404
    assert not Attendance.objects.exists()
