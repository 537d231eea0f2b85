from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property

from earlyhelp.access.roles import Role


class User(AbstractUser):
    """A member of staff. Families never hold accounts: they use the public forms."""

    # Staff accounts: covered by the council's staff privacy notice, not the family notice.
    family_data = False

    is_demo = models.BooleanField(
        default=False,
        help_text="Made by `earlyhelp demo_users`: its password is published in the README.",
    )

    class Meta:
        db_table = "access_user"

    @cached_property
    def roles(self) -> frozenset[Role]:
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
    reason = models.TextField(help_text="Why, for example: a relative works in the service")
    named_users = models.ManyToManyField(User, related_name="restricted_records_open_to")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # That a record is restricted says something about the family's risks.
    data_categories = {
        "person": "risk-issues",
        "reason": "risk-issues",
        "named_users": "risk-issues",
    }

    def __str__(self) -> str:
        return f"Restriction on person {self.person_id}"
