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
    ("chloe", "khloe"),
)  # fmt: skip

# Short forms the nickname list lacks: short form -> full forms (their spellings count too).
SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "mo": ("mohammed",),
    "olly": ("oliver",),
    "ollie": ("oliver",),
    "alfie": ("alfred",),
    "harry": ("henry",),
    "freddie": ("frederick",),
    "freddy": ("frederick",),
    "seun": ("oluwaseun",),
}

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
    spelt = spellings_of(name) | {name}
    found = set(spelt)
    for spelling in spelt:
        found |= short_forms_of(spelling) | full_forms_of(spelling)
    for other in list(found):
        found |= spellings_of(other)
    return frozenset(found - {name})


def how_related(asked: str, recorded: str) -> str:
    """Why `recorded` was taken for `asked` (both normalised given names): "spelling"
    (Sean and Shaun), "short" (asked is a short form of recorded, or of another spelling
    of it: Kate for Catherine), "full" (recorded is a short form of asked), "other" (both
    short forms of one name, or the lists say no more), or "" when they are not related."""
    if recorded in spellings_of(asked):
        return "spelling"
    if recorded not in alternatives(asked):
        return ""
    if _is_short_for(asked, recorded):
        return "short"
    if _is_short_for(recorded, asked):
        return "full"
    return "other"


def _is_short_for(short: str, full: str) -> bool:
    """Whether `short` is a nickname of `full` or of one of its other spellings."""
    fulls = spellings_of(full) | {full}
    return bool(fulls & full_forms_of(short)) or any(short in short_forms_of(f) for f in fulls)
