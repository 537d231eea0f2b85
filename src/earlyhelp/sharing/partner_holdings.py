"""The data map's entries for partners' requests, children's moves abroad and transfers:
each is part of the record of what the council was asked for and shared about a person,
kept as long as the records themselves (imported by sharing.holdings)."""

from __future__ import annotations

from earlyhelp.datamap.registry import keep, register
from earlyhelp.policy.active import active_policy
from earlyhelp.sharing import countries, words
from earlyhelp.sharing import models as m
from earlyhelp.sharing.holdings import ACCOUNTABILITY, RECORD_RULES


def _request_says(row: m.PartnerRequest) -> list[tuple[str, str, str]]:
    policy = active_policy()
    shown = [
        ("Status", row.get_status_display(), m.CATEGORY),
        ("Asked by", f"{row.requester}, {row.organisation}", m.CATEGORY),
        ("Group", words.recipient_words(policy, row.recipient), m.CATEGORY),
        ("Legal basis claimed", row.basis_law, m.CATEGORY),
        ("Their reference", row.form_reference, m.CATEGORY),
        ("What was asked", row.asked, m.CATEGORY),
        ("Received", row.received_on.isoformat(), m.CATEGORY),
        ("Answer due", row.due_on.isoformat(), m.CATEGORY),
        ("Approval", row.get_approval_display(), m.CATEGORY),
        ("Why not shared", row.refusal_reason, m.CATEGORY),
    ]
    return [(label, value, category) for label, value, category in shown if value]


def _relocation_says(row: m.Relocation) -> list[tuple[str, str, str]]:
    return [
        ("Moved to", row.country_words, "identity-and-contact"),
        ("On", row.moved_on.isoformat(), "identity-and-contact"),
        ("Authority there", row.receiving_authority, "identity-and-contact"),
    ]


def _transfer_says(row: m.Transfer) -> list[tuple[str, str, str]]:
    return [
        ("Country", countries.country_name(row.country), m.CATEGORY),
        ("Route", row.route_law, m.CATEGORY),
        # The disclosure it went with, by whom it went to: its id is for the audit trail.
        (
            "Shared with",
            words.recipient_words(active_policy(), row.disclosure.recipient),
            m.CATEGORY,
        ),
    ]


register(
    m.PartnerRequest,
    "person",
    erasure=keep(retention_rules=RECORD_RULES, reason=ACCOUNTABILITY),
    label="A request for information from a partner",
    date_field="received_on",
    says=_request_says,
)
register(
    m.Relocation,
    "person",
    erasure=keep(retention_rules=RECORD_RULES, reason=ACCOUNTABILITY),
    label="A move to live abroad",
    date_field="moved_on",
    says=_relocation_says,
)
register(
    m.Transfer,
    "disclosure__person",
    erasure=keep(retention_rules=RECORD_RULES, reason=ACCOUNTABILITY),
    label="Information sent abroad",
    date_field="disclosure__created_at",
    says=_transfer_says,
)
