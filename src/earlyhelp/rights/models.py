"""Rights requests and complaints about how the service handles personal data.

A ``RightsRequest`` is either a request to exercise a right (UK GDPR Articles 15-21, or
DPA 2018 Part 3 for Youth Justice records processed for law enforcement) or a complaint
(DPA 2018 s.164A). It arrives through the public form or is logged by staff from a letter,
an email, a call or a visit. When it is created it keeps the policy's version and a copy of
the time limit in force that day (``clock_rule``), so a later policy never moves its
deadline; the deadline itself is always computed from its dated events (``rights.clock``).

What the requester typed is kept as typed (``subject_*``): it is not a person record. The
information governance officer matches it to person records (``RequestPerson``), which
opens those records to them for the request only, until it closes.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from earlyhelp.encryption import EncryptedTextField
from earlyhelp.people.models import Person

# A reference the requester can quote: no 0/O or 1/I/L to misread on the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    """ "R-" and 8 random characters: "R-7KQ2-M9XD". Says nothing about anyone."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"R-{chars[:4]}-{chars[4:]}"


class RightsRequestQuerySet(models.QuerySet):
    def open(self) -> "RightsRequestQuerySet":
        return self.filter(closed_on__isnull=True)

    def requests(self) -> "RightsRequestQuerySet":
        return self.filter(kind=RightsRequest.Kind.REQUEST)

    def complaints(self) -> "RightsRequestQuerySet":
        return self.filter(kind=RightsRequest.Kind.COMPLAINT)


class RightsRequest(models.Model):
    """A request to exercise a data protection right, or a complaint."""

    class Kind(models.TextChoices):
        REQUEST = "request", "Rights request"
        COMPLAINT = "complaint", "Complaint"

    class Channel(models.TextChoices):
        WEB_FORM = "web-form", "Our web form"
        LETTER = "letter", "Letter"
        EMAIL = "email", "Email"
        PHONE = "phone", "Telephone"
        IN_PERSON = "in-person", "In person"

    class Requester(models.TextChoices):
        SELF = "self", "The person the information is about"
        PARENT = "parent", "A parent or carer, for a child"
        REPRESENTATIVE = "representative", "Someone acting for them"

    class Right(models.TextChoices):
        # The rights a family can ask for; the policy's RightKind ids where one matches.
        ACCESS = "access", "A copy of the information held"
        RECTIFICATION = "rectification", "Correct information that is wrong"
        ERASURE = "erasure", "Delete information"
        RESTRICTION = "restriction", "Stop using information for a while"
        OBJECT = "object", "Object to a use of information"
        OTHER = "other", "Something else"

    class ReplyBy(models.TextChoices):
        EMAIL = "email", "Email"
        POST = "post", "Post"
        PHONE = "phone", "Telephone"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        AWAITING_IDENTITY = "awaiting-identity", "Awaiting identity evidence"
        AWAITING_CLARIFICATION = "awaiting-clarification", "Awaiting clarification"
        IN_PROGRESS = "in-progress", "In progress"
        EXTENDED = "extended", "Extended"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        ANSWERED = "answered", "Answered"
        REFUSED = "refused", "Refused"
        WITHDRAWN = "withdrawn", "Withdrawn"

    CLOSED = (Status.ANSWERED, Status.REFUSED, Status.WITHDRAWN)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=12, unique=True, default=new_reference, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    received = models.DateField()
    # The regime the request is answered under: a policy deadline rule's `regime`.
    regime = models.CharField(max_length=30, default="uk-gdpr")
    policy_version = models.CharField(max_length=100)
    clock_rule = models.JSONField(help_text="The policy's time limit in force on receipt")
    complaint_rule = models.JSONField(null=True, blank=True)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.RECEIVED)

    # Who is asking, and how to reply.
    requester_is = models.CharField(max_length=20, choices=Requester.choices)
    requester_name = models.CharField(max_length=200)
    requester_email = models.CharField(max_length=254, blank=True)
    requester_phone = models.CharField(max_length=40, blank=True)
    requester_address = models.TextField(blank=True)
    reply_by = models.CharField(max_length=10, choices=ReplyBy.choices)
    # What they want: Right values; for an objection, the policy's project ids.
    rights_asked = models.JSONField(default=list, blank=True)
    objection_projects = models.JSONField(default=list, blank=True)
    # Free text may say anything about a family, so it is encrypted.
    details = EncryptedTextField(blank=True)

    # Whom it is about, as typed: what would help find the records.
    subject_name = models.CharField(max_length=200)
    subject_other_names = models.CharField(max_length=200, blank=True)
    subject_date_of_birth = models.DateField(null=True, blank=True)
    subject_address = models.TextField(blank=True)
    services_used = models.JSONField(default=list, blank=True, help_text="Policy service ids")
    dates_involved = models.CharField(max_length=200, blank=True)

    # The clock's events (see rights.clock).
    identity_evidence_received = models.DateField(null=True, blank=True)
    identity_evidence = models.TextField(blank=True, help_text="What evidence was seen")
    fee_paid = models.DateField(null=True, blank=True)
    extended_on = models.DateField(null=True, blank=True)
    extension_reasons = models.TextField(blank=True)
    extension_letter = EncryptedTextField(blank=True)

    # A complaint's acknowledgement (s.164A) and any request's outcome.
    acknowledged_on = models.DateField(null=True, blank=True)
    acknowledgement_letter = EncryptedTextField(blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    outcome_letter = EncryptedTextField(blank=True)
    exemption = models.TextField(blank=True, help_text="The exemption a refusal relies on")
    closed_on = models.DateField(null=True, blank=True)

    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rights_requests_handled",
    )
    # None: it came through the public form.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = RightsRequestQuerySet.as_manager()

    data_categories = {
        "reference": "other-personal",
        "policy_version": "other-personal",
        "clock_rule": "other-personal",
        "complaint_rule": "other-personal",
        "requester_is": "identity-and-contact",
        "requester_name": "identity-and-contact",
        "requester_email": "identity-and-contact",
        "requester_phone": "identity-and-contact",
        "requester_address": "identity-and-contact",
        "reply_by": "identity-and-contact",
        "rights_asked": "other-personal",
        "objection_projects": "other-personal",
        "details": "other-personal",
        "subject_name": "identity-and-contact",
        "subject_other_names": "identity-and-contact",
        "subject_date_of_birth": "identity-and-contact",
        "subject_address": "identity-and-contact",
        "services_used": "other-personal",
        "dates_involved": "other-personal",
        "identity_evidence_received": "other-personal",
        "identity_evidence": "other-personal",
        "fee_paid": "other-personal",
        "extended_on": "other-personal",
        "extension_reasons": "other-personal",
        "extension_letter": "other-personal",
        "acknowledged_on": "other-personal",
        "acknowledgement_letter": "other-personal",
        "outcome_on": "other-personal",
        "outcome_letter": "other-personal",
        "exemption": "other-personal",
        "received": "other-personal",
        "kind": "other-personal",
        "channel": "other-personal",
        "regime": "other-personal",
        "status": "other-personal",
        "closed_on": "other-personal",
        "handled_by": "other-personal",
    }

    class Meta:
        indexes = [
            models.Index(fields=["closed_on", "received"]),
            models.Index(fields=["kind", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def is_complaint(self) -> bool:
        return self.kind == self.Kind.COMPLAINT


class Clarification(models.Model):
    """Clarification the council asked for: the clock stands still until it arrives."""

    request = models.ForeignKey(
        RightsRequest, on_delete=models.CASCADE, related_name="clarifications"
    )
    asked_on = models.DateField()
    question = EncryptedTextField()
    answered_on = models.DateField(null=True, blank=True)
    answer = EncryptedTextField(blank=True)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)

    data_categories = {
        "request": "other-personal",
        "asked_by": "other-personal",
        "asked_at": "other-personal",
        "asked_on": "other-personal",
        "question": "other-personal",
        "answered_on": "other-personal",
        "answer": "other-personal",
    }

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(answered_on__isnull=True),
                name="one_clarification_awaited_per_request",
            )
        ]

    def __str__(self) -> str:
        return f"Clarification on {self.request_id} asked {self.asked_on}"


class RequestPerson(models.Model):
    """A person record the information governance officer matched to a request: in scope.

    While the request is open, its handler may open these records for the request without
    break-glass; every look is audited with the request as its purpose.
    """

    class Role(models.TextChoices):
        SUBJECT = "subject", "The person the request is about"
        REQUESTER = "requester", "The person asking"

    request = models.ForeignKey(RightsRequest, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="rights_requests")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.SUBJECT)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    data_categories = {
        "request": "other-personal",
        "added_by": "other-personal",
        "added_at": "other-personal",
        "person": "other-personal",
        "role": "other-personal",
    }

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "person"], name="a_person_once_a_request")
        ]

    def __str__(self) -> str:
        return f"Person {self.person_id} in scope of request {self.request_id}"


class ChildAccessDecision(models.Model):
    """Whether a parent or carer may have a child's records (notice section 10): parental
    responsibility from the relationships recorded, the child's consent at or over the
    policy's age, a named worker's competence judgement under it, and the decision with its
    reasons. Access is never automatic."""

    class Consent(models.TextChoices):
        CONSENTED = "consented", "The child consented"
        REFUSED = "refused", "The child did not consent"
        NOT_ASKED = "not-asked", "Not asked"

    request = models.ForeignKey(
        RightsRequest, on_delete=models.CASCADE, related_name="child_decisions"
    )
    child = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="child_access_decisions"
    )
    parent = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="parental_access_decisions",
    )
    parental_responsibility = models.BooleanField()
    child_age = models.PositiveSmallIntegerField()
    consent = models.CharField(max_length=20, choices=Consent.choices)
    consent_how = models.TextField(blank=True, help_text="How the consent was given")
    competent = models.BooleanField(null=True, blank=True)
    competence_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    competence_reasons = EncryptedTextField(blank=True)
    allowed = models.BooleanField()
    reasons = EncryptedTextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    data_categories = {
        "request": "other-personal",
        "decided_by": "other-personal",
        "decided_at": "other-personal",
        "child": "family-relationships",
        "parent": "family-relationships",
        "parental_responsibility": "family-relationships",
        "child_age": "identity-and-contact",
        "consent": "other-personal",
        "consent_how": "other-personal",
        "competent": "other-personal",
        "competence_by": "other-personal",
        "competence_reasons": "other-personal",
        "allowed": "other-personal",
        "reasons": "other-personal",
    }

    def __str__(self) -> str:
        return f"Parental access decision on request {self.request_id}"


class RightOutcome(models.Model):
    """What was done for one right asked for, for one person, and the rule relied on."""

    class Result(models.TextChoices):
        DONE = "done", "Done"
        PARTLY = "partly", "Done in part"
        NOT_DONE = "not-done", "Not done"

    request = models.ForeignKey(RightsRequest, on_delete=models.CASCADE, related_name="outcomes")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="rights_outcomes")
    right = models.CharField(max_length=20, choices=RightsRequest.Right.choices)
    result = models.CharField(max_length=20, choices=Result.choices)
    what_was_done = EncryptedTextField()
    rule_ids = models.JSONField(default=list)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    data_categories = {
        "request": "other-personal",
        "rule_ids": "other-personal",
        "person": "other-personal",
        "right": "other-personal",
        "result": "other-personal",
        "what_was_done": "other-personal",
    }

    def __str__(self) -> str:
        return f"{self.right} outcome on request {self.request_id}"


class Disagreement(models.Model):
    """A person's statement that recorded data is wrong, kept beside it where it was not
    corrected (UK GDPR Article 16; ICO: record the disagreement)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="disagreements")
    request = models.ForeignKey(
        RightsRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    about = EncryptedTextField(help_text="Which data they say is wrong")
    statement = EncryptedTextField(help_text="What they say, in their words")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    data_categories = {
        "request": "other-personal",
        "person": "other-personal",
        "about": "other-personal",
        "statement": "other-personal",
    }

    def __str__(self) -> str:
        return f"Disagreement {self.pk} about person {self.person_id}"


class ProcessingRestrictionQuerySet(models.QuerySet):
    def in_force(self) -> "ProcessingRestrictionQuerySet":
        return self.filter(lifted_on__isnull=True)


class ProcessingRestriction(models.Model):
    """UK GDPR Article 18: a person's data kept but not used (no extract, no sharing, no
    change) until the restriction is lifted. Unlike access.Restriction (who may see a
    record), this limits what anyone may do with it."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="processing_restrictions"
    )
    request = models.ForeignKey(
        RightsRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = EncryptedTextField()
    started_on = models.DateField()
    lifted_on = models.DateField(null=True, blank=True)
    lifted_reason = EncryptedTextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ProcessingRestrictionQuerySet.as_manager()

    data_categories = {
        "request": "other-personal",
        "lifted_by": "other-personal",
        "person": "other-personal",
        "reason": "other-personal",
        "started_on": "other-personal",
        "lifted_on": "other-personal",
        "lifted_reason": "other-personal",
    }

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(lifted_on__isnull=True),
                name="one_processing_restriction_in_force",
            )
        ]

    def __str__(self) -> str:
        return f"Processing restriction on person {self.person_id}"


class ReminderSent(models.Model):
    """A reminder about a request's deadline sent on a day: `requests remind` sends each
    request's reminder at most once a day, however often it runs."""

    request = models.ForeignKey(RightsRequest, on_delete=models.CASCADE, related_name="reminders")
    sent_on = models.DateField()
    overdue = models.BooleanField()

    # The deadline of a request, not data about a family.
    family_data = False

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "sent_on"], name="one_reminder_a_day")
        ]

    def __str__(self) -> str:
        return f"Reminder on request {self.request_id}, {self.sent_on}"
