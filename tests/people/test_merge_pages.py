"""Merging two records of one person through the pages: chosen from the likely duplicates
or found by search, compared side by side (differences in words), merged with a reason and
undone with one; the merge and its undoing are on both records' "who has seen" lists."""

from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.queries import events_for_record
from earlyhelp.cases.services import open_case
from earlyhelp.people.merge import merge_people
from earlyhelp.people.models import Address, PersonAddress, PersonMerge
from tests.factories import HealthConditionFactory, PersonFactory, RiskFactory, TeamFactory


@pytest.fixture
def duplicate(family):
    """A second record of Yusuf, made before anyone searched."""
    # No NHS number, as Yusuf's record has none: nothing tells the two apart.
    return PersonFactory(
        given_name="Yusef", family_name="Haddad", date_of_birth=date(2016, 2, 9), nhs_number=""
    )


@pytest.fixture
def unlike(family):
    """A record of Yusuf the duplicate check does not find: another family name (his
    mother's maiden name, say) and no date of birth; a manager finds it by search."""
    return PersonFactory(given_name="Yusuf", family_name="Karimi", unidentified=True)


def compare_url(kept, other) -> str:
    return reverse("people:compare_for_merge", args=[kept.public_id, other.public_id])


def comparison_rows(page: str) -> dict[str, str]:
    """The comparison table's rows by their heading: the HTML of each row's cells."""
    rows = page.split('<th scope="row" class="govuk-table__header">')[1:]
    return {row.split("</th>")[0]: row.split("</tr>")[0] for row in rows}


def test_the_merge_page_offers_each_likely_duplicate_to_compare_not_to_merge_at_once(
    client, manager, family, duplicate
):
    page = client.get(reverse("people:merge", args=[family["yusuf"].public_id])).content.decode()
    assert compare_url(family["yusuf"], duplicate) in page
    assert "Merge the records" not in page
    assert not PersonMerge.objects.exists()


def test_a_manager_finds_a_record_the_duplicate_check_missed_by_search_and_compares_it(
    client, manager, family, unlike
):
    url = reverse("people:merge", args=[family["yusuf"].public_id])
    assert compare_url(family["yusuf"], unlike) not in client.get(url).content.decode()
    response = client.post(url, {"action": "find", "find-name": "Yusuf Karimi"})
    page = response.content.decode()
    assert compare_url(family["yusuf"], unlike) in page
    # A search like any other: the event names the records listed, never what was typed.
    search = AuditEvent.objects.filter(action="search").latest("id")
    assert str(unlike.public_id) in search.details["shown"]
    assert "Karimi" not in str(search.details)
    look = AuditEvent.objects.filter(record_id=str(unlike.public_id), action="view").latest("id")
    assert look.details == {"page": "merge-search"}


def test_the_merge_search_names_the_field_when_nothing_is_entered(client, manager, family):
    url = reverse("people:merge", args=[family["yusuf"].public_id])
    page = client.post(url, {"action": "find", "find-name": ""}).content.decode()
    assert "Enter a name or date of birth" in page


def test_a_record_the_manager_cannot_open_is_found_but_not_offered_to_merge(
    client, manager, family
):
    elsewhere = PersonFactory(given_name="Yusuf", family_name="Karimi", unidentified=True)
    south = TeamFactory(name="South youth", service="iyss")
    open_case(
        service="iyss",
        household=None,
        children=[elsewhere],
        family=[],
        reason="Youth club",
        team=south,
        started=date(2026, 9, 1),
        created_by=None,
    )
    url = reverse("people:merge", args=[family["yusuf"].public_id])
    page = client.post(url, {"action": "find", "find-name": "Yusuf Karimi"}).content.decode()
    assert "Not open to you" in page
    assert compare_url(family["yusuf"], elsewhere) not in page
    response = client.get(compare_url(family["yusuf"], elsewhere))
    assert response.status_code == 403
    assert not PersonMerge.objects.exists()


def test_the_comparison_shows_both_records_side_by_side_with_differences_in_words(
    client, manager, family, duplicate
):
    yusuf = family["yusuf"]
    yusuf.nhs_number = "9990000018"
    yusuf.save()
    malden = Address.objects.get(line_1="12 Malden Road")
    PersonAddress.objects.create(person=yusuf, address=malden, source="family")
    elsewhere = Address.objects.create(line_1="3 Oak Lane", town="London", postcode="N7 8AA")
    PersonAddress.objects.create(person=duplicate, address=elsewhere, source="school")
    RiskFactory(person=yusuf, description="Missed two days of school last term")
    RiskFactory(person=duplicate, description="Missed two days of school last term")
    page = client.get(compare_url(yusuf, duplicate)).content.decode()
    rows = comparison_rows(page)
    assert "Yusuf Haddad" in rows["Name"] and "Yusef Haddad" in rows["Name"]
    assert rows["Name"].rstrip().endswith("Different</strong></td>")
    assert "9 February 2016" in rows["Date of birth"] and "Same" in rows["Date of birth"]
    assert "9990000018" in rows["NHS number"] and "Only on one record" in rows["NHS number"]
    assert "Not known" in rows["NHS number"]
    assert "12 Malden Road" in rows["Addresses"] and "3 Oak Lane" in rows["Addresses"]
    assert "Not on the other record" in rows["Addresses"]
    assert "Different" in rows["Addresses"]
    assert "Family Support and Complex Families" in rows["Cases"]
    assert "Only on one record" in rows["Cases"]
    assert rows["Risks"].count("Missed two days of school last term") == 2
    assert "Not on the other record" not in rows["Risks"] and "Same" in rows["Risks"]
    assert "differences found in what you can see" in page


def test_every_look_at_the_comparison_is_recorded_against_both_people(
    client, manager, family, duplicate
):
    yusuf = family["yusuf"]
    RiskFactory(person=duplicate)
    client.get(compare_url(yusuf, duplicate))
    looks = {
        event.record_id: event
        for event in AuditEvent.objects.filter(action="view", details__page="compare_for_merge")
    }
    assert set(looks) == {str(yusuf.public_id), str(duplicate.public_id)}
    assert "risk-issues" in looks[str(duplicate.public_id)].categories
    assert "risk-issues" not in looks[str(yusuf.public_id)].categories
    # Yusuf's case is the manager's team's; the duplicate is on no case (open to casework).
    assert looks[str(yusuf.public_id)].rule == "access:allocation"
    assert looks[str(duplicate.public_id)].rule == "access:no-case"


def test_special_category_facts_are_compared_only_where_the_manager_may_see_them(
    client, manager, family, duplicate
):
    # Yusuf is on a case of the manager's team: his health is theirs to see. The duplicate
    # is on no case: anyone in casework may open it, but its health is no one's to see.
    HealthConditionFactory(person=family["yusuf"], description="Asthma")
    HealthConditionFactory(person=duplicate, description="Eczema, severe")
    page = client.get(compare_url(family["yusuf"], duplicate)).content.decode()
    assert "Asthma" in page
    assert "Eczema" not in page
    assert "Not shown to you: special category" in page
    assert "Not compared" in page
    # Nothing is said to be missing from a side the manager cannot see.
    assert "Not on the other record" not in comparison_rows(page)["Health conditions"]
    look = AuditEvent.objects.get(
        record_id=str(duplicate.public_id), details__page="compare_for_merge"
    )
    assert "health" not in look.categories
    mine = AuditEvent.objects.get(
        record_id=str(family["yusuf"].public_id), details__page="compare_for_merge"
    )
    assert "health" in mine.categories


def test_a_manager_merges_after_comparing_with_a_reason_recorded_on_both_records(
    client, manager, family, duplicate
):
    yusuf = family["yusuf"]
    response = client.post(compare_url(yusuf, duplicate), {"reason": "Same child, GP confirmed"})
    assert response.url == reverse("people:person", args=[yusuf.public_id])
    merge = PersonMerge.objects.get()
    assert (merge.kept, merge.merged, merge.merged_by) == (yusuf, duplicate, manager)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == yusuf
    assert "Same child, GP confirmed" in client.get(response.url).content.decode()
    events = AuditEvent.objects.filter(action="merge")
    assert {e.record_id for e in events} == {str(yusuf.public_id), str(duplicate.public_id)}
    assert {e.reason for e in events} == {"Same child, GP confirmed"}


def test_merging_without_a_reason_names_the_field_and_merges_nothing(
    client, manager, family, duplicate
):
    response = client.post(compare_url(family["yusuf"], duplicate), {"reason": "  "})
    assert "Enter why they are the same person" in response.content.decode()
    assert not PersonMerge.objects.exists()
    assert not AuditEvent.objects.filter(action="merge").exists()


def test_the_comparison_offers_to_keep_the_other_record_instead(client, manager, family, duplicate):
    page = client.get(compare_url(family["yusuf"], duplicate)).content.decode()
    assert compare_url(duplicate, family["yusuf"]) in page


def test_a_record_is_not_compared_with_itself_nor_with_one_merged_away(
    client, manager, family, duplicate, make_user
):
    yusuf = family["yusuf"]
    assert client.get(compare_url(yusuf, yusuf)).status_code == 404
    merge_people(yusuf, duplicate, make_user("mo", Role.TEAM_MANAGER), "Same")
    assert client.get(compare_url(yusuf, duplicate)).status_code == 404


def test_a_record_opened_only_by_break_glass_is_not_compared_or_merged(
    client, make_user, sign_in, family, case
):
    ola = make_user("ola", Role.TEAM_MANAGER)
    TeamFactory(name="South youth", service="iyss").members.add(ola)
    theirs = PersonFactory(
        given_name="Yusef", family_name="Haddad", date_of_birth=date(2016, 2, 9), unidentified=True
    )
    sign_in(ola)
    client.post(
        reverse("people:break_glass", args=[family["yusuf"].public_id]),
        {"reason": "Checking a possible duplicate urgently"},
    )
    url = compare_url(theirs, family["yusuf"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "Same"}).status_code == 403
    assert not PersonMerge.objects.exists()
    assert not AuditEvent.objects.filter(details__page="compare_for_merge").exists()


def test_practitioner_cannot_merge_records(client, make_user, sign_in, family, duplicate):
    sign_in(make_user("priya", Role.PRACTITIONER))
    assert client.get(reverse("people:merge", args=[family["yusuf"].public_id])).status_code == 403
    assert client.get(compare_url(family["yusuf"], duplicate)).status_code == 403


def test_undoing_asks_for_a_reason_and_both_who_has_seen_lists_show_the_merge_and_undo(
    client, manager, make_user, sign_in, family, duplicate
):
    yusuf = family["yusuf"]
    client.post(compare_url(yusuf, duplicate), {"reason": "Same child, GP confirmed"})
    merge = PersonMerge.objects.get()
    undo = reverse("people:undo_merge", args=[merge.public_id])
    page = client.get(undo).content.decode()
    assert "Why undo this merge?" in page and "Same child, GP confirmed" in page
    response = client.post(undo, {"reason": ""})
    assert "Enter why the merge is being undone" in response.content.decode()
    merge.refresh_from_db()
    assert merge.undone_at is None
    client.post(undo, {"reason": "Different NHS numbers after all"})
    merge.refresh_from_db()
    assert merge.undone_by == manager
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None

    for person in (yusuf, duplicate):
        actions = [e.action for e in events_for_record("person", person.public_id)]
        assert {"merge", "undo_merge"} <= set(actions), person
    sign_in(make_user("gwen", Role.INFORMATION_GOVERNANCE))
    for person in (yusuf, duplicate):
        url = reverse("governance:who_has_seen", args=[person.public_id])
        page = client.get(url).content.decode()
        assert "Merged a duplicate record" in page, person
        assert "Undid a merge" in page, person
        assert "Different NHS numbers after all" in page, person


def test_an_undone_merge_is_not_undone_twice(client, manager, family, duplicate):
    merge = merge_people(family["yusuf"], duplicate, manager, "Same")
    undo = reverse("people:undo_merge", args=[merge.public_id])
    client.post(undo, {"reason": "Cousins"})
    page = client.get(undo).content.decode()
    assert "This merge was undone on" in page
    assert "Undo the merge</button>" not in page
    client.post(undo, {"reason": "Again"})
    assert AuditEvent.objects.filter(action="undo_merge").count() == 2  # one on each record
