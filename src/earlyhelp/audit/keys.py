"""The audit key: the secret the audit chain's hashes (HMAC-SHA256) and its anchors are made with.

Keys are files in EARLYHELP_KEYS_DIR/audit-keys/, never in the database or in git:
`<key id>` holds 32 random bytes in hex, and the file `current` names the key new events
are written with. Each event stores the id of its key, so after `earlyhelp audit
rotate-key` the events made before still verify with the retired key, which stays in the
folder for as long as those events are kept.

Someone who can write to the database but cannot read this folder cannot make a hash
that verifies: that is the point of the key. Back the folder up apart from the database.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from earlyhelp.keys import read_key_file, write_key_file

AUDIT_KEYS_DIR = "audit-keys"
CURRENT = "current"
KEY_ID = re.compile(r"^[0-9a-f]{8}$")


class MissingAuditKey(ImproperlyConfigured):
    """There is no audit key: no event can be recorded or verified."""


@dataclass(frozen=True)
class AuditKeys:
    """The audit keys by id, and the one new events are written with."""

    current_id: str
    keys: dict[str, bytes]
    # One HMAC a key, keyed once; copy before use (copying costs less than keying anew).
    macs: dict[str, "hmac.HMAC"] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for key_id, key in self.keys.items():
            self.macs[key_id] = hmac.new(key, digestmod=hashlib.sha256)

    def keyed(self, key_id: str) -> "hmac.HMAC | None":
        """A fresh HMAC-SHA256 under the key `key_id` (None when there is no such key)."""
        keyed = self.macs.get(key_id)
        return keyed.copy() if keyed is not None else None

    def sign(self, data: bytes, key_id: str | None = None) -> str:
        """HMAC-SHA256 of `data` in hex, under `key_id` (default: the current key)."""
        keyed = self.keyed(key_id or self.current_id)
        if keyed is None:
            raise MissingAuditKey(
                f"audit key {key_id} is not in {folder(settings.KEYS_DIR)}; restore it from "
                "the keys backup"
            )
        keyed.update(data)
        return keyed.hexdigest()


def folder(keys_dir: Path) -> Path:
    return Path(keys_dir) / AUDIT_KEYS_DIR


def load(keys_dir: Path) -> AuditKeys:
    """Read the audit keys from `keys_dir`; MissingAuditKey when there is no current key."""
    where = folder(keys_dir)
    current = read_key_file(where, CURRENT) if where.is_dir() else None
    if current is None:
        raise MissingAuditKey(
            f"No audit key in {where}: run `earlyhelp keys init` (and back the keys folder up)."
        )
    keys = {}
    for path in where.iterdir():
        if KEY_ID.match(path.name):
            try:
                keys[path.name] = bytes.fromhex(read_key_file(where, path.name) or "")
            except ValueError:
                raise MissingAuditKey(f"{path} is not an audit key (64 hex digits)") from None
    if current not in keys or not keys[current]:
        raise MissingAuditKey(
            f"{where / CURRENT} names the audit key {current}, which is not in {where}."
        )
    return AuditKeys(current_id=current, keys=keys)


@cache
def key_ring() -> AuditKeys:
    """The audit keys of settings.KEYS_DIR, read once a process, as the secret key is.

    A process started before a rotation keeps writing with the key it read: its events
    still verify, as they name that key.
    """
    return load(settings.KEYS_DIR)


def _new_key(where: Path) -> str:
    while True:
        key_id = secrets.token_hex(4)
        if write_key_file(where, key_id, secrets.token_hex(32)):
            return key_id


def ensure_audit_key(keys_dir: Path) -> tuple[str, bool]:
    """The current audit key id, making a first key if there is none; and whether one was made."""
    where = folder(keys_dir)
    current = read_key_file(where, CURRENT) if where.is_dir() else None
    if current is not None:
        return current, False
    key_id = _new_key(where)
    # `current` is written once (O_EXCL): of two processes racing, one key wins.
    if not write_key_file(where, CURRENT, key_id):
        (where / key_id).unlink()
        return read_key_file(where, CURRENT) or "", False
    return key_id, True


def rotate_audit_key(keys_dir: Path) -> tuple[str, str]:
    """Make a new current audit key, keeping the old one for the events it made.

    Returns (old id, new id). Running processes write with the old key until restarted.
    """
    old_id, _ = ensure_audit_key(keys_dir)
    where = folder(keys_dir)
    new_id = _new_key(where)
    # Write-then-rename, so a reader never sees a half-written `current`.
    pending = where / f"{CURRENT}.tmp"
    pending.unlink(missing_ok=True)
    write_key_file(where, pending.name, new_id)
    pending.replace(where / CURRENT)
    key_ring.cache_clear()
    return old_id, new_id
