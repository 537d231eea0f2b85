"""Finding a person, and the likely existing records before a new one is created.

Built for a million records: candidates are fetched only by equality on indexed
columns (NHS number, UPN, date of birth and its day/month swap, postcode, the phonetic
keys of a one-word name, and the name index of people.NameKey, which finds a name by
any of its words, with one letter wrong, by sound, or by a nickname or other spelling
of the given name), each lookup capped, at most CANDIDATE_CAP people in all. The
candidates are then scored in Python with rapidfuzz against every reading of the name
(either order, any split of the words into given and family names) and every name the
person has been known by. A name counts only where a name lookup would find it, however
the person was fetched (with the date of birth asked for, a name merely similar counts
too): the retrieval is as wide as the scoring, and a postcode only ever narrows.

The score only orders the results for a practitioner to look at, together with
the reasons in plain words; it decides nothing about anyone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import NamedTuple

from django.db.models import Prefetch, Q
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Hamming, JaroWinkler, Levenshtein

from earlyhelp.people.identifiers import (
    normalise_district,
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
)
from earlyhelp.people.matching import (
    exact_name_keys,
    name_words,
    normalise_name,
    phonetic_key,
    wanted_name_keys,
)
from earlyhelp.people.models import HouseholdMember, NameKey, Person, PersonAddress, PersonName
from earlyhelp.people.variants import alternatives, how_related

# How many people one lookup, and one search in all, may bring back to be scored.
LOOKUP_CAP = 200
CANDIDATE_CAP = 400
# Name index rows read for each person a name lookup has room for (a person matches at
# most a few dozen of the keys looked up: each word's forms, joined to each sound).
KEYS_A_PERSON = 20
# More words than this in a name are not split further (the number of readings grows fast).
MAX_NAME_WORDS = 5
# How the parts of a query count towards the score, when the query has them.
NAME_WEIGHT = 0.6
DOB_WEIGHT = 0.3
POSTCODE_WEIGHT = 0.1
# A person whose name is less like the one asked for than this is not a match on name.
MIN_NAME_SIMILARITY = 75.0
# Without a date of birth to agree on, a likely duplicate needs a closer name.
CLOSE_NAME_SIMILARITY = 90.0
# A search without a name shows people whose date of birth or postcode agree.
MIN_SCORE = 40.0
# A given name that is a nickname or another spelling of the one asked for ("Kate",
# "Catherine") counts as this alike: below a name that sounds the same.
ALTERNATIVE_SIMILARITY = 88.0
# A word of the name that is one of the recorded name's words ("Jones", "Lloyd-Jones").
PART_SIMILARITY = 95.0
# At least this alike: a part one letter different, or with two letters swapped. Short
# names need it ("Ng" and "Ang" share no letters in Jaro-Winkler's window); it is kept
# low enough that a slip alone never makes a likely duplicate without a date of birth.
SLIP_SIMILARITY = 78.0
# A known identifier that differs from the one asked for makes a match less likely.
DIFFERENT_IDENTIFIER_FACTOR = 0.8
LIKELY_LIMIT = 10

# What the lookups fetch of each candidate, to score it without loading the model.
_ROW = ("id", "given_name", "family_name", "given_key", "family_key", "date_of_birth",
        "nhs_number", "upn")  # fmt: skip


@dataclass(frozen=True)
class PersonQuery:
    name: str = ""
    date_of_birth: date | None = None
    postcode: str = ""  # a whole postcode ("N7 6AB"), or for a search its district ("N7")
    nhs_number: str = ""
    upn: str = ""
    # Born between these dates (inclusive), from an age or year of birth the worker
    # knows: narrows a name search; people whose date of birth is not known stay in.
    born_between: tuple[date, date] | None = None


def birth_range(age_or_year: int, today: date) -> tuple[date, date]:
    """The dates of birth (first, last) an approximate age or a year of birth allows.

    A number above 999 is a year of birth: that calendar year. Otherwise it is an age
    in whole years, taken as approximate: a year either side, since a caller's "about
    seven" may be six or eight. Raises ValueError when it is neither.
    """
    if age_or_year > 999:
        return date(age_or_year, 1, 1), date(age_or_year, 12, 31)
    if age_or_year < 0:
        raise ValueError("an age is zero or more")
    youngest, oldest = max(age_or_year - 1, 0), age_or_year + 1
    last = _years_before(today, youngest)
    first = _years_before(today, oldest + 1) + timedelta(days=1)
    return first, last


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Match:
    """A person found, how well they match (0 to 100, for ordering) and why, in plain words."""

    person: Person
    score: float
    reasons: tuple[str, ...]

    @property
    def postcodes(self) -> list[str]:
        """Postcodes where the person lives now: their own current addresses, then their
        current households' (both prefetched by the search), each once."""
        found = [link.address.postcode for link in self.person.current_addresses]
        found += [
            member.household.address.postcode
            for member in self.person.current_households
            if member.household.address is not None
        ]
        return list(dict.fromkeys(found))


@dataclass(frozen=True)
class Found:
    """The best matches of a search, and how many matched in all (`matches` is the top)."""

    matches: list[Match]
    total: int
    # The lookups stopped at CANDIDATE_CAP people: more may match than were scored.
    more_may_match: bool = False


def search_people(query: PersonQuery, limit: int = 25) -> list[Match]:
    """People matching `query`, best first, at most `limit` (find_people() also counts)."""
    return find_people(query, limit).matches


def find_people(query: PersonQuery, limit: int = 25) -> Found:
    """People matching `query`, best first, at most `limit`, and how many matched.

    A postcode or postcode district given with a name narrows: only people living there
    now (their own address or their household's) are kept, besides anyone an NHS number
    or UPN identifies. Raises ValueError naming the field when the NHS number is not ten
    digits or the postcode is neither a UK postcode nor a postcode district.
    """
    wanted = _Wanted.from_query(query, district_allowed=True)
    if wanted.is_empty():
        return Found([], 0)
    scored = []
    candidates, capped = _candidates(wanted, broad=True)
    for candidate in candidates:
        result = _score(wanted, candidate)
        if wanted.place and wanted.readings and not (result.identifier or result.at_postcode):
            continue
        born_outside = wanted.born_between and result.born_outside
        if born_outside and wanted.readings and not result.identifier:
            continue
        if result.identifier or (
            result.name_similarity >= MIN_NAME_SIMILARITY
            if wanted.readings
            else result.score >= MIN_SCORE
        ):
            scored.append(result)
    (matches,) = _matches(_best(scored, limit))
    return Found(matches, len(scored), more_may_match=capped)


def likely_duplicates(
    given_name: str,
    family_name: str,
    date_of_birth: date | None,
    nhs_number: str = "",
    upn: str = "",
    postcode: str = "",
) -> tuple[list[Match], list[Match]]:
    """Existing records a new person may duplicate: (blocking, likely).

    Blocking: the same NHS number or UPN, on the person or on a record merged
    into them; creation must stop. Likely: a close name, and a date of birth that
    agrees (exactly, day and month swapped, or one digit different) or the same
    postcode; or, where either date of birth is not known, a very close name.
    """
    wanted = _Wanted.from_parts(
        given_name, family_name, date_of_birth, postcode=postcode, nhs_number=nhs_number, upn=upn
    )
    blocking, likely = [], []
    for candidate in _candidates(wanted, broad=False)[0]:
        result = _score(wanted, candidate)
        if result.identifier:
            blocking.append(result)
        elif result.name_similarity >= MIN_NAME_SIMILARITY and (
            result.dob_agrees
            or result.at_postcode
            or (result.dob_unknown and result.name_similarity >= CLOSE_NAME_SIMILARITY)
        ):
            likely.append(result)
    blocking_matches, likely_matches = _matches(
        _best(blocking, LIKELY_LIMIT), _best(likely, LIKELY_LIMIT)
    )
    return blocking_matches, likely_matches


def duplicates_of(person: Person) -> list[Match]:
    """Records that may be the same person as an existing `person` (likely_duplicates on
    their name, date of birth and identifiers, blocking first), without `person` itself:
    what a manager's merge page and a rights request's duplicate check offer."""
    blocking, likely = likely_duplicates(
        person.given_name,
        person.family_name,
        person.date_of_birth,
        nhs_number=person.nhs_number,
        upn=person.upn,
    )
    return [m for m in blocking + likely if m.person.pk != person.pk]


# --- what was asked for ------------------------------------------------------------------


class _Part(NamedTuple):
    """One part (given or family) of a name, normalised, with its phonetic key, the words
    it can be found by (matching.name_words) and, for a given name asked for, the other
    names its first word may be recorded as (variants.alternatives)."""

    text: str
    compact: str
    key: str
    words: tuple[str, ...] = ()
    alternatives: frozenset[str] = frozenset()

    @classmethod
    def given(cls, text: str) -> _Part:
        words = text.split()
        return cls(
            text,
            text.replace(" ", ""),
            phonetic_key(words[0]) if words else "",
            name_words(text),
            alternatives(words[0]) if words else frozenset(),
        )

    @classmethod
    def family(cls, text: str) -> _Part:
        return cls(text, text.replace(" ", ""), phonetic_key(text), name_words(text))

    @property
    def first(self) -> str:
        return self.text.split(" ", 1)[0]


class _Reading(NamedTuple):
    """One way to read the name asked for as a given name and a family name."""

    given: _Part
    family: _Part
    # The words were read in the other order: family name first.
    swapped: bool

    def lookup_keys(self) -> tuple[set[str], set[str]]:
        """Phonetic keys (Person.given_key, family_key) to look up one part alone by."""
        given = {self.given.key, phonetic_key(self.given.compact)} - {""}
        family = {self.family.key, *(phonetic_key(w) for w in self.family.text.split())} - {""}
        return given, family


def _readings_of_words(words: list[str]) -> list[_Reading]:
    if not words:
        return []
    if len(words) == 1:
        # One word may be either name.
        return [
            _Reading(_Part.given(""), _Part.family(words[0]), swapped=False),
            _Reading(_Part.given(words[0]), _Part.family(""), swapped=False),
        ]
    if len(words) > MAX_NAME_WORDS:
        words = [*words[: MAX_NAME_WORDS - 1], " ".join(words[MAX_NAME_WORDS - 1 :])]
    readings = []
    for split in range(1, len(words)):
        first, rest = " ".join(words[:split]), " ".join(words[split:])
        readings.append(_Reading(_Part.given(first), _Part.family(rest), swapped=False))
        readings.append(_Reading(_Part.given(rest), _Part.family(first), swapped=True))
    return readings


@dataclass(frozen=True)
class _Wanted:
    readings: tuple[_Reading, ...]
    name_shown: str
    date_of_birth: date | None
    postcode: str
    nhs_number: str
    upn: str
    district: str = ""  # a postcode district asked for instead of a whole postcode
    born_between: tuple[date, date] | None = None

    @classmethod
    def from_query(cls, query: PersonQuery, *, district_allowed: bool = False) -> _Wanted:
        postcode, district = _clean_place(query.postcode, district_allowed)
        return cls(
            readings=tuple(_readings_of_words(normalise_name(query.name).split())),
            name_shown=" ".join(query.name.split()),
            date_of_birth=query.date_of_birth,
            postcode=postcode,
            nhs_number=_clean_nhs_number(query.nhs_number),
            upn=normalise_upn(query.upn),
            district=district,
            born_between=query.born_between,
        )

    @property
    def place(self) -> str:
        """The postcode or district asked for, as the reasons name it."""
        return self.postcode or self.district

    @classmethod
    def from_parts(
        cls,
        given: str,
        family: str,
        date_of_birth: date | None,
        *,
        postcode: str,
        nhs_number: str,
        upn: str,
    ) -> _Wanted:
        given_text, family_text = normalise_name(given), normalise_name(family)
        if given_text and family_text:
            readings = (
                _Reading(_Part.given(given_text), _Part.family(family_text), swapped=False),
                _Reading(_Part.given(family_text), _Part.family(given_text), swapped=True),
            )
        else:
            # Only one part given: read it as whichever it resembles.
            readings = tuple(_readings_of_words((given_text or family_text).split()[:1]))
        return cls(
            readings=readings,
            name_shown=" ".join(f"{given} {family}".split()),
            date_of_birth=date_of_birth,
            postcode=_clean_postcode(postcode),
            nhs_number=_clean_nhs_number(nhs_number),
            upn=normalise_upn(upn),
        )

    def is_empty(self) -> bool:
        return not (
            self.readings or self.date_of_birth or self.place or self.nhs_number or self.upn
        )

    @cached_property
    def name_keys(self) -> tuple[set[str], set[str]]:
        """NameKey keys to look up: (those of the words as written, in either order; those
        a slip of one letter, a like sound, or another form of the given name would share)."""
        written, wider = set(), set()
        for reading in self.readings:
            if reading.given.compact and reading.family.compact:
                written |= exact_name_keys(reading.given.text, reading.family.text)
                wider |= wanted_name_keys(reading.given.text, reading.family.text)
        return written, wider - written

    def is_one_word(self) -> bool:
        return any(not r.given.compact or not r.family.compact for r in self.readings)

    @cached_property
    def birth_dates(self) -> list[date]:
        """The date of birth, and the date with day and month swapped if that is a date."""
        born = self.date_of_birth
        if born is None:
            return []
        dates = [born]
        swapped = _swap_day_and_month(born)
        if swapped is not None:
            dates.append(swapped)
        return dates


def _clean_nhs_number(value: str) -> str:
    if not value.strip():
        return ""
    try:
        return normalise_nhs_number(value)
    except ValueError:
        raise ValueError("NHS number: an NHS number is ten digits, spaces allowed") from None


def _clean_postcode(value: str) -> str:
    if not value.strip():
        return ""
    try:
        return normalise_postcode(value)
    except ValueError:
        raise ValueError(f"postcode: {value!r} is not a UK postcode") from None


def _clean_place(value: str, district_allowed: bool) -> tuple[str, str]:
    """(postcode, district): a whole postcode, or where allowed a postcode district."""
    if not value.strip():
        return "", ""
    try:
        return normalise_postcode(value), ""
    except ValueError:
        if not district_allowed:
            raise ValueError(f"postcode: {value!r} is not a UK postcode") from None
    try:
        return "", normalise_district(value)
    except ValueError:
        raise ValueError(
            f"postcode: {value!r} is neither a UK postcode nor a postcode district"
        ) from None


def _swap_day_and_month(day: date) -> date | None:
    if day.day == day.month or day.day > 12:
        return None
    return date(day.year, day.day, day.month)


# --- fetching candidates -----------------------------------------------------------------


class _Row(NamedTuple):
    id: int
    given_name: str
    family_name: str
    given_key: str
    family_key: str
    date_of_birth: date | None
    nhs_number: str
    upn: str


@dataclass
class _Candidate:
    row: _Row
    # Why an identifier matched ("Same NHS number"), if one did.
    identifier_reasons: list[str] = field(default_factory=list)
    at_postcode: bool = False
    # A name lookup finds them (matching.wanted_name_keys; a one-word name's phonetic key).
    named: bool = False
    # (kind, given_name, family_name, given_key, family_key) of former names and aliases.
    other_names: list[tuple[str, str, str, str, str]] = field(default_factory=list)


class _Gathered:
    """Candidates collected lookup by lookup, up to CANDIDATE_CAP people."""

    def __init__(self) -> None:
        self.rows: dict[int, _Row] = {}
        self.wanted_ids: set[int] = set()  # found through a related table; row still to fetch
        self.identifier_reasons: dict[int, list[str]] = {}
        # Found by a lookup of the name (the others by an identifier, birthday or place).
        self.named: set[int] = set()
        # A lookup stopped at its cap: more people may match than were scored.
        self.capped = False

    def room(self) -> int:
        return min(LOOKUP_CAP, CANDIDATE_CAP - len(self.rows.keys() | self.wanted_ids))

    def add_rows(self, rows: Iterable[tuple], *, lookup: bool = True, named: bool = False) -> None:
        """Rows of a lookup sliced to room(); a lookup that fills it may have had more."""
        room = self.room()
        rows = list(rows)
        self.capped |= lookup and len(rows) >= room
        for values in rows:
            self.rows.setdefault(values[0], _Row(*values))
        if named:
            self.named.update(values[0] for values in rows)

    def add_ids(self, ids: Iterable[int], *, named: bool = False) -> list[int]:
        """Ids of a lookup sliced to room(), for their rows to be fetched later."""
        room = self.room()
        ids = list(ids)
        self.capped |= len(ids) >= room
        self.wanted_ids.update(ids)
        if named:
            self.named.update(ids)
        return ids


def _live_people():
    return Person.objects.filter(merged_into__isnull=True)


def _candidates(wanted: _Wanted, *, broad: bool) -> tuple[list[_Candidate], bool]:
    """The people worth scoring, and whether a lookup stopped at its cap."""
    found = _Gathered()
    # Most precise first, so a common name cannot crowd out an identifier or a birthday.
    if wanted.nhs_number:
        _identifier_lookup(found, "nhs_number", wanted.nhs_number, "Same NHS number")
    if wanted.upn:
        _identifier_lookup(found, "upn", wanted.upn, "Same unique pupil number")
    birth_dates = wanted.birth_dates
    if birth_dates and found.room() > 0:
        found.add_rows(
            _live_people().filter(date_of_birth__in=birth_dates).values_list(*_ROW)[: found.room()]
        )
    # Without a name, who lives there is what was asked; with one, the place only narrows
    # (every candidate's address is checked below), so its residents come after the name's
    # lookups and cannot crowd them out.
    if wanted.place and not wanted.readings and found.room() > 0:
        _place_lookup(found, wanted)
    if wanted.readings:
        # The name as written first, so near spellings of a common name cannot crowd it out.
        for keys in wanted.name_keys:
            if keys and found.room() > 0:
                _name_key_lookup(found, keys)
        # A name of one word ("Smith") is looked up by its phonetic key, in current and
        # former names: many people share it, so only for a search without a date of birth
        # (a likely duplicate needs more than that to agree anyway).
        singles = _one_word_lookup(wanted)
        if singles is not None and broad and not birth_dates:
            if found.room() > 0:
                found.add_rows(
                    _live_people().filter(singles).values_list(*_ROW)[: found.room()], named=True
                )
            if found.room() > 0:
                # The name on a record merged into another finds the record kept.
                merged = Person.objects.filter(singles, merged_into__isnull=False)
                hits = merged.values_list(*_ROW, "merged_into_id")[: found.room()]
                found.add_rows(_kept_rows(hits).values(), named=True)
            if found.room() > 0:
                found.add_ids(
                    PersonName.objects.filter(singles).values_list("person_id", flat=True)[
                        : found.room()
                    ],
                    named=True,
                )
    if wanted.place and wanted.readings and found.room() > 0:
        _place_lookup(found, wanted)
    missing = found.wanted_ids - found.rows.keys()
    if missing:
        hits = Person.objects.filter(id__in=missing).values_list(*_ROW, "merged_into_id")
        # A name on a record merged into another finds the record kept.
        for hit_id, row in _kept_rows(hits).items():
            found.add_rows([row], lookup=False, named=hit_id in found.named)
    # Records merged into the candidates: their names are the candidates' names too.
    merged_records = _merged_records(set(found.rows)) if wanted.readings and found.rows else []
    if wanted.readings:
        # Found by a place or an identifier: does the name agree as a name lookup would have
        # it? (Those born on the day asked for have their names scored whatever: see _score.)
        unnamed = {
            pk
            for pk, row in found.rows.items()
            if pk not in found.named and row.date_of_birth not in wanted.birth_dates
        }
        if unnamed:
            found.named |= _named_among(wanted, unnamed, merged_records)
    # Who lives there, asked of every candidate: the place lookup above stops at its cap.
    living_there = _living_at(list(found.rows), wanted) if wanted.place else set()
    candidates = {
        pk: _Candidate(
            row,
            identifier_reasons=found.identifier_reasons.get(pk, []),
            at_postcode=pk in living_there,
            named=pk in found.named,
        )
        for pk, row in found.rows.items()
    }
    if wanted.readings and candidates:
        other_names = PersonName.objects.filter(person_id__in=candidates).values_list(
            "person_id", "kind", "given_name", "family_name", "given_key", "family_key"
        )
        for person_id, *name in other_names:
            candidates[person_id].other_names.append(tuple(name))
        for kept_id, _, *name in merged_records:
            candidates[kept_id].other_names.append((_MERGED, *name))
    return list(candidates.values()), found.capped


def _name_key_lookup(found: _Gathered, keys: set[str]) -> None:
    """People with any of these NameKey keys, up to room().

    Rows in the index's order, stopped at a bound and made distinct here: DISTINCT with a
    LIMIT lets PostgreSQL walk the person_id index filtering on the key, millions of rows
    for a common name (4 s at a million people); a person has at most a few dozen keys."""
    room = found.room()
    bound = room * KEYS_A_PERSON
    rows = list(
        NameKey.objects.filter(key__in=sorted(keys)).values_list("person_id", flat=True)[:bound]
    )
    found.capped |= len(rows) == bound
    found.add_ids(list(dict.fromkeys(rows))[:room], named=True)


def _kept_rows(hits: Iterable[tuple]) -> dict[int, tuple]:
    """For each hit (a _ROW and its merged_into_id), by its id: the _ROW of the record kept,
    itself unless it was merged (a chain is short; bounded in case of a loop)."""
    live: dict[int, tuple] = {}
    next_of: dict[int, int] = {}
    asked = []
    for *row, into in hits:
        asked.append(row[0])
        if into is None:
            live[row[0]] = tuple(row)
        else:
            next_of[row[0]] = into
    todo = set(next_of.values())
    for _ in range(10):
        todo -= live.keys() | next_of.keys()
        if not todo:
            break
        for *row, into in Person.objects.filter(id__in=todo).values_list(*_ROW, "merged_into_id"):
            if into is None:
                live[row[0]] = tuple(row)
            else:
                next_of[row[0]] = into
        todo = set(next_of.values())
    kept = {}
    for hit_id in asked:
        at: int | None = hit_id
        for _ in range(len(next_of) + 1):
            if at in live:
                kept[hit_id] = live[at]
                break
            at = next_of.get(at)
    return kept


def _merged_records(kept_ids: set[int]) -> list[tuple[int, int, str, str, str, str]]:
    """(kept id, merged id, given_name, family_name, given_key, family_key) of every record
    merged into `kept_ids`, however many merges back (bounded in case of a loop)."""
    root = {pk: pk for pk in kept_ids}
    found = []
    frontier = set(kept_ids)
    for _ in range(10):
        if not frontier:
            break
        rows = Person.objects.filter(merged_into__in=frontier).values_list(
            "id", "merged_into_id", "given_name", "family_name", "given_key", "family_key"
        )
        frontier = set()
        for pk, into, *name in rows:
            if pk not in root:
                root[pk] = root[into]
                frontier.add(pk)
                found.append((root[into], pk, *name))
    return found


def _identifier_lookup(found: _Gathered, column: str, value: str, reason: str) -> None:
    """People with this identifier; a merged record counts for the person it was merged into."""
    hits = Person.objects.filter(**{column: value}).values_list(*_ROW, "merged_into_id")
    for row in _kept_rows(hits[:LOOKUP_CAP]).values():
        reasons = found.identifier_reasons.setdefault(row[0], [])
        if reason not in reasons:
            reasons.append(reason)
        found.add_rows([row])


def _at_place(wanted: _Wanted, prefix: str = "") -> Q:
    """Addresses at the postcode asked for, or in the district (an indexed range on the
    postcode column, "N7 " up to "N7!", as stored postcodes have one space)."""
    column = f"{prefix}postcode"
    if wanted.postcode:
        return Q(**{column: wanted.postcode})
    district = wanted.district
    inside = Q(**{f"{column}__gte": f"{district} ", f"{column}__lt": f"{district}!"})
    if district[-1].isdigit():
        # Central London's districts are split by a letter: "WC1" is WC1A to WC1X, "N1"
        # takes in N1C; never N10 to N19.
        inside |= Q(**{f"{column}__gte": f"{district}A", f"{column}__lt": f"{district}["})
    return inside


def _place_lookup(found: _Gathered, wanted: _Wanted) -> None:
    """People living at the postcode or in the district now: their own address, or their
    household's."""
    found.add_ids(
        PersonAddress.objects.filter(_at_place(wanted, "address__"), moved_out__isnull=True)
        .order_by()  # not the model's ordering: DISTINCT would include its column
        .values_list("person_id", flat=True)
        .distinct()[: found.room()]
    )
    if found.room() > 0:
        found.add_ids(
            HouseholdMember.objects.filter(
                _at_place(wanted, "household__address__"), left_on__isnull=True
            )
            .values_list("person_id", flat=True)
            .distinct()[: found.room()]
        )


def _living_at(person_ids: list[int], wanted: _Wanted) -> set[int]:
    """Which of `person_ids` live at the postcode or in the district asked for now."""
    own = PersonAddress.objects.filter(
        _at_place(wanted, "address__"), person_id__in=person_ids, moved_out__isnull=True
    ).values_list("person_id", flat=True)
    household = HouseholdMember.objects.filter(
        _at_place(wanted, "household__address__"), person_id__in=person_ids, left_on__isnull=True
    ).values_list("person_id", flat=True)
    return set(own.order_by().union(household.order_by()))


def _one_word_lookup(wanted: _Wanted) -> Q | None:
    """For a name of one word, equality on the indexed phonetic keys of either part of a
    name (Person or PersonName); None for longer names, which the name index finds."""
    if not wanted.is_one_word():
        return None
    given_only: set[str] = set()
    family_only: set[str] = set()
    for reading in wanted.readings:
        given_keys, family_keys = reading.lookup_keys()
        family_only.update(family_keys)
        given_only.update(given_keys if not family_keys else ())
    single = None
    if family_only:
        single = Q(family_key__in=sorted(family_only))
    if given_only:
        term = Q(given_key__in=sorted(given_only))
        single = term if single is None else single | term
    return single


def _named_among(wanted: _Wanted, person_ids: set[int], merged_records: list[tuple]) -> set[int]:
    """Which of `person_ids` the name lookups of _candidates would find, however they were
    found here: so a person's name counts the same whether or not a birthday or a place
    brought them, and a postcode only ever narrows a search by name. `merged_records`:
    _merged_records() of them (or of more people)."""
    written, wider = wanted.name_keys
    singles = _one_word_lookup(wanted)
    named: set[int] = set()
    # Their own names, and those of records merged into them.
    kept_of = {pk: pk for pk in person_ids}
    kept_of |= {merged: kept for kept, merged, *_ in merged_records if kept in person_ids}
    if written | wider:
        named.update(
            kept_of[pk]
            for pk in NameKey.objects.filter(person_id__in=kept_of, key__in=sorted(written | wider))
            .values_list("person_id", flat=True)
            .distinct()
        )
    if singles is not None:
        named.update(
            kept_of[pk]
            for pk in Person.objects.filter(singles, id__in=kept_of).values_list("id", flat=True)
        )
        named.update(
            PersonName.objects.filter(singles, person_id__in=person_ids).values_list(
                "person_id", flat=True
            )
        )
    return named


# --- scoring -------------------------------------------------------------------------------

_SAME, _SOUNDS, _SIMILAR = "same", "sounds", "similar"
# The kind of a name on a record merged into the person (beside PersonName.Kind's).
_MERGED = "merged"
# How one part differs, when it is worth saying: a word of it, another form of it, a slip.
_PART, _ALTERNATIVE, _SLIP = "part", "alternative", "slip"


@dataclass
class _Scored:
    person_id: int
    score: float
    reasons: list[str]
    name_similarity: float = 0.0
    identifier: bool = False
    dob_agrees: bool = False
    dob_unknown: bool = False
    at_postcode: bool = False
    born_outside: bool = False  # known to be born outside the dates an age asked for allows
    sort_name: str = ""


def _part_similarity(asked: _Part, recorded: _Part) -> tuple[float, str, str]:
    """(0 to 100, how alike in general, how it differs when that is worth saying)."""
    if asked.compact == recorded.compact:
        return 100.0, _SAME, ""
    if not recorded.compact:
        return 0.0, _SIMILAR, ""
    # Compact forms: "Lloyd-Jones" and "LloydJones" compare equal, "O Brien" and "O'Brien" too.
    score = (
        JaroWinkler.normalized_similarity(asked.compact, recorded.compact) * 100
        + fuzz.ratio(asked.compact, recorded.compact)
    ) / 2
    if " " in asked.text or " " in recorded.text:
        # One part of a name written in full: "Jones" and "Lloyd Jones", "Mary" and "Mary Ann".
        score = max(score, 0.95 * fuzz.token_set_ratio(asked.text, recorded.text))
    detail = ""
    if asked.key and asked.key == recorded.key:
        score, kind = max(score, 90.0), _SOUNDS
    else:
        kind = _SIMILAR
    if set(asked.words) < set(recorded.words) or asked.compact in recorded.words:
        # "Jones" of "Lloyd-Jones", "Connor" of "O'Connor", "Garcia" of "García López".
        score, detail = max(score, PART_SIMILARITY), _PART
    elif recorded.first in asked.alternatives:
        score, detail = max(score, ALTERNATIVE_SIMILARITY), _ALTERNATIVE
    elif OSA.distance(asked.compact, recorded.compact) == 1:
        score, detail = max(score, SLIP_SIMILARITY), _SLIP
    return score, kind, detail


def _reading_similarity(
    reading: _Reading, given: _Part, family: _Part
) -> tuple[float, str, list[tuple[str, str, _Part]]]:
    """(0 to 100, how alike, and (which part, how it differs, the part asked) for each
    part that differs in a way worth saying)."""
    scores, kinds, details = [], [], []
    parts = (("given", reading.given, given), ("family", reading.family, family))
    for which, asked, recorded in parts:
        if asked.compact:
            score, kind, detail = _part_similarity(asked, recorded)
            scores.append(score)
            kinds.append(kind)
            if detail:
                details.append((which, detail, asked))
    if all(kind == _SAME for kind in kinds):
        kind = _SAME
    elif all(kind in (_SAME, _SOUNDS) for kind in kinds):
        kind = _SOUNDS
    else:
        kind = _SIMILAR
    score = sum(scores) / len(scores)
    # The order as written wins a tie ("Ali Ali"); a swap costs a little.
    return (score - 2.0 if reading.swapped else score), kind, details


def _recorded_part(text: str, key: str) -> _Part:
    normal = normalise_name(text)
    return _Part(normal, normal.replace(" ", ""), key, name_words(text))


def _name_match(wanted: _Wanted, candidate: _Candidate) -> tuple[float, str]:
    """The best similarity over readings and names, and the reason to show for it."""
    row = candidate.row
    names = [("", row.given_name, row.family_name, row.given_key, row.family_key)]
    names += candidate.other_names
    best: tuple[float, str] = (-1.0, "")
    for kind_of_name, given, family, given_key, family_key in names:
        given_part = _recorded_part(given, given_key)
        family_part = _recorded_part(family, family_key)
        for reading in wanted.readings:
            score, kind, details = _reading_similarity(reading, given_part, family_part)
            if score > best[0]:
                reason = _name_reason(wanted, reading, kind, kind_of_name, given, family)
                said = [_detail_words(d, given, family) for d in details]
                best = (score, f"{reason}: {'; '.join(said)}" if said else reason)
    return best


def _detail_words(detail: tuple[str, str, _Part], given: str, family: str) -> str:
    """One part's difference in plain words, naming the recorded name as it is written."""
    which, how, asked = detail
    recorded = " ".join((given if which == "given" else family).split())
    if how == _ALTERNATIVE:
        first = recorded.split(" ", 1)[0]
        asked_word = asked.first.capitalize()
        related = how_related(asked.first, normalise_name(first).split(" ", 1)[0])
        if related == "spelling":
            return f"{first} is a spelling variant of {asked_word}"
        if related == "short":
            return f"{asked_word} is a short form of {first}"
        if related == "full":
            return f"{first} is a short form of {asked_word}"
        return f"{first} is another form of {asked_word}"
    if how == _PART:
        return f"{which} name is part of {recorded}"
    if Levenshtein.distance(asked.compact, normalise_name(recorded).replace(" ", "")) == 1:
        return f"{which} name one letter different from {recorded}"
    return f"{which} name has two letters the other way round from {recorded}"


def _name_reason(
    wanted: _Wanted, reading: _Reading, kind: str, kind_of_name: str, given: str, family: str
) -> str:
    if kind_of_name == _MERGED:
        return f"Name on a record merged into this one: {' '.join(f'{given} {family}'.split())}"
    if kind_of_name:
        label = dict(PersonName.Kind.choices)[kind_of_name]
        return f"{label} {' '.join(f'{given} {family}'.split())}"
    what = "Name"
    if not reading.given.compact:
        what = "Family name"
    elif not reading.family.compact:
        what = "Given name"
    if kind == _SAME:
        reason = f"Same {what.lower()}"
    elif kind == _SOUNDS:
        reason = f"{what} sounds like {wanted.name_shown}"
    else:
        reason = f"{what} similar to {wanted.name_shown}"
    if reading.swapped:
        reason += ", with given and family names the other way round"
    return reason


def _dob_match(wanted: date, recorded: date | None) -> tuple[float | None, str]:
    if recorded is None:
        return None, ""
    if recorded == wanted:
        return 100.0, "Same date of birth"
    if recorded == _swap_day_and_month(wanted):
        return 90.0, "Date of birth with day and month swapped"
    if Hamming.distance(wanted.strftime("%Y%m%d"), recorded.strftime("%Y%m%d")) == 1:
        return 70.0, "Date of birth one digit different"
    return 0.0, ""


def _score(wanted: _Wanted, candidate: _Candidate) -> _Scored:
    row = candidate.row
    result = _Scored(
        person_id=row.id,
        score=0.0,
        reasons=list(candidate.identifier_reasons),
        identifier=bool(candidate.identifier_reasons),
        at_postcode=candidate.at_postcode,
        sort_name=f"{normalise_name(row.family_name)} {normalise_name(row.given_name)}",
    )
    total = weights = 0.0
    # A name counts where a name lookup finds it; with the date of birth asked for (which
    # the birthday lookup fetches), a name merely similar counts too. Not at a place: a
    # postcode only narrows.
    if wanted.readings and (candidate.named or row.date_of_birth in wanted.birth_dates):
        similarity, reason = _name_match(wanted, candidate)
        result.name_similarity = similarity
        if similarity >= MIN_NAME_SIMILARITY:
            result.reasons.append(reason)
        total += NAME_WEIGHT * max(similarity, 0.0)
    if wanted.readings:
        weights += NAME_WEIGHT
    if wanted.date_of_birth is not None:
        agreement, reason = _dob_match(wanted.date_of_birth, row.date_of_birth)
        if agreement is None:
            # Not known: neither for nor against.
            result.dob_unknown = True
            agreement = 50.0
        elif agreement > 0:
            result.dob_agrees = True
            result.reasons.append(reason)
        total += DOB_WEIGHT * agreement
        weights += DOB_WEIGHT
    else:
        result.dob_unknown = True
    if wanted.born_between is not None and row.date_of_birth is not None:
        first, last = wanted.born_between
        if first <= row.date_of_birth <= last:
            result.reasons.append("Date of birth fits the age or year asked for")
        else:
            result.born_outside = True
    if wanted.place:
        if candidate.at_postcode:
            where = f"at {wanted.postcode}" if wanted.postcode else f"in {wanted.district}"
            result.reasons.append(f"Lives {where}")
        total += POSTCODE_WEIGHT * (100.0 if candidate.at_postcode else 0.0)
        weights += POSTCODE_WEIGHT
    score = total / weights if weights else 0.0
    for label, asked, recorded in (
        ("NHS number", wanted.nhs_number, row.nhs_number),
        ("unique pupil number", wanted.upn, row.upn),
    ):
        if asked and recorded and asked != recorded and not result.identifier:
            score *= DIFFERENT_IDENTIFIER_FACTOR
            result.reasons.append(f"Different {label} recorded")
    result.score = 100.0 if result.identifier else round(score, 1)
    return result


def _best(scored: list[_Scored], limit: int) -> list[_Scored]:
    scored.sort(key=lambda s: (-s.score, not s.identifier, s.sort_name, s.person_id))
    return scored[:limit]


def _matches(*lists: list[_Scored]) -> list[list[Match]]:
    """Match objects for each list, loading the people once, with what a results list shows."""
    ids = {s.person_id for scored in lists for s in scored}
    people = _load_people(ids) if ids else {}
    return [
        [Match(people[s.person_id], s.score, tuple(s.reasons)) for s in scored] for scored in lists
    ]


def _load_people(ids: Iterable[int]) -> dict[int, Person]:
    current = PersonAddress.objects.filter(moved_out__isnull=True).select_related("address")
    households = HouseholdMember.objects.filter(left_on__isnull=True).select_related(
        "household__address"
    )
    people = Person.objects.filter(id__in=ids).prefetch_related(
        Prefetch("addresses", queryset=current, to_attr="current_addresses"),
        Prefetch("householdmember_set", queryset=households, to_attr="current_households"),
        "other_names",
    )
    return {person.id: person for person in people}
