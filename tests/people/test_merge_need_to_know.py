"""Merging, attacked: a restriction is never widened by a merge, the merge page's own
subject and the likely duplicates it does not name are recorded, and the undo page names
a record separated again only under that record's own access."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from earlyhelp.access.models import Restriction
from earlyhelp.access.roles import Role
from earlyhelp.access.rules import person_access
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases.corrections import strike_out
from earlyhelp.people.merge import merge_people
from earlyhelp.people.models import Address, PersonAddress, PersonMerge
from tests.factories import PersonFactory
from tests.web.test_words_not_codes import visible


@pytest.fixture
def duplicate(family):
    """A second record of Yusuf, on no case."""
    return PersonFactory(
        given_name="Yusef", family_name="Haddad", date_of_birth=date(2016, 2, 9), nhs_number=""
    )


def compare_url(kept, other) -> str:
    return reverse("people:compare_for_merge", args=[kept.public_id, other.public_id])


def restrict(person, made_by, *named):
    restriction = Restriction.objects.create(
        person=person, reason="A relative works in the service", created_by=made_by
    )
    restriction.named_users.add(made_by, *named)
    return restriction


def test_a_record_restricted_to_other_people_than_the_kept_one_is_not_merged_into_it(
    client, manager, make_user, rf, family, duplicate
):
    # Both records closed, to different people: merged, the duplicate's record would be
    # open to whoever the kept record's restriction names.
    kofi = make_user("kofi", Role.PRACTITIONER)
    restrict(family["yusuf"], manager, kofi)
    restrict(duplicate, manager)
    response = client.post(compare_url(family["yusuf"], duplicate), {"reason": "Same child"})
    assert response.status_code == 200
    assert "restricted to other people" in visible(response)
    assert not PersonMerge.objects.exists()
    assert not AuditEvent.objects.filter(action="merge").exists()
    request = rf.get("/")
    request.user, request.session = kofi, {}
    assert not person_access(request, duplicate).allowed


def test_a_restricted_record_is_not_merged_into_an_open_one_closing_it_unseen(
    client, manager, family, duplicate
):
    # The duplicate's restriction would move to Yusuf's record, closing it to his worker
    # with no restriction made on it.
    restrict(duplicate, manager)
    response = client.post(compare_url(family["yusuf"], duplicate), {"reason": "Same child"})
    assert "restricted to other people" in visible(response)
    assert not PersonMerge.objects.exists()
    assert not hasattr(family["yusuf"].__class__.objects.get(pk=family["yusuf"].pk), "restriction")


def test_records_restricted_to_the_same_people_are_merged(client, manager, family, duplicate):
    restrict(family["yusuf"], manager)
    restrict(duplicate, manager)
    client.post(compare_url(family["yusuf"], duplicate), {"reason": "Same child"})
    assert PersonMerge.objects.get().merged == duplicate


def test_the_merge_page_records_the_look_at_its_own_subject_when_it_lists_others(
    client, manager, family, duplicate
):
    client.get(reverse("people:merge", args=[family["yusuf"].public_id]))
    client.post(
        reverse("people:merge", args=[family["yusuf"].public_id]),
        {"action": "find", "find-name": "Yusef Haddad"},
    )
    looks = AuditEvent.objects.filter(
        action="view", record_id=str(family["yusuf"].public_id), details__page="merge_person"
    )
    assert looks.count() == 2


def test_a_restricted_likely_duplicate_the_merge_page_only_counts_is_recorded_as_matched(
    client, manager, make_user, family, duplicate
):
    restrict(duplicate, make_user("ola", Role.TEAM_MANAGER))
    page = visible(client.get(reverse("people:merge", args=[family["yusuf"].public_id])))
    assert "Yusef" not in page and "1 more likely duplicate is not open to you" in page
    matched = AuditEvent.objects.get(record_id=str(duplicate.public_id))
    assert matched.rule == "access:restricted-match"
    assert matched.details == {"page": "merge-candidates"}


def test_the_undo_page_names_a_separated_record_restricted_since_as_a_restricted_record(
    client, manager, make_user, family, duplicate
):
    merge = merge_people(family["yusuf"], duplicate, manager, "Same")
    undo = reverse("people:undo_merge", args=[merge.public_id])
    client.post(undo, {"reason": "Cousins"})
    restrict(duplicate, make_user("ola", Role.TEAM_MANAGER))
    page = visible(client.get(undo))
    assert "Yusef" not in page
    assert "a restricted record" in page
    look = AuditEvent.objects.filter(
        record_id=str(duplicate.public_id), details__page="undo-merge"
    ).latest("id")
    assert look.rule == "access:restricted-match"


def test_an_address_struck_out_is_marked_on_the_comparison_and_not_compared(
    client, manager, request_as, family, duplicate
):
    # Recorded in error (another family's address, say): the person page marks it; the
    # comparison must not offer it as where the child lives, nor as a difference.
    wrong = Address.objects.create(line_1="1 Wrong Street", town="London", postcode="N7 6AB")
    lived = PersonAddress.objects.create(person=family["yusuf"], address=wrong, source="family")
    strike_out(request_as(manager), lived, "Another family's address")
    page = client.get(compare_url(family["yusuf"], duplicate)).content.decode()
    row = page.split(">Addresses</th>")[1].split("</tr>")[0]
    assert "1 Wrong Street" in row and "struck out: Another family&#x27;s address" in row
    assert "(current)" not in row
    assert "Not on the other record" not in row
    assert "Not recorded on either" in row


def test_an_open_record_is_not_merged_into_a_restricted_one_closing_its_cases_unseen(
    client, manager, family, duplicate
):
    # Kept, the duplicate's restriction would close Yusuf's case to its team unseen.
    restrict(duplicate, manager)
    response = client.post(compare_url(duplicate, family["yusuf"]), {"reason": "Same child"})
    assert "restricted to other people" in visible(response)
    assert not PersonMerge.objects.exists()


def test_each_likely_duplicate_the_merge_page_names_is_recorded_under_its_own_access(
    client, manager, family, duplicate
):
    client.get(reverse("people:merge", args=[family["yusuf"].public_id]))
    named = AuditEvent.objects.get(
        record_id=str(duplicate.public_id), details__page="merge-candidates"
    )
    # The duplicate is on no case: open to casework, not allocated to the manager's team.
    assert named.rule == "access:no-case"


def test_the_comparison_says_on_opening_that_differently_restricted_records_cannot_merge(
    client, manager, family, duplicate
):
    restrict(duplicate, manager)
    response = client.get(compare_url(family["yusuf"], duplicate))
    assert response.status_code == 200
    assert "restricted to other people than the other" in visible(response)
    assert "Merge the records" not in visible(response)


def test_two_records_of_one_name_are_told_apart_by_the_day_each_was_made(client, manager, family):
    yusuf = family["yusuf"]
    yusuf.created_at = datetime(2026, 3, 2, 10, tzinfo=UTC)
    yusuf.save(update_fields=["created_at"])
    twin = PersonFactory(
        given_name="Yusuf", family_name="Haddad", date_of_birth=date(2016, 2, 9), nhs_number=""
    )
    twin.created_at = datetime(2026, 11, 20, 10, tzinfo=UTC)
    twin.save(update_fields=["created_at"])
    page = visible(client.get(compare_url(yusuf, twin)))
    assert (
        "Merge Yusuf Haddad's record (made 20 November 2026) into Yusuf Haddad's "
        "(made 2 March 2026)" in page
    )
    assert "Merge the records" in page
