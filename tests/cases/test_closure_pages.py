"""The closure pages: a worker requests closure from the case page with every need's outcome,
a manager of the team signs it off from their list (or returns it, which the worker sees on
their home page), a closed case is reopened; errors name the field and the rule, the
reasons and outcomes are the policy's words, and each page records its look."""

import re
from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases import closure
from earlyhelp.cases.choices import ClosureDecision
from earlyhelp.cases.closure_views import CLOSURE_PAGE
from earlyhelp.cases.models import Case, ClosureRequest, NeedOutcome, Reopening
from earlyhelp.datamap.registry import categories_of
from earlyhelp.policy.active import active_policy
from tests.cases.test_assessment_pages import text_of
from tests.cases.test_closure import outcomes_for
from tests.cases.test_plans import need_on
from tests.cases.test_plans_pages import day
from tests.policy import camden_dict, write_policy

CLOSING_ON = date(2026, 11, 20)


@pytest.fixture
def worker(make_user, team):
    user = make_user("priya", Role.PRACTITIONER)
    user.last_name = "Shah"
    user.save()
    team.members.add(user)
    return user


@pytest.fixture
def boss(make_user, team):
    user = make_user("marcus", Role.TEAM_MANAGER)
    user.last_name = "Obi"
    user.save()
    team.members.add(user)
    return user


@pytest.fixture
def needs(case):
    return [
        need_on(case, outcome="good-education", description="Misses school on Mondays"),
        need_on(case, outcome="secure-housing", description="Damp, overcrowded flat"),
    ]


def close_form(**overrides) -> dict:
    data = {
        "reason": "needs-met",
        **day("closing_on", CLOSING_ON),
        "summary": "Yusuf goes to school; the family moved to a dry flat",
        "achieved_1": "yes",
        "sustained_1": "yes",
        "evidence_1": "Attendance 97% this term",
        "achieved_2": "yes",
        "sustained_2": "no",
        "evidence_2": "Moved in October; too soon to say it lasts",
    }
    return {**data, **overrides}


def request_url(case) -> str:
    return reverse("cases:request_closure", args=[case.public_id])


def closure_url(asked: ClosureRequest) -> str:
    return reverse("cases:closure", args=[asked.case.public_id, asked.public_id])


def decide_url(asked: ClosureRequest) -> str:
    return reverse("cases:decide_closure", args=[asked.case.public_id, asked.public_id])


def case_url(case) -> str:
    return reverse("cases:case", args=[case.public_id])


# --- The journey -------------------------------------------------------------------------


def test_a_worker_requests_closure_and_a_manager_signs_it_off_from_their_list(
    client, sign_in, case, needs, worker, boss
):
    sign_in(worker)
    assert request_url(case) in client.get(case_url(case)).content.decode()
    form = text_of(client.get(request_url(case)))
    for words in (
        "Misses school on Mondays",
        "Damp, overcrowded flat",
        active_policy().casework.headline_outcome("good-education").name,
        active_policy().casework.headline_outcome("secure-housing").name,
        "Needs met",
        "Stepped up to children's social care",
    ):
        assert words in form
    response = client.post(request_url(case), close_form())
    asked = ClosureRequest.objects.get()
    assert response.url == closure_url(asked)
    assert (asked.requested_by, asked.decision) == (worker, ClosureDecision.AWAITING)
    assert sorted((o.need.description, o.achieved, o.sustained) for o in asked.outcomes.all()) == [
        ("Damp, overcrowded flat", True, False),
        ("Misses school on Mondays", True, True),
    ]
    page = text_of(client.get(response.url))
    assert "Awaiting sign-off" in page and "Needs met" in page
    assert "Attendance 97% this term" in page and "Sign off or return" not in page
    case_page = client.get(case_url(case)).content.decode()
    assert "Closure awaiting sign-off" in case_page and closure_url(asked) in case_page
    assert request_url(case) not in case_page

    sign_in(boss)
    listed = text_of(client.get(reverse("cases:work_list", args=["awaiting-sign-off"])))
    assert "Closures awaiting your sign-off (1)" in listed and "Yusuf Haddad" in listed
    assert decide_url(asked) in client.get(closure_url(asked)).content.decode()
    response = client.post(decide_url(asked), {"decision": "approve", "manager_comment": ""})
    assert response.url == closure_url(asked)
    case.refresh_from_db()
    assert (case.ended, case.closure_reason) == (CLOSING_ON, "needs-met")
    case_page = text_of(client.get(case_url(case)))
    assert "Closed 20 November 2026 Needs met" in case_page
    assert "needs-met" not in client.get(case_url(case)).content.decode()
    assert "Reopen the case" in case_page
    assert "Signed off by Sam Obi" in text_of(client.get(closure_url(asked)))
    listed = text_of(client.get(reverse("cases:work_list", args=["awaiting-sign-off"])))
    assert "Closures awaiting your sign-off (0)" in listed


def test_a_returned_request_is_on_the_workers_home_page_with_the_comment(
    client, sign_in, case, needs, worker, boss, request_as
):
    asked = closure.request_closure(
        request_as(worker),
        case,
        reason="needs-met",
        summary="Done",
        closing_on=CLOSING_ON,
        outcomes=outcomes_for(needs),
    )
    sign_in(boss)
    response = client.post(
        decide_url(asked), {"decision": "return", "manager_comment": "Add the school's figures"}
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.decision == ClosureDecision.RETURNED
    case.refresh_from_db()
    assert case.is_open
    sign_in(worker)
    home = client.get(reverse("web:home"))
    page = text_of(home)
    assert "Closures returned to you" in page and "Add the school's figures" in page
    assert closure_url(asked) in home.content.decode()
    looks = AuditEvent.objects.filter(actor=worker, details__page="returned-closures")
    assert looks.filter(record_id=str(case.members.first().person.public_id)).exists()
    # The case page offers the request again, the form starting from the returned answers
    # with the manager's comment; a new request takes it off the home page.
    assert request_url(case) in client.get(case_url(case)).content.decode()
    form = client.get(request_url(case)).content.decode()
    assert "returned the last request" in form and "Add the school&#x27;s figures" in form
    assert "\nDone</textarea>" in form
    assert 'value="needs-met" checked' in form
    assert form.count('value="yes" checked') == 2 * len(needs)
    assert "Attendance 97% this term</textarea>" in form
    client.post(request_url(case), close_form())
    assert "Closures returned to you" not in text_of(client.get(reverse("web:home")))


def test_a_step_up_records_the_referral_date_shown_on_the_case(
    client, sign_in, case, needs, worker, boss
):
    sign_in(worker)
    client.post(
        request_url(case),
        close_form(reason="stepped-up", **day("referred_to_social_care_on", date(2026, 11, 18))),
    )
    asked = ClosureRequest.objects.get()
    assert asked.referred_to_social_care_on == date(2026, 11, 18)
    sign_in(boss)
    client.post(decide_url(asked), {"decision": "approve"})
    case.refresh_from_db()
    assert case.referred_to_social_care_on == date(2026, 11, 18)
    page = text_of(client.get(case_url(case)))
    assert "Stepped up to children's social care" in page
    assert "referred to children's social care 18 November 2026" in page


def test_a_closed_case_is_reopened_with_a_reason_and_its_history_kept(
    client, sign_in, case, needs, worker, boss, request_as
):
    asked = closure.request_closure(
        request_as(worker),
        case,
        reason="moved-away",
        summary="Moved to Leeds",
        closing_on=CLOSING_ON,
        outcomes=outcomes_for(needs),
    )
    closure.decide_closure(request_as(boss), asked, approve=True)
    sign_in(worker)
    url = reverse("cases:reopen_case", args=[case.public_id])
    assert url in client.get(case_url(case)).content.decode()
    assert "The case closed on 20 November 2026: Moved away" in text_of(client.get(url))
    response = client.post(url, {"reason": "The family came back to Camden"})
    assert response.url == case_url(case)
    case.refresh_from_db()
    assert case.is_open and case.closure_reason == ""
    reopening = Reopening.objects.get()
    assert (reopening.was_ended, reopening.was_closure_reason) == (CLOSING_ON, "moved-away")
    page = text_of(client.get(case_url(case)))
    assert "Reopened" in page and "after closing 20 Nov 2026 (Moved away)" in page
    assert "The family came back to Camden" in page
    assert "Closure requested" in page and "(signed off)" in page


# --- Errors name the field ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"reason": ""}, "Select why the case is closing"),
        ({"reason": "made-up"}, "Why is the case closing?: select one of the options shown"),
        ({"summary": ""}, "Enter a summary of the work with the family"),
        (
            {"closing_on_day": "", "closing_on_month": "", "closing_on_year": ""},
            "Enter the closing date",
        ),
        (
            day("closing_on", date(2026, 8, 31)),
            "The closing date must be the same as or after the date the case opened "
            "(1 September 2026)",
        ),
        (day("closing_on", date(2099, 1, 1)), "The closing date must be today or in the past"),
        ({"reason": "stepped-up"}, "Enter the date of the referral to children's social care"),
        (
            day("referred_to_social_care_on", date(2026, 11, 1)),
            "Leave the date of the referral empty: only a case stepped up to children's social "
            "care has one",
        ),
        ({"achieved_1": ""}, "Select whether the outcome of need 1 was achieved"),
        ({"sustained_2": ""}, "Select whether the outcome of need 2 was sustained"),
        (
            {"achieved_2": "no", "sustained_2": "yes"},
            "The outcome of need 2 can be sustained only once it is achieved",
        ),
        ({"evidence_1": ""}, "Enter the evidence for need 1"),
    ],
)
def test_a_request_breaking_a_rule_names_the_field_and_is_not_saved(
    client, sign_in, case, needs, worker, overrides, message
):
    sign_in(worker)
    response = client.post(request_url(case), close_form(**overrides))
    assert response.status_code == 200
    page = text_of(response)
    assert "There is a problem" in page and message in page
    assert ClosureRequest.objects.count() == NeedOutcome.objects.count() == 0


def test_returning_a_request_without_a_comment_is_refused_by_name(
    client, sign_in, case, needs, worker, boss, request_as
):
    asked = closure.request_closure(
        request_as(worker),
        case,
        reason="needs-met",
        summary="Done",
        closing_on=CLOSING_ON,
        outcomes=outcomes_for(needs),
    )
    sign_in(boss)
    response = client.post(decide_url(asked), {"decision": "return", "manager_comment": ""})
    assert "Enter a comment: say what needs doing before the case can close" in text_of(response)
    response = client.post(decide_url(asked), {})
    assert "Select whether you sign off the closure or return it" in text_of(response)
    asked.refresh_from_db()
    assert asked.decision == ClosureDecision.AWAITING


def test_the_form_sent_twice_makes_one_request(client, sign_in, case, needs, worker):
    sign_in(worker)
    token = re.search(
        r'name="form_token" value="([^"]+)"', client.get(request_url(case)).content.decode()
    )
    data = close_form(form_token=token.group(1))
    first, second = client.post(request_url(case), data), client.post(request_url(case), data)
    assert first.status_code == second.status_code == 302
    assert ClosureRequest.objects.count() == 1
    assert AuditEvent.objects.filter(record_type="closure-request", action="create").count() == 1


def test_a_case_awaiting_sign_off_or_closed_offers_no_request_form(
    client, sign_in, case, needs, worker, request_as
):
    closure.request_closure(
        request_as(worker),
        case,
        reason="needs-met",
        summary="Done",
        closing_on=CLOSING_ON,
        outcomes=outcomes_for(needs),
    )
    sign_in(worker)
    response = client.post(request_url(case), close_form())
    assert "A request to close this case already awaits a manager's sign-off" in text_of(response)
    assert ClosureRequest.objects.count() == 1
    Case.objects.filter(pk=case.pk).update(ended=date(2026, 11, 2), closure_reason="disengaged")
    ClosureRequest.objects.all().delete()
    page = text_of(client.get(request_url(case)))
    assert "It closed on 2 November 2026: Disengaged" in page
    assert "Request closure" not in page


# --- Separation of duties and who may decide -------------------------------------------------


def test_a_manager_cannot_sign_off_their_own_request_nor_find_it_on_their_list(
    client, sign_in, case, needs, boss, make_user, team
):
    sign_in(boss)
    client.post(request_url(case), close_form())
    asked = ClosureRequest.objects.get()
    assert asked.requested_by == boss
    page = text_of(client.get(closure_url(asked)))
    assert "Sign off or return" not in page
    assert "Another manager of North family support signs this off" in page
    assert "You asked to close this case" in text_of(client.get(decide_url(asked)))
    response = client.post(decide_url(asked), {"decision": "approve"})
    assert "You asked to close this case" in text_of(response)
    asked.refresh_from_db()
    case.refresh_from_db()
    assert asked.decision == ClosureDecision.AWAITING and case.is_open
    listed = text_of(client.get(reverse("cases:work_list", args=["awaiting-sign-off"])))
    assert "Closures awaiting your sign-off (0)" in listed
    other = make_user("nadia", Role.TEAM_MANAGER)
    team.members.add(other)
    sign_in(other)
    listed = text_of(client.get(reverse("cases:work_list", args=["awaiting-sign-off"])))
    assert "Closures awaiting your sign-off (1)" in listed


def test_a_practitioner_cannot_sign_off(client, sign_in, case, needs, worker, request_as, team):
    asked = closure.request_closure(
        request_as(worker),
        case,
        reason="needs-met",
        summary="Done",
        closing_on=CLOSING_ON,
        outcomes=outcomes_for(needs),
    )
    sign_in(worker)
    assert client.get(decide_url(asked)).status_code == 403
    assert client.post(decide_url(asked), {"decision": "approve"}).status_code == 403
    page = text_of(client.get(closure_url(asked)))
    assert "Sign off or return" not in page
    # Told who decides in words that fit them: they are not a manager.
    assert "A manager of North family support signs this off, or returns it to you" in page
    assert "Another manager" not in page
    assert client.get(reverse("cases:work_list", args=["awaiting-sign-off"])).status_code == 403
    asked.refresh_from_db()
    assert asked.decision == ClosureDecision.AWAITING


def test_a_closure_request_is_found_only_through_its_own_case(
    client, sign_in, case, needs, worker, request_as, team
):
    from tests.factories import CaseFactory

    asked = closure.request_closure(
        request_as(worker),
        case,
        reason="needs-met",
        summary="Done",
        closing_on=CLOSING_ON,
        outcomes=outcomes_for(needs),
    )
    other = CaseFactory(team=team, started=date(2026, 1, 5))
    sign_in(worker)
    url = reverse("cases:closure", args=[other.public_id, asked.public_id])
    assert client.get(url).status_code == 404


# --- The look is recorded ----------------------------------------------------------------


def test_the_closure_page_records_its_look_against_the_request_and_each_person(
    client, sign_in, case, needs, worker, request_as, family
):
    asked = closure.request_closure(
        request_as(worker),
        case,
        reason="needs-met",
        summary="Done",
        closing_on=CLOSING_ON,
        outcomes=outcomes_for(needs),
    )
    sign_in(worker)
    client.get(closure_url(asked))
    look = AuditEvent.objects.get(action="view", record_type="closure-request")
    assert look.record_id == str(asked.public_id)
    assert look.details == {"page": "closure_detail"}
    assert sorted(look.categories) == sorted(categories_of(*CLOSURE_PAGE))
    people = set(
        AuditEvent.objects.filter(
            action="view", record_type="person", details__page="closure_detail"
        ).values_list("record_id", flat=True)
    )
    assert people == {str(family[n].public_id) for n in ("yusuf", "leila", "mum")}


# --- The policy's words ------------------------------------------------------------------


def test_the_reasons_and_outcomes_are_the_policys_words(
    client, sign_in, case, needs, worker, settings, tmp_path
):
    data = camden_dict()
    for reason in data["casework"]["closure_reasons"]:
        if reason["id"] == "needs-met":
            reason["name"] = "Family's needs met in full"
    data["casework"]["closure_reasons"].append({"id": "died", "name": "Bereavement ended it"})
    for outcome in data["casework"]["headline_outcomes"]:
        if outcome["id"] == "secure-housing":
            outcome["name"] = "A safe, settled home"
    settings.POLICY_PATH = write_policy(tmp_path, data)
    sign_in(worker)
    form = text_of(client.get(request_url(case)))
    assert "Family's needs met in full" in form and "Bereavement ended it" in form
    assert "A safe, settled home" in form
    client.post(request_url(case), close_form(reason="died"))
    asked = ClosureRequest.objects.get()
    assert asked.reason == "died"
    page = text_of(client.get(closure_url(asked)))
    assert "Bereavement ended it" in page and "A safe, settled home" in page
    assert "died" not in page.split()
