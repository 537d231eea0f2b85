"""An anchor line is read only in its exact form (version 1, exactly its fields, a time with
its offset): anything else is "not an anchor", never a good one. Its body and signature are
made in UTC, under the key the line names, whatever the local time zone (Europe/London)."""

import hashlib
import hmac
import json
from datetime import UTC, datetime

import pytest
from django.conf import settings

from earlyhelp.audit import anchors
from earlyhelp.audit.anchors import Anchor
from earlyhelp.audit.keys import key_ring, rotate_audit_key
from earlyhelp.audit.verify import anchor_chain, verify_chain
from tests.audit.conftest import key_from_file

# 1 July: London keeps British Summer Time, an hour ahead of UTC.
SUMMER = datetime(2026, 7, 1, 12, 30, 5, tzinfo=UTC)


def _anchor_path():
    return next(settings.AUDIT_ANCHOR_DIR.glob("anchors-*.jsonl"))


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda line: {**line, "v": 2}, id="another-version"),
        pytest.param(lambda line: {**line, "note": "extra"}, id="an-extra-field"),
        pytest.param(
            lambda line: {**line, "at": line["at"].removesuffix("+00:00")}, id="no-offset"
        ),
    ],
)
def test_a_line_not_in_the_exact_anchor_form_is_not_taken_for_an_anchor(events, change):
    anchor_chain()
    path = _anchor_path()
    good = json.loads(path.read_text())
    # November: London is on UTC, so a time without its offset still signs the same.
    assert good["at"].startswith("20") and good["at"].endswith("+00:00")
    with path.open("a") as handle:
        handle.write(json.dumps(change(good)) + "\n")
    reading = anchors.read(settings.AUDIT_ANCHOR_DIR, key_ring())
    assert reading.warnings == [f"{path}, line 2: not an anchor; ignored"]
    assert reading.problems == []
    assert reading.latest.line == 1


def test_an_anchors_body_gives_its_time_in_utc(tmp_path):
    anchor = Anchor(last_id=7, last_hash="b" * 64, count=7, at=SUMMER, key_id="0a0b0c0d")
    assert anchor.body() == {
        "at": "2026-07-01T12:30:05+00:00",
        "count": 7,
        "key_id": "0a0b0c0d",
        "last_hash": "b" * 64,
        "last_id": 7,
        "v": 1,
    }


def test_an_anchor_line_is_signed_under_the_key_it_names_not_the_current_one(own_audit_keys):
    old = key_ring().current_id
    old_key = key_from_file(own_audit_keys)
    rotate_audit_key(own_audit_keys)
    assert key_ring().current_id != old
    anchor = Anchor(last_id=7, last_hash="b" * 64, count=7, at=SUMMER, key_id=old)
    line = json.loads(anchor.to_line(key_ring()))
    body = (
        b"earlyhelp audit anchor v1\n"
        b'{"at":"2026-07-01T12:30:05+00:00","count":7,"key_id":"' + old.encode() + b'",'
        b'"last_hash":"' + b"b" * 64 + b'","last_id":7,"v":1}'
    )
    assert line["signature"] == hmac.new(old_key, body, hashlib.sha256).hexdigest()


def test_with_no_anchor_yet_verify_warns_what_goes_unnoticed_and_how_to_anchor(events):
    folder = settings.AUDIT_ANCHOR_DIR
    warning = (
        f"no anchor in {folder} yet: run `earlyhelp audit anchor` from cron, or rows cut "
        "from the end of the trail go unnoticed"
    )
    result = verify_chain()
    assert result.ok and result.warnings == (warning,)
    required = verify_chain(require_anchor=True)
    assert not required.ok and required.anchor_problems == (warning,)
