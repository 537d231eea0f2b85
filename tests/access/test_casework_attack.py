"""Attacks on today's casework pages: each test names a fault found by reading the code and
proves it through the web client."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases import corrections
from earlyhelp.cases.models import Contact


def _contact(case, author, note="Visited; Amira said the flat is damp"):
    return Contact.objects.create(
        case=case,
        author=author,
        kind="home_visit",
        occurred_at=datetime(2026, 10, 1, 10, 0, tzinfo=UTC),
        note=note,
    )


def test_a_huge_record_number_in_a_correction_address_is_not_found_not_a_server_error(
    client, practitioner, family
):
    url = reverse("cases:correct_person_record", args=[family["yusuf"].public_id, "risk", 1])
    url = url.rsplit("/", 1)[0] + "/" + "9" * 30
    assert client.get(url).status_code == 404


def test_the_corrections_list_records_the_look_against_everyone_a_contact_note_is_about(
    client, make_user, sign_in, manager, case, family, request_as
):
    """A contact note is the family's: its versions shown on Yusuf's corrections list are
    also Amira's and Leila's data, so the look is recorded against them too."""
    contact = _contact(case, manager)
    corrections.correct(request_as(manager), contact, {"note": "Corrected note"}, "Typo")
    sign_in(make_user("gwen", Role.INFORMATION_GOVERNANCE))
    url = reverse("cases:record_corrections", args=[family["yusuf"].public_id])
    page = client.get(url).content.decode()
    assert "Visited; Amira said the flat is damp" in page
    for who in ("mum", "leila"):
        looks = AuditEvent.objects.filter(
            action="view",
            record_type="person",
            record_id=str(family[who].public_id),
            details__page="record_corrections",
        )
        assert looks.exists(), who


def test_a_huge_goal_number_in_a_plan_address_is_not_found_not_a_server_error(
    client, practitioner, case
):
    from tests.access.plan_records import plan_on

    plan = plan_on(case)
    url = reverse("cases:edit_plan_goal", args=[case.public_id, plan.public_id, 1])
    url = url.rsplit("/", 1)[0] + "/" + "9" * 30
    assert client.get(url).status_code == 404
