"""The IG officer's data map page, and the record of processing's links into it."""

from django.urls import reverse

from earlyhelp.access.roles import Role


def test_the_data_map_page_shows_each_model_in_the_policys_words(client, make_user, sign_in):
    sign_in(make_user("grace", Role.INFORMATION_GOVERNANCE))
    page = client.get(reverse("datamap:data_map")).content.decode()
    assert '<h2 class="govuk-heading-m" id="cases-contact">Contact</h2>' in page
    # Categories in the policy's wording, fields by their labels, never the category ids.
    assert (
        "<li>Case, kind, occurred at, note, people present: Records of phone conversations "
        "and/or meetings between you or your carers and or representatives and Council staff"
        "</li>"
    ) in page
    assert "call-and-meeting-records" not in page
    assert "We will keep information until your child is 25" in page
    assert "Kept with people present removed" in page


def test_each_purpose_of_the_record_of_processing_links_to_the_records_holding_its_data(
    client, make_user, sign_in
):
    sign_in(make_user("grace", Role.INFORMATION_GOVERNANCE))
    page = client.get(reverse("policy:ropa")).content.decode()
    assert "Held in the case system" in page
    assert (
        f'href="{reverse("datamap:data_map")}#people-healthcondition">Health condition</a>' in page
    )


def test_the_data_map_is_for_the_information_governance_officer_only(client, make_user, sign_in):
    sign_in(make_user("priya", Role.PRACTITIONER, Role.TEAM_MANAGER, Role.ANALYST))
    assert client.get(reverse("datamap:data_map")).status_code == 403
