"""Staff accounts' access: taking it away takes one person, granting it takes two.

- Nobody changes their own roles, teams or sign-in details here (the self-service
  change-password page is the one exception): the attempt is refused and audited.
- Adding a role or a team, to a new account or an existing one, waits in a GrantRequest
  until an approver who is neither the requester nor the account's holder approves it.
  Approvers are system administrators and information governance officers. Every role
  needs approval: four of them open family data, and the system administrator's role
  approves grants, so one administrator could otherwise make a second administrator
  account and approve their own requests with it.
- Every team addition needs approval too. A team opens its cases to the practitioners and
  team managers in it; for anyone else it opens nothing today, but roles and teams combine
  (a practitioner role granted later opens every team already held), so the approver
  judges each addition against the account's whole access, on one rule.
- A new authenticator for an account that holds or is waiting for a role needs approval:
  the next person to sign in with the password enrols it, so resetting it (with a password
  reset, which the administrator sees) would hand the account to the administrator.
- Whoever knows an account's temporary password (the administrator who set it, at creation
  or by a reset) can set up its authenticator, if it has none, before its holder does. The
  system cannot tell who did, so an authenticator set up in a sign-in with a temporary
  password leaves the account *unconfirmed* (User.sign_in_unconfirmed): its roles are
  suspended at once (moved into a request for approval) and no role works until an
  approver, who is not the one who set that password, ticks that they have checked with
  the holder themselves that they set it up. Removing roles, deactivating or resetting
  again does not clear it: only that approval does. So deactivate, reset, reactivate and
  ask again leads to the same check.
- A role or team is approved only once the account's holder has signed in since an
  administrator last set its password or removed its authenticator: it has its own
  password and an authenticator. Until then an approver can refuse, not approve.
- Removing roles or teams and deactivating take effect at once.

Every change, refusal and decision is an audit event: record type `staff-account` for
what happens to an account, `access-request` (record id: the request's public id) for
requests and their decisions. Staff ids and role names only, never a password or secret.
"""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NoReturn

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.access.models import GrantRequest, User
from earlyhelp.access.roles import Role
from earlyhelp.audit.log import record
from earlyhelp.audit.models import Action
from earlyhelp.cases.models import Team

FAMILY_DATA_ROLES = frozenset(
    {Role.PRACTITIONER, Role.TEAM_MANAGER, Role.INFORMATION_GOVERNANCE, Role.ANALYST}
)
APPROVER_ROLES = frozenset({Role.SYSTEM_ADMINISTRATOR, Role.INFORMATION_GOVERNANCE})
NEEDS_APPROVAL = FAMILY_DATA_ROLES | APPROVER_ROLES

# No 0/o, 1/l/i: the password is read out or copied by hand.
READABLE_CHARACTERS = "abcdefghjkmnpqrstuvwxyz23456789"

OWN_ACCESS = "You cannot change your own roles or teams. Ask another system administrator to do it"
OWN_SIGN_IN = (
    "You cannot reset your own {what} here. Use “Change your password”, or ask another "
    "system administrator"
)
OWN_ACCOUNT_STATUS = (
    "You cannot deactivate your own account, so that you do not lock yourself out. "
    "Ask another system administrator to do it"
)


CHECK_WITH_HOLDER = (
    "Tick to confirm that you have checked with {name} themselves, in person or by calling "
    "a number you know is theirs, that they set up this account's authenticator app. "
    "If you cannot, refuse the request"
)


class AccessChangeRefused(Exception):
    """A change the rules forbid. The message names the rule, for the person who tried."""


def temporary_password() -> str:
    """Sixteen random characters (about 79 bits) in four groups: xxxx-xxxx-xxxx-xxxx."""
    groups = ("".join(secrets.choice(READABLE_CHARACTERS) for _ in range(4)) for _ in range(4))
    return "-".join(groups)


def held_roles(user: User) -> set[Role]:
    """The roles the user holds now, read afresh (User.roles is cached)."""
    known = {role.value for role in Role}
    return {Role(name) for name in user.groups.values_list("name", flat=True) if name in known}


def _add_roles(user: User, roles: Iterable[Role]) -> None:
    # get_or_create: a flushed test database has no groups.
    user.groups.add(*(Group.objects.get_or_create(name=role.value)[0] for role in roles))
    user.__dict__.pop("roles", None)


def _remove_roles(user: User, roles: Iterable[Role]) -> None:
    user.groups.remove(*Group.objects.filter(name__in=[role.value for role in roles]))
    user.__dict__.pop("roles", None)


def _role_values(roles: Iterable[Role]) -> list[str]:
    return sorted(role.value for role in roles)


def _team_ids(teams: Iterable[Team]) -> list[int]:
    return sorted(team.pk for team in teams)


def _name(account: User) -> str:
    return account.get_full_name() or account.get_username()


def audit_account(
    request: HttpRequest, action: str, account: User, *, actor: User | None = None, **details
) -> None:
    """An event about a staff account (its id and roles, never a secret)."""
    record(
        request,
        action=action,
        record_type="staff-account",
        actor=actor,
        details={"account": account.pk, "roles": _role_values(held_roles(account)), **details},
    )


def _audit_request(
    request: HttpRequest,
    action: str,
    grant: GrantRequest,
    *,
    actor: User | None = None,
    **details,
) -> None:
    record(
        request,
        action=action,
        record_type="access-request",
        record_id=grant.public_id,
        actor=actor,
        details={
            "account": grant.account_id,
            "roles": _role_values(grant.role_list),
            "teams": _team_ids(grant.teams.all()),
            "new_authenticator": grant.new_authenticator,
            "status": grant.status,
            **details,
        },
    )


def _refuse(request: HttpRequest, account: User, message: str, attempted: str) -> NoReturn:
    """Record the refused attempt, then raise: the refusal stays in the trail."""
    audit_account(request, Action.CHANGE, account, refused=attempted)
    raise AccessChangeRefused(message)


# -- requests --------------------------------------------------------------------------------


def pending_request(account: User) -> GrantRequest | None:
    return GrantRequest.objects.filter(account=account, status=GrantRequest.Status.PENDING).first()


def pending_requests() -> QuerySet[GrantRequest]:
    """What approvers have to decide, oldest first."""
    return (
        GrantRequest.objects.filter(status=GrantRequest.Status.PENDING)
        .select_related("account", "requested_by")
        .prefetch_related("teams")
        .order_by("requested_at", "id")
    )


def _replace_pending(
    request: HttpRequest,
    account: User,
    *,
    roles: set[Role],
    teams: set[Team],
    new_authenticator: bool,
    requested_by: User | None,
    actor: User | None = None,
    renew: bool = False,
) -> GrantRequest | None:
    """Make the account's pending request ask for exactly this, or for nothing.

    An unchanged request stays as it is (unless `renew`: what an approver read of the
    account has changed); a changed one is superseded by a new one, so that an approver
    never approves something other than what they read.
    """
    pending = (
        GrantRequest.objects.select_for_update()
        .filter(account=account, status=GrantRequest.Status.PENDING)
        .first()
    )
    if (
        pending is not None
        and not renew
        and (
            set(pending.role_list) == roles
            and set(pending.teams.all()) == teams
            and pending.new_authenticator == new_authenticator
        )
    ):
        return pending
    wanted = bool(roles or teams or new_authenticator)
    if pending is not None:
        pending.status = GrantRequest.Status.SUPERSEDED if wanted else GrantRequest.Status.WITHDRAWN
        pending.save(update_fields=["status"])
        if not wanted:
            _audit_request(request, Action.CHANGE, pending, actor=actor)
    if not wanted:
        return None
    grant = GrantRequest.objects.create(
        account=account,
        roles=_role_values(roles),
        new_authenticator=new_authenticator,
        requested_by=requested_by,
    )
    grant.teams.set(teams)
    replaced = {"replaces": str(pending.public_id)} if pending is not None else {}
    _audit_request(request, Action.CREATE, grant, actor=actor, **replaced)
    return grant


def check_own_access(
    request: HttpRequest, account: User, *, roles: Iterable[Role], teams: Iterable[Team]
) -> None:
    """Refuse (recorded) a change to one's own roles or teams.

    Call it before a transaction that would roll the record of the refusal back.
    """
    if account.pk != request.user.pk:
        return
    if set(roles) != held_roles(account) or set(teams) != set(account.teams.all()):
        _refuse(request, account, OWN_ACCESS, "own roles or teams")


@dataclass(frozen=True)
class AccessChange:
    removed_roles: frozenset[Role]
    removed_teams: frozenset[Team]
    pending: GrantRequest | None  # what now waits for approval, if anything


def change_access(
    request: HttpRequest, account: User, *, roles: Iterable[Role], teams: Iterable[Team]
) -> AccessChange:
    """Give the account these roles and teams: what is taken away at once, the rest on approval.

    What the form asks for is compared with what the account holds now: a role or team it
    holds and the form leaves out is removed; one the form adds waits for approval (in one
    pending request, replacing any earlier one; a pending new authenticator is kept).
    """
    roles, teams = set(roles), set(teams)
    check_own_access(request, account, roles=roles, teams=teams)
    current_roles, current_teams = held_roles(account), set(account.teams.all())
    with transaction.atomic():
        removed_roles, removed_teams = current_roles - roles, current_teams - teams
        if removed_roles:
            _remove_roles(account, removed_roles)
        if removed_teams:
            account.teams.remove(*removed_teams)
        pending = pending_request(account)
        pending = _replace_pending(
            request,
            account,
            roles=roles - current_roles,
            teams=teams - current_teams,
            new_authenticator=pending is not None and pending.new_authenticator,
            requested_by=request.user,
        )
        if removed_roles or removed_teams:
            audit_account(
                request,
                Action.CHANGE,
                account,
                change="access removed",
                removed_roles=_role_values(removed_roles),
                removed_teams=_team_ids(removed_teams),
            )
    return AccessChange(frozenset(removed_roles), frozenset(removed_teams), pending)


def create_account(
    request: HttpRequest,
    *,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    roles: Iterable[Role],
    teams: Iterable[Team],
) -> tuple[User, str, GrantRequest | None]:
    """A new account with a temporary password, its roles and teams waiting for approval.

    The holder changes the password, and enrols their own authenticator, at first sign-in;
    the roles and teams are approved after that, once an approver has checked with them.
    Returns the account, the password (to show once) and the pending request.
    """
    password = temporary_password()
    with transaction.atomic():
        account = User.objects.create_user(
            username=username,
            email=email,
            first_name=first_name,
            last_name=last_name,
            password=password,
        )
        _password_set(request, account)
        audit_account(request, Action.CREATE, account)
        grant = _replace_pending(
            request,
            account,
            roles=set(roles),
            teams=set(teams),
            new_authenticator=False,
            requested_by=request.user,
        )
    return account, password, grant


def _password_set(request: HttpRequest, account: User) -> None:
    """The account's password is one request.user knows: a temporary one, until changed."""
    account.must_change_password = True
    account.password_set_by = request.user
    account.password_set_at = timezone.now()
    account.save(
        update_fields=["password", "must_change_password", "password_set_by", "password_set_at"]
    )


def reset_password(request: HttpRequest, account: User) -> str:
    """A new temporary password, shown once; the holder must change it at next sign-in.

    Any session the account has open ends (the session hash no longer matches). Their
    authenticator is untouched, so the administrator who sees the password cannot sign in
    with it alone; an authenticator set up with it later suspends the account's roles until
    an approver checks with its holder (authenticator_enrolled).
    """
    if account.pk == request.user.pk:
        _refuse(request, account, OWN_SIGN_IN.format(what="password"), "own password reset")
    password = temporary_password()
    with transaction.atomic():
        account.set_password(password)
        _password_set(request, account)
        audit_account(request, Action.CHANGE, account, change="password reset")
    return password


def remove_authenticators(account: User, *, by: User | None) -> None:
    """Remove the account's authenticators; `by` is the administrator who asked.

    Whether the account's sign-in waits to be checked with its holder is left as it is: a
    reset does not clear it.
    """
    for device in devices_for_user(account, confirmed=None):
        device.delete()
    account.authenticator_removed_by = by
    account.authenticator_removed_at = timezone.now()
    account.authenticator_enrolled_at = None
    account.enrolled_with_temporary_password = False
    account.enrolled_with_password_set_by = None
    account.save(
        update_fields=[
            "authenticator_removed_by",
            "authenticator_removed_at",
            "authenticator_enrolled_at",
            "enrolled_with_temporary_password",
            "enrolled_with_password_set_by",
        ]
    )


def has_authenticator(account: User) -> bool:
    return TOTPDevice.objects.filter(user=account, confirmed=True).exists()


def authenticator_enrolled(request: HttpRequest, account: User) -> None:
    """Record an authenticator set up at sign-in; if with a temporary password, suspend.

    Called by the enrolment page, in its transaction, before the sign-in completes. With a
    temporary password, whoever knew it (its administrator included) may have set up the
    authenticator: the account becomes unconfirmed, its roles move into a request for
    approval (a pending request is renewed, so that an approver re-reads the account), and
    only an approver who has checked with the holder gives them back.
    """
    temporary = account.must_change_password
    account.authenticator_enrolled_at = timezone.now()
    account.enrolled_with_temporary_password = temporary
    account.enrolled_with_password_set_by_id = account.password_set_by_id if temporary else None
    fields = [
        "authenticator_enrolled_at",
        "enrolled_with_temporary_password",
        "enrolled_with_password_set_by",
    ]
    if temporary:
        account.sign_in_unconfirmed = True
        account.sign_in_confirmed_by = None
        account.sign_in_confirmed_at = None
        fields += ["sign_in_unconfirmed", "sign_in_confirmed_by", "sign_in_confirmed_at"]
    account.save(update_fields=fields)
    account.__dict__.pop("roles", None)
    audit_account(
        request,
        Action.CHANGE,
        account,
        actor=account,
        change="authenticator enrolled at sign-in",
        temporary_password=temporary,
        password_set_by=account.enrolled_with_password_set_by_id,
    )
    if not temporary:
        return
    suspended = held_roles(account)
    pending = pending_request(account)
    if suspended:
        _remove_roles(account, suspended)
    if suspended or pending is not None:
        _replace_pending(
            request,
            account,
            roles=suspended | set(pending.role_list if pending else ()),
            teams=set(pending.teams.all()) if pending else set(),
            new_authenticator=pending is not None and pending.new_authenticator,
            requested_by=pending.requested_by if pending else None,
            actor=account,
            renew=True,
        )
    audit_account(
        request,
        Action.CHANGE,
        account,
        actor=account,
        change="sign-in unconfirmed: roles suspended until an approver checks with the holder",
        suspended_roles=_role_values(suspended),
    )


def password_changed_by_holder(account: User) -> None:
    """The holder chose their own password (the caller sets and saves it, and audits)."""
    account.must_change_password = False
    account.password_changed_at = timezone.now()


def request_new_authenticator(request: HttpRequest, account: User) -> GrantRequest | None:
    """Remove the account's authenticator, so that its holder enrols a new one at sign-in.

    At once for an account with no role and none waiting (it opens nothing); otherwise
    on approval, as part of the account's pending request. Returns that request, or None
    when done at once.
    """
    if account.pk == request.user.pk:
        _refuse(
            request, account, OWN_SIGN_IN.format(what="second factor"), "own second factor reset"
        )
    with transaction.atomic():
        pending = pending_request(account)
        if not held_roles(account) and pending is None:
            remove_authenticators(account, by=request.user)
            audit_account(request, Action.CHANGE, account, change="second factor reset")
            return None
        return _replace_pending(
            request,
            account,
            roles=set(pending.role_list) if pending else set(),
            teams=set(pending.teams.all()) if pending else set(),
            new_authenticator=True,
            requested_by=request.user,
        )


def deactivate(request: HttpRequest, account: User) -> bool:
    """Stop the account signing in, at once; its pending request is withdrawn."""
    if account.pk == request.user.pk:
        _refuse(request, account, OWN_ACCOUNT_STATUS, "own deactivation")
    if not account.is_active:
        return False
    with transaction.atomic():
        account.is_active = False
        account.save(update_fields=["is_active"])
        # An inactive user's sessions stop working at their next request (ModelBackend).
        _replace_pending(
            request,
            account,
            roles=set(),
            teams=set(),
            new_authenticator=False,
            requested_by=request.user,
        )
        audit_account(request, Action.CHANGE, account, change="deactivated")
    return True


def reactivate(request: HttpRequest, account: User) -> bool:
    if account.is_active:
        return False
    with transaction.atomic():
        account.is_active = True
        account.save(update_fields=["is_active"])
        audit_account(request, Action.CHANGE, account, change="reactivated")
    return True


# -- decisions -------------------------------------------------------------------------------


def why_not_decide(user: User, grant: GrantRequest) -> str | None:
    """Why `user` may not approve or refuse `grant`, or None when they may."""
    if grant.status != GrantRequest.Status.PENDING:
        return f"This request is no longer waiting: it is {grant.get_status_display().lower()}"
    if not user.has_role(*APPROVER_ROLES):
        return (
            "Only a system administrator or an information governance officer can decide "
            "requests for access"
        )
    if user.pk == grant.requested_by_id:
        return "You asked for this change: another approver must decide it"
    account = grant.account
    if user.pk == account.pk:
        return "This request is for your own account: another approver must decide it"
    # Whoever knew a temporary password may have set up the account's sign-in with it.
    if account.must_change_password and user.pk == account.password_set_by_id:
        return "You set this account's temporary password: another approver must decide"
    if account.sign_in_unconfirmed and user.pk == account.enrolled_with_password_set_by_id:
        return (
            "You set the temporary password this account's authenticator was set up with: "
            "another approver must decide"
        )
    return None


def adds_access(grant: GrantRequest) -> bool:
    return bool(grant.roles) or grant.teams.exists()


def signed_in_since_reset(account: User) -> bool:
    """The holder has their own password and an authenticator again.

    False from an administrator setting a temporary password or removing the
    authenticator until the next sign-in completes both.
    """
    return not account.must_change_password and has_authenticator(account)


def why_not_approve(grant: GrantRequest) -> str | None:
    """Why nobody may approve `grant` yet (they may still refuse it), or None."""
    account = grant.account
    if not account.is_active:
        return "The account is deactivated: reactivate it first"
    if adds_access(grant) and not signed_in_since_reset(account):
        return (
            f"{_name(account)} has not yet signed in to set up their own authenticator app "
            "and password since an administrator last set them. Approve once they have; "
            "you can refuse now"
        )
    return None


def needs_check_with_holder(grant: GrantRequest) -> bool:
    """Approving needs the approver to have checked with the holder that the sign-in is theirs."""
    return grant.account.sign_in_unconfirmed and adds_access(grant)


@dataclass(frozen=True)
class SignInReview:
    """What an approver reads about who set up the account's sign-in."""

    why_not_approve: str | None
    check_with_holder: bool  # approving needs the tick
    set_by_requester: bool  # who asked also set the password its sign-in was set up with
    temporary_by_requester: bool  # who asked set the temporary password it has now


def review(grant: GrantRequest) -> SignInReview:
    account, asker = grant.account, grant.requested_by_id
    return SignInReview(
        why_not_approve=why_not_approve(grant),
        check_with_holder=needs_check_with_holder(grant),
        set_by_requester=asker is not None
        and account.sign_in_unconfirmed
        and asker == account.enrolled_with_password_set_by_id,
        temporary_by_requester=asker is not None
        and account.must_change_password
        and asker == account.password_set_by_id,
    )


def decide(
    request: HttpRequest,
    grant: GrantRequest,
    *,
    approve: bool,
    checked_with_holder: bool = False,
) -> GrantRequest:
    """Approve (apply what it asks) or refuse a pending request, as request.user.

    Approving access for an unconfirmed account needs `checked_with_holder`: the approver
    says they checked with its holder that they set up its sign-in; that confirms it.
    """
    with transaction.atomic():
        locked = GrantRequest.objects.select_for_update().get(pk=grant.pk)
        reason = why_not_decide(request.user, locked)
        if reason is None and approve:
            reason = why_not_approve(locked)
        checking = approve and needs_check_with_holder(locked)
        if reason is None and checking and not checked_with_holder:
            reason = CHECK_WITH_HOLDER.format(name=_name(locked.account))
        if reason is None:
            account = locked.account
            if approve:
                if checking:
                    account.sign_in_unconfirmed = False
                    account.sign_in_confirmed_by = request.user
                    account.sign_in_confirmed_at = timezone.now()
                    account.save(
                        update_fields=[
                            "sign_in_unconfirmed",
                            "sign_in_confirmed_by",
                            "sign_in_confirmed_at",
                        ]
                    )
                    audit_account(
                        request,
                        Action.CHANGE,
                        account,
                        change="sign-in checked with its holder",
                        password_set_by=account.enrolled_with_password_set_by_id,
                        access_request=str(locked.public_id),
                    )
                _add_roles(account, locked.role_list)
                account.teams.add(*locked.teams.all())
                if locked.new_authenticator:
                    remove_authenticators(account, by=locked.requested_by or request.user)
            locked.status = GrantRequest.Status.APPROVED if approve else GrantRequest.Status.REFUSED
            locked.decided_by = request.user
            locked.decided_at = timezone.now()
            locked.save(update_fields=["status", "decided_by", "decided_at"])
            _audit_request(
                request,
                Action.CHANGE,
                locked,
                requested_by=locked.requested_by_id,
                checked_with_holder=checking,
            )
            return locked
    # Outside the transaction, so the refused attempt stays recorded.
    attempted = f"{'approve' if approve else 'refuse'} access request {grant.public_id}"
    _refuse(request, grant.account, reason, attempted)


@transaction.atomic
def create_team(request: HttpRequest, name: str, service: str) -> Team:
    """A new team in `service` (a policy service or sub-service id), audited. The caller
    has checked the name (staff_forms.TeamForm) and that the user is an administrator.

    Raises ValueError for a service the policy does not declare, or ("name: ...") for a
    name another team was given since the form checked it."""
    from earlyhelp.cases.choices import service_choices

    if service not in dict(service_choices()):
        raise ValueError(f"service: {service!r} is not a service of the policy")
    try:
        with transaction.atomic():
            team = Team.objects.create(name=name, service=service)
    except IntegrityError:
        # Another team of that name was saved between the form's check and this one.
        raise ValueError(f"name: There is a team called {name} already") from None
    record(
        request,
        action="create",
        record_type="team",
        details={"what": "team created", "team": team.pk, "name": name, "service": service},
    )
    return team


@transaction.atomic
def rename_team(request: HttpRequest, team: Team, name: str) -> Team:
    """Give `team` a new name, audited with the old and the new (a team's name is not
    about a family)."""
    old = team.name
    team.name = name
    try:
        with transaction.atomic():
            team.save(update_fields=["name"])
    except IntegrityError:
        team.name = old
        raise ValueError(f"name: There is a team called {name} already") from None
    record(
        request,
        action="change",
        record_type="team",
        details={"what": "team renamed", "team": team.pk, "from": old, "to": name},
    )
    return team
