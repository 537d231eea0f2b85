"""Vocabulary for synthetic casework: reasons, notes, assessments, plans, professionals, venues.

Plain data only: no Django, no randomness. `casework.py` and `notes.py` draw from it.

Text templates are written the way practitioners write: short sentences, first names,
"Mum" and "Dad", the abbreviations of the field (TAF, EHA, DSL, SENCo, HV, CAMHS, YOS).
A template names slots in braces, filled by `notes.Slots` from the family's own people
and the case's professionals:

* the child or young person the case is about: {child}, {he}, {him}, {his}, {age}, {school};
  {pupil} is the child only when of school age
* another child of the household: {sibling}
* the main carer and the other adult at home, by first name and by what they are to the
  child: {carer} and {mum} ("mum", "nan", "aunt"), {partner} and {partner_role}
* a relative living elsewhere: {relative}, {relative_role} ("dad", "nan"), {area}; {ex} is
  that relative only when they are the child's other parent (the templates about
  domestic abuse and contact arrangements use it)
* a professional by role: {teacher} is "class teacher Ms Okafor", {teacher_name} "Ms Okafor"
* figures and dates: {pct}, {weeks}, {amount}, {next_date}, {weekday}, {centre}, {venue}

A slot whose first letter is a capital gives the value with a capital first letter
({Mum}, {He}, {Hv}). A template that needs a person the family does not have (no second
child, no relative elsewhere) is skipped for that family.

Service themes follow from the words of a service's name in the policy, never from its
id, so another policy's services still get fitting casework.
"""

from __future__ import annotations

from typing import NamedTuple

# ---------------------------------------------------------------------------
# Services: themes, ages, teams
# ---------------------------------------------------------------------------


class Theme(NamedTuple):
    """The kind of work a service does: who its cases are about, and how often."""

    key: str
    min_age: int
    max_age: int
    weight: int


THEMES: tuple[Theme, ...] = (
    Theme("early_years", 0, 4, 25),
    Theme("family", 4, 17, 40),
    Theme("youth", 10, 18, 12),
    Theme("careers", 16, 19, 5),
    Theme("substance", 11, 18, 4),
    Theme("diversion", 10, 17, 4),
    Theme("justice", 10, 17, 4),
    Theme("exploitation", 10, 18, 6),
)

# (words in a service's name, lower case; theme): the first match wins, else "family".
SERVICE_NAME_THEMES: tuple[tuple[str, str], ...] = (
    ("early years", "early_years"),
    ("connexion", "careers"),
    ("career", "careers"),
    ("substance", "substance"),
    ("diversion", "diversion"),
    ("justice", "justice"),
    ("exploitation", "exploitation"),
    ("violence", "exploitation"),
    ("youth", "youth"),
)
DEFAULT_THEME = "family"

# Themes whose contacts and sessions are mostly with the young person, not the carer.
YOUTH_THEMES = frozenset({"youth", "careers", "substance", "diversion", "justice", "exploitation"})

# Teams of a service: one per locality for a top-level service, fewer for a sub-service.
SERVICE_LOCALITIES: tuple[str, ...] = ("North", "Central", "South")
SUB_SERVICE_LOCALITIES: tuple[str, ...] = ("North", "South")
# Postcode districts in the north of the borough; the rest are served from the south,
# and Central teams take the families the others are full for.
NORTH_DISTRICTS = frozenset({"NW2", "NW3", "NW5", "NW6", "NW8", "N6", "N7", "N19"})

# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------

# (closure reason, weight): closure reason ids of the policy (casework.closure_reasons).
CLOSURE_REASONS: tuple[tuple[str, int], ...] = (
    ("needs-met", 46),
    ("stepped-down", 16),
    ("stepped-up", 7),
    ("declined", 8),
    ("disengaged", 10),
    ("moved-away", 6),
    ("transferred", 5),
    ("other", 2),
)

# (ContactKind value, weight) by theme group.
CONTACT_KINDS: dict[str, tuple[tuple[str, int], ...]] = {
    "early_years": (
        ("home_visit", 40),
        ("phone_call", 20),
        ("session", 15),
        ("meeting", 8),
        ("office_visit", 10),
        ("video_call", 7),
    ),
    "family": (
        ("home_visit", 35),
        ("phone_call", 30),
        ("meeting", 15),
        ("session", 5),
        ("office_visit", 8),
        ("video_call", 7),
    ),
    "youth": (
        ("home_visit", 15),
        ("phone_call", 25),
        ("meeting", 15),
        ("session", 35),
        ("office_visit", 5),
        ("video_call", 5),
    ),
}


class ProfessionalRole(NamedTuple):
    """A partner professional: ``(key, label, naming)``.

    naming: "title" (Ms Okafor), "doctor" (Dr Okafor), "pc" (PC Okafor),
    "first" (Jo) or "full" (Jo Okafor), as practitioners refer to them.
    """

    key: str
    label: str
    naming: str


PROFESSIONAL_ROLES: tuple[ProfessionalRole, ...] = (
    ProfessionalRole("teacher", "class teacher", "title"),
    ProfessionalRole("dsl", "DSL", "title"),
    ProfessionalRole("senco", "SENCo", "title"),
    ProfessionalRole("head_of_year", "head of year", "title"),
    ProfessionalRole("attendance", "attendance officer", "full"),
    ProfessionalRole("hv", "health visitor", "first"),
    ProfessionalRole("gp", "GP", "doctor"),
    ProfessionalRole("nurse", "school nurse", "first"),
    ProfessionalRole("key_person", "nursery key person", "first"),
    ProfessionalRole("salt", "speech and language therapist", "first"),
    ProfessionalRole("midwife", "midwife", "first"),
    ProfessionalRole("housing", "housing officer", "full"),
    ProfessionalRole("camhs", "CAMHS practitioner", "first"),
    ProfessionalRole("yos", "YOS case manager", "full"),
    ProfessionalRole("youth_worker", "youth worker", "first"),
    ProfessionalRole("police", "police officer", "pc"),
    ProfessionalRole("idva", "IDVA", "first"),
    ProfessionalRole("dwp", "DWP work coach", "first"),
    ProfessionalRole("careers", "Connexions adviser", "first"),
    ProfessionalRole("fwd", "FWD worker", "first"),
    ProfessionalRole("sw", "social worker", "full"),
    ProfessionalRole("ep", "educational psychologist", "doctor"),
    ProfessionalRole("cab", "Citizens Advice adviser", "first"),
    ProfessionalRole("mh", "adult mental health worker", "first"),
    ProfessionalRole("paed", "community paediatrician", "doctor"),
)

TITLES: tuple[tuple[str, int], ...] = (("Ms", 55), ("Mr", 35), ("Mrs", 10))

# First names staff go by in notes: short forms as often as full names.
# fmt: off
STAFF_FIRST_NAMES: tuple[str, ...] = (
    "Jo", "Sam", "Priya", "Kemi", "Tom", "Ayesha", "Chris", "Becky", "Nadia", "Dan",
    "Fiona", "Olu", "Hannah", "Raj", "Kate", "Marta", "Femi", "Lucy", "Imran", "Helen",
    "Sinead", "Tunde", "Claire", "Yasmin", "Rob", "Agnieszka", "Mel", "Ravi", "Zainab",
    "Ellie", "Stuart", "Grace", "Ola", "Deniz", "Pete", "Sophie", "Abdi", "Natalie",
    "Ben", "Shanice", "Vicky", "Kwame", "Ruth", "Ana", "Jas", "Leanne", "Mehmet", "Sue",
)
# fmt: on

# Where relatives elsewhere live, as notes mention it.
# fmt: off
AREAS: tuple[str, ...] = (
    "Kilburn", "Tottenham", "Edmonton", "Croydon", "Luton", "Walthamstow", "Harlesden",
    "Wembley", "Enfield", "Barnet", "Archway", "Lewisham", "Peckham", "Ilford", "Hackney",
    "Stevenage", "Birmingham", "Leicester", "Milton Keynes", "Hounslow", "Streatham",
    "Hendon", "Southall", "Bow", "Stratford", "Watford", "Harrow", "Finsbury Park",
    "Wood Green", "Brixton", "Manchester", "Reading", "Dagenham", "Holloway", "Cricklewood",
)

NURSERIES: tuple[str, ...] = (
    "Kentish Town Nursery", "Regent's Park Children's Centre nursery", "Konstam Nursery",
    "Hampden Nursery", "Thomas Coram nursery", "Caversham Nursery", "Acol Nursery",
    "Fleet Nursery", "Kilburn Grange nursery", "Queen's Crescent nursery",
)

CENTRES: tuple[str, ...] = (
    "Kentish Town Family Hub", "Regent's Park Children's Centre", "Kilburn Grange Family Hub",
    "Thomas Coram Children's Centre", "Queen's Crescent Community Centre",
    "Hampstead Family Hub", "Somers Town Community Centre", "Gospel Oak Family Hub",
)

YOUTH_VENUES: tuple[str, ...] = (
    "Fitzrovia Youth in Action", "Castlehaven youth club", "Kentish Town Community Centre",
    "Somers Town youth centre", "the Winch", "Swiss Cottage youth hub", "Camden Town Shed",
)
# fmt: on

# fmt: off
WEEKDAYS: tuple[str, ...] = (
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
)
MONTHS: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)
# fmt: on

# ---------------------------------------------------------------------------
# Group sessions
# ---------------------------------------------------------------------------


class SessionSeries(NamedTuple):
    """A regular group: ``(kind, theme, title, venues, weekday, course_length)``.

    kind is a SessionKind value; the service is the policy's first service of `theme`.
    course_length 0 means weekly drop-in sessions; otherwise courses of that many
    weekly sessions, one after another.
    """

    kind: str
    theme: str
    title: str
    venues: tuple[str, ...]
    weekday: int
    course_length: int


SESSION_SERIES: tuple[SessionSeries, ...] = (
    SessionSeries(
        "stay_and_play",
        "early_years",
        "Stay and play",
        ("Kentish Town Family Hub", "Regent's Park Children's Centre"),
        1,
        0,
    ),
    SessionSeries(
        "stay_and_play",
        "early_years",
        "Baby and me",
        ("Kilburn Grange Family Hub", "Thomas Coram Children's Centre"),
        3,
        0,
    ),
    SessionSeries(
        "youth_project",
        "youth",
        "Youth club",
        ("Castlehaven youth club", "Somers Town youth centre"),
        2,
        0,
    ),
    SessionSeries(
        "youth_project",
        "youth",
        "Music and media project",
        ("Camden Town Shed",),
        4,
        0,
    ),
    SessionSeries(
        "parenting_programme",
        "family",
        "Parenting programme (Incredible Years)",
        ("Gospel Oak Family Hub",),
        2,
        10,
    ),
    SessionSeries(
        "parenting_programme",
        "family",
        "Parenting teenagers",
        ("Hampstead Family Hub",),
        3,
        8,
    ),
)
SESSION_HISTORY_DAYS = 730  # sessions are generated for the two years before the as-of date

# ---------------------------------------------------------------------------
# Reasons for involvement, by theme
# ---------------------------------------------------------------------------

# fmt: off
REASONS: dict[str, tuple[str, ...]] = {
    "early_years": (
        "Referral from {hv}: {mum} ({carer}) reports low mood since {child} was born and is "
        "finding it hard to get out of the house. {Hv} has concerns about {child}'s weight "
        "(below the 9th centile). {Mum} agreed to early help.",
        "{Hv} referred following the 2-year review: {child}'s speech is delayed (ASQ below "
        "cut-off for communication) and the family are isolated. {Mum} wants help finding a "
        "nursery place.",
        "Self-referral: {carer} came into {centre} asking for help with {child}'s sleep and "
        "tantrums. Family recently moved to the borough and have no support nearby.",
        "Referral from {midwife}: young parent, {carer} is {carer_age}, limited support from "
        "family. Housing in poor repair with damp in the bedroom {child} sleeps in.",
        "{Key_person} at {school} raised concerns about {child}'s attendance and that {he} "
        "often arrives hungry. {Mum} acknowledges things are difficult at home and consented "
        "to an EHA.",
        "Referral from {gp} after {carer} disclosed anxiety and struggling with routines for "
        "{child} and {sibling}. {Mum} asked for practical help with bedtimes and meals.",
        "MASH outcome: below threshold for social care; early help offered after police "
        "attended a verbal argument at the address. {Child} was present. {Mum} accepted support.",
    ),
    "family": (
        "Referral from {dsl} at {school}: {child}'s attendance has fallen to {pct}% this term "
        "and {he} has been late most mornings. {Mum} reports {he} refuses to go in. Family "
        "consented to an early help assessment.",
        "Step-down from children's social care after a child and family assessment: no further "
        "statutory role but the family would benefit from support with routines and "
        "boundaries. {Mum} ({carer}) agreed.",
        "Self-referral: {carer} asked for help managing {child}'s behaviour at home and "
        "arguments between {child} and {sibling}. {Mum} says {she} is at the end of "
        "{her} tether.",
        "Referral from {housing}: family in overcrowded one-bedroom flat, rent arrears of "
        "£{amount} and a notice seeking possession. {Mum} worried about the effect on the "
        "children.",
        "{Senco} at {school} referred: {child} is on SEN support, waiting for CAMHS and ADHD "
        "assessment; {Mum} finding it hard to cope and asked for help with an EHCP request.",
        "MASH referral from police after a domestic incident between {carer} and {ex} "
        "({child}'s {relative_role}). Below threshold for social care; {Mum} accepted early "
        "help and is in touch with {idva}.",
        "Referral from {gp}: {mum} ({carer}) has depression and the children are taking on "
        "caring tasks. {Child} ({age}) is described as a young carer.",
        "Referral from {attendance}: persistent absence for {child} ({pct}%) and {sibling}. "
        "Family say the children have been unwell; school not convinced.",
        "Re-referral from {school}: previous episode closed last year; {child} is again "
        "coming in unkempt and tired and {Mum} has not attended two meetings.",
    ),
    "youth": (
        "Referral from {head_of_year} at {school}: {child} ({age}) has been withdrawn, "
        "falling out with friends and spending late nights out. {Mum} worried about who "
        "{he} is with.",
        "Self-referral: {child} came to the youth club and asked a worker for help with "
        "arguments at home and low mood.",
        "{Dsl} at {school} referred after {child} was found with a vape and {pct}% attendance; "
        "{Mum} wants help to keep {him} in school.",
        "Referral from {camhs}: {child} did not meet the threshold for CAMHS treatment but "
        "would benefit from a trusted adult and positive activities.",
        "{Mum} asked for support: {child} ({age}) stays out past midnight and has stopped "
        "talking to the family. {Child} agreed to meet a youth worker.",
    ),
    "careers": (
        "{Child} ({age}) is NEET since leaving {school} in the summer. Referred by "
        "{head_of_year} for careers guidance and help finding a college course.",
        "Self-referral: {child} wants an apprenticeship and help with a CV; left college after "
        "one term.",
        "Referral from {dwp}: {child} claims Universal Credit and has missed appointments; "
        "needs support into education, employment or training.",
    ),
    "substance": (
        "Referral from {dsl} at {school}: {child} ({age}) excluded for five days after being "
        "found with cannabis on site. {Mum} is worried about daily use.",
        "{Police} referred after {child} was stopped and searched and found with cannabis; "
        "community resolution, referral to FWD agreed.",
        "Self-referral: {child} wants to cut down on cannabis and says {he} is smoking "
        "most days to help {him} sleep.",
    ),
    "diversion": (
        "{Police} referred {child} ({age}) after arrest for shoplifting with friends; "
        "outcome 22 (deferred prosecution) conditional on engaging with Engage.",
        "Referral from custody: {child} arrested for possession of a bladed article, released "
        "under investigation. Offered voluntary diversion work.",
        "{Dsl} at {school} referred after {child} was involved in a fight outside school; "
        "police attended, no further action, diversion offered.",
    ),
    "justice": (
        "Court order: {child} ({age}) sentenced to a 9-month referral order at youth court "
        "for robbery. Panel meeting to agree the contract.",
        "Youth conditional caution for criminal damage; {yos} allocated, {child} and "
        "{Mum} to attend the first appointment.",
        "Youth rehabilitation order (12 months, supervision requirement) for possession with "
        "intent. {Child} lives with {mum} ({carer}).",
    ),
    "exploitation": (
        "Referral from {sw}: {child} ({age}) has been missing three times this month, "
        "found in Luton once; concerns about county lines. Discussed at the exploitation panel.",
        "{Police} shared intelligence that {child} is associating with older young people "
        "linked to a local gang. {Mum} worried and asked for help.",
        "Return home interview after {child} was missing for two nights: {he} had unexplained "
        "new clothes and two phones. Referred for support.",
    ),
}
# fmt: on

# When no reason of the theme fits the family (no carer at home, say): it names only the
# young person.
GENERIC_REASONS: tuple[str, ...] = (
    "Referral from {school} for early help: {child} ({age}) is struggling and has little "
    "support at home. {Child} agreed to meet a worker.",
    "Self-referral: {child} ({age}) asked for help after a difficult few months at home.",
)

# ---------------------------------------------------------------------------
# Contact notes
# ---------------------------------------------------------------------------

# How a note of each kind of contact begins. The family members an opening names were
# present, unless it starts with "~" (they are only talked about).
# fmt: off
OPENINGS: dict[str, tuple[str, ...]] = {
    "home_visit": (
        "Home visit to {carer} and {child}.",
        "Home visit to see {child}.",
        "Home visit. {Mum} ({carer}) and {child} seen together in the living room.",
        "Planned home visit; {carer}, {child} and {sibling} at home.",
        "Unannounced visit as agreed at the last TAF. {Carer} answered and invited me in.",
        "Home visit with {hv}. {Mum} ({carer}), {child} and {partner} present.",
        "Visited {carer} at home. {Child} was asleep for the first half of the visit.",
        "Home visit to {carer}; {child} was at {school}.",
        "Home visit to see {child}; {mum} ({carer}) and {partner_role} {partner} there.",
        "Joint home visit with {housing_name} to look at the damp; {carer} showed us the bedroom.",
        "Home visit to {carer} at {her} request after the call on {weekday}.",
    ),
    "phone_call": (
        "Phone call with {carer}.",
        "Call from {mum} ({carer}).",
        "Called {carer} to follow up last week's visit.",
        "~Phone call with {teacher} about {child}.",
        "Tried {carer} twice, no answer; left a voicemail. {Carer} called back later that day.",
        "~Call from {dsl_name} at {school} about {child}.",
        "~Telephone call with {hv} to share information, with {mum}'s consent.",
        "Phone call with {child} ({mum} present on speaker).",
        "Call with {relative} ({child}'s {relative_role}).",
        "Spoke to {carer} on the phone ahead of the TAF meeting.",
    ),
    "meeting": (
        "TAF meeting at {school}: {carer}, {teacher}, {nurse_name} and myself.",
        "TAF review. Present: {Mum} ({carer}), {partner}, {dsl}, {nurse} and me.",
        "Meeting at {school} with {senco} and {carer} about {child}'s support plan.",
        "Network meeting with {sw} and {housing}; {carer} attended for the first half.",
        "Meeting with {child} and {carer} at {centre} to review the plan.",
        "Meeting at {school} with {dsl} about {child}; {carer} came too.",
        "~Multi-agency meeting about {child}. {Mum} sent apologies; views shared beforehand.",
        "Meeting with {carer} and {dwp} at the Jobcentre.",
        "Team around the family meeting at {centre}. {Carer} and {partner} attended.",
        "School meeting with {head_of_year}, {child} and {mum}.",
    ),
    "session_early": (
        "Stay and play at {centre}: {carer} and {child} came.",
        "Play session at home with {child} and {mum}, modelling sharing a book.",
        "Baby massage group at {centre}; {carer} came with {child}.",
        "Messy play session at {venue}; {child} and {sibling} came with {mum}.",
        "Bookstart session at the library with {carer} and {child}.",
    ),
    "session": (
        "1:1 session with {child} at {venue}.",
        "Session with {child} at {venue}; {he} arrived 15 minutes late.",
        "Walk and talk session with {child} around the estate.",
        "Session with {child} at school, in the learning mentor's room.",
        "Keyworking session with {child}. Focus today: {topic}.",
        "Session at {centre} with {carer} and {child}.",
        "Group session at {venue}; {child} took part throughout.",
    ),
    "office_visit": (
        "{Carer} came into {centre} with {child}.",
        "{Mum} ({carer}) dropped into {centre} without an appointment.",
        "{Carer} and {child} seen at {centre} for the planned appointment.",
        "{Child} came to the office after school to see me.",
        "{Child} came into {centre} to use the computer and we talked.",
    ),
    "video_call": (
        "Video call with {carer} (Teams).",
        "Video call with {carer} and {child}; {sibling} joined briefly.",
        "Virtual TAF on Teams with {carer}, {teacher} and {nurse}.",
        "WhatsApp video call with {carer} at {her} request.",
        "Video call with {child}, who did not want to meet in person this week.",
    ),
}

# An opening for a note when no template fits the family.
PLAIN_OPENINGS: dict[str, str] = {
    "home_visit": "Home visit.",
    "phone_call": "Phone call.",
    "meeting": "Meeting.",
    "session": "Session.",
    "office_visit": "Office visit.",
    "video_call": "Video call.",
}

# What a note goes on to say, by topic; a theme draws from some topics.
OBSERVATIONS: dict[str, tuple[str, ...]] = {
    "school": (
        "{Child}'s {teacher} reports attendance at {pct}% this half term.",
        "{Teacher_name} says {child} is more settled in class and has made a friend.",
        "{Mum} says {child} was late four times last week because {he} would not get up.",
        "{Dsl_name} reports {child} came in without a coat again and was hungry at break.",
        "School have put {child} on a reduced timetable for {weeks} weeks.",
        "{Senco_name} is applying for an EHCP needs assessment; {mum} has signed the consent.",
        "{Child} got a certificate for reading in assembly; {mum} very proud.",
        "{Child} had a one-day suspension for swearing at a teacher; {mum} disagrees with it.",
        "{Attendance} wants a meeting if attendance stays under {pct}%.",
        "{Child} has breakfast club at {school} from Monday, which should help mornings.",
        "{Sibling}'s attendance is good ({pct}%); the worry is {child}.",
    ),
    "early": (
        "{Child} babbling and pointing; {mum} is using the words we practised.",
        "{Hv_name} weighed {child}: back up to the 25th centile.",
        "{Child} has started two mornings a week at {school} with a funded place.",
        "{Key_person} says {child} is settling at nursery and now joins circle time.",
        "{Mum} is reading with {child} at bedtime most nights.",
        "{Child} up three times a night; we went through the bedtime routine again.",
        "{Child}'s immunisations are now up to date.",
        "Referral to {salt} has been accepted; first appointment in {weeks} weeks.",
        "{Mum} brought {child} to stay and play twice this week.",
        "{Child} was playing happily with the toys I brought and responded to {his} name.",
        "{Hv} says {mum} has been attending the breastfeeding drop-in.",
    ),
    "home": (
        "The flat was tidy and warm. Food in the fridge.",
        "Black mould in the children's bedroom is worse; {mum} has reported it again.",
        "{Mum} has put up a routine chart in the kitchen.",
        "The children share a bed; a second bed has been requested from the furniture scheme.",
        "Washing piled up and dishes from several days. {Mum} says {she} has had no energy.",
        "{Pupil} showed me {his} room; {he} is proud of the new bunk bed.",
        "{Carer} was on the phone to {relative} when I arrived.",
        "New sofa from the furniture scheme delivered.",
        "No gas on the meter; gave a fuel voucher and referred to the Energy Advice service.",
        "{Partner} was in the kitchen and joined the conversation for the last part.",
    ),
    "parenting": (
        "{Mum} says shouting less has helped; {child} is calmer at bedtime.",
        "We talked about consistent boundaries around screen time.",
        "{Mum} is finding mornings hard with {child} and {sibling}; we planned a routine.",
        "{Mum} used the reward chart all week and {child} earned a trip to the park.",
        "{Carer} has started the parenting programme at {centre} and attended both sessions.",
        "{Mum} and {partner} disagree about rules; agreed to talk it through at the next visit.",
        "{Mum} said {she} lost {her} temper with {child} on {weekday} and felt bad afterwards.",
    ),
    "relative": (
        "{Mum} says {relative_role} ({ex}, lives in {area}) has contact on Saturdays.",
        "{Child} sees {relative_role} ({ex}, lives in {area}) every other weekend.",
        "{Relative} ({child}'s {relative_role}) has not been in touch for {weeks} weeks; "
        "{child} keeps asking about {relative}.",
        "{Child} stayed with {relative_role} {relative} in {area} at the weekend and came back "
        "unsettled.",
        "{Relative} is helping with school pick-ups twice a week.",
        "{Mum} wants contact with {ex} to go through a contact centre.",
        "{Relative} ({relative_role}) phoned {mum} to ask about the school meeting; {mum} "
        "is happy for {relative} to be invited.",
        "{Relative_role} {relative} has moved to {area} so visits are less frequent.",
    ),
    "money": (
        "Universal Credit payment was lower this month because of a sanction; helped {mum} "
        "ask for a review.",
        "Gave a food bank voucher and details of the community kitchen.",
        "Rent arrears now £{amount}; referred to {cab}.",
        "Helped {carer} complete the free school meals form for {child}.",
        "{Housing} confirmed the family are on the transfer list (band B).",
        "Council tax reduction application submitted with {mum}.",
        "{Carer} has a job interview on {next_date}; we practised questions.",
        "Applied to the Household Support Fund for school uniform.",
    ),
    "wellbeing": (
        "{Mum} says {her} mood is low; {she} has an appointment with {gp} on {next_date}.",
        "{Carer} has started talking therapies and says it is helping.",
        "{Mum} is sleeping better since the medication was changed.",
        "{Carer} said {she} feels isolated; gave details of the coffee morning at {centre}.",
        "{Mh} is now seeing {carer} every two weeks.",
        "{Mum} was tearful talking about the past year.",
        "{Mum} has stopped drinking in the week and says {she} feels more in control.",
    ),
    "safety": (
        "{Mum} says there have been no further incidents since the non-molestation order.",
        "Safety plan reviewed with {carer}; {idva} still involved.",
        "{Ex} turned up at the flat on {weekday}; {mum} did not let {rel_him} in and called "
        "the police.",
        "No concerns seen during the visit; the children were relaxed with {mum}.",
        "Discussed safe sleep with {mum}; {child} sleeps in {his} own cot.",
    ),
    "youth": (
        "{Child} says things are better at home but {he} still argues with {mum} about "
        "curfew.",
        "{Child} came to youth club on {weekday} and stayed to the end.",
        "{Child} talked about wanting to be a mechanic; looked at courses together.",
        "{Child} says {he} has stopped hanging around with the older boys from the estate.",
        "{Child} was quiet today and did not want to talk about school.",
        "{Child} has been going to the gym with {youth_worker}.",
        "{Mum} reports {child} was home by 10pm every night this week.",
        "{Child} said {he} has been smoking less, about twice a week.",
        "{Child} completed the first aid course and got the certificate.",
        "{Child} missed the session; messaged {him} and {he} replied later.",
        "{Child} talked about feeling under pressure from people online.",
    ),
    "careers": (
        "Updated {child}'s CV and looked at apprenticeships on the government website.",
        "{Child} has an interview at the college on {next_date} for Level 2 construction.",
        "{Careers_name} helped {child} apply for the Kickstart-style placement at the market.",
        "{Child} has been to two taster days and prefers the catering course.",
        "Bus pass applied for so {child} can get to college.",
    ),
    "justice": (
        "Went through the referral order contract with {child}: reparation hours started.",
        "{Child} completed {weeks} hours of reparation at the community garden.",
        "{Yos_name} says {child} has kept all appointments this month.",
        "Victim awareness work: {child} wrote a letter of apology (not sent yet).",
        "{Child} was stopped by police on {weekday}; no further action.",
        "Court date for the breach hearing is {next_date}; {mum} will attend with {him}.",
        "{Child} talked about how {he} got drawn into the robbery and what {he} would do now.",
    ),
    "exploitation": (
        "{Child} was reported missing on {weekday} night and came home the next morning.",
        "Return home interview completed; {child} would not say where {he} had been.",
        "{Police_name} updated: intelligence suggests {child} is still in contact with the "
        "older group.",
        "{Child} has a new phone {mum} did not buy; {mum} has taken it off {him}.",
        "Disruption plan discussed at the exploitation panel; {sw} to lead.",
        "{Child} agreed to a safety plan: phone on, home by 9pm, call {mum} if in trouble.",
    ),
    "voice": (
        "{Pupil} said: \"I like it when {mum} comes to watch me play football.\"",
        "{Child} says {he} wants to see {relative} more.",
        "{Child} drew a picture of home; {he} put everyone in it except {partner}.",
        "{Child} said {he} feels safe at home.",
        "{Child} said the best thing this week was going to the park with {sibling}.",
        "{Child} said {he} worries about {mum} when {she} is sad.",
        "{Sibling} wanted to show me {sibling_his} homework.",
    ),
}

# Topics drawn on for each theme, with weights.
THEME_TOPICS: dict[str, tuple[tuple[str, int], ...]] = {
    "early_years": (
        ("early", 5), ("home", 3), ("parenting", 3), ("wellbeing", 3), ("relative", 2),
        ("money", 2), ("safety", 1),
    ),
    "family": (
        ("school", 5), ("home", 3), ("parenting", 4), ("wellbeing", 3), ("relative", 3),
        ("money", 3), ("safety", 2), ("voice", 3),
    ),
    "youth": (("youth", 6), ("school", 3), ("voice", 3), ("relative", 2), ("parenting", 1)),
    "careers": (("careers", 6), ("youth", 2), ("money", 2), ("voice", 1)),
    "substance": (("youth", 6), ("school", 2), ("voice", 2), ("relative", 1)),
    "diversion": (("justice", 3), ("youth", 5), ("school", 2), ("voice", 2)),
    "justice": (("justice", 6), ("youth", 3), ("school", 1), ("relative", 1)),
    "exploitation": (("exploitation", 6), ("youth", 3), ("school", 1), ("voice", 1)),
}

# How a note ends: what happens next.
NEXT_STEPS: tuple[str, ...] = (
    "Next visit booked for {next_date}.",
    "Will chase {housing_name} about the repairs.",
    "To discuss at the TAF review on {next_date}.",
    "Actions: {mum} to call {gp_name}; I will send the referral to {salt_name}.",
    "I will speak to {teacher_name} before the next meeting.",
    "Agreed to meet {pupil} again on {weekday} after school.",
    "Will update {sw_name} as agreed.",
    "{Hv_name} to follow up on {child}'s weight.",
    "Plan updated; copy to be sent to {carer}.",
    "Next session {next_date} at {venue}.",
    "No further actions today.",
    "Will check in by phone on {weekday}.",
    "Sent the food bank referral the same day.",
    "Case discussed with my manager in supervision.",
    "{Mum} to let me know how the appointment goes.",
)

# Session topics for keyworking sessions.
TOPICS: tuple[str, ...] = (
    "anger", "staying safe online", "healthy relationships", "what makes a good friend",
    "goals for next term", "sleep", "consent", "money", "knife crime", "feelings at home",
)
# fmt: on

# ---------------------------------------------------------------------------
# Assessments and plans
# ---------------------------------------------------------------------------

# fmt: off
FAMILY_VIEWS: tuple[str, ...] = (
    "{Mum} ({carer}) says {she} wants the children in school every day and less shouting at "
    "home.",
    "{Mum} wants help with housing: \"We can't carry on in one bedroom.\"",
    "{Carer} says {she} is managing but would like someone to talk to.",
    "{Child} says {he} would like more time with {relative}.",
    "{Child} says school is boring and {he} doesn't have many friends.",
    "{Partner} says the family just needs a break and more help with money.",
    "{Mum} wants {child} to be assessed for autism.",
    "{Child} wants {his} own room and for {mum} to be happy.",
    "{Carer} says the last worker did not listen; {she} wants things to be done with "
    "{her_obj}, not to {her_obj}.",
    "{Mum} worries about {child} when {he} is out late.",
)

STRENGTHS: tuple[str, ...] = (
    "Warm, loving relationship between {mum} and the children.",
    "{Relative} ({relative_role}) is a reliable support and helps with childcare.",
    "{Mum} is open with professionals and asks for help.",
    "{Child} has a good relationship with {teacher}.",
    "{Pupil} enjoys football and goes to a club on Saturdays.",
    "The family have strong links with their faith community.",
    "{Carer} has kept every appointment since the referral.",
    "{Sibling} and {child} are close and look out for each other.",
    "{Partner} is supportive and shares the school runs.",
    "{Child} is bright and curious; {teacher_name} says {he} loves reading.",
)

NEEDS: dict[str, tuple[str, ...]] = {
    "early_years": (
        "{Child}'s speech and language development.",
        "{Mum}'s low mood and isolation.",
        "Consistent bedtime and feeding routines.",
        "Safe, warm housing without damp.",
        "Nursery place and early learning.",
        "Income: benefits not yet sorted since the move.",
    ),
    "family": (
        "School attendance for {child} and {sibling}.",
        "Boundaries and routines at home.",
        "Overcrowding and rent arrears.",
        "{Mum}'s mental health.",
        "{Child}'s emotional wellbeing and possible additional needs.",
        "Safety from domestic abuse.",
        "Debt and money management.",
    ),
    "youth": (
        "Emotional wellbeing and a trusted adult.",
        "Positive activities in the evenings.",
        "Relationship between {child} and {mum}.",
        "School engagement.",
    ),
    "careers": (
        "A college course or apprenticeship.",
        "CV and interview skills.",
        "Confidence and travel to new places.",
    ),
    "substance": (
        "Cannabis use and its effect on sleep and school.",
        "Understanding risks and harm reduction.",
        "Who {child} spends time with.",
    ),
    "diversion": (
        "Understanding the consequences of offending.",
        "Positive peers and activities.",
        "School engagement.",
    ),
    "justice": (
        "Completing the order and reparation.",
        "Reducing the risk of reoffending.",
        "Education, training or employment.",
        "Victim awareness.",
    ),
    "exploitation": (
        "Safety from exploitation and going missing.",
        "A trusted relationship with a worker.",
        "Disrupting contact with those exploiting {him}.",
        "Support for {mum} to keep {child} safe.",
    ),
}

SUMMARIES: tuple[str, ...] = (
    "Family agreed an early help plan focused on {need}. Reviewed in six weeks.",
    "{Mum} and {child} contributed to the assessment. Main focus: {need}.",
    "Needs can be met with early help; TAF to be set up with {teacher} and {hv}.",
    "Assessment completed with the family over three visits. Agreed priority: {need}.",
    "{Child} and {mum} agree the priority is {need}; {relative} to be invited to the TAF.",
)

# (goal, actions) by theme: who does what, as a plan says it.
GOALS: dict[str, tuple[tuple[str, str], ...]] = {
    "early_years": (
        ("{Child} to be using more words by {target}.",
         "{Mum} to read with {child} daily; {salt_name} to see {child}; FSW to model play."),
        ("{Child} to have a settled bedtime routine.",
         "FSW to make a routine chart with {mum}; {hv_name} to review sleep in {weeks} weeks."),
        ("{Child} to start at nursery with a funded place.",
         "FSW to help {mum} apply; {key_person} to arrange settling-in sessions."),
        ("{Mum} to feel less isolated.",
         "{Mum} to attend stay and play at {centre}; FSW to go with {her_obj} the first time."),
        ("Damp and mould in the flat to be fixed.",
         "FSW to write to {housing}; {mum} to keep photos and a diary."),
    ),
    "family": (
        ("{Child}'s attendance to be above 95% by {target}.",
         "{Mum} to get {child} to breakfast club; {attendance_name} to review weekly."),
        ("Calmer mornings and bedtimes.",
         "{Mum} to use the routine chart; FSW to visit weekly to review."),
        ("Rent arrears reduced and a repayment plan agreed.",
         "{Cab_name} to help with the debt; FSW to support the housing benefit claim."),
        ("{Mum} to get support for {her} mental health.",
         "{Mum} to see {gp_name}; FSW to refer to talking therapies."),
        ("{Child} to have an assessment of {his} needs.",
         "{Senco_name} to request EHCP assessment; {mum} to send the form back."),
        ("The family to feel safe at home.",
         "{Idva_name} to review the safety plan; {mum} to call 999 if {ex} comes."),
    ),
    "youth": (
        ("{Child} to have a positive activity each week.",
         "{Youth_worker_name} to take {child} to the youth club on {weekday}s."),
        ("{Child} and {mum} to argue less about curfew.",
         "FSW to mediate an agreement; {child} to text {mum} if late."),
        ("{Child} to attend school every day.",
         "{Head_of_year_name} to set up a mentor; {child} to check in each morning."),
        ("{Child} to feel less low and know where to get help.",
         "{Camhs_name} to see {child} for six sessions; FSW to share the Kooth details."),
        ("{Child} to be home by the agreed time.",
         "{Child} and {mum} to agree a curfew; youth worker to check in each week."),
    ),
    "careers": (
        ("{Child} to start a college course by {target}.",
         "{Careers_name} to help with applications; {child} to attend the open day."),
        ("{Child} to have an up-to-date CV.",
         "{Child} and {careers_name} to finish the CV in the next session."),
        ("{Child} to travel to college on {his} own.",
         "{Careers_name} to do the journey with {child} once; bus pass to be applied for."),
        ("{Child} to have a bank account and a budget.",
         "{Child} to bring ID; FSW to go with {him} to the bank."),
    ),
    "substance": (
        ("{Child} to cut down cannabis to weekends only.",
         "{Fwd_name} to see {child} weekly; {child} to keep a use diary."),
        ("{Child} to understand the risks of what {he} uses.",
         "Harm-reduction sessions with {fwd_name}."),
        ("{Child} to sleep better without smoking at night.",
         "{Fwd_name} to work on a sleep plan with {child}; {gp_name} to review."),
        ("{Child} to be back in full-time education.",
         "{Head_of_year_name} to plan the return; {child} to meet {fwd_name} at school."),
    ),
    "diversion": (
        ("{Child} to complete the diversion programme.",
         "{Child} to attend six sessions with {youth_worker_name}."),
        ("{Child} to take part in a positive activity.",
         "{Youth_worker_name} to introduce {child} to the boxing club."),
        ("{Child} to understand how {his} actions affected others.",
         "Victim awareness sessions with {youth_worker_name}."),
        ("{Child} to stay away from the group {he} was arrested with.",
         "{Police_name} and {youth_worker_name} to review who {child} spends time with."),
    ),
    "justice": (
        ("{Child} to complete the referral order.",
         "{Yos_name} to see {child} weekly; {child} to complete the reparation hours."),
        ("{Child} to stay out of trouble.",
         "{Child} to avoid the area named in the order; {mum} to support the curfew."),
        ("{Child} to be in education, training or employment.",
         "{Yos_name} to refer {child} to the education worker; {child} to attend the taster."),
        ("{Child} to complete the victim awareness work.",
         "{Yos_name} to deliver four sessions; {child} to write a letter of apology."),
    ),
    "exploitation": (
        ("{Child} to stop going missing.",
         "{Sw_name} to lead the safety plan; {mum} to report missing episodes straight away."),
        ("{Child} to have a trusted adult.",
         "{Youth_worker_name} to see {child} twice a week."),
        ("{Child} to be safe from those exploiting {him}.",
         "{Police_name} to carry out disruption; {sw_name} to review at the panel."),
        ("{Child} to be back in school.",
         "{Dsl_name} to arrange a reintegration meeting; {child} to attend with {mum}."),
    ),
}

DOCUMENTS: tuple[tuple[str, str], ...] = (
    ("referral", "Referral form – {child_full}"),
    ("consent", "Signed consent to share information – {carer_full}"),
    ("assessment", "Early help assessment – {child_full}"),
    ("assessment", "TAF plan and review – {child_full}"),
    ("report", "School attendance report – {child_full}"),
    ("report", "Health visitor review – {child_full}"),
    ("letter", "Letter from the housing office to {carer_full}"),
    ("letter", "Closure letter to {carer_full}"),
    ("other", "Photos of damp in the flat"),
)
# fmt: on

# ---------------------------------------------------------------------------
# Staff and allocation
# ---------------------------------------------------------------------------

# How many synthetic practitioners each team has (and one team manager).
PRACTITIONERS_PER_TEAM = 6

ALLOCATION_REASONS: tuple[str, ...] = (
    "New referral; worker has space on their caseload.",
    "Worker covers the family's area.",
    "Worker knows the school and the DSL.",
    "Worker has experience of this kind of need.",
    "Worker worked with the family before.",
    "Worker speaks the family's first language.",
    "Allocated at the team's allocation meeting.",
)

REALLOCATION_REASONS: tuple[str, ...] = (
    "Previous worker has left the team.",
    "Previous worker on long-term leave.",
    "Caseloads balanced across the team.",
    "Family asked for a new worker.",
    "Needs now fit this worker's experience better.",
)

# ---------------------------------------------------------------------------
# Assessments: the child's views, who took part, needs classed by outcome
# ---------------------------------------------------------------------------

# The child's views, wishes and feelings: observed for the very young, in their own words
# for the rest.
CHILD_VIEWS_YOUNG: tuple[str, ...] = (
    "{Child} is too young to say; {he} was settled and smiling in play with {mum}.",
    "{Child} babbled and reached for {mum} when unsure; {he} seems secure with {her_obj}.",
    "Observed at home: {child} explored the toys and looked back to {mum} for reassurance.",
    "{Child} was unsettled when visitors came in and calmed quickly with {mum}.",
    "{Child} is too young to say; observed settled and playing happily during the visit.",
)

CHILD_VIEWS: tuple[str, ...] = (
    "{Child} says {he} wants things to be calmer at home.",
    "{Child} says {he} likes {school} but finds some lessons hard.",
    '{Child} says "I just want everyone to stop arguing."',
    "{Child} wants to see {relative} more.",
    "{Child} says {he} feels safe at home and likes {his} room.",
    "{Child} did not want to talk at first; later said {he} worries about {mum}.",
    "{Child} says {he} would like to join a club and make friends.",
    "{Child} says nobody listens to {him} at school.",
    "{Child} drew {his} family and put {sibling} next to {him}; said they are best friends.",
)

# Who took part in an assessment: of a family's case, and of a young person's.
TOOK_PART: tuple[str, ...] = (
    "{Mum} ({carer}), {child} and FSW.",
    "{Mum} ({carer}), {partner} ({partner_role}), {child} and FSW.",
    "{Mum} ({carer}), {child}, {teacher} and FSW.",
    "{Mum} ({carer}), {child}, {hv} and FSW.",
    "{Mum} ({carer}), {relative} ({relative_role}), {child} and FSW.",
)
TOOK_PART_YOUTH: tuple[str, ...] = (
    "{Mum} ({carer}), {child} and FSW.",
    "{Mum} ({carer}) and FSW; {child} seen separately.",
    "{Child}, {mum} ({carer}), {dsl} and FSW.",
    "{Child}, {youth_worker} and FSW.",
    "{Child}, {mum} ({carer}), {head_of_year} and FSW.",
)

# The words of a policy headline outcome's name that each need (a NEEDS text) is classed
# against; a policy whose outcomes lack them gets its first outcome instead.
NEED_OUTCOME_WORDS: dict[str, str] = {
    "{Child}'s speech and language development.": "early years",
    "{Mum}'s low mood and isolation.": "health",
    "Consistent bedtime and feeding routines.": "early years",
    "Safe, warm housing without damp.": "housing",
    "Nursery place and early learning.": "early years",
    "Income: benefits not yet sorted since the move.": "financial",
    "School attendance for {child} and {sibling}.": "education",
    "Boundaries and routines at home.": "relationships",
    "Overcrowding and rent arrears.": "housing",
    "{Mum}'s mental health.": "health",
    "{Child}'s emotional wellbeing and possible additional needs.": "health",
    "Safety from domestic abuse.": "domestic abuse",
    "Debt and money management.": "financial",
    "Emotional wellbeing and a trusted adult.": "health",
    "Positive activities in the evenings.": "crime",
    "Relationship between {child} and {mum}.": "relationships",
    "School engagement.": "education",
    "A college course or apprenticeship.": "education",
    "CV and interview skills.": "financial",
    "Confidence and travel to new places.": "health",
    "Cannabis use and its effect on sleep and school.": "substance",
    "Understanding risks and harm reduction.": "substance",
    "Who {child} spends time with.": "exploitation",
    "Understanding the consequences of offending.": "crime",
    "Positive peers and activities.": "crime",
    "Completing the order and reparation.": "crime",
    "Reducing the risk of reoffending.": "crime",
    "Education, training or employment.": "education",
    "Victim awareness.": "crime",
    "Safety from exploitation and going missing.": "exploitation",
    "A trusted relationship with a worker.": "exploitation",
    "Disrupting contact with those exploiting {him}.": "exploitation",
    "Support for {mum} to keep {child} safe.": "exploitation",
}

# ---------------------------------------------------------------------------
# Plans: actions, reviews
# ---------------------------------------------------------------------------

# Who an action of a plan's "who does what" falls to when its words name no one.
DEFAULT_ACTION_WHO = "FSW"

PLAN_REVIEW_SUMMARIES: tuple[str, ...] = (
    "TAF review with {mum} and {teacher}. Progress on most goals; plan continues.",
    "Reviewed with {mum} ({carer}) and {child}. Goals updated; next review booked.",
    "TAF review held at {centre}. {Mum} says things are better; some goals still open.",
    "Review with the family and {hv}. Plan continues with the same goals.",
    "{Child} and {mum} attended the review. Agreed to keep going for another cycle.",
    "TAF review held with {child}; some goals met, the rest carried on into the next cycle.",
    "Plan reviewed with the professionals around the family; it continues.",
)

PLAN_REPLACED_SUMMARY = "Reviewed at the review assessment; replaced by the plan agreed on {day}."
PLAN_ENDED_SUMMARY = "Final review before the case closed."

GOAL_PROGRESS_COMMENTS: dict[str, tuple[str, ...]] = {
    "achieved": (
        "Done; the family say it has made a difference.",
        "Achieved and holding since the last visit.",
        "Met: confirmed by the school.",
    ),
    "in_progress": (
        "Some progress; keep going.",
        "Started, but not every week yet.",
        "Partly done; a new date agreed.",
    ),
    "not_achieved": (
        "Not done: the family could not get to the appointments.",
        "No change; to be looked at again with the family.",
        "Not achieved; the referral was not taken up.",
    ),
    "not_started": ("Not started yet.",),
}

# ---------------------------------------------------------------------------
# Closure: summaries by closure reason, evidence of outcomes, sign-off
# ---------------------------------------------------------------------------

CLOSURE_SUMMARIES: dict[str, tuple[str, ...]] = {
    "needs-met": (
        "Goals of the plan met; {mum} feels able to manage without early help.",
        "{Child} settled at {school} and the family no longer need support.",
    ),
    "stepped-down": (
        "Needs now low; {child} continues with {teacher} and universal services.",
        "Stepped down to the children's centre; {mum} knows how to get back in touch.",
    ),
    "stepped-up": (
        "Concerns increased; referred to children's social care after a discussion with "
        "the manager.",
        "Risks beyond early help: referral made to children's social care.",
    ),
    "declined": ("{Mum} declined further support; closure letter sent.",),
    "disengaged": (
        "No contact despite visits, calls and letters; closed with the manager's agreement.",
    ),
    "moved-away": ("Family moved out of the borough; the new area's early help was told.",),
    "transferred": ("Work transferred to another service; handover meeting held.",),
}
GENERIC_CLOSURE_SUMMARY = "Case closed; the family were told and know how to get back in touch."

EVIDENCE_ACHIEVED: tuple[str, ...] = (
    "{Mum} and {teacher_name} both report the change has lasted.",
    "School attendance data and {mum}'s own account.",
    "Seen on home visits over the last three months.",
    "Confirmed at the final TAF review.",
    "{Child} says things are better and {mum} agrees.",
)

EVIDENCE_NOT_ACHIEVED: tuple[str, ...] = (
    "No change seen before the case closed.",
    "The family did not take up the support offered.",
    "Too early to say; the case closed before the work was done.",
    "Reports from school show the concern continues.",
)

MANAGER_COMMENTS: tuple[str, ...] = (
    "Agreed. Closure letter to go to the family.",
    "Signed off; outcomes recorded.",
    "Agreed; good work with this family.",
    "",
)

# The outcome words of each plan goal (a GOALS text), to link it to the need of the same
# outcome when the assessment found one.
GOAL_OUTCOME_WORDS: dict[str, str] = {
    "{Child} to be using more words by {target}.": "early years",
    "{Child} to have a settled bedtime routine.": "early years",
    "{Child} to start at nursery with a funded place.": "early years",
    "{Mum} to feel less isolated.": "health",
    "Damp and mould in the flat to be fixed.": "housing",
    "{Child}'s attendance to be above 95% by {target}.": "education",
    "Calmer mornings and bedtimes.": "relationships",
    "Rent arrears reduced and a repayment plan agreed.": "housing",
    "{Mum} to get support for {her} mental health.": "health",
    "{Child} to have an assessment of {his} needs.": "health",
    "The family to feel safe at home.": "domestic abuse",
    "{Child} to have a positive activity each week.": "crime",
    "{Child} and {mum} to argue less about curfew.": "relationships",
    "{Child} to attend school every day.": "education",
    "{Child} to feel less low and know where to get help.": "health",
    "{Child} to be home by the agreed time.": "relationships",
    "{Child} to start a college course by {target}.": "education",
    "{Child} to have an up-to-date CV.": "financial",
    "{Child} to travel to college on {his} own.": "health",
    "{Child} to have a bank account and a budget.": "financial",
    "{Child} to cut down cannabis to weekends only.": "substance",
    "{Child} to understand the risks of what {he} uses.": "substance",
    "{Child} to sleep better without smoking at night.": "substance",
    "{Child} to be back in full-time education.": "education",
    "{Child} to complete the diversion programme.": "crime",
    "{Child} to take part in a positive activity.": "crime",
    "{Child} to understand how {his} actions affected others.": "crime",
    "{Child} to stay away from the group {he} was arrested with.": "crime",
    "{Child} to complete the referral order.": "crime",
    "{Child} to stay out of trouble.": "crime",
    "{Child} to be in education, training or employment.": "education",
    "{Child} to complete the victim awareness work.": "crime",
    "{Child} to stop going missing.": "exploitation",
    "{Child} to have a trusted adult.": "exploitation",
    "{Child} to be safe from those exploiting {him}.": "exploitation",
    "{Child} to be back in school.": "education",
}

# The words of the policy's closure reason whose outcomes are mostly achieved.
NEEDS_MET_WORDS = "needs met"
