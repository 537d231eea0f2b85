"""The audit key files: made once (one winner when two processes race), rotated keeping the
old key for the events it made, and refused by name when the folder is not as it should be.

The expected files and messages are written out here from keys.py's documentation: a key is
32 random bytes in 64 hex digits in a file named by an 8-hex-digit id, and `current` names
the key new events are written with.
"""

import os
import re
from pathlib import Path

import pytest

from earlyhelp.audit import keys as audit_keys
from earlyhelp.audit.keys import (
    MissingAuditKey,
    ensure_audit_key,
    key_ring,
    load,
    rotate_audit_key,
)
from earlyhelp.keys import write_key_file

KEY_ID = re.compile(r"^[0-9a-f]{8}$")
KEY_TEXT = re.compile(r"^[0-9a-f]{64}\n$")


def _files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_the_first_audit_key_is_32_random_bytes_named_by_current_and_made_only_once(tmp_path):
    key_id, made = ensure_audit_key(tmp_path)
    assert made is True
    folder = tmp_path / "audit-keys"
    assert KEY_ID.match(key_id)
    assert _files(folder) == sorted(["current", key_id])
    assert (folder / "current").read_text() == key_id + "\n"
    key_text = (folder / key_id).read_text()
    assert KEY_TEXT.match(key_text)
    # With a key in place the folder is only read: no key is made and thrown away (a
    # folder mounted read-only, or made append-only, must still start the service).
    # (An old time first: a file made and removed within the clock's tick would not show.)
    os.utime(folder, ns=(10**18, 10**18))
    assert ensure_audit_key(tmp_path) == (key_id, False)
    assert folder.stat().st_mtime_ns == 10**18
    assert (folder / key_id).read_text() == key_text
    assert load(tmp_path).keys == {key_id: bytes.fromhex(key_text)}


@pytest.mark.parametrize(
    ("written", "returned"),
    [("0a0b0c0d", "0a0b0c0d"), ("", "")],
    ids=["current-written", "current-made-but-not-yet-written"],
)
def test_of_two_processes_making_the_first_key_at_once_one_wins_and_the_other_leaves_no_key(
    tmp_path, monkeypatch, written, returned
):
    folder = tmp_path / "audit-keys"
    winner = "0a0b0c0d"
    make_key = audit_keys._new_key

    def racing(where: Path) -> str:
        # The other process writes its key and `current` while this one makes its own.
        write_key_file(where, winner, "ab" * 32)
        (where / "current").write_text(written + "\n" if written else "")
        return make_key(where)

    monkeypatch.setattr(audit_keys, "_new_key", racing)
    assert ensure_audit_key(tmp_path) == (returned, False)
    assert _files(folder) == ["0a0b0c0d", "current"]


def test_rotation_makes_a_new_current_key_and_keeps_the_old_one(own_audit_keys):
    old = key_ring().current_id
    folder = own_audit_keys / "audit-keys"
    old_text = (folder / old).read_text()
    returned_old, new = rotate_audit_key(own_audit_keys)
    assert returned_old == old and new != old
    assert KEY_ID.match(new) and KEY_TEXT.match((folder / new).read_text())
    assert (folder / "current").read_text() == new + "\n"
    assert (folder / old).read_text() == old_text
    assert _files(folder) == sorted(["current", old, new])  # no half-written `current` left
    # The process reads the keys again: new events take the new key, old ones still verify.
    assert key_ring().current_id == new
    assert set(key_ring().keys) == {old, new}


def test_rotation_with_no_key_yet_makes_the_first_and_then_its_successor(tmp_path):
    old, new = rotate_audit_key(tmp_path)
    assert old != new
    assert load(tmp_path).current_id == new
    assert set(load(tmp_path).keys) == {old, new}


def test_loading_with_no_keys_folder_says_how_to_make_one(tmp_path):
    with pytest.raises(MissingAuditKey) as missing:
        load(tmp_path)
    assert str(missing.value) == (
        f"No audit key in {tmp_path / 'audit-keys'}: run `earlyhelp keys init` "
        "(and back the keys folder up)."
    )


def test_loading_a_key_file_that_is_not_hex_names_the_file(tmp_path):
    ensure_audit_key(tmp_path)
    bad = tmp_path / "audit-keys" / "0badc0de"
    bad.write_text("not a key\n")
    with pytest.raises(MissingAuditKey) as refused:
        load(tmp_path)
    assert str(refused.value) == f"{bad} is not an audit key (64 hex digits)"


@pytest.mark.parametrize("key_file", ["missing", "empty"])
def test_loading_when_current_names_a_key_that_is_not_there_names_both(tmp_path, key_file):
    folder = tmp_path / "audit-keys"
    ensure_audit_key(tmp_path)
    (folder / "current").write_text("1234abcd\n")
    if key_file == "empty":
        (folder / "1234abcd").write_text("\n")
    with pytest.raises(MissingAuditKey) as refused:
        load(tmp_path)
    assert str(refused.value) == (
        f"{folder / 'current'} names the audit key 1234abcd, which is not in {folder}."
    )


def test_loading_ignores_files_not_named_as_keys(tmp_path):
    key_id, _ = ensure_audit_key(tmp_path)
    folder = tmp_path / "audit-keys"
    (folder / "README").write_text("back this folder up\n")
    (folder / "current.tmp").write_text("ffffffff\n")
    assert set(load(tmp_path).keys) == {key_id}


def test_signing_with_a_key_not_in_the_folder_names_it_and_how_to_restore_it(own_audit_keys):
    with pytest.raises(MissingAuditKey) as missing:
        key_ring().sign(b"data", "00000000")
    assert str(missing.value) == (
        f"audit key 00000000 is not in {own_audit_keys / 'audit-keys'}; restore it from "
        "the keys backup"
    )
