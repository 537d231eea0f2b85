"""The shape of a policy file.

These models say what a policy file may contain; they check shape only (types, allowed
values, required keys, no unknown keys). Rules that look across the file — a purpose that
uses special category data needs an Article 9 condition, an agreement may only name declared
categories, and so on — are checked by ``loader.validate_policy``.

Ids are kebab-case strings. Fixed vocabularies (kinds of data, lawful bases, transformation
rules ...) are ``Literal`` values in snake_case.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Email = Annotated[str, StringConstraints(pattern=EMAIL_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1)]
# ISO 3166-1 alpha-2: two capital letters ("GB", "FR").
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]

DataKind = Literal["personal", "special_category", "criminal_offence"]
SourceType = Literal[
    "family",
    "carer",
    "child",
    "gp",
    "school_nurse",
    "health_professional",
    "police",
    "school",
    "other_agency",
    "council_service",
    "council_staff",
]
DataSubject = Literal[
    "child",
    "young_person",
    "parent_or_carer",
    "household_member",
    "relative_outside_household",
]
Article6Basis = Literal["6(1)(a)", "6(1)(b)", "6(1)(c)", "6(1)(d)", "6(1)(e)", "6(1)(f)"]
Article9Condition = Literal[
    "9(2)(a)",
    "9(2)(b)",
    "9(2)(c)",
    "9(2)(d)",
    "9(2)(e)",
    "9(2)(f)",
    "9(2)(g)",
    "9(2)(h)",
    "9(2)(i)",
    "9(2)(j)",
]
Article10Route = Literal["official_authority", "schedule_1_condition"]
RecipientKind = Literal[
    "council_service",
    "commissioned_service",
    "health",
    "education",
    "criminal_justice",
    "specialist_service",
    "voluntary_sector",
    "other_public_body",
    "regulator",
    "central_government",
    "data_platform",
    "other_parents",
]
FieldRule = Literal[
    "drop", "keyed_pseudonym", "date_to_month", "postcode_to_district", "age_band", "keep"
]
# Who a project's cohort takes from a case: the children it is about, or its family members.
CohortRole = Literal["child", "family"]
AssessmentKind = Literal["early_help", "review", "developmental", "youth_justice"]
RetentionSubject = Literal["child", "adult", "nursery_media"]
# The date a retention period runs from (its anchor): a child's date of birth, the last
# involvement with the person, the closure of their case, the withdrawal of a consent, the
# date of an extract that left.
RetentionTrigger = Literal[
    "date_of_birth", "last_involvement", "case_closure", "consent_withdrawn", "extract_date"
]
# A staff role (access.roles.Role values), as the policy names who may do something.
StaffRole = Literal[
    "practitioner", "team-manager", "information-governance", "analyst", "system-administrator"
]
StorageKind = Literal[
    "case_recording", "national_system", "file_storage", "office_software", "nursery_management"
]
Region = Literal["UK", "EU", "EEA"]
ClockEvent = Literal["receipt", "identity_confirmed", "clarified", "fee_paid"]
# The law a request is answered under: UK GDPR Articles 12 and 12A, or DPA 2018 Part 3
# (section 54) for records processed for law enforcement (Youth Justice).
RequestRegime = Literal["uk-gdpr", "law-enforcement"]
RightKind = Literal[
    "informed",
    "access",
    "rectification",
    "erasure",
    "restriction",
    "portability",
    "object",
    "withdraw_consent",
]


class Model(BaseModel):
    """Base for every policy model: unknown keys are errors and values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Link(Model):
    """A web link as the notice shows it; ``url`` is absent where the source lost it."""

    label: Text
    url: str | None = None


class Controller(Model):
    name: Text
    address: list[Text] = Field(min_length=1)
    postcode: Text
    website: Text


class DataProtectionOfficer(Model):
    name: Text
    role: Text
    email: Email
    contact_link: Link | None = None


class Ico(Model):
    """The supervisory authority and the routes the notice gives for complaining to it."""

    name: Text
    phone: Text
    live_chat: Text
    webform: Text
    website: Text
    free_of_charge: bool


class ComplaintHandling(Model):
    """How the council must handle a complaint about its use of personal data (DPA 2018
    s.164A): a form that can be completed electronically, an acknowledgement within a number
    of days of receipt, and the outcome without undue delay. Complaints received before
    ``in_force_from`` have no statutory acknowledgement date."""

    law: Text
    in_force_from: date
    acknowledge_within_days: int = Field(ge=1, le=365)
    outcome: Text


class Complaints(Model):
    contact_us_first: Email
    ico: Ico
    handling: ComplaintHandling | None = None


class Introduction(Model):
    aim: Text
    activities: list[Text] = Field(min_length=1)
    use: Text


class SubService(Model):
    id: Id
    name: Text
    # Categories that a case with this service discloses by existing (a substance misuse
    # service's case says something about health): its name is not shown to people who
    # may not open the case.
    reveals: list[Id] = []


class Service(Model):
    id: Id
    name: Text
    short_name: str | None = None
    sub_services: list[SubService] = []


class DataCategory(Model):
    """A category of information from section 3.

    ``catch_all`` marks the notice's "other information as individual circumstances
    require": it exists because the notice says so, but it names nothing specific.
    """

    id: Id
    kind: DataKind
    wording: Text
    sources: list[SourceType] = Field(min_length=1)
    catch_all: bool = False


class Schedule1Condition(Model):
    """A condition in Schedule 1 to the Data Protection Act 2018."""

    id: Id
    part: Literal[1, 2, 3]
    paragraph: int = Field(ge=1)
    title: Text


class Article9Basis(Model):
    condition: Article9Condition
    schedule_1: list[Id] = []


class Article10Basis(Model):
    route: Article10Route
    schedule_1: list[Id] = []
    explanation: Text


class LawfulBasis(Model):
    """The lawful basis of a purpose, per kind of data."""

    article_6: list[Article6Basis] = Field(min_length=1)
    article_9: list[Article9Basis] = []
    article_10: Article10Basis | None = None


class LawCitation(Model):
    """A law a purpose relies on; a bare id in the file cites every section the law lists."""

    law: Id
    sections: list[Text] = []

    @model_validator(mode="before")
    @classmethod
    def _bare_id(cls, value: Any) -> Any:
        return {"law": value} if isinstance(value, str) else value


class Purpose(Model):
    id: Id
    wording: Text
    consent_based: bool
    categories: list[Id] = Field(min_length=1)
    data_subjects: list[DataSubject] = Field(min_length=1)
    lawful_basis: LawfulBasis
    laws: list[LawCitation] = []
    retention_rules: list[Id] = []


class Law(Model):
    id: Id
    title: Text
    sections: list[Text] = []
    other_provisions: list[Text] = []


class Recipient(Model):
    """A recipient group. ``in_sharing_list`` is false for those named only under a project."""

    id: Id
    name: Text
    kind: RecipientKind
    wording: Text
    examples: list[Text] = []
    in_sharing_list: bool


class NotificationExemption(Model):
    """A case in which the family need not be told that data is shared."""

    id: Id
    wording: Text


class DataMatching(Model):
    purpose: Id
    wording: Text
    more_information: Link


class PartnerRequestBasis(Model):
    """A legal basis a partner may claim when asking the council for a person's information
    (notice section 5: information "may also be requested from other parties", and partners
    ask the council in turn): the law it rests on, whether the requester's own form
    reference is needed, and whether an information governance officer or team manager must
    agree it applies before anything is shared in answer."""

    id: Id
    name: Text  # "Crime and taxation"
    law: Text  # "Data Protection Act 2018 Schedule 2 paragraph 2"
    needs_form_reference: bool
    needs_approval: bool


class PartnerRequests(Model):
    """Requests for information received from partners: how long the council takes to
    answer (``days``: working days in ``bank_holidays``' calendar, or calendar days), who
    may approve where a basis needs it, and the bases a requester may claim."""

    answer_within_days: int = Field(ge=1, le=365)
    days: Literal["working", "calendar"]
    bank_holidays: BankHolidayCalendar
    approvers: list[Literal["information_governance", "team_manager"]] = Field(min_length=1)
    bases: list[PartnerRequestBasis] = Field(min_length=1)

    def basis(self, basis_id: str) -> PartnerRequestBasis | None:
        return next((b for b in self.bases if b.id == basis_id), None)


class DutyToShare(Model):
    """The duty on safeguarding partners and relevant agencies to share information relevant
    to a child's safeguarding or welfare unless sharing would be more detrimental to the
    child (Children Act 2004 s.16LA). From ``in_force_from`` a decision not to share
    information about a child must give that reason (``reason_words``)."""

    law: Text
    in_force_from: date
    reason_words: Text


class ChildIdentifier(Model):
    """The consistent identifier for children (Children Act 2004 s.16LC: the NHS number):
    every disclosure about a child carries it where known and records when it was not.
    ``in_letter`` and ``in_package``: whether the letter to the family and the package the
    recipient receives name it."""

    name: Text
    law: Text
    in_letter: bool
    in_package: bool
    not_known_words: Text


class DisclosurePackage(Model):
    """How a disclosure leaves as a protected package (packages app): how long the
    recipient's download link works, and what the recipient is told about the password."""

    link_expires_hours: int = Field(ge=1, le=24 * 31)
    password_words: Text


class StepUp(Model):
    """Stepping a case up to children's social care is a disclosure (issue 17, item 3): to
    this recipient, for this purpose, sent this way (how the referral reaches it)."""

    recipient: Id
    purpose: Id
    method: Literal["secure_email", "partner_portal", "in_person"]
    # The ground on which the referral goes ahead for a member of the case whose processing
    # is restricted by a rights request (UK GDPR Article 18(2): processing for the protection
    # of the rights of another natural person), in words; the manager signing the step-up off
    # gives the reason for that person. None: a restricted member stops the step-up until the
    # restriction is lifted.
    while_restricted: Text | None = None


class Sharing(Model):
    """Section 5a: how and when the council shares."""

    principles: list[Text] = Field(min_length=1)
    may_request_from_other_parties: bool
    tell_family_where_possible: bool
    exemptions: list[NotificationExemption] = []
    data_matching: DataMatching | None = None
    agreements_register: Link
    partner_requests: PartnerRequests | None = None
    duty_to_share: DutyToShare | None = None
    child_identifier: ChildIdentifier | None = None
    # A safeguarding emergency may share first; a team manager's approval is recorded
    # within this many hours (None: no emergency route).
    emergency_approval_within_hours: int | None = Field(default=None, ge=1, le=24 * 14)
    # A disclosure sent as a protected package (None: no disclosure leaves that way).
    package: DisclosurePackage | None = None
    # A step-up to children's social care recorded as a disclosure (None: not recorded).
    step_up: StepUp | None = None


class Agreement(Model):
    """A data-sharing agreement; dates are inclusive and ``valid_to`` absent means open-ended."""

    id: Id
    name: Text
    recipient: Id
    purposes: list[Id] = Field(min_length=1)
    categories: list[Id] = Field(min_length=1)
    valid_from: date
    valid_to: date | None = None
    family_told_by_default: bool
    exemptions: list[Id] = []


class Period(Model):
    years: int = Field(default=0, ge=0)
    months: int = Field(default=0, ge=0)
    days: int = Field(default=0, ge=0)


class ProjectField(Model):
    """One field of a pseudonymised dataset and how it is transformed before it leaves."""

    name: Id
    category: Id
    rule: FieldRule
    age_bands: list[int] = []
    # Length of a keyed pseudonym in hex digits: 16 give 64 bits, so that ten million
    # people share an ID with a chance of about 1 in 400,000.
    pseudonym_hex_digits: int | None = Field(default=None, ge=8, le=64)


class Cohort(Model):
    """Who a project's extract is about, chosen from the case records."""

    case_roles: list[CohortRole] = Field(min_length=1)
    # Only cases with an assessment of one of these kinds; empty: every case.
    assessment_kinds: list[AssessmentKind] = []
    # Only cases of these services or sub-services; empty: every service.
    services: list[Id] = []
    # Only cases open on some day within this period before the extract date; unset: ever.
    open_within: Period | None = None


class PseudonymisationExample(Model):
    before: Text
    after: Text


class Project(Model):
    """A pseudonymised data project. Fields not listed are never extracted."""

    id: Id
    name: Text
    recipient: Id
    agreement: Id | None = None
    purposes: list[Id] = Field(min_length=1)
    description: Text
    scope: str | None = None
    collected_by: str | None = None
    transfer_route: str | None = None
    outputs: str | None = None
    start: date
    end: date | None = None
    pseudonymised: bool
    cohort: Cohort
    fields: list[ProjectField] = Field(min_length=1)
    objection_honoured: bool
    objection_contact: Email | None = None
    recipient_retention: Period | None = None
    # How long the files of an extract run from the screen are held on the server,
    # encrypted, for the analyst to download; then deleted. Unset: the screen does not run
    # the project's extract (the command still does, into a folder the analyst names).
    held_on_server_for: Period | None = None
    # None: the notice says nothing either way.
    no_automated_decisions: bool | None = None
    other_conditions: list[Text] = []
    example: PseudonymisationExample | None = None
    more_information: str | None = None


class SmallNumberSuppression(Model):
    """Counts from ``min_count`` to ``max_count`` inclusive are suppressed in outputs."""

    min_count: int = Field(ge=0)
    max_count: int = Field(ge=0)
    rationale: Text


class Statistics(Model):
    small_number_suppression: SmallNumberSuppression


class RetentionRule(Model):
    """How long records about a kind of subject are kept, from which date.

    A rule with no condition is the default for its subject (the notice's rules). A rule
    with a condition applies only to people it matches, on top of the default: the longest
    date wins. Conditions: a case of one of `services` (youth justice), or a case referred
    to children's social care (child protection practice keeps those far longer).
    """

    id: Id
    subject: RetentionSubject
    trigger: RetentionTrigger
    period: Period
    statutory: bool
    services: list[Id] = []
    referred_to_social_care: bool = False
    # Why the rule exists, for the IG officer's pages (a statute, guidance, the council's
    # schedule); the notice states the rule itself.
    source: str | None = None

    @property
    def conditional(self) -> bool:
        return bool(self.services) or self.referred_to_social_care


class HeadlineOutcome(Model):
    """One of the outcomes a family's needs are classed against (Supporting Families
    Programme Guidance 2022 to 2025, "National Supporting Families Outcome Framework":
    ten headline outcomes)."""

    id: Id
    name: Text


class ClosureReason(Model):
    """A reason a case closes, from the service's own list."""

    id: Id
    name: Text
    # Closing for this reason refers the family to children's social care: the closure
    # records the referral date, and the referral is a disclosure.
    refers_to_social_care: bool = False
    # Closing for this reason says the family's needs were met: a request naming it records
    # at least one need's outcome as achieved.
    says_needs_were_met: bool = False


class Casework(Model):
    """Whom a case may be about, and the service's own settings for the work lists."""

    # A case is about children and young people under this age (SEND support runs to 25).
    young_person_until_age: int = Field(ge=1, le=30)
    # An open case with no contact for longer than this shows as overdue for contact.
    contact_overdue_after_days: int = Field(ge=1, le=365)
    # A plan's next review is due this many weeks after it is agreed or reviewed.
    plan_review_every_weeks: int = Field(ge=1, le=52)
    # A restriction of who may open a record is reviewed within this (from when it was made
    # or last changed): the information governance officer's list shows it due.
    restriction_review_within: Period | None = None
    headline_outcomes: list[HeadlineOutcome] = Field(min_length=1)
    closure_reasons: list[ClosureReason] = Field(min_length=1)

    def headline_outcome(self, outcome_id: str) -> HeadlineOutcome | None:
        return next((o for o in self.headline_outcomes if o.id == outcome_id), None)

    def closure_reason(self, reason_id: str) -> ClosureReason | None:
        return next((r for r in self.closure_reasons if r.id == reason_id), None)


class Destruction(Model):
    """How records past their date are destroyed: who signs a batch off, how far ahead the
    plan looks, and the method the certificate states."""

    # Roles that review a planned batch, defer items and approve it.
    reviewers: list[StaffRole] = Field(min_length=1)
    # `retention plan` lists what falls due from today to this far ahead.
    plan_ahead: Period
    # What destruction does, in words, for the certificate.
    method: Text
    # How often a legal hold is reviewed, at the longest: the review date may not be later.
    hold_review_within: Period


class Retention(Model):
    adult_from_age: int = Field(ge=0)
    rules: list[RetentionRule] = Field(min_length=1)
    destruction: Destruction | None = None


class StorageSystem(Model):
    id: Id
    name: Text
    kind: StorageKind
    description: str | None = None
    supplier: str | None = None
    data_owner: str | None = None


class Storage(Model):
    systems: list[StorageSystem] = Field(min_length=1)
    security_measures: list[Text] = Field(min_length=1)


class ConsentText(Model):
    """One version of what a parent consents to for a use, in force from a day. A consent
    is given to the words of one version: once a later version is in force, it no longer
    covers the use and the parent is asked again (UK GDPR Article 7; recital 42: consent
    is informed only if the person knows what they agree to)."""

    version: Id
    in_force_from: date
    wording: Text


class ConsentUse(Model):
    """A use of a child's data a parent consents to on its own, one by one (UK GDPR
    Article 7(2) and recital 32: consent is specific; no bundled consent): "photos in my
    child's own learning journey", "my child in clips shared with other parents"."""

    id: Id
    name: Text
    texts: list[ConsentText] = Field(min_length=1)

    @model_validator(mode="after")
    def _versions_in_order(self) -> ConsentUse:
        versions = [t.version for t in self.texts]
        if len(set(versions)) != len(versions):
            raise ValueError("each text of a consent use has its own version")
        days = [t.in_force_from for t in self.texts]
        if days != sorted(days) or len(set(days)) != len(days):
            raise ValueError("a consent use's texts are listed oldest first, on different days")
        return self

    def text_on(self, day: date) -> ConsentText | None:
        """The version in force on `day`, or None before the first."""
        current = None
        for text in self.texts:
            if text.in_force_from <= day:
                current = text
        return current

    def text(self, version: str) -> ConsentText | None:
        return next((t for t in self.texts if t.version == version), None)


class ConsentShare(Model):
    """A way the settings share a photo or video (to the parents' app), the consents it
    needs and where each child's data goes (notice sections 5b and 6).

    A child in focus needs `focus_use`, their data going to `focus_recipient` (their own
    parents, through the app's provider). Every other child in it needs `others_use`, their
    data going to `others_recipient` (other children's parents see them); so does each
    child in focus when there are several, since each is seen by the others' parents.
    Without a focus use, every child in it needs `others_use`."""

    id: Id
    name: Text
    focus_use: Id | None = None
    focus_recipient: Id | None = None
    others_use: Id
    others_recipient: Id


class ConsentProcessing(Model):
    """Processing that rests on consent (eyLog)."""

    id: Id
    name: Text
    settings: Text
    purposes: list[Id] = Field(min_length=1)
    system: Id
    article_6: Article6Basis
    article_9: Article9Condition | None = None
    withdrawable: bool
    shares_with_other_parents: bool
    # What the system is used for, completing "the service will use <system> to ...".
    use: Text
    description: list[Text] = []
    data_ownership: str | None = None
    # The uses a parent consents to one by one, each with its versioned words.
    uses: list[ConsentUse] = []
    # Whose children are asked: the services (or sub-services) of the settings, by id.
    services: list[Id] = []
    # Only children younger than this (in whole years) are asked about: the settings'
    # age range (a nursery's children are under school age). None: any age.
    children_under: int | None = Field(default=None, ge=1, le=18)
    # A consent given this many months ago is due to be confirmed with the parent (None:
    # only a new version of its words makes it due).
    confirm_after_months: int | None = Field(default=None, ge=1, le=60)
    # How its media is shared, and the consents each way needs.
    shares: list[ConsentShare] = []

    def consent_use(self, use_id: str) -> ConsentUse | None:
        """The use with id `use_id`, or None."""
        return next((u for u in self.uses if u.id == use_id), None)


class TransferException(Model):
    id: Id
    condition: Text
    requires_recorded_relocation: bool
    requires_receiving_authority: bool


class TransferRoute(Model):
    """A route by which personal data may lawfully go abroad (UK GDPR Chapter V as the Data
    (Use and Access) Act 2025 made it): regulations approving the country, appropriate
    safeguards meeting the data protection test, or a derogation."""

    id: Id
    name: Text
    law: Text
    # The countries (ISO 3166-1 alpha-2 codes) the route covers; empty: any country. UK
    # adequacy regulations name their countries: no other country may rely on them.
    countries: list[str] = []


class Transfers(Model):
    permitted_regions: list[Region] = Field(min_length=1)
    exceptions: list[TransferException] = []
    statement: Text
    # Each transfer names one of these routes.
    routes: list[TransferRoute] = []
    # ISO 3166-1 alpha-2 codes of the countries in each region (the UK's is "GB").
    region_countries: dict[Region, list[CountryCode]] = {}

    def route(self, route_id: str) -> TransferRoute | None:
        return next((r for r in self.routes if r.id == route_id), None)


class AutomatedDecisions(Model):
    used: bool
    profiling: bool
    statement: Text


class Provision(Model):
    """Section 7: whether people must provide their information and what happens if not."""

    statutory_requirement: bool
    consequence: Text


class BankHolidayCalendar(Model):
    """A calendar in the ``holidays`` package: ISO country and subdivision code."""

    country: Text
    subdivision: Text
    name: Text


class DeadlineRule(Model):
    """A time limit for answering a rights request, in force from a date, for one regime.

    A request is answered under the rule of its regime in force on the day it was received;
    the request keeps a copy of that rule, so a later policy never moves its deadline.
    """

    id: Id
    regime: RequestRegime
    regime_name: Text
    law: Text
    in_force_from: date
    months: int = Field(ge=1)
    counted_from: Literal["day_of_receipt"]
    no_corresponding_date: Literal["last_day_of_month"]
    non_working_day: Literal["next_working_day"]
    bank_holidays: BankHolidayCalendar
    clock_starts_at_latest_of: list[ClockEvent] = Field(min_length=1)
    pauses_while_clarification_awaited: bool
    # Article 12A(5): the period "beginning with the day" clarification is asked for "and
    # ending with the day" it arrives does not count, so both days stand still.
    pause_counts_both_ends: bool = False
    extension_max_months: int = Field(ge=0)
    extension_notice_within_months: int = Field(ge=0)


class ParentalAccess(Model):
    automatic: bool
    child_consent_age: int = Field(ge=0)
    # A recorded judgement that a younger child is competent makes their consent needed too.
    competence_judgement_for_younger: bool


class RightRule(Model):
    right: RightKind
    name: Text
    applies_under: list[Article6Basis] = Field(min_length=1)
    limited_under: list[Article6Basis] = []
    limitation: str | None = None


class BundleExemption(Model):
    """A reason the law gives to withhold part of what a subject access request finds."""

    id: Id
    # Printed on each black box in the bundle: short, capitals and digits ("S2P16").
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,8}$")]
    name: Text  # for the reviewer: "Information about another person"
    law: Text  # "Data Protection Act 2018 Schedule 2 paragraph 16"
    requester_words: Text  # what the requester's cover letter says about it


class AccessBundle(Model):
    """How a subject access bundle is made and sent (UK GDPR Article 15; DPA 2018 Sch 2-3)."""

    exemptions: list[BundleExemption] = Field(min_length=1)
    # The exemption a proposed redaction of another person's information starts with.
    third_party_exemption: Id
    # Sch 2 paragraph 17: workers acting in their role are normally disclosed.
    redact_workers: bool
    # How long the requester's download link works.
    link_expires_hours: int = Field(ge=1, le=24 * 31)
    # Cover letter words.
    searched: Text  # what was searched, before the list of systems
    withheld_words: Text  # when anything was redacted or withheld
    child_left_out_words: Text  # when a child's records were left out of a parent's request
    password_words: Text  # how the password reaches the requester


class Rights(Model):
    who_may_request: list[Text] = Field(min_length=1)
    request_form: Link
    more_information: list[Link] = []
    deadlines: list[DeadlineRule] = Field(min_length=1)
    parental_access: ParentalAccess
    rights: list[RightRule] = Field(min_length=1)
    access_bundle: AccessBundle | None = None


class Policy(Model):
    """A whole policy file."""

    version: Text
    title: Text
    service_name: Text
    last_updated: date
    controller: Controller
    dpo: DataProtectionOfficer
    complaints: Complaints
    introduction: Introduction
    services: list[Service] = Field(min_length=1)
    categories: list[DataCategory] = Field(min_length=1)
    schedule_1_conditions: list[Schedule1Condition] = []
    purposes: list[Purpose] = Field(min_length=1)
    laws: list[Law] = []
    recipients: list[Recipient] = []
    sharing: Sharing
    agreements: list[Agreement] = []
    projects: list[Project] = []
    statistics: Statistics
    retention: Retention
    casework: Casework
    storage: Storage
    consent_processing: list[ConsentProcessing] = []
    provision: Provision
    transfers: Transfers
    automated_decisions: AutomatedDecisions
    rights: Rights

    # Look-ups by id. Ids are unique once the loader has validated the policy.
    def category(self, category_id: str) -> DataCategory | None:
        return next((c for c in self.categories if c.id == category_id), None)

    def purpose(self, purpose_id: str) -> Purpose | None:
        return next((p for p in self.purposes if p.id == purpose_id), None)

    def recipient(self, recipient_id: str) -> Recipient | None:
        return next((r for r in self.recipients if r.id == recipient_id), None)

    def agreement(self, agreement_id: str) -> Agreement | None:
        return next((a for a in self.agreements if a.id == agreement_id), None)

    def project(self, project_id: str) -> Project | None:
        return next((p for p in self.projects if p.id == project_id), None)

    def consent_use(self, processing_id: str, use_id: str) -> ConsentUse | None:
        """A use parents consent to, by its processing's id and its own, or None."""
        processing = next((c for c in self.consent_processing if c.id == processing_id), None)
        return processing.consent_use(use_id) if processing is not None else None

    def law(self, law_id: str) -> Law | None:
        return next((law for law in self.laws if law.id == law_id), None)

    def schedule_1_condition(self, condition_id: str) -> Schedule1Condition | None:
        return next((c for c in self.schedule_1_conditions if c.id == condition_id), None)

    def retention_rule(self, rule_id: str) -> RetentionRule | None:
        return next((r for r in self.retention.rules if r.id == rule_id), None)

    def storage_system(self, system_id: str) -> StorageSystem | None:
        return next((s for s in self.storage.systems if s.id == system_id), None)
