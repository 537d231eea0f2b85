"""The staff roles of the service. Each is a Django group of the same name."""

from enum import StrEnum


class Role(StrEnum):
    PRACTITIONER = "practitioner"
    TEAM_MANAGER = "team-manager"
    INFORMATION_GOVERNANCE = "information-governance"
    ANALYST = "analyst"
    SYSTEM_ADMINISTRATOR = "system-administrator"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.PRACTITIONER: "Practitioner",
    Role.TEAM_MANAGER: "Team manager",
    Role.INFORMATION_GOVERNANCE: "Information governance officer",
    Role.ANALYST: "Performance analyst",
    Role.SYSTEM_ADMINISTRATOR: "System administrator",
}

# The roles that work with family records. (Issue 5 narrows them to their allocations.)
CASEWORK = (Role.PRACTITIONER, Role.TEAM_MANAGER)
