"""Where the people app holds data about a person: its entries in the data map."""

from earlyhelp.datamap.registry import RECORD_RULES, Reach, Role, delete, keep, register
from earlyhelp.people import models as m

register(
    m.Person,
    "",
    erasure=delete(retention_rules=RECORD_RULES),
    label="Person",
    derived_fields=("given_key", "family_key"),
)
register(
    m.PersonName,
    "person",
    erasure=delete(retention_rules=RECORD_RULES),
    derived_fields=("given_key", "family_key"),
)
register(
    m.NameKey,
    "person",
    erasure=delete(retention_rules=RECORD_RULES),
    label="Search key of a name",
    derived_fields=("key",),
    derived_from=("people.Person", "people.PersonName"),
)
register(
    m.Address,
    "residents__person",
    "households__members",
    erasure=keep(
        reason="an address is shared by everyone who lived there; each person's "
        "link to it (their address history) is what is erased"
    ),
)
register(m.PersonAddress, "person", erasure=delete(retention_rules=RECORD_RULES))
register(m.ContactMethod, "person", erasure=delete(retention_rules=RECORD_RULES))
register(
    m.Household,
    "members",
    erasure=keep(
        reason="a household is its members' shared record; each person's "
        "membership is what is erased"
    ),
)
register(m.HouseholdMember, "person", erasure=delete(retention_rules=RECORD_RULES))
register(
    m.Relationship,
    "person",
    Reach("relative", Role.MENTIONED),
    erasure=delete(retention_rules=RECORD_RULES),
)

# The kinds of fact a practitioner records, with their URL slugs, in the order of section 3
# of the notice (people.facts builds a form for each).
FACTS = (
    ("legal-status", m.LegalStatus),
    ("housing", m.HousingSituation),
    ("wellbeing", m.WellbeingAndParenting),
    ("circumstances", m.SocialCircumstances),
    ("employment", m.Employment),
    ("education", m.EducationRecord),
    ("exclusion", m.Exclusion),
    ("risk", m.Risk),
    ("agency", m.AgencyInvolvement),
    ("health", m.HealthCondition),
    ("ethnicity", m.Ethnicity),
    ("gender", m.Gender),
    ("sexuality", m.Sexuality),
    ("disability", m.Disability),
    ("substance-misuse", m.SubstanceMisuse),
    ("offence", m.OffenceRecord),
    ("victim-or-perpetrator", m.VictimOrPerpetrator),
)
for slug, model in FACTS:
    register(model, "person", erasure=delete(retention_rules=RECORD_RULES), fact_kind=slug)

register(
    m.PersonMerge,
    Reach("kept", meaning="the record kept"),
    Reach("merged", meaning="the record merged into it"),
    # The merge history goes before the records it joined (it protects them from deletion).
    erasure=delete(retention_rules=RECORD_RULES),
    label="Records merged",
    date_field="merged_at",
    involvement=False,
    derived_fields=("moved",),
)
