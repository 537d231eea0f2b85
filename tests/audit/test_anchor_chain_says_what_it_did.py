"""What `earlyhelp audit anchor` reports and writes: the exact line, the month's file in UTC,
the counts and warnings it hands back, and what it sends to syslog (only when asked).

The line's format is written out here by hand (sorted keys, no spaces, one line ending in a
newline), as an operator comparing a syslog copy with the file would read it.
"""

import hashlib
import hmac
import os
import syslog
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.utils import timezone

from earlyhelp.audit import anchors, verify
from earlyhelp.audit.anchors import Anchor
from earlyhelp.audit.keys import key_ring
from earlyhelp.audit.log import record
from earlyhelp.audit.verify import anchor_chain
from tests.audit.conftest import disable_append_only_triggers, key_from_file, raw


def only_file(folder: Path) -> Path:
    [path] = folder.glob("anchors-*.jsonl")
    return path


@pytest.fixture
def sent(monkeypatch) -> list[tuple]:
    """What anchor_chain sends to syslog, instead of sending it."""
    calls: list[tuple] = []
    monkeypatch.setattr(verify.syslog, "openlog", lambda *a: calls.append(("openlog", *a)))
    monkeypatch.setattr(verify.syslog, "syslog", lambda *a: calls.append(("syslog", *a)))
    return calls


def test_the_anchor_line_is_sorted_compact_json_on_one_line(
    events, anchor_dir, audit_key, monkeypatch
):
    monkeypatch.setattr(verify.timezone, "now", lambda: datetime(2026, 11, 25, 10, 0, 7, 250, UTC))
    done = anchor_chain()
    body = (
        f'"at":"2026-11-25T10:00:07+00:00","count":5,"key_id":"{key_ring().current_id}",'
        f'"last_hash":"{events[-1].hash}","last_id":5'
    )
    # HMAC-SHA256 of a fixed prefix and the fields but the signature, with the key's file.
    signed = b"earlyhelp audit anchor v1\n{" + body.encode() + b',"v":1}'
    signature = hmac.new(key_from_file(audit_key), signed, hashlib.sha256).hexdigest()
    expected = "{" + body + f',"signature":"{signature}","v":1}}\n'
    assert only_file(anchor_dir).read_text() == expected
    assert done.anchor.path == only_file(anchor_dir)


def test_the_months_file_is_named_by_the_month_in_utc_not_in_london(
    events, anchor_dir, monkeypatch
):
    # 23:30 UTC on 31 August is 00:30 on 1 September in London (BST).
    late_august = datetime(2026, 8, 31, 23, 30, tzinfo=UTC)
    monkeypatch.setattr(verify.timezone, "now", lambda: late_august)
    anchor_chain()
    assert only_file(anchor_dir).name == "anchors-2026-08.jsonl"


def test_the_first_anchor_reports_every_event_checked_and_how_long_it_took(events):
    done = anchor_chain()
    assert (done.written, done.checked, done.problem, done.warnings) == (True, 5, None, ())
    assert 0 <= done.seconds < 600


def test_nothing_new_to_anchor_is_reported_as_not_written_with_nothing_checked(events):
    anchor_chain()
    done = anchor_chain()
    assert done.written is False
    assert (done.checked, done.problem, done.anchor.last_id) == (0, None, 5)
    assert 0 <= done.seconds < 600


def test_a_line_cut_off_by_a_crash_is_handed_back_as_a_warning_whatever_the_outcome(
    events, anchor_dir
):
    anchor_chain()
    path = only_file(anchor_dir)
    with path.open("a") as handle:
        handle.write('{"at":"2026-11-')
    warning = f"{path}, line 2: not an anchor; ignored"
    assert anchor_chain().warnings == (warning,)  # nothing new: not written
    record(action="view")
    done = anchor_chain()
    assert (done.written, done.checked, done.warnings) == (True, 1, (warning,))


def test_an_anchored_row_rewritten_since_stops_the_next_anchor_naming_it(events, anchor_dir):
    anchor_chain()
    record(action="view")
    disable_append_only_triggers()
    raw("UPDATE audit_event SET hash = %s WHERE id = 5", ["0" * 64])
    done = anchor_chain()
    assert done.written is False
    assert done.problem.startswith("row 5: hash differs from the anchor")
    assert done.problem.endswith(f"({only_file(anchor_dir)}, line 1) (the chain was rewritten)")
    assert done.checked == 0


def test_syslog_gets_the_new_anchor_line_only_when_asked(events, anchor_dir, sent):
    anchor_chain()
    assert sent == []
    record(action="view")
    anchor_chain(to_syslog=True)
    line = only_file(anchor_dir).read_text().splitlines()[-1]
    assert sent == [
        ("openlog", "earlyhelp-audit", 0, syslog.LOG_USER),
        ("syslog", syslog.LOG_NOTICE, f"anchor {line}"),
    ]


def test_syslog_gets_an_alert_when_no_anchor_is_written_for_a_problem_and_nothing_otherwise(
    events, anchor_dir, sent
):
    anchor_chain(to_syslog=True)
    sent.clear()
    anchor_chain(to_syslog=True)  # nothing new: nothing to say
    assert sent == []
    record(action="view")
    disable_append_only_triggers()
    raw("UPDATE audit_event SET hash = %s WHERE id = 6", ["0" * 64])
    done = anchor_chain(to_syslog=True)
    assert done.problem.startswith("row 6: hash does not match its contents")
    assert sent == [
        ("openlog", "earlyhelp-audit", 0, syslog.LOG_USER),
        ("syslog", syslog.LOG_ALERT, f"no anchor written: {done.problem}"),
    ]


def test_the_anchor_time_is_the_time_of_anchoring(events, monkeypatch):
    at = timezone.now().replace(microsecond=0)
    monkeypatch.setattr(verify.timezone, "now", lambda: at)
    assert anchor_chain().anchor.at == at


def test_an_anchor_appended_where_there_is_no_folder_yet_makes_it_private(events, tmp_path):
    keys = key_ring()
    at = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    anchor = Anchor(last_id=5, last_hash=events[4].hash, count=5, at=at, key_id=keys.current_id)
    folder = tmp_path / "var" / "audit-anchors"
    permissive = os.umask(0o022)  # so the modes below come from the code, not the umask
    try:
        path = anchors.append(folder, anchor, keys)
    finally:
        os.umask(permissive)
    assert path == folder / "anchors-2026-11.jsonl"
    assert folder.stat().st_mode & 0o777 == 0o700
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.read_text() == anchor.to_line(keys)
