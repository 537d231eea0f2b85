"""The IG officer's list of requests received from partners, filtered as the rights
requests' list is: by status in words (open, waiting for approval, waiting for an answer,
answered ...), due this week and overdue against the answer's due day (the policy's time to
answer), and by the kind of organisation asking; each filter counted; pages keep the
filters; an unknown filter is ignored; a manager sees only their teams' people; a restricted
record tells only that it is open and when it is due."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.people.models import Person
from earlyhelp.sharing import partner_requests, partner_views
from earlyhelp.sharing.models import PartnerRequest
from tests.factories import RestrictionFactory

LIST = "sharing:partner_requests"
POLICE = "criminal-justice"
SCHOOL = "education"


@pytest.fixture
def officer(make_user, sign_in):
    user = make_user("ines", Role.INFORMATION_GOVERNANCE)
    sign_in(user)
    return user


def _asked(person: Person, logger, organisation: str, *, due_in: int = 5, **changes):
    """A request about `person` from `organisation`, due `due_in` days from today."""
    today = timezone.localdate()
    fields = {
        "person": person,
        "recipient": POLICE,
        "organisation": organisation,
        "requester": "DC Rowe",
        "requester_contact": "rowe@police.example",
        "basis": "crime-and-taxation",
        "basis_law": "Data Protection Act 2018 Schedule 2 paragraph 2",
        "form_reference": "DP-1",
        "asked": "Dates of contact",
        "received_on": today - timedelta(days=3),
        "due_on": today + timedelta(days=due_in),
        "policy_version": "test",
        "logged_by": logger,
        "approval": PartnerRequest.Approval.NOT_NEEDED,
        **changes,
    }
    return PartnerRequest.objects.create(**fields)


def _text(response) -> str:
    assert response.status_code == 200
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _listed(client, **query) -> str:
    return _text(client.get(reverse(LIST), query))


def _count(client, slug: str, **query) -> int:
    page = client.get(reverse(LIST), query).content.decode()
    return int(re.search(rf'data-count="{slug}">(\d+)<', page).group(1))


@pytest.fixture
def spread(family, make_user):
    """One request in each state, each from an organisation named after it."""
    logger = make_user("lou")
    yusuf, leila, mum = family["yusuf"], family["leila"], family["mum"]
    today = timezone.localdate()
    week_end = partner_requests.end_of_week(today)
    return {
        "late": _asked(yusuf, logger, "Late Police", due_in=-2),
        "this week": _asked(leila, logger, "Soon Police", due_in=(week_end - today).days),
        "later": _asked(
            mum,
            logger,
            "Camden School",
            due_in=(week_end - today).days + 3,
            recipient=SCHOOL,
            approval=PartnerRequest.Approval.WAITING,
        ),
        "shared": _asked(yusuf, logger, "Shared Police", status=PartnerRequest.Status.SHARED),
        "refused": _asked(leila, logger, "Refused Police", status=PartnerRequest.Status.REFUSED),
    }


def test_the_list_shows_open_requests_by_default_soonest_due_first(client, officer, spread):
    page = _listed(client)
    assert page.index("Late Police") < page.index("Soon Police") < page.index("Camden School")
    assert "Shared Police" not in page and "Refused Police" not in page


def test_overdue_and_due_this_week_are_against_the_answers_due_day(client, officer, spread):
    overdue = _listed(client, show="overdue")
    assert "Late Police" in overdue and "Soon Police" not in overdue
    this_week = _listed(client, show="due-this-week")
    assert "Soon Police" in this_week
    assert "Late Police" not in this_week and "Camden School" not in this_week
    assert _count(client, "overdue") == 1 and _count(client, "due-this-week") >= 1


def test_each_status_filter_keeps_its_requests_and_is_counted(client, officer, spread):
    expected = {
        "open": {"Late Police", "Soon Police", "Camden School"},
        "awaiting-approval": {"Camden School"},
        "awaiting-answer": {"Late Police", "Soon Police"},
        "shared": {"Shared Police"},
        "not-shared": {"Refused Police"},
        "answered": {"Shared Police", "Refused Police"},
        "all": {"Late Police", "Soon Police", "Camden School", "Shared Police", "Refused Police"},
    }
    names = {r.organisation for r in spread.values()}
    for show, kept in expected.items():
        page = _listed(client, show=show)
        assert {n for n in names if n in page} == kept, show
        if show in partner_requests.COUNTED:
            assert _count(client, show) == len(kept), show


def test_statuses_are_in_words_in_the_filter_and_the_rows(client, officer, spread):
    page = _listed(client, show="all")
    assert "Waiting for approval" in page
    assert "Answered: information shared" in page and "Answered: not shared" in page
    assert "not_needed" not in page and "awaiting-approval" not in page


def test_the_list_filters_by_the_kind_of_organisation_asking(client, officer, spread):
    page = _listed(client, show="all", kind=SCHOOL)
    assert "Camden School" in page and "Late Police" not in page
    # The kinds are the notice's groups, by name, and the counts follow the kind chosen.
    assert "Education and schools" in page
    assert _count(client, "open", kind=SCHOOL) == 1
    assert _count(client, "open", kind=POLICE) == 2


@pytest.mark.parametrize(
    "query",
    [
        {"show": "everything-ever"},
        {"kind": "martians"},
        {"show": "<script>", "kind": "", "page": "not-a-number"},
        {"page": "999"},
    ],
)
def test_an_unknown_filter_value_is_ignored_and_the_open_list_shown(client, officer, spread, query):
    page = _listed(client, **query)
    assert "Late Police" in page and "Shared Police" not in page
    assert "Traceback" not in page


def test_the_pages_keep_the_filters(client, officer, spread, family, make_user, monkeypatch):
    monkeypatch.setattr(partner_views, "LIST_PAGE", 1)
    first = client.get(reverse(LIST), {"show": "all", "kind": POLICE}).content.decode()
    assert "Page 1 of 4" in first
    assert "?show=all&amp;kind=criminal-justice&amp;page=2" in first
    second = _listed(client, show="all", kind=POLICE, page=2)
    assert "Page 2 of 4" in second and "Camden School" not in second


def test_a_manager_sees_only_requests_about_people_on_their_teams_cases(
    client, sign_in, make_user, team, case, family, spread
):
    stranger = Person.objects.create(given_name="Olu", family_name="Ade")
    _asked(stranger, make_user("lou2"), "Stranger Police")
    boss = make_user("bea", Role.TEAM_MANAGER)
    team.members.add(boss)
    sign_in(boss)
    page = _listed(client, show="all")
    assert "Late Police" in page and "Stranger Police" not in page
    assert "Olu" not in page
    assert _count(client, "open") == 3


def test_a_restricted_record_tells_only_that_it_is_open_and_when_due(
    client, officer, make_user, family, spread
):
    keeper = make_user("keeper", Role.TEAM_MANAGER)
    RestrictionFactory(person=family["mum"], created_by=keeper, named_users=[keeper])
    page = _listed(client)
    assert "A restricted record" in page and "Amira" not in page
    assert "Camden School" not in page
    # Filters that would tell its approval or who asked leave it out.
    assert "A restricted record" not in _listed(client, show="awaiting-approval")
    assert "A restricted record" not in _listed(client, show="all", kind=SCHOOL)
    assert _count(client, "awaiting-approval") == 0


def test_a_look_is_recorded_only_for_the_people_on_the_page(
    client, officer, spread, family, monkeypatch
):
    monkeypatch.setattr(partner_views, "LIST_PAGE", 1)
    client.get(reverse(LIST), {"show": "overdue"})
    looked = set(
        AuditEvent.objects.filter(
            action="view", details__page="partner-requests", actor=officer
        ).values_list("record_id", flat=True)
    )
    assert looked == {str(family["yusuf"].public_id)}


def test_groups_the_policy_no_longer_lists_are_one_choice_and_a_restricted_ones_none(
    client, officer, family, make_user
):
    from tests.factories import RestrictionFactory

    logger = make_user("logger-retired")
    _asked(family["mum"], logger, "Old Board A", recipient="retired-board-a")
    _asked(family["dad"], logger, "Old Board B", recipient="retired-board-b")
    page = _listed(client, show="all")
    assert page.count("An organisation no longer in the policy") == 1
    listed = _listed(client, show="all", kind="no-longer-listed")
    assert "Old Board A" in listed and "Old Board B" in listed
    # Only a restricted person's request holds a retired group: no choice is offered for it.
    RestrictionFactory(person=family["mum"])
    RestrictionFactory(person=family["dad"])
    assert "An organisation no longer in the policy" not in _listed(client, show="all")
