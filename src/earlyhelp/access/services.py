"""What the access pages write, as functions: each write with its audit event.

Each function writes in one transaction and records its audit event (if any) in it, so a
write that fails leaves neither its rows nor an event saying it happened. Who may do it is
the caller's to check: these functions write what they are given.
"""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.access import grants
from earlyhelp.access.models import Restriction, User
from earlyhelp.access.roles import Role
from earlyhelp.access.rules import grant_break_glass
from earlyhelp.audit.log import record
from earlyhelp.audit.models import Action
from earlyhelp.datamap.registry import categories_of
from earlyhelp.people.models import Person
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.decisions.common import add_period

AUTHENTICATOR_NAME = "Authenticator app"


class RestrictionRefused(ValueError):
    """A restriction that cannot be made; ``str()`` is the message a person reads."""


def open_in_emergency(request: HttpRequest, person: Person, reason: str) -> None:
    """Open `person`'s record to the requesting user in an emergency, for BREAK_GLASS_SECONDS.

    One "break_glass" event against the person, flagged for review, with the reason. The
    grant is the session's (access.rules.grant_break_glass), given only once the event is
    written. Raises ValueError for a reason the audit trail refuses (too long), with
    nothing granted.
    """
    with transaction.atomic():
        record(
            request,
            action="break_glass",
            record_type="person",
            record_id=str(person.public_id),
            reason=reason,
            flagged=True,
            rule="access:break-glass",
        )
    grant_break_glass(request, person)


def restriction_review_on(today: date) -> date | None:
    """When a restriction made or changed `today` is next reviewed: the policy's
    casework.restriction_review_within from today (None when the policy sets none)."""
    within = active_policy().casework.restriction_review_within
    return add_period(today, within) if within is not None else None


@transaction.atomic
def restrict_record(
    request: HttpRequest, person: Person, reason: str, named_users: Iterable[int]
) -> Restriction:
    """Close `person`'s record to all but `named_users` (user pks), made or changed by the
    requesting user, due for review by the policy's period from today; one "restrict"
    event against the person, with the reason, the pks and whether it was made or changed.

    Raises RestrictionRefused when the requesting user is not among `named_users` (they
    could not open it either), with nothing written.
    """
    named = list(named_users)
    if request.user.pk not in named:
        raise RestrictionRefused("Include yourself, or you could not open it either")
    existing = Restriction.objects.select_for_update().filter(person=person).first()
    now = timezone.now()
    review_on = restriction_review_on(timezone.localdate())
    if existing is None:
        restriction = Restriction.objects.create(
            person=person, reason=reason, created_by=request.user, review_on=review_on
        )
    else:
        restriction = existing
        restriction.reason = reason
        restriction.changed_by, restriction.changed_at = request.user, now
        restriction.review_on = review_on
        restriction.save(update_fields=["reason", "changed_by", "changed_at", "review_on"])
    restriction.named_users.set(named)
    record(
        request,
        action="restrict",
        record_type="person",
        record_id=person.public_id,
        categories=categories_of(Restriction),
        reason=reason,
        details={
            "what": "restriction changed" if existing else "restriction made",
            "named_users": named,
        },
    )
    return restriction


def may_lift(user: User, restriction: Restriction) -> bool:
    """Who may lift a restriction: the information governance officer, or the team manager
    who made it or last changed it (its owner, whom the refused are told to ask) while it
    still names them: a manager it no longer names cannot open the record, so not this."""
    if user.has_role(Role.INFORMATION_GOVERNANCE):
        return True
    owner = restriction.changed_by_id or restriction.created_by_id
    return (
        user.has_role(Role.TEAM_MANAGER)
        and owner == user.pk
        and restriction.named_users.filter(pk=user.pk).exists()
    )


@transaction.atomic
def lift_restriction(request: HttpRequest, person: Person, reason: str) -> None:
    """Open `person`'s record again to those their allocation allows: the restriction goes,
    and one "restrict" event against the person says it was lifted, by whom and why.

    Raises RestrictionRefused when the record is not restricted, the user may not lift it
    (may_lift), or no reason is given, with nothing written."""
    restriction = Restriction.objects.select_for_update().filter(person=person).first()
    if restriction is None:
        raise RestrictionRefused("This record is not restricted")
    if not may_lift(request.user, restriction):
        raise RestrictionRefused(
            "Only the manager who made the restriction or the information governance "
            "officer may lift it"
        )
    reason = (reason or "").strip()
    if not reason:
        raise RestrictionRefused("Enter why the restriction is lifted")
    named = list(restriction.named_users.values_list("pk", flat=True))
    restriction.delete()
    record(
        request,
        action="restrict",
        record_type="person",
        record_id=person.public_id,
        categories=categories_of(Restriction),
        reason=reason,
        details={"what": "restriction lifted", "named_users": named},
    )


@transaction.atomic
def new_enrolment(user: User) -> TOTPDevice:
    """A fresh, unconfirmed authenticator for this sign-in only. Not audited: enrolment is,
    when it is confirmed (confirm_enrolment).

    Any earlier unconfirmed one goes: a secret shown to an earlier sign-in (someone else
    who knew the temporary password, say) is never the one confirmed now.
    """
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


@transaction.atomic
def confirm_enrolment(request: HttpRequest, user: User, device: TOTPDevice) -> None:
    """Make `device` the user's only authenticator, once its code was right.

    The audit events are grants.authenticator_enrolled's; with a temporary password, it
    suspends the account's roles until an approver checks with its holder that it was them.
    """
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    grants.authenticator_enrolled(request, user)


@transaction.atomic
def change_own_password(request: HttpRequest, user: User, new_password: str) -> None:
    """The holder's new password (checked by the form); one "change" event on the account.

    The caller keeps the holder's session going (update_session_auth_hash): a new password
    ends every other session of the account.
    """
    user.set_password(new_password)
    grants.password_changed_by_holder(user)
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    record(
        request,
        action=Action.CHANGE,
        record_type="staff-account",
        details={"account": user.pk, "change": "password changed by its holder"},
    )
