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
from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from earlyhelp.encryption import EncryptedTextField
from earlyhelp.people.models import Person

# The policy category of the log's rows: the council's record of what it shared, kept
# beside the records it shared.
CATEGORY = "other-personal"


class ChildIdentifier(models.TextChoices):
    """Whether a disclosure carries the child's NHS number."""

    CARRIED = "carried", "The child's NHS number is carried"
    NOT_KNOWN = "not_known", "The child's NHS number was not known"
    NOT_A_CHILD = "not_a_child", "Not about a child"


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
    # How and when the family was told (a letter posted, an email, in person), once done.
    family_told_how = models.CharField(
        max_length=20,
        choices=[
            ("letter", "A letter by post"),
            ("email", "An email"),
            ("in_person", "In person"),
            ("telephone", "By telephone"),
        ],
        blank=True,
    )
    family_told_on = models.DateField(null=True, blank=True)
    family_told_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    letter = EncryptedTextField(blank=True)
    exemption = models.CharField(max_length=100, blank=True)
    exemption_reason = EncryptedTextField(blank=True)
    # A decision not to share: why (Children Act 2004 s.16LA: more detrimental to the child).
    not_shared_reason = EncryptedTextField(blank=True)
    # Shared while the person's processing was restricted by a rights request (a step-up:
    # UK GDPR Article 18(2)): the policy's words for the ground, as they were, and the
    # manager's reason the referral could not wait for the restriction to be lifted.
    restriction_ground = models.TextField(blank=True)
    restriction_reason = EncryptedTextField(blank=True)
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
    # The consistent identifier for children (Children Act 2004 s.16LC: the NHS number),
    # as the person's record held it when the disclosure was made (see `save`).
    child_identifier = models.CharField(max_length=20, choices=ChildIdentifier.choices, blank=True)
    child_nhs_number = EncryptedTextField(blank=True)
    # Shared first in a safeguarding emergency: flagged until a team manager approves it,
    # due within the policy's hours (sharing.emergency_approval_within_hours).
    emergency = models.BooleanField(default=False)
    emergency_reason = EncryptedTextField(blank=True)
    approval_due_at = models.DateTimeField(null=True, blank=True)
    emergency_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    emergency_approved_at = models.DateTimeField(null=True, blank=True)
    emergency_note = EncryptedTextField(blank=True)

    data_categories = dict.fromkeys(
        (
            "child_identifier",
            "child_nhs_number",
            "emergency",
            "emergency_reason",
            "approval_due_at",
            "emergency_approved_by",
            "emergency_approved_at",
            "emergency_note",
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
            "family_told_how",
            "family_told_on",
            "family_told_recorded_by",
            "letter",
            "exemption",
            "exemption_reason",
            "not_shared_reason",
            "restriction_ground",
            "restriction_reason",
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

    def save(self, *args, **kwargs) -> None:
        """A new disclosure records the child's NHS number, or that it was not known (the
        consistent identifier, Children Act 2004 s.16LC), whichever route made it."""
        if self._state.adding and not self.child_identifier:
            from earlyhelp.sharing.identifier import identifier_of  # it reads the policy

            self.child_identifier, self.child_nhs_number = identifier_of(
                self.person, timezone.localdate(self.created_at)
            )
        super().save(*args, **kwargs)

    @property
    def has_left(self) -> bool:
        """Whether the information has left the council."""
        return self.status == self.Status.SHARED

    @property
    def awaiting_emergency_approval(self) -> bool:
        """Shared first in an emergency, and no team manager has approved it yet."""
        return self.emergency and self.emergency_approved_at is None

    def emergency_overdue(self, now: datetime | None = None) -> bool:
        """Still awaiting a manager's approval after the time the policy allowed."""
        return (
            self.awaiting_emergency_approval
            and self.approval_due_at is not None
            and (now or timezone.now()) > self.approval_due_at
        )


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


class PartnerRequest(models.Model):
    """A request for a person's information received from a partner (the police, another
    council, a school, health): who asked, on what legal basis (a policy basis, with the
    requester's form reference where it needs one), what was asked, by when it is answered
    (the policy's time), the approval the basis needs, and the answer: a disclosure made
    through the sharing service, or the reason for not sharing."""

    class Status(models.TextChoices):
        OPEN = "open", "Open: to be answered"
        SHARED = "shared", "Answered: information shared"
        REFUSED = "refused", "Answered: not shared"

    class Approval(models.TextChoices):
        NOT_NEEDED = "not_needed", "Not needed for this legal basis"
        WAITING = "waiting", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused: nothing may be shared in answer"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="partner_requests")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    # Who asked: the policy's recipient group, and the organisation, person and contact.
    recipient = models.CharField(max_length=100)
    organisation = models.CharField(max_length=200)
    requester = models.CharField(max_length=200)
    requester_contact = models.CharField(max_length=200)
    # The legal basis claimed (a policy id) and its law as the policy gave it on the day.
    basis = models.CharField(max_length=100)
    basis_law = models.CharField(max_length=500)
    form_reference = models.CharField(max_length=100, blank=True)
    asked = EncryptedTextField()
    received_on = models.DateField()
    due_on = models.DateField()
    policy_version = models.CharField(max_length=100)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    logged_at = models.DateTimeField(default=timezone.now)
    approval = models.CharField(max_length=20, choices=Approval.choices)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_note = EncryptedTextField(blank=True)
    # The answer: what was sent (a disclosure), or why not.
    disclosure = models.OneToOneField(
        Disclosure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partner_request",
    )
    refusal_reason = EncryptedTextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    data_categories = dict.fromkeys(
        (
            "person",
            "status",
            "recipient",
            "organisation",
            "requester",
            "requester_contact",
            "basis",
            "basis_law",
            "form_reference",
            "asked",
            "received_on",
            "due_on",
            "policy_version",
            "logged_by",
            "logged_at",
            "approval",
            "approved_by",
            "approved_at",
            "approval_note",
            "disclosure",
            "refusal_reason",
            "decided_by",
            "decided_at",
        ),
        CATEGORY,
    )

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"Partner request {self.public_id}"

    def overdue(self, today: date | None = None) -> bool:
        """Still open after the last day to answer it."""
        return self.status == self.Status.OPEN and (today or timezone.localdate()) > self.due_on


class Relocation(models.Model):
    """A child's move to live abroad, recorded with the authority there that the council
    liaises with (notice section 8): the condition for sending their information abroad."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relocations")
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code")
    country_name = models.CharField(max_length=100)
    receiving_authority = models.CharField(max_length=200)
    moved_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    data_categories = dict.fromkeys(
        ("person", "country", "country_name", "receiving_authority", "moved_on"),
        "identity-and-contact",
    )

    class Meta:
        ordering = ["-moved_on", "-pk"]

    def __str__(self) -> str:
        return f"Relocation {self.public_id}"

    @property
    def country_words(self) -> str:
        """The country by the ISO 3166 list's name for its code; a move recorded before the
        list was used keeps the name typed then (never the code alone)."""
        from earlyhelp.sharing.countries import NOT_LISTED, country_name

        listed = country_name(self.country)
        return listed if listed != NOT_LISTED else (self.country_name.strip() or listed)


class Transfer(models.Model):
    """A disclosure that went abroad: the country, its region in the policy, the route
    (UK GDPR Chapter V: approval regulations, appropriate safeguards, a derogation) and its
    law as the policy gave it, and the child's recorded move it relied on."""

    disclosure = models.OneToOneField(Disclosure, on_delete=models.PROTECT, related_name="transfer")
    relocation = models.ForeignKey(
        Relocation, on_delete=models.PROTECT, null=True, blank=True, related_name="transfers"
    )
    country = models.CharField(max_length=2)
    region = models.CharField(max_length=10, blank=True)
    route = models.CharField(max_length=100)
    route_law = models.CharField(max_length=300)
    rule_ids = models.JSONField(default=list)

    data_categories = dict.fromkeys(
        ("disclosure", "relocation", "country", "region", "route", "route_law", "rule_ids"),
        CATEGORY,
    )

    def __str__(self) -> str:
        return f"Transfer of disclosure {self.disclosure_id}"
