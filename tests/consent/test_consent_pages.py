"""The consent pages: a nursery child's consents in words, a parent's decision and a
withdrawal recorded from the page, errors naming the field, the consents to ask for on the
home page, and every look recorded against the child and the parents named."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.consent import services
from earlyhelp.consent.models import MediaConsent
from tests.cases.test_plans_pages import day

OWN = "own-learning-journey"


def _text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def _decision(family, **overrides) -> dict:
    data = {
        "given_by": str(family["mum"].public_id),
        "use": OWN,
        "decision": "given",
        "how": "in_person",
        **day("decided_on", timezone.localdate()),
        "form_token": "consent-1",
    }
    data.update(overrides)
    return data


def test_the_key_person_records_a_decision_and_sees_it_in_words(
    client, sign_in, key_person, family
):
    leila = family["leila"]
    sign_in(key_person)
    page = client.get(reverse("consent:child", args=[leila.public_id]))
    assert page.status_code == 200
    said = _text(page)
    assert "Photos and videos in your child's own learning journey" in said
    assert "Not asked" in said and OWN not in page.content.decode()
    form = _text(client.get(reverse("consent:record", args=[leila.public_id])))
    assert "Amira Haddad" in form and "Tomasz Nowak" in form and "Yusuf Haddad" not in form
    response = client.post(reverse("consent:record", args=[leila.public_id]), _decision(family))
    assert response.status_code == 302
    assert services.consent_in_force(leila, OWN)
    said = _text(client.get(response.url))
    assert "Given by Amira Haddad on" in said
    assert "In person, to a member of staff" in said


def test_an_empty_decision_names_each_field_and_writes_nothing(client, sign_in, key_person, family):
    sign_in(key_person)
    response = client.post(
        reverse("consent:record", args=[family["leila"].public_id]), {"form_token": "c-2"}
    )
    assert response.status_code == 200
    said = _text(response)
    for words in (
        "Select the parent",
        "Select the use the parent decided about",
        "Select whether the parent agrees",
        "Select how the parent told you",
        "Enter the date they decided",
    ):
        assert words in said
    assert not MediaConsent.objects.exists()


def test_a_service_refusal_is_shown_against_its_field(client, sign_in, key_person, family):
    sign_in(key_person)
    url = reverse("consent:record", args=[family["leila"].public_id])
    assert client.post(url, _decision(family)).status_code == 302
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        url, _decision(family, decision="refused", form_token="c-3", **day("decided_on", yesterday))
    )
    assert response.status_code == 200
    assert "decided_on" in response.context["form"].errors
    assert "A later decision is recorded" in _text(response)
    assert MediaConsent.objects.count() == 1


def test_withdrawing_is_one_action_from_the_childs_page(client, sign_in, key_person, family):
    leila = family["leila"]
    sign_in(key_person)
    client.post(reverse("consent:record", args=[leila.public_id]), _decision(family))
    page = client.get(reverse("consent:child", args=[leila.public_id])).content.decode()
    assert reverse("consent:withdraw", args=[leila.public_id]) in page
    response = client.post(
        reverse("consent:withdraw", args=[leila.public_id]),
        {
            "given_by": str(family["dad"].public_id),
            "use": OWN,
            "how": "app",
            **day("decided_on", timezone.localdate()),
            "form_token": "w-1",
        },
    )
    assert response.status_code == 302
    assert not services.consent_in_force(leila, OWN)
    assert "Withdrawn by Tomasz Nowak" in _text(client.get(response.url))


def test_each_look_is_recorded_against_the_child_and_the_parents_named(
    client, sign_in, key_person, family
):
    leila = family["leila"]
    sign_in(key_person)
    client.get(reverse("consent:child", args=[leila.public_id]))
    looked = AuditEvent.objects.filter(action="view", details__page="consents")
    assert set(looked.values_list("record_id", flat=True)) == {
        str(leila.public_id),
        str(family["mum"].public_id),
        str(family["dad"].public_id),
    }
    child_look = looked.get(record_id=str(leila.public_id))
    assert "nursery-media" in child_look.categories


def test_the_person_page_shows_a_nursery_childs_consents_and_not_another_childs(
    client, sign_in, key_person, family
):
    sign_in(key_person)
    leila = client.get(reverse("people:person", args=[family["leila"].public_id]))
    assert "Photo and video consent" in _text(leila)
    assert reverse("consent:child", args=[family["leila"].public_id]) in leila.content.decode()


def test_the_consents_to_ask_for_are_linked_from_the_home_page(client, sign_in, key_person, family):
    sign_in(key_person)
    home = _text(client.get(reverse("web:home")))
    assert "Consents to ask parents for (1)" in home
    listed = _text(client.get(reverse("consent:to_ask")))
    assert "Leila Haddad" in listed
    assert "Photos and videos in your child's own learning journey" in listed
    for use in ("own-learning-journey", "in-other-childrens-clips", "display-in-nursery"):
        client.post(
            reverse("consent:record", args=[family["leila"].public_id]),
            _decision(family, use=use, form_token=f"t-{use}"),
        )
    assert "Consents to ask parents for (0)" in _text(client.get(reverse("web:home")))
    assert "No parent is waiting to be asked" in _text(client.get(reverse("consent:to_ask")))


def test_who_has_seen_says_each_consent_decision_in_words(
    client, sign_in, key_person, family, make_user
):
    from earlyhelp.access.roles import Role

    sign_in(key_person)
    client.post(reverse("consent:record", args=[family["leila"].public_id]), _decision(family))
    sign_in(make_user("ines", Role.INFORMATION_GOVERNANCE))
    said = _text(client.get(reverse("governance:who_has_seen", args=[family["leila"].public_id])))
    assert "Recorded a parent's consent" in said
    assert "Consent given" in said
    assert OWN not in said and "media-consent" not in said
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", said)


def test_a_parent_restricted_from_the_reader_is_neither_named_nor_offered(
    client, sign_in, key_person, nursery_manager, family, request_as
):
    from earlyhelp.access.models import Restriction

    leila = family["leila"]
    services.record_decision(
        request_as(key_person), leila, given_by=family["dad"], use_id=OWN, decision="given",
        how="app", decided_on=timezone.localdate(),
    )  # fmt: skip
    Restriction.objects.create(person=family["dad"], created_by=nursery_manager)
    sign_in(key_person)
    for url in (
        reverse("consent:child", args=[leila.public_id]),
        reverse("consent:record", args=[leila.public_id]),
        reverse("consent:withdraw", args=[leila.public_id]),
    ):
        said = _text(client.get(url))
        assert "Tomasz" not in said and "Nowak" not in said, url
    assert "a parent whose record is restricted" in _text(
        client.get(reverse("consent:child", args=[leila.public_id]))
    )
    response = client.post(
        reverse("consent:record", args=[leila.public_id]),
        _decision(family, given_by=str(family["dad"].public_id), use="display-in-nursery"),
    )
    assert response.status_code == 200 and MediaConsent.objects.count() == 1
    looked = AuditEvent.objects.filter(
        action="view", record_id=str(family["dad"].public_id), details__page="consents"
    )
    assert looked.exists() and "access:allocation" not in set(looked.values_list("rule", flat=True))


def test_a_restricted_child_on_the_list_is_counted_and_its_match_recorded_never_named(
    client, sign_in, key_person, nursery_manager, family
):
    from earlyhelp.access.models import Restriction

    Restriction.objects.create(person=family["leila"], created_by=nursery_manager)
    sign_in(key_person)
    said = _text(client.get(reverse("consent:to_ask")))
    assert "Leila" not in said and "1 more child's record is restricted from you" in said
    matched = AuditEvent.objects.get(
        rule="access:restricted-match", details__page="consents-to-ask"
    )
    assert matched.record_id == str(family["leila"].public_id)
