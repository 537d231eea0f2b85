"""Demo accounts, one per role, for `make demo` and the browser journeys."""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Count, Q
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
    """Create the account and its authenticator, or leave an existing one as it is.

    Made at the command line by whoever runs the demo: its role is given directly, with no
    second person's approval (the staff pages ask for one).
    """
    user, created = User.objects.get_or_create(
        username=account.username,
        defaults={
            "first_name": account.first_name,
            "last_name": account.last_name,
            "email": f"{account.username}@demo.invalid",
            "is_demo": True,
            # Ready to use: the published password is the demo's own, not a temporary one.
            "must_change_password": False,
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


# How many of the team's open cases the demo practitioner holds.
DEMO_CASELOAD = 15
# Unallocated open cases left in the demo team, for the manager's list to show.
LEFT_UNALLOCATED = 3


@transaction.atomic
def join_demo_nursery() -> str | None:
    """Put the demo practitioner and manager in the nursery team with the most open cases
    too (the policy's consent-based processing names the nursery services), so the demo
    shows nursery photo and video consent and the share queue."""
    from earlyhelp.cases.models import Team
    from earlyhelp.consent.services import nursery_processing

    processing = nursery_processing()
    if processing is None:
        return None
    team = (
        Team.objects.filter(service__in=processing.services)
        .annotate(open_cases=Count("cases", filter=Q(cases__ended__isnull=True)))
        .order_by("-open_cases", "name")
        .first()
    )
    if team is None:
        return None
    team.members.add(*User.objects.filter(username__in=["practitioner", "manager"]))
    return team.name


def join_demo_team() -> str | None:
    """Put the demo practitioner and manager in the busiest team, with a caseload.

    The caseload comes from the team's unallocated open cases (leaving a few for the
    manager to allocate), then from its synthetic workers' cases, each allocated by the
    demo manager with an allocation row, as the allocation page would.
    """
    from django.utils import timezone

    from earlyhelp.cases.models import Allocation, Case, Team

    team = (
        Team.objects.annotate(open_cases=Count("cases", filter=Q(cases__ended__isnull=True)))
        .order_by("-open_cases", "name")
        .first()
    )
    if team is None:
        return None
    practitioner = User.objects.get(username="practitioner")
    manager = User.objects.get(username="manager")
    team.members.add(practitioner, manager)
    wanted = DEMO_CASELOAD - Case.objects.filter(team=team, allocated_worker=practitioner).count()
    if wanted <= 0:
        return team.name
    open_cases = Case.objects.filter(team=team, ended__isnull=True).order_by("started", "pk")
    spare = list(open_cases.filter(allocated_worker__isnull=True))
    taken = spare[: max(0, min(wanted, len(spare) - LEFT_UNALLOCATED))]
    taken += open_cases.filter(allocated_worker__is_demo=False, allocated_worker__isnull=False)[
        : wanted - len(taken)
    ]
    now = timezone.now()
    Allocation.objects.bulk_create(
        Allocation(
            case=case,
            worker=practitioner,
            allocated_by=manager,
            allocated_at=now,
            reason="Demo caseload.",
            # The last one not yet opened, so the home page shows a new allocation.
            seen_at=None if position == len(taken) - 1 else now,
        )
        for position, case in enumerate(taken)
    )
    Case.objects.filter(pk__in=[case.pk for case in taken]).update(allocated_worker=practitioner)
    return team.name


def family_to_try() -> str | None:
    """A child on the demo practitioner's caseload with a health condition recorded, by
    name and age, for a first look around (synthetic, from the generator)."""
    from datetime import date

    from earlyhelp.cases.choices import CaseRole
    from earlyhelp.people.models import Person

    child = (
        Person.objects.filter(
            case_memberships__case__allocated_worker__username="practitioner",
            case_memberships__case__ended__isnull=True,
            case_memberships__role=CaseRole.CHILD,
            health__isnull=False,
        )
        .order_by("pk")
        .first()
    )
    if child is None:
        return None
    age = child.age_on(date.today())
    return child.full_name + (f" (age {age})" if age is not None else "")
