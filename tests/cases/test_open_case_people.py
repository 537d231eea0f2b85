"""Opening a case: it is about the children and young people of the household (under the
policy's age), never an adult; the household is the one the person lives in now."""

from datetime import date

from django.urls import reverse

from earlyhelp.cases.models import Case
from earlyhelp.people.models import Household, HouseholdMember, Person
from earlyhelp.policy.active import active_policy
from tests.factories import HouseholdFactory, HouseholdMemberFactory, PersonFactory


def add_to(household: Household, given: str, born: date | None) -> Person:
    person = PersonFactory(given_name=given, family_name="Haddad", date_of_birth=born)
    HouseholdMemberFactory(household=household, person=person)
    return person


def years_ago(years: int, days: int = 0) -> date:
    today = date.today()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return date.fromordinal(day.toordinal() + days)


def test_the_children_offered_are_those_under_the_policys_age(client, practitioner, family):
    until = active_policy().casework.young_person_until_age
    assert until == 25  # the Camden policy: SEND support runs to 25
    household = family["household"]
    grandad = add_to(household, "Karim", years_ago(52))
    young = add_to(household, "Sami", years_ago(until, days=1))  # 24, 25 tomorrow
    turned = add_to(household, "Rania", years_ago(until))  # 25 today
    unborn = add_to(household, "Baby", None)
    page = client.get(reverse("cases:open_case", args=[family["yusuf"].public_id])).content.decode()
    offered = page.split("Children or young people the case is about", 1)[1].split("Reason", 1)[0]
    for person in (family["yusuf"], family["leila"], young, unborn):
        assert person.full_name in offered
    for person in (grandad, turned, family["mum"]):
        assert person.full_name not in offered


def test_an_adult_cannot_be_posted_as_a_child_the_case_is_about(client, practitioner, family, team):
    url = reverse("cases:open_case", args=[family["yusuf"].public_id])
    response = client.post(
        url,
        {
            "service": "family-support-and-complex-families",
            "team": str(team.pk),
            "children": [str(family["mum"].public_id)],
            "reason": "Housing worries",
            "started_day": "1",
            "started_month": "10",
            "started_year": "2026",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Children or young people the case is about: select one of the options shown" in page
    assert str(family["mum"].public_id) not in page.split("<main", 1)[1].split("<form", 1)[0]
    assert Case.objects.count() == 1  # the fixture's case only


def test_a_household_with_no_young_people_says_so_instead_of_a_form(client, practitioner, family):
    alone = HouseholdFactory(address__line_1="9 Oak Road", address__postcode="N7 6AB")
    adult = add_to(alone, "Nadia", years_ago(40))
    page = client.get(reverse("cases:open_case", args=[adult.public_id])).content.decode()
    assert "nobody under 25 is recorded as living with Nadia" in page
    assert "Open the case</button>" not in page


def test_the_case_is_opened_on_the_household_the_person_lives_in_now(client, practitioner, family):
    old = family["household"]
    HouseholdMember.objects.filter(household=old, person=family["yusuf"]).update(
        left_on=date(2026, 1, 1)
    )
    new = HouseholdFactory(address__line_1="9 Oak Road", address__postcode="N7 6AB")
    HouseholdMemberFactory(household=new, person=family["yusuf"])
    page = client.get(reverse("cases:open_case", args=[family["yusuf"].public_id])).content.decode()
    offered = page.split("Children or young people the case is about", 1)[1].split("Reason", 1)[0]
    assert "Yusuf Haddad" in offered
    assert "Leila Haddad" not in offered  # she lives in the old household
