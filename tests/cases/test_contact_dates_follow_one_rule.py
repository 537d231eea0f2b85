"""A contact's date follows one rule whether it is recorded or corrected: not before the
birth of anyone present, nor past a closed case's closing date."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.cases.models import CaseMember, Contact
from earlyhelp.people.models import Person


def _dated(day) -> dict:
    return {
        "record-occurred_at_day": str(day.day),
        "record-occurred_at_month": str(day.month),
        "record-occurred_at_year": str(day.year),
    }


@pytest.fixture
def baby(case):
    baby = Person.objects.create(
        given_name="Noor", family_name="Haddad", date_of_birth=date(2026, 10, 15)
    )
    CaseMember.objects.create(case=case, person=baby, role="child")
    return baby


def test_recording_refuses_a_contact_before_the_birth_of_someone_present(
    client, practitioner, case, baby
):
    """The rule as recording applies it (holds): the baby was not born on 1 October."""
    response = client.post(
        reverse("cases:add_contact", args=[case.public_id]),
        {
            "kind": "home_visit",
            "occurred_on_day": "1", "occurred_on_month": "10", "occurred_on_year": "2026",
            "occurred_time": "10:00",
            "note": "Visited",
            "people_present": [str(baby.public_id)],
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert not Contact.objects.exists()


def test_a_correction_does_not_move_a_contact_to_before_the_birth_of_someone_present(
    client, practitioner, case, baby
):
    contact = Contact.objects.create(
        case=case, author=practitioner, kind="home_visit",
        occurred_at=datetime(2026, 10, 20, 10, 0, tzinfo=UTC), note="Visited the new baby",
    )  # fmt: skip
    contact.people_present.set([baby])
    response = client.post(
        reverse("cases:correct_contact", args=[case.public_id, contact.public_id]),
        {
            "action": "correct",
            "reason": "Wrong day",
            "record-kind": contact.kind,
            "record-note": contact.note,
            **_dated(date(2026, 10, 1)),
        },
    )
    contact.refresh_from_db()
    assert timezone.localdate(contact.occurred_at) >= baby.date_of_birth, (
        "the contact now predates the birth of the baby recorded as present"
    )
    assert response.status_code == 200


def test_a_correction_does_not_move_a_closed_cases_contact_past_its_closing(
    client, practitioner, case
):
    """Holds: refused beside the date, nothing written."""
    from earlyhelp.cases.models import Case

    Case.objects.filter(pk=case.pk).update(ended=date(2026, 11, 20), closure_reason="needs-met")
    contact = Contact.objects.create(
        case=case, author=practitioner, kind="home_visit",
        occurred_at=datetime(2026, 11, 10, 10, 0, tzinfo=UTC), note="Visited",
    )  # fmt: skip
    response = client.post(
        reverse("cases:correct_contact", args=[case.public_id, contact.public_id]),
        {
            "action": "correct",
            "reason": "Wrong day",
            "record-kind": contact.kind,
            "record-note": contact.note,
            **_dated(date(2026, 11, 25)),
        },
    )
    contact.refresh_from_db()
    assert timezone.localdate(contact.occurred_at) == date(2026, 11, 10)
    assert response.status_code in (200, 403)
