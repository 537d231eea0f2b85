"""Where the consent app holds data about a person: its entries in the data map.

A consent record is about the child and names the parent who decided. It is the council's
evidence that consent was given, refused or withdrawn (UK GDPR Article 7(1): the controller
must be able to show it), so erasure keeps it while the child's records are kept.
"""

from __future__ import annotations

from earlyhelp.consent import models as m
from earlyhelp.datamap.registry import RECORD_RULES, Reach, Role, keep, register
from earlyhelp.policy.active import active_policy

EVIDENCE = (
    "the record of what a parent agreed to or withdrew, kept to show the consent "
    "(UK GDPR Article 7(1))"
)


def _consent_says(row: m.MediaConsent) -> list[tuple[str, str, str]]:
    from earlyhelp.consent.words import use_name

    return [
        ("Use", use_name(active_policy(), row.processing, row.use), m.CATEGORY),
        ("Decision", row.get_decision_display(), m.CATEGORY),
        ("By", row.given_by.full_name, "family-relationships"),
        ("How", row.get_how_display(), m.CATEGORY),
        ("On", row.decided_on.isoformat(), m.CATEGORY),
        ("The words asked about", row.wording, m.CATEGORY),
    ]


register(
    m.MediaConsent,
    "child",
    Reach("given_by", Role.MENTIONED),
    erasure=keep(retention_rules=RECORD_RULES, reason=EVIDENCE),
    label="A parent's consent to a use of their child's nursery photos and videos",
    date_field="decided_on",
    says=_consent_says,
)
