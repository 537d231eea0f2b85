"""What the tests of extracts run from the screen share: keys of the test's own, and reading
the protected file a download gives."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from pypdf import PdfReader

from earlyhelp.extracts.keys import ensure_project_key


def screen_keys(settings, tmp_path: Path) -> Path:
    """A keys folder of the test's own with a LIIA pseudonym key, holding the service's file
    keys too (the held file is stored encrypted with them)."""
    keys = tmp_path / "keys"
    keys.mkdir(mode=0o700)
    source = Path(settings.KEYS_DIR)
    shutil.copytree(source / "field-keys", keys / "field-keys")
    shutil.copy2(source / "file_naming_key", keys / "file_naming_key")
    settings.KEYS_DIR = keys
    ensure_project_key(keys, "liia")
    return keys


def attachments(pdf: bytes, password: str) -> dict[str, bytes]:
    """The files attached to a protected extract file, opened with its password."""
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.is_encrypted
    reader.decrypt(password)
    return {name: data[0] for name, data in reader.attachments.items()}
