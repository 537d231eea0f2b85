"""The subject access bundle from request to download: gathered from the data map, other
people's information proposed for redaction from the family's own records, decided by a
person, burned into the PDF, protected by a password behind a link that expires; every
decision and download audited."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfReader

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.bundles import render, services
from earlyhelp.bundles.models import Bundle, BundleItem, Redaction
from earlyhelp.cases import documents
from earlyhelp.datamap.registry import ISO_DAY, is_record_link
from earlyhelp.packages import services as packages
from earlyhelp.packages.models import ProtectedPackage
from earlyhelp.rights.models import ChildAccessDecision, RequestPerson
from tests.factories import ContactFactory, ContactMethodFactory, DocumentFactory
from tests.rights.scope_records import a_request, in_scope, ready_for_a_bundle

NOTE = (
    "Visited Yusuf at home with Amira. Yusuf said Leila was upset at school. "
    "Their dad Tomasz rang from 07700 900123. Leila's NHS number is 999 945 8076. "
    "Worker Sam Patel will visit again."
)


@pytest.fixture
def rights_request(family, case, officer, worker, documents_dir):
    ContactFactory(case=case, note=NOTE)
    ContactMethodFactory(person=family["dad"], kind="phone", value="07700 900123")
    request = a_request(handled_by=officer)
    in_scope(request, family["yusuf"], officer)
    in_scope(request, family["mum"], officer, role=RequestPerson.Role.REQUESTER)
    request = ready_for_a_bundle(request, family["yusuf"], family["mum"], officer)
    return request


def _note_item(bundle: Bundle) -> BundleItem:
    # The text is encrypted in the database, so it is compared here, not in a filter.
    return next(item for item in bundle.items.all() if item.text == NOTE)


def _proposed(bundle: Bundle) -> dict[str, Redaction]:
    found = {}
    for redaction in Redaction.objects.filter(item__bundle=bundle).select_related("item"):
        found.setdefault(redaction.item.text[redaction.start : redaction.end], redaction)
    return found


def test_a_siblings_name_a_parents_phone_and_another_childs_nhs_number_are_proposed(
    rights_request, request_as, officer
):
    bundle = services.make_bundle(request_as(officer), rights_request)
    proposed = _proposed(bundle)
    assert "Leila" in proposed
    assert "07700 900123" in proposed
    assert "999 945 8076" in proposed
    assert any(w.startswith("Tomasz") for w in proposed)


def test_the_requester_the_subject_and_workers_are_not_proposed(
    rights_request, request_as, officer
):
    bundle = services.make_bundle(request_as(officer), rights_request)
    proposed = _proposed(bundle)
    for own in ("Yusuf", "Amira", "Sam Patel", "Sam", "Patel"):
        assert own not in proposed


def test_the_bundle_copies_the_contact_note_and_starts_with_the_third_party_exemption(
    rights_request, request_as, officer
):
    bundle = services.make_bundle(request_as(officer), rights_request)
    assert _note_item(bundle) is not None
    proposed = Redaction.objects.filter(item__bundle=bundle)
    assert set(proposed.values_list("exemption", flat=True)) == {"third-party"}


def test_approving_burns_in_accepted_redactions_and_keeps_rejected_words(
    rights_request, request_as, officer
):
    request = request_as(officer)
    bundle = services.make_bundle(request, rights_request)
    proposed = _proposed(bundle)
    services.decide(request, proposed["Leila"], "accepted", "third-party", "")
    services.decide(request, proposed["999 945 8076"], "accepted", "third-party", "")
    phone = proposed["07700 900123"]
    services.decide(request, phone, "rejected", "", "The father's number is known to them")
    note_item = _note_item(bundle)
    services.add_redaction(request, note_item, "upset at school", "serious-harm", "Distress")
    services.decide_all(request, bundle, "third-party")
    bundle = services.approve(request, bundle)
    pdf = documents.read(bundle.file_sha256)
    text = render.all_text(pdf)
    for gone in ("Leila", "999 945 8076", "9458076", "upset at school"):
        assert gone not in text
    assert "07700 900123" in text
    assert "Yusuf" in text
    accepted = Redaction.objects.filter(item__bundle=bundle, decision="accepted")
    assert not accepted.filter(page=None).exists()


def test_every_decision_is_audited_against_the_person_whose_record_it_is(
    rights_request, request_as, officer, family
):
    request = request_as(officer)
    bundle = services.make_bundle(request, rights_request)
    redaction = _proposed(bundle)["Leila"]
    before = AuditEvent.objects.count()
    services.decide(request, redaction, "accepted", "third-party", "")
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert event.record_id == str(redaction.item.person.public_id)
    assert event.details["redaction"] == str(redaction.public_id)
    assert event.details["exemption"] == "third-party"


def test_a_bundle_cannot_be_approved_with_proposals_undecided(rights_request, request_as, officer):
    request = request_as(officer)
    bundle = services.make_bundle(request, rights_request)
    with pytest.raises(services.BundleRefused, match=r"redactions: .* not decided"):
        services.approve(request, bundle)
    bundle.refresh_from_db()
    assert bundle.status == Bundle.Status.REVIEWING and not bundle.file_sha256


def test_only_the_officer_handling_the_request_makes_its_bundle(
    rights_request, request_as, make_user
):
    other = make_user("olu", Role.INFORMATION_GOVERNANCE)
    with pytest.raises(services.BundleRefused, match="only the officer handling it"):
        services.make_bundle(request_as(other), rights_request)
    assert not Bundle.objects.exists()


def test_an_exemption_not_in_the_policy_is_refused(rights_request, request_as, officer):
    request = request_as(officer)
    bundle = services.make_bundle(request, rights_request)
    with pytest.raises(services.BundleRefused, match="exemption:"):
        services.decide(request, _proposed(bundle)["Leila"], "accepted", "because-i-said", "")
    assert not Redaction.objects.filter(decision="accepted").exists()


def test_added_words_must_appear_in_the_passage(rights_request, request_as, officer):
    request = request_as(officer)
    bundle = services.make_bundle(request, rights_request)
    item = _note_item(bundle)
    with pytest.raises(services.BundleRefused, match="words: they do not appear"):
        services.add_redaction(request, item, "not in the note", "third-party", "why")


def test_a_withheld_record_leaves_no_trace_of_its_text(rights_request, request_as, officer):
    request = request_as(officer)
    bundle = services.make_bundle(request, rights_request)
    item = _note_item(bundle)
    services.withhold(request, item, "serious-harm", "Likely to cause distress", whole_record=True)
    services.decide_all(request, bundle, "third-party")
    bundle = services.approve(request, bundle)
    text = render.all_text(documents.read(bundle.file_sha256))
    assert "Visited Yusuf at home" not in text
    assert "S3P3" in text


def test_a_childs_records_a_parent_may_not_have_are_left_out_and_the_letter_says_so(
    rights_request, request_as, officer, family
):
    ChildAccessDecision.objects.create(
        request=rights_request,
        child=family["yusuf"],
        parent=family["mum"],
        parental_responsibility=True,
        child_age=14,
        consent="refused",
        allowed=False,
        decided_by=officer,
    )
    request = request_as(officer)
    bundle = services.make_bundle(request, rights_request)
    assert not BundleItem.objects.filter(bundle=bundle, person=family["yusuf"]).exists()
    bundle = services.approve(request, bundle)
    text = render.all_text(documents.read(bundle.file_sha256))
    assert "did not agree to share them with you" in " ".join(text.split())


def test_the_link_gives_the_protected_pdf_until_it_expires_and_counts_each_download(
    rights_request, request_as, officer, rf
):
    request = request_as(officer)
    bundle = services.make_bundle(request, rights_request)
    services.decide_all(request, bundle, "third-party")
    services.approve(request, bundle)
    made = services.deliver(request, bundle, "By email to the address given")
    outcome = rights_request.outcomes.get()
    assert (outcome.right, outcome.result) == ("access", "partly")
    assert "redaction" in outcome.what_was_done
    anonymous = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    anonymous.user = AnonymousUser()
    delivery = packages.for_link(made.token)
    data = packages.download(anonymous, delivery)
    reader = PdfReader(ContentFile(data))
    assert reader.is_encrypted
    assert reader.decrypt(made.password)
    delivery.refresh_from_db()
    assert delivery.downloads == 1
    assert AuditEvent.objects.filter(
        action="export", details__what="subject access bundle downloaded (link)"
    ).exists()
    ProtectedPackage.objects.filter(pk=delivery.pk).update(
        expires_at=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(packages.PackageRefused, match="link:"):
        packages.for_link(made.token)
    assert packages.remove_expired() == 1
    assert not documents.path_for(delivery.file_sha256).exists()


def test_a_document_uploaded_to_the_record_is_in_the_bundle_with_its_redactions(
    rights_request, request_as, officer, case, family
):
    from fpdf import FPDF

    letter = FPDF()
    letter.add_page()
    letter.set_font("helvetica", size=12)
    letter.cell(text="School letter: Leila Haddad missed five days.")
    data = bytes(letter.output())
    sha256, size = documents.store(ContentFile(data, name="letter.pdf"))
    DocumentFactory(case=case, person=family["yusuf"], sha256=sha256, size=size)
    request = request_as(officer)
    bundle = services.make_bundle(request, rights_request)
    page = BundleItem.objects.get(bundle=bundle, document_kind="pdf")
    assert "Leila Haddad" in page.text
    services.decide_all(request, bundle, "third-party")
    bundle = services.approve(request, bundle)
    text = render.all_text(documents.read(bundle.file_sha256))
    assert "Leila Haddad" not in text
    assert "Leila" not in text


def test_the_data_map_export_lists_the_bundle_kept_about_a_person(
    rights_request, request_as, officer, family, tmp_path
):
    from earlyhelp.datamap.export import export_subject

    services.make_bundle(request_as(officer), rights_request)
    exported = export_subject(family["yusuf"], tmp_path / "out", officer)
    assert exported.rows_by_model["bundles.BundleItem"] > 0
    assert exported.rows_by_model["bundles.Bundle"] == 1


def test_a_bundle_does_not_copy_an_earlier_bundle(rights_request, request_as, officer):
    first = services.make_bundle(request_as(officer), rights_request)
    second = services.make_bundle(request_as(officer), rights_request)
    # The same records (the audit trail has grown by the first bundle's own events).
    records = lambda b: b.items.exclude(record_model="audit.AuditEvent").count()  # noqa: E731
    assert records(second) == records(first)
    assert not second.items.filter(record_model__startswith="bundles.").exists()
    first.refresh_from_db()
    assert first.status == Bundle.Status.REPLACED


def test_the_expire_command_removes_expired_links_and_is_safe_to_rerun(
    rights_request, request_as, officer
):
    from io import StringIO

    from django.core.management import call_command

    request = request_as(officer)
    bundle = services.make_bundle(request, rights_request)
    services.decide_all(request, bundle, "third-party")
    services.approve(request, bundle)
    made = services.deliver(request, bundle, "By email")
    ProtectedPackage.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    out = StringIO()
    call_command("bundles", "expire", stdout=out)
    assert "Removed 1" in out.getvalue()
    call_command("bundles", "expire", stdout=out)
    assert "No link has expired" in out.getvalue()
    bundle.refresh_from_db()
    assert documents.path_for(bundle.file_sha256).exists()  # the file kept for the record
    assert not documents.path_for(made.package.file_sha256).exists()


def test_no_bundle_before_the_requesters_identity_evidence_is_recorded(
    family, case, officer, request_as, documents_dir
):
    request = a_request(handled_by=officer)
    in_scope(request, family["yusuf"], officer)
    with pytest.raises(services.BundleRefused, match="identity: record"):
        services.make_bundle(request_as(officer), request)
    assert not Bundle.objects.exists()


def test_no_bundle_of_a_childs_records_for_a_parent_before_their_access_is_decided(
    family, case, officer, request_as, documents_dir
):
    request = a_request(handled_by=officer)
    in_scope(request, family["yusuf"], officer)
    request = ready_for_a_bundle(request, family["yusuf"], None, officer)
    with pytest.raises(services.BundleRefused, match="child: decide whether"):
        services.make_bundle(request_as(officer), request)
    assert not Bundle.objects.exists()


def test_the_bundle_shows_dates_in_words_staff_by_name_and_no_record_ids(
    rights_request, request_as, officer, family
):
    request = request_as(officer)
    bundle = services.make_bundle(request, rights_request)
    texts = [item.text for item in bundle.items.all()]
    assert not [t for t in texts if is_record_link(t)]
    assert not [t for t in texts if ISO_DAY.fullmatch(t)]
    assert "9 February 2016" in texts  # Yusuf's date of birth, in words
    unnamed = {u.username for u in type(officer).objects.filter(first_name="", last_name="")}
    assert not unnamed & {item.written_by for item in bundle.items.all()}
