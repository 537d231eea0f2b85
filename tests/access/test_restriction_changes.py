"""Restrictions a manager and the IG officer can rely on (issue 20, item 1): the banner names
who may open the record and when it is reviewed; changing starts from the restriction as it
stands; anyone in a casework role may be named; a restriction is lifted, with a reason, by
the manager who made it or the IG officer, and by no one else; every change is audited; the
IG officer lists them all with their review dates."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.models import Restriction
from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.decisions.common import add_period


def _text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def _restrict(client, person, reason, *users, once="r-1"):
    return client.post(
        reverse("people:restrict", args=[person.public_id]),
        {"reason": reason, "named_users": [str(u.pk) for u in users], "form_token": once},
    )


def test_a_restriction_names_who_may_open_it_and_when_it_is_reviewed(
    client, manager, make_user, family
):
    # A colleague with no case of the family's may be named: anyone in a casework role.
    colleague = make_user("carla", Role.PRACTITIONER)
    colleague.first_name, colleague.last_name = "Carla", "Reyes"
    colleague.save()
    manager.first_name, manager.last_name = "Marcus", "Bell"
    manager.save()
    yusuf = family["yusuf"]
    form = _text(client.get(reverse("people:restrict", args=[yusuf.public_id])))
    assert "Carla Reyes" in form
    assert _restrict(client, yusuf, "His aunt works here", manager, colleague).status_code == 302
    restriction = Restriction.objects.get(person=yusuf)
    within = active_policy().casework.restriction_review_within
    assert restriction.review_on == add_period(timezone.localdate(), within)
    page = _text(client.get(reverse("people:person", args=[yusuf.public_id])))
    assert re.search(
        r"Restricted: only (Carla Reyes, Marcus Bell|Marcus Bell, Carla Reyes) can", page
    )
    assert f"To be reviewed by {restriction.review_on.day}" in page
    event = AuditEvent.objects.get(action="restrict", details__what="restriction made")
    assert set(event.details["named_users"]) == {manager.pk, colleague.pk}


def test_changing_starts_from_the_restriction_as_it_stands_and_is_audited(
    client, manager, make_user, family
):
    colleague = make_user("carla", Role.PRACTITIONER)
    yusuf = family["yusuf"]
    _restrict(client, yusuf, "His aunt works here", manager, colleague)
    form = client.get(reverse("people:restrict", args=[yusuf.public_id])).content.decode()
    assert "His aunt works here" in form
    assert re.search(rf'value="{colleague.pk}"[^>]*checked', form)
    assert "Change who may open this record" in form
    _restrict(client, yusuf, "His aunt has left", manager, once="r-2")
    restriction = Restriction.objects.get(person=yusuf)
    assert list(restriction.named_users.all()) == [manager]
    assert restriction.changed_by == manager and restriction.reason == "His aunt has left"
    assert AuditEvent.objects.filter(action="restrict", details__what="restriction changed")


def test_the_manager_who_made_it_lifts_it_with_a_reason(client, manager, family):
    yusuf = family["yusuf"]
    _restrict(client, yusuf, "His aunt works here", manager)
    url = reverse("people:lift_restriction", args=[yusuf.public_id])
    refused = client.post(url, {"reason": "", "form_token": "l-1"})
    assert "Enter why the restriction is lifted" in _text(refused)
    assert Restriction.objects.filter(person=yusuf).exists()
    done = client.post(url, {"reason": "Aunt has left the service", "form_token": "l-2"})
    assert done.status_code == 302
    assert not Restriction.objects.filter(person=yusuf).exists()
    event = AuditEvent.objects.get(action="restrict", details__what="restriction lifted")
    assert event.reason == "Aunt has left the service"
    assert event.record_id == str(yusuf.public_id)


def test_another_manager_named_in_it_cannot_lift_it(client, manager, make_user, sign_in, family):
    yusuf = family["yusuf"]
    other = make_user("olu", Role.TEAM_MANAGER)
    _restrict(client, yusuf, "His aunt works here", manager, other)
    sign_in(other)
    url = reverse("people:lift_restriction", args=[yusuf.public_id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "I think so", "form_token": "l-3"}).status_code == 403
    assert Restriction.objects.filter(person=yusuf).exists()
    page = _text(client.get(reverse("people:person", args=[yusuf.public_id])))
    assert "Lift the restriction" not in page


def test_the_ig_officer_lists_every_restriction_by_review_date_and_lifts_one(
    client, manager, make_user, sign_in, family
):
    yusuf, leila = family["yusuf"], family["leila"]
    _restrict(client, yusuf, "His aunt works here", manager)
    _restrict(client, leila, "A cousin works here", manager, once="r-2")
    Restriction.objects.filter(person=leila).update(
        review_on=timezone.localdate() - timedelta(days=1)
    )
    officer = make_user("ines", Role.INFORMATION_GOVERNANCE)
    sign_in(officer)
    home = client.get("/").content.decode()
    assert reverse("governance:restrictions") in home
    listing = _text(client.get(reverse("governance:restrictions")))
    assert listing.index("Leila Haddad") < listing.index("Yusuf Haddad")  # overdue first
    assert "Due" in listing and "A cousin works here" in listing
    looks = AuditEvent.objects.filter(action="view", details__page="restrictions")
    assert {e.record_id for e in looks} == {str(yusuf.public_id), str(leila.public_id)}
    url = reverse("people:lift_restriction", args=[leila.public_id])
    assert client.get(url).status_code == 200
    done = client.post(url, {"reason": "Reviewed: the cousin left", "form_token": "l-4"})
    assert done.status_code == 302 and done["Location"] == reverse("governance:restrictions")
    assert not Restriction.objects.filter(person=leila).exists()
    assert Restriction.objects.filter(person=yusuf).exists()


def test_a_manager_named_who_changes_it_owns_it_and_the_maker_left_out_cannot_lift_it(
    client, manager, make_user, sign_in, family, team
):
    yusuf = family["yusuf"]
    other = make_user("olu", Role.TEAM_MANAGER)
    team.members.add(other)
    other.first_name, other.last_name = "Olu", "Adeyemi"
    other.save()
    _restrict(client, yusuf, "His aunt works here", manager, other)
    sign_in(other)
    _restrict(client, yusuf, "Only me now", other, once="r-9")
    # The owner now: the one the refused are told to ask, and who may lift it.
    assert "Lift the restriction" in _text(
        client.get(reverse("people:person", args=[yusuf.public_id]))
    )
    sign_in(manager)
    refused = client.get(reverse("people:person", args=[yusuf.public_id]))
    assert refused.status_code == 403 and "Olu Adeyemi" in _text(refused)
    lift = reverse("people:lift_restriction", args=[yusuf.public_id])
    page = client.get(lift)
    assert page.status_code == 403 and "Only me now" not in _text(page)
    assert client.post(lift, {"reason": "Mine", "form_token": "l-9"}).status_code == 403
    assert Restriction.objects.filter(person=yusuf).exists()


def test_a_reason_with_control_characters_is_refused_naming_the_field(client, manager, family):
    yusuf = family["yusuf"]
    response = _restrict(client, yusuf, "Aunt \u202eevil\u202c works here", manager)
    assert "Why the record is restricted must not contain control characters" in _text(response)
    assert not Restriction.objects.filter(person=yusuf).exists()
