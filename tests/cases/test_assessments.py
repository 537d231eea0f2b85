"""The assessment service: each rule, each write with its event, nothing half-written."""

import re
from datetime import date, timedelta

import pytest

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases.assessments import (
    NeedEntry,
    complete_assessment,
    needs_by_outcome,
    record_needs,
    start_assessment,
    update_assessment,
)
from earlyhelp.cases.models import Assessment, Need, PlanGoal
from earlyhelp.datamap.registry import categories_of
from earlyhelp.policy.active import active_policy
from tests.factories import AssessmentFactory, PlanFactory

HOUSING = "secure-housing"
EDUCATION = "good-education"


@pytest.fixture
def worker(make_user, team):
    user = make_user("priya", Role.PRACTITIONER)
    team.members.add(user)
    return user


@pytest.fixture
def request_(request_as, worker):
    return request_as(worker)


@pytest.fixture
def started(request_, case):
    """An assessment started, with what completing it needs already recorded."""
    assessment = start_assessment(request_, case, started=date(2026, 9, 8))
    Assessment.objects.filter(pk=assessment.pk).update(
        child_views="Yusuf says he misses his friends",
        took_part="Amira (mother), Yusuf",
        summary="School attendance first",
    )
    assessment.refresh_from_db()
    return assessment


def events(action=None):
    found = AuditEvent.objects.filter(record_type="assessment").order_by("id")
    return list(found.filter(action=action) if action else found)


def test_starting_an_assessment_records_it_by_its_author_with_one_create_event_naming_the_case(
    request_, case, worker
):
    assessment = start_assessment(request_, case, started=date(2026, 9, 8))
    assert (assessment.kind, assessment.author, assessment.case) == ("early_help", worker, case)
    (event,) = events()
    assert (event.action, event.record_id, event.actor) == (
        "create",
        str(assessment.public_id),
        worker,
    )
    assert event.details == {"case": str(case.public_id)}
    assert sorted(event.categories) == sorted(set(categories_of(Assessment, Need)))


def test_a_review_assessment_reviews_a_completed_assessment_of_the_same_case(
    request_, case, started
):
    complete_assessment(request_, started, completed=date(2026, 10, 1))
    review = start_assessment(request_, case, started=date(2026, 11, 2), reviews=started)
    assert (review.kind, review.reviews) == ("review", started)
    assert [e.action for e in events()] == ["create", "change", "create"]


@pytest.mark.parametrize(
    ("make_reviewed", "words"),
    [
        (lambda case: AssessmentFactory(case=case), "reviews: only a completed assessment"),
        (
            lambda case: AssessmentFactory(completed=date(2026, 10, 1)),
            "reviews: a review assessment reviews an assessment of its own case",
        ),
    ],
    ids=["not completed", "another case"],
)
def test_a_review_of_an_assessment_not_completed_or_of_another_case_is_refused_and_writes_nothing(
    request_, case, make_reviewed, words
):
    reviewed = make_reviewed(case)
    with pytest.raises(ValueError, match=words):
        start_assessment(request_, case, started=date(2026, 11, 2), reviews=reviewed)
    assert Assessment.objects.count() == 1
    assert events() == []


def test_a_review_cannot_start_before_the_assessment_it_reviews_was_completed(
    request_, case, started
):
    complete_assessment(request_, started, completed=date(2026, 10, 1))
    with pytest.raises(ValueError, match=r"^started: a review cannot start before .*1 October"):
        start_assessment(request_, case, started=date(2026, 9, 30), reviews=started)


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (date.today() + timedelta(days=1), "started: an assessment cannot start after today"),
        (date(2026, 8, 31), r"started: an assessment cannot start before its case opened"),
    ],
    ids=["tomorrow", "before the case opened"],
)
def test_an_assessment_cannot_start_after_today_or_before_its_case_opened(
    request_, case, day, words
):
    with pytest.raises(ValueError, match=words):
        start_assessment(request_, case, started=day)
    assert Assessment.objects.count() == 0
    assert events() == []


def test_an_assessment_is_not_started_on_a_closed_case(request_, case):
    case.ended = date(2026, 10, 1)
    case.save()
    with pytest.raises(ValueError, match=r"^case: closed on 1 October 2026"):
        start_assessment(request_, case, started=date(2026, 9, 8))
    assert Assessment.objects.count() == 0


def test_needs_are_recorded_against_the_policys_outcomes_with_one_change_event(request_, started):
    needs = record_needs(
        request_,
        started,
        [
            NeedEntry(HOUSING, "Damp flat, eviction notice"),
            NeedEntry(EDUCATION, "Yusuf misses Mondays"),
        ],
    )
    assert [(n.outcome, n.description) for n in Need.objects.order_by("pk")] == [
        (HOUSING, "Damp flat, eviction notice"),
        (EDUCATION, "Yusuf misses Mondays"),
    ]
    assert [n.assessment for n in needs] == [started, started]
    change = events("change")
    assert len(change) == 1 and change[0].record_id == str(started.public_id)
    assert change[0].details == {"case": str(started.case.public_id)}


def test_a_need_classed_against_an_outcome_the_policy_does_not_have_is_refused_naming_the_field(
    request_, started
):
    with pytest.raises(ValueError, match=r"^outcome: 'astrology' is not a headline outcome"):
        record_needs(
            request_,
            started,
            [NeedEntry(HOUSING, "Damp flat"), NeedEntry("astrology", "Stars unaligned")],
        )
    # Neither the good need before it nor any event.
    assert Need.objects.count() == 0
    assert events("change") == []


def test_a_need_without_words_is_refused_naming_the_description(request_, started):
    with pytest.raises(ValueError, match=r"^description: a need is described in words"):
        record_needs(request_, started, [NeedEntry(HOUSING, "  \n ")])
    assert Need.objects.count() == 0


def test_a_need_of_another_assessment_cannot_be_changed_or_removed_through_this_one(
    request_, started, case
):
    other = AssessmentFactory(case=case)
    theirs = Need.objects.create(assessment=other, outcome=HOUSING, description="Theirs")
    with pytest.raises(ValueError, match=r"^need: not a need this assessment found"):
        record_needs(request_, started, [NeedEntry(EDUCATION, "Mine now", need=theirs)])
    with pytest.raises(ValueError, match=r"^need: not a need this assessment found"):
        record_needs(request_, started, [], remove=[theirs])
    theirs.refresh_from_db()
    assert (theirs.assessment, theirs.outcome, theirs.description) == (other, HOUSING, "Theirs")


def test_an_existing_need_is_changed_in_place_and_a_removed_one_is_gone(request_, started):
    kept, dropped = record_needs(
        request_, started, [NeedEntry(HOUSING, "Damp"), NeedEntry(EDUCATION, "Mondays")]
    )
    record_needs(
        request_, started, [NeedEntry(HOUSING, "Damp and overcrowded", need=kept)], remove=[dropped]
    )
    assert [(n.pk, n.description) for n in Need.objects.all()] == [
        (kept.pk, "Damp and overcrowded")
    ]


def test_a_need_a_goal_of_the_plan_works_on_stays(request_, started):
    (need,) = record_needs(request_, started, [NeedEntry(HOUSING, "Damp")])
    PlanGoal.objects.create(plan=PlanFactory(case=started.case), need=need, goal="Move")
    with pytest.raises(ValueError, match=r"^remove: a goal of the family's plan works on"):
        record_needs(request_, started, [NeedEntry(EDUCATION, "New one")], remove=[need])
    assert list(Need.objects.values_list("description", flat=True)) == ["Damp"]


def test_the_record_and_its_needs_are_written_together_or_not_at_all(request_, started):
    with pytest.raises(ValueError, match=r"^outcome:"):
        update_assessment(
            request_,
            started,
            family_views="We want help with the flat",
            needs=[NeedEntry("made-up", "x")],
        )
    started.refresh_from_db()
    assert started.family_views == ""
    assert events("change") == []
    update_assessment(
        request_,
        started,
        family_views="We want help with the flat",
        child_views="Yusuf: I want my own bed",
        needs=[NeedEntry(HOUSING, "Overcrowded")],
    )
    started.refresh_from_db()
    assert (started.family_views, started.child_views) == (
        "We want help with the flat",
        "Yusuf: I want my own bed",
    )
    assert Need.objects.get().outcome == HOUSING
    assert len(events("change")) == 1


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"family_agreed": True}, "family_agreed_on: give the date"),
        ({"family_agreed": False}, "family_agreed_on: give the date"),
        (
            {"family_agreed": None, "family_agreed_on": date(2026, 9, 8)},
            "family_agreed_on: there is no date until the family have been asked",
        ),
        (
            {"family_agreed": True, "family_agreed_on": date.today() + timedelta(days=1)},
            "family_agreed_on: cannot be after today",
        ),
        (
            {"family_agreed": True, "family_agreed_on": date(2026, 8, 1)},
            "family_agreed_on: cannot be before the case opened",
        ),
        ({"family_agreed": "maybe", "family_agreed_on": date(2026, 9, 8)}, "family_agreed: must"),
        ({"needs_text": "x"}, "needs_text: not a field"),
        ({"completed": date(2026, 9, 9)}, "completed: not a field"),
        ({"strengths": None}, "strengths: must be text"),
    ],
)
def test_the_familys_agreement_is_dated_once_asked_and_only_known_fields_change(
    request_, started, fields, words
):
    with pytest.raises(ValueError, match=f"^{words}"):
        update_assessment(request_, started, **fields)
    started.refresh_from_db()
    assert (started.family_agreed, started.family_agreed_on, started.completed) == (
        None,
        None,
        None,
    )


def test_the_family_agreeing_to_work_together_is_recorded_with_its_date(request_, started):
    update_assessment(request_, started, family_agreed=True, family_agreed_on=date(2026, 9, 8))
    started.refresh_from_db()
    assert (started.family_agreed, started.family_agreed_on) == (True, date(2026, 9, 8))


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (date(2026, 9, 7), "completed: cannot be before the assessment started .8 September"),
        (date.today() + timedelta(days=1), "completed: an assessment cannot be completed after"),
    ],
    ids=["before it started", "tomorrow"],
)
def test_an_assessment_is_completed_on_or_after_its_start_and_not_after_today(
    request_, started, day, words
):
    with pytest.raises(ValueError, match=f"^{words}"):
        complete_assessment(request_, started, completed=day)
    started.refresh_from_db()
    assert started.completed is None
    assert events("change") == []


def test_a_completed_assessment_cannot_be_changed_completed_again_or_given_needs(request_, started):
    complete_assessment(request_, started, completed=date(2026, 9, 8))
    refused = r"^assessment: completed on 8 September 2026"
    with pytest.raises(ValueError, match=refused):
        update_assessment(request_, started, summary="Later thoughts")
    with pytest.raises(ValueError, match=refused):
        record_needs(request_, started, [NeedEntry(HOUSING, "Damp")])
    with pytest.raises(ValueError, match=refused):
        complete_assessment(request_, started, completed=date(2026, 9, 9))
    started.refresh_from_db()
    assert (started.summary, started.completed, Need.objects.count()) == (
        "School attendance first",
        date(2026, 9, 8),
        0,
    )
    assert len(events("change")) == 1


def test_a_started_date_changed_on_the_record_follows_the_same_rules(request_, started):
    with pytest.raises(ValueError, match=r"^started: an assessment cannot start before its case"):
        update_assessment(request_, started, started=date(2026, 1, 1))
    update_assessment(request_, started, started=date(2026, 9, 1))
    started.refresh_from_db()
    assert started.started == date(2026, 9, 1)


def test_needs_are_grouped_under_the_policys_names_in_the_policys_order(started):
    for outcome in (HOUSING, EDUCATION, HOUSING, "gone-from-the-policy"):
        Need.objects.create(assessment=started, outcome=outcome, description=outcome)
    names = [name for name, _ in needs_by_outcome(started.found_needs.all())]
    policy = active_policy().casework
    assert names == [
        policy.headline_outcome(EDUCATION).name,
        policy.headline_outcome(HOUSING).name,
        "An outcome the policy no longer names",
    ]
    grouped = dict(needs_by_outcome(started.found_needs.all()))
    assert len(grouped[policy.headline_outcome(HOUSING).name]) == 2


def test_free_text_is_stored_encrypted(request_, started):
    from django.db import connection

    update_assessment(
        request_,
        started,
        child_views="I want my own bed",
        needs=[NeedEntry(HOUSING, "Overcrowded flat")],
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT child_views FROM cases_assessment WHERE id = %s", [started.pk])
        (stored,) = cursor.fetchone()
        cursor.execute("SELECT description FROM cases_need")
        (description,) = cursor.fetchone()
    assert stored and description
    assert "own bed" not in str(stored) and "Overcrowded" not in str(description)


@pytest.mark.parametrize(
    ("blank", "words"),
    [
        ("child_views", "the child's views, wishes and feelings (or why they were not asked)"),
        ("took_part", "who took part"),
        ("summary", "the summary of what the assessment found"),
    ],
)
def test_an_assessment_is_not_completed_without_the_childs_views_who_took_part_or_a_summary(
    request_, started, blank, words
):
    Assessment.objects.filter(pk=started.pk).update(**{blank: "  "})
    started.refresh_from_db()
    before = len(events())
    with pytest.raises(ValueError, match=rf"^{blank}: record {re.escape(words)} before completing"):
        complete_assessment(request_, started, completed=date(2026, 10, 1))
    started.refresh_from_db()
    assert started.completed is None and len(events()) == before
