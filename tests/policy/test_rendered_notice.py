"""The rendered notice states every fact of the source notice, from the policy alone."""

import json
import re
from datetime import date, timedelta

import pytest

from earlyhelp.policy.loader import policy_from_dict
from earlyhelp.policy.render import notice_html_context, notice_markdown

from . import camden_dict, camden_policy


@pytest.fixture(scope="module")
def markdown() -> str:
    # Links are written [text](address); facts are checked in the words and the addresses.
    return notice_markdown(camden_policy())


SECTION_TITLES = [
    "1. Introduction",
    "2. The data controller and Data Protection Officer",
    "3. What information do we process",
    "4. The purpose for which data is processed",
    "5. Agencies we may share your data with",
    "6. Storing and retaining personal data",
    "7. Do I have to provide this information and what will happen if I don't?",
    "8. Transferring data out of",
    "9. Automated decision making",
    "10. Your data subject rights and requesting access to personal data",
    "11. The right to lodge a complaint with a supervisory authority",
    "12. Legal basis for processing information",
]


def test_notice_has_all_twelve_sections_in_order(markdown: str) -> None:
    headings = re.findall(r"^## (.+)$", markdown, flags=re.MULTILINE)
    assert len(headings) == 12
    for heading, title in zip(headings, SECTION_TITLES, strict=True):
        assert heading.startswith(title)


def test_notice_names_every_service_and_sub_service(markdown: str) -> None:
    for name in [
        "Integrated Early Years",
        "Family Support and Complex Families",
        "Integrated Youth Support Services (IYSS)",
        "Youth Early Help",
        "Youth Service",
        "Connexions and Careers",
        "FWD Young Person's Substance Misuse",
        "Engage Youth Diversion Project",
        "Youth Justice",
        "Youth Violence and Exploitation Services",
        "developmental reviews by Health Visitors",
        "drop-in stay and play sessions",
    ]:
        assert name in markdown


def test_notice_names_the_controller_and_dpo_with_their_contacts(markdown: str) -> None:
    for fact in [
        "London Borough of Camden, Judd Street, London, WC1H 9JE",
        "www.camden.gov.uk",
        "Andrew Maughan",
        "Borough Solicitor",
        "[dpo@camden.gov.uk](mailto:dpo@camden.gov.uk)",
        "the Data Protection Officer's online contact link",
    ]:
        assert fact in markdown


def test_notice_lists_every_category_purpose_and_recipient_group_word_for_word(
    markdown: str,
) -> None:
    data = camden_dict()
    listed = [r for r in data["recipients"] if r["in_sharing_list"]]
    assert len(listed) == 11
    for item in data["categories"] + data["purposes"] + listed:
        assert item["wording"].rstrip(".") in markdown, item["id"]
    assert markdown.count("Other information as individual circumstances require") == 3


def test_notice_states_how_sharing_works_and_when_families_are_not_told(markdown: str) -> None:
    for fact in [
        "some, or all information listed in section 3",
        "may also be requested from other parties",
        "does not need consent to share data",
        "where we are asking for information from the police",
        "to alert that the child concerned may be at risk of harm",
        "data matching",
        "[the Council's general privacy page](https://www.camden.gov.uk/privacy)",
        "Data Sharing Agreements (DSAs) | Open Data Portal (camden.gov.uk)",
    ]:
        assert fact in markdown


def test_notice_describes_national_insights_with_its_conditions(markdown: str) -> None:
    for fact in [
        "Early Help and Supporting Families National Insights data collection",
        "all cases with an Early Help assessment",
        "Supporting Families programme",
        "until 31 March 2025",
        "Pseudonymised data",
        "IFF Research",
        "secure data transfer portal",
        "cohort level data",
        "Data Sharing agreement on the council's portal",
    ]:
        assert fact in markdown


def test_notice_describes_liia_with_its_conditions(markdown: str) -> None:
    for fact in [
        "London Innovation and Improvement Alliance",
        "pan-London initiative",
        "The data is shared with: London Innovation and Improvement Alliance (LIIA) platform",
        '"Tim Smith, DOB 17th Jan 2000, postcode SW14 2JU" becomes '
        '"ID 58095927, DOB Jan 2000, postcode SW14"',
        "under no circumstances will the data be used for any automated decision making",
        "in accordance with the Data Protection Act",
        "smallest possible number of people",
        "all data is destroyed after six years",
        "right to object to your data being used this way",
        "[DPO@camden.gov.uk](mailto:DPO@camden.gov.uk)",
    ]:
        assert fact in markdown


def test_notice_states_storage_both_retention_periods_and_eylog(markdown: str) -> None:
    for fact in [
        "MOSAIC",
        "Core IYSS",
        "Childview",
        "National Drug Treatment Monitoring Service (NDTMS)",
        "shared drives",
        "Office",
        "technical and organisation measures",
        "until your child is 25 as part of the Council's statutory duty",
        "If you are 18 or over",
        "for six years",
        "eyLog Parent application",
        "Council-maintained nurseries",
        "eyManage nursery management system (which is owned by Eyworks Limited)",
        "shared with other parents",
        "Eyworks will own the data and information",
    ]:
        assert fact in markdown


def test_notice_states_provision_transfers_and_automated_decisions(markdown: str) -> None:
    for fact in [
        "we will be unable to provide you with the support you require",
        "will not transfer data out of the EU/EEA unless a child goes to live in a country outside",
        "liaise with the appropriate authority in that country",
        "We do not use automated decision-making or profiling",
    ]:
        assert fact in markdown


def test_notice_states_the_13_and_over_consent_rule_and_rights(markdown: str) -> None:
    for fact in [
        "parents, carers and children have the right to request a copy",
        "Parental access to a child's data is not automatic and may be restricted",
        "Where the child is aged 13 and over, they must consent to a parent having access.",
        "Your rights - Camden Council",
        "[the ICO website](https://ico.org.uk/)",
        "web form",
        "within one calendar month",
    ]:
        assert fact in markdown


def test_notice_gives_every_complaint_route(markdown: str) -> None:
    for fact in [
        "Information Commissioner's Office (ICO)",
        "[dpa@camden.gov.uk](mailto:dpa@camden.gov.uk)",
        "without charge",
        "[0303 123 1113](tel:03031231113)",
        "https://ico.org.uk/global/contact-us/live-chat/",
        "https://ico.org.uk/global/contact-us/",
        "https://ico.org.uk/",
    ]:
        assert fact in markdown


def test_notice_states_the_lawful_bases_of_section_12(markdown: str) -> None:
    for fact in [
        "article 6(1)(c) (legal obligation) and 6(1)(e) (public task)",
        "For the eyLog Parent application only: UK GDPR article 6(1)(a) (consent)",
        "For the eyLog Parent application only: UK GDPR article 9(2)(a) explicit consent",
        "9(2)(g) reasons of substantial public interest (with a basis in law)",
        "9(2)(h) health or social care (with a basis in law)",
        "Schedule 1 Part 2 conditions: paragraph 6 (Statutory and government purposes) and "
        "paragraph 18 (Safeguarding of children and individuals at risk)",
        "Schedule 1 Part 1 conditions: paragraph 1 (Employment, social security and social "
        "protection) and paragraph 2 (Health or social care purposes)",
        "Article 10 requirements are met by the Article 6 legal basis",
    ]:
        assert fact in markdown


def test_notice_lists_every_law_of_section_12_with_its_sections(markdown: str) -> None:
    for law in [
        "Children Act 1989 sections 17 and 47 and schedule 2 part 1",
        "Children Act 2004 sections 10 and 11",
        "Childcare Act 2006 section 1",
        "Children and Families Act 2014 sections 23 and 25",
        "Welfare Reform Act 2012",
        "Criminal Justice and Court Services Act 2000",
        "Crime and Disorder Act 1998 sections 17, 37 and 115",
        "Equality Act 2010",
        "National Health Service Act 2006 section 82",
        "Education Act 2002",
        "Education and Skills Act 2008",
        "Localism Act 2011",
        "Digital Economy Act 2017",
        "Special Education Needs and Disability Regulations 2014",
        "Immigration and Asylum Act 1999",
    ]:
        assert f"- {law}\n" in markdown


def test_notice_says_when_it_was_last_updated(markdown: str) -> None:
    assert "Last updated: November 2023" in markdown


def test_html_context_is_plain_data_with_the_same_words_as_the_markdown(markdown: str) -> None:
    context = notice_html_context(camden_policy())
    json.dumps(context)  # plain data only: a template can render it, a test can compare it
    assert context["last_updated"] == "2023-11-01"
    assert context["last_updated_display"] == "November 2023"
    assert [s["number"] for s in context["sections"]] == list(range(1, 13))
    plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    for section in context["sections"]:
        for block in section["blocks"]:
            for text in block.get("texts", [block.get("text", "")]):
                assert text in plain


def test_html_context_gives_links_their_addresses() -> None:
    context = notice_html_context(camden_policy())
    hrefs = {
        part["text"]: part["href"]
        for section in context["sections"]
        for block in section["blocks"]
        for part in block.get("parts", []) + [p for item in block.get("items", []) for p in item]
        if part["href"]
    }
    assert hrefs["dpa@camden.gov.uk"] == "mailto:dpa@camden.gov.uk"
    assert hrefs["www.camden.gov.uk"] == "https://www.camden.gov.uk"


def test_notice_changes_when_the_policy_changes() -> None:
    data = camden_dict()
    data["rights"]["parental_access"]["child_consent_age"] = 16
    data["retention"]["rules"][0]["period"] = {"years": 21}
    markdown = notice_markdown(policy_from_dict(data))
    assert "Where the child is aged 16 and over" in markdown
    assert "until your child is 21" in markdown


def test_sections_10_and_11_link_to_the_form_address_the_product_gives() -> None:
    markdown = notice_markdown(camden_policy(), request_form_url="/your-rights/")
    label = camden_policy().rights.request_form.label
    assert markdown.count(f"[{label}](/your-rights/)") == 2
    rights, complaints = markdown.split("## 10.")[1].split("## 11.")
    assert f"[{label}](/your-rights/)" in rights
    assert f"You can also complain to us through the same web form: [{label}](/your-rights/)" in (
        complaints
    )


def test_without_a_form_address_the_form_is_named_but_not_linked(markdown: str) -> None:
    label = camden_policy().rights.request_form.label
    assert f"web form: {label}." in markdown
    assert f"[{label}]" not in markdown


def test_section_11_states_the_complaint_clock_once_it_is_in_force() -> None:
    handling = camden_policy().complaints.handling
    said = (
        f"We will acknowledge your complaint within {handling.acknowledge_within_days} days of "
        f"receiving it, and tell you the outcome {handling.outcome}."
    )
    after = notice_markdown(camden_policy(), today=handling.in_force_from)
    before = notice_markdown(camden_policy(), today=handling.in_force_from - timedelta(days=1))
    assert said in after.split("## 11.")[1]
    assert said not in before


def test_section_10_states_the_time_limit_in_force_on_the_day() -> None:
    before = notice_markdown(camden_policy(), today=date(2026, 2, 4))
    after = notice_markdown(camden_policy(), today=date(2026, 2, 5))
    assert "proof of your identity and any clarification we need" in before
    assert "proof of your identity and any fee we are allowed to charge" in after
