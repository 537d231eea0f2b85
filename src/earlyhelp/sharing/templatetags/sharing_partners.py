"""Template tags for partners' requests, transfers and emergencies: what a disclosure's page
adds, and a team manager's queue of emergency shares awaiting approval."""

from django import template

from earlyhelp.sharing import emergency
from earlyhelp.sharing.models import Disclosure
from earlyhelp.sharing.partner_views import disclosure_extras as extras_of
from earlyhelp.sharing.partner_views import emergency_rows

register = template.Library()


@register.inclusion_tag("sharing/_disclosure_extras.html", takes_context=True)
def disclosure_extras(context, disclosure: Disclosure) -> dict:
    """The child's identifier, an emergency share (overdue marked, the approval link for a
    manager who may give it), a transfer abroad and the request it answered."""
    user = context["request"].user
    return {
        "disclosure": disclosure,
        **extras_of(disclosure),
        "overdue": disclosure.emergency_overdue(),
        "may_approve": emergency.approval_problem(user, disclosure) is None,
    }


@register.inclusion_tag("sharing/_emergencies.html", takes_context=True)
def emergencies_waiting(context) -> dict:
    """A team manager's emergency shares awaiting approval (a look recorded per person)."""
    return {"rows": emergency_rows(context["request"])}


@register.inclusion_tag("sharing/_partner_links.html")
def partner_links(person) -> dict:
    """Links from a person's page: log a partner's request, share in an emergency or abroad."""
    return {"person": person}
