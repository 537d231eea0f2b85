import pytest
from django.urls import reverse
from django.utils.html import escape

from earlyhelp.access.roles import Role
from earlyhelp.policy.render import notice_markdown

from . import camden_policy

NOTICE = reverse("policy:privacy_notice")
ROPA = reverse("policy:ropa")


@pytest.mark.django_db
def test_privacy_notice_is_public_and_rendered_from_the_policy(client):
    response = client.get(NOTICE)
    page = response.content.decode()
    policy = camden_policy()
    assert response.status_code == 200
    assert "Last updated November 2023" in page
    assert policy.version in page
    assert policy.dpo.email in page
    for recipient in policy.recipients:
        if recipient.in_sharing_list:
            assert escape(recipient.wording) in page


@pytest.mark.django_db
def test_privacy_notice_page_says_what_the_markdown_notice_says(client):
    page = client.get(NOTICE).content.decode()
    headings = [
        line.lstrip("# ")
        for line in notice_markdown(camden_policy()).splitlines()
        if line.startswith("## ")
    ]
    assert len(headings) == 12
    for heading in headings:
        assert escape(heading) in page


@pytest.mark.django_db
def test_policy_file_named_by_the_setting_is_the_one_published(client, settings, tmp_path):
    from . import camden_dict, write_policy

    data = camden_dict()
    data["dpo"]["name"] = "Jo Example"
    settings.POLICY_PATH = write_policy(tmp_path, data)
    assert "Jo Example" in client.get(NOTICE).content.decode()


@pytest.mark.django_db
def test_record_of_processing_is_for_information_governance_only(client, make_user, sign_in):
    sign_in(make_user("worker", Role.PRACTITIONER))
    assert client.get(ROPA).status_code == 403


@pytest.mark.django_db
def test_information_governance_officer_reads_the_record_of_processing(client, make_user, sign_in):
    sign_in(make_user("igo", Role.INFORMATION_GOVERNANCE))
    response = client.get(ROPA)
    page = response.content.decode()
    assert response.status_code == 200
    for purpose in camden_policy().purposes:
        assert f'id="purpose-{purpose.id}"' in page
    assert "Article 6 basis" in page and "Retention" in page


@pytest.mark.django_db
def test_record_of_processing_sends_a_signed_out_visitor_to_sign_in(client):
    response = client.get(ROPA)
    assert response.status_code == 302
    assert response.url.startswith(reverse("access:login"))
