"""The information governance officer's list of requests and complaints, its counts and
filters, complaints' acknowledgement clock, and the home page's due lists."""

from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.rights.models import RightsRequest
from tests.rights.staff_records import freeze_today, logged_request


@pytest.fixture
def today(monkeypatch):
    return freeze_today(monkeypatch)


@pytest.fixture
def officer(make_user, sign_in):
    user = make_user("ig-officer", Role.INFORMATION_GOVERNANCE)
    sign_in(user)
    return user


def a_complaint(received: date) -> RightsRequest:
    return logged_request(
        received,
        kind=RightsRequest.Kind.COMPLAINT,
        rights_asked=[],
        status=RightsRequest.Status.RECEIVED,
        details="My daughter's records were sent to the wrong address.",
    )


def listing(client, query: str = "") -> str:
    response = client.get(reverse("rights:requests") + query)
    assert response.status_code == 200
    return response.content.decode()


def count(html: str, slug: str) -> int:
    marker = f'data-count="{slug}">'
    return int(html.split(marker, 1)[1].split("<", 1)[0])


def test_a_complaint_shows_its_acknowledgement_due_within_30_days_and_is_overdue_after(
    client, officer, today
):
    today(date(2026, 7, 1))
    complaint = a_complaint(date(2026, 7, 1))
    html = listing(client)
    assert "Acknowledgement due 31 July 2026" in html
    assert count(html, "overdue") == 0
    today(date(2026, 8, 1))
    html = listing(client)
    assert count(html, "overdue") == 1
    assert complaint.reference in listing(client, "?show=overdue")


def test_an_acknowledged_complaint_shows_its_outcome_due_without_undue_delay(
    client, officer, today
):
    today(date(2026, 7, 10))
    complaint = a_complaint(date(2026, 7, 1))
    response = client.post(
        reverse("rights:action", args=[complaint.public_id, "acknowledge"]),
        {"on_day": 10, "on_month": 7, "on_year": 2026},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == RightsRequest.Status.ACKNOWLEDGED
    html = listing(client)
    assert "Outcome due without undue delay" in html
    assert "Acknowledgement due" not in html
    # The letter names the ICO's routes from the policy and the outcome to follow.
    letter = complaint.acknowledgement_letter
    assert "Information Commissioner's Office (ICO)" in letter
    assert "0303 123 1113" in letter
    assert "https://ico.org.uk/global/contact-us/live-chat/" in letter
    assert "without undue delay" in letter
    page = client.get(reverse("rights:request", args=[complaint.public_id])).content.decode()
    assert "0303 123 1113" in page


def test_a_complaint_outcome_closes_it_with_a_letter_naming_the_ico(client, officer, today):
    today(date(2026, 7, 20))
    complaint = a_complaint(date(2026, 7, 1))
    client.post(
        reverse("rights:action", args=[complaint.public_id, "complaint-outcome"]),
        {"on_day": 20, "on_month": 7, "on_year": 2026, "outcome": "We apologise."},
    )
    complaint.refresh_from_db()
    assert complaint.closed_on == date(2026, 7, 20)
    assert "We apologise." in complaint.outcome_letter
    assert "https://ico.org.uk/global/contact-us/" in complaint.outcome_letter
    assert "Outcome given" in listing(client, "?show=closed")


def test_the_counts_and_filters_split_open_due_this_week_overdue_and_paused(client, officer, today):
    today(date(2026, 3, 30))  # a Monday
    due_this_week = logged_request(date(2026, 3, 3))  # due Tuesday 7 April: next week
    overdue = logged_request(date(2026, 2, 20))  # due 20 March
    this_week = logged_request(date(2026, 2, 28))  # due Tuesday 31 March
    paused = logged_request(date(2026, 3, 20))
    paused.clarifications.create(asked_on=date(2026, 3, 25), question="Which?", asked_by=officer)
    closed = logged_request(date(2026, 3, 2))
    RightsRequest.objects.filter(pk=closed.pk).update(
        closed_on=date(2026, 3, 27), status=RightsRequest.Status.ANSWERED
    )
    html = listing(client)
    assert (count(html, "open"), count(html, "due-this-week")) == (4, 1)
    assert (count(html, "overdue"), count(html, "paused")) == (1, 1)
    assert closed.reference not in html
    shown = listing(client, "?show=due-this-week")
    assert this_week.reference in shown and due_this_week.reference not in shown
    shown = listing(client, "?show=overdue")
    assert overdue.reference in shown and this_week.reference not in shown
    shown = listing(client, "?show=paused")
    assert paused.reference in shown and overdue.reference not in shown
    assert closed.reference in listing(client, "?show=closed")
    # Sorted by due date: the overdue one first.
    html = listing(client)
    assert html.index(overdue.reference) < html.index(this_week.reference)
    assert html.index(this_week.reference) < html.index(due_this_week.reference)


def test_the_type_filter_separates_requests_from_complaints(client, officer, today):
    today(date(2026, 7, 1))
    request = logged_request(date(2026, 7, 1))
    complaint = a_complaint(date(2026, 7, 1))
    requests_only = listing(client, "?kind=request")
    assert request.reference in requests_only and complaint.reference not in requests_only
    complaints_only = listing(client, "?kind=complaint")
    assert complaint.reference in complaints_only and request.reference not in complaints_only


def test_rows_say_the_type_status_and_handler_in_words_and_no_family_names(client, officer, today):
    today(date(2026, 7, 1))
    logged_request(date(2026, 7, 1), handled_by=officer)
    html = listing(client)
    assert "Request: a copy of the information held" in html
    assert "Awaiting identity evidence" in html
    assert "Sam" in html  # the handler's name
    assert "Tobi Okafor" not in html and "Leila Okafor" not in html


def test_the_home_page_lists_requests_due_within_five_working_days_and_overdue(
    client, officer, today
):
    today(date(2026, 3, 30))
    soon = logged_request(date(2026, 3, 3))  # due 7 April: within five working days (Easter)
    late = logged_request(date(2026, 2, 20))
    later = logged_request(date(2026, 3, 27))
    html = client.get(reverse("web:home")).content.decode()
    assert f"{soon.reference}</a>: Response due 7 April 2026" in html
    assert f"{late.reference}</a>: Response due 20 March 2026" in html
    assert later.reference not in html
    assert html.index(late.reference) < html.index(soon.reference)


def test_other_roles_cannot_see_the_list(client, make_user, sign_in):
    sign_in(make_user("worker", Role.PRACTITIONER))
    assert client.get(reverse("rights:requests")).status_code == 403


def test_the_home_page_counts_new_and_waiting_requests_and_complaints_with_links(
    client, officer, today
):
    today(date(2026, 7, 1))
    html = client.get(reverse("web:home")).content.decode()
    assert "No new request waiting to be taken on" in html
    logged_request(date(2026, 7, 1))  # new, and awaiting identity
    logged_request(date(2026, 7, 1), handled_by=officer)  # taken on, awaiting identity
    a_complaint(date(2026, 7, 1))
    html = client.get(reverse("web:home")).content.decode()
    assert "1 new request not yet taken on" in html
    assert "1 new complaint not yet taken on" in html
    assert "2 requests waiting for proof of identity or clarification" in html
    assert "?show=new&amp;kind=request" in html and "?show=waiting&amp;kind=request" in html


def test_the_list_filters_new_and_waiting_ones(client, officer, today):
    today(date(2026, 7, 1))
    new = logged_request(date(2026, 7, 1))
    taken = logged_request(date(2026, 7, 1), handled_by=officer)
    answered = logged_request(
        date(2026, 7, 1), handled_by=officer, status=RightsRequest.Status.IN_PROGRESS
    )
    html = listing(client, "?show=new")
    assert count(html, "new") == 1 and count(html, "waiting") == 2
    assert new.reference in html and taken.reference not in html
    html = listing(client, "?show=waiting")
    assert new.reference in html and taken.reference in html
    assert answered.reference not in html
