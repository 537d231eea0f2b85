"""Documents: their bytes in a folder outside the database, named by their SHA-256.

Naming by content hash means a file is stored once however often it is
uploaded, and any change to a stored file is detectable.
"""

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

# Magic numbers of the types we accept: the browser's content type is not trusted.
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
}
EXTENSIONS = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class DocumentRejected(ValueError):
    pass


def documents_dir() -> Path:
    return Path(settings.DOCUMENTS_DIR)


def path_for(sha256: str) -> Path:
    return documents_dir() / sha256[:2] / sha256


def check_upload(upload: UploadedFile) -> str:
    """The content type of an acceptable upload, or DocumentRejected saying why not."""
    limit = settings.DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise DocumentRejected(f"The file must be smaller than {limit // (1024 * 1024)} MB")
    if upload.size == 0:
        raise DocumentRejected("The selected file is empty")
    content_type = EXTENSIONS.get(Path(upload.name).suffix.lower())
    if content_type is None:
        raise DocumentRejected("The file must be a PDF, PNG, JPG or Word (DOCX) document")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(SIGNATURES[content_type]):
        raise DocumentRejected(
            f"The file is not a real {Path(upload.name).suffix.upper()[1:]} file"
        )
    return content_type


def store(upload: UploadedFile) -> tuple[str, int]:
    """Write the upload under its hash; return (sha256, size). Never half-written."""
    folder = documents_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest = hashlib.sha256()
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-")
    size = 0
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in upload.chunks():
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
        final = path_for(digest.hexdigest())
        final.parent.mkdir(exist_ok=True, mode=0o700)
        os.replace(temporary, final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return digest.hexdigest(), size


def read(sha256: str) -> bytes:
    data = path_for(sha256).read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise OSError(f"document {sha256[:12]} has changed on disk since it was stored")
    return data
