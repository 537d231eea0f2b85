"""Family composition: adding a person to a household (found by search), recording the day a
member left, and recording a relationship with parental responsibility.

Refused writes (a restricted or other team's person, a date that cannot be, another team,
break-glass) write nothing: no membership, no relationship, no event.
"""

from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases.services import open_case
from earlyhelp.people import composition
from earlyhelp.people.models import HouseholdMember, Person, Relationship
from tests.factories import RestrictionFactory, TeamFactory


def day(prefix: str, on: date) -> dict:
    return {
        f"{prefix}_day": str(on.day),
        f"{prefix}_month": str(on.month),
        f"{prefix}_year": str(on.year),
    }


@pytest.fixture
def gran(db):
    return Person.objects.create(
        given_name="Mariam", family_name="Haddad", date_of_birth=date(1962, 4, 4)
    )


def _writes() -> tuple:
    return (
        list(HouseholdMember.objects.order_by("pk").values_list()),
        list(Relationship.objects.order_by("pk").values_list()),
        AuditEvent.objects.filter(action__in=["change", "create"]).count(),
    )


def test_a_person_found_by_search_is_added_to_the_household_with_its_events(
    client, practitioner, family, gran
):
    url = reverse("people:add_household_member", args=[family["household"].public_id])
    found = client.post(url, {"action": "find", "find-name": "Mariam Haddad"})
    assert found.status_code == 200
    assert str(gran.public_id) in found.content.decode()
    assert AuditEvent.objects.filter(action="search").exists()
    response = client.post(
        url,
        {
            "action": "save",
            "find-name": "Mariam Haddad",
            "person": str(gran.public_id),
            **day("joined_on", date(2026, 9, 20)),
        },
    )
    assert response.status_code == 302
    member = HouseholdMember.objects.get(person=gran)
    assert (member.household, member.joined_on, member.left_on) == (
        family["household"],
        date(2026, 9, 20),
        None,
    )
    changed = AuditEvent.objects.filter(action="change")
    assert {(e.record_type, e.record_id) for e in changed} == {
        ("household", str(family["household"].public_id)),
        ("person", str(gran.public_id)),
    }
    assert gran in family["household"].current_members()


def test_a_person_restricted_from_the_worker_is_not_added_and_nothing_is_written(
    client, practitioner, family, gran, make_user
):
    keeper = make_user("kim", Role.TEAM_MANAGER)
    RestrictionFactory(person=gran, reason="Works here", created_by=keeper)
    gran.restriction.named_users.add(keeper)
    before = _writes()
    url = reverse("people:add_household_member", args=[family["household"].public_id])
    response = client.post(url, {"action": "save", "person": str(gran.public_id)})
    assert response.status_code == 200
    assert "the record is restricted; ask Sam" in response.content.decode()
    assert "Mariam" not in response.content.decode()
    assert _writes() == before


def test_a_person_held_by_another_teams_case_is_not_added(
    practitioner, family, gran, request_as, make_user
):
    open_case(
        service="iyss",
        household=None,
        children=[gran],
        family=[],
        reason="Other team's work",
        team=TeamFactory(name="South", service="iyss"),
        started=date(2026, 9, 1),
        created_by=None,
    )
    before = _writes()
    with pytest.raises(composition.CompositionRefused, match=r"^person: their record is held"):
        composition.add_to_household(
            request_as(practitioner), family["household"], gran, joined_on=None
        )
    assert _writes() == before


def test_someone_living_there_already_is_refused_naming_the_person_field(
    practitioner, family, request_as
):
    with pytest.raises(composition.CompositionRefused, match=r"^person: Yusuf Haddad lives"):
        composition.add_to_household(
            request_as(practitioner), family["household"], family["yusuf"], joined_on=None
        )


def test_a_joining_date_before_their_birth_is_refused_and_writes_nothing(
    practitioner, family, request_as
):
    baby = Person.objects.create(
        given_name="Noor", family_name="Haddad", date_of_birth=date(2026, 6, 1)
    )
    before = _writes()
    with pytest.raises(composition.CompositionRefused, match=r"^joined_on: Date they joined"):
        composition.add_to_household(
            request_as(practitioner), family["household"], baby, joined_on=date(2026, 5, 1)
        )
    assert _writes() == before


def test_a_member_who_leaves_keeps_their_membership_ended(client, practitioner, family):
    household, yusuf = family["household"], family["yusuf"]
    url = reverse("people:leave_household", args=[household.public_id, yusuf.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, day("left_on", date(2026, 10, 3)))
    assert response.status_code == 302
    member = HouseholdMember.objects.get(household=household, person=yusuf)
    assert member.left_on == date(2026, 10, 3)
    assert yusuf not in household.current_members()
    assert AuditEvent.objects.filter(
        action="change", record_type="household", details__left=str(yusuf.public_id)
    ).exists()


def test_someone_who_left_comes_back_with_a_new_membership_and_the_old_one_kept(
    client, practitioner, family
):
    household, yusuf = family["household"], family["yusuf"]
    HouseholdMember.objects.filter(person=yusuf).update(left_on=date(2026, 9, 3))
    url = reverse("people:add_household_member", args=[household.public_id])
    response = client.post(
        url,
        {
            "action": "save",
            "find-name": "Yusuf Haddad",
            "person": str(yusuf.public_id),
            **day("joined_on", date(2026, 10, 12)),
        },
    )
    assert response.status_code == 302
    spells = HouseholdMember.objects.filter(household=household, person=yusuf).order_by("pk")
    assert [(m.joined_on, m.left_on) for m in spells] == [
        (None, date(2026, 9, 3)),
        (date(2026, 10, 12), None),
    ]
    assert yusuf in household.current_members()


def test_coming_back_on_or_before_the_day_they_left_is_refused_and_writes_nothing(
    practitioner, family, request_as
):
    household, yusuf = family["household"], family["yusuf"]
    HouseholdMember.objects.filter(person=yusuf).update(left_on=date(2026, 9, 3))
    before = _writes()
    for back_on in (date(2026, 9, 3), date(2026, 8, 1)):
        with pytest.raises(
            composition.CompositionRefused,
            match=r"^joined_on: The date they joined the household must be after 3 September 2026",
        ):
            composition.add_to_household(
                request_as(practitioner), household, yusuf, joined_on=back_on
            )
    assert _writes() == before


def test_leaving_before_joining_is_refused_naming_the_field_and_writes_nothing(
    client, practitioner, family
):
    household, yusuf = family["household"], family["yusuf"]
    HouseholdMember.objects.filter(person=yusuf).update(joined_on=date(2026, 9, 1))
    before = _writes()
    url = reverse("people:leave_household", args=[household.public_id, yusuf.public_id])
    response = client.post(url, day("left_on", date(2026, 8, 1)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Date they left the household must be the same as or after the date they joined" in page
    assert _writes() == before


def test_leaving_a_household_one_does_not_live_in_is_not_found(client, practitioner, family):
    url = reverse(
        "people:leave_household", args=[family["household"].public_id, family["dad"].public_id]
    )
    assert client.get(url).status_code == 404


def test_a_relationship_with_a_household_member_is_recorded_for_both(
    client, practitioner, family, gran
):
    HouseholdMember.objects.create(household=family["household"], person=gran)
    url = reverse("people:add_relationship", args=[gran.public_id])
    page = client.get(url).content.decode()
    assert "Yusuf Haddad" in page
    response = client.post(
        url,
        {
            "action": "save",
            "relative": str(family["yusuf"].public_id),
            "kind": "grandparent",
            "parental_responsibility": "no",
            "source": "family",
        },
    )
    assert response.status_code == 302
    made = Relationship.objects.get(person=gran)
    assert (made.relative, made.kind, made.has_parental_responsibility, made.recorded_by) == (
        family["yusuf"],
        "grandparent",
        False,
        practitioner,
    )
    created = AuditEvent.objects.filter(action="create", record_type="person")
    assert {e.record_id for e in created} == {str(gran.public_id), str(family["yusuf"].public_id)}


def test_a_parent_younger_than_the_child_is_refused_naming_the_kind(
    practitioner, family, request_as
):
    before = _writes()
    with pytest.raises(composition.CompositionRefused, match=r"^kind: Leila Haddad"):
        composition.record_relationship(
            request_as(practitioner),
            family["leila"],
            family["yusuf"],
            kind="parent",
            parental_responsibility=True,
            source="family",
        )
    assert _writes() == before


def test_the_same_relationship_twice_is_refused(practitioner, family, request_as):
    with pytest.raises(composition.CompositionRefused, match=r"^relative: Amira Haddad is"):
        composition.record_relationship(
            request_as(practitioner),
            family["mum"],
            family["yusuf"],
            kind="parent",
            parental_responsibility=True,
            source="family",
        )


def test_another_teams_worker_cannot_add_to_the_household_and_nothing_is_written(
    client, make_user, sign_in, family, case, gran
):
    outsider = make_user("olu", Role.PRACTITIONER)
    TeamFactory(name="South", service="iyss").members.add(outsider)
    sign_in(outsider)
    before = _writes()
    url = reverse("people:add_household_member", args=[family["household"].public_id])
    response = client.post(url, {"action": "save", "person": str(gran.public_id)})
    assert response.status_code == 403
    assert _writes() == before


def test_an_empty_search_for_a_member_asks_for_a_name_or_date_of_birth_only(
    client, practitioner, family
):
    url = reverse("people:add_household_member", args=[family["household"].public_id])
    page = client.post(url, {"action": "find", "find-name": ""}).content.decode()
    assert "Enter a name or date of birth" in page
    assert "Enter a name, date of birth, postcode" not in page


def test_the_household_page_lists_who_lived_there_before_and_names_no_restricted_one(
    client, practitioner, family, make_user
):
    household = family["household"]
    HouseholdMember.objects.filter(person=family["yusuf"]).update(left_on=date(2026, 9, 3))
    HouseholdMember.objects.filter(person=family["leila"]).update(left_on=date(2026, 8, 1))
    keeper = make_user("keeper", Role.TEAM_MANAGER)
    RestrictionFactory(person=family["leila"], created_by=keeper, named_users=[keeper])
    page = client.get(reverse("people:household", args=[household.public_id])).content.decode()
    assert "Lived here before" in page
    assert "Yusuf Haddad</a>, left on 3 September 2026" in page
    assert "Leila" not in page
    assert "Someone whose record is restricted, who left on 1 August 2026" in page
    looks = AuditEvent.objects.filter(action__in=["view", "list"], record_type="person")
    assert looks.filter(record_id=str(family["yusuf"].public_id)).exists()
