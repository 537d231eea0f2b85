"""The consent pages' words: a decision's use by the policy's name, and the person page's
summary of a nursery child's consents."""

from django import template

from earlyhelp.access.guards import audit_look
from earlyhelp.access.roles import CASEWORK
from earlyhelp.consent import services
from earlyhelp.consent.models import MediaConsent, MediaShare
from earlyhelp.consent.words import use_name as _use_name
from earlyhelp.consent.words import way_name as _way_name
from earlyhelp.datamap.registry import categories_of
from earlyhelp.people.models import Person
from earlyhelp.policy.active import active_policy

register = template.Library()


@register.filter
def use_name(decision: MediaConsent) -> str:
    """The policy's name for the use a decision is about."""
    return _use_name(active_policy(), decision.processing, decision.use)


@register.filter
def way_name(share: MediaShare) -> str:
    """The policy's name for the way a photo or video was shared."""
    return _way_name(active_policy(), share.way)


@register.inclusion_tag("consent/_person_section.html", takes_context=True)
def media_consents(context, person: Person) -> dict:
    """A nursery child's consents on their page, with the link to them: only for a child
    at the nursery or with decisions recorded, and for casework staff. Shown, it is a look
    at the child's consent records under the page's access."""
    request = context["request"]
    access = getattr(request, "record_access", None)
    shown = (
        access is not None
        and request.user.has_role(*CASEWORK)
        and (services.at_nursery(person) or MediaConsent.objects.filter(child=person).exists())
    )
    rows = services.standing(person) if shown else []
    if rows:
        audit_look(
            request, access, "person", person.public_id, categories_of(MediaConsent), page="person"
        )
    return {"person": person, "rows": rows}
