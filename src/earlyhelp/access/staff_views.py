"""Staff accounts, managed by the system administrator: who works here, in which roles and teams.

Nothing here reads family records: the administrator sees staff, their roles and teams only.
The credentials made here (a temporary password, an authenticator secret) are shown once, in
the response to the POST that made them: never kept in the session, a message or a log.
"""

import secrets
from base64 import b32encode
from dataclasses import dataclass, replace

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.access.decorators import role_required
from earlyhelp.access.models import User
from earlyhelp.access.roles import Role
from earlyhelp.access.staff_forms import NewStaffForm, StaffDetailsForm
from earlyhelp.access.views import totp_device_for
from earlyhelp.audit.log import record
from earlyhelp.cases.models import Team

ADMIN = Role.SYSTEM_ADMINISTRATOR
# No 0/o, 1/l/i: the password is read out or copied by hand.
READABLE_CHARACTERS = "abcdefghjkmnpqrstuvwxyz23456789"
AUTHENTICATOR_NAME = "Authenticator app"


@dataclass(frozen=True)
class SetUp:
    """What the administrator passes on to the person, shown once."""

    password: str = ""
    secret: str = ""  # base32, in groups of four for reading
    config_url: str = ""


def temporary_password() -> str:
    """Sixteen random characters (about 79 bits) in four groups: xxxx-xxxx-xxxx-xxxx."""
    groups = ("".join(secrets.choice(READABLE_CHARACTERS) for _ in range(4)) for _ in range(4))
    return "-".join(groups)


def new_authenticator(user: User) -> TOTPDevice:
    """Replace every second factor the user has with one new, confirmed TOTP device."""
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=True)


def authenticator_set_up(device: TOTPDevice) -> SetUp:
    secret = b32encode(device.bin_key).decode()
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return SetUp(secret=grouped, config_url=device.config_url)


def roles_of(user: User) -> list[Role]:
    """The user's roles in Role order, from prefetched groups (User.roles queries each time)."""
    held = {group.name for group in user.groups.all()}
    return [role for role in Role if role.value in held]


def set_roles(user: User, roles: list[Role]) -> None:
    # get_or_create: a flushed test database has no groups; other, non-role groups stay.
    wanted = {role.value for role in roles}
    for role in Role:
        group = Group.objects.get_or_create(name=role.value)[0]
        if role.value in wanted:
            user.groups.add(group)
        else:
            user.groups.remove(group)
    user.__dict__.pop("roles", None)  # User.roles is cached


def _account(user_id: int) -> User:
    return get_object_or_404(User, pk=user_id)


@role_required(ADMIN)
@require_safe
def staff_list(request: HttpRequest) -> HttpResponse:
    accounts = (
        User.objects.prefetch_related("groups", Prefetch("teams", Team.objects.order_by("name")))
        .annotate(
            has_authenticator=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        .order_by("-is_active", "last_name", "first_name", "username")
    )
    rows = [(account, roles_of(account)) for account in accounts]
    return render(request, "access/staff/list.html", {"rows": rows})


@role_required(ADMIN)
@require_safe
def staff_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    account = _account(user_id)
    context = {
        "account": account,
        "roles": roles_of(account),
        "teams": account.teams.order_by("name"),
        "has_authenticator": totp_device_for(account) is not None,
        "is_self": account == request.user,
    }
    return render(request, "access/staff/detail.html", context)


@role_required(ADMIN)
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@sensitive_variables("password")
def staff_create(request: HttpRequest) -> HttpResponse:
    form = NewStaffForm(_posted(request), acting=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        password = temporary_password()
        with transaction.atomic():
            # No password given: Django stores an unusable one until set below.
            account = User.objects.create_user(
                username=data["username"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
            set_roles(account, data["roles"])
            account.teams.set(data["teams"])
            account.set_password(password)
            account.save(update_fields=["password"])
            device = new_authenticator(account)
        set_up = replace(authenticator_set_up(device), password=password)
        _audit(request, "create", account)
        return _show_set_up(request, account, set_up, "Account created")
    return render(request, "access/staff/form.html", {"form": form, "account": None})


@role_required(ADMIN)
@require_http_methods(["GET", "HEAD", "POST"])
def staff_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    account = _account(user_id)
    initial = {
        "first_name": account.first_name,
        "last_name": account.last_name,
        "email": account.email,
        "roles": [role.value for role in roles_of(account)],
        "teams": account.teams.all(),
    }
    form = StaffDetailsForm(_posted(request), initial=initial, account=account, acting=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            account.first_name = data["first_name"]
            account.last_name = data["last_name"]
            account.email = data["email"]
            account.save(update_fields=["first_name", "last_name", "email"])
            set_roles(account, data["roles"])
            account.teams.set(data["teams"])
        _audit(request, "change", account, "details and roles")
        messages.success(request, f"{_name(account)}’s account is updated")
        return redirect("staff:detail", user_id=account.pk)
    return render(request, "access/staff/form.html", {"form": form, "account": account})


@role_required(ADMIN)
@require_POST
def staff_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    account = _account(user_id)
    if account == request.user:
        messages.error(
            request,
            "You cannot deactivate your own account, so that you do not lock yourself out. "
            "Ask another system administrator to do it",
        )
    elif account.is_active:
        account.is_active = False
        account.save(update_fields=["is_active"])
        # An inactive user's sessions stop working at their next request (ModelBackend).
        _audit(request, "change", account, "deactivated")
        messages.success(request, f"{_name(account)}’s account is deactivated: they cannot sign in")
    return redirect("staff:detail", user_id=account.pk)


@role_required(ADMIN)
@require_POST
def staff_reactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    account = _account(user_id)
    if not account.is_active:
        account.is_active = True
        account.save(update_fields=["is_active"])
        _audit(request, "change", account, "reactivated")
        messages.success(request, f"{_name(account)}’s account is active again")
    return redirect("staff:detail", user_id=account.pk)


@role_required(ADMIN)
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@sensitive_variables("password")
def staff_reset_password(request: HttpRequest, user_id: int) -> HttpResponse:
    account = _account(user_id)
    if request.method != "POST":
        return _confirm_reset(request, account, "password")
    password = temporary_password()
    account.set_password(password)
    account.save(update_fields=["password"])
    if account == request.user:
        # A new password ends every session of the account; keep this one.
        update_session_auth_hash(request, account)
    _audit(request, "change", account, "password reset")
    return _show_set_up(request, account, SetUp(password=password), "Password reset")


@role_required(ADMIN)
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def staff_reset_second_factor(request: HttpRequest, user_id: int) -> HttpResponse:
    account = _account(user_id)
    if request.method != "POST":
        return _confirm_reset(request, account, "second factor")
    with transaction.atomic():
        device = new_authenticator(account)
    if account == request.user:
        # This session was verified with the device just deleted; keep it signed in.
        otp_login(request, device)
    _audit(request, "change", account, "second factor reset")
    return _show_set_up(request, account, authenticator_set_up(device), "Second factor reset")


def _posted(request: HttpRequest):
    # Not `request.POST or None`: an empty POST must still be a bound form, with its errors.
    return request.POST if request.method == "POST" else None


def _name(account: User) -> str:
    return account.get_full_name() or account.get_username()


def _confirm_reset(request: HttpRequest, account: User, what: str) -> HttpResponse:
    context = {"account": account, "what": what, "is_self": account == request.user}
    return render(request, "access/staff/confirm_reset.html", context)


def _audit(request: HttpRequest, action: str, account: User, what: str = "") -> None:
    """Changes to staff accounts are in the audit trail too (staff ids, never secrets)."""
    details = {"account": account.pk, "roles": sorted(r.value for r in roles_of(account))}
    if what:
        details["change"] = what
    record(request, action=action, record_type="staff-account", details=details)


def _show_set_up(request: HttpRequest, account: User, set_up: SetUp, title: str) -> HttpResponse:
    context = {"account": account, "set_up": set_up, "title": title}
    return render(request, "access/staff/set_up.html", context)
