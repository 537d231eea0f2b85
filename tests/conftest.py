import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django.test import override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from earlyhelp.access.models import User
from earlyhelp.access.roles import Role
from earlyhelp.audit.keys import AuditKeys, ensure_audit_key, key_ring
from earlyhelp.cases.models import Team
from earlyhelp.cases.services import open_case
from earlyhelp.people.models import Address, Household, HouseholdMember, Person, Relationship

STRONG_PASSWORD = "correct-horse-battery-staple"


def use_audit_keys(keys_dir: Path) -> AuditKeys:
    """Load the audit keys in `keys_dir` as the ones this process records and verifies with."""
    key_ring.cache_clear()
    with override_settings(KEYS_DIR=keys_dir):
        return key_ring()


# Every record the tests make is synthetic, so NHS numbers of the test range (999...) are
# accepted, as in the demo; commands the tests run in a subprocess inherit the variable.
os.environ.setdefault("EARLYHELP_SYNTHETIC_DATA", "true")

# Tests assert rules, never speed: Hypothesis's per-example deadline and its health check
# on slow generation are timings, which a loaded two-core CI machine fails at random.
hypothesis_settings.register_profile(
    "earlyhelp", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("earlyhelp")


@pytest.fixture(scope="session", autouse=True)
def synthetic_data() -> Iterator[None]:
    """The settings say the data is synthetic (they were read before this file was)."""
    with override_settings(SYNTHETIC_DATA=True):
        yield


@pytest.fixture(scope="session", autouse=True)
def quick_passwords() -> Iterator[None]:
    """Passwords are hashed with MD5 in tests: Argon2 costs a tenth of a second a user.

    The service's own hashers are checked in tests/access/test_password_hashing.py.
    """
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def audit_key(tmp_path_factory) -> Iterator[Path]:
    """The session's audit key and anchor folder, never the developer's.

    Every write records an audit event, and none is recorded without the key. It is
    loaded once, as the service loads it at start-up, so a test that points KEYS_DIR at a
    folder of its own still records.
    """
    keys_dir = tmp_path_factory.mktemp("session-keys")
    ensure_audit_key(keys_dir)
    use_audit_keys(keys_dir)
    with override_settings(AUDIT_ANCHOR_DIR=keys_dir / "audit-anchors"):
        yield keys_dir
    key_ring.cache_clear()


@pytest.fixture(autouse=True)
def documents_folder(tmp_path_factory) -> Iterator[Path]:
    """Each test keeps uploaded documents in a folder of its own, never the project's var/.

    A file left behind in a shared folder outlives the rows that named it, and a later
    test that walks the folder (key rotation re-encrypts every file) trips over it.
    """
    folder = tmp_path_factory.mktemp("documents")
    with override_settings(DOCUMENTS_DIR=folder):
        yield folder


@pytest.fixture
def make_user(db):
    """A member of staff with the given roles and a confirmed authenticator."""

    def make(username: str = "worker", *roles: Role, password: str = STRONG_PASSWORD) -> User:
        user = User.objects.create_user(username=username, password=password, first_name="Sam")
        # get_or_create: transactional tests empty the tables the migrations filled.
        user.groups.set([Group.objects.get_or_create(name=role.value)[0] for role in roles])
        TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
        return user

    return make


@pytest.fixture
def request_as():
    """A POST request made by `user` (with a session), for calling services directly."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    def make(user: User) -> HttpRequest:
        request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.10")
        request.user = user
        request.session = SessionStore()
        return request

    return make


@pytest.fixture
def sign_in(client):
    """Sign `user` in on the test client, second factor included."""

    def sign_in_user(user: User):
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
        session.save()
        return client

    return sign_in_user


@pytest.fixture
def family(db):
    """A mother and two children at one address, and a father living elsewhere."""
    address = Address.objects.create(line_1="12 Malden Road", town="London", postcode="NW5 3HS")
    household = Household.objects.create(address=address)
    mum = Person.objects.create(
        given_name="Amira", family_name="Haddad", date_of_birth=date(1990, 5, 1)
    )
    yusuf = Person.objects.create(
        given_name="Yusuf", family_name="Haddad", date_of_birth=date(2016, 2, 9)
    )
    leila = Person.objects.create(
        given_name="Leila", family_name="Haddad", date_of_birth=date(2021, 8, 30)
    )
    dad = Person.objects.create(
        given_name="Tomasz", family_name="Nowak", date_of_birth=date(1988, 1, 3)
    )
    for person in (mum, yusuf, leila):
        HouseholdMember.objects.create(household=household, person=person)
    for child in (yusuf, leila):
        Relationship.objects.create(
            person=mum,
            relative=child,
            kind="parent",
            has_parental_responsibility=True,
            source="family",
        )
        Relationship.objects.create(
            person=dad,
            relative=child,
            kind="parent",
            has_parental_responsibility=True,
            source="family",
        )
    Relationship.objects.create(person=yusuf, relative=leila, kind="sibling", source="family")
    return {"household": household, "mum": mum, "yusuf": yusuf, "leila": leila, "dad": dad}


@pytest.fixture
def team(db):
    return Team.objects.create(
        name="North family support", service="family-support-and-complex-families"
    )


@pytest.fixture
def case(family, team):
    return open_case(
        service="family-support-and-complex-families",
        household=family["household"],
        children=[family["yusuf"], family["leila"]],
        family=[family["mum"]],
        reason="School attendance and housing worries",
        team=team,
        started=date(2026, 9, 1),
        created_by=None,
    )


@pytest.fixture
def practitioner(client, make_user, sign_in, team, case):
    """A practitioner in the team that holds the family's case, signed in."""
    user = make_user("priya", Role.PRACTITIONER)
    team.members.add(user)
    sign_in(user)
    return user


@pytest.fixture
def manager(client, make_user, sign_in, team, case):
    """The manager of the team that holds the family's case, signed in."""
    user = make_user("marcus", Role.TEAM_MANAGER)
    team.members.add(user)
    sign_in(user)
    return user


# --- a nursery: Leila on an open case of the nursery service (the policy's eyLog service),
# her key person and the nursery's manager (consent tests and their browser journey).

NURSERY = "integrated-early-years"


@pytest.fixture
def nursery_team(db):
    return Team.objects.create(name="Kentish Town nursery", service=NURSERY)


@pytest.fixture
def nursery_case(family, nursery_team):
    # Leila as a three-year-old here: nurseries take children under school age (the
    # policy's consent_processing.children_under).
    family["leila"].date_of_birth = date(2023, 3, 14)
    family["leila"].save(update_fields=["date_of_birth"])
    return open_case(
        service=NURSERY,
        household=family["household"],
        children=[family["leila"]],
        family=[family["mum"]],
        reason="A nursery place",
        team=nursery_team,
        started=date(2026, 9, 1),
        created_by=None,
    )


@pytest.fixture
def key_person(make_user, nursery_team, nursery_case):
    user = make_user("nia", Role.PRACTITIONER)
    user.last_name = "Okafor"
    user.save()
    nursery_team.members.add(user)
    return user


@pytest.fixture
def nursery_manager(make_user, nursery_team, nursery_case):
    user = make_user("maya", Role.TEAM_MANAGER)
    nursery_team.members.add(user)
    return user
