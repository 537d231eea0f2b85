"""The data map for the information governance officer, beside the record of processing."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from earlyhelp.access.decorators import role_required
from earlyhelp.access.roles import Role
from earlyhelp.datamap.mapping import map_in_words
from earlyhelp.policy.active import active_policy


@role_required(Role.INFORMATION_GOVERNANCE)
@require_safe
def data_map(request: HttpRequest) -> HttpResponse:
    """Every kind of record holding data about a person: what it holds, how it is found from
    the person, and what erasure does to it. It names no person, so no look is audited."""
    policy = active_policy()
    return render(
        request, "datamap/data_map.html", {"policy": policy, "models": map_in_words(policy)}
    )
