import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from earlyhelp.people.models import Person


class ObjectionQuerySet(models.QuerySet):
    def in_force(self, project_id: str, on_date) -> "ObjectionQuerySet":
        return self.filter(project=project_id, received__lte=on_date).filter(
            Q(withdrawn__isnull=True) | Q(withdrawn__gt=on_date)
        )


class Objection(models.Model):
    """A person's objection to a project using their data. Rights requests record these."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="objections")
    project = models.CharField(max_length=60, help_text="Project id in the policy")
    received = models.DateField()
    withdrawn = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # The rights request it was received through, if any.
    request = models.ForeignKey(
        "rights.RightsRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="objections",
    )

    objects = ObjectionQuerySet.as_manager()

    data_categories = {
        "person": "identity-and-contact",
        "project": "identity-and-contact",
        "received": "identity-and-contact",
        "withdrawn": "identity-and-contact",
        "request": "other-personal",
    }

    class Meta:
        indexes = [models.Index(fields=["project", "received"])]

    def __str__(self) -> str:
        return f"Objection to {self.project} received {self.received}"


class Extract(models.Model):
    """An extract that left (or was made to leave) for a project: its manifest, no data."""

    class Mode(models.TextChoices):
        DATABASE = "database", "From the case records"
        FILE = "file", "A file pseudonymised"

    # Counts, names of columns and hashes of files: nothing about any one family.
    family_data = False

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.CharField(max_length=60, help_text="Project id in the policy")
    mode = models.CharField(max_length=10, choices=Mode.choices)
    policy_version = models.CharField(max_length=100)
    extract_date = models.DateField()
    rows = models.PositiveIntegerField()
    left_out_by_objection = models.PositiveIntegerField(default=0)
    destruction_due = models.DateField(null=True, blank=True)
    manifest = models.JSONField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)
    # The recipient's confirmation that it destroyed its copy (extracts.destruction): the
    # date it says it did, its reference or how it was confirmed, and who recorded it.
    destruction_confirmed_on = models.DateField(
        "date the recipient destroyed it", null=True, blank=True
    )
    destruction_confirmation = models.CharField(
        "the recipient's confirmation", max_length=500, blank=True
    )
    destruction_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    destruction_confirmed_at = models.DateTimeField(null=True, blank=True)
    # An extract run from the screen (extracts.held): its files, in one password-protected
    # file encrypted at rest in the documents folder, held until `held_until` (the
    # project's held_on_server_for in the policy), then deleted (`held_removed_at`). Only
    # the file's SHA-256 is kept here; the password was shown once and never stored.
    held_file_sha256 = models.CharField(max_length=64, blank=True)
    held_until = models.DateTimeField(null=True, blank=True)
    held_removed_at = models.DateTimeField(null=True, blank=True)
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-made_at"]
        indexes = [
            models.Index(fields=["project", "-made_at"]),
            models.Index(fields=["held_until"], name="extract_held_until"),
        ]

    def __str__(self) -> str:
        return f"{self.project} extract of {self.extract_date}"

    @property
    def destruction_confirmed(self) -> bool:
        return self.destruction_confirmed_on is not None

    @property
    def was_held(self) -> bool:
        """Whether the extract's files were held on the server (run from the screen)."""
        return bool(self.held_file_sha256)

    @property
    def is_held(self) -> bool:
        """Whether its files are on the server still, to be downloaded."""
        return (
            self.was_held
            and self.held_removed_at is None
            and self.held_until is not None
            and self.held_until > timezone.now()
        )
