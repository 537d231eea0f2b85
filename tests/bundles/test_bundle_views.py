"""The bundle pages: only the officer handling the request reads them; every page showing
copied records records a look against each person shown; the reviewer's mistakes get a
message on the field and write nothing; the requester's link shows nothing about anyone."""

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.bundles import render, services
from earlyhelp.bundles.models import Bundle, Redaction
from earlyhelp.packages import services as packages
from earlyhelp.packages.models import ProtectedPackage
from earlyhelp.policy.active import active_policy
from earlyhelp.rights.models import RequestPerson
from tests.factories import ContactFactory
from tests.rights.scope_records import a_request, in_scope, ready_for_a_bundle

NOTE = "Visited Yusuf. Leila was at nursery. Tomasz called from 07700 900777."


@pytest.fixture
def officer(make_user, sign_in):
    user = make_user("ines", Role.INFORMATION_GOVERNANCE)
    sign_in(user)
    return user


@pytest.fixture
def bundle(family, case, officer, request_as, settings, tmp_path):
    settings.DOCUMENTS_DIR = tmp_path / "documents"
    ContactFactory(case=case, note=NOTE)
    rights_request = a_request(handled_by=officer)
    in_scope(rights_request, family["yusuf"], officer)
    in_scope(rights_request, family["mum"], officer, role=RequestPerson.Role.REQUESTER)
    rights_request = ready_for_a_bundle(rights_request, family["yusuf"], family["mum"], officer)
    return services.make_bundle(request_as(officer), rights_request)


def review_url(bundle):
    return reverse("bundles:review", args=[bundle.public_id]) + "?show=all"


def test_the_review_page_records_a_look_against_each_person_whose_records_it_shows(
    client, bundle, family
):
    before = AuditEvent.objects.count()
    response = client.get(review_url(bundle))
    assert response.status_code == 200
    assert "Leila" in response.content.decode()
    looks = AuditEvent.objects.filter(pk__gt=before, action="view", record_type="person")
    assert {e.record_id for e in looks} == {str(family["yusuf"].public_id)}
    assert all(e.details["bundle"] == str(bundle.public_id) for e in looks)


def test_another_officer_is_refused_the_review_and_no_look_is_recorded(
    client, bundle, make_user, sign_in
):
    sign_in(make_user("olu", Role.INFORMATION_GOVERNANCE))
    before = AuditEvent.objects.filter(action="view", record_type="person").count()
    response = client.get(review_url(bundle))
    assert response.status_code == 403
    assert "Leila" not in response.content.decode()
    assert AuditEvent.objects.filter(action="view", record_type="person").count() == before


def test_words_not_in_the_passage_are_refused_on_their_field_and_nothing_is_written(client, bundle):
    item = next(i for i in bundle.items.all() if i.text == NOTE)
    url = reverse("bundles:add_redaction", args=[bundle.public_id, item.number])
    response = client.post(
        url, {"words": "not there", "exemption": "third-party", "reason": "Because"}
    )
    assert response.status_code == 200
    assert "They do not appear in this passage" in response.content.decode()
    assert not Redaction.objects.filter(origin="added").exists()


def test_a_post_to_decide_without_an_exemption_when_redacting_changes_nothing(client, bundle):
    redaction = Redaction.objects.filter(item__bundle=bundle).first()
    url = reverse("bundles:decide", args=[bundle.public_id, redaction.public_id])
    response = client.post(url, {"decision": "accepted", "exemption": ""}, follow=True)
    assert "Select the exemption you rely on" in response.content.decode()
    redaction.refresh_from_db()
    assert redaction.decision == "pending"


def test_the_password_is_shown_once_and_a_second_sending_makes_no_second_link(
    client, bundle, officer, request_as
):
    services.decide_all(request_as(officer), bundle, "third-party")
    services.approve(request_as(officer), bundle)
    url = reverse("bundles:send", args=[bundle.public_id])
    form = {"how": "By email", "form_token": "tok-1234567890abcdefghijkl"}
    first = client.post(url, form)
    assert first.status_code == 200
    assert "no-store" in first["Cache-Control"]
    again = client.post(url, form)
    assert again.status_code == 409
    assert ProtectedPackage.objects.count() == 1


def test_the_requesters_link_names_nobody_and_an_unknown_link_says_only_that_it_does_not_work(
    client, bundle, officer, request_as, family
):
    services.decide_all(request_as(officer), bundle, "third-party")
    services.approve(request_as(officer), bundle)
    made = services.deliver(request_as(officer), Bundle.objects.get(pk=bundle.pk), "By email")
    client.logout()
    page = client.get(reverse("packages_public:link", args=[made.token]))
    assert page.status_code == 200
    text = page.content.decode()
    for name in ("Yusuf", "Haddad", "Amira", bundle.request.reference):
        assert name not in text
    assert page["Referrer-Policy"] == "no-referrer"
    wrong = client.get(reverse("packages_public:link", args=["x" * 43]))
    assert wrong.status_code == 404
    assert "expired or is not valid" in wrong.content.decode()
    download = client.get(reverse("packages_public:link_file", args=[made.token]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_the_schedule_lists_each_redaction_with_its_exemption_and_is_audited(
    client, bundle, officer, request_as
):
    services.decide_all(request_as(officer), bundle, "third-party")
    services.approve(request_as(officer), bundle)
    before = AuditEvent.objects.count()
    response = client.get(reverse("bundles:schedule", args=[bundle.public_id]))
    assert response.status_code == 200
    text = " ".join(render.all_text(response.content).split())
    assert "S2P16 Information about another person" in text
    assert "Leila" in text  # the schedule keeps what was redacted, for the ICO
    assert AuditEvent.objects.filter(pk__gt=before, action="print").exists()


def test_the_cover_letter_gives_the_policys_words_on_what_was_searched_and_the_ico(
    bundle, officer, request_as
):
    from earlyhelp.cases import documents

    services.decide_all(request_as(officer), bundle, "third-party")
    approved = services.approve(request_as(officer), bundle)
    text = " ".join(render.all_text(documents.read(approved.file_sha256)).split())
    policy = active_policy()
    assert " ".join(policy.rights.access_bundle.searched.split()) in text
    assert policy.complaints.ico.phone in text
    assert "S2P16" in text


def test_the_request_page_records_what_was_sent_when_and_how_often_it_was_downloaded(
    client, bundle, officer, request_as
):
    services.decide_all(request_as(officer), bundle, "third-party")
    services.approve(request_as(officer), bundle)
    made = services.deliver(
        request_as(officer), Bundle.objects.get(pk=bundle.pk), "by email to the requester"
    )
    packages.download(request_as(officer), made.package)
    page = client.get(reverse("rights:request", args=[bundle.request.public_id]))
    timeline = page.content.decode().split('id="timeline"')[1].split("</ol>")[0]
    pages = Bundle.objects.get(pk=bundle.pk).page_count
    assert f"Bundle of {pages:,} pages approved by" in timeline
    assert "Bundle sent by email to the requester: the link works until" in timeline
    assert "downloaded 1 time</li>" in timeline
