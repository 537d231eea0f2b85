"""Photos, a second nursery child and consents, for the nursery media tests."""

from __future__ import annotations

import io
from datetime import date

from django.utils import timezone
from PIL import Image

from earlyhelp.cases.services import open_case
from earlyhelp.consent import services
from earlyhelp.people.models import Person, Relationship

OWN = "own-learning-journey"
OTHERS = "in-other-childrens-clips"
# A camera's make, and a GPS position (Camden Town), as a phone writes them into a photo.
CAMERA_MAKE = "PhoneCam Ltd"
LATITUDE = (51.0, 32.0, 2.0)


def photo_with_location(size: tuple[int, int] = (64, 48)) -> bytes:
    """A JPEG with EXIF camera make and GPS location."""
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = CAMERA_MAKE
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = LATITUDE
    gps[3] = "W"
    gps[4] = (0.0, 8.0, 30.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def second_child(nursery_team) -> Person:
    """Noah Mensah, three, at the same nursery, his mother Grace with parental
    responsibility."""
    noah = Person.objects.create(
        given_name="Noah", family_name="Mensah", date_of_birth=date(2023, 1, 20)
    )
    grace = Person.objects.create(
        given_name="Grace", family_name="Mensah", date_of_birth=date(1992, 6, 2)
    )
    Relationship.objects.create(
        person=grace, relative=noah, kind="parent", has_parental_responsibility=True,
        source="family",
    )  # fmt: skip
    open_case(
        service=services.nursery_processing().services[0],
        household=None,
        children=[noah],
        family=[grace],
        reason="A nursery place",
        team=nursery_team,
        started=date(2026, 9, 1),
        created_by=None,
    )
    noah.mother = grace  # for the tests: who decides for him
    return noah


def consent(request_as, user, child, parent, use, decision="given", on=None):
    """Record `parent`'s decision on `use` for `child`."""
    return services.record_decision(
        request_as(user),
        child,
        given_by=parent,
        use_id=use,
        decision=decision,
        how="paper_form",
        decided_on=on or timezone.localdate(),
    )
