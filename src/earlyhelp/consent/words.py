"""The policy's words for consents: uses and their versions, never ids."""

from __future__ import annotations

from earlyhelp.policy.schema import Policy


def use_name(policy: Policy, processing_id: str, use_id: str) -> str:
    """The use's name in the policy, or "A use no longer listed" when the policy has
    dropped it (a record keeps its id)."""
    use = policy.consent_use(processing_id, use_id)
    return use.name if use is not None else "A use no longer listed"


def way_name(policy: Policy, way_id: str) -> str:
    """The policy's name for a way media are shared (consent_processing[].shares), or "A
    way no longer listed" when the policy has dropped it (a share keeps its id)."""
    for processing in policy.consent_processing:
        for way in processing.shares:
            if way.id == way_id:
                return way.name
    return "A way no longer listed"
