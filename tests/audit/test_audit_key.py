"""The audit key lives in the keys folder; without it nothing is recorded and nothing starts."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from earlyhelp.audit.checks import audit_key_is_there
from earlyhelp.audit.keys import MissingAuditKey, key_ring
from earlyhelp.audit.log import record
from earlyhelp.audit.models import AuditChainHead, AuditEvent
from earlyhelp.audit.verify import anchor_chain, verify_chain
from tests.cli import earlyhelp
from tests.conftest import use_audit_keys

SECRET = {"EARLYHELP_SECRET_KEY": "x" * 50}


def test_keys_init_makes_a_private_audit_key_once(tmp_path):
    keys = tmp_path / "keys"
    made = earlyhelp("keys", "init", EARLYHELP_KEYS_DIR=str(keys), **SECRET)
    assert made.returncode == 0, made.stderr
    current = (keys / "audit-keys" / "current").read_text().strip()
    assert f"audit key {current}: made" in made.stdout
    key_file = keys / "audit-keys" / current
    key = key_file.read_text()
    assert len(bytes.fromhex(key.strip())) == 32
    assert key_file.stat().st_mode & 0o077 == 0
    assert (keys / "audit-keys").stat().st_mode & 0o077 == 0
    again = earlyhelp("keys", "init", EARLYHELP_KEYS_DIR=str(keys), **SECRET)
    assert f"audit key {current}: already there" in again.stdout
    assert key_file.read_text() == key


def test_the_service_refuses_to_start_without_the_audit_key(tmp_path):
    keys = tmp_path / "keys"
    refused = earlyhelp("check", EARLYHELP_KEYS_DIR=str(keys))
    assert refused.returncode != 0
    assert "audit.E001" in refused.stderr
    assert "earlyhelp keys init" in refused.stderr
    assert earlyhelp("keys", "init", EARLYHELP_KEYS_DIR=str(keys)).returncode == 0
    started = earlyhelp("check", EARLYHELP_KEYS_DIR=str(keys))
    assert started.returncode == 0, started.stderr


def test_the_start_up_check_passes_with_the_key_and_names_it_missing_without(
    settings, tmp_path, audit_key
):
    settings.KEYS_DIR = audit_key
    assert audit_key_is_there(None) == []
    settings.KEYS_DIR = tmp_path
    [error] = audit_key_is_there(None)
    assert error.id == "audit.E001"
    assert str(tmp_path / "audit-keys") in error.msg


def test_recording_without_the_audit_key_fails_naming_the_fix_and_writes_nothing(no_audit_key, db):
    with pytest.raises(MissingAuditKey, match=r"No audit key in .*run `earlyhelp keys init`"):
        record(action="view")
    assert not AuditEvent.objects.exists()
    assert not AuditChainHead.objects.exists()


def test_verify_and_anchor_without_the_audit_key_say_so(no_audit_key, db):
    for action in ("verify", "anchor"):
        with pytest.raises(CommandError, match="No audit key in ") as failure:
            call_command("audit", action)
        assert failure.value.returncode == 1


def test_events_made_before_a_key_rotation_still_verify(own_audit_keys, db, capsys):
    record(action="view")
    record(action="view")
    old = key_ring().current_id
    anchor_chain()
    call_command("audit", "rotate-key")
    assert "is kept to verify the events it made" in capsys.readouterr().out
    new = key_ring().current_id
    assert new != old
    record(action="view")
    assert list(AuditEvent.objects.order_by("id").values_list("key_id", flat=True)) == [
        old,
        old,
        new,
    ]
    assert anchor_chain().anchor.key_id == new
    result = verify_chain()
    assert result.ok, result.problem or result.anchor_problems
    assert result.events == 3


def test_a_retired_key_missing_from_the_folder_is_named_by_verify(own_audit_keys, db):
    record(action="view")
    old = key_ring().current_id
    call_command("audit", "rotate-key")
    record(action="view")
    (own_audit_keys / "audit-keys" / old).unlink()
    use_audit_keys(own_audit_keys)
    assert verify_chain().problem == (
        f"row 1: made with audit key '{old}', which is not in the keys folder (restore it "
        "from the keys backup, or the row was forged)"
    )
