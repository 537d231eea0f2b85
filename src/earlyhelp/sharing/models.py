"""A disclosure: information about one person shared with a recipient of the policy, under
one of its agreements, for one of its purposes; or a decision, recorded with its reason,
not to share.

The policy's words are not copied here: recipient, agreement, purpose and exemption are
policy ids, shown in the policy's words. The lawful basis and the letter to the family are
kept as they were when the disclosure was decided (the policy may change later), with the
policy's version.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from earlyhelp.encryption import EncryptedTextField
from earlyhelp.people.models import Person

# The policy category of the log's rows: the council's record of what it shared, kept
# beside the records it shared.
CATEGORY = "other-personal"


class Disclosure(models.Model):
    """One disclosure (or decision not to share) about one person."""

    class Status(models.TextChoices):
        SHARED = "shared", "Shared"
        WAITING = "waiting", "Waiting for a team manager's approval"
        APPROVED = "approved", "Approved by a team manager, not yet sent"
        APPROVAL_REFUSED = "approval_refused", "Not shared: a team manager refused approval"
        NOT_SHARED = "not_shared", "Decided not to share"

    class Method(models.TextChoices):
        SECURE_EMAIL = "secure_email", "Secure email"
        PARTNER_PORTAL = "partner_portal", "The partner's portal"
        IN_PERSON = "in_person", "In person"
        # Encrypted for the recipient, the password sent by another route, behind a link that
        # expires (the one protected-export mechanism the subject access bundle uses too).
        PROTECTED_PACKAGE = "protected_package", "A protected package (encrypted, by a link)"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="disclosures")
    status = models.CharField(max_length=20, choices=Status.choices)
    # Policy ids, shown in the policy's words.
    recipient = models.CharField(max_length=100)
    agreement = models.CharField(max_length=100, blank=True)
    purpose = models.CharField(max_length=100)
    # As the policy gave it on the day (decide_share), with the rules relied on.
    lawful_basis = models.CharField(max_length=500, blank=True)
    rule_ids = models.JSONField(default=list)
    categories = models.JSONField(default=list, help_text="Policy data-category ids")
    policy_version = models.CharField(max_length=100)
    # Telling the family: the letter as made from the policy's words, or the exemption the
    # agreement allows and the reason for not telling them.
    family_told = models.BooleanField(default=True)
    letter = EncryptedTextField(blank=True)
    exemption = models.CharField(max_length=100, blank=True)
    exemption_reason = EncryptedTextField(blank=True)
    # A decision not to share: why (Children Act 2004 s.16LA: more detrimental to the child).
    not_shared_reason = EncryptedTextField(blank=True)
    # How it left, and the reference of the email or portal upload.
    method = models.CharField(max_length=20, choices=Method.choices, blank=True)
    reference = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The team manager's approval of a disclosure the family is not told of.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = EncryptedTextField(blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    data_categories = dict.fromkeys(
        (
            "person",
            "status",
            "recipient",
            "agreement",
            "purpose",
            "lawful_basis",
            "rule_ids",
            "categories",
            "policy_version",
            "family_told",
            "letter",
            "exemption",
            "exemption_reason",
            "not_shared_reason",
            "method",
            "reference",
            "decided_by",
            "decided_at",
            "decision_note",
            "sent_by",
            "sent_at",
        ),
        CATEGORY,
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Disclosure {self.public_id}"

    @property
    def has_left(self) -> bool:
        """Whether the information has left the council."""
        return self.status == self.Status.SHARED


class DisclosedItem(models.Model):
    """One record of the person's that a disclosure includes: the data map's model and row,
    and the categories it held when it was shared."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="items")
    record_model = models.CharField(max_length=100)
    record_id = models.CharField(max_length=64)
    label = models.CharField(max_length=200)
    day = models.DateField(null=True, blank=True)
    categories = models.JSONField(default=list, help_text="Policy data-category ids")

    data_categories = dict.fromkeys(
        ("disclosure", "record_model", "record_id", "label", "day", "categories"), CATEGORY
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.record_model} {self.record_id} in disclosure {self.disclosure_id}"
