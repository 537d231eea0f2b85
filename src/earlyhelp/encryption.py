"""Encryption at rest for special category and criminal offence fields.

AES-256-GCM (authenticated): a changed or moved ciphertext fails to decrypt
instead of reading as something else. Each stored value carries the id of the
key that encrypted it, so keys can be rotated while old values stay readable:

    eh1:<key id>:<base64 of nonce + ciphertext>

The associated data is the model and field ("people.HealthCondition.detail"),
so a value copied into another column does not decrypt there.

Keys are files in EARLYHELP_KEYS_DIR/field-keys/ (never in the database or in
git); the file `current` names the key new values are written with.

Files (uploaded documents) are encrypted with the same keys, in chunks, so that
they can be read and written as streams (see `encrypt_file`). The key id is in
the file's header; `earlyhelp keys rotate` re-encrypts files as well as values.
"""

import base64
import hashlib
import hmac
import os
import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import BinaryIO

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
# The key that names stored files (a keyed hash, so a name says nothing of the content).
# Unlike the field keys it is never rotated: the names of files would all change.
NAMING_KEY_FILE = "file_naming_key"

# Encrypted files: MAGIC, one byte of key id length, the key id, a 7-byte nonce prefix;
# then the content in chunks of FILE_CHUNK bytes, each sealed with AES-256-GCM under the
# nonce prefix + chunk number + "last chunk" flag (the STREAM construction, as in age
# and Tink), so a reordered, dropped or truncated chunk fails to decrypt.
FILE_MAGIC = b"EHFILE1\n"
FILE_CHUNK = 64 * 1024
FILE_TAG = 16
NONCE_PREFIX_BYTES = 7


class DecryptionError(Exception):
    """A stored value could not be decrypted: wrong key, or altered or moved ciphertext."""


@dataclass(frozen=True)
class KeyRing:
    """The field keys: the one new values are written with, and every one still readable."""

    current_id: str
    keys: dict[str, bytes]
    _ciphers: dict[str, AESGCM] = field(default_factory=dict, repr=False, compare=False)

    def cipher(self, key_id: str) -> AESGCM:
        """The AES-GCM cipher of a key (made once: free text is encrypted row by row)."""
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            cipher = self._ciphers[key_id] = AESGCM(self.keys[key_id])
        return cipher

    def encrypt(self, plaintext: str, context: str) -> str:
        """`plaintext` sealed under the current key, bound to `context` (model and field)."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self.cipher(self.current_id).encrypt(nonce, plaintext.encode(), context.encode())
        token = base64.b64encode(nonce + sealed).decode("ascii")
        return f"{PREFIX}:{self.current_id}:{token}"

    def decrypt(self, stored: str, context: str) -> str:
        """The plaintext of a stored value, or DecryptionError saying why it cannot be read."""
        try:
            prefix, key_id, token = stored.split(":", 2)
        except ValueError:
            raise DecryptionError(f"{context}: value is not in the encrypted format") from None
        if prefix != PREFIX:
            raise DecryptionError(f"{context}: value is not in the encrypted format")
        if key_id not in self.keys:
            raise DecryptionError(f"{context}: key {key_id} is not in the keys folder")
        raw = base64.b64decode(token)
        try:
            plain = self.cipher(key_id).decrypt(
                raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()
            )
        except InvalidTag:
            raise DecryptionError(f"{context}: value was altered or belongs elsewhere") from None
        return plain.decode()


def key_id_of(stored: str) -> str:
    """The id of the key a stored value was encrypted with."""
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
    """The current key id, making a first key if there is none; and whether one was made.

    Makes the key that names stored files too, if it is missing (see `file_name`).
    """
    ensure_naming_key(keys_dir)
    current = _folder(keys_dir) / CURRENT
    if current.exists():
        return current.read_text().strip(), False
    return create_key(keys_dir), True


def ensure_naming_key(keys_dir: Path) -> bool:
    """Make the key that names stored files, unless there is one; return whether it was made."""
    Path(keys_dir).mkdir(mode=0o700, parents=True, exist_ok=True)
    path = Path(keys_dir) / NAMING_KEY_FILE
    pending = path.with_name(f".{NAMING_KEY_FILE}.{secrets.token_hex(4)}")
    pending.write_text(base64.b64encode(secrets.token_bytes(32)).decode() + "\n")
    pending.chmod(0o600)
    try:
        # A hard link appears whole, and not over one already there: two processes racing
        # must not both write it (every name would change), nor one read it half-written.
        os.link(pending, path)
    except FileExistsError:
        return False
    finally:
        pending.unlink()
    return True


@cache
def _naming_key(keys_dir: str) -> bytes:
    path = Path(keys_dir) / NAMING_KEY_FILE
    if not path.exists():
        raise ImproperlyConfigured(f"No file naming key at {path}: run `earlyhelp keys init`.")
    key = base64.b64decode(path.read_text().strip())
    if len(key) < 32:
        raise ImproperlyConfigured(f"The file naming key at {path} is not a 32-byte key.")
    return key


def file_name(kind: str, identity: str) -> str:
    """The name a stored file is kept under: a keyed hash of what identifies it.

    Content-addressed storage named by the plain SHA-256 would let anyone who can list
    the folder confirm that a known file is held; keyed, the name says nothing.
    """
    key = _naming_key(str(settings.KEYS_DIR))
    return hmac.new(key, f"{kind}:{identity}".encode(), hashlib.sha256).hexdigest()


@cache
def key_ring(keys_dir: str | None = None) -> KeyRing:
    """The field keys in the keys folder (read once a process; `cache_clear` re-reads)."""
    folder = _folder(Path(keys_dir or settings.KEYS_DIR))
    current = folder / CURRENT
    if not current.exists():
        raise ImproperlyConfigured(
            f"No field encryption key in {folder}: run `earlyhelp keys init`."
        )
    keys = {path.stem: base64.b64decode(path.read_text().strip()) for path in folder.glob("*.key")}
    return KeyRing(current_id=current.read_text().strip(), keys=keys)


class EncryptedTextField(models.TextField):
    """Text stored encrypted; readable in Python, never in the database.

    So the database cannot search, compare or order by it: a filter other than
    "is empty" never matches, and ordering follows the ciphertext, not the text.
    """

    def context(self) -> str:
        """The associated data of the field's values: its model and name."""
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
    """Every model with encrypted fields, and the names of those fields."""
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

    def under_current_key(value: str, context: str) -> str | None:
        if key_id_of(value) == ring.current_id:
            return None
        return ring.encrypt(ring.decrypt(value, context), context)

    return {
        model._meta.label: _rewrite_columns(model, names, under_current_key, batch_size)
        for model, names in encrypted_fields()
    }


def encrypt_columns(model: type[models.Model], names: list[str], batch_size: int = 1000) -> int:
    """Encrypt the values of columns that held plain text (a data migration's work).

    `model` may be a migration's historical model. Values already encrypted are left
    alone, so a migration stopped half way is run again to finish. No key is needed
    while there is nothing to encrypt (a new database).
    """

    def sealed(value: str, context: str) -> str | None:
        if value.startswith(f"{PREFIX}:"):
            # Encrypted already: decrypting proves it (and refuses a value under a lost key).
            key_ring().decrypt(value, context)
            return None
        return key_ring().encrypt(value, context)

    return _rewrite_columns(model, names, sealed, batch_size)


def decrypt_columns(model: type[models.Model], names: list[str], batch_size: int = 1000) -> int:
    """Write back as plain text the values of encrypted columns (undoing `encrypt_columns`)."""

    def opened(value: str, context: str) -> str | None:
        if not value.startswith(f"{PREFIX}:"):
            return None
        return key_ring().decrypt(value, context)

    return _rewrite_columns(model, names, opened, batch_size)


def _rewrite_columns(
    model: type[models.Model],
    names: list[str],
    change: Callable[[str, str], str | None],
    batch_size: int,
) -> int:
    """Apply `change(stored, context)` to every non-empty stored value; count changed rows.

    Batched by primary key, one transaction a batch. `change` returns the value to
    store instead, or None to leave the stored one.
    """
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
                    fresh = change(value, f"{model._meta.label}.{name}") if value else None
                    if fresh is not None:
                        changes[name] = Value(fresh, output_field=models.TextField())
                if changes:
                    model.objects.filter(pk=pk).update(**changes)
                    done += 1
    return done


# --- files ---------------------------------------------------------------------------------


def _chunk_nonce(prefix: bytes, number: int, last: bool) -> bytes:
    return prefix + number.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def encrypt_file(
    chunks: Iterable[bytes], out: BinaryIO, binding: str, ring: KeyRing | None = None
) -> str:
    """Write `chunks` to `out` encrypted under the current key; return the key's id.

    `binding` is associated data naming what the file is (for a document, its stored
    name): the file does not decrypt as anything else. Memory stays one chunk, however
    large the file.
    """
    ring = key_ring() if ring is None else ring
    key_id = ring.current_id
    prefix = os.urandom(NONCE_PREFIX_BYTES)
    header = FILE_MAGIC + bytes([len(key_id)]) + key_id.encode("ascii") + prefix
    associated = header + binding.encode()
    cipher = ring.cipher(key_id)
    out.write(header)
    pending = bytearray()
    number = 0
    for chunk in chunks:
        pending += chunk
        # A chunk is written once more follows it, so that the last one is known as last.
        while len(pending) > FILE_CHUNK:
            nonce = _chunk_nonce(prefix, number, last=False)
            out.write(cipher.encrypt(nonce, bytes(pending[:FILE_CHUNK]), associated))
            del pending[:FILE_CHUNK]
            number += 1
    out.write(cipher.encrypt(_chunk_nonce(prefix, number, last=True), bytes(pending), associated))
    return key_id


def _file_header(source: BinaryIO, binding: str) -> tuple[bytes, str, bytes]:
    magic = source.read(len(FILE_MAGIC))
    if magic != FILE_MAGIC:
        raise DecryptionError(f"{binding}: file is not in the encrypted format")
    length = source.read(1)
    key_id = source.read(length[0]) if length else b""
    prefix = source.read(NONCE_PREFIX_BYTES)
    if not length or len(key_id) != length[0] or len(prefix) != NONCE_PREFIX_BYTES:
        raise DecryptionError(f"{binding}: file is not in the encrypted format")
    return magic + length + key_id + prefix, key_id.decode("ascii", "replace"), prefix


def is_encrypted_file(source: BinaryIO) -> bool:
    """Whether the file starts as an encrypted file does (reads from where `source` is)."""
    return source.read(len(FILE_MAGIC)) == FILE_MAGIC


def file_key_id(source: BinaryIO, binding: str) -> str:
    """The id of the key an encrypted file was written with (reads only its header)."""
    return _file_header(source, binding)[1]


def decrypt_file(source: BinaryIO, binding: str, ring: KeyRing | None = None) -> Iterator[bytes]:
    """The plaintext of an encrypted file, chunk by chunk, each authenticated before it is given.

    Raises DecryptionError (possibly after some chunks) for a wrong key, a file altered,
    truncated or extended, or one bound to something else.
    """
    ring = key_ring() if ring is None else ring
    header, key_id, prefix = _file_header(source, binding)
    if key_id not in ring.keys:
        raise DecryptionError(f"{binding}: key {key_id} is not in the keys folder")
    cipher = ring.cipher(key_id)
    associated = header + binding.encode()
    record = FILE_CHUNK + FILE_TAG
    current = source.read(record)
    number = 0
    while True:
        following = source.read(record) if len(current) == record else b""
        last = not following
        try:
            plain = cipher.decrypt(_chunk_nonce(prefix, number, last), current, associated)
        except InvalidTag:
            raise DecryptionError(
                f"{binding}: file was altered, cut short or belongs elsewhere"
            ) from None
        yield plain
        if last:
            return
        current, number = following, number + 1
