"""Closing a case, as the services do it: a worker's request with every need's outcome, a
team manager's sign-off or return (never their own request), reopening with the history
kept; each write with its audit events, each refusal naming its field and writing nothing."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases import closure
from earlyhelp.cases.choices import ClosureDecision
from earlyhelp.cases.closure import OutcomeAtClosure
from earlyhelp.cases.models import Case, ClosureRequest, Need, NeedOutcome, Reopening
from earlyhelp.policy.active import active_policy
from tests.cases.test_plans import need_on
from tests.factories import TeamFactory

CLOSING_ON = date(2026, 11, 20)
SUMMARY = "Yusuf goes to school every day; the family moved to a dry flat"


@pytest.fixture
def worker(make_user, team):
    user = make_user("priya", Role.PRACTITIONER)
    team.members.add(user)
    return user


@pytest.fixture
def boss(make_user, team):
    user = make_user("marcus", Role.TEAM_MANAGER)
    team.members.add(user)
    return user


@pytest.fixture
def needs(case) -> list[Need]:
    return [
        need_on(case, outcome="good-education", description="Misses school on Mondays"),
        need_on(case, outcome="secure-housing", description="Damp, overcrowded flat"),
    ]


def outcomes_for(needs, achieved=True, sustained=True, evidence="Attendance 97% this term"):
    return [OutcomeAtClosure(need, achieved, sustained, evidence) for need in needs]


def ask(request_as, user, case, needs, **overrides):
    fields = {
        "reason": "needs-met",
        "summary": SUMMARY,
        "closing_on": CLOSING_ON,
        "outcomes": outcomes_for(needs),
    }
    return closure.request_closure(request_as(user), case, **{**fields, **overrides})


def counts() -> tuple[int, int, int, int]:
    return (
        ClosureRequest.objects.count(),
        NeedOutcome.objects.count(),
        Reopening.objects.count(),
        AuditEvent.objects.filter(action__in=["create", "change"]).count(),
    )


# --- The whole flow ----------------------------------------------------------------------


def test_a_request_signed_off_closes_the_case_with_its_reason_and_outcomes_per_need(
    request_as, case, needs, worker, boss
):
    asked = ask(request_as, worker, case, needs)
    case.refresh_from_db()
    assert case.is_open  # only the sign-off closes it
    assert (asked.decision, asked.requested_by, asked.reason) == (
        ClosureDecision.AWAITING,
        worker,
        "needs-met",
    )
    assert {(o.need, o.achieved, o.sustained) for o in asked.outcomes.all()} == {
        (needs[0], True, True),
        (needs[1], True, True),
    }
    closure.decide_closure(request_as(boss), asked, approve=True, comment="Good work")
    case.refresh_from_db()
    asked.refresh_from_db()
    assert (case.ended, case.closure_reason, case.referred_to_social_care_on) == (
        CLOSING_ON,
        "needs-met",
        None,
    )
    assert (asked.decision, asked.decided_by, asked.manager_comment) == (
        ClosureDecision.APPROVED,
        boss,
        "Good work",
    )
    assert asked.decided_at is not None


def test_each_write_is_audited_against_the_request_or_the_case_naming_ids_never_text(
    request_as, case, needs, worker, boss
):
    asked = ask(request_as, worker, case, needs)
    closure.decide_closure(request_as(boss), asked, approve=True)
    reopening = closure.reopen_case(request_as(worker), case, reason="Dad moved back in")
    events = list(
        AuditEvent.objects.filter(action__in=["create", "change"])
        .order_by("id")
        .values_list("actor__username", "action", "record_type", "record_id", "details")
    )
    assert [event[:4] for event in events] == [
        ("priya", "create", "closure-request", str(asked.public_id)),
        ("marcus", "change", "closure-request", str(asked.public_id)),
        ("marcus", "change", "case", str(case.public_id)),
        ("priya", "change", "case", str(case.public_id)),
    ]
    assert events[0][4] == {"case": str(case.public_id)}
    assert events[1][4] == {"case": str(case.public_id), "decision": "approved"}
    assert events[2][4] == {"closure_request": str(asked.public_id)}
    assert events[3][4] == {"reopening": str(reopening.public_id)}
    written = " ".join(str(event[4]) for event in events)
    for text in (SUMMARY, "Attendance", "Dad moved back in"):
        assert text not in written
    assert all(
        "reports-and-plans" in e.categories for e in AuditEvent.objects.filter(action="create")
    )


def test_a_returned_request_leaves_the_case_open_and_a_new_request_can_be_made(
    request_as, case, needs, worker, boss
):
    first = ask(request_as, worker, case, needs)
    closure.decide_closure(
        request_as(boss), first, approve=False, comment="Record the housing evidence"
    )
    case.refresh_from_db()
    first.refresh_from_db()
    assert case.is_open and case.closure_reason == ""
    assert (first.decision, first.manager_comment) == (
        ClosureDecision.RETURNED,
        "Record the housing evidence",
    )
    second = ask(request_as, worker, case, needs)
    assert second.decision == ClosureDecision.AWAITING
    assert case.closure_requests.count() == 2


def test_a_step_up_to_social_care_records_the_referral_date_on_the_request_and_the_case(
    request_as, case, needs, worker, boss
):
    stepped_up = next(
        r for r in active_policy().casework.closure_reasons if r.refers_to_social_care
    )
    referred = date(2026, 11, 18)
    asked = ask(
        request_as, worker, case, needs, reason=stepped_up.id, referred_to_social_care_on=referred
    )
    assert asked.referred_to_social_care_on == referred
    closure.decide_closure(request_as(boss), asked, approve=True)
    case.refresh_from_db()
    assert (case.closure_reason, case.referred_to_social_care_on) == (stepped_up.id, referred)


def test_reopening_clears_the_closure_and_keeps_what_it_was(request_as, case, needs, worker, boss):
    asked = ask(request_as, worker, case, needs)
    closure.decide_closure(request_as(boss), asked, approve=True)
    reopening = closure.reopen_case(request_as(boss), case, reason="New referral from school")
    case.refresh_from_db()
    assert case.is_open and case.closure_reason == ""
    assert (reopening.was_ended, reopening.was_closure_reason, reopening.reopened_by) == (
        CLOSING_ON,
        "needs-met",
        boss,
    )
    assert reopening.reason == "New referral from school"
    # The signed-off request and its outcomes stay as history.
    asked.refresh_from_db()
    assert asked.decision == ClosureDecision.APPROVED and asked.outcomes.count() == 2
    # And the case can be closed again.
    again = ask(request_as, worker, case, needs, closing_on=timezone.localdate())
    assert again.decision == ClosureDecision.AWAITING


def test_a_case_with_no_needs_closes_with_no_outcomes(request_as, case, worker, boss):
    asked = ask(request_as, worker, case, [])
    closure.decide_closure(request_as(boss), asked, approve=True)
    case.refresh_from_db()
    assert not case.is_open and asked.outcomes.count() == 0


# --- Refusals: each names its field and writes nothing -------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reason": "made-up"}, "reason:"),
        ({"summary": "   "}, "summary:"),
        ({"summary": "x" * 20001}, "summary:"),
        ({"closing_on": date(2026, 8, 31)}, "closing_on:"),  # before the case opened
        ({"closing_on": date.today() + timedelta(days=1)}, "closing_on:"),
        ({"closing_on": None}, "closing_on:"),
        ({"referred_to_social_care_on": date(2026, 11, 1)}, "referred_to_social_care_on:"),
        ({"reason": "stepped-up"}, "referred_to_social_care_on:"),
        (
            {"reason": "stepped-up", "referred_to_social_care_on": date(2026, 8, 1)},
            "referred_to_social_care_on:",
        ),
        (
            {
                "reason": "stepped-up",
                "referred_to_social_care_on": date.today() + timedelta(days=1),
            },
            "referred_to_social_care_on:",
        ),
    ],
)
def test_a_request_breaking_a_rule_names_the_field_and_writes_nothing(
    request_as, case, needs, worker, overrides, field
):
    before = counts()
    with pytest.raises(ValueError, match=rf"^{field}"):
        ask(request_as, worker, case, needs, **overrides)
    assert counts() == before


def test_every_need_of_the_case_needs_an_outcome_once_and_only_the_cases_own(
    request_as, case, needs, worker
):
    from tests.factories import CaseFactory

    theirs = need_on(CaseFactory(started=date(2026, 1, 5)), description="Another family's")
    before = counts()
    for given in (
        outcomes_for(needs[:1]),
        outcomes_for([needs[0], needs[0], needs[1]]),
        outcomes_for([*needs, theirs]),
    ):
        with pytest.raises(ValueError, match=r"^outcomes:"):
            ask(request_as, worker, case, needs, outcomes=given)
    assert counts() == before


@pytest.mark.parametrize(
    ("outcome", "field"),
    [
        ({"achieved": False, "sustained": True}, "sustained:"),
        ({"evidence": ""}, "evidence:"),
        ({"achieved": "yes"}, "achieved:"),
    ],
)
def test_an_outcome_breaking_a_rule_names_its_field(
    request_as, case, needs, worker, outcome, field
):
    first = {"need": needs[0], "achieved": True, "sustained": True, "evidence": "Seen", **outcome}
    given = [OutcomeAtClosure(**first), *outcomes_for(needs[1:])]
    before = counts()
    with pytest.raises(ValueError, match=rf"^{field}"):
        ask(request_as, worker, case, needs, outcomes=given)
    assert counts() == before


def test_an_outcome_not_achieved_and_not_sustained_is_recorded(request_as, case, needs, worker):
    given = outcomes_for(needs, achieved=False, sustained=False, evidence="Still damp")
    asked = ask(request_as, worker, case, needs, reason="disengaged", outcomes=given)
    assert {(o.achieved, o.sustained) for o in asked.outcomes.all()} == {(False, False)}


def test_needs_met_with_no_outcome_achieved_is_refused_naming_the_reason(
    request_as, case, needs, worker
):
    """The policy's "Needs met" says the needs were met (says_needs_were_met): a request
    giving it with every outcome not achieved contradicts itself."""
    given = outcomes_for(needs, achieved=False, sustained=False, evidence="Still damp")
    before = counts()
    with pytest.raises(ValueError, match=r"^reason: “Needs met” says the family's needs"):
        ask(request_as, worker, case, needs, outcomes=given)
    assert counts() == before
    one_met = [
        OutcomeAtClosure(needs[0], True, False, "Goes to school"),
        *outcomes_for(needs[1:], achieved=False, sustained=False),
    ]
    assert ask(request_as, worker, case, needs, outcomes=one_met).reason == "needs-met"


def test_a_case_does_not_close_before_its_last_contact_unless_that_was_struck_out(
    request_as, case, needs, worker
):
    from django.utils import timezone

    from earlyhelp.cases.corrections import strike_out
    from earlyhelp.cases.services import record_contact

    later = record_contact(
        case=case,
        author=worker,
        kind="home_visit",
        occurred_at=timezone.make_aware(datetime(2026, 11, 24, 10, 0)),
        note="Visit",
    )
    before = counts()
    with pytest.raises(ValueError, match=r"^closing_on: a contact .* 24 November 2026"):
        ask(request_as, worker, case, needs)
    assert counts() == before
    strike_out(request_as(worker), later, reason="Recorded on the wrong family")
    assert ask(request_as, worker, case, needs).closing_on == CLOSING_ON


def test_a_second_request_while_one_awaits_is_refused(request_as, case, needs, worker):
    ask(request_as, worker, case, needs)
    before = counts()
    with pytest.raises(ValueError, match=r"^case: a request to close this case already awaits"):
        ask(request_as, worker, case, needs)
    assert counts() == before


def test_a_closed_case_cannot_be_asked_to_close(request_as, case, needs, worker):
    Case.objects.filter(pk=case.pk).update(ended=date(2026, 10, 1), closure_reason="other")
    case.refresh_from_db()
    with pytest.raises(ValueError, match=r"^case: already closed on 1 October 2026"):
        ask(request_as, worker, case, needs)
    assert ClosureRequest.objects.count() == 0


def test_a_worker_of_another_team_cannot_ask_to_close_the_case(request_as, make_user, case, needs):
    outsider = make_user("olu", Role.PRACTITIONER)
    TeamFactory(name="South", service="iyss").members.add(outsider)
    before = counts()
    with pytest.raises(ValueError, match=r"^requested_by:"):
        ask(request_as, outsider, case, needs)
    assert counts() == before


def test_a_manager_cannot_sign_off_their_own_request(request_as, case, needs, boss):
    asked = ask(request_as, boss, case, needs)
    before = counts()
    with pytest.raises(ValueError, match=r"^decided_by: you asked to close this case"):
        closure.decide_closure(request_as(boss), asked, approve=True)
    case.refresh_from_db()
    asked.refresh_from_db()
    assert case.is_open and asked.decision == ClosureDecision.AWAITING
    assert counts() == before


def test_another_manager_of_the_team_signs_off_a_managers_request(
    request_as, make_user, team, case, needs, boss
):
    asked = ask(request_as, boss, case, needs)
    other = make_user("nadia", Role.TEAM_MANAGER)
    team.members.add(other)
    closure.decide_closure(request_as(other), asked, approve=True)
    case.refresh_from_db()
    assert not case.is_open


@pytest.mark.parametrize("who", ["practitioner of the team", "manager of another team"])
def test_only_a_team_manager_of_the_case_signs_off(
    request_as, make_user, case, needs, worker, team, who
):
    asked = ask(request_as, worker, case, needs)
    if who == "practitioner of the team":
        decider = make_user("wren", Role.PRACTITIONER)
        team.members.add(decider)
    else:
        decider = make_user("olu", Role.TEAM_MANAGER)
        TeamFactory(name="South", service="iyss").members.add(decider)
    before = counts()
    with pytest.raises(ValueError, match=r"^decided_by:"):
        closure.decide_closure(request_as(decider), asked, approve=True)
    assert counts() == before


def test_returning_needs_a_comment(request_as, case, needs, worker, boss):
    asked = ask(request_as, worker, case, needs)
    before = counts()
    with pytest.raises(ValueError, match=r"^manager_comment:"):
        closure.decide_closure(request_as(boss), asked, approve=False, comment=" ")
    assert counts() == before


def test_a_decided_request_is_not_decided_again(request_as, case, needs, worker, boss):
    asked = ask(request_as, worker, case, needs)
    closure.decide_closure(request_as(boss), asked, approve=False, comment="Not yet")
    before = counts()
    with pytest.raises(ValueError, match=r"^closure: already returned to the worker"):
        closure.decide_closure(request_as(boss), asked, approve=True)
    case.refresh_from_db()
    assert case.is_open and counts() == before


def test_a_need_recorded_after_the_request_stops_its_sign_off(
    request_as, case, needs, worker, boss
):
    asked = ask(request_as, worker, case, needs)
    need_on(case, outcome="financial-stability", description="Rent arrears")
    with pytest.raises(ValueError, match=r"^outcomes: a need was recorded after the request"):
        closure.decide_closure(request_as(boss), asked, approve=True)
    case.refresh_from_db()
    assert case.is_open


def test_reopening_needs_a_closed_case_a_reason_and_a_worker_of_its_team(
    request_as, make_user, case, worker
):
    with pytest.raises(ValueError, match=r"^case: the case is open"):
        closure.reopen_case(request_as(worker), case, reason="Again")
    Case.objects.filter(pk=case.pk).update(ended=date(2026, 10, 1), closure_reason="moved-away")
    case.refresh_from_db()
    with pytest.raises(ValueError, match=r"^reason:"):
        closure.reopen_case(request_as(worker), case, reason="")
    outsider = make_user("olu", Role.TEAM_MANAGER)
    TeamFactory(name="South", service="iyss").members.add(outsider)
    with pytest.raises(ValueError, match=r"^reopened_by:"):
        closure.reopen_case(request_as(outsider), case, reason="Again")
    case.refresh_from_db()
    assert not case.is_open and Reopening.objects.count() == 0


def test_a_reason_the_policy_has_dropped_is_not_signed_off(
    request_as, case, needs, worker, boss, settings, tmp_path
):
    from tests.policy import camden_dict, write_policy

    asked = ask(request_as, worker, case, needs, reason="disengaged")
    data = camden_dict()
    data["casework"]["closure_reasons"] = [
        r for r in data["casework"]["closure_reasons"] if r["id"] != "disengaged"
    ]
    settings.POLICY_PATH = write_policy(tmp_path, data)
    with pytest.raises(ValueError, match=r"^reason: no longer a closure reason of the policy"):
        closure.decide_closure(request_as(boss), asked, approve=True)
    case.refresh_from_db()
    assert case.is_open
