"""A team manager finds, by search, a second record of a child that the duplicate check did
not offer, compares the two side by side, merges them with a reason, and undoes the merge
with a reason; the merge and its undoing are recorded against both records. Every page
visited is scanned."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from earlyhelp.access.roles import Role
from earlyhelp.audit.queries import events_for_record
from earlyhelp.people.models import PersonMerge
from tests.browser.conftest import sign_in_through_the_browser
from tests.conftest import STRONG_PASSWORD
from tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def row(page, heading: str):
    """The comparison's row whose heading is `heading`."""
    return page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=heading, exact=True)
    )


def test_a_manager_compares_and_merges_two_records_found_by_search_then_undoes_with_a_reason(
    page, live_server, make_user, case, team, family, assert_accessible
):
    marcus = make_user("marcus", Role.TEAM_MANAGER)
    marcus.first_name, marcus.last_name = "Marcus", "Bell"
    marcus.save()
    team.members.add(marcus)
    yusuf = family["yusuf"]
    # Recorded under his mother's maiden name, with no date of birth: not a likely duplicate.
    other = PersonFactory(given_name="Yusuf", family_name="Karimi", unidentified=True)

    sign_in_through_the_browser(page, marcus, STRONG_PASSWORD)
    page.goto(live_server.url + reverse("people:person", args=[yusuf.public_id]))
    assert_accessible(page)
    page.get_by_role("link", name="Merge a duplicate record into this one").click()
    assert_accessible(page)
    expect(
        page.get_by_text("No other record you can open looks like the same person")
    ).to_be_visible()

    page.get_by_label("Name", exact=True).fill("Yusuf Karimi")
    page.get_by_role("button", name="Search").click()
    assert_accessible(page)
    assert "Karimi" not in page.url  # searched by POST: nothing typed is in an address
    page.get_by_role("link", name="Compare with this record").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Compare the two records")).to_be_visible()
    name_row = row(page, "Name")
    expect(name_row).to_contain_text("Yusuf Haddad")
    expect(name_row).to_contain_text("Yusuf Karimi")
    expect(name_row).to_contain_text("Different")
    expect(row(page, "Date of birth")).to_contain_text("Only on one record")

    page.get_by_role("button", name="Merge the records").click()  # no reason yet
    expect(page.get_by_role("link", name="Enter why they are the same person")).to_be_visible()
    assert_accessible(page)
    assert not PersonMerge.objects.exists()
    page.get_by_label("Why are they the same person?").fill("Same child: school confirmed")
    page.get_by_role("button", name="Merge the records").click()
    assert_accessible(page)
    expect(page.get_by_text("Yusuf Karimi's record is merged into this one")).to_be_visible()

    page.get_by_role("link", name="Undo the merge of Yusuf Karimi").click()
    assert_accessible(page)
    page.get_by_role("button", name="Undo the merge").click()  # no reason yet
    expect(page.get_by_role("link", name="Enter why the merge is being undone")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Why undo this merge?").fill("Different children: cousins")
    page.get_by_role("button", name="Undo the merge").click()
    assert_accessible(page)
    expect(page.get_by_text("The merge is undone")).to_be_visible()

    merge = PersonMerge.objects.get()
    assert merge.undone_by == marcus
    for person in (yusuf, other):
        actions = {event.action for event in events_for_record("person", person.public_id)}
        assert {"merge", "undo_merge"} <= actions, person.full_name
