"""A relative named on a person's or household's page is recorded under their own access:
one the reader may not open is "listed", never "allocated" (who has seen tells the truth)."""

from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases.services import open_case
from tests.factories import TeamFactory


@pytest.fixture
def dad_held_elsewhere(family):
    """Tomasz, the children's father, lives elsewhere and is on another team's case."""
    other = TeamFactory(name="South youth", service="iyss")
    open_case(
        service="iyss",
        household=None,
        children=[family["dad"]],
        reason="Youth work as a young adult",
        team=other,
        started=date(2026, 3, 1),
        created_by=None,
    )
    return family["dad"]


def looks_at(person, page):
    return AuditEvent.objects.filter(
        action="view", record_id=str(person.public_id), details__page=page
    )


def test_a_relative_the_reader_may_not_open_is_recorded_as_listed(
    client, practitioner, family, dad_held_elsewhere
):
    client.get(reverse("people:person", args=[family["yusuf"].public_id]))
    (look,) = looks_at(dad_held_elsewhere, "person-relationships")
    assert (look.rule, look.flagged) == ("access:listed", False)


def test_a_relative_the_reader_may_open_is_recorded_as_allocated(client, practitioner, family):
    client.get(reverse("people:person", args=[family["yusuf"].public_id]))
    (look,) = looks_at(family["leila"], "person-relationships")
    assert look.rule == "access:allocation"


def test_the_household_page_records_a_relative_elsewhere_under_their_own_access(
    client, practitioner, family, dad_held_elsewhere
):
    client.get(reverse("people:household", args=[family["household"].public_id]))
    (look,) = looks_at(dad_held_elsewhere, "household")
    assert look.rule == "access:listed"
