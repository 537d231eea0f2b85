"""A disclosure leaves as a protected package (issue 17 item 4): told of at once in the same
step, or, not told, only after a team manager's approval; the package holds the records
shared (and the documents uploaded to them) and opens only with its password; the
disclosure records the method and the package's reference, which only the package flow
can record."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from earlyhelp.audit.models import AuditEvent
from earlyhelp.bundles.render import all_text
from earlyhelp.cases import documents
from earlyhelp.packages import services as package_services
from earlyhelp.packages.models import ProtectedPackage
from earlyhelp.sharing import forms, services
from earlyhelp.sharing.models import Disclosure
from earlyhelp.sharing.packages import NOT_ATTACHED, send_package, share_as_package
from earlyhelp.sharing.services import ShareRefused
from tests.factories import DocumentFactory

SCHOOL = "education"
POLICE = "criminal-justice"
PURPOSE = "best-interests-and-health"
NOT_TELLING = "asking-police-for-information"
PACKAGE = Disclosure.Method.PROTECTED_PACKAGE


def _flat(text: str) -> str:
    return " ".join(text.split())


def _opened(made: package_services.Made) -> str:
    data = documents.read(made.package.file_sha256)
    reader = PdfReader(io.BytesIO(data))
    assert reader.is_encrypted and reader.decrypt("WRONG-PASS-WORD-XXXX") == 0
    return _flat(all_text(data, made.password))


def _not_told(request_as, worker, family, key) -> tuple[Disclosure, object]:
    return share_as_package(
        request_as(worker),
        family["yusuf"],
        how="By secure email to the police's disclosure unit",
        recipient=POLICE,
        purpose=PURPOSE,
        item_keys=[key],
        tell_family=False,
        exemption=NOT_TELLING,
        exemption_reason="Police enquiry under way; telling the family would prejudice it",
    )


def test_a_disclosure_the_family_is_told_of_leaves_as_a_package_in_the_same_step(
    request_as, worker, family, assessment, assessment_key
):
    yusuf = family["yusuf"]
    disclosure, made = share_as_package(
        request_as(worker),
        yusuf,
        how="By secure email to the school's safeguarding lead",
        recipient=SCHOOL,
        purpose=PURPOSE,
        item_keys=[assessment_key],
    )
    assert made is not None
    assert (disclosure.status, disclosure.method) == (Disclosure.Status.SHARED, PACKAGE)
    assert disclosure.reference == str(made.package.public_id)
    assert disclosure.family_told and disclosure.letter
    package = made.package
    assert (package.kind, package.owner_public_id) == ("disclosure", disclosure.public_id)
    assert list(package.people.all()) == [yusuf]
    assert package.rule == "agreement:notice-education"
    text = _opened(made)
    assert "Yusuf Haddad" in text  # the records shared are the person's own
    assert "Education" in text and "Lawful basis: UK GDPR Article 6(1)" in text
    assert str(disclosure.public_id) in text
    shared = AuditEvent.objects.get(action="share", details__disclosure=str(disclosure.public_id))
    assert shared.details["method"] == PACKAGE


def test_the_package_carries_a_document_uploaded_to_the_record_shared(
    request_as, worker, family, case
):
    from fpdf import FPDF

    letter = FPDF()
    letter.add_page()
    letter.set_font("helvetica", size=12)
    letter.cell(text="Synthetic school letter: attendance 91 per cent.")
    sha256, size = documents.store(ContentFile(bytes(letter.output()), name="letter.pdf"))
    document = DocumentFactory(case=case, person=family["yusuf"], sha256=sha256, size=size)
    items = services.items_of(family["yusuf"], worker)
    key = next(i.key for i in items if i.model == "cases.Document" and i.pk == str(document.pk))
    _disclosure, made = share_as_package(
        request_as(worker),
        family["yusuf"],
        how="By secure email",
        recipient=SCHOOL,
        purpose=PURPOSE,
        item_keys=[key],
    )
    text = _opened(made)
    # Its pages are printed as pictures (as a bundle's are), so no text of theirs is read.
    assert "Document uploaded to this record, page 1 of 1" in text
    assert NOT_ATTACHED not in text


def test_not_told_it_waits_with_no_package_and_leaves_as_one_only_after_approval(
    request_as, worker, boss, family, assessment, assessment_key
):
    disclosure, made = _not_told(request_as, worker, family, assessment_key)
    assert made is None and disclosure.status == Disclosure.Status.WAITING
    assert disclosure.method == "" and not ProtectedPackage.objects.exists()
    with pytest.raises(ShareRefused, match=r"^status: the information may leave only once"):
        send_package(request_as(worker), disclosure, "By secure email")
    assert not ProtectedPackage.objects.exists()

    services.decide_approval(request_as(boss), disclosure, approve=True)
    disclosure.refresh_from_db()
    made = send_package(request_as(worker), disclosure, "By secure email")
    disclosure.refresh_from_db()
    assert (disclosure.status, disclosure.method) == (Disclosure.Status.SHARED, PACKAGE)
    assert disclosure.reference == str(made.package.public_id)
    assert disclosure.letter == ""
    assert "Yusuf Haddad" in _opened(made)
    actions = list(
        AuditEvent.objects.filter(details__disclosure=str(disclosure.public_id))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "change", "share"]


def test_a_refused_approval_never_makes_a_package(
    request_as, worker, boss, family, assessment, assessment_key
):
    disclosure, _made = _not_told(request_as, worker, family, assessment_key)
    services.decide_approval(request_as(boss), disclosure, approve=False, note="Not needed")
    disclosure.refresh_from_db()
    with pytest.raises(ShareRefused, match=r"^status: "):
        send_package(request_as(worker), disclosure, "By secure email")
    assert not ProtectedPackage.objects.exists()


def test_protected_package_cannot_be_recorded_with_a_typed_reference(
    request_as, worker, boss, family, assessment, assessment_key
):
    with pytest.raises(ShareRefused, match=r"^method: a protected package is recorded only"):
        services.share(
            request_as(worker),
            family["yusuf"],
            recipient=SCHOOL,
            purpose=PURPOSE,
            item_keys=[assessment_key],
            method=PACKAGE,
            reference="PKG-TYPED",
        )
    assert not Disclosure.objects.exists()
    disclosure, _made = _not_told(request_as, worker, family, assessment_key)
    services.decide_approval(request_as(boss), disclosure, approve=True)
    disclosure.refresh_from_db()
    with pytest.raises(ShareRefused, match=r"^method: "):
        services.record_sent(request_as(worker), disclosure, method=PACKAGE, reference="X")
    disclosure.refresh_from_db()
    assert disclosure.status == Disclosure.Status.APPROVED
    # The manual choice does not offer it.
    assert PACKAGE not in dict(forms.SentForm().fields["method"].choices)


def test_a_package_without_how_the_link_is_sent_records_nothing(
    request_as, worker, family, assessment, assessment_key
):
    with pytest.raises(ShareRefused, match=r"^how: "):
        share_as_package(
            request_as(worker),
            family["yusuf"],
            how="",
            recipient=SCHOOL,
            purpose=PURPOSE,
            item_keys=[assessment_key],
        )
    assert not Disclosure.objects.exists() and not ProtectedPackage.objects.exists()


def test_a_second_package_of_the_same_disclosure_is_not_made_once_it_has_left(
    request_as, worker, boss, family, assessment, assessment_key
):
    disclosure, _made = _not_told(request_as, worker, family, assessment_key)
    services.decide_approval(request_as(boss), disclosure, approve=True)
    disclosure.refresh_from_db()
    send_package(request_as(worker), disclosure, "By secure email")
    disclosure.refresh_from_db()
    with pytest.raises(ShareRefused, match=r"^status: "):
        send_package(request_as(worker), disclosure, "Again")
    assert ProtectedPackage.objects.count() == 1


# --- the pages ------------------------------------------------------------------------------


def _text(response) -> str:
    return _flat(re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_share_page_makes_the_package_and_shows_the_link_and_password_once(
    client, sign_in, worker, family, assessment, assessment_key
):
    sign_in(worker)
    yusuf = family["yusuf"]
    url = reverse("sharing:share", args=[yusuf.public_id])
    assert "A protected package, made now" in _text(client.get(url))
    form = {
        "recipient": SCHOOL,
        "purpose": PURPOSE,
        "items": [assessment_key],
        "tell": forms.TELL,
        "method": PACKAGE,
        "how": "By secure email to the school",
        "form_token": "tok-1234567890abcdefghijkl",
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    shown = _text(response)
    password = re.search(r"[A-Z2-9]{4}(?:-[A-Z2-9]{4}){3}", shown).group(0)
    disclosure = Disclosure.objects.get()
    package = ProtectedPackage.objects.get()
    assert disclosure.reference == str(package.public_id)
    assert "Send the password by another route" in shown
    token = re.search(r"/download/([A-Za-z0-9_-]+)", shown).group(1)
    assert package_services.for_link(token) == package
    data = client.get(reverse("packages_public:link_file", args=[token])).content
    assert PdfReader(io.BytesIO(data)).decrypt(password) != 0
    # The same form again makes no second package.
    assert client.post(url, form).status_code == 409
    assert ProtectedPackage.objects.count() == 1
    page = _text(client.get(reverse("sharing:disclosure", args=[disclosure.public_id])))
    assert "Protected package" in page and password not in page and token not in page


def test_a_package_with_a_typed_reference_or_no_how_is_refused_on_its_field(
    client, sign_in, worker, family, assessment, assessment_key
):
    sign_in(worker)
    url = reverse("sharing:share", args=[family["yusuf"].public_id])
    base = {
        "recipient": SCHOOL,
        "purpose": PURPOSE,
        "items": [assessment_key],
        "tell": forms.TELL,
        "method": PACKAGE,
    }
    no_how = _text(client.post(url, base))
    assert "Enter how you will send the link" in no_how
    typed = _text(client.post(url, {**base, "how": "By email", "reference": "PKG-1"}))
    assert "leave this empty" in typed
    assert not Disclosure.objects.exists()


def test_an_approved_disclosure_is_sent_as_a_package_from_its_page(
    client, sign_in, request_as, worker, boss, family, assessment, assessment_key
):
    disclosure, _made = _not_told(request_as, worker, family, assessment_key)
    services.decide_approval(request_as(boss), disclosure, approve=True)
    sign_in(worker)
    page = client.get(reverse("sharing:disclosure", args=[disclosure.public_id]))
    assert "Send it as a protected package" in _text(page)
    url = reverse("sharing:send_package", args=[disclosure.public_id])
    response = client.post(url, {"how": "By secure email to the police"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "Protected package ready to send" in _text(response)
    disclosure.refresh_from_db()
    assert (disclosure.status, disclosure.method) == (Disclosure.Status.SHARED, PACKAGE)
