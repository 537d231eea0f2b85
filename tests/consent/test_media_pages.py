"""The nursery media pages: the share queue says which item is blocked for whom and why,
an upload names the field it refuses, an item and its file open only to the nursery team
with access to every child in it, a share shows its link and password once, and a child's
page lists past shares and erases their photos on confirmation. Every look is recorded
against every child shown."""

from __future__ import annotations

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.consent import media
from earlyhelp.consent.models import MediaItem, MediaShare
from tests.cases.test_plans_pages import day
from tests.consent.media_records import OTHERS, OWN, consent, photo_with_location, second_child


def _text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def noah(nursery_team, nursery_case):
    return second_child(nursery_team)


@pytest.fixture
def photo(request_as, key_person, family, noah):
    """A photo of Leila (in focus) with Noah in it by the way."""
    return media.upload(
        request_as(key_person),
        file_name="tower.jpg",
        data=photo_with_location(),
        taken_on=timezone.localdate(),
        observation="Building a tower",
        focus=[family["leila"]],
        incidental=[noah],
    )


def _looked_at(page: str) -> set[str]:
    return set(
        AuditEvent.objects.filter(action="view", details__page=page).values_list(
            "record_id", flat=True
        )
    )


def test_the_key_persons_home_page_leads_to_the_share_queue(client, sign_in, key_person):
    sign_in(key_person)
    home = client.get("/")
    assert reverse("consent:media_queue") in home.content.decode()


def test_the_queue_says_who_blocks_each_way_and_records_a_look_at_each_child(
    client, sign_in, key_person, family, noah, photo, request_as
):
    consent(request_as, key_person, family["leila"], family["mum"], OWN)
    sign_in(key_person)
    page = client.get(reverse("consent:media_queue"))
    said = _text(page)
    assert "Blocked" in said and "Can be shared" not in said
    assert "Noah Mensah: no consent for “Your child in clips and pictures shared" in said
    assert "No parent has been asked yet" in said
    assert OTHERS not in page.content.decode()  # words, never the policy's ids
    assert _looked_at("media-queue") == {str(family["leila"].public_id), str(noah.public_id)}


def test_an_upload_refused_by_its_content_names_the_field(client, sign_in, key_person, family):
    sign_in(key_person)
    today = timezone.localdate()
    response = client.post(
        reverse("consent:media_upload"),
        {
            "file": SimpleUploadedFile("tower.jpg", b"GIF89a", content_type="image/jpeg"),
            **day("taken_on", today),
            "focus": [str(family["leila"].public_id)],
            "form_token": "media-1",
        },
    )
    assert response.status_code == 200
    assert "The file is not a real JPG photo" in _text(response)
    assert 'href="#id_file"' in response.content.decode()
    assert not MediaItem.objects.exists()


def test_an_upload_from_the_page_stores_the_photo_and_opens_it(client, sign_in, key_person, family):
    sign_in(key_person)
    response = client.post(
        reverse("consent:media_upload"),
        {
            "file": SimpleUploadedFile("tower.jpg", photo_with_location(), "image/jpeg"),
            **day("taken_on", timezone.localdate()),
            "focus": [str(family["leila"].public_id)],
            "observation": "Counting bricks",
            "form_token": "media-2",
        },
    )
    item = MediaItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("consent:media_item", args=[item.public_id])
    assert item.observation == "Counting bricks"


def test_the_item_and_its_file_are_closed_to_anyone_outside_the_nursery_team(
    client, sign_in, make_user, photo
):
    sign_in(make_user("other", Role.PRACTITIONER))
    for name in ("consent:media_item", "consent:media_file", "consent:media_preview"):
        assert client.get(reverse(name, args=[photo.public_id])).status_code == 404


def test_the_file_is_given_to_the_team_never_cached_and_each_child_is_recorded(
    client, sign_in, key_person, family, noah, photo
):
    sign_in(key_person)
    response = client.get(reverse("consent:media_file", args=[photo.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg" and "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"\xff\xd8\xff")
    assert _looked_at("media-file-full") == {
        str(family["leila"].public_id),
        str(noah.public_id),
    }


def test_sharing_from_the_page_shows_the_password_once_and_a_refusal_names_the_child(
    client, sign_in, key_person, family, noah, photo, request_as
):
    consent(request_as, key_person, family["leila"], family["mum"], OWN)
    sign_in(key_person)
    url = reverse("consent:media_item", args=[photo.public_id])
    refused = client.post(
        url, {"way": "learning-journeys", "how": "by secure email", "form_token": "share-1"}
    )
    assert refused.status_code == 200
    assert "Noah Mensah has no consent in force" in _text(refused)
    assert not MediaShare.objects.exists()
    consent(request_as, key_person, noah, noah.mother, OTHERS)
    shared = client.post(
        url, {"way": "learning-journeys", "how": "by secure email", "form_token": "share-2"}
    )
    assert shared.status_code == 200 and "no-store" in shared["Cache-Control"]
    assert "Send them the password by another route" in _text(shared)
    assert MediaShare.objects.count() == 1


def test_a_childs_page_lists_past_shares_and_erases_only_on_confirmation(
    client, sign_in, key_person, family, noah, photo, request_as
):
    leila = family["leila"]
    consent(request_as, key_person, leila, family["mum"], OWN)
    consent(request_as, key_person, noah, noah.mother, OTHERS)
    media.share(request_as(key_person), photo, "learning-journeys", "by secure email")
    sign_in(key_person)
    page = _text(client.get(reverse("consent:child_media", args=[leila.public_id])))
    assert "To the learning journeys of the children in focus" in page
    assert "Record that removal was asked" in page
    erase = reverse("consent:erase_child_media", args=[leila.public_id])
    unconfirmed = client.post(erase, {"reason": "Her mother asked", "form_token": "erase-1"})
    assert "Confirm that the photos and videos are deleted for good" in _text(unconfirmed)
    assert MediaItem.objects.exists()
    done = client.post(
        erase, {"reason": "Her mother asked", "confirm": "on", "form_token": "erase-2"}
    )
    assert done.status_code == 302 and not MediaItem.objects.exists()
    after = _text(client.get(reverse("consent:child_media", args=[leila.public_id])))
    assert "(erased)" in after and "No photos or videos of Leila are held" in after


def test_the_erase_page_names_no_child_of_a_photo_the_reader_cannot_open(
    client, sign_in, key_person, family, nursery_team
):
    from earlyhelp.cases.models import Team
    from tests.consent.consent_records import media_item
    from tests.factories import PersonFactory

    leila = family["leila"]
    elsewhere = Team.objects.create(name="Central nursery", service=nursery_team.service)
    item = media_item(leila, elsewhere, key_person)
    stranger = PersonFactory(given_name="Rahim", family_name="Hoque")
    item.tags.create(child=stranger, role="incidental", tagged_by=key_person)
    sign_in(key_person)
    page = client.get(reverse("consent:erase_child_media", args=[leila.public_id]))
    said = _text(page)
    assert "Rahim" not in said and "1 more photo or video that you cannot open" in said
    assert "Erase them" not in said
    assert str(stranger.public_id) not in _looked_at("erase-child-media")


def test_a_restriction_closes_the_record_of_a_removal_request_to_the_familys_worker(
    client, sign_in, key_person, nursery_manager, family, noah, photo, request_as
):
    from tests.factories import RestrictionFactory

    leila = family["leila"]
    consent(request_as, key_person, leila, family["mum"], OWN)
    consent(request_as, key_person, noah, noah.mother, OTHERS)
    made, _ = media.share(request_as(key_person), photo, "learning-journeys", "by secure email")
    RestrictionFactory(person=leila, created_by=nursery_manager, named_users=[nursery_manager])
    sign_in(key_person)
    url = reverse("consent:removal_asked", args=[leila.public_id, made.public_id])
    assert client.post(url, {"form_token": "removal-1"}).status_code == 403
    made.refresh_from_db()
    assert made.removal_asked_on is None
