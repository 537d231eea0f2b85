"""May a project extract be made, and with which field rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from earlyhelp.lib.words import day_words
from earlyhelp.policy.decisions.common import Decision, agreement_in_force
from earlyhelp.policy.describe import lawful_basis_text
from earlyhelp.policy.schema import Policy, ProjectField, SmallNumberSuppression

RULE_DECLARED_PROJECTS = "rule:declared-projects-only"


@dataclass(frozen=True)
class ProjectDecision(Decision):
    """Whether a project extract may be made now and, if so, the rule for each field."""

    fields: tuple[ProjectField, ...] = ()
    objection_honoured: bool | None = None
    suppression: SmallNumberSuppression | None = None


def project_rules(policy: Policy, project_id: str, on_date: date) -> ProjectDecision:
    """May an extract for this project be made on this date, and with which field rules?"""
    project = policy.project(project_id)
    if project is None:
        return ProjectDecision(
            False,
            (RULE_DECLARED_PROJECTS,),
            None,
            f"'{project_id}' is not a project the policy declares.",
        )
    rule = f"project:{project.id}"
    if on_date < project.start:
        return ProjectDecision(
            False,
            (rule,),
            None,
            f"'{project.name}' starts on {day_words(project.start)}; "
            "no extract may be made before then.",
        )
    if project.end is not None and on_date > project.end:
        return ProjectDecision(
            False,
            (rule,),
            None,
            f"'{project.name}' ended on {day_words(project.end)}; "
            "no extract may be made after it ended.",
        )
    rules = [rule]
    if project.agreement is not None:
        agreement = policy.agreement(project.agreement)
        if agreement is None or not agreement_in_force(agreement, on_date):
            return ProjectDecision(
                False,
                (rule, f"agreement:{project.agreement}"),
                None,
                f"The agreement for '{project.name}' is not in force on {day_words(on_date)}.",
            )
        rules.append(f"agreement:{agreement.id}")
    kinds = {
        c.kind
        for f in project.fields
        if f.rule != "drop"
        for c in [policy.category(f.category)]
        if c is not None
    }
    bases = []
    for purpose in map(policy.purpose, project.purposes):
        if purpose is not None:
            rules.append(f"purpose:{purpose.id}")
            text = lawful_basis_text(policy, purpose, kinds)
            if text not in bases:
                bases.append(text)
    kept = [f.name for f in project.fields if f.rule != "drop"]
    return ProjectDecision(
        True,
        tuple(rules),
        " | ".join(bases) or None,
        f"'{project.name}' may be extracted on {day_words(on_date)}: {len(kept)} field(s) leave, "
        "each transformed by its rule; fields not listed are never extracted.",
        fields=tuple(project.fields),
        objection_honoured=project.objection_honoured,
        suppression=policy.statistics.small_number_suppression,
    )
