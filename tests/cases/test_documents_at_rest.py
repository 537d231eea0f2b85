"""Document files are encrypted at rest, rotated with the keys, and never half given out."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases.documents import path_for, read, reencrypt_files, store
from earlyhelp.cases.models import Document
from earlyhelp.encryption import (
    FILE_MAGIC,
    create_key,
    ensure_key,
    file_key_id,
    key_ring,
    reencrypt,
)
from tests.cases import sample_files as sample
from tests.factories import DocumentFactory

PDF = sample.pdf()


@pytest.fixture(autouse=True)
def keys_and_documents(settings, tmp_path):
    """Each test its own keys and documents folders: rotation never touches another's."""
    settings.DOCUMENTS_DIR = tmp_path / "documents"
    settings.KEYS_DIR = tmp_path / "keys"
    key_ring.cache_clear()
    ensure_key(settings.KEYS_DIR)
    yield
    key_ring.cache_clear()


def stored_files(settings) -> list:
    return [path for path in settings.DOCUMENTS_DIR.rglob("*") if path.is_file()]


def key_of(path) -> str:
    with path.open("rb") as handle:
        return file_key_id(handle, "test")


@pytest.fixture
def document(case):
    sha, size = store(SimpleUploadedFile("referral.pdf", PDF))
    return DocumentFactory(
        case=case,
        kind="referral",
        title="Referral",
        content_type="application/pdf",
        size=size,
        sha256=sha,
    )


def views_of(document: Document) -> int:
    return AuditEvent.objects.filter(
        action="view", record_type="document", record_id=str(document.public_id)
    ).count()


def test_stored_file_does_not_contain_the_plaintext_bytes(settings):
    assert sample.MARKER.encode() in PDF
    store(SimpleUploadedFile("referral.pdf", PDF))
    [stored] = stored_files(settings)
    data = stored.read_bytes()
    assert data.startswith(FILE_MAGIC)
    assert sample.MARKER.encode() not in data
    assert b"%PDF" not in data
    assert PDF[200:232] not in data


def test_stored_file_is_not_named_by_the_content_hash(settings):
    sha, _ = store(SimpleUploadedFile("referral.pdf", PDF))
    [stored] = stored_files(settings)
    assert sha not in str(stored)
    assert sha[:8] not in stored.name


def test_stored_file_names_the_key_it_was_encrypted_with():
    sha, _ = store(SimpleUploadedFile("referral.pdf", PDF))
    assert key_of(path_for(sha)) == key_ring().current_id


def test_same_content_uploaded_twice_is_stored_once(settings):
    first, _ = store(SimpleUploadedFile("a.pdf", PDF))
    second, _ = store(SimpleUploadedFile("b.pdf", PDF))
    assert first == second
    assert len(stored_files(settings)) == 1
    assert read(first) == PDF


def test_download_returns_the_original_bytes(client, practitioner, document):
    response = client.get(reverse("cases:document", args=[document.public_id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert views_of(document) == 1


def test_a_large_document_streams_back_exactly(settings):
    # Many chunks, and a last chunk of its own size: the stream must end where the file did.
    content = b"%PDF-1.7\n" + bytes(range(256)) * (3 * 1024)
    sha, _ = store(SimpleUploadedFile("big.pdf", content))
    assert read(sha) == content


def test_file_copied_over_another_documents_file_does_not_decrypt(settings):
    other = sample.pdf(title="Another family's letter")
    sha, _ = store(SimpleUploadedFile("referral.pdf", PDF))
    other_sha, _ = store(SimpleUploadedFile("letter.pdf", other))
    path_for(sha).write_bytes(path_for(other_sha).read_bytes())
    with pytest.raises(OSError, match="altered, cut short or belongs elsewhere"):
        read(sha)


def test_file_cut_short_by_a_whole_chunk_does_not_decrypt(settings):
    content = b"%PDF-1.7\n" + b"a" * (200 * 1024)
    sha, _ = store(SimpleUploadedFile("big.pdf", content))
    data = path_for(sha).read_bytes()
    header = len(FILE_MAGIC) + 1 + len(key_ring().current_id) + 7
    path_for(sha).write_bytes(data[: header + 2 * (64 * 1024 + 16)])
    with pytest.raises(OSError, match="altered, cut short"):
        read(sha)


def test_rotation_re_encrypts_document_files_and_they_still_download(
    client, practitioner, document
):
    old_key = key_of(path_for(document.sha256))
    out = io.StringIO()
    call_command("keys", "rotate", stdout=out)
    new_key = key_ring().current_id
    assert new_key != old_key
    assert key_of(path_for(document.sha256)) == new_key
    assert "document files" in out.getvalue()
    response = client.get(reverse("cases:document", args=[document.public_id]))
    assert b"".join(response.streaming_content) == PDF


def test_interrupted_file_rotation_resumes_without_another_key(settings, document):
    # A rotation that made its key, then stopped before re-encrypting anything.
    create_key(settings.KEYS_DIR)
    current = key_ring().current_id
    assert key_of(path_for(document.sha256)) != current
    call_command("keys", "rotate", "--resume", stdout=io.StringIO())
    assert key_ring().current_id == current
    assert key_of(path_for(document.sha256)) == current
    again = reencrypt_files()
    assert (again.reencrypted, again.current) == (0, 1)


def test_document_stored_in_clear_by_an_earlier_version_is_encrypted_by_rotation(
    settings, client, practitioner, case
):
    sha = hashlib.sha256(PDF).hexdigest()
    legacy = settings.DOCUMENTS_DIR / sha[:2] / sha
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(PDF)
    document = DocumentFactory(
        case=case, kind="report", title="Report", content_type="application/pdf", size=len(PDF),
        sha256=sha,
    )  # fmt: skip
    call_command("keys", "rotate", "--resume", stdout=io.StringIO())
    assert not legacy.exists()
    assert sample.MARKER.encode() not in path_for(sha).read_bytes()
    response = client.get(reverse("cases:document", args=[document.public_id]))
    assert b"".join(response.streaming_content) == PDF


def test_rotation_reports_a_file_it_cannot_read_and_fails(settings, document):
    path = path_for(document.sha256)
    damaged = bytearray(path.read_bytes())
    damaged[-1] ^= 0x01
    path.write_bytes(bytes(damaged))
    with pytest.raises(CommandError, match="1 document files could not be re-encrypted"):
        call_command("keys", "rotate", stdout=io.StringIO())
    assert path.read_bytes() == bytes(damaged)  # left as it was, for restoring


def test_missing_file_gives_a_clear_page_and_records_no_view(client, practitioner, document):
    path_for(document.sha256).unlink()
    response = client.get(reverse("cases:document", args=[document.public_id]))
    assert response.status_code == 410
    page = response.content.decode()
    assert "The document cannot be opened" in page
    assert "not in the document store" in page
    assert str(document.public_id) in page
    assert views_of(document) == 0


def test_damaged_file_gives_a_clear_page_and_records_no_view(client, practitioner, document):
    path = path_for(document.sha256)
    damaged = bytearray(path.read_bytes())
    damaged[len(damaged) // 2] ^= 0x01
    path.write_bytes(bytes(damaged))
    response = client.get(reverse("cases:document", args=[document.public_id]))
    assert response.status_code == 410
    assert "damaged, or was encrypted with a key" in response.content.decode()
    assert views_of(document) == 0


def test_file_under_a_key_no_longer_kept_gives_a_clear_page(
    client, practitioner, document, settings
):
    old_key = key_of(path_for(document.sha256))
    create_key(settings.KEYS_DIR)
    reencrypt()  # the database's values move to the new key; the file is left behind
    (settings.KEYS_DIR / "field-keys" / f"{old_key}.key").unlink()
    key_ring.cache_clear()
    response = client.get(reverse("cases:document", args=[document.public_id]))
    assert response.status_code == 410
    assert views_of(document) == 0


def test_the_key_naming_files_is_made_once_and_never_replaced(settings, db):
    naming_key = settings.KEYS_DIR / "file_naming_key"
    made = naming_key.read_bytes()
    call_command("keys", "init", stdout=io.StringIO())
    call_command("keys", "rotate", stdout=io.StringIO())
    assert naming_key.read_bytes() == made
    assert oct(naming_key.stat().st_mode & 0o777) == "0o600"
