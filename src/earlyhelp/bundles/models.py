"""A subject access bundle: what a request found, the redactions a person decided, what was sent.

A bundle is made for one rights request asking for access (UK GDPR Article 15). Making it
copies the text of every record in scope into `BundleItem` rows (encrypted), so the review
and the PDF see the same words even if a record changes meanwhile; the product proposes
`Redaction`s of other people's information; the information governance officer decides
each; approval renders the PDF with the accepted redactions burned in. What the requester
downloads is a protected package (packages.models.ProtectedPackage, the one mechanism for
every export): a password-protected copy behind a link that expires.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from earlyhelp.encryption import EncryptedTextField
from earlyhelp.people.models import Person
from earlyhelp.rights.models import RightsRequest

# The policy category of a bundle's rows: a copy of what the council holds, kept as the
# request's file.
CATEGORY = "other-personal"


class Bundle(models.Model):
    """One bundle for a request. A new one replaces the last one still being reviewed."""

    class Status(models.TextChoices):
        REVIEWING = "reviewing", "Being reviewed"
        APPROVED = "approved", "Approved"
        SENT = "sent", "Sent"
        REPLACED = "replaced", "Replaced by a newer bundle"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(RightsRequest, on_delete=models.PROTECT, related_name="bundles")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REVIEWING)
    policy_version = models.CharField(max_length=100)
    # The cover letter as made (headings and paragraphs, from the policy's words).
    cover = EncryptedTextField(help_text="JSON: [[heading, [paragraph, ...]], ...]")
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # The approved PDF, kept for the request's file: encrypted at rest in the documents
    # folder like an uploaded document (cases.documents), named by its SHA-256.
    file_sha256 = models.CharField(max_length=64, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    sent_on = models.DateField(null=True, blank=True)
    sent_how = models.CharField(max_length=200, blank=True)

    data_categories = dict.fromkeys(
        (
            "request",
            "status",
            "policy_version",
            "cover",
            "made_by",
            "made_at",
            "approved_by",
            "approved_at",
            "file_sha256",
            "page_count",
            "sent_on",
            "sent_how",
        ),
        CATEGORY,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(status="reviewing"),
                name="one_bundle_under_review_a_request",
            )
        ]

    def __str__(self) -> str:
        return f"Bundle {self.public_id} for request {self.request_id}"


class BundleItem(models.Model):
    """One passage of a bundle: a field of a record, or a page or paragraph of a document.

    `section` numbers the records in date order; items of one record share it.
    """

    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveIntegerField()
    section = models.PositiveIntegerField()
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="bundle_items")
    record_model = models.CharField(max_length=100)
    record_id = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    day = models.DateField(null=True, blank=True)
    category = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=200, blank=True)
    # Who wrote the record copied, by name (a copy: not a link to the account).
    written_by = models.CharField(max_length=200, blank=True)
    label = models.CharField(max_length=200)
    text = EncryptedTextField(blank=True)
    # A document uploaded to the record: its name, kind and page (PDF) or paragraph (DOCX).
    document_sha256 = models.CharField(max_length=64, blank=True)
    document_name = EncryptedTextField(blank=True)
    document_kind = models.CharField(max_length=10, blank=True)
    document_part = models.PositiveIntegerField(null=True, blank=True)
    # Withheld whole (the passage, or for a document's first item the whole document).
    withheld_exemption = models.CharField(max_length=60, blank=True)
    withheld_reason = models.TextField(blank=True)
    withheld_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withheld_at = models.DateTimeField(null=True, blank=True)
    page = models.PositiveIntegerField(null=True, blank=True)

    data_categories = dict.fromkeys(
        (
            "bundle",
            "number",
            "section",
            "person",
            "record_model",
            "record_id",
            "title",
            "day",
            "category",
            "source",
            "written_by",
            "label",
            "text",
            "document_sha256",
            "document_name",
            "document_kind",
            "document_part",
            "withheld_exemption",
            "withheld_reason",
            "withheld_by",
            "withheld_at",
            "page",
        ),
        CATEGORY,
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "number"], name="an_item_number_once")
        ]

    def __str__(self) -> str:
        return f"Item {self.number} of bundle {self.bundle_id}"


class Redaction(models.Model):
    """A span of an item's text proposed for redaction, or added by the reviewer, and the
    reviewer's decision with the exemption relied on (a policy exemption id)."""

    class Origin(models.TextChoices):
        PROPOSED = "proposed", "Proposed by the product"
        ADDED = "added", "Added by the reviewer"

    class Decision(models.TextChoices):
        PENDING = "pending", "Not decided"
        ACCEPTED = "accepted", "Redacted"
        REJECTED = "rejected", "Not redacted"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(BundleItem, on_delete=models.CASCADE, related_name="redactions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, help_text="What was found: finders.Kind, or added")
    # Why it was proposed, in words; names the other person ("Sister: Maya Smith").
    why = EncryptedTextField(blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices)
    decision = models.CharField(max_length=10, choices=Decision.choices, default="pending")
    exemption = models.CharField(max_length=60, blank=True)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    page = models.PositiveIntegerField(null=True, blank=True)

    data_categories = dict.fromkeys(
        (
            "item",
            "start",
            "end",
            "kind",
            "why",
            "origin",
            "decision",
            "exemption",
            "reason",
            "decided_by",
            "decided_at",
            "page",
        ),
        CATEGORY,
    )

    class Meta:
        ordering = ["item__number", "start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="a_span")
        ]

    def __str__(self) -> str:
        return f"Redaction {self.public_id}"
