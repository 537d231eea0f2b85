"""Words for people in place of the codes the service keeps.

Codes (a fact's source, a policy rule's id, a username) stay in the audit trail and in the
CSV and JSON outputs; pages show these words instead. Pure helpers: they read the policy
and the objects they are given, and ask nothing of the database.
"""

from datetime import date
from typing import Any

from earlyhelp.lib.words import day_words
from earlyhelp.people.choices import Source
from earlyhelp.policy.decisions import common, projects, retention, rights, sharing
from earlyhelp.policy.render import ROPA_COLUMN_LABELS, ropa_table
from earlyhelp.policy.render.common import retention_sentence
from earlyhelp.policy.schema import Policy

# Where a fact came from, as the end of "From ...". Every Source has words (tested).
SOURCE_WORDS: dict[str, str] = {
    Source.FAMILY: "the family",
    Source.CARER: "a carer",
    Source.CHILD: "the child or young person",
    Source.GP: "the GP",
    Source.SCHOOL_NURSE: "the school nurse",
    Source.HEALTH_PROFESSIONAL: "another health professional",
    Source.POLICE: "the police",
    Source.SCHOOL: "school",
    Source.OTHER_AGENCY: "another agency",
    Source.COUNCIL_SERVICE: "another council service",
    Source.COUNCIL_STAFF: "council staff",
}

# What the service is called when an event has no member of staff behind it.
NO_ACTOR = "The service itself (no one signed in)"
NO_NAME = "A member of staff with no name on their account"


def source_words(source: str) -> str:
    """'the GP' for "gp": the end of "From ...", never the code."""
    return SOURCE_WORDS.get(source, "a source no longer listed")


def staff_name(user) -> str:
    """A member of staff by their full name; never their username."""
    if user is None:
        return NO_ACTOR
    return user.get_full_name().strip() or NO_NAME


# The rules the policy's decisions cite (earlyhelp.policy.decisions), in words.
DECISION_RULE_WORDS = {
    common.RULE_DECLARED_PURPOSES: "Only for the purposes the notice declares",
    sharing.RULE_DECLARED_RECIPIENTS: "Only to the recipients the notice declares",
    sharing.RULE_DECLARED_CATEGORIES: "Only the categories of information the notice declares",
    sharing.RULE_DECLARED_AGREEMENTS: "Only under the agreements the policy declares",
    sharing.RULE_NAMES_CATEGORIES: "A share says which categories of information it includes",
    sharing.RULE_PURPOSE_LIMITATION: "Only what the purpose uses (purpose limitation)",
    sharing.RULE_NEEDS_AGREEMENT: "Sharing needs a data-sharing agreement in force",
    sharing.RULE_CONSENT: "A purpose resting on consent needs consent recorded",
    sharing.RULE_TRANSFERS: "Where information may go outside the UK",
    sharing.RULE_TRANSFER_ROUTES: "A transfer abroad names a route UK law gives",
    sharing.RULE_PARTNER_REQUESTS: "Requests for information from partners",
    sharing.RULE_DUTY_TO_SHARE: "The duty to share information about a child's safeguarding",
    sharing.RULE_EMERGENCY: "Sharing first in a safeguarding emergency, approved after",
    projects.RULE_DECLARED_PROJECTS: "Only the projects the notice declares",
    retention.RULE_RETENTION: "Every record class has a retention rule",
    rights.RULE_PARENTAL_ACCESS: "A parent's access to their child's records",
}


def policy_rule_words(policy: Policy, rule: str) -> str:
    """A policy rule an extract or decision relied on, in the policy's own words.

    "project:liia" is the project's name, "agreement:x" the agreement's, "purpose:x" the
    purpose's wording; an id the policy no longer holds is said to be gone, not shown.
    """
    kind, _, ident = rule.partition(":")
    if kind == "project":
        project = policy.project(ident)
        return f"Project: {project.name}" if project else "A project no longer in the policy"
    if kind == "agreement":
        agreement = policy.agreement(ident)
        return (
            f"Agreement: {agreement.name}" if agreement else "An agreement no longer in the policy"
        )
    if kind == "purpose":
        purpose = policy.purpose(ident)
        return f"Purpose: {purpose.wording}" if purpose else "A purpose no longer in the policy"
    if kind == "retention" and rule not in DECISION_RULE_WORDS:
        return retention_rule_words(policy, ident)
    if kind == "consent":
        # "consent:<processing>:<use>": a parent's decision on one use (consent app).
        use = policy.consent_use(*ident.partition(":")[::2])
        return f"Consent: {use.name}" if use else "A use of consent no longer in the policy"
    return DECISION_RULE_WORDS.get(rule, "A rule of the policy")


def retention_rule_words(policy: Policy, ident: str) -> str:
    """A retention rule (`retention:<rule id>`) in the notice's own sentence."""
    rule = policy.retention_rule(ident)
    if rule is None:
        return "A retention rule no longer in the policy"
    return f"Retention: {retention_sentence(policy, rule)}"


def category_words(policy: Policy, category: str) -> str:
    """A data category by the policy's wording."""
    found = policy.category(category)
    return found.wording if found else "A category no longer in the policy"


def project_name(policy: Policy, project_id: str) -> str:
    """A project by its name in the policy."""
    project = policy.project(project_id)
    return project.name if project else "A project no longer in the policy"


def _validity(start: date, end: date | None) -> str:
    return f"from {day_words(start)}" + (f" to {day_words(end)}" if end else ", with no end date")


def ropa_recipients(policy: Policy, purpose_id: str) -> str:
    """Who receives data for a purpose, and under which agreement, by the policy's names."""
    found = []
    for agreement in policy.agreements:
        if purpose_id in agreement.purposes:
            recipient = policy.recipient(agreement.recipient)
            who = recipient.name if recipient else "A recipient no longer in the policy"
            found.append(
                f"{who}, under the agreement “{agreement.name}”, "
                f"{_validity(agreement.valid_from, agreement.valid_to)}"
            )
    return "; ".join(found)


def ropa_projects(policy: Policy, purpose_id: str) -> str:
    """The pseudonymised projects for a purpose, by name, with their dates in words."""
    return "; ".join(
        f"{p.name} ({_validity(p.start, p.end)})" if p.end else p.name
        for p in policy.projects
        if purpose_id in p.purposes
    )


def ropa_table_in_words(policy: Policy) -> list[dict[str, Any]]:
    """The Article 30 record as people read it: agreements and projects by their names.

    The CSV (`earlyhelp policy ropa --format csv`) keeps the agreements' ids, for matching.
    """
    rows = ropa_table(policy)
    for row in rows:
        words = {
            ROPA_COLUMN_LABELS["recipients"]: ropa_recipients(policy, row["purpose_id"]),
            ROPA_COLUMN_LABELS["projects"]: ropa_projects(policy, row["purpose_id"]),
        }
        row["cells"] = [(label, words.get(label, value)) for label, value in row["cells"]]
    return rows
