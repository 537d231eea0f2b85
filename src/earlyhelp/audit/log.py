"""Recording events in the audit trail.

record() appends one event. The chain head (one row) is locked for the append: on
PostgreSQL with SELECT ... FOR UPDATE, on SQLite by the write lock its IMMEDIATE
transactions take at BEGIN (settings.py). Two writers therefore never read the same
head, so the chain cannot fork, and ids come out gapless.

The event is written in the caller's transaction: if that transaction rolls back, so
does the event, together with what it recorded. That is deliberate: an event never
describes a change that did not happen. It also means the head stays locked until the
caller's transaction ends, so record late in a long transaction.

Each event is hashed as chain.py says; verify.py checks the chain and anchors its end;
queries.py reads it back.
"""

import ipaddress
import json
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from earlyhelp.audit.chain import HASHED_FIELDS, HEAD_ID, event_hash
from earlyhelp.audit.keys import key_ring
from earlyhelp.audit.models import Action, AuditChainHead, AuditEvent
from earlyhelp.policy.active import active_policy

# details is for a few ids and counts, not documents.
MAX_DETAILS_BYTES = 8192
MAX_REASON_CHARS = 2000
ACTIONS = frozenset(Action.values)
# A kind of record ("person", "case", "search"): a word, so never a name or a value.
RECORD_TYPE = re.compile(r"^(?:[a-z]+(?:-[a-z]+)*)?$")


class ChainBroken(Exception):
    """The chain head is missing although events exist: appending would hide the damage."""


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from.

    Behind the service's proxy (EARLYHELP_BEHIND_PROXY, which sets
    SECURE_PROXY_SSL_HEADER) that is the last X-Forwarded-For entry, the one the proxy
    added; earlier entries come from the client and could say anything.
    """
    candidates = []
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        candidates.append(forwarded.rsplit(",", 1)[-1].strip())
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for candidate in candidates:
        address = normalise_ip(candidate)
        if address:
            return address
    return None


def normalise_ip(value: str | None) -> str | None:
    """The address as the database gives it back (so its hash survives the round trip)."""
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    return clean_ipv6_address(str(address)) if address.version == 6 else str(address)


def _checked_record_id(record_id: object) -> str:
    if record_id in ("", None):
        return ""
    try:
        return str(uuid.UUID(str(record_id)))
    except ValueError:
        raise ValueError(
            "record_id must be the record's public UUID (or empty), never a name or other "
            f"identifying value; got a {type(record_id).__name__} that is not a UUID"
        ) from None


def _checked_categories(categories: Iterable[str]) -> list[str]:
    wanted = sorted(set(categories))
    known = {category.id for category in active_policy().categories}
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise ValueError(f"categories: {', '.join(unknown)} not data categories of the policy")
    return wanted


def _checked_purpose(purpose: str) -> str:
    if purpose and purpose not in {p.id for p in active_policy().purposes}:
        raise ValueError(f"purpose: {purpose!r} is not a purpose of the policy")
    return purpose


def _is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _checked_details(action: str, details: Mapping[str, Any] | None) -> dict[str, Any]:
    details = dict(details or {})
    try:
        text = json.dumps(details, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ValueError(f"details: must be plain JSON ({error})") from None
    if len(text) > MAX_DETAILS_BYTES:
        raise ValueError(f"details: {len(text)} bytes; at most {MAX_DETAILS_BYTES}")
    # A float may not come back from the database as the same text, breaking its hash.
    if any(isinstance(v, float) for v in _leaves(details)):
        raise ValueError("details: no decimal numbers (store whole numbers or text)")
    if action == Action.SEARCH:
        # A search event names the records listed and counts them, never what was asked.
        for key, value in details.items():
            leaves = value if isinstance(value, list) else [value]
            if not all(isinstance(v, int) or _is_uuid(v) for v in leaves):
                raise ValueError(
                    f"details[{key!r}]: a search event holds only counts and record ids, "
                    "never the search terms"
                )
    return json.loads(text)


def _leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def _locked_head() -> AuditChainHead:
    """The chain head, locked until the transaction ends; made by the first append."""
    try:
        return AuditChainHead.objects.select_for_update().get(pk=HEAD_ID)
    except AuditChainHead.DoesNotExist:
        pass
    try:
        # Waits for another writer making it at the same moment, then fails.
        with transaction.atomic():
            AuditChainHead.objects.create(pk=HEAD_ID)
        made = True
    except IntegrityError:
        made = False
    head = AuditChainHead.objects.select_for_update().get(pk=HEAD_ID)
    if made and AuditEvent.objects.exists():
        # Events without a head: it was deleted. Starting again would hide that.
        raise ChainBroken(
            "the audit chain head is missing although audit events exist; "
            "run `earlyhelp audit verify` and restore it before recording more"
        )
    return head


def append(fields: Mapping[str, Any]) -> AuditEvent:
    """Add one event (already checked) to the end of the chain, inside the head lock."""
    return append_many([fields])[0]


def append_many(events: Sequence[Mapping[str, Any]]) -> list[AuditEvent]:
    """Add events (already checked) to the end of the chain in the order given, under one
    hold of the head lock: one insert and one head update however many there are (a list
    page's looks at each person it names). Each is chained to the one before it."""
    if not events:
        return []
    # Before the lock: without the key nothing is written, and the reason is clear.
    key_id = key_ring().current_id
    with transaction.atomic():
        head = _locked_head()
        at = timezone.now()
        appended = []
        last_id, last_hash = head.last_id, head.last_hash
        for fields in events:
            event = AuditEvent(
                id=last_id + 1, at=at, previous_hash=last_hash, key_id=key_id, **fields
            )
            event.hash = event_hash([getattr(event, name) for name in HASHED_FIELDS], key_id)
            appended.append(event)
            last_id, last_hash = event.id, event.hash
        # An INSERT only: an id already taken fails rather than overwriting a row.
        AuditEvent.objects.bulk_create(appended)
        head.last_id, head.last_hash = last_id, last_hash
        head.save(update_fields=["last_id", "last_hash"])
    return appended


def event_fields(
    request: HttpRequest | None = None,
    *,
    action: str,
    record_type: str = "",
    record_id: object = "",
    categories: Iterable[str] = (),
    reason: str = "",
    purpose: str = "",
    rule: str = "",
    flagged: bool = False,
    details: Mapping[str, Any] | None = None,
    actor: AbstractBaseUser | None = None,
    actor_username: str = "",
) -> dict[str, Any]:
    """One event's fields, checked; the actor and address come from `request` when given.

    `actor_username` names an actor without an account here (the username typed at a
    failed sign-in); otherwise it is copied from the actor.
    """
    if action not in ACTIONS:
        raise ValueError(f"action: {action!r} is not one of {', '.join(sorted(ACTIONS))}")
    if not RECORD_TYPE.match(record_type) or len(record_type) > 40:
        raise ValueError(f"record_type: {record_type!r} is not a lower-case kind of record")
    if len(reason) > MAX_REASON_CHARS:
        raise ValueError(f"reason: {len(reason)} characters; at most {MAX_REASON_CHARS}")
    if len(rule) > 100:
        raise ValueError(f"rule: {len(rule)} characters; at most 100")
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    if actor is not None:
        actor_username = actor.get_username()
    return {
        "actor": actor,
        "actor_username": actor_username[:150],
        "action": str(action),
        "record_type": record_type,
        "record_id": _checked_record_id(record_id),
        "categories": _checked_categories(categories),
        "ip_address": client_ip(request) if request is not None else None,
        "reason": reason,
        "purpose": _checked_purpose(purpose),
        "rule": rule,
        "flagged": bool(flagged),
        "details": _checked_details(action, details),
    }


def record(request: HttpRequest | None = None, **event: Any) -> AuditEvent:
    """Record one event: `event` is event_fields' keywords (action=, record_type=, ...).

    Raises ValueError naming the field when one is not what the trail accepts.
    """
    return append(event_fields(request, **event))


def record_many(request: HttpRequest | None, events: Iterable[Mapping[str, Any]]) -> None:
    """Record several events made by one request in one append (see append_many); each
    mapping is event_fields' keywords. All are checked before any is written."""
    append_many([event_fields(request, **event) for event in events])


def record_search(
    request: HttpRequest | None,
    *,
    shown: Iterable[object],
    results: int | None = None,
    categories: Iterable[str] = (),
    purpose: str = "",
    rule: str = "",
    reason: str = "",
) -> AuditEvent:
    """A search: how many records it found and the public ids of those shown. No query.
    `reason`: what it was for, when not casework ("Rights request R-7KQ2-M9XD")."""
    shown_ids = [_checked_record_id(record_id) for record_id in shown]
    return record(
        request,
        action=Action.SEARCH,
        record_type="search",
        categories=categories,
        purpose=purpose,
        rule=rule,
        reason=reason,
        details={"results": len(shown_ids) if results is None else results, "shown": shown_ids},
    )
