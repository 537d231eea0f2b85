"""Encryption at rest for special category and criminal offence fields.

AES-256-GCM (authenticated): a changed or moved ciphertext fails to decrypt
instead of reading as something else. Each stored value carries the id of the
key that encrypted it, so keys can be rotated while old values stay readable:

    eh1:<key id>:<base64 of nonce + ciphertext>

The associated data is the model and field ("people.HealthCondition.detail"),
so a value copied into another column does not decrypt there.

Keys are files in EARLYHELP_KEYS_DIR/field-keys/ (never in the database or in
git); the file `current` names the key new values are written with.
"""

import base64
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Cast

PREFIX = "eh1"
KEY_FOLDER = "field-keys"
CURRENT = "current"
NONCE_BYTES = 12


class DecryptionError(Exception):
    """A stored value could not be decrypted: wrong key, or altered or moved ciphertext."""


@dataclass(frozen=True)
class KeyRing:
    current_id: str
    keys: dict[str, bytes]

    def encrypt(self, plaintext: str, context: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.keys[self.current_id]).encrypt(
            nonce, plaintext.encode(), context.encode()
        )
        token = base64.b64encode(nonce + sealed).decode("ascii")
        return f"{PREFIX}:{self.current_id}:{token}"

    def decrypt(self, stored: str, context: str) -> str:
        try:
            prefix, key_id, token = stored.split(":", 2)
        except ValueError:
            raise DecryptionError(f"{context}: value is not in the encrypted format") from None
        if prefix != PREFIX:
            raise DecryptionError(f"{context}: value is not in the encrypted format")
        key = self.keys.get(key_id)
        if key is None:
            raise DecryptionError(f"{context}: key {key_id} is not in the keys folder")
        raw = base64.b64decode(token)
        try:
            plain = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
        except InvalidTag:
            raise DecryptionError(f"{context}: value was altered or belongs elsewhere") from None
        return plain.decode()


def key_id_of(stored: str) -> str:
    return stored.split(":", 2)[1]


def _folder(keys_dir: Path) -> Path:
    return Path(keys_dir) / KEY_FOLDER


def create_key(keys_dir: Path) -> str:
    """Write a new random key and make it current; return its id."""
    folder = _folder(keys_dir)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    key_id = secrets.token_hex(4)
    path = folder / f"{key_id}.key"
    with path.open("x") as handle:
        handle.write(base64.b64encode(AESGCM.generate_key(bit_length=256)).decode() + "\n")
    path.chmod(0o600)
    # Write-then-rename, so a reader never sees a half-written `current`.
    pending = folder / f"{CURRENT}.tmp"
    pending.write_text(key_id + "\n")
    pending.replace(folder / CURRENT)
    key_ring.cache_clear()
    return key_id


def ensure_key(keys_dir: Path) -> tuple[str, bool]:
    """The current key id, making a first key if there is none; and whether one was made."""
    current = _folder(keys_dir) / CURRENT
    if current.exists():
        return current.read_text().strip(), False
    return create_key(keys_dir), True


@cache
def key_ring(keys_dir: str | None = None) -> KeyRing:
    folder = _folder(Path(keys_dir or settings.KEYS_DIR))
    current = folder / CURRENT
    if not current.exists():
        raise ImproperlyConfigured(
            f"No field encryption key in {folder}: run `earlyhelp keys init`."
        )
    keys = {path.stem: base64.b64decode(path.read_text().strip()) for path in folder.glob("*.key")}
    return KeyRing(current_id=current.read_text().strip(), keys=keys)


class EncryptedTextField(models.TextField):
    """Text stored encrypted; readable in Python, never in the database."""

    def context(self) -> str:
        return f"{self.model._meta.label}.{self.name}"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return key_ring().decrypt(value, self.context())

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return key_ring().encrypt(value, self.context())


def encrypted_fields() -> Iterator[tuple[type[models.Model], list[str]]]:
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if names:
            yield model, names


def rotate(keys_dir: Path, batch_size: int = 1000) -> tuple[str, dict[str, int]]:
    """Make a new current key and re-encrypt every encrypted value with it."""
    new_id = create_key(keys_dir)
    return new_id, reencrypt(batch_size)


def reencrypt(batch_size: int = 1000) -> dict[str, int]:
    """Re-encrypt, under the current key, every value written under another one.

    Batched by primary key, one transaction a batch: safe to stop and run again,
    since values already under the current key are left alone.
    """
    ring = key_ring()
    counts: dict[str, int] = {}
    for model, names in encrypted_fields():
        # Cast to plain text: read the stored ciphertext, not the decrypted value.
        raw = {f"raw_{name}": Cast(name, output_field=models.TextField()) for name in names}
        rows = model.objects.annotate(**raw).order_by("pk")
        done, last_pk = 0, None
        while True:
            page = rows if last_pk is None else rows.filter(pk__gt=last_pk)
            batch = list(page.values_list("pk", *raw)[:batch_size])
            if not batch:
                break
            last_pk = batch[-1][0]
            with transaction.atomic():
                for pk, *stored in batch:
                    changes = {}
                    for name, value in zip(names, stored, strict=True):
                        if value and key_id_of(value) != ring.current_id:
                            context = f"{model._meta.label}.{name}"
                            fresh = ring.encrypt(ring.decrypt(value, context), context)
                            changes[name] = Value(fresh, output_field=models.TextField())
                    if changes:
                        model.objects.filter(pk=pk).update(**changes)
                        done += 1
        counts[model._meta.label] = done
    return counts
