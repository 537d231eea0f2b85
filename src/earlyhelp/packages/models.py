"""A protected package: family data leaving the council as a password-protected PDF behind a
download link that expires, every download counted and audited.

One mechanism for every export (issue 17 item 4): a subject access bundle sent to the
requester, a disclosure sent to a partner. The package names what it carries by `kind` and
the owning record's public id (a bundle, a disclosure), and the people whose data it holds.
Only a hash of the link's token is kept; the password is shown once to the member of staff,
who sends it by another route, and is never stored.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from earlyhelp.encryption import EncryptedTextField
from earlyhelp.people.models import Person

# The policy category of a package's rows: the council's record of what it sent, kept
# beside the records it sent.
CATEGORY = "other-personal"


class ProtectedPackage(models.Model):
    """One protected file and its link."""

    class Kind(models.TextChoices):
        ACCESS_BUNDLE = "access_bundle", "Subject access bundle"
        DISCLOSURE = "disclosure", "Disclosure"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The record the package was made from (a bundle's or a disclosure's public id).
    owner_public_id = models.UUIDField()
    # The people whose data it holds: each download is audited against each of them.
    people = models.ManyToManyField(Person, related_name="protected_packages")
    token_sha256 = models.CharField(max_length=64, unique=True)
    # The protected PDF, in the documents folder (encrypted at rest) until the link ends.
    file_sha256 = models.CharField(max_length=64, blank=True)
    # The download's file name: a reference, never a name.
    file_name = models.CharField(max_length=100)
    expires_at = models.DateTimeField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)
    # How the link was sent ("by email to the requester"), in words.
    how = models.CharField(max_length=200)
    # What each download's audit event cites: why the data left, and the rule relied on
    # ("Rights request R-1", "access:rights-request"; "Disclosure ...", "agreement:...").
    reason = models.CharField(max_length=200)
    rule = models.CharField(max_length=200, blank=True)
    downloads = models.PositiveIntegerField(default=0)
    # When the protected file was deleted (the link expired, or a newer package replaced it).
    removed_at = models.DateTimeField(null=True, blank=True)
    # A link a member of staff withdrew: who, and why in their words (the page shows them).
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_reason = EncryptedTextField(blank=True)

    data_categories = dict.fromkeys(
        (
            "kind",
            "owner_public_id",
            "people",
            "token_sha256",
            "file_sha256",
            "file_name",
            "expires_at",
            "made_by",
            "made_at",
            "how",
            "reason",
            "rule",
            "downloads",
            "removed_at",
            "withdrawn_by",
            "withdrawn_reason",
        ),
        CATEGORY,
    )

    class Meta:
        ordering = ["made_at", "pk"]
        indexes = [models.Index(fields=["kind", "owner_public_id"], name="package_of_owner")]

    def __str__(self) -> str:
        return f"Protected package {self.public_id}"

    @property
    def is_live(self) -> bool:
        """Whether the link still opens the file."""
        return self.removed_at is None and self.expires_at > timezone.now()
