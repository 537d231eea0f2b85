"""Countries for a child's move abroad: the ISO 3166-1 alpha-2 code (what the policy's
transfer rules name and what is stored) and the country's name (what pages show), from the
ISO 3166 list the pycountry package keeps. Pure helpers: they read the policy given."""

from __future__ import annotations

import unicodedata
from functools import cache

import pycountry

from earlyhelp.policy.schema import Policy

# ISO 3166-1 gives the United Kingdom the code GB; the policy's "UK" region lists it too.
UNITED_KINGDOM = "GB"
HOME_REGION = "UK"
NOT_LISTED = "A country not in the ISO 3166 list"


@cache
def _names() -> dict[str, str]:
    """{code: name}: the everyday name where the list gives one ("Bolivia", "South Korea"),
    else its name."""
    return {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}


def country_name(code: str) -> str:
    """The name of the country with the ISO 3166-1 alpha-2 `code`."""
    return _names().get((code or "").strip().upper(), NOT_LISTED)


def is_country(code: str) -> bool:
    """Whether `code` is an ISO 3166-1 alpha-2 code (in capitals)."""
    return code in _names()


def names_of(code: str) -> set[str]:
    """Every name the list gives the country (its name, everyday and official names),
    folded for comparison."""
    found = pycountry.countries.get(alpha_2=code)
    if found is None:
        return set()
    names = (getattr(found, key, None) for key in ("name", "common_name", "official_name"))
    return {n.casefold() for n in names if n}


def home_countries(policy: Policy) -> set[str]:
    """The codes of the United Kingdom: GB, and any the policy puts in its UK region."""
    return {UNITED_KINGDOM, *policy.transfers.region_countries.get(HOME_REGION, ())}


def _sort_key(name: str) -> str:
    # "Åland Islands" among the A's, "Côte d'Ivoire" among the C's.
    plain = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()


def abroad_choices(policy: Policy) -> list[tuple[str, str]]:
    """(code, name) of every country a child may move to abroad, by name: the ISO 3166
    list without the United Kingdom."""
    home = home_countries(policy)
    return sorted(
        ((code, name) for code, name in _names().items() if code not in home),
        key=lambda pair: _sort_key(pair[1]),
    )
