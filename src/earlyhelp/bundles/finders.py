"""Proposals of third-party information in a record's text, for a person to decide.

A subject access bundle gives the requester what is held about them; other people's
information is withheld unless they consent or it is reasonable to disclose it (DPA 2018
Schedule 2 paragraph 16). Workers acting in their role are normally disclosed (Schedule 2
paragraph 17), as is everything about the requester themself. This module only *proposes*:
a reviewer accepts or rejects each proposal, so it errs towards finding (recall) while
leaving out what the rules say is not a third party's.

Two sources of proposals, both pure (no database):

* a deny-list built for one request from the records (:class:`Party`): every name form of
  the family, relatives, other children and contacts, with their nicknames and other
  spellings (:mod:`earlyhelp.people.variants`), and their recorded contact details and
  identifiers, matched whatever way they are written;
* patterns for UK identifiers and contact details, whoever they belong to: NHS numbers and
  UPNs (validated by their check digit and letter), National Insurance numbers, postcodes,
  street addresses, telephone numbers, email addresses and dates of birth.

Speed (a finder is built per request, then run over every text): nothing is compiled per
request. One module-level regex, starting with a set of characters so the engine skips in
C to the next digit or capital, finds every place a pattern may start and every word with
a capital; the patterns are tried only where they may start, and a word is looked up in
the request's dictionary of name words; words next to each other that can be one person's
make one name ("Maya Smith"). Check digits are computed only for candidates; recorded
details are keyed, not validated. A finder works out once what recurs in a request's
texts: who a name word may mean (only for the words its texts hold), a value's verdict, a
pair of words written together. :meth:`Finder.propose_many` scans many texts as one.
"""

from __future__ import annotations

import calendar
import itertools
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from operator import itemgetter
from typing import Any, NamedTuple, TypeVar

from earlyhelp.people import identifiers, variants

__all__ = ["Finder", "Kind", "Party", "Proposal"]


class Kind(StrEnum):
    """What a proposal found. Values are stable ids; :attr:`words` is for people."""

    NAME = "name"
    NHS_NUMBER = "nhs_number"
    UPN = "upn"
    NI_NUMBER = "ni_number"
    POSTCODE = "postcode"
    ADDRESS = "address"
    PHONE = "phone"
    EMAIL = "email"
    DATE_OF_BIRTH = "date_of_birth"

    @property
    def words(self) -> str:
        """The kind in words for a reviewer: ``Kind.NHS_NUMBER.words == "NHS number"``."""
        return _KIND_WORDS[self]


_KIND_WORDS = {
    Kind.NAME: "Name",
    Kind.NHS_NUMBER: "NHS number",
    Kind.UPN: "Unique pupil number",
    Kind.NI_NUMBER: "National Insurance number",
    Kind.POSTCODE: "Postcode",
    Kind.ADDRESS: "Address",
    Kind.PHONE: "Telephone number",
    Kind.EMAIL: "Email address",
    Kind.DATE_OF_BIRTH: "Date of birth",
}


# Members used where the finder runs per word or per match, as module names: a member read
# from its class (``Kind.NAME``) costs a call to the enum's descriptor (Python 3.11).
_K_NAME, _K_ADDRESS, _K_EMAIL, _K_BIRTH = Kind.NAME, Kind.ADDRESS, Kind.EMAIL, Kind.DATE_OF_BIRTH
_K_BIRTH_WORDS = _KIND_WORDS[_K_BIRTH]


@dataclass(frozen=True)
class Party:
    """One person known from the records, whose information is (or is not) proposed.

    ``full_names``: every whole name recorded ("Maya Smith", known-as and previous names);
    ``given_names`` / ``family_names``: their parts ("Maya", "Smith"); when empty they are
    taken from the first and last words of the full names. ``details``: phone numbers,
    emails, addresses, postcodes, NHS numbers, UPNs, National Insurance numbers and dates
    of birth as recorded (a :class:`datetime.date` for a date of birth is fine).
    ``why``: what the person is to the requester, in words ("Sister").
    """

    full_names: tuple[str, ...]
    given_names: tuple[str, ...] = ()
    family_names: tuple[str, ...] = ()
    details: tuple[str | date, ...] = ()
    why: str = ""

    @property
    def label(self) -> str:
        """``"Sister: Maya Smith"``, or the name alone when ``why`` is empty."""
        name = self.full_names[0] if self.full_names else ""
        return f"{self.why}: {name}" if self.why and name else (self.why or name)


class Proposal(NamedTuple):
    """A proposed redaction: ``text[start:end]`` (character offsets), its kind and why.

    A named tuple, not a dataclass: a bundle makes thousands, and a tuple is quicker to make.
    """

    start: int
    end: int
    kind: Kind
    why: str


# ---------------------------------------------------------------------------
# Patterns for UK identifiers and contact details
# ---------------------------------------------------------------------------

# National Insurance number prefixes: HMRC's National Insurance Manual NIM39110. Neither
# letter is D, F, I, Q, U or V; the second is not O; these pairs are never allocated.
_NI_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
_NI_SECOND = "ABCEGHJKLMNPRSTWXYZ"
_NI_NEVER = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})

# Street descriptors used in UK addresses (BS 7666 / Royal Mail street types, with the
# block and estate words notes use for flats). A house number then capitalised words then
# one of these makes an address.
STREET_TYPES: tuple[str, ...] = (
    "Road", "Street", "Avenue", "Lane", "Close", "Way", "Drive", "Gardens", "Grove",
    "Place", "Square", "Crescent", "Terrace", "Court", "Hill", "Mews", "Row", "Walk",
    "Rise", "Park", "Green", "Parade", "Vale", "View", "Yard", "Gate", "Passage",
    "Buildings", "Mansions", "House", "Estate", "Villas", "Cottages", "Wharf", "Quay",
    "Market", "Circus", "Broadway", "Embankment", "Rd", "St", "Ave",
)  # fmt: skip
_FLAT_WORDS = ("Flat", "Apartment", "Unit", "Room", "Maisonette")

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_MONTH_WORD = "|".join(sorted((m.capitalize() for m in _MONTHS), key=len, reverse=True))

_B = r"(?<![\w@.+/-])"  # nothing word-like (or part of a longer token) before
_E = r"(?![\w@/]|-\w)"  # nothing word-like after (a full stop ending a sentence is fine)

_DATE_NUMERIC = r"(?P<d1>\d{1,2})(?P<sep>[/.-])(?P<m1>\d{1,2})(?P=sep)(?P<y1>\d{4}|\d{2})"
_DATE_ISO = r"(?P<y2>\d{4})-(?P<m2>\d{1,2})-(?P<d2>\d{1,2})"
_DATE_DAY_MONTH = (
    rf"(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m3>{_MONTH_WORD})\.?,?\s+(?P<y3>\d{{4}})"
)
_DATE_MONTH_DAY = (
    rf"(?P<m4>{_MONTH_WORD})\.?\s+(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y4>\d{{4}})"
)

_STREET = "|".join(STREET_TYPES)
_CAPITALISED = r"[A-Z][\w'’.-]*"
# A word of a block's or estate's name: letters only (a postcode is not one), and no full
# stop (a flat's line ends with its sentence).
_BLOCK_WORD = r"[A-Z][^\W\d_]*(?:['’-][^\W\d_]+)*"
# "12 Acacia Road", "14-16 Regent's Park Road", "3 Godwin and Crowndale Estate".
_NUMBERED = (
    r"\d{1,4}[A-Za-z]?(?:-\d{1,4})?,?\s+"
    rf"{_CAPITALISED}\s+(?:(?:{_CAPITALISED}|and|of|the|on|upon)\s+){{0,4}}"
    rf"(?:{_STREET})\b"
)
# "Flat 3, 14 Camden Street", "Flat A, 12 Camden Road", "Flat 12, Walker House, Ossulston
# Estate", "Flat 12, Burnham": a flat's number, then the rest of the line while it is a
# house number or capitalised words.
_FLAT = (
    rf"(?:{'|'.join(_FLAT_WORDS)})\s+(?:\d{{1,4}}[A-Za-z]?|[A-Z])\b"
    rf"(?:,?\s+{_NUMBERED}|(?:,?\s+(?:\d{{1,4}}[A-Za-z]?(?:-\d{{1,4}})?,?\s+)?{_BLOCK_WORD}"
    rf"(?:\s+(?:{_BLOCK_WORD}|and|of|the))*)*)"
)
_ADDRESS = rf"(?:{_FLAT}|{_NUMBERED})"
_ONE_NUMBERED = re.compile(_NUMBERED)

# Each pattern alone (for a retry where another failed its check, see Finder._pattern_at).
_PATTERNS: dict[Kind | str, str] = {
    Kind.EMAIL: r"[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+",
    Kind.ADDRESS: _ADDRESS,
    "date": rf"(?:{_DATE_NUMERIC}|{_DATE_ISO}|{_DATE_DAY_MONTH}|{_DATE_MONTH_DAY})",
    Kind.NHS_NUMBER: r"\d{3}[ -]?\d{3}[ -]?\d{4}",
    Kind.PHONE: r"(?:(?:\+|00)44[\s-]?(?:\(0\)[\s-]?)?|\(?0)\d(?:[ -]?\)?[ -]?\d){8,9}",
    Kind.UPN: rf"[{identifiers.UPN_LETTERS}]\d{{11}}[0-9{identifiers.UPN_LETTERS}]",
    Kind.NI_NUMBER: (
        rf"[{_NI_FIRST}][{_NI_SECOND}]\s?\d{{2}}\s?\d{{2}}\s?\d{{2}}(?:\s?[A-D](?![a-z]))?"
    ),
    Kind.POSTCODE: r"[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}",
}
_ONE = {kind: re.compile(rf"{_B}(?:{pattern}){_E}") for kind, pattern in _PATTERNS.items()}
# All patterns but the email address's in one regex, in two groups by their first
# character, a digit (or "+", "(") or a capital, so each position tries only the patterns
# that can start there. Emails are looked for only in texts with an "@".
_BY_DIGIT: tuple[tuple[str, Kind | str, str], ...] = (
    ("k_address", Kind.ADDRESS, _NUMBERED),
    ("k_date", "date", f"(?:{_DATE_NUMERIC}|{_DATE_ISO}|{_DATE_DAY_MONTH})"),
    ("k_nhs", Kind.NHS_NUMBER, _PATTERNS[Kind.NHS_NUMBER]),
    ("k_phone", Kind.PHONE, _PATTERNS[Kind.PHONE]),
)
_BY_CAPITAL: tuple[tuple[str, Kind | str, str], ...] = (
    ("k_flat", Kind.ADDRESS, _FLAT),
    ("k_date_words", "date", _DATE_MONTH_DAY),
    ("k_upn", Kind.UPN, _PATTERNS[Kind.UPN]),
    ("k_ni", Kind.NI_NUMBER, _PATTERNS[Kind.NI_NUMBER]),
    ("k_postcode", Kind.POSTCODE, _PATTERNS[Kind.POSTCODE]),
)


def _alternatives(patterns: tuple[tuple[str, Kind | str, str], ...]) -> str:
    return "|".join(f"(?P<{group}>{pattern}){_E}" for group, _, pattern in patterns)


# What every capital-led pattern starts with: one or two capitals and a digit (UPN, NI
# number, postcode), a flat word ("Flat 3") or a month before a day ("May 14, 2024").
# Checked first, it spares the other capitals (names, sentences) trying each pattern.
_MONTH_TAILS = "|".join(sorted({m.capitalize()[1:] for m in _MONTHS}, key=len, reverse=True))
_AFTER_CAPITAL = (  # what follows the capital
    rf"(?:[A-Z]?\s?\d|(?:{'|'.join(w[1:] for w in _FLAT_WORDS)})\s|(?:{_MONTH_TAILS})\.?\s+\d)"
)
_CAPITAL_PATTERN_START = rf"(?=[A-Z]{_AFTER_CAPITAL})"
_PATTERN_ALTERNATIVES = (
    rf"(?=[\d(+])(?:{_alternatives(_BY_DIGIT)})"
    rf"|{_CAPITAL_PATTERN_START}(?:{_alternatives(_BY_CAPITAL)})"
)
_ALL = re.compile(rf"(?=[\d(+A-Z]){_B}(?:{_PATTERN_ALTERNATIVES})")
_KIND_OF_GROUP = {group: kind for group, kind, _ in _BY_DIGIT + _BY_CAPITAL}

# Words before a date that make it a date of birth: "born", "DOB", "D.O.B.", "date of birth".
_BIRTH_CONTEXT = re.compile(
    r"(?:\bborn|\bdob|\bd\.\s?o\.\s?b|\bdate\s+of\s+birth)\.?"
    r"[\s:,(\-–]*(?:(?:on|in|is|was|of)\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
_BIRTH_LOOKBACK = 40  # characters before a date searched for those words


_EMAIL_OWN_PART = "_.+-"  # with letters and digits (\w), what an email has before its "@"
_SPACES_AND_DASHES = re.compile(r"[\s-]")
_NOT_DIGITS = re.compile(r"\D")
_SPACES = re.compile(r"\s")


def _nhs_key(text: str) -> str | None:
    """Ten digits with a valid check digit, in a range ever issued (or the test range)."""
    digits = _SPACES_AND_DASHES.sub("", text)
    if not identifiers.nhs_number_is_valid(digits):
        return None
    return digits if identifiers.nhs_number_range(digits) is not None else None


def _phone_key(text: str) -> str | None:
    """The national form of a UK telephone number ("07700900123"), or None."""
    digits = _NOT_DIGITS.sub("", text)
    if text.lstrip().startswith(("+", "00")):
        digits = digits.removeprefix("00")
        if not digits.startswith("44"):
            return None
        digits = digits[2:]
        if not digits.startswith("0"):
            digits = "0" + digits
    if not digits.startswith("0") or len(digits) < 2 or digits[1] not in "123578":
        return None
    if len(digits) == 11 or (len(digits) == 10 and digits[1] == "1"):
        return digits
    return None


def _ni_key(text: str) -> str | None:
    compact = _SPACES.sub("", text).upper()
    if not _NI_SHAPE.fullmatch(compact):
        return None
    return None if compact[:2] in _NI_NEVER else compact[:8]


def _upn_key(text: str) -> str | None:
    compact = identifiers.normalise_upn(text)
    return compact if identifiers.upn_is_valid(compact) else None


def _postcode_key(text: str) -> str | None:
    """A valid postcode without its space, upper case: "nw1 0ab" -> "NW10AB"."""
    if not identifiers.postcode_is_valid(text):
        return None
    return identifiers.normalise_postcode(text).replace(" ", "")


def _email_key(text: str) -> str | None:
    return text.strip().lower() if "@" in text else None


def _address_key(text: str) -> str:
    return " ".join(text.replace(",", " ").replace(".", " ").lower().split())


def _dates(match: re.Match[str]) -> tuple[date, ...]:
    """The dates a date match may mean (a two-digit year is 19yy or 20yy), or ()."""
    for d, m, y in _DATE_GROUPS:
        year_text = match[y]
        if year_text is None:
            continue
        month_text = match[m]
        month = int(month_text) if month_text.isdigit() else _MONTHS[month_text.lower()]
        years = [int(year_text)]
        if len(year_text) == 2:
            years = [1900 + years[0], 2000 + years[0]]
        found = []
        for year in years:
            try:
                found.append(date(year, month, int(match[d])))
            except ValueError:
                continue
        return tuple(found)
    return ()


# The groups of each way of writing a date (see _DATE_NUMERIC and the others).
_DATE_GROUPS = (("d1", "m1", "y1"), ("d2", "m2", "y2"), ("d3", "m3", "y3"), ("d4", "m4", "y4"))


_DATE_ONLY = re.compile(rf"^(?:{_PATTERNS['date']})$")


def _date_key(value: str | date) -> date | None:
    if isinstance(value, date):
        return value
    match = _DATE_ONLY.match(value.strip())
    found = _dates(match) if match else ()
    return found[-1] if found else None


_KEYS = {
    Kind.NHS_NUMBER: _nhs_key,
    Kind.UPN: _upn_key,
    Kind.NI_NUMBER: _ni_key,
    Kind.POSTCODE: _postcode_key,
    Kind.PHONE: _phone_key,
    Kind.EMAIL: _email_key,
}


# ---------------------------------------------------------------------------
# Name forms
# ---------------------------------------------------------------------------

# How strongly a word is a person's name: a nickname from the lists (DERIVED), a word of
# a recorded name (RECORDED), a recorded given name (GIVEN: notes call people by their
# given name, so a father named Hassan beats the requester's family name Hassan).
DERIVED, RECORDED, GIVEN = 1, 2, 3
_WORD_START = re.compile(r"(^|[\s'’-])(\w)")
# Nickname forms that are calendar words: proposing "May" and "June" would take every date.
_CALENDAR_WORDS = frozenset(
    [m.lower() for m in calendar.month_name if m] + [d.lower() for d in calendar.day_name]
)


# Entries of the nickname list that are everyday English words ("Will" for William,
# "Court" for Courtney, "Squat" for Scott), reviewed from the nicknames package's names.csv.
# Notes start sentences with them ("Will chase the school."), so one derived from a third
# party's name is proposed mid-sentence only, where a capital says it is a name. A name
# *recorded* as "Will" is always proposed.
ORDINARY_WORDS = frozenset((
    "art", "ash", "bell", "bill", "bob", "cage", "cam", "chat", "chick", "con", "court",
    "crate", "day", "dick", "dob", "don", "dot", "duty", "fall", "fate", "field", "gay",
    "gum", "ham", "hap", "hob", "honey", "honor", "hop", "hope", "hub", "jack", "jay",
    "kill", "king", "left", "life", "link", "mark", "mat", "max", "mercy", "mock", "nap",
    "nick", "one", "pat", "pink", "rich", "rob", "see", "sis", "squat", "sue", "tick",
    "vest", "vet", "wash", "west", "will", "win", "wood",
))  # fmt: skip
# Titles before a name: "Ms Okafor" has the family name Okafor and no given name.
TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "pc", "dc", "sgt", "rev"})


def _capitalised(name: str) -> str:
    """Each word part with a capital first letter: "mary-jane" -> "Mary-Jane"."""
    return _WORD_START.sub(lambda m: m.group(1) + m.group(2).upper(), name)


def _unaccented(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# Caches hold only what recurs across requests (a word of a name, a given name's
# nicknames), never one person's names or details: those would only grow the heap.
@lru_cache(maxsize=1 << 16)
def _word_forms(word: str, derived: bool) -> tuple[str, ...]:
    """How notes write one word of a name: as recorded, with a capital, in ALL CAPS
    (as recorded only: a nickname in capitals is more often an abbreviation, "DOB" is a
    short form of Robert in the nickname list) and without accents ("Zoë" as "Zoe")."""
    forms = {word, _capitalised(word)}
    if word.isupper():
        forms.add(_capitalised(word.lower()))
    if not derived:
        forms.add(word.upper())
    forms |= {_unaccented(form) for form in forms}
    # A name written all in lower case is not matched: notes write names with a capital,
    # and "mark" or "will" in lower case are ordinary words.
    return tuple(form for form in forms if any(char.isupper() for char in form))


@lru_cache(maxsize=1 << 14)
def _nicknames(given: str) -> tuple[str, ...]:
    """Other forms of a one-word given name (earlyhelp.people.variants: nicknames, short
    and full forms, other spellings), less calendar words: "May" would take every date."""
    return tuple(
        _capitalised(other)
        for other in sorted(variants.alternatives(given.lower()))
        if other not in _CALENDAR_WORDS and other.isalpha()
    )


@lru_cache(maxsize=1 << 16)
def _word_role(word: str) -> int:
    """What one word of a written name is: a title (0), a word with a capital (1) or a
    particle written before one (2), as "Ms", "Souza" and "de" in "Ms Zoë de Souza"."""
    if word.lower().rstrip(".") in TITLES:
        return 0
    return 1 if word != word.lower() else 2


def _words(name: str) -> tuple[tuple[str, str], ...]:
    """(word, particles before it) for each word with a capital in a name, titles left
    out: "Ms Zoë de Souza" -> [("Zoë", ""), ("Souza", "de ")]."""
    split = name.split()
    if len(split) == 1:
        return _one_word(split[0])  # most given and family names: a word, cached
    found: list[tuple[str, str]] = []
    particles: list[str] = []
    for word in split:
        role = _word_role(word)
        if role == 1:
            found.append((word, " ".join(particles) + " " if particles else ""))
            particles = []
        elif role:
            particles.append(word)
        else:
            particles = []
    return tuple(found)


@lru_cache(maxsize=1 << 16)
def _one_word(word: str) -> tuple[tuple[str, str], ...]:
    """_words of a name of one word."""
    return ((word, ""),) if _word_role(word) == 1 else ()


# The two below are shared by every finder (cached): read, never changed. Dicts, not
# pairs, so that dict.update merges them in C without unpacking each pair.
@lru_cache(maxsize=1 << 16)
def _strengths_of_word(word: str, strength: int) -> dict[str, int]:
    """Each written form of one recorded word of a name -> ``strength``."""
    return dict.fromkeys(_word_forms(word, False), strength)


@lru_cache(maxsize=1 << 14)
def _nickname_forms(given: str) -> tuple[str, ...]:
    """The written forms of a one-word given name's nicknames (see _nicknames)."""
    if len(given.split()) != 1:
        return ()
    return tuple(dict.fromkeys(f for nick in _nicknames(given) for f in _word_forms(nick, True)))


@lru_cache(maxsize=1 << 14)
def _strengths_of_nicknames(given: str) -> dict[str, int]:
    """Each written form of a given name's nicknames -> DERIVED."""
    return dict.fromkeys(_nickname_forms(given), DERIVED)


def _party_strengths(party: Party, particles: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Every written form of a party's names -> how strongly it is theirs: GIVEN, RECORDED
    or DERIVED (a nickname); of a form that comes more than once, the strongest. The dict
    is filled weakest first, so a stronger form overwrites a weaker one in C.

    The particles written before a word ("de " of "Zoë de Souza") are added to
    ``particles`` (form -> particles, in the order found, for all the finder's parties).
    """
    if not party.given_names and not party.family_names and len(party.full_names) == 1:
        quick = _one_name_strengths(party.full_names[0])  # most workers: "Ms Nasser"
        if quick is not None:
            return quick
    given: Sequence[str] = party.given_names
    if not given:  # the first word of each full name, if not a title
        given = [
            split[0]
            for name in party.full_names
            if (split := name.split()) and _word_role(split[0])
        ]
    given_words = {word for name in given for word in name.split()}
    strengths: dict[str, int] = {}
    for name in given:
        strengths.update(_strengths_of_nicknames(name))
    givens: list[str] = []
    for name in (*party.full_names, *party.given_names, *party.family_names):
        for word, before in _words(name):
            if word in given_words:
                givens.append(word)
            else:
                strengths.update(_strengths_of_word(word, RECORDED))
            if before:
                for form in _word_forms(word, False):
                    written = before.upper() if form.isupper() else before
                    known = particles.get(form, ())
                    if written not in known:
                        particles[form] = (*known, written)
    for word in givens:
        strengths.update(_strengths_of_word(word, GIVEN))
    return strengths


def _one_name_strengths(name: str) -> dict[str, int] | None:
    """_party_strengths of a party known by one name alone, when it is a word ("Kwame"),
    a title and a word ("Ms Nasser") or two different words ("Leanne Lau"), none of them a
    particle; None for any other. The same dict, in the same order, from the cached ones
    without working out the name's words one by one."""
    split = name.split()
    if len(split) == 1:
        word = split[0]
        if _word_role(word) != 1:
            return None
        strengths = dict(_strengths_of_nicknames(word))
        strengths.update(_strengths_of_word(word, GIVEN))
        return strengths
    if len(split) != 2:
        return None
    first, second = split
    role = _word_role(first)
    if role == 2 or _word_role(second) != 1 or first == second:
        return None
    if role == 0:  # a title: the other word is recorded, not given
        return dict(_strengths_of_word(second, RECORDED))
    strengths = dict(_strengths_of_nicknames(first))
    strengths.update(_strengths_of_word(second, RECORDED))
    strengths.update(_strengths_of_word(first, GIVEN))
    return strengths


# A word of text that may be (part of) a name: letters with inner apostrophes or hyphens
# ("O'Brien", "Taylor-Wood"; "Maya's" is "Maya"), holding a capital. The capital is
# matched first and the look-behinds after it, so the engine skips along from capital to
# capital; a name whose first capital comes later in a word ("al-Hassan") needs every word.
_UPPER = "".join(sorted({c for c in map(chr, range(0x2000)) if c.isupper()}))
_UPPER_SET = frozenset(_UPPER)
# The rest of a word: letters, then any number of "-word" or "'word" parts, unrolled so
# that a word with no hyphen or apostrophe (most) never enters the group's repeat, which
# the engine allocates memory for; each branch starts with its character, checked first.
_JOINED = r"(?:-\w+|['’](?!s\b)\w+)"
_REST = rf"\w*(?:-\w+{_JOINED}*|['’](?!s\b)\w+{_JOINED}*|)"
_TOKEN = re.compile(rf"[{re.escape(_UPPER)}](?<![\w-].)(?<!\w['’].){_REST}")
_ANY_TOKEN = re.compile(rf"(?<![\w-])(?<!\w['’])(?=[\w'’-]*[{re.escape(_UPPER)}])\w{_REST}")


# Patterns and name words in one pass. The regex starts with a set of characters, so the
# engine skips in C to the next place something may start: a digit, "(" or "+" not inside
# a token (matched alone: group 1), or a word with a capital (matched whole; group 2 holds
# its second character when that is a digit or a capital, the shape of a code: "NW1",
# "AB123456C"). The groups sort the matches in C, so most words cost the scan one
# dictionary look-up (see Finder._scan); a word that may start a pattern ("NW1", "AB",
# "Flat", "May") is tried by _ALL there. A "(" not before a 0 and a "+" not before 44
# start no telephone number, so they are not matched ("(she said)"). Measured with
# instruction counts, checking more in the regex (what follows a digit, or a month's
# name) cost more than the _ALL tries it spared. Two forms: for a text all in ASCII (the
# most), 0-9 and A-Z, smaller sets that are quicker to test; for any other, every digit
# and capital.
def _scan_regex(digits: str, capitals: str, flags: int = 0) -> re.Pattern[str]:
    # A digit, "(" or "+" right after "@", ".", "+" or "/" ("v1.5", "a/12") starts no
    # pattern; matched with the word it starts, it is passed over whole. A digit is matched
    # with the digits after it: none of them can start a pattern (a digit after a word's
    # character never does), and each would cost the engine a try.
    return re.compile(
        rf"[{digits}(+{capitals}](?:(?<=[{digits}(+])(?:(?<![\w@.+/-].)"
        rf"(?:(?<=[{digits}])[{digits}]*|(?<=\()(?=0)|(?<=\+)(?=44))()"
        rf"|(?<=[@.+/].){_REST})"
        rf"|(?<=[{capitals}])(?<![\w-].)(?<!\w['’].)(?:([{digits}A-Z]){_REST}|{_REST}))",
        flags,
    )


_DIGIT_GROUP, _CODE_GROUP = 1, 2  # see _scan_regex
# The words a capital-led pattern may start with other than a code's: a flat's ("Flat 3")
# and a month's ("May 14, 2024").
_PATTERN_WORDS = frozenset(_FLAT_WORDS) | {month.capitalize() for month in _MONTHS}


def _may_start_pattern(token: str) -> bool:
    """Whether a pattern may start at a token _SCAN found: a digit, "(" or "+" (matched
    alone), a flat's or month's word, or a code: a capital then a digit ("N1", a UPN) or
    two capitals then a digit or the token's end ("NW1", "AB123456C", "AB 12 34 56 C").
    "NHS", "Maya" and "I" cannot start one, so only their names are looked up."""
    if len(token) == 1:
        return not token.isalpha()
    second = token[1]
    if second.isdecimal():
        return True
    if "A" <= second <= "Z":
        return len(token) == 2 or token[2].isdecimal()
    return token in _PATTERN_WORDS


# re.ASCII: \w tested by ASCII's table, not Unicode's (the same in a text all in ASCII).
_SCAN_ASCII = _scan_regex("0-9", "A-Z", re.ASCII)
_SCAN = _scan_regex(r"\d", re.escape(_UPPER))


_NAME_START = re.compile(r"(?<![\w-])(?<!\w['’])")
_LINE_END = re.compile(r"(?!\w)")
# Around a third party's name written in lower case (see Finder._with_lower_case).
_LOWER_NAME_START = re.compile(r"(?<![\w'’-])")
_LOWER_NAME_END = re.compile(r"(?![\w-])")
_NAME_GAPS = frozenset({" ", ", "})  # between the words of one name: "Maya Smith", "SMITH, Maya"
_LONGEST_NAME_GAP = max(map(len, _NAME_GAPS))
_UNKNOWN = object()  # not worked out yet (Finder._joins, Finder._judged)
_BY_CONTEXT = object()  # a date no one's recorded: a birth's only if the words before say so


class _Word:
    """A deny-listed word: who may be meant by it, how strongly, and the particles that
    may be written before it."""

    __slots__ = ("claims", "decided", "particles", "plain")

    def __init__(
        self, claims: dict[int, int], particles: tuple[str, ...] = (), *, plain: bool = True
    ) -> None:
        self.claims = claims  # party number -> GIVEN, RECORDED or DERIVED
        self.particles = particles
        self.decided: tuple[str | None, str] | None = None  # (why, guard), worked out once
        # Whether no pattern can start where the word is written: a name then, never tried
        # as a pattern by the scan (see _plain).
        self.plain = plain


def _plain(form: str) -> bool:
    """Whether no pattern can start at a name form where _SCAN finds it: not a flat's or
    month's word, nor a code's shape (see _may_start_pattern; _SCAN's second group holds
    a form's second character when it is a digit or a capital A-Z)."""
    if form in _PATTERN_WORDS:
        return False
    shaped = len(form) > 1 and (form[1].isdecimal() or "A" <= form[1] <= "Z")
    return not (shaped and _may_start_pattern(form))


# In Finder._look: a name form whose _Word is not made yet (most of a request's name forms
# are in none of its texts).
_UNMADE = _Word({})
_NOT_A_NAME = _Word({}, plain=False)  # a word a pattern may start with, not a name
_PATTERN_LOOK = dict.fromkeys(_PATTERN_WORDS, _NOT_A_NAME)  # every Finder._look starts so


def _street_lines(address: str) -> tuple[str, ...]:
    """The lines of an address with a number and a word that is not "Flat": "144 Kingsway"
    of "Flat 2, 144 Kingsway, WC2B 6NH"; postcodes are left to their pattern."""
    lines = []
    for line in address.split(","):
        line = " ".join(line.split())
        if (
            _DIGIT.search(line)
            and any(word not in _FLAT_WORDS for word, _ in _words(line))
            and not identifiers.postcode_is_valid(line)
        ):
            lines.append(line)
    return tuple(lines)


_Hit = tuple[int, int, _Word]  # a deny-listed word's start and end in a text
_Candidate = tuple[int, int, Kind, str | None]  # start, end, kind, why (None: not proposed)
_T = TypeVar("_T", bound=tuple[Any, ...])
# Between texts scanned as one (Finder.propose_many): not a word's, a space's, a digit's or
# any pattern's character, so no name, gap between names or pattern takes it.
_SEPARATOR = "\x00"


_DIGIT = re.compile(r"\d")
_NI_SHAPE = re.compile(rf"[{_NI_FIRST}][{_NI_SECOND}]\d{{6}}[A-D]?")
_LONGEST_CODE = 13  # characters: a UPN; NI numbers and postcodes are shorter
_WORD_OF_THREE = re.compile(r"[^\W\d_]{3}")  # codes have at most two letters together


def _detail_keys(detail: str | date) -> tuple[tuple[object, ...], bool]:
    """The keys a recorded detail is looked up by when a pattern finds it in a text (see
    Finder._judge), and whether it is an address, whose lines are then looked for as
    written too. A recorded detail is not validated here: what a text holds is.

    Keys: a date; an email in lower case; a telephone number in its national form
    ("07700900123") or an NHS number, as digits; a UPN, National Insurance number (also
    without its suffix) or postcode in capitals without spaces; an address's keys
    (see _address_key), with those of its postcode and street line.
    """
    if isinstance(detail, date):
        return (detail,), False
    text = " ".join(str(detail).split())
    if "@" in text:
        return (text.lower(),), False
    # Without what is written between a number's digits (str.replace is quicker than
    # str.translate with a table).
    compact = text.replace(" ", "").replace("-", "").replace("(", "").replace(")", "")
    # Three letters together: a month's name or a word of an address. Digits alone (\d,
    # as str.isdecimal) have none, so a telephone or NHS number skips the regex.
    has_word = not compact.isdecimal() and _WORD_OF_THREE.search(text) is not None
    # A date written out has a separator (/ . -) or a month's name; a telephone number, an
    # NHS number or a code has neither, and skips the date's regex.
    if "-" in text or "/" in text or "." in text or has_word:
        born = _date_key(text)
        if born is not None:
            return (born,), False
    if compact.startswith(("+", "00")):
        international = compact.lstrip("+").removeprefix("00")
        if international.startswith("44") and international[2:].isdigit():
            return ("0" + international[2:].removeprefix("0"),), False
    if compact.isdigit():
        return (compact,), False
    code = compact.upper()
    if (
        code.isalnum()
        and len(code) <= _LONGEST_CODE
        and code[0].isalpha()
        and _DIGIT.search(code)
        and not has_word  # "144 Kingsway" is an address
    ):
        return ((code, code[:8]) if _NI_SHAPE.fullmatch(code) else (code,)), False
    return tuple(key for _, key in _places(text)), True


def _places(text: str) -> tuple[tuple[Kind, object], ...]:
    """The postcodes and addresses in a recorded address (the whole of it, too)."""
    found: list[tuple[Kind, object]] = []
    for match in _ONE[Kind.POSTCODE].finditer(text):
        key = _postcode_key(match.group())
        if key:
            found.append((Kind.POSTCODE, key))
    for match in _ONE[Kind.ADDRESS].finditer(text):
        found.append((Kind.ADDRESS, _address_key(match.group())))
        # Its street line alone too: notes write "12 Camden Road" for "Flat A, 12 Camden Road".
        for street in _ONE_NUMBERED.finditer(match.group()):
            found.append((Kind.ADDRESS, _address_key(street.group())))
    if not found or _ONE[Kind.POSTCODE].sub("", text).strip(" ,"):
        found.append((Kind.ADDRESS, _address_key(text)))
    return tuple(dict.fromkeys(found))


# Names that are also everyday lower-case words: written in lower case they are the word
# ("may need", "brown coat"), so only their capitalised forms are proposed.
COMMON_WORD_NAMES = frozenset(
    (
        "april",
        "august",
        "amber",
        "autumn",
        "baker",
        "bell",
        "black",
        "brown",
        "carter",
        "cook",
        "daisy",
        "dawn",
        "faith",
        "fisher",
        "frank",
        "grace",
        "green",
        "hall",
        "hazel",
        "hill",
        "holly",
        "hope",
        "hunter",
        "iris",
        "ivy",
        "joy",
        "june",
        "king",
        "lily",
        "long",
        "mason",
        "may",
        "miles",
        "moore",
        "north",
        "page",
        "park",
        "pearl",
        "poppy",
        "price",
        "reed",
        "rose",
        "ruby",
        "sky",
        "summer",
        "violet",
        "ward",
        "white",
        "wood",
        "young",
    )
)


_EVERYDAY_WORDS = ORDINARY_WORDS | COMMON_WORD_NAMES


def _lower_case_names(third: list[Party], labels: list[str], keep: list[Party]) -> dict[str, str]:
    """Lower-case form -> why, of the third parties' recorded given and family names (not
    nicknames, not everyday words, never a kept person's), three letters or more.
    ``labels``: the third parties' labels, worked out once by the finder."""
    kept = {
        word
        for party in keep
        for name in (*party.full_names, *party.given_names, *party.family_names)
        for word in name.lower().split()  # lower case changes no space
    }
    found: dict[str, str] = {}
    for party, label in zip(third, labels, strict=True):
        for name in (*party.given_names, *party.family_names):
            for word in name.lower().split():
                if (
                    len(word) >= 3
                    and word.isalpha()
                    and word not in kept
                    and word not in _EVERYDAY_WORDS
                ):
                    found.setdefault(word, label)
    return found


class Finder:
    """Proposes redactions of third parties' information in text, for one request.

    ``third_parties``: everyone whose information is withheld unless a person decides
    otherwise (Sch 2 para 16); ``keep``: the requester and workers acting in their role
    (Sch 2 para 17), whose names and details are never proposed on their own.
    Build one per request; :meth:`propose` is then called for every text of the bundle.
    """

    def __init__(self, third_parties: Iterable[Party], keep: Iterable[Party] = ()) -> None:
        self._parties: list[tuple[str, bool]] = []  # (label, kept) by party number
        # Each party's name forms -> strength, by party number; a form's _Word (who may be
        # meant) is made from these when a text first holds it (see _word).
        self._strengths: list[dict[str, int]] = []
        self._particles: dict[str, tuple[str, ...]] = {}  # form -> particles before it
        # Two name words written together -> (who both can mean, why), or None: keyed by
        # the ids of the first's claims and the second's _Word, which the finder keeps.
        self._joins: dict[tuple[int, int], tuple[dict[int, int], str | None] | None] = {}
        self._judged: dict[tuple[Kind | str, str], object] = {}  # (kind, value) -> verdict
        self._theirs: dict[object, list[str]] = {}  # a detail's key -> whose (labels)
        self._ours: set[object] = set()  # the keys of kept people's details
        self._lines: dict[str, str | None] = {}  # street lines as written -> why
        self._details: dict[str | date, tuple[tuple[object, ...], bool]] = {}
        self._street_lines: dict[str, tuple[str, ...]] = {}
        third_parties, keep = list(third_parties), list(keep)
        for party in third_parties:
            self._add(party, kept=False)
        for party in keep:
            self._add(party, kept=True)
        forms: dict[str, int] = {}
        for strengths in self._strengths:
            forms.update(strengths)  # only the keys are used
        self._tokens = (
            _TOKEN if all(map(_UPPER_SET.__contains__, map(itemgetter(0), forms))) else _ANY_TOKEN
        )
        # What the scan looks a word up in: the words a pattern may start with, and the
        # name forms, each with its _Word once made (see _word), so that one look-up
        # passes over any other word.
        self._look: dict[str, _Word] = _PATTERN_LOOK.copy()
        self._look.update(dict.fromkeys(forms, _UNMADE))
        labels = [label for label, _ in self._parties[: len(third_parties)]]
        self._lower = _lower_case_names(third_parties, labels, keep)

    def _word(self, form: str) -> _Word:
        """The _Word of a name form in the finder (made once, when a text first holds it)."""
        word = self._look[form]
        if word is _UNMADE:
            claims = {n: forms[form] for n, forms in enumerate(self._strengths) if form in forms}
            particles = self._particles.get(form, ())
            word = self._look[form] = _Word(claims, particles, plain=_plain(form))
        return word

    def _name_word(self, token: str) -> _Word | None:
        """The _Word of a token if it is one of the finder's name forms, else None."""
        word = self._look.get(token)
        if word is None or word is _NOT_A_NAME:
            return None
        return self._word(token)

    def _add(self, party: Party, *, kept: bool) -> None:
        label = party.label
        self._parties.append((label, kept))
        self._strengths.append(_party_strengths(party, self._particles))
        for detail in party.details:
            # A household shares its address: each detail is worked out once per finder.
            known = self._details.get(detail)
            if known is None:
                known = self._details[detail] = _detail_keys(detail)
            keys, place = known
            if kept:
                self._ours.update(keys)
            else:
                for key in keys:
                    whys = self._theirs.setdefault(key, [])
                    if label not in whys:
                        whys.append(label)
            if place and isinstance(detail, str):
                # A recorded address's lines as written ("144 Kingsway"), for the streets
                # no street word marks; found with str.find, cheaply, in every text.
                lines = self._street_lines.get(detail)
                if lines is None:
                    lines = self._street_lines[detail] = _street_lines(detail)
                for line in lines:
                    if kept:
                        self._lines[line] = None  # the requester's home is never proposed
                    elif line not in self._lines:
                        self._lines[line] = _detail_why(_K_ADDRESS, [label])

    def propose(self, text: str) -> list[Proposal]:
        """Proposals for ``text``, sorted by start, never overlapping.

        Where candidates overlap, the longest wins ("Maya Smith" is one proposal, not
        "Maya" and "Smith"); a kept person's name or detail wins over a shorter candidate
        inside it and is then dropped, so the requester's "12 Grace Road" is not proposed
        for a sister named Grace.
        """
        if self._tokens is not _TOKEN:
            return self._with_lower_case(text, self._propose_joined((text,))[0])
        # One text alone, the bench's and the bundle's way: the steps of _propose_joined
        # without the bookkeeping of many texts.
        scan = _SCAN_ASCII if text.isascii() else _SCAN
        hits, found = self._scan(text, scan.finditer(text))
        if hits:
            found += self._name_candidates(hits, text)
        if "@" in text:
            found += self._emails(text)
        if self._lines:
            found += self._street_lines_in(text)
        proposals = _resolve(found) if found else []
        for name in self._lower:  # most texts have none of them: no call, no list
            if name in text:
                return self._with_lower_case(text, proposals)
        return proposals

    def _with_lower_case(self, text: str, found: list[Proposal]) -> list[Proposal]:
        """`found` with the third parties' recorded names written in lower case ("leila
        said"), where they overlap nothing found: notes are not always typed with capitals."""
        hits = [name for name in self._lower if name in text]
        if not hits:
            return found
        extra = []
        for name in hits:
            # str.find and two fixed regexes, not a regex per name: those would be compiled
            # again and again (re's cache holds 512, a request's names are new to it).
            start = text.find(name)
            while start >= 0:
                end = start + len(name)
                if not (_LOWER_NAME_START.match(text, start) and _LOWER_NAME_END.match(text, end)):
                    start = text.find(name, start + 1)
                    continue
                if not any(p.start < end and start < p.end for p in found):
                    extra.append(Proposal(start, end, _K_NAME, self._lower[name]))
                start = text.find(name, end)
        if not extra:
            return found
        return sorted([*found, *extra], key=lambda p: p.start)

    def propose_many(self, texts: Sequence[str]) -> list[list[Proposal]]:
        """:meth:`propose` for each of ``texts`` (one list of proposals per text, offsets
        in that text), quicker than one by one: the texts are scanned as one, joined by a
        character no pattern, name or street line holds, so nothing found runs from one
        text into the next."""
        if any(_SEPARATOR in text for text in texts) or any(
            _SEPARATOR in line for line in self._lines
        ):
            return [self.propose(text) for text in texts]
        return [
            self._with_lower_case(text, found)
            for text, found in zip(texts, self._propose_joined(texts), strict=True)
        ]

    def _propose_joined(self, texts: Sequence[str]) -> list[list[Proposal]]:
        """Proposals for each text, from one scan of them joined by _SEPARATOR."""
        text = texts[0] if len(texts) == 1 else _SEPARATOR.join(texts)
        starts, at = [], 0
        for one in texts:
            starts.append(at)
            at += len(one) + 1
        if self._tokens is _TOKEN:
            hits, patterns = self._scan(text, _matches(text, _runs(texts, starts)))
        else:
            name_word = self._name_word
            hits = [
                self._hit(m, text, word)
                for m in self._tokens.finditer(text)
                if (word := name_word(m[0])) is not None
            ]
            patterns = list(self._pattern_candidates(text))
        emails = self._emails(text) if "@" in text else []
        lines = self._street_lines_in(text)
        # Each text's candidates in the order propose() finds them in it alone: patterns,
        # names, emails, street lines (of candidates with one start, the first found wins).
        if len(texts) == 1:
            return [_resolve(patterns + self._name_candidates(hits, text) + emails + lines)]
        by_text = _by_text(patterns, starts)
        for number, found_here in enumerate(_by_text(hits, starts)):
            if found_here:
                by_text[number] += self._name_candidates(found_here, text, starts[number])
        for extra in (emails, lines):
            if extra:
                for number, found_here in enumerate(_by_text(extra, starts)):
                    by_text[number] += found_here
        return [_resolve(found, start) for found, start in zip(by_text, starts, strict=True)]

    def _emails(self, text: str) -> list[_Candidate]:
        """Email addresses in ``text`` (looked for only where it has an "@")."""
        # Each "@" is looked at where its address would start, the first of the characters
        # before it that an address's own part may hold: the email regex starts with a
        # look-behind, so searching the whole text with it would try every character.
        emails: list[_Candidate] = []
        at = text.find("@")
        while at >= 0:
            start = at
            while start and (text[start - 1].isalnum() or text[start - 1] in _EMAIL_OWN_PART):
                start -= 1
            match = _ONE[_K_EMAIL].match(text, start)
            if match is None:
                at = text.find("@", at + 1)
                continue
            found = self._judge(_K_EMAIL, match, text)
            if found is not None:
                emails.append((match.start(), match.end(), found[0], found[1]))
            at = text.find("@", match.end())
        return emails

    def _street_lines_in(self, text: str) -> list[_Candidate]:
        """Recorded street lines ("144 Kingsway") where ``text`` has them as written."""
        lines: list[_Candidate] = []
        for line, why in self._lines.items():
            at = text.find(line)
            while at >= 0:
                end = at + len(line)
                if _NAME_START.match(text, at) and _LINE_END.match(text, end):
                    lines.append((at, end, _K_ADDRESS, why))
                at = text.find(line, end)
        return lines

    def _scan(
        self, text: str, matches: Iterable[re.Match[str]]
    ) -> tuple[list[_Hit], list[_Candidate]]:
        """Name words and pattern candidates in one pass (see _SCAN): a pattern found takes
        its text, so no name or other pattern is looked for inside it. ``matches``: _SCAN's
        matches in ``text``, in order (see _matches)."""
        hits: list[_Hit] = []
        candidates: list[_Candidate] = []
        get = self._look.get
        taken = 0  # where the last pattern found ends
        for match in matches:
            token = match[0]
            word = get(token)
            if word is None:
                # Not a name: passed over unless a pattern may start here (most words are
                # neither, and cost the look-up only).
                shape = match.lastindex
                if shape is None or (shape == _CODE_GROUP and not _may_start_pattern(token)):
                    continue
            else:
                if word is _UNMADE:
                    word = self._word(token)
                if word.plain:
                    # A name, where no pattern can start.
                    start = match.start()
                    if start >= taken:
                        hits.append(
                            self._hit(match, text, word)
                            if word.particles
                            else (start, match.end(), word)
                        )
                    continue
            start = match.start()
            if start < taken:
                continue
            pattern = _ALL.match(text, start)
            if pattern is not None:
                taken = pattern.end()
                found = self._pattern_at(_KIND_OF_GROUP[pattern.lastgroup or ""], pattern, text)
                if found is not None:
                    candidates.append(found)
                    continue
            # No pattern after all ("Flat" is not an address on its own): maybe a name.
            if word is not None and word is not _NOT_A_NAME:
                hits.append(self._hit(match, text, word))
        return hits, candidates

    def _hit(self, match: re.Match[str], text: str, word: _Word) -> _Hit:
        """(start, end, word) for a deny-listed word, with its particles ("de Souza")."""
        start = match.start()
        for particles in word.particles:
            before = start - len(particles)
            if (
                before >= 0
                and text.startswith(particles, before)
                and _NAME_START.match(text, before)
            ):
                start = before
                break
        return start, match.end(), word

    def _name_candidates(self, hits: list[_Hit], text: str, floor: int = 0) -> list[_Candidate]:
        """Deny-listed names from their words: words next to each other ("Maya Smith",
        "SMITH, Maya") that can be one person's make one candidate, judged as theirs.
        ``floor``: where the text the hits are in starts (see propose_many)."""
        found: list[_Candidate] = []
        joins = self._joins
        count = len(hits)
        i = 0
        while i < count:
            start, end, word = hits[i]
            i += 1
            decided = word.decided
            if decided is None:
                decided = word.decided = self._decide_word(text[start:end].split()[-1], word.claims)
            why, guard = decided
            if guard == "calendar" and _guarded(guard, text, start, end, floor):
                found.append((start, end, _K_NAME, None))  # "May" in "14 May": a month
                continue
            claims, joined = word.claims, False
            while i < count:
                after, after_end, other = hits[i]
                # The gap is a space or a comma and a space: looked at only when that short.
                if not 0 < after - end <= _LONGEST_NAME_GAP or text[end:after] not in _NAME_GAPS:
                    break
                if other is word:
                    break  # "May, May" is two mentions
                # Who both words can mean, and the name's why: worked out once per finder
                # for each pair (a family's names are written together again and again).
                key = (id(claims), id(other))
                both = joins.get(key, _UNKNOWN)
                if both is _UNKNOWN:
                    common = claims.keys() & other.claims.keys()
                    both = None
                    if common:
                        merged = {n: min(claims[n], other.claims[n]) for n in common}
                        both = (merged, self._decide(merged)[0])
                    joins[key] = both
                if both is None:
                    break  # "Maya Jones" may be two people
                claims, why = both
                end, joined = after_end, True
                i += 1
            if not joined and guard == "sentence" and _guarded(guard, text, start, end, floor):
                why = None  # "Will chase the school."
            found.append((start, end, _K_NAME, why))
        return found

    def _decide(self, claims: dict[int, int]) -> tuple[str | None, int]:
        """(why, or None when not proposed; the third parties' strength) for a name that
        may mean the parties in ``claims``. A name is a third party's only if it is theirs
        more strongly than a kept person's: "Smith", recorded for the requester and a
        sibling, is not proposed; a sister recorded as "Kate" beats "Kate" as a nickname
        of the requester's "Katherine"."""
        theirs = kept = 0
        whys: list[str] = []
        for number, strength in claims.items():
            label, is_kept = self._parties[number]
            if is_kept:
                kept = max(kept, strength)
            elif strength > theirs:
                theirs, whys = strength, [label]
            elif strength == theirs and label not in whys:
                whys.append(label)
        return ("; ".join(whys) if theirs > kept else None), theirs

    def _decide_word(self, word: str, claims: dict[int, int]) -> tuple[str | None, str]:
        """(why, guard) for a name of one word; the guard says when it is an ordinary
        word after all (see _guarded)."""
        why, strength = self._decide(claims)
        if word.lower() in _CALENDAR_WORDS:
            return why, "calendar"
        if strength == DERIVED and word.lower() in ORDINARY_WORDS:
            return why, "sentence"
        return why, ""

    def _pattern_candidates(self, text: str) -> Iterator[_Candidate]:
        """Pattern candidates alone, for a finder that scans names separately."""
        pos = 0
        while (match := _ALL.search(text, pos)) is not None:
            found = self._pattern_at(_KIND_OF_GROUP[match.lastgroup or ""], match, text)
            if found is None:
                pos = match.start() + 1
                continue
            yield found
            pos = found[1]

    def _pattern_at(self, kind: Kind | str, match: re.Match[str], text: str) -> _Candidate | None:
        """The candidate for a pattern's match, or for another pattern at the same place
        when this one fails its check (a bad check digit); None if neither."""
        found = self._judge(kind, match, text)
        if found is None:
            start = match.start()
            for other in _PATTERNS:
                if other in (kind, _K_EMAIL):
                    continue
                again = _ONE[other].match(text, start)
                if again and (found := self._judge(other, again, text)) is not None:
                    match = again
                    break
            else:
                return None
        return match.start(), match.end(), found[0], found[1]

    def _judge(
        self, kind: Kind | str, match: re.Match[str], text: str
    ) -> tuple[Kind, str | None] | None:
        """(kind, why or None if kept) for a valid candidate; None if it is not one.

        A value's verdict is worked out once per finder (a family's notes give the child's
        NHS number and date of birth again and again); only whether a date is a birth's
        by the words before it is looked at each time."""
        value = match.group()
        verdict = self._judged.get((kind, value), _UNKNOWN)
        if verdict is _UNKNOWN:
            verdict = self._judged[(kind, value)] = self._verdict(kind, match)
        if verdict is not _BY_CONTEXT:
            return verdict  # type: ignore[return-value]
        before = text[max(0, match.start() - _BIRTH_LOOKBACK) : match.start()]
        # Every form of the words has a "b": the regex is run only where one is.
        if ("b" in before or "B" in before) and _BIRTH_CONTEXT.search(before):
            return _K_BIRTH, _K_BIRTH_WORDS
        return _K_BIRTH, None  # a date, but not of a birth: consumed, not proposed

    def _verdict(self, kind: Kind | str, match: re.Match[str]) -> object:
        """_judge's answer for a value wherever it is written, or _BY_CONTEXT for a date
        that is no recorded person's: a birth's only if words before it say so. (A date's
        groups, which _dates reads, follow from its text alone.)"""
        if kind == "date":
            days = _dates(match)
            if not days:
                return None
            if any(day in self._ours for day in days):
                return _K_BIRTH, None
            for day in days:
                whys = self._theirs.get(day)
                if whys:
                    return _K_BIRTH, _detail_why(_K_BIRTH, whys)
            return _BY_CONTEXT
        assert isinstance(kind, Kind)
        value = match.group()
        key: object = _address_key(value) if kind == _K_ADDRESS else _KEYS[kind](value)
        if key is None:
            return None
        if key in self._ours:
            return kind, None
        whys = self._theirs.get(key)
        return kind, _detail_why(kind, whys) if whys else _KIND_WORDS[kind]


_DAY_BEFORE = re.compile(r"\d(?:st|nd|rd|th)?\s+(?:of\s+)?$")
_NUMBER_AFTER = re.compile(r",?\s*\d")
_SENTENCE_BEFORE = re.compile(r"[.!?:;\n][\s\"'“‘(]*$")
_OPENING = " \t\n\"'“‘("
_LOOKBACK = 8  # characters before a name looked at for a date or a sentence's start


def _guarded(guard: str, text: str, start: int, end: int, floor: int = 0) -> bool:
    """Whether a name form is here an ordinary word: "May" in "14 May" or "May 2024";
    "Will" (a nickname) starting a sentence. The text starts at ``floor``."""
    before = text[max(floor, start - _LOOKBACK) : start]
    if guard == "calendar":
        return bool(_DAY_BEFORE.search(before) or _NUMBER_AFTER.match(text, end))
    if start - floor <= _LOOKBACK and not before.strip(_OPENING):
        return True
    return bool(_SENTENCE_BEFORE.search(before))


def _detail_why(kind: Kind, whys: list[str]) -> str:
    return _KIND_WORDS[kind] + " of " + "; ".join(whys)


_START = itemgetter(0)


def _resolve(candidates: list[_Candidate], floor: int = 0) -> list[Proposal]:
    """Non-overlapping proposals, in order: of overlapping candidates the longest wins
    (the first, if as long); kept ones (why None) block, then are dropped. ``floor``: where
    the text starts in the one scanned (see Finder.propose_many)."""
    candidates.sort(key=_START)  # stable: of two with one start, the first found stays first
    taken: list[tuple[int, int, Kind, str | None]] = []
    for candidate in candidates:
        if taken and candidate[0] < taken[-1][1]:
            last = taken[-1]
            # Overlapping: a longer later one replaces the last if it clears the one before.
            if candidate[1] - candidate[0] > last[1] - last[0] and (
                len(taken) < 2 or taken[-2][1] <= candidate[0]
            ):
                taken[-1] = candidate
            continue
        taken.append(candidate)
    if not floor:
        make = tuple.__new__  # a candidate is a proposal's fields: made in C, not _make
        return [make(Proposal, candidate) for candidate in taken if candidate[3] is not None]
    return [
        Proposal(start - floor, end - floor, kind, why)
        for start, end, kind, why in taken
        if why is not None
    ]


def _runs(texts: Sequence[str], starts: list[int]) -> list[tuple[int, int, bool]]:
    """(start, end, whether in ASCII) of each run of texts, joined as one, that are all in
    ASCII or all not: each run is scanned with its regex (see _SCAN)."""
    runs: list[tuple[int, int, bool]] = []
    for one, start in zip(texts, starts, strict=True):
        ascii_only = one.isascii()
        if runs and runs[-1][2] == ascii_only:
            runs[-1] = (runs[-1][0], start + len(one), ascii_only)
        else:
            runs.append((start, start + len(one), ascii_only))
    return runs


def _matches(text: str, runs: list[tuple[int, int, bool]]) -> Iterator[re.Match[str]]:
    """_SCAN's matches in each run of ``text``, with the quicker regex for ASCII."""
    if len(runs) == 1:
        start, end, ascii_only = runs[0]
        return (_SCAN_ASCII if ascii_only else _SCAN).finditer(text, start, end)
    return itertools.chain.from_iterable(
        (_SCAN_ASCII if ascii_only else _SCAN).finditer(text, start, end)
        for start, end, ascii_only in runs
    )


def _by_text(found: list[_T], starts: list[int]) -> list[list[_T]]:
    """Things found in texts joined as one (each a tuple starting with its start), by the
    text they start in; ``starts``: where each text starts."""
    if len(starts) == 1:
        return [found]
    by_text: list[list[_T]] = [[] for _ in starts]
    for one in found:
        by_text[bisect_right(starts, one[0]) - 1].append(one)
    return by_text
