"""Questions other apps ask the policy, answered from the ``Policy`` object alone.

Every answer is a frozen ``Decision``: whether it is allowed, the rules relied on (policy
items as ``kind:id``, or a general rule as ``rule:name``), the lawful basis where data moves,
and a reason a person can read. No policy value (age, period, recipient, deadline) is
written here; all come from the policy.

One module per area: ``sharing`` (recipients, notice to the family, transfers),
``projects`` (extracts), ``retention``, ``rights``; ``common`` holds what they share. This
package is their public face: apps import the questions from here.
"""

from earlyhelp.policy.decisions.common import Decision, add_period
from earlyhelp.policy.decisions.projects import ProjectDecision, project_rules
from earlyhelp.policy.decisions.retention import (
    RetentionDecision,
    destroy_after,
    retention_rule,
    retention_subject_for_age,
)
from earlyhelp.policy.decisions.rights import (
    Deadline,
    Pause,
    complaint_acknowledge_by,
    deadline_rule,
    deadline_under,
    is_working_day,
    parent_may_access_child_record,
    request_deadline,
    right_applies,
)
from earlyhelp.policy.decisions.sharing import (
    ShareDecision,
    decide_share,
    decide_transfer,
    decide_transfer_to,
    emergency_approval_due,
    may_withhold_notice,
    not_sharing_reason_needed,
    partner_request_due,
    region_of,
)

__all__ = [
    "Deadline",
    "Decision",
    "Pause",
    "ProjectDecision",
    "RetentionDecision",
    "ShareDecision",
    "add_period",
    "complaint_acknowledge_by",
    "deadline_rule",
    "deadline_under",
    "decide_share",
    "decide_transfer",
    "decide_transfer_to",
    "destroy_after",
    "emergency_approval_due",
    "is_working_day",
    "may_withhold_notice",
    "not_sharing_reason_needed",
    "parent_may_access_child_record",
    "partner_request_due",
    "project_rules",
    "region_of",
    "request_deadline",
    "retention_rule",
    "retention_subject_for_age",
    "right_applies",
]
