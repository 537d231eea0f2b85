"""Fill casework text templates with a family's own people and the case's professionals.

Pure Python, no database. `CaseVoice` knows who a case is about and who works with
the family; `Slots` fills one text's {slots} from it (see casework_vocabulary for
the slot names). Professionals get their names the first time a case's texts
mention them, so one case's notes keep talking about the same class teacher.
"""

import random
from collections.abc import Sequence
from datetime import date, timedelta

from earlyhelp.synthetic import casework_vocabulary as cv
from earlyhelp.synthetic import vocabulary as vocab
from earlyhelp.synthetic.families import FamilySpec, PersonSpec

# (female, male) words for what a person is to the child the case is about.
RELATION_WORDS: dict[str, tuple[str, str]] = {
    "parent": ("mum", "dad"),
    "step_parent": ("stepmum", "stepdad"),
    "grandparent": ("nan", "grandad"),
    "aunt_uncle": ("aunt", "uncle"),
    "carer": ("carer", "carer"),
    "sibling": ("sister", "brother"),
    "half_sibling": ("half-sister", "half-brother"),
    "partner": ("partner", "partner"),
}
# Relationships stored once for a pair, in either direction.
SYMMETRIC = frozenset({"sibling", "half_sibling", "partner"})
# Who may be the main carer, most likely first.
CARER_KINDS = ("parent", "grandparent", "aunt_uncle", "carer", "step_parent")
# Roles that work with children of these ages only: (youngest, oldest).
ROLE_AGES = {
    "teacher": (4, 18),
    "attendance": (5, 16),
    "head_of_year": (11, 18),
    "careers": (14, 25),
    "yos": (10, 18),
    "hv": (0, 4),
    "key_person": (0, 4),
    "midwife": (0, 1),
}
# (subject, possessive, object) pronouns.
PRONOUNS = {"female": ("she", "her", "her"), "male": ("he", "his", "him")}

ROLES = {role.key: role for role in cv.PROFESSIONAL_ROLES}
TITLE_WORDS = [title for title, _ in cv.TITLES]
TITLE_WEIGHTS = [weight for _, weight in cv.TITLES]
SCHOOL_NAMES = {establishment: name for name, establishment, _ in vocab.SCHOOLS}
SECONDARY_SCHOOLS = [name for name, _, phase in vocab.SCHOOLS if phase == "secondary"]
PRIMARY_SCHOOLS = [name for name, _, phase in vocab.SCHOOLS if phase == "primary"]
COLLEGES = ("Westminster Kingsway College", "Camden sixth form", "City and Islington College")


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def day_phrase(day: date) -> str:
    """ "Tuesday 14 May", as notes write a date."""
    return f"{cv.WEEKDAYS[day.weekday()]} {day.day} {cv.MONTHS[day.month - 1]}"


class CaseVoice:
    """The people a case's texts can name, and the professionals working with the family."""

    def __init__(
        self,
        family: FamilySpec,
        focus: int,
        started: date,
        venue: str,
        rng: random.Random,
    ) -> None:
        self.family = family
        self.people = family.people
        self.focus = focus
        self.rng = rng
        self.venue = venue
        self.centre = rng.choice(cv.CENTRES)
        self.area = rng.choice(cv.AREAS)
        self.professionals: dict[str, tuple[str, str]] = {}
        self.family_names = {p.given_name for p in self.people} | {
            p.family_name for p in self.people
        }
        self.relations = self.relations_to(focus)
        home = [i for i, p in enumerate(self.people) if p.in_household and i != focus]
        self.carer = self.pick_carer(home, started)
        adults = [
            i
            for i in home
            if i != self.carer and age_on(self.people[i].date_of_birth, started) >= 18
        ]
        self.partner = adults[0] if adults else None
        self.siblings = [
            i
            for i in home
            if i != self.carer
            and i != self.partner
            and self.people[i].date_of_birth <= started
            and age_on(self.people[i].date_of_birth, started) < 18
        ]
        elsewhere = [i for i, p in enumerate(self.people) if not p.in_household and i != focus]
        related = [i for i in elsewhere if i in self.relations]
        self.relative = (related or elsewhere or [None])[0]
        self.school = self.pick_school(started)

    def relations_to(self, focus: int) -> dict[int, str]:
        """What each person is to `focus` ("parent", "sibling", ...), where recorded."""
        relations: dict[int, str] = {}
        for rel in self.family.relationships:
            if rel.relative == focus:
                relations.setdefault(rel.person, rel.kind)
            elif rel.person == focus and rel.kind in SYMMETRIC:
                relations.setdefault(rel.relative, rel.kind)
        return relations

    def pick_carer(self, home: list[int], started: date) -> int | None:
        candidates = [
            i
            for i in home
            if self.relations.get(i) in CARER_KINDS
            and age_on(self.people[i].date_of_birth, started) >= 16
        ]
        if not candidates:
            return None
        # Mothers and other women are most often the parent practitioners work with.
        candidates.sort(
            key=lambda i: (
                CARER_KINDS.index(self.relations[i]),
                self.people[i].sex != "female",
            )
        )
        return candidates[0]

    def pick_school(self, started: date) -> str:
        child = self.people[self.focus]
        if child.upn:
            # A UPN holds the school's establishment number in characters 5 to 8.
            return SCHOOL_NAMES.get(child.upn[4:8], self.rng.choice(PRIMARY_SCHOOLS))
        age = age_on(child.date_of_birth, started)
        if age < 5:
            return self.rng.choice(cv.NURSERIES)
        if age >= 16:
            return self.rng.choice(COLLEGES)
        return self.rng.choice(SECONDARY_SCHOOLS if age >= 11 else PRIMARY_SCHOOLS)

    def word_for(self, person: int) -> str:
        """What `person` is to the child: "mum", "grandad", "partner"."""
        female, male = RELATION_WORDS.get(self.relations.get(person, "partner"), ("", ""))
        return female if self.people[person].sex == "female" else male

    def professional(self, key: str) -> tuple[str, str]:
        """("class teacher Ms Okafor", "Ms Okafor") for role `key`, the same all through a case."""
        known = self.professionals.get(key)
        if known is None:
            # Never the name of someone in the family: notes would confuse the two.
            for _ in range(5):
                known = self.new_professional(ROLES[key])
                if known[1].split()[-1] not in self.family_names:
                    break
            self.professionals[key] = known
        return known

    def new_professional(self, role: cv.ProfessionalRole) -> tuple[str, str]:
        rng = self.rng
        if role.naming == "title":
            name = (
                f"{rng.choices(TITLE_WORDS, weights=TITLE_WEIGHTS)[0]} {rng.choice(vocab.SURNAMES)}"
            )
        elif role.naming == "doctor":
            name = f"Dr {rng.choice(vocab.SURNAMES)}"
        elif role.naming == "pc":
            name = f"PC {rng.choice(vocab.SURNAMES)}"
        elif role.naming == "full":
            name = f"{rng.choice(cv.STAFF_FIRST_NAMES)} {rng.choice(vocab.SURNAMES)}"
        else:
            name = rng.choice(cv.STAFF_FIRST_NAMES)
        return (f"{role.label} {name}", name)

    def slots(self, day: date, **extra: str) -> "Slots":
        return Slots(self, day, extra)

    def fill(self, templates: Sequence[str], day: date, tries: int = 8, **extra: str) -> str:
        """One of `templates` filled for this family, or "" when none fits it."""
        slots = self.slots(day, **extra)
        return slots.fill(templates, tries)


class Slots(dict):
    """The values of one text's slots, worked out when the text asks for them.

    A slot naming someone the family does not have raises KeyError, so that the
    caller tries another template. `named` collects the family members a text named.
    """

    def __init__(self, voice: CaseVoice, day: date, extra: dict[str, str]) -> None:
        super().__init__(extra)
        self.voice = voice
        self.day = day
        self.named: set[int] = set()
        self.sibling: int | None = None  # one text names one sibling

    def fill(self, templates: Sequence[str], tries: int = 8, keep_marker: bool = False) -> str:
        """One of `templates` filled; with keep_marker, an opening keeps its leading "~"."""
        rng = self.voice.rng
        # A few random picks, then every template in turn: the first that fits.
        picks = [rng.choice(templates) for _ in range(tries)]
        for template in [*picks, *templates]:
            self.named = set()
            try:
                text = template.format_map(self)
            except KeyError:
                continue
            return text if keep_marker else text.lstrip("~")
        self.named = set()
        return ""

    def __missing__(self, key: str) -> str:
        if key[:1].isupper():
            value = self[key[0].lower() + key[1:]]
            value = value[:1].upper() + value[1:]
        else:
            value = self.value(key)
        self[key] = value
        return value

    def focus_age(self) -> int:
        return age_on(self.voice.people[self.voice.focus].date_of_birth, self.day)

    def person(self, index: int | None, key: str) -> PersonSpec:
        if index is None:
            raise KeyError(key)
        self.named.add(index)
        return self.voice.people[index]

    def value(self, key: str) -> str:
        voice, rng = self.voice, self.voice.rng
        role = key.removesuffix("_name")
        if role in ROLES:
            youngest, oldest = ROLE_AGES.get(role, (0, 200))
            if not youngest <= self.focus_age() <= oldest:
                raise KeyError(key)
            phrase, name = voice.professional(role)
            return name if key.endswith("_name") else phrase
        if key == "pupil":
            if self.focus_age() < 5:
                raise KeyError(key)
            return self.person(voice.focus, key).given_name
        if key in ("child", "child_full", "he", "him", "his", "age"):
            child = self.person(voice.focus, key)
            subject, possessive, obj = PRONOUNS[child.sex]
            return {
                "child": child.given_name,
                "child_full": f"{child.given_name} {child.family_name}",
                "he": subject,
                "his": possessive,
                "him": obj,
                "age": str(age_on(child.date_of_birth, self.day)),
            }[key]
        if key in ("carer", "carer_full", "carer_age", "mum", "she", "her", "her_obj"):
            carer = self.person(voice.carer, key)
            subject, possessive, obj = PRONOUNS[carer.sex]
            return {
                "carer": carer.given_name,
                "carer_full": f"{carer.given_name} {carer.family_name}",
                "carer_age": str(age_on(carer.date_of_birth, self.day)),
                "mum": voice.word_for(voice.carer),
                "she": subject,
                "her": possessive,
                "her_obj": obj,
            }[key]
        if key in ("sibling", "sibling_his"):
            if not voice.siblings:
                raise KeyError(key)
            if self.sibling is None:
                self.sibling = rng.choice(voice.siblings)
            sibling = self.person(self.sibling, key)
            return sibling.given_name if key == "sibling" else PRONOUNS[sibling.sex][1]
        if key in ("partner", "partner_role"):
            partner = self.person(voice.partner, key)
            return partner.given_name if key == "partner" else voice.word_for(voice.partner)
        if key == "ex":
            if voice.relations.get(voice.relative) != "parent":
                raise KeyError(key)
            return self.person(voice.relative, key).given_name
        if key in ("relative", "relative_role", "rel_him", "area"):
            relative = self.person(voice.relative, key)
            return {
                "relative": relative.given_name,
                "relative_role": voice.word_for(voice.relative) or "relative",
                "rel_him": PRONOUNS[relative.sex][2],
                "area": voice.area,
            }[key]
        return self.figure(key, rng)

    def figure(self, key: str, rng: random.Random) -> str:
        """Numbers, dates and places a text mentions."""
        if key == "school":
            return self.voice.school
        if key == "centre":
            return self.voice.centre
        if key == "venue":
            return self.voice.venue
        if key == "pct":
            return str(rng.randrange(58, 97))
        if key == "weeks":
            return str(rng.randrange(2, 9))
        if key == "amount":
            return f"{rng.randrange(4, 90) * 50:,}"
        if key == "next_date":
            later = self.day + timedelta(days=rng.randrange(3, 22))
            if later.weekday() >= 5:  # appointments are on working days
                later += timedelta(days=7 - later.weekday())
            return day_phrase(later)
        if key == "weekday":
            return rng.choice(cv.WEEKDAYS[:5])
        if key == "target":
            target = self.day + timedelta(days=rng.randrange(42, 180))
            return f"{cv.MONTHS[target.month - 1]} {target.year}"
        if key == "topic":
            return rng.choice(cv.TOPICS)
        raise KeyError(key)
