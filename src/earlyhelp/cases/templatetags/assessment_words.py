"""Words for an assessment's needs on the case page: a headline outcome by its policy name."""

from django import template

from earlyhelp.cases.assessments import needs_by_outcome, outcome_words

register = template.Library()


@register.filter
def outcome_name(outcome_id: str) -> str:
    """The policy's name for a headline outcome id; never the id."""
    return outcome_words(outcome_id)


@register.filter
def grouped_by_outcome(needs) -> list:
    """An assessment's needs as [(outcome name, [need, ...]), ...], in the policy's order."""
    return needs_by_outcome(needs.all() if hasattr(needs, "all") else needs)
