"""{% load case_tags %}: a case named as a worker names it, by its service and children."""

from django import template

from earlyhelp.cases.choices import CaseRole, service_name
from earlyhelp.cases.models import Case

register = template.Library()


@register.simple_tag
def case_name(case: Case) -> str:
    """ "Family support for Yusuf Haddad and Lina Haddad": the service in the policy's words
    and the children the case is about, by name (the service alone for a case without
    any). Only on pages the case rule has opened: the page's look covers the children."""
    children = [
        member.person.full_name
        for member in case.members.filter(role=CaseRole.CHILD)
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "pk")
    ]
    service = service_name(case.service)
    if not children:
        return service
    names = children[0] if len(children) == 1 else f"{', '.join(children[:-1])} and {children[-1]}"
    return f"{service} for {names}"
