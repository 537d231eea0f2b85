"""Records the suite-wide page checks need for the consent pages (tests/web)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.cases.services import open_case
from earlyhelp.consent.models import MediaConsent, MediaItem, MediaTag
from earlyhelp.consent.services import nursery_processing
from earlyhelp.people.models import Person


def at_nursery(child: Person, parent: Person, team, by: User) -> Person:
    """`child` on an open case of the policy's nursery service held by `team`, with their
    parent's consent to the first use (so the withdrawal form has something to withdraw)."""
    processing = nursery_processing()
    child.date_of_birth = date(2023, 3, 14)  # of nursery age (the policy's children_under)
    child.save(update_fields=["date_of_birth"])
    open_case(
        service=processing.services[0],
        household=None,
        children=[child],
        family=[],
        reason="A nursery place",
        team=team,
        started=date(2026, 9, 1),
        created_by=None,
    )
    use = processing.uses[0]
    words = use.text_on(timezone.localdate())
    MediaConsent.objects.create(
        child=child,
        given_by=parent,
        processing=processing.id,
        use=use.id,
        text_version=words.version,
        wording=words.wording,
        decision=MediaConsent.Decision.GIVEN,
        how=MediaConsent.How.PAPER_FORM,
        decided_on=timezone.localdate(),
        recorded_by=by,
    )
    return child


def consent_form_pages(by_practitioner, family, team, practitioner: User) -> list[tuple]:
    """(name, client, url) for each consent page with a form, for tests/web."""
    leila = at_nursery(family["leila"], family["mum"], team, practitioner).public_id
    return [
        ("consent: a parent's decision", by_practitioner, reverse("consent:record", args=[leila])),
        ("consent: withdraw", by_practitioner, reverse("consent:withdraw", args=[leila])),
    ]


def consent_date_pages(family, team, author: User) -> list[tuple]:
    """(page, url, form class, how) for the consent pages with a date, for
    tests/web/test_date_inputs."""
    from earlyhelp.consent.forms import DecisionForm, UploadForm, WithdrawForm

    leila = at_nursery(family["leila"], family["mum"], team, author).public_id
    return [
        ("consent: a parent's decision", reverse("consent:record", args=[leila]), DecisionForm, {}),
        ("consent: withdraw", reverse("consent:withdraw", args=[leila]), WithdrawForm, {}),
        ("media: upload", reverse("consent:media_upload"), UploadForm, {}),
    ]


def media_item(child: Person, team, by: User, **fields) -> MediaItem:
    """A photo of `child` (in focus) taken by `team`, its row only (no file is read by the
    pages that use it)."""
    item = MediaItem.objects.create(
        team=team,
        kind=MediaItem.Kind.PHOTO,
        content_type="image/jpeg",
        size=1,
        taken_on=timezone.localdate(),
        uploaded_by=by,
        **{"file_sha256": "0" * 64, **fields},
    )
    MediaTag.objects.create(item=item, child=child, role=MediaTag.Role.FOCUS, tagged_by=by)
    return item


def media_form_pages(by_practitioner, family, team, practitioner: User) -> list[tuple]:
    """(name, client, url) for each nursery media page with a form, for tests/web."""
    leila = family["leila"]
    item = media_item(leila, team, practitioner).public_id
    return [
        ("media: upload", by_practitioner, reverse("consent:media_upload")),
        ("media: children in it", by_practitioner, reverse("consent:media_tags", args=[item])),
        (
            "media: the item and its sharing",
            by_practitioner,
            reverse("consent:media_item", args=[item]),
        ),
        (
            "media: erase a child's",
            by_practitioner,
            reverse("consent:erase_child_media", args=[leila.public_id]),
        ),
    ]


def matrix_media(records: dict):
    """For the role-by-route matrix: a photo of the family's child (records["person"]),
    taken by the team holding the family's case, its file and preview stored."""
    from django.core.files.base import ContentFile

    from earlyhelp.cases import documents
    from earlyhelp.cases.models import Case
    from tests.factories import StaffFactory

    case = Case.objects.get(public_id=records["case"])
    sha256, _size = documents.store(ContentFile(b"\xff\xd8\xff a photo", name="photo.jpg"))
    item = media_item(
        Person.objects.get(public_id=records["person"]),
        case.team,
        StaffFactory(),
        file_sha256=sha256,
        preview_sha256=sha256,
    )
    return item.public_id
