"""Who holds a record, told to someone who may not open it, never names a service whose
cases say something about health or offending by existing (the policy's `reveals`)."""

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.access.rules import holders
from earlyhelp.cases.services import open_case
from earlyhelp.policy.loader import PolicyError, policy_from_dict
from tests.factories import TeamFactory
from tests.policy import camden_dict


@pytest.fixture
def justice_case(family):
    team = TeamFactory(name="Youth Justice North", service="iyss")
    return open_case(
        service="youth-justice",
        household=None,
        children=[family["yusuf"]],
        reason="Referral order",
        team=team,
        started=family["yusuf"].date_of_birth.replace(year=2026, month=9, day=1),
        created_by=None,
    )


def test_a_youth_justice_case_is_held_by_a_specialist_team_of_its_service(family, justice_case):
    told = holders(family["yusuf"])
    assert told == [
        "A specialist team of Integrated Youth Support Services (ask your manager who), case open"
    ]
    assert not any("Justice" in line for line in told)


def test_search_and_the_refusal_page_do_not_name_the_specialist_service(
    client, make_user, sign_in, family, justice_case
):
    outsider = make_user("olu", Role.PRACTITIONER)
    TeamFactory(
        name="South family support", service="family-support-and-complex-families"
    ).members.add(outsider)
    sign_in(outsider)
    found = client.post(reverse("people:search"), {"name": "Yusuf Haddad"}).content.decode()
    refused = client.get(reverse("people:person", args=[family["yusuf"].public_id]))
    for page in (found, refused.content.decode()):
        assert "A specialist team of Integrated Youth Support Services" in page
        assert "Youth Justice" not in page


def test_a_family_support_case_is_still_named_with_its_worker(family, case):
    assert holders(family["yusuf"]) == [
        "North family support (allocated worker: not allocated), case open"
    ]


def test_reveals_must_name_categories_of_the_policy():
    data = camden_dict()
    data["services"][2]["sub_services"][0]["reveals"] = ["fortune-telling"]
    with pytest.raises(
        PolicyError, match=r"services\[2\]\.sub_services\[0\]\.reveals\[0\].*fortune-telling"
    ):
        policy_from_dict(data)
