"""Staff accounts, managed by the system administrator: who works here, in which roles and teams.

Nothing here reads family records: the administrator sees staff, their roles and teams only.
Access is granted by two people (access/grants.py): the administrator asks, and another
administrator or the information governance officer approves.

A temporary password is shown once, in the response to the POST that made it: never kept in
the session, a message or a log. The administrator never sees an authenticator secret: the
person enrols their own authenticator at their first sign-in.
"""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.access import grants
from earlyhelp.access.decorators import role_required
from earlyhelp.access.models import GrantRequest, User
from earlyhelp.access.roles import Role
from earlyhelp.access.staff_forms import DecisionForm, NewStaffForm, StaffDetailsForm, TeamForm
from earlyhelp.access.views import totp_device_for
from earlyhelp.audit.models import Action
from earlyhelp.cases.choices import service_name
from earlyhelp.cases.models import Team
from earlyhelp.encryption import DecryptionError, key_ring
from earlyhelp.web.forms import add_refusal
from earlyhelp.web.once import submitted_once

ADMIN = Role.SYSTEM_ADMINISTRATOR
APPROVERS = tuple(sorted(grants.APPROVER_ROLES))


def roles_of(user: User) -> list[Role]:
    """The user's roles in Role order, from prefetched groups (User.roles queries each time)."""
    held = {group.name for group in user.groups.all()}
    return [role for role in Role if role.value in held]


# Who set the account's sign-in details: shown on its page and to approvers.
SIGN_IN_SETTERS = (
    "password_set_by",
    "authenticator_removed_by",
    "enrolled_with_password_set_by",
    "sign_in_confirmed_by",
)


def _account(user_id: int) -> User:
    return get_object_or_404(User.objects.select_related(*SIGN_IN_SETTERS), pk=user_id)


@role_required(ADMIN)
@require_safe
def staff_list(request: HttpRequest) -> HttpResponse:
    pending = GrantRequest.objects.filter(account=OuterRef("pk"), status="pending")
    accounts = (
        User.objects.prefetch_related("groups", Prefetch("teams", Team.objects.order_by("name")))
        .annotate(
            has_authenticator=Exists(
                TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
            ),
            has_pending_request=Exists(pending),
        )
        .order_by("-is_active", "last_name", "first_name", "username")
    )
    rows = [(account, roles_of(account)) for account in accounts]
    context = {"rows": rows, "waiting": grants.pending_requests().count()}
    return render(request, "access/staff/list.html", context)


@role_required(ADMIN)
@require_safe
def staff_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    account = _account(user_id)
    context = {
        "account": account,
        "roles": roles_of(account),
        "teams": account.teams.order_by("name"),
        "has_authenticator": totp_device_for(account) is not None,
        "pending": grants.pending_request(account),
        "is_self": account == request.user,
    }
    return render(request, "access/staff/detail.html", context)


@role_required(ADMIN)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
@never_cache
@sensitive_variables("password")
def staff_create(request: HttpRequest) -> HttpResponse:
    form = NewStaffForm(_posted(request), acting=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        account, password, grant = grants.create_account(
            request,
            username=data["username"],
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            roles=data["roles"],
            teams=data["teams"],
        )
        return _show_password(request, account, password, "Account created", grant)
    return render(request, "access/staff/form.html", {"form": form, "account": None})


@role_required(ADMIN)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def staff_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    account = _account(user_id)
    is_self = account == request.user
    pending = None if is_self else grants.pending_request(account)
    # The form shows what the account will have: what it holds and what waits for approval.
    roles = set(roles_of(account)) | set(pending.role_list if pending else [])
    teams = set(account.teams.all()) | set(pending.teams.all() if pending else [])
    initial = {
        "first_name": account.first_name,
        "last_name": account.last_name,
        "email": account.email,
        "roles": [role.value for role in Role if role in roles],
        "teams": sorted(teams, key=lambda team: team.name),
    }
    form = StaffDetailsForm(_posted(request), initial=initial, account=account, acting=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # Checked first, outside the transaction, so that the refusal stays recorded.
            grants.check_own_access(request, account, roles=data["roles"], teams=data["teams"])
        except grants.AccessChangeRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            with transaction.atomic():
                account.first_name = data["first_name"]
                account.last_name = data["last_name"]
                account.email = data["email"]
                account.save(update_fields=["first_name", "last_name", "email"])
                change = grants.change_access(
                    request, account, roles=data["roles"], teams=data["teams"]
                )
                grants.audit_account(request, Action.CHANGE, account, change="details")
            messages.success(request, _updated_message(account, change))
            return redirect("staff:detail", user_id=account.pk)
    context = {"form": form, "account": account, "pending": pending, "is_self": is_self}
    return render(request, "access/staff/form.html", context)


def _updated_message(account: User, change: grants.AccessChange) -> str:
    message = f"{_name(account)}’s account is updated"
    if change.pending is not None:
        message += (
            ". What you added works once another system administrator or the information "
            "governance officer approves it"
        )
    return message


@role_required(ADMIN)
@require_POST
def staff_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    account = _account(user_id)
    try:
        if grants.deactivate(request, account):
            messages.success(
                request, f"{_name(account)}’s account is deactivated: they cannot sign in"
            )
    except grants.AccessChangeRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("staff:detail", user_id=account.pk)


@role_required(ADMIN)
@require_POST
def staff_reactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    account = _account(user_id)
    if grants.reactivate(request, account):
        messages.success(request, f"{_name(account)}’s account is active again")
    return redirect("staff:detail", user_id=account.pk)


@role_required(ADMIN)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
@never_cache
@sensitive_variables("password")
def staff_reset_password(request: HttpRequest, user_id: int) -> HttpResponse:
    account = _account(user_id)
    if request.method != "POST":
        return _confirm_reset(request, account, "password")
    try:
        password = grants.reset_password(request, account)
    except grants.AccessChangeRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("staff:detail", user_id=account.pk)
    return _show_password(request, account, password, "Password reset")


@role_required(ADMIN)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def staff_reset_second_factor(request: HttpRequest, user_id: int) -> HttpResponse:
    account = _account(user_id)
    if request.method != "POST":
        return _confirm_reset(request, account, "second factor")
    try:
        grant = grants.request_new_authenticator(request, account)
    except grants.AccessChangeRefused as refusal:
        messages.error(request, str(refusal))
    else:
        if grant is None:
            messages.success(
                request,
                f"{_name(account)}’s authenticator is removed: they will set up a new one "
                "when they next sign in",
            )
        else:
            messages.success(
                request,
                f"The new authenticator for {_name(account)} is waiting for approval by "
                "another system administrator or the information governance officer",
            )
    return redirect("staff:detail", user_id=account.pk)


@role_required(*APPROVERS)
@require_safe
def grant_requests(request: HttpRequest) -> HttpResponse:
    waiting = [
        (grant, grants.why_not_decide(request.user, grant), grants.review(grant))
        for grant in grants.pending_requests()
    ]
    return render(request, "access/staff/requests.html", {"waiting": waiting})


@role_required(*APPROVERS)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def grant_request(request: HttpRequest, public_id) -> HttpResponse:
    grant = get_object_or_404(
        GrantRequest.objects.select_related(
            "account",
            "requested_by",
            "decided_by",
            *(f"account__{setter}" for setter in SIGN_IN_SETTERS),
        ),
        public_id=public_id,
    )
    account = grant.account
    review = grants.review(grant)
    form = DecisionForm(
        _posted(request), check_with_holder=review.check_with_holder, holder=_name(account)
    )
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            grants.decide(
                request,
                grant,
                approve=approve,
                checked_with_holder=form.cleaned_data["checked_with_holder"],
            )
        except grants.AccessChangeRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            outcome = "approved" if approve else "refused"
            messages.success(request, f"Access for {_name(account)} {outcome}")
            return redirect("staff:requests")
    context = {
        "grant": grant,
        "account": account,
        "form": form,
        "why_not": grants.why_not_decide(request.user, grant),
        "review": review,
        "roles": roles_of(account),
        "teams": account.teams.order_by("name"),
        "requested_teams": grant.teams.order_by("name"),
        "has_authenticator": totp_device_for(account) is not None,
    }
    return render(request, "access/staff/request.html", context)


def _posted(request: HttpRequest):
    # Not `request.POST or None`: an empty POST must still be a bound form, with its errors.
    return request.POST if request.method == "POST" else None


def _name(account: User) -> str:
    return account.get_full_name() or account.get_username()


def _confirm_reset(request: HttpRequest, account: User, what: str) -> HttpResponse:
    context = {
        "account": account,
        "what": what,
        "is_self": account == request.user,
        "needs_approval": what == "second factor"
        and bool(roles_of(account) or grants.pending_request(account)),
    }
    return render(request, "access/staff/confirm_reset.html", context)


SET_UP = "staff_set_up"  # the session's key for a temporary password waiting to be shown


def _set_up_context(account: User, session_key: str) -> str:
    # What a password waiting in the session is bound to: this account, this session.
    return f"staff-set-up:{account.pk}:{session_key}"


def _show_password(
    request: HttpRequest,
    account: User,
    password: str,
    title: str,
    grant: GrantRequest | None = None,
) -> HttpResponse:
    """Keep the temporary password for one showing (encrypted with the field keys, in the
    session) and send the browser to the page that shows it (POST, redirect, GET): a
    refresh of that page, or a resend of the form, shows it no more and makes nothing
    again."""
    if not request.session.session_key:
        request.session.save()
    request.session[SET_UP] = {
        "account": account.pk,
        "password": key_ring().encrypt(
            password, _set_up_context(account, request.session.session_key)
        ),
        "title": title,
        "grant": str(grant.public_id) if grant else "",
    }
    return redirect("staff:set_up", user_id=account.pk)


@role_required(ADMIN)
@require_safe
@never_cache
@sensitive_variables("password")
def staff_set_up(request: HttpRequest, user_id: int) -> HttpResponse:
    """The temporary password of an account just made or reset, shown once: the session
    gives it up as the page is drawn; drawn again, the page says it was shown."""
    account = _account(user_id)
    waiting = request.session.pop(SET_UP, None)
    password, title, grant = "", "Temporary password shown already", None
    if waiting and waiting.get("account") == account.pk:
        try:
            password = key_ring().decrypt(
                waiting["password"], _set_up_context(account, request.session.session_key)
            )
        except DecryptionError:
            password = ""
        else:
            title = waiting["title"]
            grant = GrantRequest.objects.filter(public_id=waiting["grant"] or None).first()
    context = {
        "account": account,
        "password": password,
        "title": title,
        "grant": grant,
        "has_authenticator": totp_device_for(account) is not None,
    }
    return render(request, "access/staff/set_up.html", context)


# --- teams ------------------------------------------------------------------------------------


@role_required(ADMIN)
@require_safe
def team_list(request: HttpRequest) -> HttpResponse:
    """Every team, its service (the policy's words) and how many staff and open cases."""
    teams = Team.objects.annotate(
        staff=Count("members", filter=Q(members__is_active=True), distinct=True),
        open_cases=Count("cases", filter=Q(cases__ended__isnull=True), distinct=True),
    ).order_by("name")
    rows = [(team, service_name(team.service)) for team in teams]
    return render(request, "access/staff/teams.html", {"rows": rows})


@role_required(ADMIN)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def team_create(request: HttpRequest) -> HttpResponse:
    """A new team, in one of the policy's services."""
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = grants.create_team(
                request, form.cleaned_data["name"], form.cleaned_data["service"]
            )
        except ValueError as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, f"Team {team.name} created")
            return redirect("staff:teams")
    return render(request, "access/staff/team_form.html", {"form": form, "team": None})


@role_required(ADMIN)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def team_rename(request: HttpRequest, team_id: int) -> HttpResponse:
    """A team's new name (its service, and so its cases, stay as they are)."""
    team = get_object_or_404(Team, pk=team_id)
    form = TeamForm(request.POST or None, team=team, initial={"name": team.name})
    if request.method == "POST" and form.is_valid():
        try:
            grants.rename_team(request, team, form.cleaned_data["name"])
        except ValueError as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, f"Team renamed {team.name}")
            return redirect("staff:teams")
    context = {"form": form, "team": team, "service": service_name(team.service)}
    return render(request, "access/staff/team_form.html", context)
