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
