"""Cases (episodes of work with a family) and what is done in them.

A case belongs to a service of the policy (`service` is a service or
sub-service id there). Field categories are declared as in people.models.

Free text (the reason for involvement, assessments, plan goals, contact notes) is
encrypted at rest: practitioners write health and offence details into it whatever
the field's category, so it is stored as the special category fields are.
"""

import secrets
import unicodedata
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from earlyhelp.cases import choices
from earlyhelp.encryption import EncryptedTextField
from earlyhelp.lib.words import day_words
from earlyhelp.people.models import Household, Person


def team_name_key(name: str) -> str:
    """What makes two team names the same: their spaces, case and Unicode form aside
    ("Équipe" composed or decomposed, fullwidth letters and ordinary ones)."""
    return unicodedata.normalize("NFKC", " ".join(name.split())).casefold()


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    # team_name_key(name), unique: two names that read the same are refused by the
    # database too, however close together they are sent. Null for rows written in bulk.
    name_key = models.CharField(  # noqa: DJ001 - NULLs do not clash; "" would
        max_length=100, unique=True, null=True, editable=False
    )
    service = models.CharField(max_length=60, help_text="Service id in the policy")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teams", blank=True)

    family_data = False  # staff and their teams

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_key = team_name_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)


# A case reference people quote to each other (a case conference, a referral): no 0/O or
# 1/I/L to misread on the phone, as a rights request's (rights.models).
CASE_REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_case_reference() -> str:
    """ "C-" and 8 random characters: "C-7KQ2-M9XD". Made when the case is, so rows written
    in bulk get one too; it says nothing about the family or the service."""
    chars = "".join(secrets.choice(CASE_REFERENCE_ALPHABET) for _ in range(8))
    return f"C-{chars[:4]}-{chars[4:]}"


class Case(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(
        max_length=12, unique=True, default=new_case_reference, editable=False
    )
    service = models.CharField(max_length=60, help_text="Service or sub-service id in the policy")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    people = models.ManyToManyField(Person, through="CaseMember", related_name="cases")
    reason = EncryptedTextField("reason for involvement")
    started = models.DateField(default=timezone.localdate)
    ended = models.DateField(null=True, blank=True)
    # A closure reason of the policy (`casework.closure_reasons`), set when a manager signs
    # the closure off.
    closure_reason = models.CharField(max_length=40, blank=True)
    # Stepping up to children's social care: the date of the referral (a disclosure).
    referred_to_social_care_on = models.DateField(null=True, blank=True)
    allocated_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocated_cases",
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cases")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    data_categories = {
        "reference": "reports-and-plans",
        "service": "reports-and-plans",
        "household": "household-members",
        "reason": "reports-and-plans",
        "started": "reports-and-plans",
        "ended": "reports-and-plans",
        "closure_reason": "reports-and-plans",
        "referred_to_social_care_on": "reports-and-plans",
        "allocated_worker": "reports-and-plans",
        "team": "reports-and-plans",
    }

    class Meta:
        indexes = [models.Index(fields=["household", "started"])]

    def __str__(self) -> str:
        return f"Case {self.public_id}"

    def reads_as(self) -> str:
        """The case as a person reads it: "Family Support case opened 1 September 2026"."""
        return f"{choices.service_name(self.service)} case opened {day_words(self.started)}"

    @property
    def is_open(self) -> bool:
        return self.ended is None


class CaseMember(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="case_memberships")
    role = models.CharField(max_length=10, choices=choices.CaseRole.choices)

    data_categories = {
        "case": "reports-and-plans",
        "person": "reports-and-plans",
        "role": "reports-and-plans",
    }

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="one_membership_per_case")
        ]

    def __str__(self) -> str:
        return f"Person {self.person_id} on case {self.case_id}"


class Allocation(models.Model):
    """One allocation of a case, kept as history: to whom (no one, when a manager takes a
    case back), by whom, why and when; `seen_at` is when the worker first opened it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="allocations")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocations",
    )
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    allocated_at = models.DateTimeField(default=timezone.now)
    # Reasons name the family's circumstances ("worker knows the older sibling").
    reason = EncryptedTextField()
    seen_at = models.DateTimeField(null=True, blank=True)

    data_categories = {
        "case": "reports-and-plans",
        "worker": "reports-and-plans",
        "allocated_by": "reports-and-plans",
        "allocated_at": "reports-and-plans",
        "reason": "reports-and-plans",
        "seen_at": "reports-and-plans",
    }

    class Meta:
        indexes = [models.Index(fields=["worker", "seen_at"])]

    def __str__(self) -> str:
        return f"Allocation {self.public_id}"


class CaseRecord(models.Model):
    """Something done on a case, by a member of staff."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.public_id}"


class Assessment(CaseRecord):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(max_length=20, choices=choices.AssessmentKind.choices)
    started = models.DateField()
    completed = models.DateField(null=True, blank=True)
    family_views = EncryptedTextField(blank=True, help_text="What the family say and want")
    # The notice (section 4): "encourage and take into account your child's views, wishes
    # and feelings". In the child's own words, apart from the family's.
    child_views = EncryptedTextField(blank=True, help_text="The child's views, wishes and feelings")
    took_part = EncryptedTextField(blank=True, help_text="Who took part: family and professionals")
    strengths = EncryptedTextField(blank=True)
    needs = EncryptedTextField(blank=True)
    summary = EncryptedTextField(blank=True)
    # The family's agreement to work together on the assessment. It is not the lawful basis
    # for the processing, which the notice (section 12) says is not consent.
    family_agreed = models.BooleanField(null=True, blank=True)
    family_agreed_on = models.DateField(null=True, blank=True)
    reviews = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_assessments",
        help_text="For a review assessment: the assessment it reviews",
    )

    data_categories = {
        "case": "reports-and-plans",
        "kind": "reports-and-plans",
        "started": "reports-and-plans",
        "completed": "reports-and-plans",
        "family_views": "reports-and-plans",
        "child_views": "reports-and-plans",
        "took_part": "reports-and-plans",
        "strengths": "reports-and-plans",
        "needs": "reports-and-plans",
        "summary": "reports-and-plans",
        "family_agreed": "reports-and-plans",
        "family_agreed_on": "reports-and-plans",
        "reviews": "reports-and-plans",
    }


class Need(models.Model):
    """A need an assessment found, in one area, classed against a headline outcome of the
    policy (`casework.headline_outcomes`)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="found_needs")
    outcome = models.CharField(max_length=60, help_text="Headline outcome id in the policy")
    description = EncryptedTextField()

    data_categories = {
        "assessment": "reports-and-plans",
        "outcome": "reports-and-plans",
        "description": "reports-and-plans",
    }

    def __str__(self) -> str:
        return f"Need {self.public_id}"


class Plan(CaseRecord):
    """The Team Around the Family plan: goals, who does what, when it is reviewed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plans")
    agreed = models.DateField()
    review_date = models.DateField()

    data_categories = {
        "case": "reports-and-plans",
        "agreed": "reports-and-plans",
        "review_date": "reports-and-plans",
    }

    def reads_as(self) -> str:
        return f"Plan agreed {day_words(self.agreed)}"


class PlanGoal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    need = models.ForeignKey(
        Need, on_delete=models.PROTECT, null=True, blank=True, related_name="goals"
    )
    goal = EncryptedTextField()
    # Free text of who does what, as plans made before PlanAction were written.
    actions = EncryptedTextField(blank=True, help_text="Who does what")
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=choices.GoalStatus.choices, default=choices.GoalStatus.NOT_STARTED
    )

    data_categories = {
        "plan": "reports-and-plans",
        "need": "reports-and-plans",
        "goal": "reports-and-plans",
        "actions": "reports-and-plans",
        "target_date": "reports-and-plans",
        "status": "reports-and-plans",
    }

    def __str__(self) -> str:
        return f"Goal {self.pk} of plan {self.plan_id}"


class PlanAction(models.Model):
    """Who does what by when, towards a goal of the plan."""

    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="plan_actions")
    action = EncryptedTextField()
    # A family member, a professional or an agency, as the plan names them.
    who = EncryptedTextField()
    by_when = models.DateField(null=True, blank=True)

    data_categories = {
        "goal": "reports-and-plans",
        "action": "reports-and-plans",
        "who": "reports-and-plans",
        "by_when": "reports-and-plans",
    }

    def __str__(self) -> str:
        return f"Action {self.pk} of goal {self.goal_id}"


class PlanReview(models.Model):
    """A review of the plan: progress on each goal, and the date of the next review."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    next_review = models.DateField(null=True, blank=True)
    summary = EncryptedTextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    data_categories = {
        "plan": "reports-and-plans",
        "reviewed_on": "reports-and-plans",
        "next_review": "reports-and-plans",
        "summary": "reports-and-plans",
    }

    def __str__(self) -> str:
        return f"Review {self.public_id}"


class GoalProgress(models.Model):
    """A goal's progress as a review found it."""

    review = models.ForeignKey(PlanReview, on_delete=models.CASCADE, related_name="progress")
    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(max_length=20, choices=choices.GoalStatus.choices)
    comment = EncryptedTextField(blank=True)

    data_categories = {
        "review": "reports-and-plans",
        "goal": "reports-and-plans",
        "status": "reports-and-plans",
        "comment": "reports-and-plans",
    }

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "goal"], name="one_progress_a_goal_a_review")
        ]

    def __str__(self) -> str:
        return f"Progress of goal {self.goal_id} at review {self.review_id}"


class Contact(CaseRecord):
    """A home visit, call, meeting or session with the family, and its note."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=20, choices=choices.ContactKind.choices)
    occurred_at = models.DateTimeField()
    note = EncryptedTextField()
    people_present = models.ManyToManyField(Person, blank=True, related_name="contacts")

    data_categories = {
        "case": "call-and-meeting-records",
        "kind": "call-and-meeting-records",
        "occurred_at": "call-and-meeting-records",
        "note": "call-and-meeting-records",
        "people_present": "call-and-meeting-records",
    }

    class Meta:
        indexes = [models.Index(fields=["case", "-occurred_at"])]


class Document(CaseRecord):
    """A file sent to or made by the service; its bytes live outside the database."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    kind = models.CharField(max_length=20, choices=choices.DocumentKind.choices)
    # Titles name people and conditions ("GP letter about her asthma").
    title = EncryptedTextField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)

    data_categories = {
        "case": "documents",
        "person": "documents",
        "kind": "documents",
        "title": "documents",
        "content_type": "documents",
        "size": "documents",
        "sha256": "documents",
    }


class GroupSession(models.Model):
    """A stay and play, youth project or parenting programme session."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.CharField(max_length=60, help_text="Service or sub-service id in the policy")
    kind = models.CharField(max_length=30, choices=choices.SessionKind.choices)
    title = models.CharField(max_length=200)
    venue = models.CharField(max_length=200)
    held_on = models.DateField(db_index=True)
    run_by = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="sessions_run"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    family_data = False  # a session is about the service, not a person

    def __str__(self) -> str:
        return f"{self.title} on {self.held_on}"


class Attendance(models.Model):
    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(
        max_length=12,
        choices=choices.AttendanceStatus.choices,
        default=choices.AttendanceStatus.ATTENDED,
    )
    # Came without being on the list of expected attendees.
    walk_in = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    # The notice names "attendance on youth projects"; attendance at stay and play and
    # parenting sessions is the same kind of record, so it is classed with it.
    data_categories = {
        "session": "youth-project-attendance",
        "person": "youth-project-attendance",
        "status": "youth-project-attendance",
        "walk_in": "youth-project-attendance",
    }

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="one_attendance_a_session")
        ]

    def __str__(self) -> str:
        return f"Person {self.person_id} at session {self.session_id}"


class ClosureRequest(models.Model):
    """A worker's request to close a case, for a manager of its team to sign off (approve)
    or return with a comment. Approval closes the case; the request stays as history."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="closure_requests")
    reason = models.CharField(max_length=40, help_text="Closure reason id in the policy")
    summary = EncryptedTextField()
    closing_on = models.DateField()
    referred_to_social_care_on = models.DateField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(
        max_length=10,
        choices=choices.ClosureDecision.choices,
        default=choices.ClosureDecision.AWAITING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    manager_comment = EncryptedTextField(blank=True)

    data_categories = {
        "case": "reports-and-plans",
        "reason": "reports-and-plans",
        "summary": "reports-and-plans",
        "closing_on": "reports-and-plans",
        "referred_to_social_care_on": "reports-and-plans",
        "requested_by": "reports-and-plans",
        "requested_at": "reports-and-plans",
        "decision": "reports-and-plans",
        "decided_by": "reports-and-plans",
        "decided_at": "reports-and-plans",
        "manager_comment": "reports-and-plans",
    }

    class Meta:
        indexes = [models.Index(fields=["decision", "case"])]

    def __str__(self) -> str:
        return f"Closure request {self.public_id}"


class NeedOutcome(models.Model):
    """At closure, per need: whether its outcome was achieved and sustained, with evidence.
    These are the figures the service's outcome reports count."""

    closure = models.ForeignKey(ClosureRequest, on_delete=models.CASCADE, related_name="outcomes")
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="closure_outcomes")
    achieved = models.BooleanField()
    sustained = models.BooleanField()
    evidence = EncryptedTextField()

    data_categories = {
        "closure": "reports-and-plans",
        "need": "reports-and-plans",
        "achieved": "reports-and-plans",
        "sustained": "reports-and-plans",
        "evidence": "reports-and-plans",
    }

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["closure", "need"], name="one_outcome_a_need_a_closure")
        ]

    def __str__(self) -> str:
        return f"Outcome of need {self.need_id} at closure {self.closure_id}"


class Reopening(models.Model):
    """A closed case opened again, with the reason and what its closure had been."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reopenings")
    reason = EncryptedTextField()
    was_ended = models.DateField()
    was_closure_reason = models.CharField(max_length=40, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reopened_at = models.DateTimeField(default=timezone.now)

    data_categories = {
        "case": "reports-and-plans",
        "reason": "reports-and-plans",
        "was_ended": "reports-and-plans",
        "was_closure_reason": "reports-and-plans",
        "reopened_by": "reports-and-plans",
        "reopened_at": "reports-and-plans",
    }

    def __str__(self) -> str:
        return f"Reopening {self.public_id}"


class CaseNote(CaseRecord):
    """A note on a case: a worker's case note, or a manager's supervision or oversight note.

    `special_category` marks a note that holds special category information (health,
    ethnicity, sexuality...): it is then shown only to those who may see a person's special
    category facts (access.rules.may_see_sensitive), and a page's look records the policy's
    special category categories only when it shows one (cases.case_notes).
    """

    class Kind(models.TextChoices):
        CASE_NOTE = "case_note", "Case note"
        SUPERVISION = "supervision", "Supervision note"
        OVERSIGHT = "oversight", "Management oversight"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    note = EncryptedTextField()
    special_category = models.BooleanField(default=False)

    data_categories = {
        "case": "reports-and-plans",
        "kind": "reports-and-plans",
        "note": "reports-and-plans",
        "special_category": "reports-and-plans",
    }

    class Meta:
        indexes = [models.Index(fields=["case", "-recorded_at"])]


class Correction(models.Model):
    """A record entered wrongly, corrected or struck out, with the version before it kept.

    The record is a contact (cases.Contact), a fact about a person, an address
    (people.PersonAddress and its Address) or a relationship (people.Relationship), named by
    its model's label and key. `before` is what the record said (JSON of its fields) before
    this change; `after` what it says after a correction (empty when struck out). A
    struck-out record stays, shown "Struck out: <reason>" and left out of counts; nothing is
    deleted or overwritten without its earlier version kept here. Rectification (a later
    issue) builds on these rows: every version of a record is its corrections in order.

    `before` and `after` hold whatever the record held (a health fact, say); a page that
    shows them records the record's own categories as well (cases.corrections).
    """

    class Action(models.TextChoices):
        CORRECTED = "corrected", "Corrected"
        STRUCK_OUT = "struck_out", "Struck out"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    record_label = models.CharField(max_length=60)  # "cases.Contact", "people.Risk", ...
    record_pk = models.BigIntegerField()
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="corrections"
    )
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="corrections"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    before = EncryptedTextField()
    after = EncryptedTextField(blank=True)
    reason = EncryptedTextField()
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    corrected_at = models.DateTimeField(default=timezone.now)

    data_categories = {
        "record_label": "reports-and-plans",
        "record_pk": "reports-and-plans",
        "person": "reports-and-plans",
        "case": "reports-and-plans",
        "action": "reports-and-plans",
        "before": "reports-and-plans",
        "after": "reports-and-plans",
        "reason": "reports-and-plans",
        "corrected_by": "reports-and-plans",
        "corrected_at": "reports-and-plans",
    }

    class Meta:
        indexes = [models.Index(fields=["record_label", "record_pk"])]

    def __str__(self) -> str:
        return f"Correction {self.public_id}"
