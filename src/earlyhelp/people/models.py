"""People the service knows, the households they live in and how they are related.

Every row has an opaque `public_id` for URLs and logs; the integer primary key
stays internal.
"""

import uuid

from django.db import models


class Person(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True, db_index=True)
    upn = models.CharField("unique pupil number", max_length=13, blank=True, db_index=True)
    telephone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["family_name", "given_name"])]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"


class Address(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    line_1 = models.CharField(max_length=200)
    line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=8, db_index=True)

    def __str__(self) -> str:
        return ", ".join(
            part for part in (self.line_1, self.line_2, self.town, self.postcode) if part
        )


class Household(models.Model):
    """People living at one address as one family unit."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    address = models.ForeignKey(Address, on_delete=models.PROTECT, related_name="households")
    members = models.ManyToManyField(Person, through="HouseholdMember", related_name="households")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Household {self.public_id}"


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE)
    person = models.ForeignKey(Person, on_delete=models.CASCADE)
    joined_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["household", "person"], name="one_membership_per_household"
            )
        ]

    def __str__(self) -> str:
        return f"Member {self.person_id} of household {self.household_id}"


class Relationship(models.Model):
    """`person` is `kind` of `relative`: "Amira is the parent of Yusuf".

    Relatives may live in the household or elsewhere; which, follows from the
    households each belongs to.
    """

    class Kind(models.TextChoices):
        PARENT = "parent", "Parent"
        STEP_PARENT = "step_parent", "Step-parent"
        SIBLING = "sibling", "Sibling"
        HALF_SIBLING = "half_sibling", "Half-sibling"
        GRANDPARENT = "grandparent", "Grandparent"
        AUNT_UNCLE = "aunt_uncle", "Aunt or uncle"
        CARER = "carer", "Carer"
        PARTNER = "partner", "Partner"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    relative = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relative_of")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    has_parental_responsibility = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "relative", "kind"], name="one_relationship_of_a_kind"
            ),
            models.CheckConstraint(
                condition=~models.Q(person=models.F("relative")), name="not_related_to_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} is {self.get_kind_display().lower()} of {self.relative}"
