"""{% load closure_tags %}: a case's closure on the case page, in the policy's words."""

from django import template

from earlyhelp.cases.choices import closure_reason_name
from earlyhelp.cases.closure import awaiting_request
from earlyhelp.cases.models import Case, ClosureRequest

register = template.Library()


@register.filter
def closure_reason_words(reason_id: str) -> str:
    """{{ case.closure_reason|closure_reason_words }}: the policy's name for the reason."""
    return closure_reason_name(reason_id) if reason_id else ""


@register.simple_tag
def closure_awaiting(case: Case) -> ClosureRequest | None:
    """{% closure_awaiting case as awaiting %}: the request awaiting sign-off, if any."""
    return awaiting_request(case)


@register.simple_tag
def closure_history(case: Case) -> dict:
    """{% closure_history case as history %}: the case's closure requests and reopenings,
    newest first."""
    return {
        "requests": list(
            case.closure_requests.select_related("requested_by", "decided_by").order_by(
                "-requested_at", "-pk"
            )
        ),
        "reopenings": list(case.reopenings.select_related("reopened_by").order_by("-reopened_at")),
    }
