"""Audit events, chained by hash, and the one row that says where the chain ends.

An event never changes once written: the model refuses to save an existing row or to
delete one, and database triggers (migration 0002) refuse UPDATE and DELETE from any
client. Each row's `hash` is an HMAC-SHA256, under the audit key named by `key_id` (a file
outside the database, see audit/keys.py), of every other column, `previous_hash`
included, so `earlyhelp audit verify` finds a row altered, deleted or inserted by anyone
who can write to the database but cannot read the key; anchors kept outside the database
(audit/anchors.py) find the end of the chain cut off or rewritten.

Events hold opaque ids, never names, dates of birth or search terms.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

# The previous_hash of the first event.
GENESIS = "0" * 64


class AppendOnlyError(Exception):
    """An attempt to change or delete an audit event through the ORM."""


class Action(models.TextChoices):
    VIEW = "view"
    SEARCH = "search"
    CREATE = "create"
    CHANGE = "change"
    DELETE = "delete"
    EXPORT = "export"
    SHARE = "share"
    PRINT = "print"
    SIGN_IN = "sign_in", "sign in"
    SIGN_IN_FAILED = "sign_in_failed", "failed sign in"
    SIGN_OUT = "sign_out", "sign out"
    BREAK_GLASS = "break_glass", "break-glass"
    MERGE = "merge"
    UNDO_MERGE = "undo_merge", "undo merge"
    ALLOCATE = "allocate"
    RESTRICT = "restrict"


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events are append-only: they cannot be updated")

    def delete(self):
        raise AppendOnlyError("audit events are append-only: they cannot be deleted")


class AuditEvent(models.Model):
    # Assigned by log.record under the chain lock, one more than the last: gapless, so a
    # missing id means a deleted row (a sequence would leave gaps on every rollback).
    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    record_type = models.CharField(max_length=40, blank=True)
    record_id = models.CharField(max_length=36, blank=True, help_text="Public UUID, or empty")
    categories = models.JSONField(default=list, help_text="Policy data-category ids")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    reason = models.TextField(blank=True)
    purpose = models.CharField(max_length=100, blank=True, help_text="Policy purpose id")
    rule = models.CharField(max_length=100, blank=True, help_text="Policy rule relied on")
    flagged = models.BooleanField(default=False)
    details = models.JSONField(default=dict)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # Which audit key made `hash`; "" for events written before the chain was keyed
    # (plain SHA-256, accepted only up to AuditChainHead.unkeyed_until and an anchor).
    # Not itself hashed: naming another key makes the hash fail to verify.
    key_id = models.CharField(max_length=16, blank=True, default="")

    # Ids of records and staff, not facts about a family (see policy/fields.py).
    family_data = False

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        db_table = "audit_event"
        indexes = [
            models.Index(fields=["record_type", "record_id", "-id"], name="audit_event_record"),
            models.Index(fields=["-id"], condition=Q(flagged=True), name="audit_event_flagged"),
        ]

    def __str__(self) -> str:
        return f"Audit event {self.pk}: {self.action} {self.record_type} {self.record_id}".strip()

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"audit event {self.pk} is append-only: it cannot be changed")
        # Never an UPDATE: an id that is taken fails instead of overwriting the row.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"audit event {self.pk} is append-only: it cannot be deleted")


class AuditChainHead(models.Model):
    """The end of the chain, in one row: every append locks it, so appends are serialised.

    It also lets verify notice the last rows deleted, or rows added after them. Anyone who
    can write to the database can move it too: the anchors outside it are what verify
    trusts for where the chain ended.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS)
    # The last event written before the chain was keyed (migration 0003); later events
    # must carry a key id. In the database, so trusted only as far as an anchor agrees.
    unkeyed_until = models.BigIntegerField(default=0)

    family_data = False

    class Meta:
        db_table = "audit_chainhead"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="audit_chainhead_one_row")]

    def __str__(self) -> str:
        return f"Audit chain head: event {self.last_id}"


class ReviewOutcome(models.TextChoices):
    JUSTIFIED = "justified", "Justified"
    NOT_JUSTIFIED = "not_justified", "Not justified: referred to the manager"
    MORE_INFORMATION = "more_information", "More information asked for"


class AuditReview(models.Model):
    """A governance officer's review of a flagged event (break-glass), kept beside the event."""

    event = models.ForeignKey(AuditEvent, on_delete=models.PROTECT, related_name="reviews")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_reviews"
    )
    reviewed_at = models.DateTimeField()
    outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices)
    note = models.TextField(blank=True)

    family_data = False  # a staff member's judgement about a staff member's access

    class Meta:
        db_table = "audit_review"

    def __str__(self) -> str:
        return f"Review of audit event {self.event_id}: {self.outcome}"
