"""Sharing from a case page (issue 17 item 1: "from a person or case page").

A case is about several people; a disclosure is about one. The case page links here: the
case's members, each with the link to the one share form (sharing.views.share_information,
the person's), or the reason the user may not share about them (no need-to-know access,
processing restricted by a rights request): the same checks the share itself makes
(sharing.services.access_problem, restriction_problem), so a link shown is a form that
opens. No second share form: the rules and the writes stay in sharing.services.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from earlyhelp.access.decorators import role_required
from earlyhelp.access.guards import audit_look, audit_people_shown, with_case_to_change
from earlyhelp.access.roles import CASEWORK
from earlyhelp.cases.models import Case, CaseMember
from earlyhelp.datamap.registry import categories_of
from earlyhelp.people.models import Person
from earlyhelp.sharing import services

# What the page shows: the case, and its members by name and role.
CASE_PAGE_SHOWS = (Case, CaseMember, Person)
PAGE = "share-from-case"


def members_to_share_about(request: HttpRequest, case: Case) -> list[dict]:
    """The case's members, in the case page's order, each as {"member": CaseMember,
    "problem": words or ""}: "" when the user may share about them, else why not (the
    share's own refusal, without its field name)."""
    found = []
    for member in case.members.select_related("person__restriction__created_by").order_by("pk"):
        person = member.person
        problem = services.access_problem(request, person) or services.restriction_problem(person)
        found.append({"member": member, "problem": (problem or "").partition(": ")[2]})
    return found


@role_required(*CASEWORK)
@require_safe
@with_case_to_change
def share_from_case(request: HttpRequest, case: Case) -> HttpResponse:
    """Choose whom on the case the information is about; the share form is the person's.

    Refused (as every page changing a case is) under break-glass: information opened in an
    emergency is read, never shared."""
    members = members_to_share_about(request, case)
    shown = categories_of(*CASE_PAGE_SHOWS)
    access = request.record_access
    audit_look(request, access, "case", case.public_id, shown, page=PAGE)
    audit_people_shown(request, access, [row["member"].person for row in members], shown, PAGE)
    return render(request, "sharing/share_from_case.html", {"case": case, "members": members})
