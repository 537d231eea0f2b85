"""Demo accounts, one per role, for `make demo` and the browser journeys."""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.access.models import User
from earlyhelp.access.roles import Role

# Published in the README: these accounts exist only in demo databases.
DEMO_PASSWORD = "early-help-demo"  # noqa: S105


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: Role


DEMO_ACCOUNTS = (
    DemoAccount("practitioner", "Priya", "Demo", Role.PRACTITIONER),
    DemoAccount("manager", "Marcus", "Demo", Role.TEAM_MANAGER),
    DemoAccount("governance", "Grace", "Demo", Role.INFORMATION_GOVERNANCE),
    DemoAccount("analyst", "Ade", "Demo", Role.ANALYST),
    DemoAccount("admin", "Alex", "Demo", Role.SYSTEM_ADMINISTRATOR),
)


@transaction.atomic
def ensure_demo_account(account: DemoAccount) -> tuple[User, TOTPDevice]:
    """Create the account and its authenticator, or leave an existing one as it is."""
    user, created = User.objects.get_or_create(
        username=account.username,
        defaults={
            "first_name": account.first_name,
            "last_name": account.last_name,
            "email": f"{account.username}@demo.invalid",
            "is_demo": True,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=account.role.value))
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Demo authenticator", confirmed=True)
    return user, device


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
