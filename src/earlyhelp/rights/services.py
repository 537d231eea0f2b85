"""Writing rights requests and complaints, each write with its audit event in one
transaction. Views, the public form and commands call these; a refusal raises ValueError
("field: rule") and writes nothing.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.audit.log import record as audit_record
from earlyhelp.datamap.registry import categories_of
from earlyhelp.lib.plausible import format_day
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.decisions import deadline_rule
from earlyhelp.rights.models import RightsRequest

RECORD_TYPE = "rights-request"


def audit_request(
    request: HttpRequest | None,
    rights_request: RightsRequest,
    action: str,
    what: str,
    *,
    actor: User | None = None,
    details: dict | None = None,
) -> None:
    """One audit event about a request: its public id, what happened ("identity evidence
    recorded"), no personal data."""
    audit_record(
        request,
        action=action,
        record_type=RECORD_TYPE,
        record_id=rights_request.public_id,
        categories=categories_of(RightsRequest),
        reason=f"Rights request {rights_request.reference}",
        actor=actor,
        details={"what": what, "rights_request": str(rights_request.public_id), **(details or {})},
    )


@transaction.atomic
def create_request(
    request: HttpRequest | None,
    *,
    kind: str,
    channel: str,
    received: date,
    created_by: User | None = None,
    regime: str = "uk-gdpr",
    **fields,
) -> RightsRequest:
    """A new request or complaint, keeping the policy's version and the time limit (and,
    for a complaint, the s.164A rule) in force on ``received``.

    ``fields`` are RightsRequest fields (requester_*, reply_by, rights_asked, subject_*...).
    Raises ValueError "received: ..." for a date in the future or before any time limit of
    the policy was in force, and "kind: ..." / "channel: ..." for unknown values.
    """
    if kind not in RightsRequest.Kind.values:
        raise ValueError(f"kind: '{kind}' is not a request or a complaint")
    if channel not in RightsRequest.Channel.values:
        raise ValueError(f"channel: '{channel}' is not a way a request arrives")
    today = timezone.localdate()
    if received > today:
        raise ValueError(f"received: {format_day(received)} is in the future")
    policy = active_policy()
    rule = deadline_rule(policy, received, regime)  # ValueError "received: ..." if none
    handling = policy.complaints.handling
    rights_request = RightsRequest(
        kind=kind,
        channel=channel,
        received=received,
        regime=regime,
        policy_version=policy.version,
        clock_rule=rule.model_dump(mode="json"),
        complaint_rule=(
            handling.model_dump(mode="json")
            if kind == RightsRequest.Kind.COMPLAINT and handling is not None
            else None
        ),
        created_by=created_by,
        **fields,
    )
    try:
        rights_request.full_clean(exclude=["clock_rule", "complaint_rule"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ValueError(f"{field}: {' '.join(messages)}") from None
    rights_request.save()
    audit_request(
        request,
        rights_request,
        "create",
        f"{rights_request.get_kind_display().lower()} received by "
        f"{rights_request.get_channel_display().lower()}",
        actor=created_by,
        details={"policy_version": policy.version, "rule": rule.id},
    )
    return rights_request
