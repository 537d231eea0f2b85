"""Where the extracts app holds data about a person: its entry in the data map."""

from earlyhelp.datamap.registry import RECORD_RULES, delete, register
from earlyhelp.extracts.models import Objection
from earlyhelp.policy.active import active_policy
from earlyhelp.web.words import project_name


def _project(project_id: str) -> str:
    return project_name(active_policy(), project_id)


register(
    Objection,
    "person",
    erasure=delete(retention_rules=RECORD_RULES),
    date_field="received",
    words={"project": _project},
    involvement=False,
)
