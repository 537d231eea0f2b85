"""Name normalisation and phonetic keys for finding a person however their name was written.

Pure helpers (no database). Person and PersonName keep two indexed keys of their
current name, `given_key` and `family_key`, so search can fetch candidates by
equality on an index and then score them with rapidfuzz (see people.search).

The key is Metaphone (jellyfish) of the normalised name with the spaces taken out:
on the UK name variants we test (tests/people/test_matching.py) it matches more
pairs than NYSIIS, Soundex or Match Rating: Mohammed / Mohamed / Muhammad /
Muhammed / Mohammad, Catherine / Katherine / Kathryn, Stephen / Steven,
Smith / Smyth, McDonald / MacDonald, Siobhán / Siobhan, Hussain / Hussein,
Yusuf / Yousef, Jackson / Jaxon. Soundex keeps the first letter, so it misses
Catherine / Katherine; NYSIIS misses Smith / Smyth and Ali / Aly.

* The family key is taken from the whole family name with the spaces removed, so
  "Lloyd-Jones", "Lloyd Jones" and "LloydJones" share one key.
* The given key is taken from the first given name only, because middle names are
  recorded inconsistently: "Mary" and "Mary Ann" share one key.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Protocol

import jellyfish

# Keys are stored in CharField(max_length=32).
KEY_LENGTH = 32

# Apostrophes join the letters either side: O'Brien and OBrien are one name.
_APOSTROPHES = dict.fromkeys(map(ord, "'\u2018\u2019\u02bc\u02bb\u0060\u00b4"), None)
# Latin letters that Unicode does not decompose into a base letter and an accent
# (lower case only: casefolding comes first).
_LETTERS = str.maketrans(
    {
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "ħ": "h",
        "\u0131": "i",  # dotless i, as in the Turkish surname Yilmaz
        "ŀ": "l",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
    }
)
# Anything that is not a letter or digit (hyphens, dots, commas, spaces) separates words.
_SEPARATORS = re.compile(r"[\W_]+")


class Named(Protocol):
    given_name: str
    family_name: str
    given_key: str
    family_key: str


# Names repeat a great deal; search normalises every candidate's names, so remember them.
@lru_cache(maxsize=65536)
def normalise_name(text: str) -> str:
    """Return `text` as lower-case words of plain letters and digits, one space apart.

    Accents are removed ("Siobhán" -> "siobhan"), apostrophes join ("O'Brien" ->
    "obrien"), hyphens and other punctuation separate ("Lloyd-Jones" -> "lloyd
    jones"). Idempotent: normalising the result gives the result.
    """
    # Casefold before and after decomposition: casefolding can produce letters
    # with accents (and decomposition capitals), and we want neither left over.
    text = unicodedata.normalize("NFKD", text.casefold()).casefold()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.translate(_APOSTROPHES).translate(_LETTERS)
    return _SEPARATORS.sub(" ", text).strip()


def compact_name(text: str) -> str:
    """Return the normalised name without spaces: "Lloyd-Jones" -> "lloydjones"."""
    return normalise_name(text).replace(" ", "")


def phonetic_key(text: str) -> str:
    """Return the Metaphone key of `text` as one word (spaces and hyphens ignored).

    Names Metaphone cannot code (other scripts, digits) keep their compact
    normalised form, so they can still be found by exact spelling.
    """
    compact = compact_name(text)
    if not compact:
        return ""
    return (jellyfish.metaphone(compact) or compact)[:KEY_LENGTH]


def name_keys(given: str, family: str) -> tuple[str, str]:
    """Return the (given_key, family_key) stored for a name, for indexed candidate lookup."""
    given_words = normalise_name(given).split()
    return (phonetic_key(given_words[0]) if given_words else "", phonetic_key(family))


def set_name_keys(instance: Named) -> None:
    """Fill `instance.given_key` and `instance.family_key` from its current name."""
    instance.given_key, instance.family_key = name_keys(instance.given_name, instance.family_name)


# --- the name index: keys that fetch a person by any word of their name --------------------
#
# people.NameKey holds, for every name a person is or was known by, keys of the form
# "<part><form>:<value>|<other>": the part ("g" given, "f" family), the form of one word
# of it ("d" the word or the word with one letter deleted, "m" Metaphone, "n" NYSIIS), and
# the Metaphone of the other part's word, which keeps each key selective. A search makes
# the same keys from what was typed, so one indexed IN lookup finds a name:
#
# * with a word left out or added: "Amira Jones" finds Amira Lloyd-Jones, "Sean Connor"
#   Seán O'Connor, "Tomasz Garcia" Tomasz García López (each word is keyed);
# * with one letter wrong, missing, added, or two swapped (a key of the word with one
#   letter deleted is shared by both spellings: the symmetric-delete method);
# * spelt another way that sounds alike, by two phonetic encodings;
# * by a nickname or another spelling of the given name (people.variants).

# Words that are part of a family name but find nobody on their own.
PARTICLES = frozenset(
    ("al", "el", "ul", "bin", "bint", "ibn", "abu", "van", "von", "der", "den", "ter", "de",
     "da", "das", "dos", "di", "du", "del", "della", "la", "le", "mac", "mc", "st", "ap")
)  # fmt: skip
# A Mac or Mc run into a name with a capital after it ("MacDonald", "McAllister") is a
# prefix, a word of its own for finding the name by; "Mackenzie" and "Macey" are names.
_MAC_PREFIX = re.compile(r"(?<![A-Za-z])(Ma?c)(?=[A-Z])")
# The same test in SQL (SQLite's REGEXP and PostgreSQL's ~ alike), for migration 0013.
MAC_PREFIX_SQL = r"(^|[^A-Za-z])Ma?c[A-Z]"
# Words shorter than this are keyed as they are, not with a letter deleted.
DELETE_FROM = 3
# Longer words are cut before keying (a 40-letter word is not a name to search by letter).
WORD_KEYED = 24
NAME_KEY_LENGTH = 64


@lru_cache(maxsize=65536)
def name_words(text: str) -> tuple[str, ...]:
    """The words a name can be found by, normalised: each word (an apostrophe also
    separates here, so "O'Connor" gives "connor", and so does a Mac or Mc prefix before a
    capital, so "MacDonald" gives "donald"), and the whole name run together ("oconnor",
    "lloydjones"); particles on their own ("al", "van", "mac") are left out.

    >>> name_words("Lloyd-Jones")
    ('lloyd', 'jones', 'lloydjones')
    """
    spaced = _MAC_PREFIX.sub(r"\1 ", text.translate(_APOSTROPHES_TO_SPACE))
    spaced = normalise_name(spaced).split()
    joined = normalise_name(text).split()
    words = [w for w in [*joined, *spaced] if len(w) > 1 and w not in PARTICLES]
    whole = "".join(joined)
    return tuple(dict.fromkeys([*words, whole] if whole else words))


_APOSTROPHES_TO_SPACE = dict.fromkeys(_APOSTROPHES, " ")


def _forms(word: str, exact: bool = False) -> set[str]:
    """The word and the word less one letter ("d:"), and its two phonetic codes ("m:"
    Metaphone, "n:" NYSIIS); `exact`: the word alone."""
    word = word[:WORD_KEYED]
    forms = {f"d:{word}"}
    if exact:
        return forms
    if len(word) >= DELETE_FROM:
        forms.update(f"d:{word[:at]}{word[at + 1 :]}" for at in range(len(word)))
    forms.add(f"m:{jellyfish.metaphone(word) or word}")
    forms.add(f"n:{jellyfish.nysiis(word) or word}")
    return forms


def _sound(word: str) -> str:
    return (jellyfish.metaphone(word[:WORD_KEYED]) or word)[:16]


def _keys(
    given_words: list[str],
    given_sounds: set[str],
    family_words: tuple[str, ...],
    exact: bool = False,
) -> set[str]:
    family_sounds = {_sound(word) for word in family_words}
    keys = set()
    for word in family_words:
        for form in _forms(word, exact):
            keys.update(f"f{form}|{sound}"[:NAME_KEY_LENGTH] for sound in given_sounds)
    for word in given_words:
        for form in _forms(word, exact):
            keys.update(f"g{form}|{sound}"[:NAME_KEY_LENGTH] for sound in family_sounds)
    return keys


def _given_words(text: str) -> list[str]:
    """Each given name, first name first (someone may be known by a middle name: "Ann"
    of "Mary Ann"), and all of them run together when there are several ("Maryann")."""
    words = normalise_name(text).split()
    return list(dict.fromkeys([*words, "".join(words)]))


def stored_name_keys(given: str, family: str) -> set[str]:
    """The keys people.NameKey keeps for one name (empty when either part is)."""
    given_words, family_words = _given_words(given), name_words(family)
    if not given_words or not family_words:
        return set()
    return _keys(given_words, {_sound(given_words[0])}, family_words)


def exact_name_keys(given: str, family: str) -> set[str]:
    """The keys of a name asked for (given, family), both normalised, that only its own
    words spelt as asked share: looked up first, so the people of that very name are
    fetched before its near spellings can fill the lookup."""
    given_words, family_words = _given_words(given), name_words(family)
    if not given_words or not family_words:
        return set()
    return _keys(given_words, {_sound(given_words[0])}, family_words, exact=True)


def keys_of_names(names: Iterable[tuple[str, str]]) -> list[str]:
    """The sorted keys people.NameKey keeps for one person: those of each (given, family)
    name they are or were known by, each key once."""
    keys: set[str] = set()
    for given, family in names:
        keys |= stored_name_keys(given, family)
    return sorted(keys)


def wanted_name_keys(given: str, family: str) -> set[str]:
    """The keys to look up for a name asked for as (given, family), both normalised:
    every stored key a one-slip spelling of it, or a nickname or other spelling of its
    given name, would share."""
    from earlyhelp.people.variants import alternatives  # pure, but only search needs it

    given_words, family_words = _given_words(given), name_words(family)
    if not given_words or not family_words:
        return set()
    first = given_words[0]
    sounds = {_sound(first)} | {_sound(other) for other in alternatives(first)}
    return _keys(given_words, sounds, family_words)
