"""The assessment pages: start from the case, record with needs by outcome, complete, read.

Refused writes (another team, break-glass, a restriction) write nothing: no assessment,
no need, no event.
"""

import re
import shutil
from datetime import date, timedelta
from html import unescape
from pathlib import Path

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases.assessments import NeedEntry, record_needs
from earlyhelp.cases.models import Assessment, Need
from earlyhelp.policy.active import active_policy
from tests.factories import AssessmentFactory, RestrictionFactory, TeamFactory

HOUSING = "secure-housing"
EDUCATION = "good-education"


def day(prefix: str, on: date) -> dict:
    return {
        f"{prefix}_day": str(on.day),
        f"{prefix}_month": str(on.month),
        f"{prefix}_year": str(on.year),
    }


def record_form(needs=(), **overrides) -> dict:
    """The record form as a worker fills it: the needs as (outcome, description[, id, remove])."""
    data = {
        **day("started", date(2026, 9, 8)),
        "took_part": "Amira (mum), Yusuf, school family worker",
        "family_views": "Amira wants help with the flat",
        "child_views": "Yusuf: I want my own room",
        "strengths": "Close to their grandmother",
        "summary": "Housing and school attendance",
        "family_agreed": "yes",
        **day("family_agreed_on", date(2026, 9, 8)),
        "needs-TOTAL_FORMS": str(len(needs)),
        "needs-INITIAL_FORMS": str(sum(1 for n in needs if len(n) > 2)),
        "needs-MIN_NUM_FORMS": "0",
        "needs-MAX_NUM_FORMS": "60",
    }
    for i, need in enumerate(needs):
        data[f"needs-{i}-outcome"] = need[0]
        data[f"needs-{i}-description"] = need[1]
        data[f"needs-{i}-need"] = need[2] if len(need) > 2 else ""
        if len(need) > 3 and need[3]:
            data[f"needs-{i}-remove"] = "on"
    return {**data, **overrides}


@pytest.fixture
def assessment(case):
    return AssessmentFactory(case=case, started=date(2026, 9, 8))


def nothing_written(before_events: int) -> None:
    """No assessment was added or changed since the event `before_events`."""
    assert not AuditEvent.objects.filter(
        id__gt=before_events, action__in=["create", "change"]
    ).exists()


def last_event_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


# -- the practitioner's journey -----------------------------------------------------------------


def test_practitioner_starts_records_and_completes_an_assessment_and_the_case_lists_it(
    client, practitioner, case
):
    response = client.post(
        reverse("cases:start_assessment", args=[case.public_id]),
        {"reviews": "new", **day("started", date(2026, 9, 8))},
    )
    assessment = Assessment.objects.get()
    assert response.url == reverse("cases:edit_assessment", args=[assessment.public_id])
    assert (assessment.kind, assessment.author) == ("early_help", practitioner)

    response = client.post(
        response.url,
        record_form(
            needs=[(HOUSING, "Damp, overcrowded flat"), (EDUCATION, "Misses Mondays"), ("", "")]
        ),
    )
    assert response.url == reverse("cases:assessment", args=[assessment.public_id])
    assessment.refresh_from_db()
    assert assessment.child_views == "Yusuf: I want my own room"
    assert (assessment.family_agreed, assessment.family_agreed_on) == (True, date(2026, 9, 8))
    assert sorted(Need.objects.values_list("outcome", "description")) == [
        (EDUCATION, "Misses Mondays"),
        (HOUSING, "Damp, overcrowded flat"),
    ]

    complete = reverse("cases:complete_assessment", args=[assessment.public_id])
    response = client.post(complete, day("completed", date(2026, 9, 20)))
    assert response.url == reverse("cases:assessment", args=[assessment.public_id])
    assessment.refresh_from_db()
    assert assessment.completed == date(2026, 9, 20)

    page = text_of(client.get(reverse("cases:assessment", args=[assessment.public_id])))
    assert "Assessment completed" in page
    assert "Completed 20 September 2026" in page
    assert "Yusuf: I want my own room" in page
    assert "The family agreed to work together with the service on 8 September 2026" in page
    housing = active_policy().casework.headline_outcome(HOUSING).name
    assert housing in page and HOUSING not in page and EDUCATION not in page
    assert "Start a review assessment" in page and "Change the assessment" not in page

    case_page = client.get(reverse("cases:case", args=[case.public_id])).content.decode()
    assert reverse("cases:assessment", args=[assessment.public_id]) in case_page
    assert f"{housing}: Damp, overcrowded flat" in unescape(case_page)
    assert reverse("cases:start_assessment", args=[case.public_id]) in case_page
    assert HOUSING not in case_page


def test_each_write_leaves_its_event_against_the_assessment_naming_the_case(
    client, practitioner, case
):
    client.post(
        reverse("cases:start_assessment", args=[case.public_id]),
        {"reviews": "new", **day("started", date(2026, 9, 8))},
    )
    assessment = Assessment.objects.get()
    client.post(
        reverse("cases:edit_assessment", args=[assessment.public_id]),
        record_form(needs=[(HOUSING, "Damp")]),
    )
    client.post(
        reverse("cases:complete_assessment", args=[assessment.public_id]),
        day("completed", date(2026, 9, 20)),
    )
    writes = AuditEvent.objects.filter(action__in=["create", "change"]).order_by("id")
    assert [(e.action, e.record_type, e.record_id, e.actor) for e in writes] == [
        ("create", "assessment", str(assessment.public_id), practitioner),
        ("change", "assessment", str(assessment.public_id), practitioner),
        ("change", "assessment", str(assessment.public_id), practitioner),
    ]
    assert all(e.details == {"case": str(case.public_id)} for e in writes)


def test_a_review_assessment_is_started_from_a_completed_one(client, practitioner, case):
    first = AssessmentFactory(case=case, started=date(2026, 9, 8), completed=date(2026, 9, 20))
    url = reverse("cases:start_assessment", args=[case.public_id])
    page = text_of(client.get(url))
    assert "A review of the early help assessment completed 20 September 2026" in page
    response = client.post(
        url, {"reviews": str(first.public_id), **day("started", date(2026, 11, 2))}
    )
    review = Assessment.objects.get(reviews=first)
    assert review.kind == "review"
    assert response.url == reverse("cases:edit_assessment", args=[review.public_id])
    detail = text_of(client.get(reverse("cases:assessment", args=[first.public_id])))
    assert "Review assessment started 2 November 2026" in detail


def test_a_review_cannot_start_before_the_assessment_it_reviews_was_completed(
    client, practitioner, case
):
    first = AssessmentFactory(case=case, started=date(2026, 9, 8), completed=date(2026, 9, 20))
    response = client.post(
        reverse("cases:start_assessment", args=[case.public_id]),
        {"reviews": str(first.public_id), **day("started", date(2026, 9, 19))},
    )
    assert (
        "The date the assessment started must be the same as or after the date the assessment "
        "it reviews was completed (20 September 2026)"
    ) in text_of(response)
    assert Assessment.objects.count() == 1


# -- bad input names the field -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("started", "words"),
    [
        (
            date.today() + timedelta(days=1),
            "The date the assessment started must be today or in the past",
        ),
        (
            date(2026, 8, 31),
            "The date the assessment started must be between the date the case opened "
            "(1 September 2026) and today",
        ),
    ],
    ids=["tomorrow", "before the case opened"],
)
def test_an_assessment_starting_after_today_or_before_the_case_is_refused_by_name(
    client, practitioner, case, started, words
):
    before = last_event_id()
    response = client.post(
        reverse("cases:start_assessment", args=[case.public_id]),
        {"reviews": "new", **day("started", started)},
    )
    assert response.status_code == 200
    assert words in text_of(response)
    assert Assessment.objects.count() == 0
    nothing_written(before)


def test_a_need_half_filled_and_an_undated_agreement_are_named_and_nothing_is_saved(
    client, practitioner, assessment
):
    before = last_event_id()
    response = client.post(
        reverse("cases:edit_assessment", args=[assessment.public_id]),
        record_form(
            needs=[(HOUSING, "Damp"), (EDUCATION, ""), ("", "Money is tight")],
            family_agreed_on_day="",
            family_agreed_on_month="",
            family_agreed_on_year="",
        ),
    )
    page = text_of(response)
    assert "Need 2: describe the need" in page
    assert "Need 3: select the headline outcome it is classed against" in page
    assert "Enter the date the family said whether they agree" in page
    assert "There is a problem" in page
    assessment.refresh_from_db()
    assert assessment.family_views == "" and Need.objects.count() == 0
    nothing_written(before)


def test_an_outcome_id_the_policy_does_not_have_is_refused_naming_the_need(
    client, practitioner, assessment
):
    before = last_event_id()
    response = client.post(
        reverse("cases:edit_assessment", args=[assessment.public_id]),
        record_form(needs=[("astrology", "Stars")]),
    )
    page = text_of(response)
    assert "Need 1: select one of the headline outcomes shown" in page
    assert "astrology" not in page.replace("Stars", "")
    assert Need.objects.count() == 0
    nothing_written(before)


def test_completing_before_the_start_is_refused_naming_the_dates(client, practitioner, assessment):
    response = client.post(
        reverse("cases:complete_assessment", args=[assessment.public_id]),
        day("completed", date(2026, 9, 7)),
    )
    assert (
        "The date the assessment was completed must be the same as or after the date the "
        "assessment started (8 September 2026)"
    ) in text_of(response)
    assessment.refresh_from_db()
    assert assessment.completed is None


# -- what the form offers ------------------------------------------------------------------------


def test_the_outcome_choices_are_the_policys_headline_outcomes_by_their_names(
    client, practitioner, assessment
):
    page = client.get(reverse("cases:edit_assessment", args=[assessment.public_id]))
    select = re.search(
        r'<select name="needs-0-outcome".*?</select>', page.content.decode(), re.DOTALL
    ).group()
    options = [
        (v, unescape(n))
        for v, n in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)
    ]
    assert options == [("", "Choose a headline outcome")] + [
        (o.id, o.name) for o in active_policy().casework.headline_outcomes
    ]
    assert len(options) == 11


def test_an_outcome_renamed_in_the_policy_is_offered_and_shown_by_its_new_name(
    client, practitioner, assessment, settings, tmp_path
):
    record_needs(None, assessment, [NeedEntry(HOUSING, "Damp")])
    policy = tmp_path / "policy.toml"
    shutil.copy(settings.POLICY_PATH, policy)
    text = Path(policy).read_text(encoding="utf-8")
    assert 'name = "Secure housing"' in text
    policy.write_text(text.replace('name = "Secure housing"', 'name = "A safe, settled home"'))
    settings.POLICY_PATH = str(policy)
    form = text_of(client.get(reverse("cases:edit_assessment", args=[assessment.public_id])))
    detail = text_of(client.get(reverse("cases:assessment", args=[assessment.public_id])))
    assert "A safe, settled home" in form and "Secure housing" not in form
    assert "A safe, settled home" in detail and "Secure housing" not in detail


def test_the_agreement_is_asked_as_working_together_not_as_the_legal_basis(
    client, practitioner, assessment
):
    assessment.child_views = "Yusuf: I like my school"
    assessment.family_agreed, assessment.family_agreed_on = False, date(2026, 9, 9)
    assessment.save()
    response = client.get(reverse("cases:edit_assessment", args=[assessment.public_id]))
    assert re.search(r'value="no"\s+checked', response.content.decode())
    assert re.search(r'name="family_agreed_on_day"[^>]* value="9"', response.content.decode())
    page = text_of(response)
    assert "Yusuf: I like my school" in page
    assert "Do the family agree to work together with the service?" in page
    assert "It is not the legal basis for recording their information" in page
    assert "The child's views, wishes and feelings" in page
    assert "Who took part" in page


def test_existing_needs_are_offered_to_change_or_remove(client, practitioner, assessment):
    kept, dropped = record_needs(
        None, assessment, [NeedEntry(HOUSING, "Damp"), NeedEntry(EDUCATION, "Mondays")]
    )
    page = client.get(reverse("cases:edit_assessment", args=[assessment.public_id]))
    content = page.content.decode()
    assert "Remove this need" in content
    assert f'value="{kept.public_id}"' in content and ">\nDamp</textarea>" in content
    response = client.post(
        reverse("cases:edit_assessment", args=[assessment.public_id]),
        record_form(
            needs=[
                (HOUSING, "Damp and overcrowded", str(kept.public_id)),
                (EDUCATION, "Mondays", str(dropped.public_id), True),
                ("", ""),
            ],
            then="more-needs",
        ),
    )
    assert response.url == reverse("cases:edit_assessment", args=[assessment.public_id])
    assert list(Need.objects.values_list("pk", "description")) == [
        (kept.pk, "Damp and overcrowded")
    ]


def test_a_need_of_another_assessment_cannot_be_sent_in_this_ones_form(
    client, practitioner, assessment, case
):
    other = AssessmentFactory(case=case)
    (theirs,) = record_needs(None, other, [NeedEntry(HOUSING, "Theirs")])
    response = client.post(
        reverse("cases:edit_assessment", args=[assessment.public_id]),
        record_form(needs=[(EDUCATION, "Mine now", str(theirs.public_id))]),
    )
    assert "Need 1 is not one of this assessment's" in text_of(response)
    theirs.refresh_from_db()
    assert (theirs.assessment, theirs.description) == (other, "Theirs")


def test_a_completed_assessment_opens_read_only_and_cannot_be_posted_to(
    client, practitioner, assessment
):
    assessment.completed = date(2026, 9, 20)
    assessment.save()
    before = last_event_id()
    for route in ("cases:edit_assessment", "cases:complete_assessment"):
        url = reverse(route, args=[assessment.public_id])
        response = client.post(url, record_form(needs=[(HOUSING, "Late")]))
        assert response.url == reverse("cases:assessment", args=[assessment.public_id])
    assert Need.objects.count() == 0
    nothing_written(before)
    page = text_of(client.get(reverse("cases:assessment", args=[assessment.public_id])))
    assert "completed on 20 September 2026 and can no longer be changed" in page


# -- need-to-know: refused writes write nothing -------------------------------------------------


@pytest.fixture
def outsider(client, make_user, sign_in, case):
    user = make_user("olu", Role.PRACTITIONER)
    TeamFactory(name="South youth", service="iyss").members.add(user)
    sign_in(user)
    return user


def test_a_practitioner_of_another_team_is_refused_every_assessment_page_and_writes_nothing(
    client, outsider, case, assessment
):
    before = last_event_id()
    gets = [
        reverse("cases:start_assessment", args=[case.public_id]),
        reverse("cases:assessment", args=[assessment.public_id]),
        reverse("cases:edit_assessment", args=[assessment.public_id]),
        reverse("cases:complete_assessment", args=[assessment.public_id]),
    ]
    for url in gets:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Yusuf" not in response.content.decode()
    posts = [
        (gets[0], {"reviews": "new", **day("started", date(2026, 9, 8))}),
        (gets[2], record_form(needs=[(HOUSING, "Damp")])),
        (gets[3], day("completed", date(2026, 9, 20))),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert list(Assessment.objects.all()) == [assessment]
    assessment.refresh_from_db()
    assert (assessment.family_views, assessment.completed) == ("", None)
    assert Need.objects.count() == 0
    nothing_written(before)
    refusals = AuditEvent.objects.filter(id__gt=before, rule="access:refused")
    assert refusals.count() == 7
    assert set(refusals.values_list("record_id", flat=True)) == {str(case.public_id)}


def test_under_break_glass_an_assessment_can_be_read_but_not_started_or_changed(
    client, outsider, case, assessment, family
):
    client.post(
        reverse("people:break_glass", args=[family["yusuf"].public_id]),
        {"reason": "Police at school, worker off sick"},
    )
    before = last_event_id()
    detail = client.get(reverse("cases:assessment", args=[assessment.public_id]))
    assert detail.status_code == 200
    assert "You opened this record in an emergency" in detail.content.decode()
    assert "Change the assessment" not in detail.content.decode()
    look = AuditEvent.objects.get(id__gt=before, record_type="assessment")
    assert look.flagged and look.rule == "access:break-glass"
    case_page = client.get(reverse("cases:case", args=[case.public_id])).content.decode()
    assert reverse("cases:start_assessment", args=[case.public_id]) not in case_page
    before = last_event_id()
    posts = [
        (
            reverse("cases:start_assessment", args=[case.public_id]),
            {"reviews": "new", **day("started", date(2026, 9, 8))},
        ),
        (
            reverse("cases:edit_assessment", args=[assessment.public_id]),
            record_form(needs=[(HOUSING, "Damp")]),
        ),
        (
            reverse("cases:complete_assessment", args=[assessment.public_id]),
            day("completed", date(2026, 9, 20)),
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert list(Assessment.objects.all()) == [assessment]
    assert Need.objects.count() == 0
    nothing_written(before)


def test_a_restricted_child_closes_the_assessment_pages_to_their_own_team_and_nothing_is_written(
    client, manager, make_user, case, assessment, family
):
    keeper = make_user("keeper", Role.TEAM_MANAGER)
    RestrictionFactory(person=family["yusuf"], reason="Works here", created_by=keeper)
    before = last_event_id()
    start = reverse("cases:start_assessment", args=[case.public_id])
    edit = reverse("cases:edit_assessment", args=[assessment.public_id])
    assert client.get(reverse("cases:assessment", args=[assessment.public_id])).status_code == 403
    assert (
        client.post(start, {"reviews": "new", **day("started", date(2026, 9, 8))}).status_code
        == 403
    )
    assert client.post(edit, record_form(needs=[(HOUSING, "Damp")])).status_code == 403
    assert list(Assessment.objects.all()) == [assessment]
    assert Need.objects.count() == 0
    nothing_written(before)


# -- the look --------------------------------------------------------------------------------------


def test_reading_an_assessment_records_a_look_at_it_and_at_each_person_on_the_case(
    client, practitioner, assessment, family
):
    before = last_event_id()
    client.get(reverse("cases:assessment", args=[assessment.public_id]))
    looks = AuditEvent.objects.filter(id__gt=before, action="view")
    assert looks.filter(record_type="assessment", record_id=str(assessment.public_id)).count() == 1
    people = set(looks.filter(record_type="person").values_list("record_id", flat=True))
    assert people == {str(family[p].public_id) for p in ("mum", "yusuf", "leila")}
    assert all(look.details == {"page": "assessment_detail"} for look in looks)
    assert not any(look.flagged for look in looks)


# -- words, not codes ------------------------------------------------------------------------------


def test_the_assessment_pages_and_the_case_page_show_words_never_codes(
    client, practitioner, case, assessment
):
    from tests.web.test_words_not_codes import assert_no_codes, visible

    record_needs(
        None,
        assessment,
        [
            NeedEntry(o.id, f"Need about {o.name}")
            for o in active_policy().casework.headline_outcomes
        ]
        + [NeedEntry(HOUSING, "Damp")],
    )
    review = AssessmentFactory(
        case=case, kind="review", reviews=assessment, started=date(2026, 10, 2)
    )
    assessment.completed = date(2026, 10, 1)
    assessment.save()
    pages = [
        reverse("cases:case", args=[case.public_id]),
        reverse("cases:assessment", args=[assessment.public_id]),
        reverse("cases:assessment", args=[review.public_id]),
        reverse("cases:edit_assessment", args=[review.public_id]),
        reverse("cases:complete_assessment", args=[review.public_id]),
        reverse("cases:start_assessment", args=[case.public_id]),
    ]
    for url in pages:
        text = visible(client.get(url))
        assert_no_codes(text, usernames=("priya",))
        for outcome in active_policy().casework.headline_outcomes:
            assert outcome.id not in text, (url, outcome.id)
    assert "Review assessment" in visible(client.get(pages[0]))


def test_an_assessment_that_does_not_exist_is_not_found(client, practitioner):
    missing = "6f1b7a4e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"
    for route in ("cases:assessment", "cases:edit_assessment", "cases:complete_assessment"):
        assert client.get(reverse(route, args=[missing])).status_code == 404


def test_the_assessment_guards_say_whether_their_pages_change_records():
    from earlyhelp.access.guards import with_assessment, with_assessment_to_change
    from earlyhelp.cases import assessment_views

    assert with_assessment(lambda request, a: None).changes_records is False
    assert with_assessment_to_change(lambda request, a: None).changes_records is True
    assert assessment_views.assessment_detail.changes_records is False
    for view in (
        assessment_views.start_assessment,
        assessment_views.edit_assessment,
        assessment_views.complete_assessment,
    ):
        assert view.changes_records is True


def test_a_closed_case_offers_no_new_assessment_and_refuses_one_by_name(client, practitioner, case):
    case.ended = date(2026, 10, 1)
    case.save()
    url = reverse("cases:start_assessment", args=[case.public_id])
    assert url not in client.get(reverse("cases:case", args=[case.public_id])).content.decode()
    response = client.post(url, {"reviews": "new", **day("started", date(2026, 9, 8))})
    assert "The case closed on 1 October 2026: an assessment is started on an open case" in (
        text_of(response)
    )
    assert Assessment.objects.count() == 0


def test_the_start_form_sent_twice_starts_one_assessment(client, practitioner, case):
    url = reverse("cases:start_assessment", args=[case.public_id])
    token = re.search(r'name="form_token" value="([^"]+)"', client.get(url).content.decode())
    data = {"reviews": "new", "form_token": token.group(1), **day("started", date(2026, 9, 8))}
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert Assessment.objects.count() == 1
    assert AuditEvent.objects.filter(record_type="assessment", action="create").count() == 1


def test_needs_noted_before_they_were_classed_are_still_shown(client, practitioner, case):
    old = AssessmentFactory(case=case, needs="Housing; school attendance")
    detail = text_of(client.get(reverse("cases:assessment", args=[old.public_id])))
    assert "Needs noted before they were classed by outcome: Housing; school attendance" in detail
    case_page = text_of(client.get(reverse("cases:case", args=[case.public_id])))
    assert "Needs: Housing; school attendance" in case_page


def test_a_need_a_plan_goal_works_on_cannot_be_removed_on_the_form(
    client, practitioner, assessment
):
    from earlyhelp.cases.models import PlanGoal
    from tests.factories import PlanFactory

    (need,) = record_needs(None, assessment, [NeedEntry(HOUSING, "Damp")])
    PlanGoal.objects.create(plan=PlanFactory(case=assessment.case), need=need, goal="Move")
    response = client.post(
        reverse("cases:edit_assessment", args=[assessment.public_id]),
        record_form(needs=[(HOUSING, "Damp", str(need.public_id), True)]),
    )
    page = response.content.decode()
    # In the summary, and beside the box.
    assert page.count("Need 1: a goal of the family&#x27;s plan works on this need") == 2
    assert Need.objects.get() == need
