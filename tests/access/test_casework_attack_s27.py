"""Attacks on the casework changes of stop 27, found by a tester: a restricted relative on a
correction page, a write to a restricted person's relationship, a youth justice session
named without its category recorded, someone who left twice, and time away between two
stays in the household's chronology."""

from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.people.models import HouseholdMember
from tests.factories import RestrictionFactory


def test_correction_page_of_a_relationship_does_not_name_a_restricted_relative(
    client, practitioner, family, make_user
):
    # Yusuf's 2nd relationship is Tomasz (dad) -> Yusuf; Tomasz is restricted to a keeper.
    keeper = make_user("keeper", Role.TEAM_MANAGER)
    RestrictionFactory(person=family["dad"], created_by=keeper, named_users=[keeper])
    url = reverse(
        "cases:correct_person_record", args=[family["yusuf"].public_id, "relationship", 2]
    )
    response = client.get(url)
    assert response.status_code in (200, 403, 404)
    html = response.content.decode()
    assert "Tomasz" not in html and "Nowak" not in html


def test_correction_page_naming_a_relative_records_a_look_at_them(client, practitioner, family):
    url = reverse(
        "cases:correct_person_record", args=[family["yusuf"].public_id, "relationship", 2]
    )
    html = client.get(url).content.decode()
    assert "Tomasz Nowak" in html
    looked_at = set(
        AuditEvent.objects.filter(record_type="person").values_list("record_id", flat=True)
    )
    assert str(family["dad"].public_id) in looked_at


def test_someone_who_left_twice_is_listed_once_in_lived_here_before(client, practitioner, family):
    household = family["household"]
    yusuf = family["yusuf"]
    HouseholdMember.objects.filter(person=yusuf).update(
        joined_on=date(2020, 1, 1), left_on=date(2025, 1, 1)
    )
    HouseholdMember.objects.create(
        household=household, person=yusuf, joined_on=date(2025, 3, 1), left_on=date(2025, 6, 1)
    )
    html = client.get(reverse("people:household", args=[household.public_id])).content.decode()
    assert html.count("Yusuf Haddad</a>, left on") == 1


def test_a_manager_cannot_correct_a_relationship_of_someone_restricted_from_them(
    manager, family, request_as, make_user
):
    from earlyhelp.cases import corrections
    from earlyhelp.people.models import Relationship

    keeper = make_user("keeper", Role.TEAM_MANAGER)
    RestrictionFactory(person=family["dad"], created_by=keeper, named_users=[keeper])
    link = Relationship.objects.get(person=family["dad"], relative=family["yusuf"])
    with pytest.raises(ValueError):
        corrections.correct(
            request_as(manager), link, {"has_parental_responsibility": False}, "Court order"
        )
    link.refresh_from_db()
    assert link.has_parental_responsibility is True


def test_chronology_naming_a_youth_justice_session_records_the_offence_category(
    client, make_user, sign_in, family, case
):
    from earlyhelp.cases.services import open_case
    from tests.factories import AttendanceFactory, GroupSessionFactory, TeamFactory

    youth_justice = TeamFactory(name="Youth Justice North", service="youth-justice")
    worker = make_user("kofi", Role.PRACTITIONER)
    youth_justice.members.add(worker)
    open_case(
        service="youth-justice", household=None, children=[family["yusuf"]],
        reason="Referral order", team=youth_justice, started=date(2026, 9, 1),
        created_by=None, allocated_worker=worker,
    )  # fmt: skip
    session = GroupSessionFactory(
        service="youth-justice", kind="youth_project", title="Knife crime awareness, week 2",
        venue="Kentish Town Library", held_on=date(2026, 10, 14),
    )  # fmt: skip
    AttendanceFactory(session=session, person=family["yusuf"], status="attended")
    sign_in(worker)
    url = reverse("people:person_chronology", args=[family["yusuf"].public_id])
    assert "Knife crime awareness" in client.get(url).content.decode()
    look = AuditEvent.objects.filter(
        record_type="person", record_id=str(family["yusuf"].public_id), action="view"
    ).latest("pk")
    assert "offences" in look.categories


def test_correction_post_on_a_restricted_relatives_relationship_writes_nothing(
    client, manager, family, make_user
):
    from earlyhelp.people.models import Relationship

    keeper = make_user("keeper", Role.TEAM_MANAGER)
    RestrictionFactory(person=family["dad"], created_by=keeper, named_users=[keeper])
    url = reverse(
        "cases:correct_person_record", args=[family["yusuf"].public_id, "relationship", 2]
    )
    client.post(
        url,
        {"action": "correct", "reason": "Court order", "record-kind": "parent",
         "record-has_parental_responsibility": "False"},
    )  # fmt: skip
    link = Relationship.objects.get(person=family["dad"], relative=family["yusuf"])
    assert link.has_parental_responsibility is True


def test_household_chronology_leaves_out_a_former_members_time_away_between_stays(
    client, practitioner, family
):
    from earlyhelp.cases.chronology import household_chronology
    from tests.factories import AttendanceFactory, GroupSessionFactory

    household, yusuf = family["household"], family["yusuf"]
    HouseholdMember.objects.filter(person=yusuf).update(
        joined_on=date(2020, 1, 1), left_on=date(2025, 1, 1)
    )
    HouseholdMember.objects.create(
        household=household, person=yusuf, joined_on=date(2025, 3, 1), left_on=date(2025, 6, 1)
    )
    away = GroupSessionFactory(service="youth-service", kind="youth_project",
                               title="Away club", held_on=date(2025, 2, 1))  # fmt: skip
    AttendanceFactory(session=away, person=yusuf, status="attended")
    summaries = [e.summary for e in household_chronology(household, {"attendance"})]
    assert not any("Away club" in s for s in summaries)


def test_mine_lists_show_only_the_readers_own_cases(client, practitioner, case, make_user):
    other = make_user("olu", Role.PRACTITIONER)
    case.allocated_worker = other
    case.save()
    for slug in ("mine-no-recent-contact", "mine-reviews-overdue"):
        html = client.get(reverse("cases:work_list", args=[slug])).content.decode()
        assert "Yusuf" not in html and "Leila" not in html


def test_former_member_named_on_household_page_gets_a_look(client, practitioner, family):
    HouseholdMember.objects.filter(person=family["yusuf"]).update(left_on=date(2026, 9, 3))
    client.get(reverse("people:household", args=[family["household"].public_id]))
    looked = AuditEvent.objects.filter(
        record_type="person", record_id=str(family["yusuf"].public_id)
    )
    assert looked.exists()
