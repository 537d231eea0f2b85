from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from earlyhelp.access.decorators import public_view, role_required
from earlyhelp.access.roles import Role
from earlyhelp.datamap.mapping import held_in
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.render import notice_html_context
from earlyhelp.web.words import ropa_table_in_words


@public_view
@require_safe
def privacy_notice(request: HttpRequest) -> HttpResponse:
    """The notice families read, rendered from the policy the service enforces; sections 10
    and 11 link to the service's own rights and complaints form."""
    context = notice_html_context(
        active_policy(),
        request_form_url=reverse("rights_public:start"),
        today=timezone.localdate(),
    )
    context["public_page"] = not request.user.is_authenticated
    return render(request, "policy/privacy_notice.html", context)


@role_required(Role.INFORMATION_GOVERNANCE)
@require_safe
def record_of_processing(request: HttpRequest) -> HttpResponse:
    """The Article 30 record of processing activities, for the DPO and IG officer."""
    policy = active_policy()
    rows = ropa_table_in_words(policy)
    purposes = {p.id: p for p in policy.purposes}
    for row in rows:
        # Each purpose links to the records in the data map that hold its categories.
        row["held_in"] = held_in(policy, purposes[row["purpose_id"]].categories)
    return render(request, "policy/record_of_processing.html", {"policy": policy, "rows": rows})
