"""The "Shared with" section of a person's page: the person's disclosure log."""

from django import template

from earlyhelp.access.guards import audit_look
from earlyhelp.access.roles import CASEWORK
from earlyhelp.people.models import Person
from earlyhelp.sharing import services
from earlyhelp.sharing.views import described

register = template.Library()


@register.inclusion_tag("sharing/_shared_with.html", takes_context=True)
def shared_with(context, person: Person) -> dict:
    """The person's disclosures and decisions not to share, in the policy's words, and
    whether the reader may share (casework, with the record open for casework, not read
    only). Showing the log is a look at the person, recorded under the page's access."""
    request = context["request"]
    access = getattr(request, "record_access", None)
    log = [described(d) for d in services.log_of(person)]
    if log and access is not None:
        audit_look(
            request, access, "person", person.public_id, services.log_categories(), page="person"
        )
    return {
        "person": person,
        "log": log,
        "may_share": access is not None
        and not access.read_only
        and request.user.has_role(*CASEWORK),
    }
