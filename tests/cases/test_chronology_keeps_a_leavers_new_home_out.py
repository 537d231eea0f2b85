"""Issue 20, item 4, as a hostile tester tried it: the family's chronology keeps a former
member's time in the household and nothing after it. Someone who moves alone leaves the
household on the day they move in to their new address (people.moves.record_move), so
that day's move is their life after they left, not the family's: a case conference's
printed chronology of the family must never carry where they live now."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.roles import Role
from earlyhelp.cases.services import record_contact
from earlyhelp.people.models import HouseholdMember
from tests.factories import AttendanceFactory, GroupSessionFactory, RestrictionFactory
from tests.people.test_moving_house import add_address

NEW_HOME = "Flat 3, Walker House"


def test_a_member_who_moves_alone_is_gone_from_the_familys_chronology_with_their_new_address(
    client, practitioner, case, family
):
    mum, household = family["mum"], family["household"]
    response = add_address(client, mum, household_moves="alone")
    assert response.status_code == 302
    # The move's own service made her a former member on the day of the move.
    assert HouseholdMember.objects.get(person=mum).left_on is not None
    for name in ("people:household_chronology", "cases:household_chronology_print"):
        html = client.get(reverse(name, args=[household.public_id])).content.decode()
        assert NEW_HOME not in html, name
        assert "NW1 1HA" not in html, name
    # Her own chronology still has it: the move is hers.
    mine = client.get(reverse("people:person_chronology", args=[mum.public_id]))
    assert NEW_HOME in mine.content.decode()


def test_a_new_address_recorded_without_a_date_on_the_day_they_left_is_not_the_familys(
    client, practitioner, case, family
):
    mum, household = family["mum"], family["household"]
    response = add_address(
        client, mum, household_moves="alone", moved_in_day="", moved_in_month="", moved_in_year=""
    )
    assert response.status_code == 302
    html = client.get(
        reverse("people:household_chronology", args=[household.public_id]), {"kind": "address"}
    ).content.decode()
    assert NEW_HOME not in html


def test_a_former_member_restricted_from_the_reader_is_not_in_the_familys_chronology(
    client, practitioner, case, family, make_user
):
    dad, household = family["dad"], family["household"]
    today = timezone.localdate()
    HouseholdMember.objects.create(
        household=household,
        person=dad,
        joined_on=today - timedelta(days=400),
        left_on=today - timedelta(days=1),
    )
    RestrictionFactory(person=dad, named_users=[make_user("rhiannon", Role.PRACTITIONER)])
    # A session within his time in the household: the family's history, but his.
    AttendanceFactory(person=dad, session=GroupSessionFactory(title="Dads' group"))
    for name in ("people:household_chronology", "cases:household_chronology_print"):
        response = client.get(reverse(name, args=[household.public_id]))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert "Tomasz" not in html and "Dads&#x27; group" not in html, name


@pytest.mark.parametrize("by", ["²", "٣", "１", "-1", "1.0", "9" * 30, "0"])
def test_a_recorded_by_that_is_no_member_of_staffs_id_is_refused_by_name_never_a_traceback(
    client, practitioner, case, family, by
):
    url = reverse("people:household_chronology", args=[family["household"].public_id])
    page = client.get(url, {"by": by})
    printed = client.get(
        reverse("cases:household_chronology_print", args=[family["household"].public_id]),
        {"by": by},
    )
    assert page.status_code == 200 and printed.status_code == 200
    assert "Select who recorded the events from the list" in page.content.decode()


def test_a_print_whose_filter_is_in_error_prints_no_event_and_says_what_to_correct(
    client, practitioner, case, family
):
    record_contact(
        case=case,
        author=None,
        kind="phone_call",
        occurred_at=timezone.now() - timedelta(days=400),
        note="A call long before the conference",
    )
    # "From" with a two-digit year is refused; "To" alone would print the whole history.
    asked = {
        "since_day": "1",
        "since_month": "10",
        "since_year": "26",
        "until_day": "31",
        "until_month": "12",
        "until_year": str(timezone.localdate().year),
    }
    url = reverse("cases:household_chronology_print", args=[family["household"].public_id])
    printed = client.get(url, asked).content.decode()
    page = client.get(
        reverse("people:household_chronology", args=[family["household"].public_id]), asked
    ).content.decode()

    assert "A call long before the conference" not in printed
    assert "There is a problem with the filter" in printed
    assert "The year of the date to show events from must be 4 digits" in printed
    assert "<title>Error: " in printed
    # The page itself still shows the rest of the filter applied, with the error named.
    assert "The year of the date to show events from must be 4 digits" in page
