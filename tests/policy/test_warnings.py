"""Warnings flag what the policy allows but may no longer be true; they never block loading."""

from datetime import date

from earlyhelp.policy.loader import check_warnings, policy_from_dict

from . import TODAY, camden_dict, camden_policy, small_policy_dict


def _codes(warnings: list) -> list[str]:
    return [w.code for w in warnings]


def test_camden_gives_the_expected_warnings_today() -> None:
    warnings = check_warnings(camden_policy(), TODAY)
    assert sorted(set(_codes(warnings))) == [
        "agreement-ended",
        "article-9-without-special-category",
        "link-without-address",
        "notice-out-of-date",
        "notice-predates-law",
        "predates-duaa-transfers",
        "project-ended",
        "schedule-1-pairing",
    ]
    by_path = {w.path: w.message for w in warnings}
    assert "ended on 31 March 2025" in by_path["projects[0].end"]
    assert "November 2023" in by_path["last_updated"]


def test_project_still_running_gives_no_ended_warning() -> None:
    warnings = check_warnings(camden_policy(), date(2025, 3, 31))
    assert "project-ended" not in _codes(warnings)
    assert "agreement-ended" not in _codes(warnings)


def test_notice_less_than_a_year_old_is_not_out_of_date() -> None:
    assert "notice-out-of-date" not in _codes(check_warnings(camden_policy(), date(2024, 10, 31)))
    assert "notice-out-of-date" in _codes(check_warnings(camden_policy(), date(2024, 11, 2)))


def test_automated_decision_text_citing_article_22_predates_the_duaa() -> None:
    data = camden_dict()
    data["automated_decisions"]["statement"] = "You have rights under Article 22 of the UK GDPR."
    warnings = check_warnings(policy_from_dict(data), TODAY)
    assert "predates-duaa-automated-decisions" in _codes(warnings)


def test_automated_decision_text_citing_articles_22a_to_22d_is_current() -> None:
    data = camden_dict()
    data["automated_decisions"]["statement"] = "You have rights under Articles 22A to 22D."
    warnings = check_warnings(policy_from_dict(data), TODAY)
    assert "predates-duaa-automated-decisions" not in _codes(warnings)


COMPLAINT_HANDLING = {
    "law": "Data Protection Act 2018 section 164A",
    "in_force_from": date(2026, 6, 19),
    "acknowledge_within_days": 30,
    "outcome": "without undue delay",
}


def _with_handling(data: dict) -> dict:
    """``data`` with what a current policy has beside its small core: complaint handling,
    the subject access bundle's rules and the rules for partners' requests (Camden's)."""
    data["complaints"]["handling"] = dict(COMPLAINT_HANDLING)
    data["rights"]["access_bundle"] = camden_dict()["rights"]["access_bundle"]
    data["sharing"]["partner_requests"] = camden_dict()["sharing"]["partner_requests"]
    return data


def test_small_current_policy_gives_no_warnings() -> None:
    policy = policy_from_dict(_with_handling(small_policy_dict()))
    assert check_warnings(policy, date(2026, 6, 1)) == []


def test_a_policy_without_complaint_handling_is_warned_about() -> None:
    warnings = check_warnings(policy_from_dict(small_policy_dict()), date(2026, 6, 1))
    by_code = {w.code: w.path for w in warnings}
    assert set(by_code) == {"no-complaint-handling", "no-access-bundle", "no-partner-requests"}
    assert by_code["no-complaint-handling"] == "complaints.handling"


def test_a_policy_that_cannot_answer_a_subject_access_request_is_warned_about() -> None:
    data = camden_dict()
    assert "no-access-bundle" not in _codes(check_warnings(policy_from_dict(data), TODAY))
    del data["rights"]["access_bundle"]
    warnings = [
        w for w in check_warnings(policy_from_dict(data), TODAY) if w.code == "no-access-bundle"
    ]
    assert [w.path for w in warnings] == ["rights.access_bundle"]
    assert "no bundle can be made" in warnings[0].message


def test_camden_notice_predates_the_time_limit_and_complaint_rules_now_in_force() -> None:
    by_path = {
        w.path: w.message
        for w in check_warnings(camden_policy(), TODAY)
        if w.code == "notice-predates-law"
    }
    assert set(by_path) == {
        "rights.deadlines[1].in_force_from",
        "rights.deadlines[3].in_force_from",
        "complaints.handling.in_force_from",
        "sharing.duty_to_share.in_force_from",
    }
    assert by_path["rights.deadlines[1].in_force_from"] == (
        "the notice was last updated before UK GDPR Article 12A (Data (Use and Access) Act "
        "2025) came into force on 5 February 2026; its section 10 describes the earlier rules "
        "for answering requests"
    )
    assert (
        "section 164A came into force on 19 June 2026; its section 11"
        in (by_path["complaints.handling.in_force_from"])
    )


def test_a_rule_not_yet_in_force_gives_no_predates_warning() -> None:
    # Between the two dates: the new time limit is in force, the complaint rule is not.
    paths = [
        w.path
        for w in check_warnings(camden_policy(), date(2026, 3, 1))
        if w.code == "notice-predates-law"
    ]
    assert paths == ["rights.deadlines[1].in_force_from", "rights.deadlines[3].in_force_from"]
    assert "notice-predates-law" not in _codes(check_warnings(camden_policy(), date(2026, 2, 4)))


def test_a_notice_updated_after_the_rules_came_in_gives_no_predates_warning() -> None:
    data = camden_dict()
    data["last_updated"] = date(2026, 10, 15)  # after 16LA too
    warnings = check_warnings(policy_from_dict(data), TODAY)
    assert "notice-predates-law" not in _codes(warnings)


def test_the_predates_warning_follows_the_dates_in_the_policy() -> None:
    data = _with_handling(small_policy_dict())
    data["rights"]["deadlines"][0]["in_force_from"] = date(2026, 3, 1)
    data["complaints"]["handling"]["in_force_from"] = date(2026, 8, 1)
    assert "notice-predates-law" in _codes(check_warnings(policy_from_dict(data), date(2026, 3, 1)))
    assert _codes(check_warnings(policy_from_dict(data), date(2026, 2, 28))) == []


# --- sharing: the duty to share, transfer routes, partners' requests ---------------------------


def test_the_notice_predating_the_duty_to_share_is_warned_about_once_it_is_in_force() -> None:
    data = camden_dict()
    duty = data["sharing"]["duty_to_share"]
    before = {w.path for w in check_warnings(policy_from_dict(data), date(2026, 9, 30))}
    assert "sharing.duty_to_share.in_force_from" not in before
    found = [
        w
        for w in check_warnings(policy_from_dict(data), duty["in_force_from"])
        if w.path == "sharing.duty_to_share.in_force_from"
    ]
    assert [w.code for w in found] == ["notice-predates-law"]
    assert "Children Act 2004 section 16LA" in found[0].message
    assert "more detrimental to the child" in found[0].message


def test_transfers_abroad_without_routes_are_warned_about() -> None:
    data = camden_dict()
    assert "no-transfer-routes" not in _codes(check_warnings(policy_from_dict(data), TODAY))
    del data["transfers"]["routes"]
    warnings = [
        w for w in check_warnings(policy_from_dict(data), TODAY) if w.code == "no-transfer-routes"
    ]
    assert [w.path for w in warnings] == ["transfers.routes"]


def test_the_eu_eea_wording_of_section_8_is_still_warned_about() -> None:
    codes = _codes(check_warnings(camden_policy(), TODAY))
    assert "predates-duaa-transfers" in codes
