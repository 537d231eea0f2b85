"""Accounts that set up an authenticator with a temporary password before 0005 recorded it.

Read from the audit trail (staff-account and access-request events, in order): an account
made or password-reset by an administrator, then enrolled before its holder changed that
password, may have been set up by the administrator. It becomes unconfirmed, as one
enrolled today would (access/grants.py): its roles move into a request for approval, which
an approver who has checked with the holder approves. The trail is only read here.
"""

from django.db import migrations

ROLE_NAMES = {
    "practitioner",
    "team-manager",
    "information-governance",
    "analyst",
    "system-administrator",
}


def _replay(events):
    """{account id: (who set the temporary password, when it was enrolled with)}, for the
    accounts that set up an authenticator while their password was a temporary one."""
    state = {}  # account id -> [temporary password's setter, or False; flagged enrolment]
    for event in events:
        details = event.details if isinstance(event.details, dict) else {}
        account = details.get("account")
        if not isinstance(account, int):
            continue
        entry = state.setdefault(account, [False, None])
        change = details.get("change")
        made = event.record_type == "staff-account" and event.action == "create"
        if made or change == "password reset":
            entry[0] = event.actor_id
        elif change == "password changed by its holder":
            entry[0] = False
        elif change == "authenticator enrolled by its holder" and entry[0] is not False:
            # A later reset does not clear it: whoever enrolled may have chosen the password.
            entry[1] = (entry[0], event.at)
    return {account: entry[1] for account, entry in state.items() if entry[1] is not None}


def flag_earlier_enrolments(apps, schema_editor):
    User = apps.get_model("access", "User")
    GrantRequest = apps.get_model("access", "GrantRequest")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    events = (
        AuditEvent.objects.filter(record_type__in=["staff-account", "access-request"])
        .only("id", "at", "actor_id", "action", "record_type", "details")
        .order_by("id")
    )
    for account_id, (setter_id, enrolled_at) in _replay(events.iterator()).items():
        user = User.objects.filter(pk=account_id).first()
        if user is None or user.sign_in_unconfirmed:
            continue
        user.sign_in_unconfirmed = True
        user.enrolled_with_temporary_password = True
        user.enrolled_with_password_set_by_id = (
            setter_id if User.objects.filter(pk=setter_id).exists() else None
        )
        user.authenticator_enrolled_at = enrolled_at
        user.save(
            update_fields=[
                "sign_in_unconfirmed",
                "enrolled_with_temporary_password",
                "enrolled_with_password_set_by",
                "authenticator_enrolled_at",
            ]
        )
        held = list(user.groups.filter(name__in=ROLE_NAMES))
        pending = GrantRequest.objects.filter(account=user, status="pending").first()
        if not held and pending is None:
            continue
        roles = {group.name for group in held} | set(pending.roles if pending else [])
        if pending is not None:
            pending.status = "superseded"
            pending.save(update_fields=["status"])
        grant = GrantRequest.objects.create(
            account=user,
            roles=sorted(roles),
            new_authenticator=bool(pending and pending.new_authenticator),
            requested_by_id=pending.requested_by_id if pending else None,
        )
        if pending is not None:
            grant.teams.set(pending.teams.all())
        user.groups.remove(*held)


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0005_sign_in_provenance"),
        ("audit", "0002_append_only_triggers"),
    ]

    operations = [migrations.RunPython(flag_earlier_enrolments, migrations.RunPython.noop)]
