from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.roles import Role
from earlyhelp.cases.choices import closure_reason_name
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


def _youth_justice_attendance(family):
    session = GroupSessionFactory(
        service="youth-justice",
        kind="youth_project",
        title="Knife crime awareness, week 2",
        venue="Kentish Town Library",
        held_on=date(2026, 10, 14),
    )
    AttendanceFactory(session=session, person=family["yusuf"], status="attended")


@pytest.mark.parametrize("page", ["people:person_chronology", "people:household_chronology"])
def test_attendance_at_a_session_whose_service_reveals_offending_says_only_its_parent_service(
    client, practitioner, family, page
):
    _youth_justice_attendance(family)
    record = family["yusuf"] if page == "people:person_chronology" else family["household"]
    html = client.get(reverse(page, args=[record.public_id])).content.decode()
    assert "Yusuf attended a session of Integrated Youth Support Services" in html
    assert "Knife crime" not in html and "Youth Justice" not in html


def test_a_worker_of_the_sub_services_team_sees_the_sessions_title_in_the_chronology(
    client, make_user, sign_in, family, case
):
    from earlyhelp.cases.services import open_case
    from tests.factories import TeamFactory

    youth_justice = TeamFactory(name="Youth Justice North", service="youth-justice")
    worker = make_user("kofi", Role.PRACTITIONER)
    youth_justice.members.add(worker)
    open_case(
        service="youth-justice",
        household=None,
        children=[family["yusuf"]],
        reason="Referral order",
        team=youth_justice,
        started=date(2026, 9, 1),
        created_by=None,
        allocated_worker=worker,
    )
    _youth_justice_attendance(family)
    sign_in(worker)
    url = reverse("people:person_chronology", args=[family["yusuf"].public_id])
    assert "Yusuf attended Knife crime awareness, week 2" in client.get(url).content.decode()


def test_with_no_reader_a_revealing_sessions_attendance_is_said_by_its_parent_service(family):
    _youth_justice_attendance(family)
    [event] = person_chronology(family["yusuf"], {"attendance"})
    assert (event.title, event.summary) == (
        "Session",
        "Yusuf attended a session of Integrated Youth Support Services",
    )


def test_a_case_closed_and_reopened_keeps_both_in_the_chronology_and_plan_reviews_show(
    client, practitioner, case, family, make_user
):
    from earlyhelp.cases.models import PlanReview, Reopening

    plan = PlanFactory(case=case, agreed=date(2026, 9, 10), review_date=date(2026, 10, 22))
    PlanReview.objects.create(
        plan=plan, reviewed_on=date(2026, 10, 22), next_review=date(2026, 12, 3)
    )
    Reopening.objects.create(
        case=case,
        reason="School raised new worries",
        was_ended=date(2026, 10, 30),
        was_closure_reason="needs-met",
        reopened_by=make_user("mo", Role.TEAM_MANAGER),
        reopened_at=at(date(2026, 11, 12)),
    )
    events = person_chronology(family["yusuf"], {"case", "plan"})
    said = [(e.when.date(), e.title, e.summary) for e in events]
    assert said == [
        (date(2026, 11, 12), "Case reopened", "School raised new worries"),
        (date(2026, 10, 30), "Case closed", closure_reason_name("needs-met")),
        (date(2026, 10, 22), "Plan reviewed", "Next review due 3 December 2026"),
        (date(2026, 9, 10), "Plan agreed", "Review due 22 October 2026"),
        (date(2026, 9, 1), "Case opened", ""),
    ]
    page = client.get(reverse("people:person_chronology", args=[family["yusuf"].public_id]))
    assert "Case reopened" in page.content.decode()
