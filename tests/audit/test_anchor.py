"""Anchors: the signed end of the chain, outside the database, which verify compares with."""

import hashlib
import hmac
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from earlyhelp.audit.chain import HASHED_FIELDS, event_hash
from earlyhelp.audit.keys import key_ring
from earlyhelp.audit.log import record
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.verify import anchor_chain, verify_chain
from tests.audit.conftest import disable_append_only_triggers, key_from_file, raw


def anchor_file(folder: Path) -> Path:
    [path] = folder.glob("anchors-*.jsonl")
    return path


def lines(folder: Path) -> list[dict]:
    return [json.loads(line) for line in anchor_file(folder).read_text().splitlines()]


def test_anchor_appends_the_signed_end_of_the_chain_to_a_private_file(
    events, anchor_dir, audit_key
):
    before = timezone.now().replace(microsecond=0)
    assert anchor_chain().written
    [line] = lines(anchor_dir)
    assert (line["last_id"], line["last_hash"], line["count"]) == (5, events[-1].hash, 5)
    assert line["key_id"] == key_ring().current_id
    assert before <= datetime.fromisoformat(line["at"]) <= timezone.now()
    # The signature, worked out here from the key file: HMAC-SHA256 of a fixed prefix and
    # the other fields as sorted-key compact JSON.
    body = {name: value for name, value in line.items() if name != "signature"}
    signed = b"earlyhelp audit anchor v1\n" + json.dumps(
        body, sort_keys=True, separators=(",", ":")
    ).encode("ascii")
    expected = hmac.new(key_from_file(audit_key), signed, hashlib.sha256).hexdigest()
    assert line["signature"] == expected
    assert anchor_file(anchor_dir).stat().st_mode & 0o077 == 0
    assert anchor_dir.stat().st_mode & 0o077 == 0


def test_anchor_writes_nothing_when_no_event_was_added_since(events, anchor_dir, capsys):
    call_command("audit", "anchor")
    written = anchor_file(anchor_dir).read_bytes()
    call_command("audit", "anchor")
    assert anchor_file(anchor_dir).read_bytes() == written
    out = capsys.readouterr().out
    assert "Anchored event 5 in " in out
    assert "Nothing to anchor: no event since the anchor made " in out


def test_anchor_adds_a_line_and_never_rewrites_the_ones_before(events, anchor_dir):
    anchor_chain()
    first = anchor_file(anchor_dir).read_bytes()
    record(action="view")
    record(action="view")
    later = anchor_chain()
    assert later.checked == 2  # only the events since the last anchor are checked
    assert anchor_file(anchor_dir).read_bytes().startswith(first)
    assert [line["last_id"] for line in lines(anchor_dir)] == [5, 7]
    assert verify_chain().anchor.last_id == 7


def test_verify_says_which_anchor_it_compared_with_and_when_it_was_made(events, anchor_dir, capsys):
    anchor_chain()
    result = verify_chain()
    assert result.ok and result.anchor.last_id == 5
    call_command("audit", "verify")
    out = capsys.readouterr().out
    made = result.anchor.at.strftime("%Y-%m-%d %H:%M:%S UTC")
    assert (
        f"Compared with the anchor made {made} at event 5 ({anchor_file(anchor_dir)}, line 1)."
        in out
    )


def test_without_an_anchor_verify_warns_and_fails_only_when_one_is_required(events, capsys):
    result = verify_chain()
    assert result.ok
    assert result.warnings[0].startswith("no anchor in ")
    call_command("audit", "verify")
    captured = capsys.readouterr()
    assert "Audit trail intact: 5 events" in captured.out
    assert "Not compared with any anchor." in captured.out
    assert "Warning: no anchor in " in captured.err
    assert not verify_chain(require_anchor=True).ok
    with pytest.raises(CommandError, match="no anchor in ") as failure:
        call_command("audit", "verify", "--require-anchor")
    assert failure.value.returncode == 1


def rewrite_line(path: Path, number: int, **changes) -> None:
    text = path.read_text().splitlines()
    fields = json.loads(text[number - 1])
    fields.update(changes)
    text[number - 1] = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    path.write_text("\n".join(text) + "\n")


def test_an_altered_anchor_is_reported_by_verify_and_stops_anchoring(events, anchor_dir):
    anchor_chain()
    path = anchor_file(anchor_dir)
    # Moved back to event 4, as someone hiding a cut last row would want.
    rewrite_line(path, 1, last_id=4, last_hash=events[3].hash, count=4)
    problem = f"{path}, line 1: signature does not match (the anchor was forged or altered)"
    result = verify_chain()
    assert result.anchor_problems == (problem,)
    assert not result.ok
    with pytest.raises(CommandError, match="signature does not match") as failure:
        call_command("audit", "verify")
    assert failure.value.returncode == 1
    record(action="view")
    refused = anchor_chain()
    assert not refused.written
    assert refused.problem == f"the anchor store was tampered with: {problem}"


def test_an_anchor_signed_with_another_key_is_reported(events, anchor_dir):
    anchor_chain()
    path = anchor_file(anchor_dir)
    line = lines(anchor_dir)[0]
    body = {**line, "last_id": 4, "last_hash": events[3].hash, "count": 4}
    del body["signature"]
    signed = (
        b"earlyhelp audit anchor v1\n"
        + json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    )
    body["signature"] = hmac.new(b"not the audit key", signed, hashlib.sha256).hexdigest()
    with path.open("a") as handle:
        handle.write(json.dumps(body) + "\n")
    result = verify_chain()
    assert result.anchor_problems == (
        f"{path}, line 2: signature does not match (the anchor was forged or altered)",
    )
    assert result.anchor.line == 1  # the good anchor is still the one compared with


def test_anchor_refuses_to_vouch_for_events_that_do_not_verify(events, anchor_dir):
    anchor_chain()
    record(action="view")
    disable_append_only_triggers()
    raw("UPDATE audit_event SET reason = 'nothing to see' WHERE id = 6")
    written = anchor_file(anchor_dir).read_bytes()
    with pytest.raises(CommandError, match=r"^No anchor written: row 6: hash does not match"):
        call_command("audit", "anchor")
    assert anchor_file(anchor_dir).read_bytes() == written


def test_anchor_refuses_when_the_anchored_event_is_gone(events, anchor_dir):
    anchor_chain()
    disable_append_only_triggers()
    raw("DELETE FROM audit_event WHERE id = 5")
    raw("UPDATE audit_chainhead SET last_id = 4, last_hash = %s", [events[3].hash])
    record(action="view")  # a new row 5, after the cut
    result = anchor_chain()
    assert not result.written
    assert result.problem.startswith("row 5: hash differs from the anchor made ")


def test_someone_holding_the_key_who_rewrites_rows_before_the_anchor_is_found(events):
    anchor_chain()
    disable_append_only_triggers()
    raw("UPDATE audit_event SET reason = 'rewritten with the key' WHERE id = 3")
    previous = events[1].hash
    for event in AuditEvent.objects.filter(id__gte=3).order_by("id"):
        event.previous_hash = previous
        previous = event_hash([getattr(event, name) for name in HASHED_FIELDS], event.key_id)
        raw(
            "UPDATE audit_event SET previous_hash = %s, hash = %s WHERE id = %s",
            [event.previous_hash, previous, event.id],
        )
    raw("UPDATE audit_chainhead SET last_hash = %s", [previous])
    result = verify_chain()
    assert result.problem == (
        f"row 5: hash differs from {result.anchor.describe()} (the chain was rewritten)"
    )


def test_a_line_cut_off_by_a_crash_is_skipped_and_the_next_anchor_starts_its_own(
    events, anchor_dir
):
    anchor_chain()
    with anchor_file(anchor_dir).open("a") as handle:
        handle.write('{"at":"2026-11-')  # killed mid-write, as a power cut could
    record(action="view")
    assert anchor_chain().written
    result = verify_chain()
    assert result.ok and result.anchor.last_id == 6
    assert result.warnings == (f"{anchor_file(anchor_dir)}, line 2: not an anchor; ignored",)


def test_the_newest_months_file_holds_the_latest_anchor(events, anchor_dir):
    anchor_chain()
    old = anchor_file(anchor_dir)
    older = old.with_name("anchors-2000-01.jsonl")
    old.rename(older)
    record(action="view")
    later = anchor_chain()
    assert later.anchor.at - timezone.now() < timedelta(minutes=1)
    assert verify_chain().anchor.last_id == 6
    assert later.anchor.path != older
