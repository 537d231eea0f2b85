"""Nursery photos and videos (issue 19), in the browser, with an accessibility scan of every
page visited.

Leila's key person records her mother's consent to photos in Leila's own learning journey,
uploads a photo of Leila building a tower with Noah beside her, tags the two children, and
sees it blocked for Noah: his mother has not agreed to his appearing in clips other parents
receive. She records Noah's mother's consent, comes back, and shares the photo with Leila's
parents through the app: the link and password are shown once, and each child has a
disclosure in the log."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.consent.models import MediaShare
from tests.browser.conftest import sign_in_through_the_browser
from tests.conftest import STRONG_PASSWORD
from tests.consent.media_records import photo_with_location, second_child

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_day(page, day) -> None:
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))


def _record_consent(page, assert_accessible, parent: str, use: str) -> None:
    page.get_by_role("link", name="Record a parent's decision").click()
    assert_accessible(page)
    page.get_by_label(parent).check()
    page.get_by_label(use).check()
    page.get_by_label("They agree").check()
    page.get_by_label("On a signed paper form").check()
    _fill_day(page, timezone.localdate())
    page.get_by_role("button", name="Record the decision").click()
    assert_accessible(page)


def test_a_key_person_shares_a_photo_once_every_child_in_it_is_covered(
    page, family, key_person, nursery_team, assert_accessible
):
    noah = second_child(nursery_team)
    leila = family["leila"]
    sign_in_through_the_browser(page, key_person, STRONG_PASSWORD)
    assert_accessible(page)

    # Leila's mother agrees to photos in Leila's own learning journey.
    page.get_by_role("link", name="Consents to ask parents for (2)").click()
    assert_accessible(page)
    page.get_by_role("link", name=leila.full_name).click()
    assert_accessible(page)
    _record_consent(
        page,
        assert_accessible,
        family["mum"].full_name,
        "Photos and videos in your child's own learning journey",
    )

    # The photo: Leila in focus, Noah beside her.
    page.goto(page.url.split("/consent/")[0] + "/")
    page.get_by_role("link", name="Nursery photos and videos").click()
    assert_accessible(page)
    page.get_by_role("link", name="Upload a photo or video").click()
    assert_accessible(page)
    page.get_by_label("Photo or video").set_input_files(
        {"name": "tower.jpg", "mimeType": "image/jpeg", "buffer": photo_with_location()}
    )
    _fill_day(page, timezone.localdate())
    page.get_by_role("group", name="Who is it about?").get_by_label(leila.full_name).check()
    page.get_by_role("group", name="Who else is in it?").get_by_label(noah.full_name).check()
    page.get_by_label("Observation (optional)").fill("Leila built a tower of ten bricks")
    page.get_by_role("button", name="Upload").click()
    assert_accessible(page)
    expect(page.get_by_text("Photo uploaded")).to_be_visible()
    expect(page.get_by_text(f"{noah.full_name}: no consent for").first).to_be_visible()
    expect(page.get_by_role("button", name="Share the photo")).to_have_count(0)

    # Noah's mother agrees to his appearing in other children's clips.
    item_url = page.url
    page.get_by_role("link", name=noah.full_name).first.click()
    assert_accessible(page)
    _record_consent(
        page,
        assert_accessible,
        noah.mother.full_name,
        "Your child in clips and pictures shared with other parents",
    )
    page.goto(item_url)
    assert_accessible(page)
    expect(page.get_by_text("Can be shared").first).to_be_visible()
    page.get_by_label("How is the link sent to the app's provider?").fill(
        "By secure email to the eyLog support team"
    )
    page.get_by_role("button", name="Share the photo").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Ready to send to the app's provider")).to_be_visible()
    expect(page.get_by_text("The password and link are shown only now")).to_be_visible()
    share = MediaShare.objects.get()
    assert {d.person for d in share.disclosures.all()} == {leila, noah}
