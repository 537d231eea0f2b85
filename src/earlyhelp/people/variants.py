"""Other spellings and short forms of a given name, so a search finds Catherine from "Kate".

Pure helpers (no database). Two sources:

* the `nicknames` package: Carlton Northern's hand-curated list of English given names
  and their nicknames (Kate and Katherine, Alex and Alexander, Tom and Thomas);
* SPELLINGS below: groups of spellings of one name, common in London, that neither the
  nickname list nor the phonetic keys join. Metaphone codes Sean SN but Shaun XN, and
  Aisha AX but Ayesha AYX. Kept by the team from the names practitioners report missed
  (and the search issue's examples); add a group when a search misses a spelling.
"""

from __future__ import annotations

from functools import cache

from nicknames import NickNamer

# Each group is one name however it is spelt; short forms used for all of them go in too.
SPELLINGS: tuple[tuple[str, ...], ...] = (
    ("mohammed", "mohamed", "muhammad", "muhammed", "mohammad", "mohamad", "mohamud",
     "mahamed", "mohammod", "muhamed"),
    ("aisha", "ayesha", "aysha", "aishah", "ayisha", "ayeesha"),
    ("sean", "shaun", "shawn", "shaune"),
    ("jon", "john"),
    ("katherine", "catherine", "kathryn", "katharine", "catharine", "kathrine"),
    ("kate", "katie", "katy", "kaitlyn"),
    ("stephen", "steven", "stefan"),
    ("fatima", "fatimah", "fatma"),
    ("hussain", "hussein", "husain", "hossain", "hosein"),
    ("yusuf", "yousef", "yusef", "youssef", "yousuf", "yosef"),
    ("ibrahim", "ebrahim", "ibraheem"),
    ("abdullah", "abdulla", "abdallah"),
    ("layla", "leila", "laila", "leyla", "lailah"),
    ("maryam", "mariam", "miriam", "meryem"),
    ("niamh", "neve", "neave", "niav"),
    ("siobhan", "shivaun", "shevaun"),
    ("zoe", "zoey"),
    ("isabel", "isobel", "isabelle", "isabella"),
    ("sophie", "sofia", "sophia"),
    ("amelia", "emilia"),
    ("oliver", "olly", "ollie"),
    ("alfie", "alfred"),
    ("harry", "henry"),
    ("freddie", "freddy", "frederick"),
    ("oluwaseun", "seun"),
    ("chloe", "khloe"),
)  # fmt: skip

# Short forms the nickname list lacks: short form -> a full form (its spellings count too).
SHORT_FORMS: dict[str, tuple[str, ...]] = {"mo": ("mohammed",)}

_NAMER = NickNamer()


@cache
def _spelling_groups() -> dict[str, frozenset[str]]:
    groups: dict[str, frozenset[str]] = {}
    for group in SPELLINGS:
        names = frozenset(group)
        for name in group:
            groups[name] = groups.get(name, frozenset()) | names
    return groups


def spellings_of(name: str) -> frozenset[str]:
    """Other spellings of one normalised given name ("sean" -> {"shaun", "shawn", ...})."""
    return _spelling_groups().get(name, frozenset()) - {name}


def short_forms_of(name: str) -> frozenset[str]:
    """Nicknames of a normalised given name ("katherine" -> {"kate", "kathy", ...})."""
    spelt = spellings_of(name) | {name}
    ours = {short for short, full in SHORT_FORMS.items() if spelt & set(full)}
    return frozenset(_NAMER.nicknames_of(name) | ours) - {name}


def full_forms_of(name: str) -> frozenset[str]:
    """The names a normalised nickname is short for ("kate" -> {"katherine", ...})."""
    return frozenset(_NAMER.canonicals_of(name) | set(SHORT_FORMS.get(name, ()))) - {name}


@cache
def alternatives(name: str) -> frozenset[str]:
    """Given names a person called `name` (normalised, one word) may be recorded under:
    its other spellings, its short and full forms, and their other spellings.

    >>> sorted(alternatives("kate"))[:3]
    ['catharine', 'catherine', 'kaitlyn']
    """
    found = set(spellings_of(name)) | short_forms_of(name) | full_forms_of(name)
    for other in list(found):
        found |= spellings_of(other)
    return frozenset(found - {name})


def how_related(asked: str, recorded: str) -> str:
    """Why `recorded` was taken for `asked` (both normalised given names): "spelling"
    (Sean and Shaun), "short" (asked is the short form: Kate for Katherine), "full"
    (recorded is the short form), or "" when neither is an alternative of the other."""
    if recorded in spellings_of(asked):
        return "spelling"
    if recorded not in alternatives(asked):
        return ""
    # A nickname is the shorter of the two (Kate, Katherine; Bill, William).
    return "short" if len(asked) < len(recorded) else "full"
