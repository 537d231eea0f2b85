"""Attacks on today's casework pages: each test names a fault found by reading the code and
proves it through the web client."""

from datetime import UTC, datetime

from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases import corrections
from earlyhelp.cases.models import Contact


def _contact(case, author, note="Visited; Amira said the flat is damp"):
    return Contact.objects.create(
        case=case,
        author=author,
        kind="home_visit",
        occurred_at=datetime(2026, 10, 1, 10, 0, tzinfo=UTC),
        note=note,
    )


def test_a_huge_record_number_in_a_correction_address_is_not_found_not_a_server_error(
    client, practitioner, family
):
    url = reverse("cases:correct_person_record", args=[family["yusuf"].public_id, "risk", 1])
    url = url.rsplit("/", 1)[0] + "/" + "9" * 30
    assert client.get(url).status_code == 404


def test_the_corrections_list_records_the_look_against_everyone_a_contact_note_is_about(
    client, make_user, sign_in, manager, case, family, request_as
):
    """A contact note is the family's: its versions shown on Yusuf's corrections list are
    also Amira's and Leila's data, so the look is recorded against them too."""
    contact = _contact(case, manager)
    corrections.correct(request_as(manager), contact, {"note": "Corrected note"}, "Typo")
    sign_in(make_user("gwen", Role.INFORMATION_GOVERNANCE))
    url = reverse("cases:record_corrections", args=[family["yusuf"].public_id])
    page = client.get(url).content.decode()
    assert "Visited; Amira said the flat is damp" in page
    for who in ("mum", "leila"):
        looks = AuditEvent.objects.filter(
            action="view",
            record_type="person",
            record_id=str(family[who].public_id),
            details__page="record_corrections",
        )
        assert looks.exists(), who


def test_a_huge_goal_number_in_a_plan_address_is_not_found_not_a_server_error(
    client, practitioner, case
):
    from tests.access.plan_records import plan_on

    plan = plan_on(case)
    url = reverse("cases:edit_plan_goal", args=[case.public_id, plan.public_id, 1])
    url = url.rsplit("/", 1)[0] + "/" + "9" * 30
    assert client.get(url).status_code == 404


def test_another_team_cannot_record_that_a_child_they_may_not_open_left_the_household(
    client, make_user, sign_in, case, family
):
    """The household opens to any worker through a member no case holds (a lodger); the
    child living there is another team's, so recording that the child left is refused
    and writes nothing, as adding them would be."""
    from datetime import date

    from earlyhelp.cases.models import Team
    from earlyhelp.people.models import HouseholdMember, Person

    lodger = Person.objects.create(
        given_name="Lorna", family_name="Price", date_of_birth=date(1970, 3, 3)
    )
    HouseholdMember.objects.create(household=family["household"], person=lodger)
    other_team = Team.objects.create(name="South youth", service="youth-early-help")
    outsider = make_user("olu", Role.PRACTITIONER)
    other_team.members.add(outsider)
    sign_in(outsider)
    url = reverse(
        "people:leave_household", args=[family["household"].public_id, family["yusuf"].public_id]
    )
    events = AuditEvent.objects.filter(action="change").count()
    page = client.get(url)
    assert "Yusuf" not in page.content.decode()
    response = client.post(url, {"left_on_day": "3", "left_on_month": "10", "left_on_year": "2026"})
    assert response.status_code in (403, 200)
    member = HouseholdMember.objects.get(household=family["household"], person=family["yusuf"])
    assert member.left_on is None
    assert AuditEvent.objects.filter(action="change").count() == events


def test_a_restricted_row_of_a_work_list_does_not_name_a_service_that_reveals_health(
    client, make_user, sign_in, family
):
    """A manager a restriction excludes sees 'a case you cannot open' in the team's list;
    its service must not be one whose name says substance misuse (the policy's `reveals`):
    the service it belongs to is named instead, as `holders` does."""
    from datetime import date

    from earlyhelp.cases.models import Team
    from earlyhelp.cases.services import open_case
    from tests.factories import RestrictionFactory

    iyss = Team.objects.create(name="IYSS north", service="iyss")
    open_case(
        service="fwd-substance-misuse",
        household=family["household"],
        children=[family["yusuf"]],
        family=[],
        reason="Worries about cannabis use",
        team=iyss,
        started=date(2026, 9, 1),
        created_by=None,
    )
    boss = make_user("boss", Role.TEAM_MANAGER)
    named = make_user("named", Role.PRACTITIONER)
    iyss.members.add(boss, named)
    restriction = RestrictionFactory(person=family["yusuf"], created_by=named)
    restriction.named_users.add(named)
    sign_in(boss)
    page = client.get(reverse("cases:work_list", args=["team"])).content.decode()
    assert "A case you cannot open" in page
    assert "Yusuf" not in page
    assert "Substance Misuse" not in page


def test_the_corrections_list_of_a_child_shows_a_correction_of_their_parents_relationship(
    client, make_user, sign_in, manager, family, request_as
):
    """'Tomasz is the parent of Yusuf' is Yusuf's relationship too: its correction is on
    Yusuf's list (which says it lists his relationships), with the look recorded."""
    from earlyhelp.people.models import Relationship

    link = Relationship.objects.get(person=family["dad"], relative=family["yusuf"])
    corrections.correct(
        request_as(manager),
        link,
        {"kind": "step_parent", "has_parental_responsibility": False},
        "He is Yusuf's step-father",
    )
    sign_in(make_user("gwen", Role.INFORMATION_GOVERNANCE))
    url = reverse("cases:record_corrections", args=[family["yusuf"].public_id])
    page = client.get(url).content.decode()
    assert "step-father" in page
    looks = AuditEvent.objects.filter(
        action="view", record_id=str(family["dad"].public_id), details__page="record_corrections"
    )
    assert looks.exists()


def test_a_restricted_row_is_not_placed_by_its_hidden_family_name(
    client, make_user, sign_in, team, case, family
):
    from datetime import date

    from earlyhelp.cases.services import open_case
    from earlyhelp.people.models import Person
    from tests.factories import RestrictionFactory

    for given, surname in (("Ada", "Abbott"), ("Zoe", "Zane")):
        child = Person.objects.create(
            given_name=given, family_name=surname, date_of_birth=date(2015, 1, 1)
        )
        open_case(
            service=case.service,
            household=None,
            children=[child],
            family=[],
            reason="Worries",
            team=team,
            started=date(2026, 9, 1),
            created_by=None,
        )
    boss = make_user("boss", Role.TEAM_MANAGER)
    named = make_user("named", Role.PRACTITIONER)
    team.members.add(boss, named)
    RestrictionFactory(person=family["yusuf"], created_by=named).named_users.add(named)
    sign_in(boss)
    page = client.get(reverse("cases:work_list", args=["team"]) + "?sort=family").content.decode()
    hidden = page.index("A case you cannot open")
    assert "Haddad" not in page
    # Between Abbott and Zane is where only the name Haddad would put it.
    assert not (page.index("Abbott") < hidden < page.index("Zane"))


def test_the_register_records_no_look_at_someone_it_does_not_show(
    client, practitioner, case, family
):
    """Someone on the list opened only by break-glass is left off the register's form and
    not named there; the register page must not record a (flagged) look at them."""
    from datetime import date

    from earlyhelp.access.rules import BREAK_GLASS_SESSION_KEY
    from earlyhelp.cases.models import Attendance, GroupSession, Team
    from earlyhelp.cases.services import open_case
    from earlyhelp.people.models import Person

    kai = Person.objects.create(given_name="Kai", family_name="Obi", date_of_birth=date(2017, 4, 4))
    south = Team.objects.create(name="South family support", service=case.service)
    open_case(
        service=case.service,
        household=None,
        children=[kai],
        family=[],
        reason="Worries",
        team=south,
        started=date(2026, 9, 1),
        created_by=None,
    )
    session = GroupSession.objects.create(
        service=case.service,
        kind="stay_and_play",
        title="Stay and play",
        venue="Hall",
        held_on=date.today(),
    )
    session.run_by.add(practitioner)
    Attendance.objects.create(session=session, person=kai, status="expected", walk_in=False)
    Attendance.objects.create(
        session=session, person=family["yusuf"], status="expected", walk_in=False
    )
    web_session = client.session
    web_session[BREAK_GLASS_SESSION_KEY] = {str(kai.public_id): 9_999_999_999}
    web_session.save()
    page = client.get(reverse("cases:session_register", args=[session.public_id]))
    assert page.status_code == 200
    assert "Yusuf" in page.content.decode()
    assert "Kai" not in page.content.decode()
    assert AuditEvent.objects.filter(
        record_id=str(family["yusuf"].public_id), details__page="session-register"
    ).exists()
    assert not AuditEvent.objects.filter(
        record_id=str(kai.public_id), details__page="session-register"
    ).exists()


def test_a_worker_of_a_closed_earlier_case_does_not_see_a_special_category_note(
    client, make_user, sign_in, team, case, request_as
):
    from datetime import date

    from earlyhelp.cases import case_notes
    from tests.access.closure_records import another_case

    boss = make_user("mo", Role.TEAM_MANAGER)
    team.members.add(boss)
    secret = "Mum disclosed a long-term mental health condition"
    case_notes.record_case_note(
        request_as(boss), case, kind="supervision", note=secret, special_category=True
    )
    former = make_user("pat", Role.PRACTITIONER)
    team.members.add(former)
    earlier = another_case(case, closed_on=date(2026, 8, 1))
    earlier.allocated_worker = former
    earlier.save()
    sign_in(former)
    page = client.get(reverse("cases:case", args=[case.public_id])).content.decode()
    assert "Yusuf" in page
    assert secret not in page


def test_the_relationship_form_does_not_name_a_restricted_co_resident(
    client, practitioner, make_user, family
):
    from datetime import date

    from earlyhelp.people.models import Address, Household, HouseholdMember, Person
    from tests.factories import RestrictionFactory

    dads = Household.objects.create(
        address=Address.objects.create(line_1="4 Elm Row", town="London", postcode="NW1 1AA")
    )
    rita = Person.objects.create(
        given_name="Rita", family_name="Secret", date_of_birth=date(1985, 6, 6)
    )
    for someone in (family["dad"], rita, family["yusuf"]):
        HouseholdMember.objects.create(household=dads, person=someone)
    RestrictionFactory(person=rita, created_by=make_user("named", Role.TEAM_MANAGER))
    page = client.get(reverse("people:add_relationship", args=[family["yusuf"].public_id]))
    assert page.status_code == 200
    assert "Amira" in page.content.decode()
    assert "Secret" not in page.content.decode()


def test_a_returned_closure_of_a_case_no_longer_theirs_is_not_called_restricted(
    client, make_user, sign_in, team, case
):
    """A worker who asked to close a case and has since left its team is not told that a
    record on it is restricted (no restriction exists): the banner says it is no longer
    open to them, and names no one."""
    from django.utils import timezone

    from tests.access.closure_records import closure_awaiting

    worker = make_user("pat", Role.PRACTITIONER)
    boss = make_user("mo", Role.TEAM_MANAGER)
    team.members.add(boss)
    closure = closure_awaiting(case, worker)
    closure.decision, closure.decided_by = "returned", boss
    closure.decided_at, closure.manager_comment = timezone.now(), "Say more about Yusuf"
    closure.save()
    sign_in(worker)
    page = client.get("/").content.decode()
    assert "Closures returned to you" in page
    assert "Yusuf" not in page
    assert "restricted" not in page


def test_the_team_manager_still_sees_a_special_category_note_once_the_case_is_closed(
    client, make_user, sign_in, team, case, request_as
):
    from datetime import date

    from earlyhelp.cases import case_notes

    boss = make_user("mo", Role.TEAM_MANAGER)
    team.members.add(boss)
    secret = "Dad disclosed a conviction for assault"
    case_notes.record_case_note(
        request_as(boss), case, kind="supervision", note=secret, special_category=True
    )
    case.ended = date(2026, 8, 1)
    case.save()
    sign_in(boss)
    page = client.get(reverse("cases:case", args=[case.public_id])).content.decode()
    assert secret in page
