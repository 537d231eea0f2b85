"""Controlled vocabularies for what is recorded about people."""

from django.db import models


class Source(models.TextChoices):
    """Where a fact came from: the source types the policy's categories name."""

    FAMILY = "family", "The family"
    CARER = "carer", "A carer"
    CHILD = "child", "The child or young person"
    GP = "gp", "GP"
    SCHOOL_NURSE = "school_nurse", "School nurse"
    HEALTH_PROFESSIONAL = "health_professional", "Another health professional"
    POLICE = "police", "Police"
    SCHOOL = "school", "School"
    OTHER_AGENCY = "other_agency", "Another agency"
    COUNCIL_SERVICE = "council_service", "Another council service"
    COUNCIL_STAFF = "council_staff", "Council staff"


class ImmigrationStatus(models.TextChoices):
    BRITISH_CITIZEN = "british_citizen", "British citizen"
    SETTLED = "settled", "Settled status (EU Settlement Scheme)"
    PRE_SETTLED = "pre_settled", "Pre-settled status (EU Settlement Scheme)"
    INDEFINITE_LEAVE = "indefinite_leave", "Indefinite leave to remain"
    LIMITED_LEAVE = "limited_leave", "Limited leave to remain"
    REFUGEE = "refugee", "Refugee status or humanitarian protection"
    ASYLUM_SEEKER = "asylum_seeker", "Asylum seeker"
    NO_STATUS = "no_status", "No current immigration status"
    UNKNOWN = "unknown", "Not known"


class HousingTenure(models.TextChoices):
    COUNCIL = "council", "Council tenant"
    HOUSING_ASSOCIATION = "housing_association", "Housing association tenant"
    PRIVATE_RENTED = "private_rented", "Private rented"
    OWNER_OCCUPIER = "owner_occupier", "Owner occupier"
    TEMPORARY = "temporary", "Temporary accommodation"
    HOSTEL = "hostel", "Hostel or refuge"
    SUPPORTED = "supported", "Supported accommodation"
    WITH_FAMILY = "with_family", "Living with family or friends"
    SOFA_SURFING = "sofa_surfing", "Sofa surfing"
    HOMELESS = "homeless", "Homeless"


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", "Employed"
    SELF_EMPLOYED = "self_employed", "Self-employed"
    UNEMPLOYED = "unemployed", "Unemployed and looking for work"
    NOT_LOOKING = "not_looking", "Not working and not looking (caring, ill health)"
    IN_EDUCATION = "in_education", "In education or training"
    NEET = "neet", "Not in education, employment or training (16 to 24)"
    RETIRED = "retired", "Retired"


class Progress(models.TextChoices):
    ABOVE = "above", "Above expected"
    EXPECTED = "expected", "At expected level"
    BELOW = "below", "Below expected"
    WELL_BELOW = "well_below", "Well below expected"


class ExclusionKind(models.TextChoices):
    SUSPENSION = "suspension", "Suspension (fixed period)"
    PERMANENT = "permanent", "Permanent exclusion"


class RiskKind(models.TextChoices):
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    NEGLECT = "neglect", "Neglect"
    EXPLOITATION = "exploitation", "Criminal or sexual exploitation"
    SERIOUS_YOUTH_VIOLENCE = "youth_violence", "Serious youth violence"
    MISSING = "missing", "Missing from home or education"
    MENTAL_HEALTH = "mental_health", "Parental mental ill health"
    SUBSTANCE = "substance", "Substance misuse in the household"
    SELF_HARM = "self_harm", "Self-harm"
    OTHER = "other", "Other"


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class HealthKind(models.TextChoices):
    PHYSICAL = "physical", "Physical health"
    MENTAL = "mental", "Mental health"


class EthnicityCode(models.TextChoices):
    """The DfE's main ethnicity codes (school census), which map onto the ONS categories."""

    WBRI = "WBRI", "White – British"
    WIRI = "WIRI", "White – Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WROM = "WROM", "Gypsy or Roma"
    WOTH = "WOTH", "Any other White background"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Black Caribbean"
    BAFR = "BAFR", "Black African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class Sexuality(models.TextChoices):
    HETEROSEXUAL = "heterosexual", "Heterosexual or straight"
    GAY_LESBIAN = "gay_lesbian", "Gay or lesbian"
    BISEXUAL = "bisexual", "Bisexual"
    OTHER = "other", "Another sexual orientation"
    NOT_SAID = "not_said", "Prefers not to say"


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NON_BINARY = "non_binary", "Non-binary"
    OTHER = "other", "Another gender"
    NOT_SAID = "not_said", "Prefers not to say"


class OffenceStatus(models.TextChoices):
    SUSPECTED = "suspected", "Suspected"
    INVESTIGATED = "investigated", "Investigated"
    CHARGED = "charged", "Charged"
    ACQUITTED = "acquitted", "Acquitted"
    CONVICTED = "convicted", "Convicted"


class OffenceRole(models.TextChoices):
    VICTIM = "victim", "Victim or survivor"
    PERPETRATOR = "perpetrator", "Perpetrator"


class Standing(models.TextChoices):
    ALLEGED = "alleged", "Alleged"
    PROVEN = "proven", "Proven"
