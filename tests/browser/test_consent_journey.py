"""Nursery photo and video consent (issue 19), in the browser, with an accessibility scan of
every page visited.

Leila's key person sees on her home page that Leila's parents have not been asked, opens
the list, then Leila's consent page; records her mother's consent to photos in Leila's own
learning journey (a first try without a date says so), sees it in force on the page and on
Leila's record, then records her father withdrawing it: one action."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.consent import services
from tests.browser.conftest import sign_in_through_the_browser
from tests.conftest import STRONG_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OWN = "own-learning-journey"


def test_a_key_person_records_a_parents_consent_and_its_withdrawal(
    page, family, key_person, assert_accessible
):
    leila = family["leila"]
    use = services.nursery_processing().consent_use(OWN)
    sign_in_through_the_browser(page, key_person, STRONG_PASSWORD)
    assert_accessible(page)
    page.get_by_role("link", name="Consents to ask parents for (1)").click()
    assert_accessible(page)
    page.get_by_role("link", name=leila.full_name).click()
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Photo and video consent")).to_be_visible()

    page.get_by_role("link", name="Record a parent's decision").click()
    assert_accessible(page)
    expect(page.get_by_text(use.texts[-1].wording)).to_be_visible()
    page.get_by_label(family["mum"].full_name).check()
    page.get_by_label(use.name).check()
    page.get_by_label("They agree").check()
    page.get_by_label("On a signed paper form").check()
    page.get_by_role("button", name="Record the decision").click()  # no date yet
    assert_accessible(page)
    expect(page.get_by_role("link", name="Enter the date they decided")).to_be_visible()
    day = timezone.localdate()
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))
    page.get_by_role("button", name="Record the decision").click()
    assert_accessible(page)
    expect(page.locator("strong.govuk-tag", has_text="Given").first).to_be_visible()
    assert services.consent_in_force(leila, OWN)

    page.get_by_role("link", name=f"Back to {leila.full_name}").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Photo and video consent")).to_be_visible()
    page.get_by_role("link", name="See and record photo and video consent").click()

    page.get_by_role("link", name="Withdraw a consent").click()
    assert_accessible(page)
    page.get_by_label(family["dad"].full_name).check()
    page.get_by_label(use.name).check()
    page.get_by_label("Through the eyLog Parent app").check()
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))
    page.get_by_role("button", name="Withdraw the consent").click()
    assert_accessible(page)
    expect(page.get_by_text(f"Withdrawn by {family['dad'].full_name}")).to_be_visible()
    assert not services.consent_in_force(leila, OWN)
