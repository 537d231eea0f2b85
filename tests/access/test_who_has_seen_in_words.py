"""The "who has seen" page in words after the retention work (legal holds, destruction
reviews): a hold by who asked for it, a review by the day it was planned, dates as people
write them, and what was done as a verb; never a public id, a code or an ISO date. The
stored events keep their ids and codes (the audit trail is unchanged)."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import earlyhelp
from earlyhelp.access.governance_views import WHAT_WORDS
from earlyhelp.access.roles import Role
from earlyhelp.audit.log import record
from earlyhelp.audit.models import AuditEvent
from earlyhelp.datamap.registry import categories_of
from earlyhelp.lib.plausible import format_day
from earlyhelp.people.models import Person
from earlyhelp.retention import holds, services
from earlyhelp.retention.models import DestructionReview, LegalHold, PlannedDestruction
from tests.web.test_words_not_codes import assert_no_codes, visible

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
RETENTION = Path(earlyhelp.__file__).parent / "retention"


@pytest.fixture
def officer(make_user):
    user = make_user("ig.officer", Role.INFORMATION_GOVERNANCE)
    user.first_name, user.last_name = "Gwen", "Ifans"
    user.save()
    return user


@pytest.fixture
def reviewer(make_user):
    user = make_user("team.manager", Role.TEAM_MANAGER)
    user.first_name, user.last_name = "Sam", "Okafor"
    user.save()
    return user


def _hold(request, person: Person, issuer: str = "The Metropolitan Police", **more) -> LegalHold:
    return holds.place_hold(
        request,
        issuer=issuer,
        scope=LegalHold.Scope.PERSON,
        reason="An inquiry asked for the records to be kept",
        review_on=timezone.localdate() + timedelta(days=30),
        person=person,
        **more,
    )


def _review(person: Person, planned_on) -> DestructionReview:
    """An open review planned on `planned_on`, listing `person` under the adult rule."""
    today = timezone.localdate()
    planned_at = timezone.make_aware(
        timezone.datetime(planned_on.year, planned_on.month, planned_on.day, 10)
    )
    review = DestructionReview.objects.create(
        due_by=today + timedelta(days=30), planned_at=planned_at
    )
    PlannedDestruction.objects.create(
        review=review,
        person=person,
        pseudonym="0" * 32,
        rule="adult-records",
        subject="adult",
        due_on=today - timedelta(days=1),
        last_involvement=today - timedelta(days=6 * 366),
    )
    return review


def _page(client, sign_in, officer, person: Person) -> str:
    sign_in(officer)
    return visible(client.get(reverse("governance:who_has_seen", args=[person.public_id])))


def test_who_has_seen_names_a_legal_hold_by_its_issuer_never_its_id(
    client, sign_in, request_as, officer, family
):
    hold = _hold(request_as(officer), family["mum"], reference="OP-1234")
    text = _page(client, sign_in, officer, family["mum"])
    assert "Placed a legal hold" in text
    assert "A legal hold asked for by The Metropolitan Police (their reference OP-1234)" in text
    assert str(hold.public_id) not in text and not UUID.search(text)
    # The trail itself keeps the id.
    stored = AuditEvent.objects.get(rule="retention:legal-hold", action="create")
    assert stored.reason == f"Legal hold {hold.public_id}"


def test_who_has_seen_says_a_hold_was_lifted_in_words_not_changed(
    client, sign_in, request_as, officer, family
):
    hold = _hold(request_as(officer), family["mum"])
    holds.lift_hold(request_as(officer), hold, "The inquiry closed")
    text = _page(client, sign_in, officer, family["mum"])
    assert "Lifted a legal hold" in text
    # In the list itself: the filters above it offer "Changed" as what someone did.
    assert "Changed" not in text.split("newest first", 1)[1]
    assert not UUID.search(text)


def test_who_has_seen_calls_a_hold_no_longer_recorded_a_legal_hold_never_its_id(
    client, sign_in, request_as, officer, family
):
    gone = uuid.uuid4()
    record(
        request_as(officer),
        action="change",
        record_type="person",
        record_id=family["mum"].public_id,
        rule="retention:legal-hold",
        reason=f"Legal hold {gone}",
        details={"what": "legal hold lifted", "hold": str(gone), "scope": "person"},
    )
    text = _page(client, sign_in, officer, family["mum"])
    assert "A legal hold no longer recorded" in text
    assert str(gone) not in text and not UUID.search(text)


def test_who_has_seen_gives_the_date_destruction_is_deferred_to_in_words_never_iso(
    client, sign_in, request_as, officer, reviewer, family
):
    review = _review(family["mum"], timezone.localdate())
    until = timezone.localdate() + timedelta(days=20)
    services.defer(request_as(reviewer), review.items.get(), "Awaiting a court date", until)
    text = _page(client, sign_in, officer, family["mum"])
    assert "Deferred destruction" in text
    assert f"Destruction deferred until {format_day(until)}" in text
    assert until.isoformat() not in text and not ISO_DAY.search(text)


def test_who_has_seen_names_a_destruction_review_by_the_day_it_was_planned_never_its_id(
    client, sign_in, request_as, officer, reviewer, family
):
    planned_on = timezone.localdate() - timedelta(days=3)
    review = _review(family["mum"], planned_on)
    sign_in(reviewer)
    assert client.get(reverse("retention:review", args=[review.public_id])).status_code == 200
    services.approve(request_as(reviewer), review)
    text = _page(client, sign_in, officer, family["mum"])
    day = format_day(planned_on)
    assert f"A destruction review planned {day}" in text
    assert f"Destruction approved in a destruction review planned {day}" in text
    assert "Approved destruction" in text
    assert str(review.public_id) not in text and not UUID.search(text)


def test_who_has_seen_shows_no_id_code_or_iso_date_for_anything_the_retention_code_records(
    client, sign_in, request_as, officer, reviewer, family
):
    mum = family["mum"]
    hold = _hold(request_as(officer), mum)
    holds.lift_hold(request_as(officer), hold, "Closed")
    review = _review(mum, timezone.localdate())
    sign_in(reviewer)
    client.get(reverse("retention:review", args=[review.public_id]))
    services.defer(request_as(reviewer), review.items.get(), "Court", None)
    review.status = DestructionReview.Status.APPROVED
    review.save(update_fields=["status"])
    services.approve(request_as(reviewer), _review(mum, timezone.localdate()))
    text = _page(client, sign_in, officer, mum)
    assert_no_codes(text, usernames=("ig.officer", "team.manager"))
    assert not UUID.search(text), UUID.search(text).group()
    assert not ISO_DAY.search(text), ISO_DAY.search(text).group()
    listed = text.split("newest first", 1)[1]  # the filters offer every action's words
    assert "Changed" not in listed and "Added" not in listed


def test_every_what_the_retention_code_records_has_words():
    """Each "what" a retention module writes on an event (details {"what": ...}, or the
    holds' _audit(request, hold, action, what)) reads as words on the page."""
    found = set()
    for path in RETENTION.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r"\"what\": \"([^\"]+)\"", text))
        found |= set(re.findall(r"_audit\(\s*request,\s*hold,\s*\"[a-z_]+\",\s*\"([^\"]+)\"", text))
    assert {"legal hold placed", "legal hold lifted", "destruction deferred"} <= found
    assert found - set(WHAT_WORDS) == set()


def test_every_what_the_nursery_media_code_records_has_words():
    from earlyhelp.consent.media import WHAT

    assert set(WHAT) - set(WHAT_WORDS) == set()


def test_who_has_seen_never_shows_the_id_of_a_disclosure_a_partner_request_or_a_move_abroad(
    client, sign_in, request_as, officer, family
):
    for kind in ("Disclosure", "Partner request", "Relocation", "Something new"):
        record(
            request_as(officer),
            action="view",
            record_type="person",
            record_id=family["mum"].public_id,
            reason=f"{kind} {uuid.uuid4()}",
        )
    text = _page(client, sign_in, officer, family["mum"])
    assert not UUID.search(text), UUID.search(text).group()
    assert "A disclosure of their information" in text
    assert "A partner's request for information about them" in text
    assert "Their move abroad" in text
    assert "Something new" in text


def test_who_has_seen_names_every_hold_and_review_with_one_query_a_kind_not_one_a_row(
    client, sign_in, request_as, officer, family
):
    mum = family["mum"]

    def queries() -> int:
        sign_in(officer)
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("governance:who_has_seen", args=[mum.public_id]))
        return len(captured)

    _hold(request_as(officer), mum, issuer="Inquiry 0")
    one = queries()
    for number in range(1, 4):
        _hold(request_as(officer), mum, issuer=f"Inquiry {number}")
    assert queries() == one
    text = _page(client, sign_in, officer, mum)
    for number in range(4):
        assert f"A legal hold asked for by Inquiry {number}" in text


def test_the_look_at_who_has_seen_records_the_holds_category_when_it_names_a_hold(
    client, sign_in, request_as, officer, family
):
    mum = family["mum"]
    _page(client, sign_in, officer, mum)
    first = AuditEvent.objects.filter(rule="access:governance").latest("id")
    assert first.categories == categories_of(Person)
    _hold(request_as(officer), mum)
    _page(client, sign_in, officer, mum)
    look = AuditEvent.objects.filter(rule="access:governance").latest("id")
    assert look.categories == categories_of(Person, LegalHold)
