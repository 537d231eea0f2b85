"""Synthetic families for a London borough, drawn from a seeded random generator.

Pure Python, no database: `FamilyFactory(seed, as_of).family()` returns the next
family as plain data, and the same seed and as-of date always give the same
families in the same order. `generator.py` writes them to the database.

A family's casework (cases, contacts, attendance) is not drawn here: the family
only carries `casework_seed`, one draw of the seed's stream, from which
`casework.py` makes it. Replaying a seed's first families to add more after
them therefore costs the people draws only.
"""

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from earlyhelp.people.identifiers import NHS_TEST_PREFIX, nhs_check_digit, upn_check_letter
from earlyhelp.synthetic import vocabulary as vocab

CAMDEN_LA_CODE = "202"
# Ofcom reserves 07700 900000-900999 for drama: never a real person's number.
DRAMA_MOBILE_PREFIX = "07700 900"
# RFC 2606 reserves example.* domains: never a real mailbox.
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")
# Step between successive NHS number stems: coprime with 10**6, so the first
# million people of a seed never share a number.
NHS_STEM_STRIDE = 7919
NHS_STEMS = 10**6
# Share of households whose members lived at an earlier (recorded) address together.
PREVIOUS_ADDRESS_RATE = 0.35


@dataclass
class FormerNameSpec:
    given_name: str
    family_name: str
    used_until: date


@dataclass
class PersonSpec:
    public_id: uuid.UUID
    given_name: str
    family_name: str
    date_of_birth: date
    sex: str  # "female" or "male": used here to choose names, and by facts.py for gender
    heritage: str = ""  # the NameGroup's heritage_key: facts.py draws ethnicity from it
    in_household: bool = True
    nhs_number: str = ""
    upn: str = ""
    telephone: str = ""
    email: str = ""
    former_names: list[FormerNameSpec] = field(default_factory=list)

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass
class RelationshipSpec:
    person: int  # index into FamilySpec.people
    relative: int
    kind: str
    has_parental_responsibility: bool = False


@dataclass
class PreviousAddressSpec:
    """Where the household's members lived before: they moved out on the family's moved_in."""

    public_id: uuid.UUID
    line_1: str
    line_2: str
    postcode: str
    moved_in: date


@dataclass
class FamilySpec:
    shape: str
    address_public_id: uuid.UUID
    household_public_id: uuid.UUID
    line_1: str
    line_2: str
    postcode: str
    moved_in: date
    people: list[PersonSpec] = field(default_factory=list)
    relationships: list[RelationshipSpec] = field(default_factory=list)
    previous_address: PreviousAddressSpec | None = None
    casework_seed: int = 0


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


class FamilyFactory:
    """Makes one family after another, deterministically for (seed, as_of)."""

    def __init__(self, seed: int, as_of: date) -> None:
        self.rng = random.Random(seed)
        self.as_of = as_of
        self.people_made = 0
        self.nhs_offset = self.rng.randrange(NHS_STEMS)
        self.upn_serials: dict[tuple[str, int], int] = {}
        self.shapes = [shape.shape_key for shape in vocab.HOUSEHOLD_SHAPES]
        self.shape_weights = [shape.weight for shape in vocab.HOUSEHOLD_SHAPES]
        self.sizes = {key: (a0, a1, c0, c1) for key, a0, a1, c0, c1 in vocab.HOUSEHOLD_SHAPE_SIZES}
        self.group_weights = [group.weight for group in vocab.NAME_GROUPS]
        self.outward_codes = [code for code, _ in vocab.OUTWARD_CODES]
        self.outward_weights = [weight for _, weight in vocab.OUTWARD_CODES]
        self.primary = [s for s in vocab.SCHOOLS if s[2] == "primary"]
        self.secondary = [s for s in vocab.SCHOOLS if s[2] == "secondary"]
        self.outside_kinds = [r for r in vocab.NON_RESIDENT_RELATIVES]
        self.outside_weights = [r[2] for r in vocab.NON_RESIDENT_RELATIVES]

    # -- small draws -------------------------------------------------------

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def born(self, min_age: int, max_age: int) -> date:
        """A date of birth for someone aged min_age..max_age on the as-of date."""
        youngest = add_years(self.as_of, -min_age)
        oldest = add_years(self.as_of, -(max_age + 1)) + timedelta(days=1)
        return self.born_between(oldest, youngest)

    def born_between(self, earliest: date, latest: date) -> date:
        return earliest + timedelta(days=self.rng.randrange(max(1, (latest - earliest).days + 1)))

    def name_group(self) -> vocab.NameGroup:
        return self.rng.choices(vocab.NAME_GROUPS, weights=self.group_weights)[0]

    def person(
        self,
        group: vocab.NameGroup,
        sex: str,
        born: date,
        family_name: str | None = None,
        avoid: frozenset[str] = frozenset(),
    ) -> PersonSpec:
        """A person; their given name is none of `avoid` (names already in the family)."""
        names = group.female_names if sex == "female" else group.male_names
        given_name = self.rng.choice(names)
        for _ in range(5):
            if given_name not in avoid:
                break
            given_name = self.rng.choice(names)
        person = PersonSpec(
            public_id=self.uuid(),
            given_name=given_name,
            family_name=family_name or self.rng.choice(group.surnames),
            date_of_birth=born,
            sex=sex,
            heritage=group.heritage_key,
        )
        person.nhs_number = self.nhs_number()
        return person

    def nhs_number(self) -> str:
        """A number from the NHS test range (999...), unique within the first million people."""
        index = self.people_made
        self.people_made += 1
        if index >= NHS_STEMS or self.rng.random() < 0.04:  # some people's is not known
            return ""
        stem = f"{NHS_TEST_PREFIX}{(index * NHS_STEM_STRIDE + self.nhs_offset) % NHS_STEMS:06d}"
        check = nhs_check_digit(stem)
        return "" if check is None else f"{stem}{check}"

    def upn(self, child: PersonSpec) -> str:
        """A UPN from a Camden school of the child's phase, allocated when they started."""
        schools = self.secondary if child.age_on(self.as_of) >= 11 else self.primary
        _, establishment, _ = self.rng.choice(schools)
        year = (child.date_of_birth.year + 4) % 100
        serial = self.upn_serials.get((establishment, year), 0)
        if serial > 999:
            return ""
        self.upn_serials[(establishment, year)] = serial + 1
        body = f"{CAMDEN_LA_CODE}{establishment}{year:02d}{serial:03d}"
        return upn_check_letter(body) + body

    def contact_details(self, person: PersonSpec) -> None:
        person.telephone = f"{DRAMA_MOBILE_PREFIX}{self.rng.randrange(1000):03d}"
        if self.rng.random() < 0.7:
            local = f"{person.given_name}.{person.family_name}".lower()
            local = "".join(ch for ch in local if ch.isascii() and (ch.isalnum() or ch == "."))
            domain = self.rng.choice(EMAIL_DOMAINS)
            person.email = f"{local}{self.rng.randrange(100)}@{domain}"

    def sex(self, female_share: float = 0.5) -> str:
        return "female" if self.rng.random() < female_share else "male"

    # -- the address -------------------------------------------------------

    def address(self) -> tuple[str, str, str]:
        outward = self.rng.choices(self.outward_codes, weights=self.outward_weights)[0]
        inward = (
            self.rng.choice(vocab.INWARD_DIGITS)
            + self.rng.choice(vocab.INWARD_LETTERS)
            + self.rng.choice(vocab.INWARD_LETTERS)
        )
        estates = [name for name, district in vocab.ESTATES if district == outward]
        streets = [name for name, district in vocab.STREETS if district == outward]
        if estates and self.rng.random() < 0.45:
            block = self.rng.choice(vocab.BLOCK_NAMES)
            line_1 = f"Flat {self.rng.randrange(1, 120)}, {block}"
            line_2 = self.rng.choice(estates)
        elif self.rng.random() < 0.4:
            line_1 = f"Flat {self.rng.choice('ABCD')}"
            line_2 = (
                f"{self.rng.randrange(1, 200)} {self.rng.choice(streets or vocab.STREET_NAMES)}"
            )
        else:
            line_1 = (
                f"{self.rng.randrange(1, 200)} {self.rng.choice(streets or vocab.STREET_NAMES)}"
            )
            line_2 = ""
        return line_1, line_2, f"{outward} {inward}"

    # -- a family ------------------------------------------------------------

    def family(self) -> FamilySpec:
        shape = self.rng.choices(self.shapes, weights=self.shape_weights)[0]
        line_1, line_2, postcode = self.address()
        family = FamilySpec(
            shape=shape,
            address_public_id=self.uuid(),
            household_public_id=self.uuid(),
            line_1=line_1,
            line_2=line_2,
            postcode=postcode,
            moved_in=self.as_of - timedelta(days=self.rng.randrange(30, 365 * 12)),
        )
        FamilyBuilder(self, family).build()
        if self.rng.random() < PREVIOUS_ADDRESS_RATE:
            line_1, line_2, postcode = self.address()
            family.previous_address = PreviousAddressSpec(
                public_id=self.uuid(),
                line_1=line_1,
                line_2=line_2,
                postcode=postcode,
                moved_in=family.moved_in - timedelta(days=self.rng.randrange(365, 365 * 9)),
            )
        family.casework_seed = self.rng.getrandbits(64)
        return family


class FamilyBuilder:
    """Fills one family's people and relationships according to its shape."""

    def __init__(self, factory: FamilyFactory, family: FamilySpec) -> None:
        self.f = factory
        self.rng = factory.rng
        self.family = family
        self.group = factory.name_group()
        min_adults, max_adults, min_children, max_children = factory.sizes[family.shape]
        self.adult_count = self.rng.randint(min_adults, max_adults)
        self.child_count = self.rng.randint(min_children, max_children)

    def person(
        self, group: vocab.NameGroup, sex: str, born: date, family_name: str | None = None
    ) -> PersonSpec:
        # Two of a family with one first name would make notes about them ambiguous.
        taken = frozenset(p.given_name for p in self.family.people)
        return self.f.person(group, sex, born, family_name, avoid=taken)

    def add(self, person: PersonSpec) -> int:
        self.family.people.append(person)
        return len(self.family.people) - 1

    def age(self, person: int) -> int:
        return self.family.people[person].age_on(self.f.as_of)

    def relate(self, person: int, relative: int, kind: str, responsible: bool = False) -> None:
        self.family.relationships.append(RelationshipSpec(person, relative, kind, responsible))

    def adult(self, min_age: int, max_age: int, sex: str, family_name: str | None = None) -> int:
        group = self.group
        if family_name is None and self.rng.random() < vocab.MIXED_HERITAGE_HOUSEHOLD_RATE:
            group = self.f.name_group()
        person = self.person(group, sex, self.f.born(min_age, max_age), family_name)
        self.f.contact_details(person)
        return self.add(person)

    def children_of(
        self, parents: list[int], count: int, family_name: str, max_age: int = 17
    ) -> list[int]:
        """Children born after the youngest of `parents` turned sixteen."""
        youngest_parent = max(self.family.people[p].date_of_birth for p in parents)
        earliest = max(
            add_years(youngest_parent, 16),
            add_years(self.f.as_of, -(max_age + 1)) + timedelta(days=1),
        )
        children = []
        for _ in range(count):
            born = self.f.born_between(earliest, self.f.as_of)
            child = self.person(self.group, self.f.sex(), born, family_name)
            if 4 <= child.age_on(self.f.as_of) <= 16 and self.rng.random() < 0.95:
                child.upn = self.f.upn(child)
            children.append(self.add(child))
        return children

    def siblings(self, children: list[int], kind: str = "sibling") -> None:
        for position, older in enumerate(children):
            for younger in children[position + 1 :]:
                self.relate(older, younger, kind)

    def parent_of(self, parent: int, children: list[int], responsible: bool = True) -> None:
        for child in children:
            self.relate(parent, child, "parent", responsible)

    def partners(self, first: int, second: int) -> None:
        self.relate(first, second, "partner")

    def former_surname(self, person: int, earliest: date, latest: date) -> None:
        """`person` was known by another surname until a date between earliest and latest."""
        spec = self.family.people[person]
        surnames = [name for name in self.group.surnames if name != spec.family_name]
        used_until = self.f.born_between(earliest, max(earliest, latest))
        spec.former_names.append(
            FormerNameSpec(spec.given_name, self.rng.choice(surnames), used_until)
        )

    def maiden_name(self, person: int) -> None:
        """A birth surname given up on marrying, between eighteen and forty."""
        born = self.family.people[person].date_of_birth
        latest = min(self.family.moved_in, self.f.as_of, add_years(born, 40))
        self.former_surname(person, add_years(born, 18), latest)

    def outside_relative(self, children: list[int]) -> None:
        """Someone who matters to the children but lives elsewhere.

        Not a mother elsewhere when the children's mother lives with them, nor a father.
        """
        people = self.family.people
        at_home = {
            people[rel.person].sex
            for rel in self.family.relationships
            if rel.kind == "parent"
            and rel.relative == children[0]
            and people[rel.person].in_household
        }
        kinds = [
            (relative, weight)
            for relative, weight in zip(self.f.outside_kinds, self.f.outside_weights, strict=True)
            if relative[1] != "parent"
            or ("female" if "mother" in relative[0] else "male") not in at_home
        ]
        key, kind, _, _ = self.rng.choices(
            [relative for relative, _ in kinds], weights=[weight for _, weight in kinds]
        )[0]
        oldest = max(self.age(child) for child in children)
        # Years older than the eldest child, by how the relative is related.
        gaps = {"parent": (17, 35), "grandparent": (36, 60), "aunt_uncle": (17, 40)}
        min_gap, max_gap = gaps.get(kind, (2, 12))
        min_age, max_age = oldest + min_gap, oldest + max_gap
        if kind in ("sibling", "half_sibling"):
            min_age, max_age = max(18, oldest + 1), max(18, oldest + 1) + 10
        sex = "female" if "mother" in key else "male" if "father" in key else self.f.sex()
        relative = self.person(self.group, sex, self.f.born(min_age, max_age))
        relative.in_household = False
        if self.rng.random() < 0.5:
            self.f.contact_details(relative)
        index = self.add(relative)
        for child in children:
            # A father not married to the mother has parental responsibility only
            # if registered on the birth certificate or by order: often, not always.
            self.relate(index, child, kind, kind == "parent" and self.rng.random() < 0.7)

    def build(self) -> None:
        getattr(self, f"build_{self.family.shape}")()

    # -- shapes --------------------------------------------------------------

    def build_single_parent(self) -> None:
        parent = self.adult(18, 52, self.f.sex(0.88))
        name = self.family.people[parent].family_name
        children = self.children_of([parent], self.child_count, name)
        self.parent_of(parent, children)
        self.siblings(children)
        if self.rng.random() < 0.6:
            self.outside_relative(children)

    def build_two_parents(self) -> None:
        first = self.adult(20, 55, "female")
        name = self.family.people[first].family_name
        second_sex = "female" if self.rng.random() < 0.03 else "male"
        age = self.age(first)
        shared_name = self.rng.random() < 0.6
        second = self.adult(
            max(18, age - 4),
            age + 6,
            second_sex,
            family_name=name if shared_name else None,
        )
        self.partners(first, second)
        if shared_name and self.rng.random() < 0.8:
            self.maiden_name(first)
        children = self.children_of([first, second], self.child_count, name)
        self.parent_of(first, children)
        self.parent_of(second, children)
        self.siblings(children)
        if self.rng.random() < 0.3:
            self.outside_relative(children)

    def build_blended_family(self) -> None:
        parent = self.adult(24, 50, self.f.sex(0.8))
        partner = self.adult(
            24, 55, "male" if self.family.people[parent].sex == "female" else "female"
        )
        self.partners(parent, partner)
        name = self.family.people[parent].family_name
        older = self.children_of([parent], self.child_count - 1, name)
        partner_name = self.family.people[partner].family_name
        youngest = self.children_of([parent, partner], 1, partner_name, max_age=4)
        self.parent_of(parent, older + youngest)
        self.parent_of(partner, youngest)
        for child in older:
            self.relate(partner, child, "step_parent")
        self.siblings(older)
        for child in older:
            self.relate(child, youngest[0], "half_sibling")
        if self.rng.random() < 0.3:
            # The older children had their father's surname and took their mother's.
            for child in older:
                born = self.family.people[child].date_of_birth
                self.former_surname(child, born + timedelta(days=30), self.f.as_of)
        self.outside_relative(older)

    def build_grandparent_carer(self) -> None:
        grandparent = self.adult(48, 78, self.f.sex(0.75))
        name = self.family.people[grandparent].family_name
        carers = [grandparent]
        if self.adult_count > 1:
            other = self.adult(
                48,
                80,
                "male" if self.family.people[grandparent].sex == "female" else "female",
                name,
            )
            self.partners(grandparent, other)
            carers.append(other)
            if self.family.people[grandparent].sex == "female" and self.rng.random() < 0.7:
                self.maiden_name(grandparent)
        children = self.children_of([grandparent], self.child_count, name)
        for carer in carers:
            for child in children:
                # Carers under a special guardianship or child arrangements order.
                self.relate(carer, child, "grandparent", self.rng.random() < 0.6)
        self.siblings(children)
        self.outside_relative(children)

    def build_kinship_carer(self) -> None:
        carer = self.adult(22, 60, self.f.sex(0.8))
        name = self.family.people[carer].family_name
        children = self.children_of([carer], self.child_count, name)
        for child in children:
            self.relate(carer, child, "aunt_uncle", self.rng.random() < 0.5)
        if self.adult_count > 1:
            partner = self.adult(
                22, 62, "male" if self.family.people[carer].sex == "female" else "female"
            )
            self.partners(carer, partner)
            for child in children:
                self.relate(partner, child, "carer")
        self.siblings(children)
        self.outside_relative(children)

    def build_young_parent(self) -> None:
        parent = self.adult(16, 19, self.f.sex(0.9))
        name = self.family.people[parent].family_name
        parents = [parent]
        if self.adult_count > 1:
            other = self.adult(
                16, 24, "male" if self.family.people[parent].sex == "female" else "female"
            )
            self.partners(parent, other)
            parents.append(other)
        baby = self.children_of(parents, 1, name, max_age=1)
        self.parent_of(parent, baby)
        if len(parents) > 1:
            self.parent_of(parents[1], baby, self.rng.random() < 0.7)
        grandparent = self.person(self.group, self.f.sex(0.8), self.f.born(35, 55), name)
        grandparent.in_household = False
        self.f.contact_details(grandparent)
        index = self.add(grandparent)
        self.relate(index, parent, "parent", True)
        self.relate(index, baby[0], "grandparent")

    def build_multigenerational(self) -> None:
        first = self.adult(22, 50, "female")
        name = self.family.people[first].family_name
        parents = [first]
        # The grandparents are the parents of whichever parent was born with the surname.
        their_child = first
        if self.adult_count > 3 or self.rng.random() < 0.6:
            second = self.adult(22, 55, "male", name)
            self.partners(first, second)
            parents.append(second)
            if self.rng.random() < 0.7:
                self.maiden_name(first)
                their_child = second
        children = self.children_of(parents, self.child_count, name)
        for parent in parents:
            self.parent_of(parent, children)
        self.siblings(children)
        age = self.age(their_child)
        for _ in range(self.adult_count - len(parents)):
            grandparent = self.adult(age + 18, min(age + 40, 90), self.f.sex(0.6), name)
            if self.family.people[grandparent].sex == "female" and self.rng.random() < 0.6:
                self.maiden_name(grandparent)
            self.relate(grandparent, their_child, "parent")
            for child in children:
                self.relate(grandparent, child, "grandparent")

    def build_young_person_independent(self) -> None:
        young_person = self.adult(16, 18, self.f.sex())
        if self.adult_count > 1:
            partner = self.adult(16, 21, self.f.sex())
            self.partners(young_person, partner)
        parent = self.person(
            self.group,
            self.f.sex(0.7),
            self.f.born(34, 58),
            self.family.people[young_person].family_name,
        )
        parent.in_household = False
        index = self.add(parent)
        self.relate(index, young_person, "parent", True)

    def build_care_leaver(self) -> None:
        care_leaver = self.adult(18, 21, self.f.sex())
        if self.child_count:
            name = self.family.people[care_leaver].family_name
            baby = self.children_of([care_leaver], 1, name, max_age=2)
            self.parent_of(care_leaver, baby)
