"""People the service knows, where they live, how they are related, and what is recorded about them.

Every model says which data category of the policy each of its fields belongs to
(`data_categories`); tests/people/test_field_classification.py fails for a field
without one. Special category and criminal offence fields are EncryptedTextField.
Every row has an opaque `public_id` for URLs; integer keys stay internal.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from earlyhelp.encryption import EncryptedTextField
from earlyhelp.people import choices


class Recorded(models.Model):
    """A fact as recorded: where it came from, and who recorded it when."""

    source = models.CharField(max_length=30, choices=choices.Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class NameKeys:
    """Keeps the search keys of a model's given and family names up to date: its own
    phonetic keys, and the person's rows in the name index."""

    def save(self, *args, **kwargs) -> None:
        from earlyhelp.people.matching import set_name_keys  # matching imports these models
        from earlyhelp.people.name_index import index_names

        set_name_keys(self)
        super().save(*args, **kwargs)
        fields = kwargs.get("update_fields")
        if fields is None or {"given_name", "family_name"} & set(fields):
            index_names([getattr(self, "person_id", None) or self.pk])

    def delete(self, *args, **kwargs):
        from earlyhelp.people.name_index import index_names

        person_id = getattr(self, "person_id", None)
        deleted = super().delete(*args, **kwargs)
        if person_id is not None:  # a former name gone; a person's rows go with them
            index_names([person_id])
        return deleted


class Person(NameKeys, models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True, db_index=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, db_index=True)
    upn = models.CharField("unique pupil number", max_length=13, blank=True, db_index=True)
    # Phonetic keys of the current name, kept by people.matching for fuzzy search.
    given_key = models.CharField(max_length=32, blank=True, db_index=True)
    family_key = models.CharField(max_length=32, blank=True, db_index=True)
    # Indexed only where set (see Meta): almost every person has none, and a plain index
    # on it tempts a planner without statistics to read every live person through it.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_records",
        db_index=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    data_categories = {
        "given_name": "identity-and-contact",
        "family_name": "identity-and-contact",
        "date_of_birth": "identity-and-contact",
        "nhs_number": "identity-and-contact",
        "upn": "identity-and-contact",
        "given_key": "identity-and-contact",
        "family_key": "identity-and-contact",
        "merged_into": "identity-and-contact",
    }

    class Meta:
        indexes = [
            models.Index(fields=["family_key", "given_key"]),
            models.Index(
                fields=["merged_into"],
                name="people_person_merged_into",
                condition=models.Q(merged_into__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, day) -> int | None:
        born = self.date_of_birth
        if born is None:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class PersonName(NameKeys, Recorded):
    """A name the person was known by before, or is also known by."""

    class Kind(models.TextChoices):
        FORMER = "former", "Former name"
        ALIAS = "alias", "Also known as"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_names")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FORMER)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    used_until = models.DateField(null=True, blank=True)
    given_key = models.CharField(max_length=32, blank=True, db_index=True)
    family_key = models.CharField(max_length=32, blank=True, db_index=True)

    data_categories = {
        "person": "identity-and-contact",
        "kind": "identity-and-contact",
        "given_name": "identity-and-contact",
        "family_name": "identity-and-contact",
        "used_until": "identity-and-contact",
        "given_key": "identity-and-contact",
        "family_key": "identity-and-contact",
    }

    class Meta:
        indexes = [models.Index(fields=["family_key", "given_key"])]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name} ({self.get_kind_display().lower()})"


class NameKey(models.Model):
    """One search key of a name the person is or was known by (people.name_index keeps
    them in step with Person and PersonName; people.matching says what a key is)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=64)

    data_categories = {
        "person": "identity-and-contact",
        "key": "identity-and-contact",
    }

    class Meta:
        # Covers the lookup: key IN (...) gives person ids without reading the table.
        indexes = [models.Index(fields=["key", "person"])]

    def __str__(self) -> str:
        return f"Search key of person {self.person_id}"


class Address(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    line_1 = models.CharField(max_length=200)
    line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=8, db_index=True)

    data_categories = {
        "line_1": "identity-and-contact",
        "line_2": "identity-and-contact",
        "town": "identity-and-contact",
        "postcode": "identity-and-contact",
    }

    def __str__(self) -> str:
        return ", ".join(p for p in (self.line_1, self.line_2, self.town, self.postcode) if p)


class PersonAddress(Recorded):
    """Where a person lived, and when: their address history."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    address = models.ForeignKey(Address, on_delete=models.PROTECT, related_name="residents")
    moved_in = models.DateField(null=True, blank=True)
    moved_out = models.DateField(null=True, blank=True)

    data_categories = {
        "person": "identity-and-contact",
        "address": "identity-and-contact",
        "moved_in": "identity-and-contact",
        "moved_out": "identity-and-contact",
    }

    class Meta:
        ordering = ["-moved_in"]

    def __str__(self) -> str:
        return f"{self.address} from {self.moved_in}"


class ContactMethod(Recorded):
    class Kind(models.TextChoices):
        TELEPHONE = "telephone", "Telephone"
        EMAIL = "email", "Email"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contact_methods")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(max_length=254)
    label = models.CharField(max_length=50, blank=True, help_text="For example: mobile, work")

    data_categories = {
        "person": "identity-and-contact",
        "kind": "identity-and-contact",
        "value": "identity-and-contact",
        "label": "identity-and-contact",
    }

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class HouseholdMemberQuerySet(models.QuerySet):
    def current(self) -> "HouseholdMemberQuerySet":
        """Memberships of people who live in the household now: they have not left it."""
        return self.filter(left_on__isnull=True)


class Household(models.Model):
    """People living at one address as one family unit.

    `members` includes people who have left (their membership has `left_on`): it is the
    household's history. Who lives here now is `current_members()`.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    address = models.ForeignKey(Address, on_delete=models.PROTECT, related_name="households")
    members = models.ManyToManyField(Person, through="HouseholdMember", related_name="households")
    created_at = models.DateTimeField(default=timezone.now)

    data_categories = {"address": "household-members"}

    def __str__(self) -> str:
        return f"Household {self.public_id}"

    def reads_as(self) -> str:
        """The household as a person reads it: "the household at 12 Malden Road, ..."."""
        return f"The household at {self.address}"

    def current_members(self, *, merged: bool = False) -> models.QuerySet["Person"]:
        """The people who live in the household now (none who left it).

        Records merged into another are left out (the kept record is the person), unless
        `merged`: a restriction on any record of a member still closes the household.
        """
        people = Person.objects.filter(
            pk__in=HouseholdMember.objects.current().filter(household=self).values("person_id")
        )
        return people if merged else people.filter(merged_into__isnull=True)


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE)
    person = models.ForeignKey(Person, on_delete=models.CASCADE)
    joined_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)

    objects = HouseholdMemberQuerySet.as_manager()

    data_categories = {
        "household": "household-members",
        "person": "household-members",
        "joined_on": "household-members",
        "left_on": "household-members",
    }

    class Meta:
        # Someone who left may come back (a child home from relatives): a new membership,
        # the ended one kept as the household's history. Only one may be current.
        constraints = [
            models.UniqueConstraint(
                fields=["household", "person"],
                condition=models.Q(left_on__isnull=True),
                name="one_current_membership_per_household",
            )
        ]

    def __str__(self) -> str:
        return f"Member {self.person_id} of household {self.household_id}"


class Relationship(Recorded):
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

    data_categories = {
        "person": "family-relationships",
        "relative": "family-relationships",
        "kind": "family-relationships",
        "has_parental_responsibility": "family-relationships",
    }

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


def with_parental_responsibility(child: Person) -> list[Person]:
    """The people recorded with parental responsibility for `child` (merged-away records
    left out), in the order recorded, wherever they live."""
    return [
        link.person
        for link in Relationship.objects.filter(relative=child, has_parental_responsibility=True)
        .select_related("person")
        .order_by("pk")
        if link.person.merged_into_id is None
    ]


# --- facts about a person: section 3 of the notice ---------------------------------------


class PersonFact(Recorded):
    """A recorded fact about one person. Subclasses add what the fact says."""

    class Meta:
        abstract = True
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} for person {self.person_id}"

    def display_fields(self) -> list[tuple[str, object]]:
        """What the fact says, as (label, value) pairs, for the person page."""
        shown = []
        for field in self._meta.concrete_fields:
            if field.name in {"id", "person", "source", "recorded_by", "recorded_at"}:
                continue
            value = (
                getattr(self, f"get_{field.name}_display")()
                if field.choices
                else getattr(self, field.name)
            )
            if value in ("", None):
                continue
            if isinstance(value, bool):
                value = "Yes" if value else "No"
            shown.append((field.verbose_name.capitalize(), value))
        return shown


class LegalStatus(PersonFact):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="legal_statuses")
    immigration_status = models.CharField(max_length=30, choices=choices.ImmigrationStatus.choices)
    no_recourse_to_public_funds = models.BooleanField(default=False)
    detail = EncryptedTextField(blank=True)

    data_categories = {
        "person": "legal-status",
        "immigration_status": "legal-status",
        "no_recourse_to_public_funds": "legal-status",
        "detail": "legal-status",
    }

    class Meta(PersonFact.Meta):
        verbose_name_plural = "legal statuses"


class HousingSituation(PersonFact):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="housing")
    tenure = models.CharField(max_length=30, choices=choices.HousingTenure.choices)
    needs = EncryptedTextField(blank=True, help_text="Accommodation and housing needs")

    data_categories = {"person": "housing", "tenure": "housing", "needs": "housing"}


class WellbeingAndParenting(PersonFact):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="wellbeing")
    summary = EncryptedTextField()

    data_categories = {"person": "wellbeing-and-parenting", "summary": "wellbeing-and-parenting"}

    class Meta(PersonFact.Meta):
        verbose_name_plural = "wellbeing and parenting"


class SocialCircumstances(PersonFact):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="circumstances")
    summary = EncryptedTextField()

    data_categories = {"person": "social-circumstances", "summary": "social-circumstances"}

    class Meta(PersonFact.Meta):
        verbose_name_plural = "social circumstances"


class Employment(PersonFact):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="employment")
    status = models.CharField(max_length=30, choices=choices.EmploymentStatus.choices)
    detail = EncryptedTextField(blank=True)

    data_categories = {
        "person": "employment-and-education",
        "status": "employment-and-education",
        "detail": "employment-and-education",
    }


class EducationRecord(PersonFact):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="education")
    school = models.CharField(max_length=200)
    academic_year = models.CharField(max_length=9, help_text="For example 2025/26")
    year_group = models.CharField(max_length=20, blank=True)
    progress = models.CharField(max_length=20, choices=choices.Progress.choices, blank=True)
    attendance_percent = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    behaviour = EncryptedTextField(blank=True)

    data_categories = {
        "person": "employment-and-education",
        "school": "employment-and-education",
        "academic_year": "employment-and-education",
        "year_group": "employment-and-education",
        "progress": "educational-progress",
        "attendance_percent": "attendance-exclusions-behaviour",
        "behaviour": "attendance-exclusions-behaviour",
    }


class Exclusion(PersonFact):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="exclusions")
    kind = models.CharField(max_length=20, choices=choices.ExclusionKind.choices)
    start = models.DateField()
    school_days = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = EncryptedTextField(blank=True)

    data_categories = {
        "person": "attendance-exclusions-behaviour",
        "kind": "attendance-exclusions-behaviour",
        "start": "attendance-exclusions-behaviour",
        "school_days": "attendance-exclusions-behaviour",
        "reason": "attendance-exclusions-behaviour",
    }


class Risk(PersonFact):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="risks")
    kind = models.CharField(max_length=30, choices=choices.RiskKind.choices)
    level = models.CharField(max_length=10, choices=choices.RiskLevel.choices)
    description = EncryptedTextField()

    data_categories = {
        "person": "risk-issues",
        "kind": "risk-issues",
        "level": "risk-issues",
        "description": "risk-issues",
    }


class AgencyInvolvement(PersonFact):
    """Services or support from a partner agency, past or current."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="agencies")
    # The agency's name alone can say what the support is for (a drug service, a clinic).
    agency = EncryptedTextField(max_length=200)
    support = EncryptedTextField(help_text="What the agency does or did")
    started = models.DateField(null=True, blank=True)
    ended = models.DateField(null=True, blank=True, help_text="Empty while it continues")

    data_categories = {
        "person": "partner-agency-support",
        "agency": "partner-agency-support",
        "support": "partner-agency-support",
        "started": "partner-agency-support",
        "ended": "partner-agency-support",
    }

    @property
    def current(self) -> bool:
        return self.ended is None


# Special category data: encrypted at rest, shown only with need-to-know.


class HealthCondition(PersonFact):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="health")
    kind = EncryptedTextField(choices=choices.HealthKind.choices)
    description = EncryptedTextField()

    data_categories = {"person": "health", "kind": "health", "description": "health"}


class Ethnicity(PersonFact):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="ethnicity")
    code = EncryptedTextField(choices=choices.EthnicityCode.choices, help_text="DfE code")

    data_categories = {"person": "equality-characteristics", "code": "equality-characteristics"}

    class Meta(PersonFact.Meta):
        verbose_name_plural = "ethnicities"


class Sexuality(PersonFact):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="sexuality")
    value = EncryptedTextField(choices=choices.Sexuality.choices)

    data_categories = {"person": "equality-characteristics", "value": "equality-characteristics"}

    class Meta(PersonFact.Meta):
        verbose_name_plural = "sexualities"


class Gender(PersonFact):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="gender")
    value = EncryptedTextField(choices=choices.Gender.choices)

    data_categories = {"person": "equality-characteristics", "value": "equality-characteristics"}


class Disability(PersonFact):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="disabilities")
    description = EncryptedTextField()

    data_categories = {
        "person": "equality-characteristics",
        "description": "equality-characteristics",
    }

    class Meta(PersonFact.Meta):
        verbose_name_plural = "disabilities"


class SubstanceMisuse(PersonFact):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="substance_misuse")
    substances = EncryptedTextField()
    detail = EncryptedTextField(blank=True)

    data_categories = {
        "person": "substance-misuse",
        "substances": "substance-misuse",
        "detail": "substance-misuse",
    }

    class Meta(PersonFact.Meta):
        verbose_name_plural = "substance misuse"


# Criminal offence data: encrypted at rest.


class OffenceRecord(PersonFact):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="offences")
    status = EncryptedTextField(choices=choices.OffenceStatus.choices)
    offence = EncryptedTextField()
    sentence = EncryptedTextField(blank=True, help_text="Sentence or penalty, if any")
    when = EncryptedTextField(blank=True, help_text="When it happened, as far as is known")

    data_categories = {
        "person": "offences",
        "status": "offences",
        "offence": "offences",
        "sentence": "offences",
        "when": "offences",
    }


class VictimOrPerpetrator(PersonFact):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="victim_records")
    role = EncryptedTextField(choices=choices.OffenceRole.choices)
    standing = EncryptedTextField(choices=choices.Standing.choices)
    detail = EncryptedTextField(blank=True)

    data_categories = {
        "person": "victim-or-perpetrator",
        "role": "victim-or-perpetrator",
        "standing": "victim-or-perpetrator",
        "detail": "victim-or-perpetrator",
    }

    class Meta(PersonFact.Meta):
        verbose_name = "victim or perpetrator record"


class PersonMerge(models.Model):
    """Two records of one person made one: who did it, why, and what moved (to undo it)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_merged")
    reason = EncryptedTextField()  # a reason can name what told them apart
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(default=timezone.now)
    # {"app.Model.field": [pk, ...]}: the rows re-pointed from `merged` to `kept`.
    moved = models.JSONField(default=dict)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    data_categories = {
        "kept": "identity-and-contact",
        "merged": "identity-and-contact",
        "reason": "identity-and-contact",
        "moved": "identity-and-contact",
    }

    def __str__(self) -> str:
        return f"Merge {self.public_id}"
