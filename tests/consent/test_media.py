"""Nursery photos and videos (issue 19): checked and stripped of location before they are
stored, tagged by child, shared only while every child's consent covers the way it goes
(asked at the moment of sharing), each share a disclosure per child through a protected
package, and erased with every copy when a parent asks."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases import documents
from earlyhelp.consent import media, services
from earlyhelp.consent.models import MediaItem, MediaShare, MediaTag
from earlyhelp.packages.models import ProtectedPackage
from earlyhelp.rights.processing import restriction_in_force
from earlyhelp.sharing.models import Disclosure
from tests.consent.media_records import (
    CAMERA_MAKE,
    OTHERS,
    OWN,
    consent,
    photo_with_location,
    second_child,
)
from tests.factories import RestrictionFactory

JOURNEYS = "learning-journeys"


@pytest.fixture
def noah(nursery_team, nursery_case):
    return second_child(nursery_team)


def _upload(request_as, user, focus, incidental=(), data=None, name="play.jpg", **kwargs):
    return media.upload(
        request_as(user),
        file_name=name,
        data=data if data is not None else photo_with_location(),
        taken_on=kwargs.pop("taken_on", timezone.localdate()),
        observation=kwargs.pop("observation", "Building a tower together"),
        focus=focus,
        incidental=incidental,
    )


def _way(item, way_id):
    return next(w for w in media.ways(item) if w.share.id == way_id)


# --- storing ----------------------------------------------------------------------------------


def test_an_uploaded_photo_is_stored_encrypted_without_its_location_or_camera(
    request_as, key_person, family
):
    original = photo_with_location()
    # The photo as the phone wrote it: the location and the camera are in it.
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)[2] == (51.0, 32.0, 2.0)
    assert CAMERA_MAKE.encode() in original
    item = _upload(request_as, key_person, [family["leila"]], data=original)
    stored = documents.path_for(item.file_sha256).read_bytes()
    assert CAMERA_MAKE.encode() not in stored  # encrypted at rest
    plain = documents.read(item.file_sha256)
    assert CAMERA_MAKE.encode() not in plain
    exif = Image.open(io.BytesIO(plain)).getexif()
    assert not exif.get_ifd(0x8825) and 0x010F not in exif
    preview = documents.read(item.preview_sha256)
    assert preview.startswith(b"\xff\xd8\xff") and CAMERA_MAKE.encode() not in preview
    assert (item.kind, item.content_type, item.width, item.height) == (
        "photo", "image/jpeg", 64, 48,
    )  # fmt: skip


def test_an_upload_tags_each_child_and_is_audited_against_each(
    request_as, key_person, family, noah
):
    item = _upload(request_as, key_person, [family["leila"]], [noah])
    assert dict(item.tags.values_list("child__given_name", "role")) == {
        "Leila": MediaTag.Role.FOCUS,
        "Noah": MediaTag.Role.INCIDENTAL,
    }
    events = AuditEvent.objects.filter(action="create", details__media=str(item.public_id))
    assert set(events.values_list("record_id", flat=True)) == {
        str(family["leila"].public_id),
        str(noah.public_id),
    }


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"GIF89a not a photo at all", "play.jpg", "^file: The file is not a real JPG photo"),
        (b"%PDF-1.7", "notes.pdf", r"^file: The file must be a photo \(JPG or PNG\)"),
        (b"", "play.jpg", "^file: The selected file is empty"),
    ],
)
def test_an_upload_that_is_not_a_real_photo_or_video_is_refused_and_nothing_stored(
    request_as, key_person, family, documents_folder, data, name, message
):
    with pytest.raises(media.MediaRefused, match=message):
        _upload(request_as, key_person, [family["leila"]], data=data, name=name)
    assert not MediaItem.objects.exists()
    assert not [p for p in documents_folder.rglob("*") if p.is_file()]


def test_an_upload_needs_a_child_in_focus_each_child_once_and_at_the_nursery(
    request_as, key_person, family, noah
):
    with pytest.raises(media.MediaRefused, match=r"^focus: choose the child"):
        _upload(request_as, key_person, [])
    with pytest.raises(media.MediaRefused, match=r"^incidental: a child is either"):
        _upload(request_as, key_person, [noah], [noah])
    # Yusuf is on no nursery case (and too old for one).
    with pytest.raises(media.MediaRefused, match=r"^focus: choose from the children"):
        _upload(request_as, key_person, [family["yusuf"]])
    assert not MediaItem.objects.exists()


def test_a_photo_taken_in_the_future_or_before_the_child_was_born_is_refused(
    request_as, key_person, family
):
    leila = family["leila"]
    with pytest.raises(media.MediaRefused, match=r"^taken_on: .*today"):
        _upload(request_as, key_person, [leila], taken_on=timezone.localdate() + timedelta(1))
    with pytest.raises(media.MediaRefused, match=r"^taken_on: .*date of birth"):
        _upload(request_as, key_person, [leila], taken_on=date(2023, 3, 13))


def test_a_child_restricted_from_processing_cannot_be_put_in_a_photo_or_shared(
    request_as, key_person, family, make_user
):
    from earlyhelp.access.roles import Role
    from earlyhelp.rights.models import ProcessingRestriction

    leila = family["leila"]
    consent(request_as, key_person, leila, family["mum"], OWN)
    item = _upload(request_as, key_person, [leila])
    ProcessingRestriction.objects.create(
        person=leila,
        reason="Accuracy disputed",
        started_on=timezone.localdate(),
        created_by=make_user("ines", Role.INFORMATION_GOVERNANCE),
    )
    assert restriction_in_force(leila) is not None
    with pytest.raises(media.MediaRefused, match=r"^focus: Leila Haddad's record is restricted"):
        _upload(request_as, key_person, [leila])
    with pytest.raises(media.MediaRefused, match=r"^item: Leila Haddad's record is restricted"):
        media.share(request_as(key_person), item, JOURNEYS, "by secure email")


# --- the gate ---------------------------------------------------------------------------------


def test_a_clip_with_a_child_whose_parent_withdrew_yesterday_cannot_go_to_other_parents_today(
    request_as, key_person, family, noah
):
    # Leila is its focus: it goes to her parents, who are other parents to Noah.
    leila, yesterday = family["leila"], timezone.localdate() - timedelta(days=1)
    consent(request_as, key_person, leila, family["mum"], OWN, on=yesterday - timedelta(5))
    consent(request_as, key_person, noah, noah.mother, OTHERS, on=yesterday - timedelta(5))
    item = _upload(request_as, key_person, [leila], [noah])
    assert _way(item, JOURNEYS).open
    services.withdraw(
        request_as(key_person), noah, given_by=noah.mother, use_id=OTHERS, how="app",
        decided_on=yesterday,
    )  # fmt: skip
    gate = _way(item, JOURNEYS)
    assert [b.child for b in gate.blocks] == [noah]
    assert "Withdrawn by Grace Mensah" in gate.blocks[0].why
    with pytest.raises(media.MediaRefused, match=r"^way: Noah Mensah has no consent in force"):
        media.share(request_as(key_person), item, JOURNEYS, "by secure email")
    assert not MediaShare.objects.exists() and not Disclosure.objects.exists()


def test_the_focus_child_needs_their_own_journey_consent_and_everyone_else_the_clips_one(
    request_as, key_person, family, noah
):
    leila = family["leila"]
    item = _upload(request_as, key_person, [leila], [noah])
    assert {(b.child.given_name, b.use) for b in _way(item, JOURNEYS).blocks} == {
        ("Leila", "Photos and videos in your child's own learning journey"),
        ("Noah", "Your child in clips and pictures shared with other parents"),
    }
    consent(request_as, key_person, leila, family["mum"], OWN)
    assert [b.child for b in _way(item, JOURNEYS).blocks] == [noah]
    consent(request_as, key_person, noah, noah.mother, OTHERS)
    # Leila, alone in focus, goes only to her own parents: her clips consent is not needed.
    assert _way(item, JOURNEYS).open


def test_with_two_children_in_focus_each_needs_both_consents(request_as, key_person, family, noah):
    leila = family["leila"]
    consent(request_as, key_person, leila, family["mum"], OWN)
    consent(request_as, key_person, noah, noah.mother, OWN)
    item = _upload(request_as, key_person, [leila, noah])
    # Each is seen by the other's parents.
    assert {(b.child.given_name, b.use) for b in _way(item, JOURNEYS).blocks} == {
        ("Leila", "Your child in clips and pictures shared with other parents"),
        ("Noah", "Your child in clips and pictures shared with other parents"),
    }
    consent(request_as, key_person, leila, family["mum"], OTHERS)
    consent(request_as, key_person, noah, noah.mother, OTHERS)
    made, _package = media.share(request_as(key_person), item, JOURNEYS, "by secure email")
    # Each child's data goes to their own parents and to the other's: two disclosures each.
    assert sorted((d.person.given_name, d.recipient) for d in made.disclosures.all()) == [
        ("Leila", "eyworks"),
        ("Leila", "other-nursery-parents"),
        ("Noah", "eyworks"),
        ("Noah", "other-nursery-parents"),
    ]


def test_the_gate_is_asked_when_sharing_not_at_upload(request_as, key_person, family):
    leila = family["leila"]
    consent(
        request_as, key_person, leila, family["mum"], OWN, on=timezone.localdate() - timedelta(3)
    )
    item = _upload(request_as, key_person, [leila])
    media.share(request_as(key_person), item, JOURNEYS, "by secure email")
    services.withdraw(request_as(key_person), leila, given_by=family["dad"], use_id=OWN, how="app")
    with pytest.raises(media.MediaRefused, match=r"^way: Leila Haddad has no consent"):
        media.share(request_as(key_person), item, JOURNEYS, "by secure email")
    assert MediaShare.objects.count() == 1


# --- sharing ----------------------------------------------------------------------------------


def test_a_share_is_a_disclosure_for_each_child_under_the_apps_agreements_in_a_package(
    request_as, key_person, family, noah
):
    leila = family["leila"]
    consent(request_as, key_person, leila, family["mum"], OWN)
    consent(request_as, key_person, noah, noah.mother, OTHERS)
    item = _upload(request_as, key_person, [leila], [noah])
    made, package = media.share(request_as(key_person), item, JOURNEYS, "by secure email")
    disclosures = list(made.disclosures.order_by("person__given_name"))
    assert [(d.person, d.recipient, d.agreement) for d in disclosures] == [
        (leila, "eyworks", "eylog-own-parents"),
        (noah, "other-nursery-parents", "eylog-other-parents"),
    ]
    for disclosure in disclosures:
        assert disclosure.purpose == "share-in-nursery-life"
        assert disclosure.categories == ["nursery-media"]
        assert "6(1)(a)" in disclosure.lawful_basis
        assert disclosure.method == Disclosure.Method.PROTECTED_PACKAGE
        assert disclosure.reference == str(package.package.public_id)
        [disclosed] = disclosure.items.all()
        assert (disclosed.record_model, disclosed.record_id) == ("consent.MediaItem", str(item.pk))
    assert set(package.package.people.all()) == {leila, noah}
    assert package.package.owner_public_id == made.public_id
    assert documents.path_for(package.package.file_sha256).exists()
    shared = AuditEvent.objects.filter(action="share", details__share=str(made.public_id))
    assert set(shared.values_list("record_id", flat=True)) == {
        str(leila.public_id),
        str(noah.public_id),
    }


def test_the_package_names_the_children_in_focus_and_only_counts_the_others(
    request_as, key_person, family, noah
):
    from earlyhelp.bundles.render import all_text

    leila = family["leila"]
    consent(request_as, key_person, leila, family["mum"], OWN)
    consent(request_as, key_person, noah, noah.mother, OTHERS)
    item = _upload(request_as, key_person, [leila], [noah])
    _made, package = media.share(request_as(key_person), item, JOURNEYS, "by secure email")
    text = all_text(documents.read(package.package.file_sha256), package.password)
    assert "Leila Haddad" in text and "Building a tower together" in text
    assert "Noah" not in text and "Other children in it: 1" in text


def test_nothing_is_shared_without_a_way_to_send_the_link(request_as, key_person, family):
    leila = family["leila"]
    consent(request_as, key_person, leila, family["mum"], OWN)
    item = _upload(request_as, key_person, [leila])
    with pytest.raises(media.MediaRefused, match=r"^how: "):
        media.share(request_as(key_person), item, JOURNEYS, "  ")
    assert not MediaShare.objects.exists() and not Disclosure.objects.exists()


def test_someone_outside_the_nursery_team_cannot_share_or_retag(
    request_as, key_person, family, make_user
):
    from earlyhelp.access.roles import Role

    leila = family["leila"]
    consent(request_as, key_person, leila, family["mum"], OWN)
    item = _upload(request_as, key_person, [leila])
    stranger = make_user("other", Role.PRACTITIONER)
    with pytest.raises(media.MediaRefused, match=r"^item: "):
        media.share(request_as(stranger), item, JOURNEYS, "by secure email")
    with pytest.raises(media.MediaRefused, match=r"^item: "):
        media.retag(request_as(stranger), item, focus=[leila])


def test_a_child_restricted_from_the_worker_closes_the_item_to_them(
    request_as, key_person, nursery_manager, family, noah
):
    item = _upload(request_as, key_person, [family["leila"]], [noah])
    RestrictionFactory(person=noah, created_by=nursery_manager, named_users=[nursery_manager])
    assert media.hidden_from(key_person, item)
    assert media.items_for(request_as(key_person)) == ([], 1)
    assert media.items_for(request_as(nursery_manager))[0] == [item]


# --- withdrawal and erasure -------------------------------------------------------------------


def test_erasure_removes_the_files_their_previews_and_packages_and_keeps_the_shares(
    request_as, key_person, family, noah, documents_folder
):
    leila = family["leila"]
    consent(request_as, key_person, leila, family["mum"], OWN)
    consent(request_as, key_person, noah, noah.mother, OTHERS)
    item = _upload(request_as, key_person, [leila], [noah])
    other = _upload(request_as, key_person, [noah], data=photo_with_location((30, 30)))
    made, package = media.share(request_as(key_person), item, JOURNEYS, "by secure email")
    files = [documents.path_for(s) for s in (item.file_sha256, item.preview_sha256)]
    package_file = documents.path_for(package.package.file_sha256)
    assert all(p.exists() for p in [*files, package_file])
    assert media.erase_child(request_as(key_person), leila, "Her mother asked") == 1
    assert not any(p.exists() for p in [*files, package_file])
    assert not MediaItem.objects.filter(pk=item.pk).exists()
    assert not MediaTag.objects.filter(child=leila).exists()
    # Noah's own photo is untouched.
    assert documents.read(MediaItem.objects.get(pk=other.pk).file_sha256)
    package_row = ProtectedPackage.objects.get(pk=package.package.pk)
    assert package_row.removed_at is not None
    # What left stays listed, so the nursery can ask the provider to remove it.
    [kept] = media.past_shares(leila)
    assert kept == made and kept.item is None and kept.item_words.startswith("Photo taken on")
    erased = AuditEvent.objects.filter(action="delete", details__media=str(item.public_id))
    assert set(erased.values_list("record_id", flat=True)) == {
        str(leila.public_id),
        str(noah.public_id),
    }


def test_erasing_needs_a_reason(request_as, key_person, family):
    _upload(request_as, key_person, [family["leila"]])
    with pytest.raises(media.MediaRefused, match=r"^reason: "):
        media.erase_child(request_as(key_person), family["leila"], " ")
    assert MediaItem.objects.count() == 1


def test_a_removal_asked_of_the_provider_is_recorded_once(request_as, key_person, family):
    leila = family["leila"]
    consent(request_as, key_person, leila, family["mum"], OWN)
    item = _upload(request_as, key_person, [leila])
    made, _ = media.share(request_as(key_person), item, JOURNEYS, "by secure email")
    media.record_removal_asked(request_as(key_person), made, leila)
    made.refresh_from_db()
    assert made.removal_asked_on == timezone.localdate() and made.removal_asked_by == key_person
    with pytest.raises(media.MediaRefused, match=r"^share: .*already"):
        media.record_removal_asked(request_as(key_person), made, leila)


def test_media_are_erased_when_every_child_in_focus_passes_the_policys_period(
    request_as, key_person, family, noah
):
    leila = family["leila"]  # born 14 March 2023: kept until 14 March 2029 (the rule: 6 years)
    item = _upload(request_as, key_person, [leila], [noah])
    assert media.due_for_erasure(date(2029, 3, 14)) == []
    assert media.due_for_erasure(date(2029, 3, 15)) == [item]
    path = documents.path_for(item.file_sha256)
    out = io.StringIO()
    call_command("media", "erase-due", "--today", "2026-12-01", stdout=out)
    assert "No photo or video" in out.getvalue() and path.exists()
    assert media.erase_due(date(2029, 3, 15)) == 1
    assert not path.exists() and not MediaItem.objects.exists()
    event = AuditEvent.objects.filter(action="delete", rule="retention:nursery-media").first()
    assert event is not None and event.details["media"] == str(item.public_id)
    assert media.erase_due(date(2029, 3, 15)) == 0  # rerun: nothing left to do
