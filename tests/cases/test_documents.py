import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from earlyhelp.cases.documents import (
    DocumentRejected,
    DocumentUnavailable,
    check_upload,
    path_for,
    read,
    store,
)
from earlyhelp.cases.models import Document
from earlyhelp.encryption import ensure_key, key_ring
from tests.cases import sample_files as sample

PDF = sample.pdf()


@pytest.fixture(autouse=True)
def documents_dir(settings, tmp_path):
    settings.DOCUMENTS_DIR = tmp_path / "documents"
    settings.KEYS_DIR = tmp_path / "keys"
    key_ring.cache_clear()
    ensure_key(settings.KEYS_DIR)
    yield
    key_ring.cache_clear()


def test_document_is_stored_outside_the_database_and_read_back_whole():
    sha, size = store(SimpleUploadedFile("report.pdf", PDF))
    assert sha == hashlib.sha256(PDF).hexdigest()
    assert size == len(PDF)
    assert path_for(sha).exists()
    assert read(sha) == PDF


def test_a_stored_document_changed_on_disk_is_detected():
    sha, _ = store(SimpleUploadedFile("report.pdf", PDF))
    stored = bytearray(path_for(sha).read_bytes())
    stored[-20] ^= 0x01
    path_for(sha).write_bytes(bytes(stored))
    with pytest.raises(DocumentUnavailable, match="altered") as problem:
        read(sha)
    assert problem.value.reason == "unreadable"


def test_upload_over_the_size_limit_is_refused(settings):
    settings.DOCUMENT_MAX_BYTES = 50
    with pytest.raises(DocumentRejected, match="smaller than"):
        check_upload(SimpleUploadedFile("report.pdf", PDF))


def test_upload_of_a_type_not_allowed_is_refused():
    with pytest.raises(DocumentRejected, match="PDF, PNG, JPG or Word"):
        check_upload(SimpleUploadedFile("script.exe", b"MZ" + b"0" * 10))


def test_upload_whose_content_is_not_its_type_is_refused():
    with pytest.raises(DocumentRejected, match="not a real PDF"):
        check_upload(SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>"))


def test_pdf_upload_is_accepted_with_its_type():
    assert check_upload(SimpleUploadedFile("report.pdf", PDF)) == "application/pdf"


def test_uploaded_document_is_listed_on_the_case_and_downloads_named_by_its_title(
    client, practitioner, case
):
    url = reverse("cases:add_document", args=[case.public_id])
    upload = SimpleUploadedFile("Yusuf Haddad attendance.pdf", PDF, "application/pdf")
    response = client.post(url, {"kind": "report", "title": "Attendance report", "file": upload})
    assert response.url == reverse("cases:case", args=[case.public_id])
    document = Document.objects.get()
    assert (document.sha256, document.size, document.author) == (
        hashlib.sha256(PDF).hexdigest(),
        len(PDF),
        practitioner,
    )
    download = client.get(reverse("cases:document", args=[document.public_id]))
    assert b"".join(download.streaming_content) == PDF
    # The title the worker gave, not the name the file had on someone's computer.
    assert download["Content-Disposition"] == 'attachment; filename="Attendance_report.pdf"'
    assert "Haddad" not in download["Content-Disposition"]
    assert "no-store" in download["Cache-Control"]
    assert download["Content-Length"] == str(len(PDF))


def test_upload_of_a_disguised_file_names_the_rule_and_stores_nothing(client, practitioner, case):
    url = reverse("cases:add_document", args=[case.public_id])
    upload = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post(url, {"kind": "report", "title": "Report", "file": upload})
    assert "The file is not a real PDF file" in response.content.decode()
    assert not Document.objects.exists()


def test_upload_of_a_pdf_with_a_script_names_the_rule_and_stores_nothing(
    client, practitioner, case, settings
):
    scripted = sample.pdf_with(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        sample.PAGE,
        b"<< /S /JavaScript /JS (app.alert(1)) >>",
    )
    url = reverse("cases:add_document", args=[case.public_id])
    upload = SimpleUploadedFile("report.pdf", scripted, "application/pdf")
    response = client.post(url, {"kind": "report", "title": "Report", "file": upload})
    assert "The PDF must not contain JavaScript" in response.content.decode()
    assert not Document.objects.exists()
    written = settings.DOCUMENTS_DIR
    assert not written.exists() or not any(path.is_file() for path in written.rglob("*"))


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Plan, May 2026", "Plan_May_2026.pdf"),
        ("Plan \u2013 May 2026", "Plan_May_2026.pdf"),
        ("../../etc/passwd", "etcpasswd.pdf"),
        ("Child in Need plan.PDF", "Child_in_Need_plan.pdf"),
        ("...", "document.pdf"),
        ("Référence école", "Référence_école.pdf"),
        ("x" * 300, "x" * 100 + ".pdf"),
    ],
)
def test_a_download_is_named_by_a_safe_form_of_its_title(title, name):
    from earlyhelp.cases.views import download_name

    assert download_name(title, ".pdf") == name
