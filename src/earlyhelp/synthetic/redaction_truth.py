"""Contact case notes whose personal data is known by construction: redaction ground truth.

Pure Python, no database. `truth_notes(count, seed, as_of)` draws families from the
generator (`FamilyFactory`), takes one child of each as the person a case is about and so
as the requester of a subject access request, and writes that case's contact notes the way
`CaseMaker.contacts` does (the same openings, observations and next steps, filled by the
same `CaseVoice`). Each text is built piece by piece from its template, so the place of
every name and identifier written into it is recorded as it is written, never looked for
in the finished text.

Some notes carry identifiers (a sibling's NHS number, UPN or date of birth, a relative's
telephone number or address, a carer's email address or National Insurance number), from
the few templates below, which `earlyhelp generate` never uses, so the database generator
is unchanged; some carry decoys that are not personal data (sums of money, times, years,
case references, appointment dates); a few carry the requester's own identifiers.

Who is who, for a request by the child a case is about (DPA 2018 Schedule 2 paragraphs
16 and 17): the requester's own name and identifiers are theirs to have; everyone else in
the family is a third party; professionals named in their role are workers, disclosed by
default. Every name and identifier a note holds is a `Span` of one of these.
"""

import random
import string
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from earlyhelp.synthetic import casework_vocabulary as cv
from earlyhelp.synthetic.families import FamilyFactory, FamilySpec, PersonSpec
from earlyhelp.synthetic.notes import ROLES, CaseVoice, Slots, age_on

# What a span is.
NAME = "name"
NHS_NUMBER = "nhs_number"
TELEPHONE = "telephone"
EMAIL = "email"
DATE_OF_BIRTH = "date_of_birth"
POSTCODE = "postcode"
ADDRESS = "address"
UPN = "upn"
NI_NUMBER = "ni_number"
IDENTIFIER_KINDS = frozenset(
    {NHS_NUMBER, TELEPHONE, EMAIL, DATE_OF_BIRTH, POSTCODE, ADDRESS, UPN, NI_NUMBER}
)
# Decoys: look like data a finder might take, are nobody's personal data.
AMOUNT = "amount"
TIME = "time"
YEAR = "year"
CASE_REFERENCE = "case_reference"
APPOINTMENT_DATE = "appointment_date"

# Whose a span is.
THIRD_PARTY = "third_party"
REQUESTER = "requester"
WORKER = "worker"
NOBODY = "nobody"

# HMRC NIM39110: administrative prefixes that look like a National Insurance number's but
# are never a person's (FY is also one, but a NINO's first letter is never F, so a pattern
# would rightly refuse it).
ADMINISTRATIVE_NINO_PREFIXES = ("CR", "MW", "PY", "PZ")

# Shares of notes that carry third-party identifiers, decoys, the requester's own.
IDENTIFIER_RATE = 0.4
DECOY_RATE = 0.3
OWN_IDENTIFIER_RATE = 0.08
# A case's length in days and the days between its contacts, (from, below), as
# casework.py draws a closed case's episode and the contacts in it.
CASE_DAYS = (42, 400)
CONTACT_GAP_DAYS = (3, 22)
# How far back a case may start, in days before the as-of date: (from, below).
CASE_START_DAYS = (42, 700)
# Draws of a professional's name before one shares no word with the family's names.
PROFESSIONAL_TRIES = 50

# Sentences that write third parties' identifiers; only this module uses them.
IDENTIFIER_SENTENCES: tuple[str, ...] = (
    "{Sibling}'s NHS number is {sibling_nhs}.",
    "GP letter for {sibling} (NHS no. {sibling_nhs}) passed to {mum}.",
    "{Sibling} was born {sibling_born} and is not yet registered with a GP.",
    "Health records requested for {sibling}, date of birth {sibling_born}.",
    "{Mum} gave {sibling}'s details: DOB {sibling_born}, NHS {sibling_nhs}.",
    "{Sibling}'s UPN is {sibling_upn}; {school} asked for it on the referral.",
    "{Relative} ({child}'s {relative_role}) can be reached on {relative_phone}.",
    "{Mum} asked me to ring {relative} on {relative_phone} if {she} is not in.",
    "Called {carer} on {carer_phone}; no answer.",
    "{Partner}'s mobile is {partner_phone}.",
    "{Carer}'s email is {carer_email}.",
    "Minutes to be sent to {carer} at {carer_email}.",
    "{Relative} has moved to {relative_address}, {relative_postcode}.",
    "{Relative} now lives in {area}, {relative_postcode}.",
    "{Carer} gave {her} National Insurance number ({carer_nino}) for the housing form.",
    "{Partner}'s NI number is {partner_nino}.",
)
# Sentences that write the requester's own identifiers: theirs, never redacted.
OWN_SENTENCES: tuple[str, ...] = (
    "{Child}'s NHS number is {child_nhs}.",
    "{Child_full}, born {child_born}, is registered with {gp_name}.",
    "{Child}'s UPN is {child_upn}.",
)
# Sentences with decoys only.
DECOY_SENTENCES: tuple[str, ...] = (
    "Food bank voucher for £{money} given.",
    "Meeting moved to {clock}.",
    "{Mum} has lived in Camden since {year}.",
    "Case reference {case_ref}.",
    "Review booked for {appointment} at {clock}.",
    "Rent arrears of £{money} since {year}.",
)

NHS_FORMATS = ("{0} {1} {2}", "{0}{1}{2}", "{0}-{1}-{2}")
# A UK mobile "07700 900123" written the ways notes write telephone numbers.
PHONE_FORMATS = (
    "0{a} {b}",
    "0{a}{b}",
    "+44 {a} {b}",
    "+44{a}{b}",
    "0{a}-{b3}-{b4}",
    "(0{a}) {b}",
    "0{a} {b3} {b4}",
)
DATE_FORMATS = ("{d} {month} {y}", "{dd}/{mm}/{y}", "{d}/{m}/{y}", "{dd}.{mm}.{y}")
NINO_FORMATS = ("{p} {n1} {n2} {n3} {s}", "{p}{n1}{n2}{n3}{s}")


@dataclass(frozen=True)
class Span:
    """[start, end) of a note's text: a `kind` of data, `whose` it is, the text there.

    `person` is the index of the family member it is about (FamilySpec.people), or None
    for a worker or a decoy.
    """

    start: int
    end: int
    kind: str
    whose: str
    value: str
    person: int | None = None


@dataclass(frozen=True)
class PartyTruth:
    """A family member as the generator made them, with the forms their name takes."""

    person: int  # index into the family's people
    relation: str  # what they are to the requester: "mum", "brother", ""
    full_names: tuple[str, ...]
    given_names: tuple[str, ...]
    family_names: tuple[str, ...]
    date_of_birth: date
    nhs_number: str = ""
    upn: str = ""
    telephone: str = ""
    email: str = ""
    ni_number: str = ""
    address: str = ""
    postcode: str = ""


@dataclass
class TruthNote:
    """One contact note, who it is for, and every name and identifier written into it."""

    family: int  # ordinal of the family (one case, one requester) in the run
    text: str
    requester: PartyTruth
    third_parties: tuple[PartyTruth, ...]
    workers: tuple[str, ...]  # names of the professionals of the case, as notes write them
    spans: tuple[Span, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO 8601 strings)."""
        data = asdict(self)
        for party in [data["requester"], *data["third_parties"]]:
            party["date_of_birth"] = party["date_of_birth"].isoformat()
        return data


@dataclass
class FamilyExtras:
    """What the generator does not make, made here: where a relative elsewhere lives, and
    adults' National Insurance numbers (administrative prefixes, never a person's)."""

    relative_address: tuple[str, str] | None  # (address line, postcode)
    ni_numbers: dict[int, str]


class TruthVoice(CaseVoice):
    """A `CaseVoice` whose professionals share no word of their names with the family.

    `CaseVoice` already keeps a professional's surname apart from the family's names; here
    no word is shared, so every name in a note is unambiguously a worker's or a family
    member's, and the ground truth can say which.
    """

    def professional(self, key: str) -> tuple[str, str]:
        known = self.professionals.get(key)
        if known is None:
            family_words = {
                word
                for person in self.people
                for name in (
                    person.given_name,
                    person.family_name,
                    *(f"{f.given_name} {f.family_name}" for f in person.former_names),
                )
                for word in name.split()
            }
            for _ in range(PROFESSIONAL_TRIES):
                known = self.new_professional(ROLES[key])
                if not set(known[1].split()) & family_words:
                    break
            else:
                raise KeyError(key)  # the text is not written; another template is tried
            self.professionals[key] = known
        return known


class TracedSlots(Slots):
    """`Slots` that also fills this module's identifier slots and says where each value went."""

    def __init__(self, voice: CaseVoice, day: date, extras: FamilyExtras) -> None:
        super().__init__(voice, day, {})
        self.extras = extras

    def traced(self, templates: tuple[str, ...], tries: int = 8) -> tuple[str, list[Span]]:
        """One of `templates` filled, with the spans of what it wrote; ("", []) if none fits."""
        rng = self.voice.rng
        picks = [rng.choice(templates) for _ in range(tries)]
        for template in [*picks, *templates]:
            self.named = set()
            try:
                return self.build(template)
            except KeyError:
                continue
        return "", []

    def build(self, template: str) -> tuple[str, list[Span]]:
        """Fill `template` piece by piece; KeyError when it names someone not in the family."""
        pieces: list[str] = []
        spans: list[Span] = []
        at = 0
        # An opening's leading "~" only tells the generator nobody named was present.
        for literal, key, spec, conversion in string.Formatter().parse(template.lstrip("~")):
            pieces.append(literal)
            at += len(literal)
            if key is None:
                continue
            if spec or conversion:
                raise ValueError(f"slot {{{key}}} has a format: not supported")
            value = self[key]
            spans.extend(self.spans_of(key, value, at))
            pieces.append(value)
            at += len(value)
        return "".join(pieces), spans

    def spans_of(self, key: str, value: str, at: int) -> list[Span]:
        """The spans of `value`, written at `at` for slot `key`."""
        voice = self.voice
        base = key[0].lower() + key[1:]
        end = at + len(value)
        who = {
            "child": voice.focus,
            "child_full": voice.focus,
            "pupil": voice.focus,
            "carer": voice.carer,
            "carer_full": voice.carer,
            "sibling": self.sibling,
            "partner": voice.partner,
            "ex": voice.relative,
            "relative": voice.relative,
        }
        if base in who:
            person = who[base]
            whose = REQUESTER if person == voice.focus else THIRD_PARTY
            return [Span(at, end, NAME, whose, value, person)]
        role = base.removesuffix("_name")
        if role in ROLES:
            name = voice.professionals[role][1]
            # "class teacher Ms Okafor": the name is the end of the phrase.
            return [Span(end - len(name), end, NAME, WORKER, name)]
        found = self.identifier_slots.get(base)
        if found is None:
            return []
        kind, whose, person = found
        return [Span(at, end, kind, whose, value, person)]

    @property
    def identifier_slots(self) -> dict[str, tuple[str, str, int | None]]:
        """Slot -> (kind, whose, person) for this module's slots, once they are filled."""
        voice = self.voice
        slots: dict[str, tuple[str, str, int | None]] = {
            "child_nhs": (NHS_NUMBER, REQUESTER, voice.focus),
            "child_born": (DATE_OF_BIRTH, REQUESTER, voice.focus),
            "child_upn": (UPN, REQUESTER, voice.focus),
            "sibling_nhs": (NHS_NUMBER, THIRD_PARTY, self.sibling),
            "sibling_born": (DATE_OF_BIRTH, THIRD_PARTY, self.sibling),
            "sibling_upn": (UPN, THIRD_PARTY, self.sibling),
            "relative_phone": (TELEPHONE, THIRD_PARTY, voice.relative),
            "relative_address": (ADDRESS, THIRD_PARTY, voice.relative),
            "relative_postcode": (POSTCODE, THIRD_PARTY, voice.relative),
            "carer_phone": (TELEPHONE, THIRD_PARTY, voice.carer),
            "carer_email": (EMAIL, THIRD_PARTY, voice.carer),
            "carer_nino": (NI_NUMBER, THIRD_PARTY, voice.carer),
            "partner_phone": (TELEPHONE, THIRD_PARTY, voice.partner),
            "partner_nino": (NI_NUMBER, THIRD_PARTY, voice.partner),
            "money": (AMOUNT, NOBODY, None),
            "clock": (TIME, NOBODY, None),
            "year": (YEAR, NOBODY, None),
            "case_ref": (CASE_REFERENCE, NOBODY, None),
            "appointment": (APPOINTMENT_DATE, NOBODY, None),
        }
        return slots

    def value(self, key: str) -> str:
        voice, rng = self.voice, self.voice.rng
        owner, _, what = key.partition("_")
        if owner == "sibling" and what in ("nhs", "born", "upn"):
            if not voice.siblings:
                raise KeyError(key)
            if self.sibling is None:
                self.sibling = rng.choice(voice.siblings)
            return self.detail(self.person(self.sibling, key), what, key)
        index = {
            "child": voice.focus,
            "carer": voice.carer,
            "partner": voice.partner,
            "relative": voice.relative,
        }.get(owner)
        if what in ("nhs", "born", "upn", "phone", "email") and owner in (
            "child",
            "carer",
            "partner",
            "relative",
        ):
            return self.detail(self.person(index, key), what, key)
        if what == "nino" and owner in ("carer", "partner"):
            self.person(index, key)
            number = self.extras.ni_numbers.get(index)  # type: ignore[arg-type]
            if not number:
                raise KeyError(key)
            p, digits, s = number[:2], number[2:8], number[8]
            return rng.choice(NINO_FORMATS).format(
                p=p, n1=digits[:2], n2=digits[2:4], n3=digits[4:], s=s
            )
        if owner == "relative" and what in ("address", "postcode"):
            self.person(index, key)
            if self.extras.relative_address is None:
                raise KeyError(key)
            line, postcode = self.extras.relative_address
            return line if what == "address" else postcode
        if key in ("money", "clock", "year", "case_ref", "appointment"):
            return self.decoy(key, rng)
        return super().value(key)

    def detail(self, person: PersonSpec, what: str, key: str) -> str:
        """`person`'s identifier `what`, written in one of the ways notes write it."""
        rng = self.voice.rng
        if what == "nhs":
            number = person.nhs_number
            if not number:
                raise KeyError(key)
            return rng.choice(NHS_FORMATS).format(number[:3], number[3:6], number[6:])
        if what == "upn":
            if not person.upn:
                raise KeyError(key)
            return person.upn
        if what == "born":
            return written_date(person.date_of_birth, rng)
        if what == "phone":
            # "07700 900123": the four digits after the 0, then the six of the number.
            number = person.telephone.replace(" ", "")
            if not number:
                raise KeyError(key)
            a, b = number[1:5], number[5:]
            return rng.choice(PHONE_FORMATS).format(a=a, b=b, b3=b[:3], b4=b[3:])
        if not person.email:
            raise KeyError(key)
        return person.email

    def decoy(self, key: str, rng: random.Random) -> str:
        if key == "money":
            pounds = rng.randrange(5, 2500)
            return f"{pounds:,}" if rng.random() < 0.7 else f"{pounds:,}.{rng.randrange(100):02d}"
        if key == "clock":
            hour, minute = rng.randrange(8, 18), rng.choice((0, 15, 30, 45))
            if rng.random() < 0.6:
                return f"{hour}:{minute:02d}"
            return f"{(hour - 1) % 12 + 1}.{minute:02d}{'am' if hour < 12 else 'pm'}"
        if key == "year":
            return str(self.day.year - rng.randrange(1, 15))
        if key == "case_ref":
            return f"EH-{self.day.year}-{rng.randrange(100000):05d}"
        return written_date(self.day + timedelta(days=rng.randrange(3, 40)), rng, numeric=True)


def written_date(day: date, rng: random.Random, numeric: bool = False) -> str:
    """`day` as a note writes it: "3 April 2015", "03/04/2015", "3/4/2015", "03.04.2015"."""
    formats = DATE_FORMATS[1:] if numeric else DATE_FORMATS
    return rng.choice(formats).format(
        d=day.day,
        dd=f"{day.day:02d}",
        m=day.month,
        mm=f"{day.month:02d}",
        month=cv.MONTHS[day.month - 1],
        y=day.year,
    )


def ni_number(rng: random.Random) -> str:
    """A National Insurance number with an administrative prefix: never a person's."""
    digits = f"{rng.randrange(10**6):06d}"
    return f"{rng.choice(ADMINISTRATIVE_NINO_PREFIXES)}{digits}{rng.choice('ABCD')}"


def party(family: FamilySpec, index: int, voice: CaseVoice, extras: FamilyExtras) -> PartyTruth:
    """Family member `index` with every form of their name and every identifier they have."""
    person = family.people[index]
    full = [f"{person.given_name} {person.family_name}"]
    surnames = [person.family_name]
    for former in person.former_names:
        full.append(f"{former.given_name} {former.family_name}")
        surnames.append(former.family_name)
    if person.in_household:
        parts = [family.line_1, family.line_2]
        address, postcode = ", ".join(p for p in parts if p), family.postcode
    elif index == voice.relative and extras.relative_address:
        address, postcode = extras.relative_address
    else:
        address = postcode = ""
    return PartyTruth(
        person=index,
        relation="" if index == voice.focus else voice.word_for(index),
        full_names=tuple(dict.fromkeys(full)),
        given_names=(person.given_name,),
        family_names=tuple(dict.fromkeys(surnames)),
        date_of_birth=person.date_of_birth,
        nhs_number=person.nhs_number,
        upn=person.upn,
        telephone=person.telephone,
        email=person.email,
        ni_number=extras.ni_numbers.get(index, ""),
        address=address,
        postcode=postcode,
    )


class NoteBuilder:
    """Sentences joined by spaces, their spans moved to where each sentence lands."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[Span] = []
        self.length = 0

    def add(self, text: str, spans: list[Span]) -> None:
        if not text or text in self.parts:
            return
        if self.parts:
            self.length += 1  # the space before it
        shift = self.length
        self.spans.extend(
            Span(s.start + shift, s.end + shift, s.kind, s.whose, s.value, s.person) for s in spans
        )
        self.parts.append(text)
        self.length += len(text)

    def text(self) -> str:
        return " ".join(self.parts)


def truth_notes(count: int, seed: int, as_of: date) -> list[TruthNote]:
    """`count` contact notes with their ground truth, the same for the same seed and date.

    Families come from `FamilyFactory(seed, as_of)`; a family with no child at home is
    passed over. Each kept family has one case, about one of its children (the
    requester), with a contact every few days (`CONTACT_GAP_DAYS`) while it is open.
    Raises ValueError if `count` is negative.
    """
    if count < 0:
        raise ValueError("count is a number of notes, not negative")
    factory = FamilyFactory(seed, as_of)
    rng = random.Random(f"earlyhelp redaction truth {seed} {as_of.isoformat()}")
    notes: list[TruthNote] = []
    family_number = 0
    while len(notes) < count:
        family = factory.family()
        made = family_notes(family, family_number, as_of, rng)
        if made:
            notes.extend(made[: count - len(notes)])
            family_number += 1
    return notes


def family_notes(
    family: FamilySpec, number: int, as_of: date, rng: random.Random
) -> list[TruthNote]:
    """A case about one child of `family` and its contact notes, as often as casework.py
    writes them; [] if no child lives there, or a third party has the child's given name
    (then no finder, and no truth, could tell whose a mention of it is)."""
    people = family.people
    children = [
        i for i, p in enumerate(people) if p.in_household and age_on(p.date_of_birth, as_of) < 18
    ]
    if not children:
        return []
    focus = rng.choice(children)
    given = people[focus].given_name
    if any(p.given_name == given for i, p in enumerate(people) if i != focus):
        return []
    born = people[focus].date_of_birth
    started = max(born, as_of - timedelta(days=rng.randrange(*CASE_START_DAYS)))
    last_day = min(as_of, started + timedelta(days=rng.randrange(*CASE_DAYS)))
    age = age_on(born, started)
    themes = [t for t in cv.THEMES if t.min_age <= age <= t.max_age] or [cv.THEMES[1]]
    theme = rng.choices(themes, weights=[t.weight for t in themes])[0].key
    group = "youth" if theme in cv.YOUTH_THEMES else theme
    if group not in cv.CONTACT_KINDS:
        group = "family"
    venue = rng.choice(cv.YOUTH_VENUES if group == "youth" else cv.CENTRES)
    voice = TruthVoice(family, focus, started, venue, random.Random(rng.getrandbits(64)))
    extras = family_extras(family, voice, as_of, rng)
    kinds, kind_weights = zip(*cv.CONTACT_KINDS[group], strict=True)
    topics, topic_weights = zip(*cv.THEME_TOPICS[theme], strict=True)
    notes = []
    day = started + timedelta(days=rng.randrange(1, 8))
    while day <= last_day:
        kind = rng.choices(kinds, weights=kind_weights)[0]
        openings = cv.OPENINGS["session_early" if kind == "session" and age < 5 else kind]
        slots = TracedSlots(voice, day, extras)
        note = NoteBuilder()
        opening, spans = slots.traced(openings)
        note.add(opening or cv.PLAIN_OPENINGS[kind], spans)
        extra: list[tuple[str, ...]] = []
        if rng.random() < IDENTIFIER_RATE:
            extra += [IDENTIFIER_SENTENCES] * rng.randint(1, 2)
        if rng.random() < OWN_IDENTIFIER_RATE:
            extra.append(OWN_SENTENCES)
        if rng.random() < DECOY_RATE:
            extra.append(DECOY_SENTENCES)
        body = [cv.OBSERVATIONS[t] for t in rng.choices(topics, topic_weights, k=rng.randint(1, 4))]
        body += extra
        rng.shuffle(body)
        for pool in body:
            note.add(*slots.traced(pool))
        if rng.random() < 0.7:
            note.add(*slots.traced(cv.NEXT_STEPS))
        others = tuple(party(family, i, voice, extras) for i in range(len(people)) if i != focus)
        notes.append(
            TruthNote(
                family=number,
                text=note.text(),
                requester=party(family, focus, voice, extras),
                third_parties=others,
                workers=tuple(name for _, name in voice.professionals.values()),
                spans=tuple(note.spans),
            )
        )
        day += timedelta(days=rng.randrange(*CONTACT_GAP_DAYS))
    return notes


def family_extras(
    family: FamilySpec, voice: CaseVoice, as_of: date, rng: random.Random
) -> FamilyExtras:
    """An address for the relative who lives elsewhere, drawn the way the generator draws a
    family's, and a National Insurance number for each adult."""
    relative_address = None
    if voice.relative is not None:
        line_1, line_2, postcode = FamilyFactory(rng.getrandbits(32), as_of).address()
        relative_address = (", ".join(p for p in (line_1, line_2) if p), postcode)
    ni_numbers = {
        i: ni_number(rng)
        for i, p in enumerate(family.people)
        if age_on(p.date_of_birth, as_of) >= 18
    }
    return FamilyExtras(relative_address, ni_numbers)
