"""What is recorded about each synthetic person: "What we know" on the person page.

Pure Python, no database: `make_facts(family, casework, as_of)` returns the facts about a
family's people as plain data; `generator.py` writes them. The draws come from a stream of
their own, seeded by the family's `casework_seed`, so adding facts changed no earlier draw
of the seed: the same seed gives the same people, casework and facts.

The proportions are illustrative: shaped by public figures where the comment names one,
and skewed towards the needs of families known to an Early Help service, but not a model of
any real borough. Special category facts (health, ethnicity, sexuality, gender, disability,
substance misuse) and criminal offence facts are among them, so the demo shows the hiding
of special category data without anyone typing a fact in.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from earlyhelp.people import choices as c
from earlyhelp.synthetic.casework import FamilyCasework
from earlyhelp.synthetic.families import FamilySpec, PersonSpec

LONDON = ZoneInfo("Europe/London")

# Weighted choices are (value, weight) tuples; weights are relative, not percentages.
Weighted = tuple[tuple[str, int], ...]

# -- rates (the share of people or families with a fact of the kind) -------------------------

# Housing: recorded for most households known to the service (illustrative).
HOUSING_RATE = 0.85
# Tenure of Early Help families: Camden's 2021 Census tenure (about a third social rented,
# a third private rented, a third owned) skewed towards social and temporary housing, as
# families who need help are (illustrative).
TENURES: Weighted = (
    (c.HousingTenure.COUNCIL, 38),
    (c.HousingTenure.HOUSING_ASSOCIATION, 14),
    (c.HousingTenure.PRIVATE_RENTED, 22),
    (c.HousingTenure.TEMPORARY, 9),
    (c.HousingTenure.OWNER_OCCUPIER, 9),
    (c.HousingTenure.WITH_FAMILY, 4),
    (c.HousingTenure.HOSTEL, 2),
    (c.HousingTenure.SUPPORTED, 1),
    (c.HousingTenure.SOFA_SURFING, 1),
)
# Immigration status is asked of adults when it matters for support (illustrative).
LEGAL_STATUS_RATE = 0.4
# Heritages whose families are mostly long settled in the UK, and those from the EU.
SETTLED_HERITAGES = frozenset({"white_british", "irish", "caribbean", "jewish_british"})
EU_HERITAGES = frozenset(
    {"polish", "romanian_ukrainian", "portuguese_brazilian", "southern_european", "greek_cypriot"}
)
STATUS_SETTLED: Weighted = (
    (c.ImmigrationStatus.BRITISH_CITIZEN, 97),
    (c.ImmigrationStatus.SETTLED, 3),
)
STATUS_EU: Weighted = (
    (c.ImmigrationStatus.BRITISH_CITIZEN, 30),
    (c.ImmigrationStatus.SETTLED, 40),
    (c.ImmigrationStatus.PRE_SETTLED, 20),
    (c.ImmigrationStatus.LIMITED_LEAVE, 5),
    (c.ImmigrationStatus.UNKNOWN, 5),
)
STATUS_OTHER: Weighted = (
    (c.ImmigrationStatus.BRITISH_CITIZEN, 55),
    (c.ImmigrationStatus.INDEFINITE_LEAVE, 14),
    (c.ImmigrationStatus.LIMITED_LEAVE, 10),
    (c.ImmigrationStatus.REFUGEE, 10),
    (c.ImmigrationStatus.ASYLUM_SEEKER, 5),
    (c.ImmigrationStatus.NO_STATUS, 2),
    (c.ImmigrationStatus.UNKNOWN, 4),
)
# No recourse to public funds: a condition of most limited leave and of no status.
NRPF_RATE = {
    c.ImmigrationStatus.LIMITED_LEAVE: 0.7,
    c.ImmigrationStatus.NO_STATUS: 1.0,
    c.ImmigrationStatus.ASYLUM_SEEKER: 1.0,
}
# Ethnicity: the school census records it for nearly every pupil (DfE "Schools, pupils and
# their characteristics": under 2% refused or not obtained); adults less often.
ETHNICITY_RATE_CHILD = 0.92
ETHNICITY_RATE_ADULT = 0.75
ETHNICITY_NOT_GIVEN: Weighted = (("REFU", 1), ("NOBT", 1))
ETHNICITY_NOT_GIVEN_RATE = 0.03
# Heritage of the synthetic names -> the DfE main ethnicity code.
ETHNICITY_OF_HERITAGE = {
    "white_british": "WBRI",
    "jewish_british": "WBRI",
    "irish": "WIRI",
    "bangladeshi": "ABAN",
    "indian": "AIND",
    "pakistani": "APKN",
    "chinese": "CHNE",
    "somali": "BAFR",
    "nigerian": "BAFR",
    "ghanaian": "BAFR",
    "eritrean_ethiopian": "BAFR",
    "caribbean": "BCRB",
    "arab": "OOTH",
    "iranian_afghan": "AOTH",
    "turkish_kurdish": "WOTH",
    "polish": "WOTH",
    "romanian_ukrainian": "WOTH",
    "greek_cypriot": "WOTH",
    "portuguese_brazilian": "WOTH",
    "southern_european": "WOTH",
    "albanian_kosovan": "WOTH",
}
# A child of parents of two heritages: White and Black Caribbean, African or Asian, else other.
MIXED = {"BCRB": "MWBC", "BAFR": "MWBA", "ABAN": "MWAS", "AIND": "MWAS", "APKN": "MWAS"}
# Gender is asked of about half the people; a few young people say non-binary (ONS 2021
# Census: 0.06% of people aged 16+ in England and Wales; more among the young).
GENDER_RATE = 0.5
NON_BINARY_RATE_TEEN = 0.01
# Sexual orientation is rarely asked of parents (illustrative); ONS 2021 Census: 3.2% of
# people aged 16+ in England and Wales gave an LGB+ orientation, 7.5% did not answer.
SEXUALITY_RATE = 0.08
SEXUALITIES: Weighted = (
    (c.Sexuality.HETEROSEXUAL, 89),
    (c.Sexuality.GAY_LESBIAN, 2),
    (c.Sexuality.BISEXUAL, 2),
    (c.Sexuality.OTHER, 1),
    (c.Sexuality.NOT_SAID, 6),
)
# Health: NHS England "Mental Health of Children and Young People in England 2023": 20% of
# 8 to 16 year olds had a probable mental disorder; families known to Early Help more often
# have a recorded condition, parents' mental ill health most of all (illustrative rates).
HEALTH_RATE_CHILD = 0.14
HEALTH_RATE_ADULT = 0.22
MENTAL_SHARE_CHILD = 0.45
MENTAL_SHARE_ADULT = 0.65
# Disability: DfE "Special educational needs in England" 2024: 18% of pupils have SEN;
# a recorded disability is rarer (illustrative).
DISABILITY_RATE_CHILD = 0.08
DISABILITY_RATE_ADULT = 0.09
# Substance misuse of a parent: one of the commonest factors at assessment (DfE "Children in
# need" census); of a young person: the substance theme's cases (illustrative rates).
SUBSTANCE_RATE_ADULT = 0.05
# Offences of adults (illustrative).
OFFENCE_RATE_ADULT = 0.03
# Employment of adults in the household (illustrative).
EMPLOYMENT_RATE = 0.6
EMPLOYMENT: Weighted = (
    (c.EmploymentStatus.EMPLOYED, 42),
    (c.EmploymentStatus.SELF_EMPLOYED, 8),
    (c.EmploymentStatus.UNEMPLOYED, 18),
    (c.EmploymentStatus.NOT_LOOKING, 26),
    (c.EmploymentStatus.IN_EDUCATION, 4),
    (c.EmploymentStatus.RETIRED, 2),
)
# A case's risk: domestic abuse is the commonest factor at children's social care
# assessments (DfE "Children in need" 2024: about a third), then mental health (illustrative
# for Early Help, where most cases record one risk or more).
RISK_RATE = 0.6
RISKS_BY_THEME: dict[str, Weighted] = {
    "early_years": (
        (c.RiskKind.MENTAL_HEALTH, 40),
        (c.RiskKind.DOMESTIC_ABUSE, 30),
        (c.RiskKind.NEGLECT, 20),
        (c.RiskKind.SUBSTANCE, 10),
    ),
    "family": (
        (c.RiskKind.DOMESTIC_ABUSE, 34),
        (c.RiskKind.MENTAL_HEALTH, 24),
        (c.RiskKind.NEGLECT, 14),
        (c.RiskKind.MISSING, 10),
        (c.RiskKind.SUBSTANCE, 8),
        (c.RiskKind.SELF_HARM, 6),
        (c.RiskKind.OTHER, 4),
    ),
    "youth": ((c.RiskKind.SERIOUS_YOUTH_VIOLENCE, 30), (c.RiskKind.MISSING, 30)),
    "careers": ((c.RiskKind.MISSING, 1),),
    "substance": ((c.RiskKind.SUBSTANCE, 1),),
    "diversion": ((c.RiskKind.SERIOUS_YOUTH_VIOLENCE, 1),),
    "justice": ((c.RiskKind.SERIOUS_YOUTH_VIOLENCE, 2), (c.RiskKind.EXPLOITATION, 1)),
    "exploitation": ((c.RiskKind.EXPLOITATION, 3), (c.RiskKind.MISSING, 1)),
}
LEVELS: Weighted = ((c.RiskLevel.LOW, 40), (c.RiskLevel.MEDIUM, 42), (c.RiskLevel.HIGH, 18))
# Risks about the young person; the others are about a parent (the case's first family
# member) and the household's children.
YOUNG_PERSON_RISKS = frozenset(
    {
        c.RiskKind.SERIOUS_YOUTH_VIOLENCE,
        c.RiskKind.EXPLOITATION,
        c.RiskKind.MISSING,
        c.RiskKind.SELF_HARM,
    }
)
# Themes whose young person has an offence record, and its status.
OFFENCE_STATUS_BY_THEME: dict[str, Weighted] = {
    "diversion": ((c.OffenceStatus.SUSPECTED, 3), (c.OffenceStatus.INVESTIGATED, 2)),
    "justice": ((c.OffenceStatus.CHARGED, 2), (c.OffenceStatus.CONVICTED, 3)),
}

# -- words ------------------------------------------------------------------------------------

HEALTH = {
    (c.HealthKind.MENTAL, "child"): (
        "Anxiety; waiting for a CAMHS assessment",
        "Low mood since moving school; seen by the school counsellor",
        "ADHD diagnosed; medication reviewed by the paediatrician",
        "Autism assessment in progress (referred by the GP)",
    ),
    (c.HealthKind.PHYSICAL, "child"): (
        "Asthma; uses a blue inhaler, one admission last winter",
        "Eczema, treated by the GP",
        "Type 1 diabetes, managed by the hospital diabetes team",
        "Glue ear; grommets fitted, speech and language therapy",
        "Epilepsy; care plan at school",
    ),
    (c.HealthKind.MENTAL, "adult"): (
        "Depression; on medication from the GP",
        "Anxiety and panic attacks; self-referred to talking therapies",
        "Postnatal depression; supported by the perinatal mental health team",
        "Post-traumatic stress; waiting for trauma-focused therapy",
    ),
    (c.HealthKind.PHYSICAL, "adult"): (
        "Chronic back pain; limits lifting and walking",
        "Type 2 diabetes",
        "Sickle cell disease; hospital admissions during crises",
        "High blood pressure, treated by the GP",
    ),
}
DISABILITIES = {
    "child": (
        "Autism; EHC plan in place",
        "Speech, language and communication needs; SEN support at school",
        "Hearing impairment; wears hearing aids",
        "Cerebral palsy; uses a walking frame",
    ),
    "adult": (
        "Mobility impairment; uses a wheelchair outside the home",
        "Learning disability; needs information in easy read",
        "Visual impairment",
        "Long-term mental health condition affecting day-to-day life",
    ),
}
RISK_WORDS = {
    c.RiskKind.DOMESTIC_ABUSE: "Police called to the address after an argument; children present",
    c.RiskKind.NEGLECT: "Home conditions poor; children often hungry at school",
    c.RiskKind.EXPLOITATION: "Found out of borough with older young people; unexplained money",
    c.RiskKind.SERIOUS_YOUTH_VIOLENCE: "Friend stabbed in the summer; says he carries a knife",
    c.RiskKind.MISSING: "Reported missing twice this term, found the next day",
    c.RiskKind.MENTAL_HEALTH: "Parent's low mood affects the routines of the household",
    c.RiskKind.SUBSTANCE: "Cannabis use at home; parent says it helps them sleep",
    c.RiskKind.SELF_HARM: "Cuts on the arms seen by the PE teacher",
    c.RiskKind.OTHER: "Isolated; no family or friends nearby to help",
}
HOUSING_NEEDS = {
    c.HousingTenure.TEMPORARY: "Placed in a studio out of borough; long journey to school",
    c.HousingTenure.HOSTEL: "Family room in a refuge; needs a move-on tenancy",
    c.HousingTenure.SOFA_SURFING: "Staying with friends night to night",
    c.HousingTenure.WITH_FAMILY: "Sharing a two-bedroom flat with grandparents",
    c.HousingTenure.PRIVATE_RENTED: "Rent arrears; damp in the children's bedroom",
    c.HousingTenure.COUNCIL: "Overcrowded: on the transfer list for a larger home",
}
OFFENCES = (
    ("Possession of cannabis", "Community resolution"),
    ("Shoplifting", "Youth caution"),
    ("Possession of a bladed article", "Referral order, 6 months"),
    ("Criminal damage", "Youth conditional caution"),
    ("Robbery", "Youth rehabilitation order, 12 months"),
)
ADULT_OFFENCES = (
    ("Common assault", "Community order"),
    ("Driving without insurance", "Fine"),
    ("Theft", "Conditional discharge"),
)
SUBSTANCES = {
    "young": ("Cannabis, most days", "Cannabis and alcohol at weekends", "Nitrous oxide"),
    "adult": ("Alcohol", "Cannabis", "Cocaine, at weekends", "Alcohol and cannabis"),
}
SOURCES_HEALTH: Weighted = (
    (c.Source.GP, 4),
    (c.Source.FAMILY, 3),
    (c.Source.SCHOOL_NURSE, 1),
    (c.Source.HEALTH_PROFESSIONAL, 2),
)
SOURCES_RISK: Weighted = (
    (c.Source.POLICE, 3),
    (c.Source.SCHOOL, 3),
    (c.Source.FAMILY, 2),
    (c.Source.COUNCIL_STAFF, 2),
)
SOURCES_IDENTITY: Weighted = ((c.Source.FAMILY, 6), (c.Source.SCHOOL, 2), (c.Source.CHILD, 1))


@dataclass
class FactSpec:
    """One fact: its kind (a key of people.facts.FACT_MODELS), whom it is about, what it says."""

    kind: str
    person: int  # index into FamilySpec.people
    source: str
    recorded_at: datetime
    values: dict[str, object] = field(default_factory=dict)


def pick(rng: random.Random, weighted: Weighted) -> str:
    """One value of ``weighted``, as a plain string (a choice's stored value)."""
    values = [value for value, _ in weighted]
    return str(rng.choices(values, [weight for _, weight in weighted])[0])


class FactMaker:
    """Draws one family's facts from its own stream."""

    def __init__(self, family: FamilySpec, casework: FamilyCasework, as_of: date) -> None:
        self.family = family
        self.casework = casework
        self.as_of = as_of
        self.rng = random.Random(f"earlyhelp facts {family.casework_seed}")
        self.facts: list[FactSpec] = []

    def when(self, person: PersonSpec, after: date | None = None) -> datetime:
        """A time the fact was recorded: after the family moved in, the person's birth and
        ``after``, by the as-of date, in working hours."""
        earliest = max(self.family.moved_in, person.date_of_birth, after or date.min)
        earliest = min(earliest, self.as_of)
        day = earliest + timedelta(days=self.rng.randrange((self.as_of - earliest).days + 1))
        minutes = self.rng.randrange(9 * 60, 17 * 60, 5)
        return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=LONDON)

    def add(
        self, fact_kind: str, index: int, source: str, /, after: date | None = None, **values
    ) -> None:
        """Record a fact of ``fact_kind`` about person ``index``; ``values`` are its fields."""
        person = self.family.people[index]
        recorded = self.when(person, after)
        self.facts.append(FactSpec(fact_kind, index, str(source), recorded, values))

    def make(self) -> list[FactSpec]:
        people = self.family.people
        home = [i for i, p in enumerate(people) if p.in_household]
        adults = [i for i in home if people[i].age_on(self.as_of) >= 18]
        children = [i for i in home if people[i].age_on(self.as_of) < 18]
        if adults and self.rng.random() < HOUSING_RATE:
            self.housing(adults[0])
        for index in adults:
            self.adult(index)
        for index in children:
            self.child(index, adults)
        for case in self.casework.cases:
            self.case_facts(case)
        return self.facts

    # -- about everyone -----------------------------------------------------------------------

    def housing(self, index: int) -> None:
        tenure = pick(self.rng, TENURES)
        needs = HOUSING_NEEDS.get(tenure, "") if self.rng.random() < 0.6 else ""
        self.add("housing", index, c.Source.FAMILY, tenure=tenure, needs=needs)

    def ethnicity(self, index: int, code: str, rate: float) -> None:
        if self.rng.random() >= rate:
            return
        if self.rng.random() < ETHNICITY_NOT_GIVEN_RATE:
            code = pick(self.rng, ETHNICITY_NOT_GIVEN)
        self.add("ethnicity", index, pick(self.rng, SOURCES_IDENTITY), code=code)

    def gender(self, index: int) -> None:
        person = self.family.people[index]
        if self.rng.random() >= GENDER_RATE:
            return
        value = person.sex
        if 12 <= person.age_on(self.as_of) < 25 and self.rng.random() < NON_BINARY_RATE_TEEN:
            value = c.Gender.NON_BINARY
        self.add("gender", index, pick(self.rng, SOURCES_IDENTITY), value=value)

    def health(self, index: int, rate: float, mental_share: float, age: str) -> None:
        if self.rng.random() >= rate:
            return
        kind = c.HealthKind.MENTAL if self.rng.random() < mental_share else c.HealthKind.PHYSICAL
        description = self.rng.choice(HEALTH[(kind, age)])
        source = pick(self.rng, SOURCES_HEALTH)
        self.add("health", index, source, kind=str(kind), description=description)

    def disability(self, index: int, rate: float, age: str) -> None:
        if self.rng.random() < rate:
            description = self.rng.choice(DISABILITIES[age])
            self.add("disability", index, pick(self.rng, SOURCES_HEALTH), description=description)

    # -- adults and children ------------------------------------------------------------------

    def adult(self, index: int) -> None:
        person = self.family.people[index]
        rng = self.rng
        code = ETHNICITY_OF_HERITAGE.get(person.heritage, "OOTH")
        self.ethnicity(index, code, ETHNICITY_RATE_ADULT)
        self.gender(index)
        if rng.random() < LEGAL_STATUS_RATE:
            weights = (
                STATUS_SETTLED
                if person.heritage in SETTLED_HERITAGES
                else STATUS_EU
                if person.heritage in EU_HERITAGES
                else STATUS_OTHER
            )
            status = pick(rng, weights)
            nrpf = rng.random() < NRPF_RATE.get(status, 0.0)
            self.add(
                "legal-status",
                index,
                c.Source.FAMILY,
                immigration_status=status,
                no_recourse_to_public_funds=nrpf,
                detail="Leave to remain ends next year; renewal not yet made" if nrpf else "",
            )
        if rng.random() < EMPLOYMENT_RATE:
            self.add("employment", index, c.Source.FAMILY, status=pick(rng, EMPLOYMENT))
        self.health(index, HEALTH_RATE_ADULT, MENTAL_SHARE_ADULT, "adult")
        self.disability(index, DISABILITY_RATE_ADULT, "adult")
        if rng.random() < SEXUALITY_RATE:
            self.add("sexuality", index, c.Source.FAMILY, value=pick(rng, SEXUALITIES))
        if rng.random() < SUBSTANCE_RATE_ADULT:
            self.add(
                "substance-misuse",
                index,
                c.Source.FAMILY,
                substances=rng.choice(SUBSTANCES["adult"]),
                detail="Says they want to cut down; not in treatment",
            )
        if rng.random() < OFFENCE_RATE_ADULT:
            offence, sentence = rng.choice(ADULT_OFFENCES)
            self.add(
                "offence",
                index,
                c.Source.POLICE,
                status=c.OffenceStatus.CONVICTED,
                offence=offence,
                sentence=sentence,
                when="Some years ago",
            )

    def child(self, index: int, adults: list[int]) -> None:
        person = self.family.people[index]
        code = ETHNICITY_OF_HERITAGE.get(person.heritage, "OOTH")
        parents = {self.family.people[a].heritage for a in adults} - {person.heritage}
        if parents:
            other = ETHNICITY_OF_HERITAGE.get(next(iter(sorted(parents))), "OOTH")
            mixed = MIXED.get(other) if code in {"WBRI", "WIRI", "WOTH"} else MIXED.get(code)
            code = mixed or ("MOTH" if other != code else code)
        self.ethnicity(index, code, ETHNICITY_RATE_CHILD)
        self.gender(index)
        self.health(index, HEALTH_RATE_CHILD, MENTAL_SHARE_CHILD, "child")
        self.disability(index, DISABILITY_RATE_CHILD, "child")

    # -- from the family's cases --------------------------------------------------------------

    def case_facts(self, case) -> None:
        rng = self.rng
        young = [i for i, role in case.members if role == "child"]
        family = [i for i, role in case.members if role != "child"]
        if not young:
            return
        young_person = max(young, key=lambda i: self.family.people[i].age_on(self.as_of))
        if rng.random() < RISK_RATE:
            kind = pick(rng, RISKS_BY_THEME.get(case.theme, RISKS_BY_THEME["family"]))
            about = young_person if kind in YOUNG_PERSON_RISKS or not family else family[0]
            self.add(
                "risk",
                about,
                pick(rng, SOURCES_RISK),
                after=case.started,
                kind=kind,
                level=pick(rng, LEVELS),
                description=RISK_WORDS[kind],
            )
            if kind == c.RiskKind.DOMESTIC_ABUSE and family:
                self.add(
                    "victim-or-perpetrator",
                    family[0],
                    c.Source.POLICE,
                    after=case.started,
                    role=c.OffenceRole.VICTIM,
                    standing=c.Standing.ALLEGED if rng.random() < 0.6 else c.Standing.PROVEN,
                    detail="Ex-partner; non-molestation order applied for",
                )
        statuses = OFFENCE_STATUS_BY_THEME.get(case.theme)
        if statuses and self.family.people[young_person].age_on(self.as_of) >= 10:
            offence, sentence = rng.choice(OFFENCES)
            status = pick(rng, statuses)
            self.add(
                "offence",
                young_person,
                c.Source.POLICE,
                after=case.started,
                status=status,
                offence=offence,
                sentence=sentence if status == c.OffenceStatus.CONVICTED else "",
                when="Shortly before the referral",
            )
        if case.theme == "substance":
            self.add(
                "substance-misuse",
                young_person,
                c.Source.CHILD,
                after=case.started,
                substances=rng.choice(SUBSTANCES["young"]),
                detail="Agreed to meet the substance misuse worker weekly",
            )


def make_facts(family: FamilySpec, casework: FamilyCasework, as_of: date) -> list[FactSpec]:
    """The facts recorded about ``family``'s people by ``as_of``, the same for the same seed."""
    return FactMaker(family, casework, as_of).make()
