"""Teams, for the system administrator (issue 20, item 6): listed with their service in
the policy's words, added in one of the policy's services, renamed (never moved to another
service, since its cases belong to it); a name is refused when another team has it; every
change is audited."""

from __future__ import annotations

import html
import re

from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases.models import Team


def _text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_the_administrator_adds_a_team_in_a_service_of_the_policy(client, sign_in, make_user, team):
    sign_in(make_user("ada", Role.SYSTEM_ADMINISTRATOR))
    listing = _text(client.get(reverse("staff:teams")))
    assert "North family support" in listing and "Family Support" in listing
    assert "family-support-and-complex-families" not in listing  # words, not ids
    response = client.post(
        reverse("staff:new_team"),
        {"name": "  South   youth  ", "service": "iyss", "form_token": "t-1"},
    )
    assert response.status_code == 302
    made = Team.objects.get(name="South youth")
    assert made.service == "iyss"
    event = AuditEvent.objects.get(record_type="team", action="create")
    assert event.details == {
        "what": "team created", "team": made.pk, "name": "South youth", "service": "iyss",
    }  # fmt: skip


def test_a_team_name_another_team_has_is_refused_whatever_its_case(
    client, sign_in, make_user, team
):
    sign_in(make_user("ada", Role.SYSTEM_ADMINISTRATOR))
    response = client.post(
        reverse("staff:new_team"),
        {"name": "north FAMILY support", "service": "iyss", "form_token": "t-2"},
    )
    assert "There is a team called North family support already" in _text(response)
    missing = client.post(reverse("staff:new_team"), {"name": "East", "form_token": "t-3"})
    assert "Select the service the team works in" in _text(missing)
    assert Team.objects.count() == 1


def test_a_team_is_renamed_keeping_its_service_and_cases(client, sign_in, make_user, team, case):
    sign_in(make_user("ada", Role.SYSTEM_ADMINISTRATOR))
    url = reverse("staff:rename_team", args=[team.pk])
    page = _text(client.get(url))
    assert "keeps its staff and cases" in page and "Choose a service" not in page
    response = client.post(
        url, {"name": "Kentish Town family support", "service": "iyss", "form_token": "t-4"}
    )
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.name == "Kentish Town family support"
    assert team.service == "family-support-and-complex-families"  # not moved
    assert team.cases.count() == 1
    event = AuditEvent.objects.get(record_type="team", action="change")
    assert (event.details["from"], event.details["to"]) == (
        "North family support",
        "Kentish Town family support",
    )


def test_a_name_that_reads_the_same_is_refused_in_any_unicode_form_and_by_the_database(
    client, sign_in, make_user, request_as
):
    import pytest

    from earlyhelp.access import grants

    admin = make_user("ada", Role.SYSTEM_ADMINISTRATOR)
    sign_in(admin)
    client.post(
        reverse("staff:new_team"), {"name": "Équipe Nord", "service": "iyss", "form_token": "a"}
    )
    decomposed = client.post(
        reverse("staff:new_team"),
        {"name": "E\u0301QUIPE nord", "service": "iyss", "form_token": "b"},
    )
    assert "There is a team called Équipe Nord already" in _text(decomposed)
    wide = client.post(
        reverse("staff:new_team"),
        {"name": "Équipe \uff2eord", "service": "iyss", "form_token": "c"},
    )
    assert "There is a team called Équipe Nord already" in _text(wide)
    # Sent together, past the form's check: the database's unique key refuses the second.
    with pytest.raises(ValueError, match=r"^name: There is a team called"):
        grants.create_team(request_as(admin), "équipe  NORD", "iyss")
    assert Team.objects.count() == 1
