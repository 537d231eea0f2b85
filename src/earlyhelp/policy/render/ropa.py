"""The Article 30 record of processing activities, from a policy alone: one row a purpose."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from earlyhelp.lib.spreadsheet import neutralise_cell
from earlyhelp.lib.words import join_words
from earlyhelp.policy.describe import article_6_words, schedule_1_words
from earlyhelp.policy.render.common import SOURCE_WORDS, law_text, retention_sentence
from earlyhelp.policy.schema import Policy

SUBJECT_WORDS = {
    "child": "children",
    "young_person": "young people",
    "parent_or_carer": "parents and carers",
    "household_member": "members of the household",
    "relative_outside_household": "family members outside the household",
}


def ropa_rows(policy: Policy) -> list[dict[str, str]]:
    """The record of processing activities: one row per purpose."""
    transfers = f"Only within the {join_words(policy.transfers.permitted_regions)}"
    if policy.transfers.exceptions:
        transfers += "; except where " + "; or where ".join(
            e.condition for e in policy.transfers.exceptions
        )
    adm = "None" if not policy.automated_decisions.used else policy.automated_decisions.statement
    rows = []
    for purpose in policy.purposes:
        categories = [c for c in map(policy.category, purpose.categories) if c is not None]
        recipients = []
        for agreement in policy.agreements:
            if purpose.id in agreement.purposes:
                recipient = policy.recipient(agreement.recipient)
                recipients.append(
                    f"{recipient.name if recipient else agreement.recipient} "
                    f"(agreement {agreement.id}, "
                    f"{_validity(agreement.valid_from, agreement.valid_to)})"
                )
        projects = [p for p in policy.projects if purpose.id in p.purposes]
        # Consent-based processing lives in its own system; everything else in the rest.
        own = {c.system for c in policy.consent_processing if purpose.id in c.purposes}
        consent_only = {c.system for c in policy.consent_processing}
        systems = [
            s.name
            for s in policy.storage.systems
            if (s.id in own if purpose.consent_based else s.id not in consent_only)
        ]
        basis = purpose.lawful_basis
        rows.append(
            {
                "purpose_id": purpose.id,
                "purpose": purpose.wording,
                "controller": ", ".join(
                    [policy.controller.name, *policy.controller.address, policy.controller.postcode]
                ),
                "dpo": f"{policy.dpo.name} ({policy.dpo.role}), {policy.dpo.email}",
                "consent_based": "yes" if purpose.consent_based else "no",
                "data_subjects": "; ".join(SUBJECT_WORDS[s] for s in purpose.data_subjects),
                "personal_data": "; ".join(c.wording for c in categories if c.kind == "personal"),
                "special_category_data": "; ".join(
                    c.wording for c in categories if c.kind == "special_category"
                ),
                "criminal_offence_data": "; ".join(
                    c.wording for c in categories if c.kind == "criminal_offence"
                ),
                "sources": "; ".join(
                    SOURCE_WORDS[s] for s in SOURCE_WORDS if any(s in c.sources for c in categories)
                ),
                "recipients": "; ".join(recipients),
                "projects": "; ".join(
                    f"{p.name} (to {_validity(p.start, p.end)})" if p.end else p.name
                    for p in projects
                ),
                "transfers": transfers,
                "retention": " ".join(
                    retention_sentence(policy, r)
                    for r in map(policy.retention_rule, purpose.retention_rules)
                    if r
                )
                or "No retention period stated",
                "article_6": article_6_words(basis.article_6),
                "article_9": "; ".join(
                    c.condition
                    + (f" ({schedule_1_words(policy, c.schedule_1)})" if c.schedule_1 else "")
                    for c in basis.article_9
                ),
                "article_10": (
                    basis.article_10.explanation
                    + (
                        f" ({schedule_1_words(policy, basis.article_10.schedule_1)})"
                        if basis.article_10.schedule_1
                        else ""
                    )
                    if basis.article_10
                    else ""
                ),
                "laws": "; ".join(
                    law_text(policy, c.law)
                    if not c.sections
                    else f"{_law_title(policy, c.law)} sections {join_words(c.sections)}"
                    for c in purpose.laws
                ),
                "storage_systems": "; ".join(systems),
                "security_measures": " ".join(policy.storage.security_measures),
                "automated_decision_making": adm,
            }
        )
    return rows


ROPA_COLUMN_LABELS = {
    "purpose_id": "Purpose id",
    "purpose": "Purpose",
    "controller": "Controller",
    "dpo": "Data Protection Officer",
    "consent_based": "Based on consent",
    "data_subjects": "Data subjects",
    "personal_data": "Personal data",
    "special_category_data": "Special category data",
    "criminal_offence_data": "Criminal offence data",
    "sources": "Sources",
    "recipients": "Recipients",
    "projects": "Pseudonymised projects",
    "transfers": "Transfers outside the UK",
    "retention": "Retention",
    "article_6": "Article 6 basis",
    "article_9": "Article 9 condition",
    "article_10": "Article 10 route",
    "laws": "Underlying laws",
    "storage_systems": "Storage systems",
    "security_measures": "Security measures",
    "automated_decision_making": "Automated decision-making",
}


def ropa_table(policy: Policy) -> list[dict[str, Any]]:
    """The record for a table: each purpose with its other columns as (label, value) pairs."""
    return [
        {
            "purpose_id": row["purpose_id"],
            "purpose": row["purpose"],
            "cells": [
                (ROPA_COLUMN_LABELS[key], value)
                for key, value in row.items()
                if key not in ("purpose_id", "purpose")
            ],
        }
        for row in ropa_rows(policy)
    ]


def _law_title(policy: Policy, law_id: str) -> str:
    law = policy.law(law_id)
    return law.title if law else law_id


def _validity(start: date, end: date | None) -> str:
    return f"from {start.isoformat()}" + (f" to {end.isoformat()}" if end else ", no end date")


def ropa_csv(policy: Policy) -> str:
    """The record of processing activities as CSV text, spreadsheet-safe (a cell starting
    with =, +, -, @, a tab or a carriage return has a ' in front: earlyhelp.lib.spreadsheet)."""
    rows = ropa_rows(policy)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else [], lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: neutralise_cell(v) for k, v in row.items()} for row in rows)
    return out.getvalue()
