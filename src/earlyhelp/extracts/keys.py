"""Pseudonym keys: one secret per project, in EARLYHELP_KEYS_DIR/pseudonym-keys/<project>.

The same key gives the same child the same ID in every extract of one project; two
projects' keys differ, so their IDs cannot be joined; without the key nobody can work an
ID back from an NHS number or a date of birth. Never in the database, never in git.
"""

import hashlib
import hmac
import secrets
from datetime import UTC, datetime
from pathlib import Path

from earlyhelp.keys import read_key_file, write_key_file

PSEUDONYM_KEYS_DIR = "pseudonym-keys"


class MissingPseudonymKey(Exception):
    pass


def _folder(keys_dir: Path) -> Path:
    return keys_dir / PSEUDONYM_KEYS_DIR


def project_key(keys_dir: Path, project_id: str) -> str:
    key = read_key_file(_folder(keys_dir), project_id)
    if key is None:
        raise MissingPseudonymKey(
            f"There is no pseudonym key for the project '{project_id}' in "
            f"{_folder(keys_dir)}; `earlyhelp keys init` makes one."
        )
    return key


def ensure_project_key(keys_dir: Path, project_id: str) -> bool:
    """Make the project's key unless it exists; return whether one was made."""
    _folder(keys_dir).mkdir(mode=0o700, parents=True, exist_ok=True)
    return write_key_file(_folder(keys_dir), project_id, secrets.token_hex(32))


def rotate_project_key(keys_dir: Path, project_id: str) -> Path:
    """Retire the project's key beside it and make a new one; return the retired file.

    Every ID in the project changes: the recipient cannot link later extracts to earlier
    ones unless the council re-sends them under the new key.
    """
    current = _folder(keys_dir) / project_id
    if not current.exists():
        raise MissingPseudonymKey(f"There is no pseudonym key for the project '{project_id}'.")
    retired = current.with_name(f"{project_id}.retired-{datetime.now(UTC):%Y%m%dT%H%M%S}")
    current.rename(retired)
    ensure_project_key(keys_dir, project_id)
    return retired


def fingerprint(key: str) -> str:
    """Names a key in manifests, so a change of key (and of every ID) shows, without it."""
    return hmac.new(key.encode(), b"earlyhelp pseudonym key", hashlib.sha256).hexdigest()[:12]
