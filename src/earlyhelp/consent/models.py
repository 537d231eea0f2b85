"""Consent to the uses of a nursery child's photos and videos (notice sections 5b, 6, 12).

eyLog is the one processing in the notice whose lawful basis is consent (UK GDPR Article
6(1)(a), and 9(2)(a) explicit consent): specific to each use, informed by the words the
parent agreed to, recorded, and as easy to withdraw as to give (Article 7). Each decision
a parent makes is one row: given, refused or withdrawn, for one use of the policy
(`consent_processing[].uses`), against one version of its words, with who recorded it, how
and when. Nothing is edited or deleted: the latest decision for a child and use is the one
that counts (see consent.services.standing).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from earlyhelp.encryption import EncryptedTextField
from earlyhelp.people.models import Person

# The policy category of a consent record: it governs the nursery's photos and videos.
CATEGORY = "nursery-media"


class MediaConsent(models.Model):
    """A parent's decision on one use of their child's photos and videos."""

    class Decision(models.TextChoices):
        GIVEN = "given", "Given"
        REFUSED = "refused", "Refused"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class How(models.TextChoices):
        PAPER_FORM = "paper_form", "On a signed paper form"
        IN_PERSON = "in_person", "In person, to a member of staff"
        APP = "app", "Through the eyLog Parent app"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="media_consents")
    # A person with parental responsibility for the child (people.Relationship).
    given_by = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="media_consents_given"
    )
    processing = models.CharField(max_length=100, help_text="Policy consent_processing id")
    use = models.CharField(max_length=100, help_text="Policy consent use id")
    text_version = models.CharField(max_length=100)
    # The words the parent was asked about, as they were (the policy may drop the version).
    wording = models.TextField()
    decision = models.CharField(max_length=20, choices=Decision.choices)
    how = models.CharField(max_length=20, choices=How.choices)
    decided_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    data_categories = {
        "child": CATEGORY,
        "given_by": "family-relationships",
        "processing": CATEGORY,
        "use": CATEGORY,
        "text_version": CATEGORY,
        "wording": CATEGORY,
        "decision": CATEGORY,
        "how": CATEGORY,
        "decided_on": CATEGORY,
        "recorded_by": CATEGORY,
        "recorded_at": CATEGORY,
    }

    class Meta:
        ordering = ["-decided_on", "-recorded_at", "-pk"]
        indexes = [models.Index(fields=["child", "use"], name="consent_of_child_use")]

    def __str__(self) -> str:
        return f"Media consent {self.public_id}"


class MediaItem(models.Model):
    """A photo or short video taken at the nursery, with its learning-journey note.

    The file is kept encrypted in the documents folder (consent.media), its location and
    camera metadata stripped before it was stored; a photo has a small preview, stored the
    same way. Whose it is, is said by its tags: the children in it."""

    class Kind(models.TextChoices):
        PHOTO = "photo", "Photo"
        VIDEO = "video", "Video"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The nursery team it was taken by: who may see it before anyone is tagged.
    team = models.ForeignKey("cases.Team", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    content_type = models.CharField(max_length=50)
    # The stored file's plaintext SHA-256 (it names the file) and its size in bytes.
    file_sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    preview_sha256 = models.CharField(max_length=64, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    # The learning-journey observation: what the child was doing and learning.
    observation = EncryptedTextField(blank=True)
    taken_on = models.DateField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    data_categories = dict.fromkeys(
        (
            "team",
            "kind",
            "content_type",
            "file_sha256",
            "size",
            "preview_sha256",
            "width",
            "height",
            "observation",
            "taken_on",
            "uploaded_by",
            "uploaded_at",
        ),
        CATEGORY,
    )

    class Meta:
        ordering = ["-taken_on", "-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"Nursery media {self.public_id}"


class MediaTag(models.Model):
    """A child in a photo or video: its focus, or in it by the way (incidental)."""

    class Role(models.TextChoices):
        FOCUS = "focus", "The focus"
        INCIDENTAL = "incidental", "In it by the way (incidental)"

    item = models.ForeignKey(MediaItem, on_delete=models.CASCADE, related_name="tags")
    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="media_tags")
    role = models.CharField(max_length=20, choices=Role.choices)
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    tagged_at = models.DateTimeField(default=timezone.now)

    data_categories = dict.fromkeys(("item", "child", "role", "tagged_by", "tagged_at"), CATEGORY)

    class Meta:
        ordering = ["item", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "child"], name="one_tag_per_child_per_item")
        ]

    def __str__(self) -> str:
        return f"Tag {self.pk} on {self.item_id}"


class MediaShare(models.Model):
    """One photo or video sent to the parents' app, one of the policy's ways
    (`consent_processing[].shares`: into the learning journeys of the children in focus).
    Each child in it has a disclosure in the log for each place their data went
    (sharing.Disclosure: to their own parents, or to other children's parents, under the
    agreement the policy found); the item left in a protected package
    (packages.ProtectedPackage, owned by this share).

    Kept when the item is erased (`item` then empty, `item_words` still say what it was):
    the nursery's record of what left, so it can ask the provider to remove it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(
        MediaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="shares"
    )
    item_words = models.CharField(max_length=200)
    # The policy's way (consent_processing[].shares id), shown in its words.
    way = models.CharField(max_length=100)
    # The children in it when it was shared, each with their disclosure.
    disclosures = models.ManyToManyField("sharing.Disclosure", related_name="media_shares")
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(default=timezone.now)
    # The nursery asked the app's provider to remove it (after a withdrawal or an erasure).
    removal_asked_on = models.DateField(null=True, blank=True)
    removal_asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    data_categories = dict.fromkeys(
        (
            "item",
            "item_words",
            "way",
            "disclosures",
            "shared_by",
            "shared_at",
            "removal_asked_on",
            "removal_asked_by",
        ),
        CATEGORY,
    )

    class Meta:
        ordering = ["-shared_at", "-pk"]

    def __str__(self) -> str:
        return f"Media share {self.public_id}"
