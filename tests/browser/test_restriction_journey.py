"""A team manager restricts a child's record to herself and a colleague, sees whom the
banner names, changes the restriction (the form starts from it as it stands), and lifts it
with a reason; the record opens again to the team. Every page visited is scanned."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from earlyhelp.access.models import Restriction
from earlyhelp.access.roles import Role
from tests.browser.conftest import sign_in_through_the_browser
from tests.conftest import STRONG_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_restricts_changes_and_lifts_a_restriction(
    page, live_server, make_user, case, team, family, assert_accessible
):
    marcus = make_user("marcus", Role.TEAM_MANAGER)
    marcus.first_name, marcus.last_name = "Marcus", "Bell"
    marcus.save()
    carla = make_user("carla", Role.PRACTITIONER)  # in no team of the family's: named anyway
    carla.first_name, carla.last_name = "Carla", "Reyes"
    carla.save()
    team.members.add(marcus)
    yusuf = family["yusuf"]

    sign_in_through_the_browser(page, marcus, STRONG_PASSWORD)
    page.goto(live_server.url + reverse("people:person", args=[yusuf.public_id]))
    assert_accessible(page)
    page.get_by_role("link", name="Restrict this record to named staff").click()
    assert_accessible(page)
    page.get_by_label("Why restrict this record?").fill("His aunt works in the service")
    page.get_by_label("Carla Reyes").check()
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    banner = page.locator(".govuk-inset-text", has_text="Restricted")
    expect(banner).to_contain_text("Carla Reyes")
    expect(banner).to_contain_text("Marcus Bell")
    expect(banner).to_contain_text("To be reviewed by")

    page.get_by_role("link", name="Change who may open this record").click()
    assert_accessible(page)
    expect(page.get_by_label("Why restrict this record?")).to_have_value(
        "His aunt works in the service"
    )
    expect(page.get_by_label("Carla Reyes")).to_be_checked()
    page.get_by_label("Carla Reyes").uncheck()
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    expect(page.locator(".govuk-inset-text", has_text="Restricted")).not_to_contain_text("Carla")

    page.get_by_role("link", name="Lift the restriction").click()
    assert_accessible(page)
    page.get_by_role("button", name="Lift the restriction").click()  # no reason yet
    expect(page.get_by_role("link", name="Enter why the restriction is lifted")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Why lift the restriction?").fill("His aunt has left the service")
    page.get_by_role("button", name="Lift the restriction").click()
    assert_accessible(page)
    expect(page.get_by_text("The restriction is lifted")).to_be_visible()
    assert not Restriction.objects.filter(person=yusuf).exists()
