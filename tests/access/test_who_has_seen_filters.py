"""Who has seen a record, for the IG officer: narrowed by member of staff, role, what they did
and a range of days, by pages; the searches that listed the person, never what was searched
for; and the list as a CSV file, in the page's words, made safe for a spreadsheet, its export
recorded against the person."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.roles import Role
from earlyhelp.access.who_has_seen import LISTED, LISTED_WORDS
from earlyhelp.audit.log import record
from earlyhelp.audit.models import AuditEvent
from earlyhelp.datamap.registry import categories_of
from earlyhelp.people.models import Person
from tests.web.test_choice_ids import check_page
from tests.web.test_words_not_codes import assert_no_codes, visible


@pytest.fixture
def officer(make_user):
    user = make_user("gwen.ig", Role.INFORMATION_GOVERNANCE)
    user.first_name, user.last_name = "Gwen", "Ifans"
    user.save()
    return user


@pytest.fixture
def workers(make_user, team):
    """Two members of the family's team: a practitioner and their manager, with names."""
    priya = make_user("priya", Role.PRACTITIONER)
    priya.first_name, priya.last_name = "Priya", "Shah"
    priya.save()
    marcus = make_user("marcus", Role.TEAM_MANAGER)
    marcus.first_name, marcus.last_name = "Marcus", "Bell"
    marcus.save()
    team.members.add(priya, marcus)
    return {"priya": priya, "marcus": marcus}


def _look(actor, person, *, page="person", on: date | None = None, monkeypatch=None, **more):
    """A look by `actor` at `person`'s record, on `on` at noon UTC when given."""
    fields = {
        "action": "view",
        "record_type": "person",
        "record_id": person.public_id,
        "rule": "access:allocation",
        "details": {"page": page},
        "actor": actor,
        **more,
    }
    if on is None:
        return record(**fields)
    with monkeypatch.context() as patched:
        moment = datetime(on.year, on.month, on.day, 12, tzinfo=UTC)
        patched.setattr(timezone, "now", lambda: moment)
        return record(**fields)


def _page(client, person, **params) -> str:
    url = reverse("governance:who_has_seen", args=[person.public_id])
    return visible(client.get(url, params))


def _rows(text: str) -> int:
    """How many events the page's caption counts."""
    return int(re.search(r"(\d+) events?(?: matching the filters)?, newest first", text)[1])


def _table(text: str) -> str:
    """The list itself: what follows its caption (the filters offer every action's words)."""
    return text.split("newest first", 1)[1]


def test_a_search_that_listed_the_person_reads_listed_in_search_results_never_its_terms(
    client, sign_in, officer, workers, family, case
):
    sign_in(workers["priya"])
    found = client.post(reverse("people:search"), {"name": "Haddad", "postcode": "NW5 3HS"})
    assert "Yusuf Haddad" in visible(found)
    sign_in(officer)
    text = _page(client, family["yusuf"])
    assert f"Priya Shah {LISTED_WORDS} Search results" in text
    assert "NW5" not in text and "Malden" not in text
    assert_no_codes(text, usernames=("priya", "gwen.ig"))


def test_the_list_narrowed_to_one_member_of_staff_shows_only_theirs(
    client, sign_in, officer, workers, family
):
    _look(workers["priya"], family["yusuf"])
    _look(workers["marcus"], family["yusuf"])
    _look(workers["marcus"], family["yusuf"], page="case")
    sign_in(officer)
    text = _page(client, family["yusuf"], who=workers["priya"].pk)
    assert _rows(text) == 1
    assert "Priya Shah Looked at Record page" in text
    assert "Marcus Bell Looked at" not in text


def test_the_list_narrowed_to_a_role_shows_only_the_looks_of_staff_in_that_role(
    client, sign_in, officer, workers, family
):
    _look(workers["priya"], family["yusuf"])
    _look(workers["marcus"], family["yusuf"])
    sign_in(officer)
    text = _page(client, family["yusuf"], role=Role.TEAM_MANAGER.value)
    assert "Marcus Bell Looked at" in text and "Priya Shah Looked at" not in text


def test_looked_at_and_listed_in_search_results_are_told_apart_by_the_action_filter(
    client, sign_in, officer, workers, family
):
    _look(workers["priya"], family["yusuf"], page="search")
    _look(workers["priya"], family["yusuf"], page="person")
    # A look recorded with no page at all is a look, not a search's result.
    record(
        action="view",
        record_type="person",
        record_id=family["yusuf"].public_id,
        actor=workers["marcus"],
    )
    sign_in(officer)
    listed = _page(client, family["yusuf"], action=LISTED)
    assert _rows(listed) == 1 and LISTED_WORDS in _table(listed)
    looked = _page(client, family["yusuf"], action="view")
    # Priya's look, Marcus's with no page, and the officer's at the list just before.
    assert _rows(looked) == 3 and LISTED_WORDS not in _table(looked)
    assert "Priya Shah Looked at Record page" in looked and "Marcus Bell Looked at" in looked


def test_a_range_of_days_includes_both_its_first_and_last_day_and_nothing_outside(
    client, sign_in, officer, workers, family, monkeypatch
):
    for day in (date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 5), date(2026, 11, 6)):
        _look(workers["priya"], family["yusuf"], on=day, monkeypatch=monkeypatch)
    sign_in(officer)
    text = _page(
        client,
        family["yusuf"],
        since_day="3",
        since_month="11",
        since_year="2026",
        until_day="5",
        until_month="11",
        until_year="2026",
    )
    # The officer's own look (today) is outside the range too.
    assert _rows(text) == 2
    assert "3 Nov 2026" in text and "5 Nov 2026" in text
    assert "2 Nov 2026" not in text and "6 Nov 2026" not in text


def test_a_range_ending_before_it_starts_is_refused_naming_the_dates(
    client, sign_in, officer, workers, family
):
    _look(workers["priya"], family["yusuf"])
    sign_in(officer)
    text = _page(
        client,
        family["yusuf"],
        since_day="5",
        since_month="11",
        since_year="2026",
        until_day="3",
        until_month="11",
        until_year="2026",
    )
    assert "There is a problem" in text
    assert (
        "The date to show events to must be the same as or after the date to show events from"
        in text
    )
    assert "Priya Shah" not in text.split("Show events")[1]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"who": "999999"}, "Select a member of staff from the list"),
        ({"role": "superuser"}, "Select a role from the list"),
        ({"action": "sign_in"}, "Select what they did from the list"),
        ({"since_day": "31", "since_month": "2", "since_year": "2026"}, "must be a real date"),
        ({"since_day": "3", "since_year": "2026"}, "must include a month"),
    ],
)
def test_a_filter_that_is_not_one_offered_gets_a_message_naming_it_never_an_error_page(
    client, sign_in, officer, workers, family, params, message
):
    _look(workers["priya"], family["yusuf"])
    sign_in(officer)
    response = client.get(
        reverse("governance:who_has_seen", args=[family["yusuf"].public_id]), params
    )
    assert response.status_code == 200
    assert message in visible(response)


def test_the_list_comes_in_pages_and_the_next_page_keeps_the_filters(
    client, sign_in, officer, workers, family
):
    for _ in range(55):
        _look(workers["priya"], family["yusuf"])
    _look(workers["marcus"], family["yusuf"])
    sign_in(officer)
    url = reverse("governance:who_has_seen", args=[family["yusuf"].public_id])
    first = client.get(url, {"who": workers["priya"].pk}).content.decode()
    assert first.count("Priya Shah</td>") == 50
    assert "55 events matching the filters, newest first: 1 to 50 shown" in first
    assert f'href="?who={workers["priya"].pk}&amp;page=2"' in first
    second = client.get(url, {"who": workers["priya"].pk, "page": "2"}).content.decode()
    assert second.count("Priya Shah</td>") == 5
    assert "Marcus Bell</td>" not in second


def test_the_export_is_the_filtered_list_in_the_pages_words_with_no_name_in_its_file_name(
    client, sign_in, officer, workers, family
):
    _look(workers["priya"], family["yusuf"])
    _look(workers["priya"], family["yusuf"], page="search")
    _look(workers["marcus"], family["yusuf"])
    sign_in(officer)
    url = reverse("governance:who_has_seen_export", args=[family["yusuf"].public_id])
    response = client.get(url, {"who": workers["priya"].pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="who-has-seen-')
    assert "Haddad" not in disposition and "Yusuf" not in disposition
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["When", "Who", "What", "Where", "Information", "Why"]
    assert [row[1:4] for row in rows[1:]] == [
        ["Priya Shah", LISTED_WORDS, "Search results"],
        ["Priya Shah", "Looked at", "Record page"],
    ]
    assert rows[2][5] == "Allocated to their case or their team's"
    assert "priya" not in response.content.decode()


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_exported_as_text(
    client, sign_in, officer, workers, family
):
    record(
        action="break_glass",
        record_type="person",
        record_id=family["yusuf"].public_id,
        reason='=HYPERLINK("http://example.com","Police at the door")',
        flagged=True,
        rule="access:break-glass",
        actor=workers["priya"],
    )
    sign_in(officer)
    url = reverse("governance:who_has_seen_export", args=[family["yusuf"].public_id])
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode())))
    assert rows[1][5] == """'=HYPERLINK("http://example.com","Police at the door")"""
    assert rows[1][2] == "Opened in an emergency"


def test_every_export_is_recorded_against_the_person_and_listed_as_an_export(
    client, sign_in, officer, workers, family
):
    _look(workers["priya"], family["yusuf"])
    sign_in(officer)
    url = reverse("governance:who_has_seen_export", args=[family["yusuf"].public_id])
    client.get(url, {"who": workers["priya"].pk})
    client.get(url)
    exports = AuditEvent.objects.filter(
        action="export", record_type="person", record_id=str(family["yusuf"].public_id)
    ).order_by("id")
    assert [e.details["rows"] for e in exports] == [1, 2]
    assert all(e.actor == officer and e.rule == "access:governance" for e in exports)
    # The file names no one, but is about the person the officer chose by name: the look's
    # categories, as the page's.
    assert all(e.categories == sorted(categories_of(Person)) for e in exports)
    text = _page(client, family["yusuf"], action="export")
    assert "Gwen Ifans Exported who has seen this record" in text
    assert "Who has seen, exported as a spreadsheet file (CSV)" in text


def test_an_export_with_filters_that_are_not_right_goes_back_to_the_page_and_records_nothing(
    client, sign_in, officer, workers, family
):
    _look(workers["priya"], family["yusuf"])
    sign_in(officer)
    url = reverse("governance:who_has_seen_export", args=[family["yusuf"].public_id])
    response = client.get(url, {"who": "999999"})
    assert response.status_code == 302
    assert response.url.startswith(
        reverse("governance:who_has_seen", args=[family["yusuf"].public_id])
    )
    assert not AuditEvent.objects.filter(action="export").exists()


def test_only_the_information_governance_officer_may_export_who_has_seen(
    client, sign_in, workers, family, case
):
    sign_in(workers["marcus"])
    url = reverse("governance:who_has_seen_export", args=[family["yusuf"].public_id])
    assert client.get(url).status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()


def test_every_filter_box_has_its_own_id_that_its_label_and_the_error_summary_name(
    client, sign_in, officer, workers, family
):
    # A GET form, so tests/web/test_choice_ids.py (the POSTed forms) checks it here, the same
    # way: every label names an input, no id twice, each error link goes to a field.
    _look(workers["priya"], family["yusuf"])
    sign_in(officer)
    url = reverse("governance:who_has_seen", args=[family["yusuf"].public_id])
    page = check_page(client.get(url).content.decode(), "who has seen")
    for box in ("id_who_0", "id_role_0", "id_action_0", "id_since_0", "id_until_0"):
        assert box in page.labels, box
    wrong = {"who": "999999", "since_day": "3", "since_year": "2026"}
    page = check_page(client.get(url, wrong).content.decode(), "who has seen, wrong")
    assert page.summary_links == ["id_who_0", "id_since_0"]
