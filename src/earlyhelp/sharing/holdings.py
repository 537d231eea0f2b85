"""Where the sharing app holds data about a person: its entries in the data map.

The disclosure log is the council's record of what it shared about a person, with whom
and why; a person asking for their data gets it (notice section 5: "we will tell you what
data is being shared and why"), so both models are in the map, in the policy's words.
"""

from __future__ import annotations

from earlyhelp.datamap.registry import RECORD_RULES, keep, register
from earlyhelp.policy.active import active_policy
from earlyhelp.sharing import models as m
from earlyhelp.sharing import words

ACCOUNTABILITY = (
    "the record of what was shared, with whom and why, kept as long as the records shared "
    "(UK GDPR Article 5(2))"
)


def _disclosure_says(row: m.Disclosure) -> list[tuple[str, str, str]]:
    policy = active_policy()
    shown = [
        ("Status", row.get_status_display(), m.CATEGORY),
        ("Shared with", words.recipient_words(policy, row.recipient), m.CATEGORY),
        ("Agreement", words.agreement_words(policy, row.agreement), m.CATEGORY),
        ("Purpose", words.purpose_words(policy, row.purpose), m.CATEGORY),
        ("Lawful basis", row.lawful_basis, m.CATEGORY),
        (
            "Categories",
            "; ".join(words.categories_words(policy, row.categories)),
            m.CATEGORY,
        ),
        ("Family told", "Yes" if row.family_told else "No", m.CATEGORY),
        ("Letter to the family", row.letter, m.CATEGORY),
        ("Not told because", words.exemption_words(policy, row.exemption), m.CATEGORY),
        ("Reason for not telling", row.exemption_reason, m.CATEGORY),
        ("Reason for not sharing", row.not_shared_reason, m.CATEGORY),
        ("Shared first in an emergency because", row.emergency_reason, m.CATEGORY),
        ("Shared while restricted from processing", row.restriction_ground, m.CATEGORY),
        ("Why it could not wait", row.restriction_reason, m.CATEGORY),
        ("Sent by", row.get_method_display() if row.method else "", m.CATEGORY),
        ("Reference", row.reference, m.CATEGORY),
        ("Approval", row.decision_note, m.CATEGORY),
        ("Sent on", row.sent_at.date().isoformat() if row.sent_at else "", m.CATEGORY),
    ]
    return [(label, value, category) for label, value, category in shown if value]


def _item_says(row: m.DisclosedItem) -> list[tuple[str, str, str]]:
    policy = active_policy()
    return [
        ("Record", row.label, m.CATEGORY),
        ("Categories", "; ".join(words.categories_words(policy, row.categories)), m.CATEGORY),
        ("Disclosure", str(row.disclosure.public_id), m.CATEGORY),
    ]


register(
    m.Disclosure,
    "person",
    erasure=keep(retention_rules=RECORD_RULES, reason=ACCOUNTABILITY),
    label="Information shared with a partner, or a decision not to share",
    date_field="created_at",
    says=_disclosure_says,
)
register(
    m.DisclosedItem,
    "disclosure__person",
    erasure=keep(retention_rules=RECORD_RULES, reason=ACCOUNTABILITY),
    label="A record included in a disclosure",
    date_field="disclosure__created_at",
    says=_item_says,
)

# Partners' requests, moves abroad and transfers (sharing.partner_holdings).
from earlyhelp.sharing import partner_holdings  # noqa: E402, F401
