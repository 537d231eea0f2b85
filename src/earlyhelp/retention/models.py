"""Retention and destruction (issue 18): legal holds, the plan a reviewer signs off, and
what was destroyed.

A *legal hold* keeps records past their date while an inquiry or a claim needs them. The
*plan* (`earlyhelp retention plan`) puts each person whose records fall due into a
*destruction review*: one item a person, showing only what a reviewer needs (their name,
age, last involvement, the rule and the date). A reviewer defers items with a reason and
approves the rest; `earlyhelp retention dispose` destroys what was approved, through the
data map, and the review becomes the certificate of destruction: counts, the rules, who
approved, when and how, never a name.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from earlyhelp.cases.models import Case
from earlyhelp.people.models import Household, Person


class LegalHold(models.Model):
    """Records kept past their date, because an inquiry, a claim or the law asks."""

    class Scope(models.TextChoices):
        PERSON = "person", "One person"
        FAMILY = "family", "A family (everyone in a household)"
        CASE = "case", "A case (everyone on it)"
        SERVICE = "service", "Everyone with a case of a service"
        RULE = "rule", "Everyone matching a rule"

    class Criterion(models.TextChoices):
        # IICSA (2015): anything about child protection and care. A case referred to
        # children's social care is this service's record of a child protection concern.
        REFERRED = "referred", "A case referred to children's social care before the date"
        RISK = "risk", "A risk or concern recorded before the date"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    issuer = models.CharField(
        max_length=200, help_text="Who asked for the records to be kept, for example an inquiry"
    )
    reference = models.CharField(max_length=100, blank=True, help_text="Their reference")
    scope = models.CharField(max_length=10, choices=Scope.choices)
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="legal_holds"
    )
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="legal_holds"
    )
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="legal_holds"
    )
    service = models.CharField(max_length=60, blank=True, help_text="Service id in the policy")
    criterion = models.CharField(max_length=10, choices=Criterion.choices, blank=True)
    before = models.DateField(null=True, blank=True)
    reason = models.TextField()
    review_on = models.DateField()
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)

    # Which person, family or case a hold covers is the council's record of why it kept
    # them, not a fact about them; the reason is the issuer's.
    data_categories = dict.fromkeys(
        (
            "issuer", "reference", "scope", "person", "household", "case", "service",
            "criterion", "before", "reason", "review_on", "placed_by", "placed_at",
            "lifted_by", "lifted_at", "lift_reason",
        ),
        "other-personal",
    )  # fmt: skip

    class Meta:
        ordering = ["review_on", "placed_at"]

    def __str__(self) -> str:
        return f"Legal hold {self.public_id}"

    @property
    def in_force(self) -> bool:
        return self.lifted_at is None


class DestructionReview(models.Model):
    """One run of the plan's findings, for a reviewer to sign off, then the certificate."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for review"  # some records still wait for a reviewer
        APPROVED = "approved", "Approved: being destroyed"
        DESTROYED = "destroyed", "Destroyed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The plan listed what falls due up to and including this day.
    due_by = models.DateField()
    planned_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The certificate: {"rules": {rule id: people}, "records": {record class title: rows},
    # "kept": {why: people}, "method": words}. Counts only, never a name.
    certificate = models.JSONField(default=dict)

    family_data = False

    class Meta:
        ordering = ["-planned_at"]
        constraints = [
            # One review open at a time: a second run of the plan adds to it.
            models.UniqueConstraint(
                fields=["status"], condition=models.Q(status="open"), name="one_open_review"
            )
        ]

    def __str__(self) -> str:
        return f"Destruction review {self.public_id}"


class PlannedDestruction(models.Model):
    """One person whose records fall due, in a review."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Due for destruction"
        DEFERRED = "deferred", "Deferred"
        APPROVED = "approved", "Approved for destruction"
        DESTROYED = "destroyed", "Destroyed"
        HELD = "held", "Kept: a legal hold was placed"
        RIGHTS = "rights", "Kept: a rights request is open or processing is restricted"
        NOT_DUE = "not_due", "Kept: no longer due"
        MERGED = "merged", "Withdrawn: the record was merged, and is planned again as one"

    # The statuses in which an item stands for the person in its review: one at most a
    # person (a merge withdraws both records' items first, so none is left duplicated).
    STANDING = (Status.PLANNED, Status.DEFERRED, Status.APPROVED)

    review = models.ForeignKey(DestructionReview, on_delete=models.CASCADE, related_name="items")
    # Null once destroyed: the item then holds only the pseudonym the tombstone names.
    # A merge moves the item to the record kept; disposal checks that record again.
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="planned_destructions",
    )
    # A keyed pseudonym of the person's public id (retention.tombstones), as the audit
    # trail's tombstone names them.
    pseudonym = models.CharField(max_length=64)
    rule = models.CharField(max_length=60, help_text="Retention rule id in the policy")
    subject = models.CharField(max_length=20, help_text="child or adult")
    due_on = models.DateField()
    last_involvement = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    deferred_until = models.DateField(null=True, blank=True)
    deferred_reason = models.TextField(blank=True)
    deferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Who approved this person's destruction: each reviewer approves the records they may
    # see named (need-to-know), so one review may have several approvers.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    data_categories = dict.fromkeys(
        (
            "review", "person", "pseudonym", "rule", "subject", "due_on", "last_involvement",
            "status", "deferred_until", "deferred_reason", "deferred_by", "decided_at",
            "approved_by",
        ),
        "other-personal",
    )  # fmt: skip

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["review", "status", "due_on"]),
            models.Index(fields=["status", "id"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "person"],
                condition=models.Q(status__in=["planned", "deferred", "approved"]),
                name="one_standing_item_a_person_in_a_review",
            )
        ]

    def __str__(self) -> str:
        return f"Planned destruction {self.pk}"


class FileToRemove(models.Model):
    """A document file whose rows were destroyed, removed from disk once the batch that
    destroyed them has committed (a killed run leaves the name here for the rerun)."""

    # The file's keyed name in the documents folder: not a name, not content.
    file_name = models.CharField(max_length=200, unique=True)

    family_data = False

    def __str__(self) -> str:
        return "A file to remove"
