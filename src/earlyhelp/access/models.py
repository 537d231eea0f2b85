import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property

from earlyhelp.access.roles import Role
from earlyhelp.encryption import EncryptedTextField


class User(AbstractUser):
    """A member of staff. Families never hold accounts: they use the public forms."""

    # Staff accounts: covered by the council's staff privacy notice, not the family notice.
    family_data = False

    is_demo = models.BooleanField(
        default=False,
        help_text="Made by `earlyhelp demo_users`: its password is published in the README.",
    )
    must_change_password = models.BooleanField(
        default=False,
        help_text="The password was set by an administrator: until the person chooses their "
        "own, every page but the change-password page sends them there.",
    )

    # Who set the account's sign-in details, and when: what an approver reads before giving
    # the account access (access/grants.py). Administrators' actions, then its holder's.
    password_set_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The administrator who last set a temporary password for the account",
    )
    password_set_at = models.DateTimeField(null=True, blank=True)
    password_changed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the account last chose its own password"
    )
    authenticator_removed_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The administrator who last had the account's authenticator removed",
    )
    authenticator_removed_at = models.DateTimeField(null=True, blank=True)
    authenticator_enrolled_at = models.DateTimeField(
        null=True, blank=True, help_text="When the current authenticator was set up at sign-in"
    )
    enrolled_with_temporary_password = models.BooleanField(
        default=False,
        help_text="The current authenticator was set up in a sign-in with a temporary "
        "password: whoever knew that password may have set it up",
    )
    enrolled_with_password_set_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who set the temporary password the current authenticator was set up with",
    )
    sign_in_unconfirmed = models.BooleanField(
        default=False,
        help_text="An authenticator was set up with a temporary password and no approver has "
        "since checked with the holder that they set it up: no role works until one does",
    )
    sign_in_confirmed_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The approver who last checked with the holder that they set up its sign-in",
    )
    sign_in_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "access_user"

    @cached_property
    def roles(self) -> frozenset[Role]:
        """The roles that work: none while the account's sign-in waits to be checked.

        grants.py moves an unconfirmed account's roles into a request for approval; this is
        the backstop for a role given any other way (a shell, a data fix).
        """
        if self.sign_in_unconfirmed:
            return frozenset()
        known = {role.value for role in Role}
        return frozenset(
            Role(name) for name in self.groups.values_list("name", flat=True) if name in known
        )

    @property
    def role(self) -> Role | None:
        """The role whose home page the user sees: the first they hold, in Role order."""
        return next((role for role in Role if role in self.roles), None)

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))


class Restriction(models.Model):
    """A person's record closed to everyone but the users named, whatever their allocation."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="restriction"
    )
    # Why a record is closed says something about the family's risks.
    reason = EncryptedTextField(help_text="Why, for example: a relative works in the service")
    named_users = models.ManyToManyField(User, related_name="restricted_records_open_to")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Who last changed who may open it, and when; and when it is next to be reviewed (the
    # policy's casework.restriction_review_within from then).
    changed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True)

    # That a record is restricted says something about the family's risks.
    data_categories = {
        "person": "risk-issues",
        "reason": "risk-issues",
        "named_users": "risk-issues",
        "changed_by": "risk-issues",
        "changed_at": "risk-issues",
        "review_on": "risk-issues",
    }

    def __str__(self) -> str:
        return f"Restriction on person {self.person_id}"


class GrantRequest(models.Model):
    """More access for a staff account, waiting for a second person's approval.

    What it adds: roles, teams, or a new authenticator (which hands the account to whoever
    next signs in with its password). An approver is a system administrator or the
    information governance officer who is neither the requester nor the account's holder,
    nor the one who set the temporary password its sign-in was set up with.
    An account has at most one pending request: a new one supersedes it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"
        SUPERSEDED = "superseded", "Replaced by a later request"
        WITHDRAWN = "withdrawn", "Withdrawn"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    account = models.ForeignKey(User, on_delete=models.PROTECT, related_name="grant_requests")
    roles = models.JSONField(default=list, blank=True, help_text="Role values to add")
    teams = models.ManyToManyField("cases.Team", blank=True, related_name="+")
    new_authenticator = models.BooleanField(
        default=False, help_text="Remove the account's authenticator, so its holder enrols anew"
    )
    # None: the service asked, giving back roles it suspended when the account's
    # authenticator was set up with a temporary password.
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    # Staff accounts and their access: covered by the staff privacy notice.
    family_data = False

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(status="pending"),
                name="one_pending_grant_request_per_account",
            )
        ]

    def __str__(self) -> str:
        return f"Grant request {self.public_id} for account {self.account_id} ({self.status})"

    @property
    def role_list(self) -> list[Role]:
        wanted = set(self.roles)
        return [role for role in Role if role.value in wanted]


class EmergencyAccessNotice(models.Model):
    """A team manager told that the information governance officer found a worker's
    emergency access not justified: shown on the manager's home page until they mark it read.

    It names the worker, the review and its note, never the record that was opened: the
    manager may have no need to know whose record it was.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    review = models.ForeignKey("audit.AuditReview", on_delete=models.PROTECT, related_name="+")
    manager = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="emergency_access_notices"
    )
    worker = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    # Staff, their access and a review of it: covered by the staff privacy notice.
    family_data = False

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review", "manager"], name="one_emergency_access_notice_per_manager"
            )
        ]

    def __str__(self) -> str:
        return f"Emergency access notice {self.public_id} for account {self.manager_id}"
