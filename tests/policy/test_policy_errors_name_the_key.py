"""A broken policy file fails with errors that name the file, the key path and the rule."""

from pathlib import Path
from typing import Any

import pytest

from earlyhelp.policy.loader import PolicyError, load_policy

from . import camden_dict, small_policy_dict, write_policy


def _errors(tmp_path: Path, data: dict[str, Any]) -> dict[str, str]:
    """Load ``data`` from a file; return {key path: message} of the errors it raises."""
    path = write_policy(tmp_path, data)
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    for error in caught.value.errors:
        assert error.file == str(path)
    found: dict[str, str] = {}
    for error in caught.value.errors:
        found[error.path] = (
            f"{found[error.path]} | {error.message}" if error.path in found else error.message
        )
    return found


def _index(items: list[dict[str, Any]], item_id: str) -> int:
    return next(i for i, item in enumerate(items) if item["id"] == item_id)


def test_agreement_naming_an_undeclared_category_is_refused_naming_the_key(tmp_path: Path) -> None:
    data = camden_dict()
    at = _index(data["agreements"], "notice-health")
    data["agreements"][at]["categories"][0] = "shoe-size"
    errors = _errors(tmp_path, data)
    assert "'shoe-size' is not a declared category" in errors[f"agreements[{at}].categories[0]"]


def test_special_category_purpose_without_article_9_condition_is_refused_naming_the_key(
    tmp_path: Path,
) -> None:
    data = camden_dict()
    data["purposes"][2]["lawful_basis"].pop("article_9")
    errors = _errors(tmp_path, data)
    message = errors["purposes[2].lawful_basis.article_9"]
    assert "special category data" in message and "Article 9(2) condition" in message


def test_criminal_offence_purpose_without_article_10_route_is_refused_naming_the_key(
    tmp_path: Path,
) -> None:
    data = small_policy_dict()
    data["purposes"][0]["lawful_basis"].pop("article_10")
    errors = _errors(tmp_path, data)
    assert "Article 10 route" in errors["purposes[0].lawful_basis.article_10"]


def test_agreement_ending_before_it_starts_is_refused(tmp_path: Path) -> None:
    data = camden_dict()
    at = _index(data["agreements"], "national-insights-dsa")
    data["agreements"][at]["valid_to"] = data["agreements"][at]["valid_from"].replace(year=2020)
    errors = _errors(tmp_path, data)
    assert "must be after valid_from" in errors[f"agreements[{at}].valid_to"]


def test_project_ending_before_it_starts_is_refused(tmp_path: Path) -> None:
    data = camden_dict()
    data["projects"][1]["end"] = data["projects"][1]["start"].replace(year=2020)
    errors = _errors(tmp_path, data)
    assert "must be after start" in errors["projects[1].end"]


def test_category_used_by_no_purpose_is_refused(tmp_path: Path) -> None:
    data = small_policy_dict()
    data["categories"].append(
        {"id": "shoe-size", "kind": "personal", "wording": "Shoe size", "sources": ["family"]}
    )
    errors = _errors(tmp_path, data)
    assert "not used by any purpose" in errors["categories[3]"]


def test_purpose_relying_on_consent_must_be_declared_consent_based(tmp_path: Path) -> None:
    data = small_policy_dict()
    data["purposes"][0]["lawful_basis"]["article_6"] = ["6(1)(a)"]
    errors = _errors(tmp_path, data)
    assert "relies on consent" in errors["purposes[0].lawful_basis.article_6[0]"]


def test_purpose_relying_on_explicit_consent_must_be_declared_consent_based(tmp_path: Path) -> None:
    data = small_policy_dict()
    data["purposes"][0]["lawful_basis"]["article_9"] = [{"condition": "9(2)(a)"}]
    errors = _errors(tmp_path, data)
    assert (
        "relies on consent (9(2)(a))" in errors["purposes[0].lawful_basis.article_9[0].condition"]
    )


def test_project_field_naming_an_undeclared_category_is_refused(tmp_path: Path) -> None:
    data = camden_dict()
    data["projects"][1]["fields"][2]["category"] = "star-sign"
    errors = _errors(tmp_path, data)
    assert "'star-sign' is not a declared category" in errors["projects[1].fields[2].category"]


def test_project_naming_an_undeclared_purpose_or_recipient_is_refused(tmp_path: Path) -> None:
    data = camden_dict()
    data["projects"][0]["purposes"] = ["world-peace"]
    data["projects"][0]["recipient"] = "the-moon"
    errors = _errors(tmp_path, data)
    assert "not a declared purpose" in errors["projects[0].purposes[0]"]
    assert "not a declared recipient" in errors["projects[0].recipient"]


def test_agreement_naming_an_undeclared_recipient_purpose_or_exemption_is_refused(
    tmp_path: Path,
) -> None:
    data = small_policy_dict()
    agreement = data["agreements"][0]
    agreement["recipient"] = "the-moon"
    agreement["purposes"] = ["world-peace"]
    agreement["exemptions"] = ["because-we-said-so"]
    errors = _errors(tmp_path, data)
    assert "not a declared recipient" in errors["agreements[0].recipient"]
    assert "not a declared purpose" in errors["agreements[0].purposes[0]"]
    assert "not a declared exemption" in errors["agreements[0].exemptions[0]"]


def test_article_9_2_g_needs_a_schedule_1_part_2_condition(tmp_path: Path) -> None:
    data = small_policy_dict()
    data["schedule_1_conditions"][0]["part"] = 1
    errors = _errors(tmp_path, data)
    assert "Part 2 of Schedule 1" in errors["purposes[0].lawful_basis.article_9[0].schedule_1"]


def test_statutory_purpose_must_cite_the_law_it_rests_on(tmp_path: Path) -> None:
    data = small_policy_dict()
    data["purposes"][0]["laws"] = []
    errors = _errors(tmp_path, data)
    assert "basis in law" in errors["purposes[0].laws"]


def test_law_citation_may_only_cite_sections_the_law_lists(tmp_path: Path) -> None:
    data = small_policy_dict()
    data["purposes"][0]["laws"] = [{"law": "children-act-1989", "sections": ["999"]}]
    errors = _errors(tmp_path, data)
    assert "section '999'" in errors["purposes[0].laws[0].sections[0]"]


def test_consent_must_be_withdrawable(tmp_path: Path) -> None:
    data = camden_dict()
    data["consent_processing"][0]["withdrawable"] = False
    errors = _errors(tmp_path, data)
    assert "withdraw" in errors["consent_processing[0].withdrawable"]


def test_duplicate_ids_are_refused_naming_both_places(tmp_path: Path) -> None:
    data = small_policy_dict()
    data["recipients"].append(dict(data["recipients"][0]))
    errors = _errors(tmp_path, data)
    assert "first at recipients[0].id" in errors["recipients[1].id"]


def test_unknown_bank_holiday_subdivision_is_refused(tmp_path: Path) -> None:
    data = small_policy_dict()
    data["rights"]["deadlines"][0]["bank_holidays"]["subdivision"] = "XYZ"
    errors = _errors(tmp_path, data)
    assert (
        "'XYZ' is not a subdivision of GB"
        in errors["rights.deadlines[0].bank_holidays.subdivision"]
    )


def test_unknown_key_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    data = small_policy_dict()
    data["agreements"][0]["valid_until"] = data["agreements"][0]["valid_from"]
    errors = _errors(tmp_path, data)
    assert "did you mean 'valid_to'?" in errors["agreements[0].valid_until"]


def test_wrong_kind_of_value_is_explained_in_plain_words(tmp_path: Path) -> None:
    data = small_policy_dict()
    data["categories"][0]["kind"] = "secret"
    data["agreements"][0]["valid_from"] = "January 2024"
    data["purposes"][0]["id"] = "Case_Work"
    data["controller"].pop("postcode")
    errors = _errors(tmp_path, data)
    assert errors["categories[0].kind"].startswith("must be one of 'personal'")
    assert "must be a date written like 2025-03-31" in errors["agreements[0].valid_from"]
    assert "kebab-case id" in errors["purposes[0].id"]
    assert errors["controller.postcode"] == "is required but missing"


def test_errors_are_plain_words_not_a_pydantic_dump(tmp_path: Path) -> None:
    data = small_policy_dict()
    data["categories"][0]["kind"] = "secret"
    data["agreements"][0]["family_told_by_default"] = "yes"
    path = write_policy(tmp_path, data)
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    text = str(caught.value)
    assert "2 problems in the policy" in text
    assert f"{path}: categories[0].kind: must be one of" in text
    for raw in (
        "validation error",
        "pydantic",
        "Traceback",
        "input_value",
        "For further information",
    ):
        assert raw not in text


def test_missing_file_is_a_policy_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy(tmp_path / "nowhere.toml")
    assert caught.value.errors[0].message == "the file does not exist"


def test_file_that_is_not_toml_is_a_policy_error_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('version = "1"\ntitle = \n', encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert "not valid TOML" in caught.value.errors[0].message
    assert "line 2" in caught.value.errors[0].message


def test_a_step_up_names_a_declared_recipient_and_purpose_an_agreement_covers(
    tmp_path: Path,
) -> None:
    data = camden_dict()
    data["sharing"]["step_up"]["recipient"] = "nobody-declared"
    assert "is not a declared recipient" in _errors(tmp_path, data)["sharing.step_up.recipient"]
    data = camden_dict()
    data["sharing"]["step_up"]["purpose"] = "no-such-purpose"
    assert "is not a declared purpose" in _errors(tmp_path, data)["sharing.step_up.purpose"]
    data = camden_dict()
    # Declared, but no agreement with the council's services covers it.
    data["sharing"]["step_up"]["purpose"] = "share-in-nursery-life"
    assert "no agreement with" in _errors(tmp_path, data)["sharing.step_up"]
