"""A disclosure in the policy's words: recipients, agreements, purposes, exemptions and
categories by their names, never their ids. Pure helpers: they read the policy given."""

from __future__ import annotations

import re
from collections.abc import Iterable

from earlyhelp.policy.schema import Policy

GONE = "no longer in the policy"
QUOTED = re.compile(r"'([a-z0-9]+(?:-[a-z0-9]+)*)'")


def recipient_words(policy: Policy, recipient_id: str) -> str:
    """The recipient's name."""
    found = policy.recipient(recipient_id)
    return found.name if found else f"A recipient {GONE}"


def agreement_words(policy: Policy, agreement_id: str) -> str:
    """The agreement's name ("" for none)."""
    if not agreement_id:
        return ""
    found = policy.agreement(agreement_id)
    return found.name if found else f"An agreement {GONE}"


def purpose_words(policy: Policy, purpose_id: str) -> str:
    """The purpose as the notice words it, with a capital letter."""
    found = policy.purpose(purpose_id)
    words = found.wording if found else f"A purpose {GONE}"
    return words[:1].upper() + words[1:]


def exemption_words(policy: Policy, exemption_id: str) -> str:
    """When the family need not be told, as the notice words it ("" for none)."""
    if not exemption_id:
        return ""
    for exemption in policy.sharing.exemptions:
        if exemption.id == exemption_id:
            return exemption.wording[:1].upper() + exemption.wording[1:]
    return f"An exemption {GONE}"


def categories_words(policy: Policy, category_ids: Iterable[str]) -> list[str]:
    """Each category by the notice's wording."""
    return [
        found.wording if (found := policy.category(c)) else f"A category {GONE}"
        for c in category_ids
    ]


def reason_in_words(policy: Policy, reason: str) -> str:
    """A decision's reason with each quoted policy id replaced by its words: a category by
    its wording, an agreement, recipient, purpose or exemption by its name or wording.
    decide_share quotes ids
    ("does not use 'health'"); a page shows the words instead."""

    def words(match: re.Match) -> str:
        ident = match.group(1)
        if (category := policy.category(ident)) is not None:
            return f"'{category.wording}'"
        if (agreement := policy.agreement(ident)) is not None:
            return f"'{agreement.name}'"
        if (recipient := policy.recipient(ident)) is not None:
            return recipient.name
        if (purpose := policy.purpose(ident)) is not None:
            return f"'{purpose.wording}'"
        for exemption in policy.sharing.exemptions:
            if exemption.id == ident:
                return f"'{exemption.wording}'"
        return match.group(0)

    return QUOTED.sub(words, reason)
