"""The record guard refuses a change to a person restricted from processing (UK GDPR
Article 18) with a 403 in words, writes nothing, and still lets the record be read; a
lifted restriction, or one on someone else, stops nothing."""

import html
import re

from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.roles import Role
from earlyhelp.people.models import Person
from earlyhelp.rights.models import ProcessingRestriction


def _text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def _restrict(person, officer, **lifted) -> ProcessingRestriction:
    return ProcessingRestriction.objects.create(
        person=person,
        reason="The family disputes the record",
        started_on=timezone.localdate(),
        created_by=officer,
        **lifted,
    )


def test_a_change_to_a_person_restricted_from_processing_is_refused_in_words(
    client, practitioner, family, make_user
):
    yusuf = family["yusuf"]
    _restrict(yusuf, make_user("ines", Role.INFORMATION_GOVERNANCE))
    edit = reverse("people:edit", args=[yusuf.public_id])
    page = client.get(edit)
    assert page.status_code == 403
    # The date written out by hand, not by the code under test.
    today = timezone.localdate()
    since = f"{today.day} {today:%B} {today.year}"
    assert f"This record is restricted from processing since {since}" in _text(page)
    assert "Nothing in it may be changed" in _text(page)
    posted = client.post(edit, {"given_name": "Changed", "family_name": "Haddad"})
    assert posted.status_code == 403
    assert Person.objects.get(pk=yusuf.pk).given_name == "Yusuf"
    # Reading is not processing it further: the record still opens.
    assert client.get(reverse("people:person", args=[yusuf.public_id])).status_code == 200


def test_a_lifted_restriction_or_one_on_someone_else_stops_no_change(
    client, practitioner, family, make_user
):
    officer = make_user("ines", Role.INFORMATION_GOVERNANCE)
    _restrict(family["leila"], officer)
    _restrict(
        family["yusuf"], officer, lifted_on=timezone.localdate(), lifted_by=officer,
        lifted_reason="Corrected",
    )  # fmt: skip
    assert client.get(reverse("people:edit", args=[family["yusuf"].public_id])).status_code == 200
    assert client.get(reverse("people:edit", args=[family["leila"].public_id])).status_code == 403
