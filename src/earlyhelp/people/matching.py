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
