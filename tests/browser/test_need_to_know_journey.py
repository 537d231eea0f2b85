import pytest
from playwright.sync_api import expect

from earlyhelp.access.roles import Role
from earlyhelp.cases.models import Team
from tests.browser.conftest import sign_in_through_the_browser
from tests.conftest import STRONG_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_other_team_cannot_see_the_case_and_emergency_access_reaches_the_governance_queue(
    browser, live_server, make_user, family, case, assert_accessible
):
    olu = make_user("olu", Role.PRACTITIONER)
    Team.objects.create(name="South youth", service="iyss").members.add(olu)
    grace = make_user("grace", Role.INFORMATION_GOVERNANCE)

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in_through_the_browser(page, olu, STRONG_PASSWORD)

    # Guessing the case's address does not open it.
    page.goto(f"/cases/{case.public_id}")
    expect(page.get_by_role("heading", name="You cannot open this record")).to_be_visible()
    assert_accessible(page)

    # Searching finds that the child is known, and who holds the record, not its content.
    page.goto("/people/")
    page.get_by_label("Name").fill("Yusuf Haddad")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("Not open to you. Held by North family support")).to_be_visible()
    page.get_by_role("link", name="Yusuf Haddad").click()
    expect(page.get_by_role("heading", name="You cannot open this record")).to_be_visible()
    assert_accessible(page)

    # In an emergency, with a reason, the record opens under a banner.
    page.get_by_role("link", name="Open in an emergency").click()
    page.get_by_label("Why do you need to open this record now?").fill(
        "Police at the school about Yusuf; allocated worker not answering"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Open the record").click()
    expect(page.get_by_text("You opened this record in an emergency")).to_be_visible()
    expect(page.get_by_role("heading", name="Yusuf Haddad", level=1)).to_be_visible()
    assert_accessible(page)
    context.close()

    # The information governance officer finds it waiting for review.
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in_through_the_browser(page, grace, STRONG_PASSWORD)
    page.get_by_role("link", name="Emergency access to review").click()
    expect(page.get_by_role("cell", name="Police at the school about Yusuf")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Review").first.click()
    page.get_by_label("Justified", exact=True).check()
    assert_accessible(page)
    page.get_by_role("button", name="Record review").click()
    expect(page.get_by_text("Review recorded")).to_be_visible()
    expect(page.get_by_text("Nothing to review.")).to_be_visible()
    context.close()
