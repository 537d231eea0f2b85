"""The Camden file encodes the notice and loads without errors."""

from datetime import date

import pytest

from earlyhelp.policy.loader import load_policy
from earlyhelp.policy.schema import Policy

from . import CAMDEN


@pytest.fixture(scope="module")
def camden() -> Policy:
    return load_policy(CAMDEN)


def test_camden_policy_loads_without_errors(camden: Policy) -> None:
    assert camden.controller.name == "London Borough of Camden"
    assert camden.version


def test_camden_notice_was_last_updated_in_november_2023(camden: Policy) -> None:
    assert (camden.last_updated.year, camden.last_updated.month) == (2023, 11)


def test_camden_lists_every_service_and_iyss_sub_service(camden: Policy) -> None:
    services = {s.id: s for s in camden.services}
    assert set(services) == {
        "integrated-early-years",
        "family-support-and-complex-families",
        "iyss",
    }
    assert [s.name for s in services["iyss"].sub_services] == [
        "Youth Early Help",
        "Youth Service",
        "Connexions and Careers",
        "FWD Young Person's Substance Misuse",
        "Engage Youth Diversion Project",
        "Youth Justice",
        "Youth Violence and Exploitation Services",
    ]


def test_camden_has_every_section_3_category_with_its_kind(camden: Policy) -> None:
    kinds = [c.kind for c in camden.categories]
    assert kinds.count("personal") == 19
    assert kinds.count("special_category") == 6
    assert kinds.count("criminal_offence") == 3
    # "Other information as individual circumstances require" appears once per kind.
    assert sorted(c.kind for c in camden.categories if c.catch_all) == [
        "criminal_offence",
        "personal",
        "special_category",
    ]


def test_camden_has_every_section_4_purpose_and_only_eylog_rests_on_consent(camden: Policy) -> None:
    assert len(camden.purposes) == 11
    consent = [p.id for p in camden.purposes if p.consent_based]
    assert consent == ["share-in-nursery-life"]
    assert camden.purpose("share-in-nursery-life").lawful_basis.article_6 == ["6(1)(a)"]


def test_camden_statutory_purposes_cite_article_6_c_and_e_with_schedule_1_conditions(
    camden: Policy,
) -> None:
    for purpose in camden.purposes:
        if purpose.consent_based:
            continue
        basis = purpose.lawful_basis
        assert basis.article_6 == ["6(1)(c)", "6(1)(e)"]
        assert [c.condition for c in basis.article_9] == ["9(2)(g)", "9(2)(h)"]
        assert basis.article_10 is not None


def test_camden_lists_every_section_5b_recipient_group(camden: Policy) -> None:
    listed = [r.id for r in camden.recipients if r.in_sharing_list]
    assert len(listed) == 11
    assert "ofsted" in listed and "other-nursery-parents" in listed


def test_camden_has_both_projects_with_their_conditions(camden: Policy) -> None:
    insights, liia = camden.project("national-insights"), camden.project("liia")
    assert insights.end == date(2025, 3, 31)
    assert liia.recipient_retention.years == 6
    assert liia.no_automated_decisions is True
    assert liia.objection_honoured is True
    rules = {f.name: f.rule for f in liia.fields}
    assert rules["date-of-birth"] == "date_to_month"
    assert rules["postcode"] == "postcode_to_district"
    assert rules["person-reference"] == "keyed_pseudonym"


def test_camden_keeps_child_records_until_25_and_adult_records_six_years(camden: Policy) -> None:
    rules = {r.subject: r for r in camden.retention.rules}
    assert (rules["child"].trigger, rules["child"].period.years) == ("date_of_birth", 25)
    assert (rules["adult"].trigger, rules["adult"].period.years) == ("last_involvement", 6)


def test_camden_requires_consent_from_children_aged_13_and_over(camden: Policy) -> None:
    assert camden.rights.parental_access.child_consent_age == 13


def test_camden_lists_all_fifteen_laws_of_section_12(camden: Policy) -> None:
    assert len(camden.laws) == 15
    assert camden.law("crime-and-disorder-act-1998").sections == ["17", "37", "115"]


def test_camden_stores_data_in_every_system_the_notice_names(camden: Policy) -> None:
    names = " ".join(s.name for s in camden.storage.systems)
    for system in (
        "MOSAIC",
        "Core IYSS",
        "Childview",
        "NDTMS",
        "shared drives",
        "Office",
        "eyManage",
    ):
        assert system in names
