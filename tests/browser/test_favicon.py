"""No page leaves the browser asking for /favicon.ico and getting a 404."""

import pytest

from earlyhelp.access.roles import Role
from tests.browser.conftest import sign_in_through_the_browser
from tests.conftest import STRONG_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_name_an_icon_that_is_served_and_nothing_answers_404(page, make_user):
    not_found = []
    page.on("response", lambda r: not_found.append(r.url) if r.status == 404 else None)

    sign_in_through_the_browser(page, make_user("priya", Role.PRACTITIONER), STRONG_PASSWORD)
    page.goto("/people/")
    page.wait_for_load_state("networkidle")

    icon = page.locator("link[rel=icon]").get_attribute("href")
    answer = page.request.get(icon)
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("image/svg+xml")
    assert not_found == []
