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
        "no-retention-rule",
        "notice-out-of-date",
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


def test_small_current_policy_gives_no_warnings() -> None:
    assert check_warnings(policy_from_dict(small_policy_dict()), date(2026, 6, 1)) == []
