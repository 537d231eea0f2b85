"""Asking the policy whether an extract may leave, and recording that it did."""

from __future__ import annotations

import getpass
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from earlyhelp.audit.log import record
from earlyhelp.extracts.engine import ColumnRule
from earlyhelp.extracts.keys import fingerprint, project_key
from earlyhelp.extracts.models import Extract
from earlyhelp.extracts.output import Written
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.decisions import ProjectDecision, add_period, project_rules
from earlyhelp.policy.schema import Policy, Project


class ExtractRefused(Exception):
    """The policy does not allow this extract; the message says which rule and why."""


@dataclass(frozen=True)
class Approved:
    policy: Policy
    project: Project
    decision: ProjectDecision
    key: str
    on_date: date

    @property
    def destruction_due(self) -> date | None:
        retention = self.project.recipient_retention
        return None if retention is None else add_period(self.on_date, retention)


def approve(project_id: str, on_date: date) -> Approved:
    """The policy's permission for an extract on `on_date`, or ExtractRefused saying why."""
    policy = active_policy()
    decision = project_rules(policy, project_id, on_date)
    if not decision.allowed:
        raise ExtractRefused(f"{decision.reason} (policy rule: {', '.join(decision.rule_ids)})")
    project = policy.project(project_id)
    assert project is not None
    return Approved(policy, project, decision, project_key(settings.KEYS_DIR, project.id), on_date)


def manifest(
    approved: Approved,
    *,
    mode: str,
    columns: Sequence[ColumnRule],
    files: Sequence[Written],
    rows: int,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What left, under which rules, and how to check the files arrived whole."""
    project, policy = approved.project, approved.policy
    due = approved.destruction_due
    return {
        "project": project.id,
        "project_name": project.name,
        "recipient": project.recipient,
        "mode": mode,
        "policy_version": policy.version,
        "extract_date": approved.on_date.isoformat(),
        "made_at": timezone.now().isoformat(timespec="seconds"),
        "policy_rules": list(approved.decision.rule_ids),
        "lawful_basis": approved.decision.lawful_basis,
        "rows": rows,
        "columns": [
            {
                "name": c.column,
                "rule": c.rule,
                "category": c.field.category if c.field else None,
                "leaves": c.leaves,
            }
            for c in columns
        ],
        "pseudonym_key": fingerprint(approved.key),
        "destruction_due": due.isoformat() if due else None,
        "no_automated_decisions": project.no_automated_decisions,
        "files": [f.manifest_entry() for f in files],
        **(extra or {}),
    }


def record_extract(
    approved: Approved,
    *,
    mode: str,
    document: dict[str, Any],
    left_out_by_objection: int = 0,
    user=None,
) -> Extract:
    """The Extract and its audit event, together or not at all."""
    leaving = [c for c in document["columns"] if c["leaves"] and c["category"]]
    with transaction.atomic():
        extract = Extract.objects.create(
            project=approved.project.id,
            mode=mode,
            policy_version=approved.policy.version,
            extract_date=approved.on_date,
            rows=document["rows"],
            left_out_by_objection=left_out_by_objection,
            destruction_due=approved.destruction_due,
            manifest=document,
            made_by=user,
        )
        record(
            action="export",
            record_type="extract",
            record_id=extract.public_id,
            categories=sorted({c["category"] for c in leaving}),
            # One purpose per event; the rest are in details.
            purpose=approved.project.purposes[0],
            rule=f"project:{approved.project.id}",
            actor=user,
            actor_username="" if user else f"command line ({getpass.getuser()})",
            details={
                "project": approved.project.id,
                "mode": mode,
                "purposes": list(approved.project.purposes),
                "rows": document["rows"],
                "files": {f["name"]: f["sha256"] for f in document["files"]},
            },
        )
    return extract
