"""A practitioner sees their own and their team's families; others see only who holds them."""

import pytest
from django.urls import reverse

from earlyhelp.access.models import Restriction
from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from tests.factories import HealthConditionFactory, PersonFactory, RestrictionFactory, TeamFactory


@pytest.fixture
def outsider(client, make_user, sign_in, case):
    """A practitioner in another team."""
    user = make_user("olu", Role.PRACTITIONER)
    TeamFactory(name="South youth", service="iyss").members.add(user)
    sign_in(user)
    return user


def person_url(person):
    return reverse("people:person", args=[person.public_id])


def test_practitioner_of_another_team_sees_who_holds_the_record_but_not_its_content(
    client, outsider, family, case
):
    response = client.get(person_url(family["yusuf"]))
    page = response.content.decode()
    assert response.status_code == 403
    assert "North family support" in page
    assert "9 February 2016" not in page
    assert reverse("people:break_glass", args=[family["yusuf"].public_id]) in page


@pytest.mark.parametrize(
    "route",
    ["people:household", "people:household_chronology"],
)
def test_practitioner_of_another_team_cannot_open_the_family(client, outsider, family, route):
    response = client.get(reverse(route, args=[family["household"].public_id]))
    assert response.status_code == 403


@pytest.mark.parametrize("route", ["cases:case", "cases:add_contact", "cases:add_document"])
def test_practitioner_of_another_team_cannot_open_or_add_to_the_case(client, outsider, case, route):
    assert client.get(reverse(route, args=[case.public_id])).status_code == 403
    if route != "cases:case":
        assert client.post(reverse(route, args=[case.public_id]), {"note": "x"}).status_code == 403


def test_search_shows_who_holds_a_record_without_why_it_matched(client, outsider, family):
    page = client.post(reverse("people:search"), {"name": "Yusuf Haddad"}).content.decode()
    assert "Not open to you. Held by North family support" in page
    assert "sounds like" not in page and "Same" not in page


def test_break_glass_needs_a_reason_then_opens_the_record_with_a_banner_and_a_flag(
    client, outsider, family
):
    url = reverse("people:break_glass", args=[family["yusuf"].public_id])
    response = client.post(url, {"reason": ""})
    assert "Enter why you need to open this record" in response.content.decode()
    response = client.post(url, {"reason": "Police at school asking about Yusuf, worker off sick"})
    assert response.url == person_url(family["yusuf"])
    page = client.get(response.url).content.decode()
    assert "You opened this record in an emergency" in page
    event = AuditEvent.objects.get(action="break_glass")
    assert event.flagged and event.actor == outsider
    assert event.reason.startswith("Police at school")
    viewed = AuditEvent.objects.filter(action="view", record_id=str(family["yusuf"].public_id))
    assert viewed.get().flagged


def test_allocated_worker_sees_health_and_a_team_colleague_sees_only_that_it_exists(
    client, make_user, sign_in, practitioner, family, case, team
):
    HealthConditionFactory(
        person=family["leila"], source="gp", kind="physical", description="Eczema"
    )
    case.allocated_worker = practitioner
    case.save()
    assert "Eczema" in client.get(person_url(family["leila"])).content.decode()

    colleague = make_user("sam", Role.PRACTITIONER)
    team.members.add(colleague)
    sign_in(colleague)
    page = client.get(person_url(family["leila"])).content.decode()
    assert "Eczema" not in page
    assert "Also recorded: health" in page


def test_restricted_record_is_closed_to_the_team_and_to_break_glass(
    client, make_user, sign_in, practitioner, family, team
):
    named = make_user("named", Role.PRACTITIONER)
    team.members.add(named)
    restriction = RestrictionFactory(
        person=family["mum"], reason="Relative works here", created_by=named
    )
    restriction.named_users.add(named)
    response = client.get(person_url(family["mum"]))
    assert response.status_code == 403
    assert "restricted to named members of staff" in response.content.decode()
    url = reverse("people:break_glass", args=[family["mum"].public_id])
    assert client.post(url, {"reason": "I really need to see this record"}).status_code == 403
    sign_in(named)
    assert client.get(person_url(family["mum"])).status_code == 200


def test_every_look_at_a_record_is_audited_with_its_categories(client, practitioner, family):
    client.get(person_url(family["yusuf"]))
    event = AuditEvent.objects.get(
        action="view", record_type="person", record_id=str(family["yusuf"].public_id)
    )
    assert event.actor == practitioner
    assert event.record_id == str(family["yusuf"].public_id)
    assert "identity-and-contact" in event.categories
    assert event.rule == "access:allocation"


def test_a_search_is_audited_without_what_was_searched_for(client, practitioner, family):
    client.post(reverse("people:search"), {"name": "Yusuf Haddad"})
    event = AuditEvent.objects.get(action="search")
    assert "Yusuf" not in str(event.details) and "Haddad" not in str(event.details)
    assert str(family["yusuf"].public_id) in event.details["shown"]


def test_team_manager_restricts_a_record_to_named_staff(
    client, manager, make_user, sign_in, family, team
):
    colleague = make_user("sam", Role.PRACTITIONER)
    team.members.add(colleague)
    url = reverse("people:restrict", args=[family["mum"].public_id])
    response = client.post(url, {"reason": "Relative works here", "named_users": [str(manager.pk)]})
    assert response.url == person_url(family["mum"])
    assert list(Restriction.objects.get().named_users.all()) == [manager]
    assert AuditEvent.objects.filter(action="restrict").exists()
    sign_in(colleague)
    assert client.get(person_url(family["mum"])).status_code == 403


def test_a_restriction_that_leaves_out_its_maker_is_refused(
    client, manager, make_user, team, family
):
    colleague = make_user("sam", Role.PRACTITIONER)
    team.members.add(colleague)
    url = reverse("people:restrict", args=[family["mum"].public_id])
    response = client.post(url, {"reason": "x", "named_users": [str(colleague.pk)]})
    assert "Include yourself" in response.content.decode()
    assert not Restriction.objects.exists()


def test_search_lists_a_record_no_case_holds_as_open_like_its_page(client, outsider):
    noor = PersonFactory(given_name="Noor", family_name="Begum", adult=True)
    page = client.post(reverse("people:search"), {"name": "Noor Begum"}).content.decode()
    assert "Not open to you" not in page
    assert client.get(person_url(noor)).status_code == 200
