from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.http import require_safe

from earlyhelp.access import grants
from earlyhelp.access.decorators import any_staff
from earlyhelp.access.roles import Role
from earlyhelp.audit.queries import flagged_events


@any_staff
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The role's home page: what the role can do today, each with its link.

    A page promises nothing that does not exist yet; as a capability lands, its link is
    added to the role's template (tests/web/test_home_pages.py follows every link).
    """
    role = request.user.role
    context = {"role": role}
    if role in (Role.INFORMATION_GOVERNANCE, Role.SYSTEM_ADMINISTRATOR):
        context["requests_waiting"] = grants.pending_requests().count()
    if role in (Role.PRACTITIONER, Role.TEAM_MANAGER):
        # The home page is the day's work: the first list whole (sortable, by pages), the
        # others counted, and cases newly allocated to the reader.
        from earlyhelp.cases import caseload
        from earlyhelp.cases.views import new_allocations_context, work_list_context

        lists = caseload.lists_for(request.user)
        counts = caseload.counts(request.user, date.today())
        context.update(work_list_context(request, lists[0].slug, counts[lists[0].slug]))
        context["list_counts"] = [(w, counts[w.slug]) for w in lists]
        context["new_allocations"] = new_allocations_context(request)
        from earlyhelp.cases.sessions import sessions_run_this_week

        context["sessions_this_week"] = sessions_run_this_week(request.user, date.today())
        from earlyhelp.cases.closure_views import returned_closures_context

        context["returned_closures"] = returned_closures_context(request)
        from earlyhelp.consent.services import nursery_processing, to_ask

        if nursery_processing() is not None:
            from earlyhelp.consent.media import nursery_teams

            context["consents_to_ask"] = len(to_ask(request.user)[0])
            context["nursery_media"] = nursery_teams(request.user).exists()
    if role == Role.TEAM_MANAGER:
        from earlyhelp.sharing.views import waiting_context

        context["disclosures_waiting"] = waiting_context(request)
        from earlyhelp.access.notices import unread_notices

        context["emergency_access_notices"] = list(unread_notices(request.user))
    if role == Role.INFORMATION_GOVERNANCE:
        context["emergency_waiting"] = (
            flagged_events(unreviewed_only=True).filter(action="break_glass").count()
        )
        from earlyhelp.rights.views import due_lists_context

        context.update(due_lists_context())
        from earlyhelp.extracts.destruction import extracts_awaiting_confirmation

        context["extracts_awaiting_confirmation"] = extracts_awaiting_confirmation(
            timezone.localdate()
        ).count()
    from earlyhelp.retention.services import may_review

    # The policy names who reviews destruction: any such role gets the reviews' link.
    if role in (Role.TEAM_MANAGER, Role.INFORMATION_GOVERNANCE) or may_review(request.user):
        from earlyhelp.retention.views import home_context

        context.update(home_context(request))
    return render(request, f"web/home/{role.value}.html", context)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # The reason names Django internals; the page says only what to do.
    return render(request, "403_csrf.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page: says sorry and names the service, never the failure.

    Rendered without the request's context processors (they may be what failed); the
    service's name comes from the policy when it loads and is left out when it does not.
    """
    context = {"public_page": True}
    try:
        from earlyhelp.policy.active import active_policy

        context["service_name"] = active_policy().service_name
    except Exception:  # noqa: S110 - the page must render whatever broke; Django logs the failure
        pass
    return HttpResponse(loader.render_to_string("500.html", context), status=500)
