"""Load a policy file, check it, and say plainly what is wrong with it.

``parsing`` reads the TOML and checks its shape (``load_policy``, ``policy_from_dict``,
``PolicyError``); ``cross_checks`` the rules across the file (``validate_policy``,
``PolicyIssue``); ``warnings`` what the file allows that may no longer be true
(``check_warnings``, ``PolicyWarning``). This package is their public face: the service,
its commands and other apps import from here.
"""

from earlyhelp.policy.loader.cross_checks import PolicyIssue, validate_policy
from earlyhelp.policy.loader.parsing import PolicyError, load_policy, policy_from_dict
from earlyhelp.policy.loader.warnings import PolicyWarning, check_warnings

__all__ = [
    "PolicyError",
    "PolicyIssue",
    "PolicyWarning",
    "check_warnings",
    "load_policy",
    "policy_from_dict",
    "validate_policy",
]
