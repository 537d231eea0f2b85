from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.cases.chronology import household_chronology, person_chronology, with_notes
from earlyhelp.cases.services import record_contact
from tests.factories import AssessmentFactory, AttendanceFactory, GroupSessionFactory, PlanFactory


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def test_chronology_holds_every_kind_of_event_newest_first(case, family):
    record_contact(
        case=case, author=None, kind="phone_call", occurred_at=at(date(2026, 10, 2)), note="Call"
    )
    AssessmentFactory(
        case=case, kind="early_help", started=date(2026, 9, 5), completed=date(2026, 9, 20)
    )
    PlanFactory(case=case, agreed=date(2026, 9, 25), review_date=date(2026, 12, 1))
    session = GroupSessionFactory(
        service="integrated-early-years",
        kind="stay_and_play",
        title="Stay and play",
        venue="Queen's Crescent",
        held_on=date(2026, 10, 10),
    )
    AttendanceFactory(session=session, person=family["leila"])
    events = household_chronology(family["household"])
    assert [e.kind for e in events] == [
        "attendance",
        "contact",
        "plan",
        "assessment",
        "assessment",
        "case",
    ]
    assert [e.when for e in events] == sorted((e.when for e in events), reverse=True)


def test_chronology_filtered_by_type_shows_only_that_type(case, family):
    record_contact(
        case=case, author=None, kind="home_visit", occurred_at=at(date(2026, 10, 2)), note="Visit"
    )
    assert {e.kind for e in household_chronology(family["household"], {"contact"})} == {"contact"}


def test_child_chronology_leaves_out_cases_the_child_is_not_on(case, family):
    record_contact(
        case=case, author=None, kind="home_visit", occurred_at=at(date(2026, 10, 2)), note="Visit"
    )
    assert person_chronology(family["dad"]) == []
    assert any(e.kind == "contact" for e in person_chronology(family["yusuf"]))


@pytest.mark.django_db
def test_chronology_page_is_paginated(client, practitioner, case, family):
    start = at(date(2026, 9, 2))
    for n in range(30):
        record_contact(
            case=case,
            author=None,
            kind="phone_call",
            occurred_at=start + timedelta(hours=n),
            note=f"Call {n}",
        )
    url = reverse("people:household_chronology", args=[family["household"].public_id])
    first = client.get(url).content.decode()
    assert "31 events" in first and "Page 1 of 2" in first and "Call 29" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert "Case opened" in second and "Call 29" not in second


def test_a_long_note_is_cut_at_a_word_with_an_ellipsis(case, family):
    note = "Visit. " + "Leila played with the blocks while we talked. " * 20
    record_contact(
        case=case, author=None, kind="home_visit", occurred_at=at(date(2026, 10, 2)), note=note
    )
    summary = with_notes(household_chronology(family["household"], {"contact"}))[0].summary
    assert summary.endswith("…")
    assert note.startswith(summary[:-1])
    assert summary[:-1].split()[-1] in note.split()
