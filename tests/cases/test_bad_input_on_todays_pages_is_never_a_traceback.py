"""Bad input to the contact correction, the session list's "take off" button and the new
person form for a walk-in answers with a page or a 404, never a traceback."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.cases import sessions
from earlyhelp.cases.models import Contact


@pytest.mark.parametrize(
    "day,month,year",
    [
        ("31", "2", "2026"),
        ("1", "1", "1"),
        ("x", "y", "z"),
        ("", "", ""),
        ("1", "1", "99999"),
        ("1", "13", "2026"),
        ("-1", "10", "2026"),
        ("1", "10", "0"),
    ],
)
def test_the_contact_date_correction_takes_any_boxes(client, practitioner, case, day, month, year):
    contact = Contact.objects.create(
        case=case, author=practitioner, kind="home_visit",
        occurred_at=datetime(2026, 10, 1, 10, 0, tzinfo=UTC), note="Visited",
    )  # fmt: skip
    response = client.post(
        reverse("cases:correct_contact", args=[case.public_id, contact.public_id]),
        {
            "action": "correct", "reason": "Wrong day", "record-kind": "home_visit",
            "record-note": "Visited", "record-occurred_at_day": day,
            "record-occurred_at_month": month, "record-occurred_at_year": year,
        },
    )  # fmt: skip
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("value", ["", "x", "00000000-0000-0000-0000-000000000000", "1" * 5000])
def test_take_off_the_list_takes_any_value(client, practitioner, request_as, value):
    session = sessions.create_session(
        request_as(practitioner), service="family-support-and-complex-families",
        kind="stay_and_play", title="T", venue="V", held_on=timezone.localdate(),
    )  # fmt: skip
    url = reverse("cases:session_expected", args=[session.public_id])
    assert client.post(url, {"remove": value}).status_code == 302


@pytest.mark.parametrize("value", ["", "x", "00000000-0000-0000-0000-000000000000", "%00"])
def test_walk_in_takes_any_value(client, practitioner, value):
    assert client.get(reverse("people:create"), {"walk_in": value}).status_code == 404
