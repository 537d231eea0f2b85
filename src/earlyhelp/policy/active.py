"""The policy the running service enforces: the file named by EARLYHELP_POLICY."""

from functools import cache
from pathlib import Path

from django.conf import settings

from earlyhelp.policy.loader import load_policy
from earlyhelp.policy.schema import Policy


def active_policy() -> Policy:
    """The configured policy, loaded and validated once per version of the file."""
    path = Path(settings.POLICY_PATH)
    return _load(str(path), path.stat().st_mtime_ns)


@cache
def _load(path: str, modified: int) -> Policy:
    # The modification time is part of the key so an edited file is read again.
    return load_policy(path)
