"""The system administrator manages staff accounts, roles and teams, and nothing else."""

import re
from base64 import b32decode

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.access.demo import current_code
from earlyhelp.access.models import GrantRequest, User
from earlyhelp.access.roles import Role
from tests.conftest import STRONG_PASSWORD
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

LIST = reverse("staff:list")
CREATE = reverse("staff:create")
LOGIN = reverse("access:login")
CODE = reverse("access:sign_in_code")
ENROL = reverse("access:enrol")
CHANGE_PASSWORD = reverse("access:change_password")
HOME = reverse("web:home")
NEW_PASSWORD = "plum-orchard-lantern-27"
OTHER_ROLES = [role for role in Role if role is not Role.SYSTEM_ADMINISTRATOR]


def shown(page: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>([^<]+)<', page)
    assert match, f"#{element_id} not on the page"
    return match.group(1).strip()


def code_from_secret(secret: str) -> str:
    """What the person's authenticator app shows, from the secret key as they typed it."""
    totp = TOTP(b32decode(secret.replace(" ", "")), step=30, t0=0, digits=6, drift=0)
    return f"{totp.token():06d}"


def sign_in_with(username: str, password: str, code: str) -> Client:
    """The two sign-in steps on a fresh client, as the person would do them."""
    browser = Client()
    response = browser.post(LOGIN, {"username": username, "password": password})
    assert response.status_code == 302, "password step refused"
    response = browser.post(CODE, {"code": code})
    assert response.status_code == 302, "code step refused"
    return browser


def first_sign_in(username: str, password: str, new_password: str = NEW_PASSWORD) -> Client:
    """A first sign-in as the person does it: temporary password, enrol, own password."""
    browser = Client()
    response = browser.post(LOGIN, {"username": username, "password": password})
    assert response.url == ENROL, "no enrolment step"
    secret = shown(browser.get(ENROL).content.decode(), "enrol-secret")
    response = browser.post(ENROL, {"code": code_from_secret(secret)})
    assert response.url.startswith(CHANGE_PASSWORD), "no forced password change"
    response = browser.post(
        CHANGE_PASSWORD,
        {
            "current_password": password,
            "new_password": new_password,
            "new_password_again": new_password,
        },
    )
    assert response.status_code == 200 and "Your password is changed" in response.content.decode()
    return browser


def approve(grant: GrantRequest, approver: User, *, checked_with_holder: bool = False) -> None:
    """A second person approves, through the page (ticking that they checked with the holder)."""
    data = {"decision": "approve"}
    if checked_with_holder:
        data["checked_with_holder"] = "on"
    response = signed_in_client(approver).post(
        reverse("staff:request", args=[grant.public_id]), data
    )
    assert response.status_code == 302, response.content.decode()


def signed_in_client(user: User) -> Client:
    browser = Client()
    browser.force_login(user)
    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
    session.save()
    return browser


@pytest.fixture
def admin(make_user, sign_in):
    user = make_user("alex", Role.SYSTEM_ADMINISTRATOR)
    sign_in(user)
    return user


@pytest.fixture
def approver(make_user):
    """A second system administrator, who approves what the first asks for."""
    return make_user("blake", Role.SYSTEM_ADMINISTRATOR)


@pytest.fixture
def teams():
    return [
        TeamFactory(name="East family support", service="family-support"),
        TeamFactory(name="West youth service", service="youth-service"),
    ]


def new_account(**overrides) -> dict:
    data = {
        "username": "priya.shah",
        "first_name": "Priya",
        "last_name": "Shah",
        "email": "priya.shah@council.example",
        "roles": [Role.PRACTITIONER.value],
    }
    return {**data, **overrides}


def staff_pages(target: User) -> list[str]:
    return [
        LIST,
        CREATE,
        reverse("staff:detail", args=[target.pk]),
        reverse("staff:edit", args=[target.pk]),
        reverse("staff:deactivate", args=[target.pk]),
        reverse("staff:reactivate", args=[target.pk]),
        reverse("staff:reset_password", args=[target.pk]),
        reverse("staff:reset_second_factor", args=[target.pk]),
    ]


@pytest.mark.parametrize("role", [*OTHER_ROLES, None])
def test_only_the_system_administrator_can_use_any_staff_page(client, make_user, sign_in, role):
    target = make_user("target", Role.PRACTITIONER)
    device = target.totpdevice_set.get()
    sign_in(make_user("worker", *([role] if role else [])))
    for url in staff_pages(target):
        assert client.get(url).status_code == 403, url
        assert client.post(url, new_account()).status_code == 403, url
    target.refresh_from_db()
    assert target.is_active
    assert target.check_password(STRONG_PASSWORD)
    assert list(target.totpdevice_set.all()) == [device]
    assert not User.objects.filter(username="priya.shah").exists()


def test_signed_out_visitor_is_sent_to_sign_in_from_every_staff_page(client, make_user):
    for url in staff_pages(make_user("target", Role.PRACTITIONER)):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(LOGIN)


def test_administrator_home_page_links_to_staff_accounts(client, admin):
    assert LIST in client.get(HOME).content.decode()


def test_staff_list_shows_roles_teams_status_and_second_factor_and_no_family_data(
    client, admin, make_user, teams, case, family
):
    worker = make_user("ben", Role.PRACTITIONER, Role.TEAM_MANAGER)
    teams[0].members.add(worker)
    no_device = make_user("carla", Role.ANALYST)
    no_device.totpdevice_set.all().delete()
    gone = make_user("dan", Role.PRACTITIONER)
    gone.is_active = False
    gone.save()

    page = client.get(LIST).content.decode()

    for expected in ("ben", "carla", "dan", "Practitioner", "Team manager", "Performance analyst"):
        assert expected in page
    assert "East family support" in page
    assert "Not set up" in page
    assert "Deactivated" in page
    # The administrator sees no case or family data: not a name, not an address.
    for person in family.values():
        if hasattr(person, "family_name"):
            assert person.given_name not in page
    assert "Malden Road" not in page
    assert case.reason not in page


def test_new_account_gets_its_roles_once_its_holder_has_signed_in_and_an_approver_has_checked(
    client, admin, approver, teams
):
    response = client.post(CREATE, new_account(teams=[teams[0].pk]), follow=True)

    # Sent to the page that shows it (POST, redirect, GET): a refresh makes nothing again.
    assert response.redirect_chain[-1][0] == reverse(
        "staff:set_up", args=[User.objects.get(username="priya.shah").pk]
    )
    assert response.status_code == 200
    page = response.content.decode()
    password = shown(page, "set-up-password")
    # The administrator never sees an authenticator secret or set-up link.
    assert "set-up-secret" not in page
    assert "otpauth://" not in page
    # Shown once: the browser must not keep a copy either.
    assert "no-store" in response["Cache-Control"]

    user = User.objects.get(username="priya.shah")
    assert (user.get_full_name(), user.email) == ("Priya Shah", "priya.shah@council.example")
    assert user.must_change_password
    assert not user.totpdevice_set.exists()
    # Nothing works until a second person approves.
    assert not user.roles
    assert not user.teams.exists()
    grant = GrantRequest.objects.get(account=user, status="pending")
    assert grant.role_list == [Role.PRACTITIONER]
    assert list(grant.teams.all()) == [teams[0]]
    # Before anyone has signed in with the temporary password, an approver can only refuse.
    refused = signed_in_client(approver).post(
        reverse("staff:request", args=[grant.public_id]), {"decision": "approve"}
    )
    assert "has not yet signed in" in refused.content.decode()
    assert not User.objects.get(pk=user.pk).roles

    person = first_sign_in("priya.shah", password)
    assert person.get(HOME).status_code == 403, "nothing before approval"
    user.refresh_from_db()
    assert not user.must_change_password
    assert not user.check_password(password), "the temporary password stops working"
    assert user.sign_in_unconfirmed, "set up with a temporary password: to be checked"

    # Its sign-in was set up with a password the administrator knew: the approver ticks
    # that they checked with Priya herself.
    grant = GrantRequest.objects.get(account=user, status="pending")
    approve(grant, approver, checked_with_holder=True)

    user = User.objects.get(pk=user.pk)
    assert user.has_role(Role.PRACTITIONER)
    assert not user.has_role(Role.SYSTEM_ADMINISTRATOR)
    assert list(user.teams.all()) == [teams[0]]
    assert (user.sign_in_unconfirmed, user.sign_in_confirmed_by) == (False, approver)
    response = person.get(HOME)
    assert response.status_code == 200
    assert response.templates[0].name == "web/home/practitioner.html"


def test_temporary_passwords_differ_from_account_to_account(client, admin):
    first = shown(
        client.post(CREATE, new_account(), follow=True).content.decode(), "set-up-password"
    )
    second = shown(
        client.post(
            CREATE, new_account(username="sam.jones", email="sam@council.example"), follow=True
        ).content.decode(),
        "set-up-password",
    )
    assert first != second
    assert len(first) >= 12


def test_one_time_password_is_not_shown_on_the_account_page(client, admin):
    page = client.post(CREATE, new_account(), follow=True).content.decode()
    password = shown(page, "set-up-password")
    user = User.objects.get(username="priya.shah")

    account_page = client.get(reverse("staff:detail", args=[user.pk])).content.decode()

    assert password not in account_page
    assert "Temporary: the person must change it" in account_page
    assert "Waiting for approval" in account_page


def test_empty_form_names_each_missing_field(client, admin):
    response = client.post(CREATE, {})
    page = response.content.decode()
    assert response.status_code == 200
    for message in (
        "Enter a username",
        "Enter a first name",
        "Enter a last name",
        "Enter a work email address",
        "Select at least one role",
    ):
        assert message in page
    assert 'href="#id_username"' in page
    assert 'href="#id_roles_0"' in page
    assert not User.objects.exclude(pk=admin.pk).exists()


def test_taken_username_is_refused_whatever_its_case(client, admin, make_user):
    make_user("priya.shah", Role.PRACTITIONER)
    response = client.post(CREATE, new_account(username="Priya.Shah"))
    assert "Username is already taken" in response.content.decode()
    assert User.objects.filter(username__iexact="priya.shah").count() == 1


def test_username_with_spaces_is_refused_naming_the_rule(client, admin):
    response = client.post(CREATE, new_account(username="priya shah"))
    assert "Username must only include letters, digits" in response.content.decode()
    assert not User.objects.filter(first_name="Priya").exists()


def test_invalid_email_is_refused_naming_the_rule(client, admin):
    response = client.post(CREATE, new_account(email="priya.shah.council"))
    page = response.content.decode()
    assert "Enter an email address in the correct format" in page
    assert 'href="#id_email"' in page
    assert not User.objects.filter(username="priya.shah").exists()


def test_account_needs_at_least_one_role(client, admin):
    response = client.post(CREATE, new_account(roles=[]))
    assert "Select at least one role" in response.content.decode()
    assert not User.objects.filter(username="priya.shah").exists()


def test_unknown_role_is_refused(client, admin):
    response = client.post(CREATE, new_account(roles=["superuser"]))
    assert "Select roles from the list" in response.content.decode()
    assert not User.objects.filter(username="priya.shah").exists()


def test_role_and_team_changes_take_effect_removals_at_once_additions_on_approval(
    client, admin, approver, make_user, teams
):
    worker = make_user("ben", Role.PRACTITIONER)
    teams[0].members.add(worker)
    their_browser = signed_in_client(worker)
    assert their_browser.get(HOME).templates[0].name == "web/home/practitioner.html"

    response = client.post(
        reverse("staff:edit", args=[worker.pk]),
        {
            "first_name": "Benjamin",
            "last_name": "Okafor",
            "email": "ben@council.example",
            "roles": [Role.ANALYST.value],
            "teams": [teams[1].pk],
        },
    )

    assert response.url == reverse("staff:detail", args=[worker.pk])
    worker = User.objects.get(pk=worker.pk)
    assert worker.get_full_name() == "Benjamin Okafor"
    # Taken away at once; roles are read on every request, so it applies without signing in.
    assert not worker.has_role(Role.PRACTITIONER)
    assert not worker.teams.exists()
    assert their_browser.get(HOME).status_code == 403
    # Added on approval.
    assert not worker.has_role(Role.ANALYST)
    approve(GrantRequest.objects.get(account=worker, status="pending"), approver)
    worker = User.objects.get(pk=worker.pk)
    assert worker.has_role(Role.ANALYST)
    assert list(worker.teams.all()) == [teams[1]]
    assert their_browser.get(HOME).templates[0].name == "web/home/analyst.html"


def test_edit_form_shows_the_current_details(client, admin, make_user, teams):
    worker = make_user("ben", Role.TEAM_MANAGER)
    teams[1].members.add(worker)
    page = client.get(reverse("staff:edit", args=[worker.pk])).content.decode()
    assert re.search(r'value="team-manager"\s+checked', page)
    assert re.search(rf'value="{teams[1].pk}"\s+checked', page)
    assert not re.search(rf'value="{teams[0].pk}"\s+checked', page)


def test_administrator_cannot_remove_their_own_administrator_role(client, admin):
    response = client.post(
        reverse("staff:edit", args=[admin.pk]),
        {
            "first_name": "Alex",
            "last_name": "Admin",
            "email": "alex@council.example",
            "roles": [Role.PRACTITIONER.value],
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "You cannot change your own roles or teams" in page
    admin = User.objects.get(pk=admin.pk)
    assert admin.has_role(Role.SYSTEM_ADMINISTRATOR)
    assert not admin.has_role(Role.PRACTITIONER)
    assert not GrantRequest.objects.exists()
    assert admin.last_name == ""  # nothing half written


def test_administrator_cannot_deactivate_themselves(client, admin):
    response = client.post(reverse("staff:deactivate", args=[admin.pk]), follow=True)
    page = response.content.decode()
    assert "You cannot deactivate your own account" in page
    assert "lock yourself out" in page
    admin.refresh_from_db()
    assert admin.is_active
    assert client.get(LIST).status_code == 200


def test_deactivated_account_is_signed_out_and_cannot_sign_in_until_reactivated(
    client, admin, make_user
):
    worker = make_user("ben", Role.PRACTITIONER)
    their_browser = signed_in_client(worker)

    response = client.post(reverse("staff:deactivate", args=[worker.pk]), follow=True)

    assert "deactivated" in response.content.decode()
    assert their_browser.get(HOME).status_code == 302
    refused = Client().post(LOGIN, {"username": "ben", "password": STRONG_PASSWORD})
    assert refused.status_code == 200  # the form again, with its error

    client.post(reverse("staff:reactivate", args=[worker.pk]))
    code = current_code(worker.totpdevice_set.get())
    assert sign_in_with("ben", STRONG_PASSWORD, code).get(HOME).status_code == 200


def test_status_changes_refuse_get(client, admin, make_user):
    worker = make_user("ben", Role.PRACTITIONER)
    assert client.get(reverse("staff:deactivate", args=[worker.pk])).status_code == 405
    worker.refresh_from_db()
    assert worker.is_active


def test_changing_requests_need_the_csrf_token(admin, make_user):
    worker = make_user("ben", Role.PRACTITIONER)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin)
    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = admin.totpdevice_set.get().persistent_id
    session.save()

    for url in (
        reverse("staff:deactivate", args=[worker.pk]),
        reverse("staff:reset_password", args=[worker.pk]),
        reverse("staff:reset_second_factor", args=[worker.pk]),
        CREATE,
    ):
        assert browser.post(url, new_account()).status_code == 403, url
    worker.refresh_from_db()
    assert worker.is_active
    assert worker.check_password(STRONG_PASSWORD)
    assert not User.objects.filter(username="priya.shah").exists()


def test_password_reset_shows_a_temporary_password_once_which_must_be_changed_at_sign_in(
    client, admin, make_user
):
    worker = make_user("ben", Role.PRACTITIONER)
    their_browser = signed_in_client(worker)
    url = reverse("staff:reset_password", args=[worker.pk])
    assert "Reset password" in client.get(url).content.decode()
    worker.refresh_from_db()
    assert worker.check_password(STRONG_PASSWORD), "a GET must change nothing"

    response = client.post(url, follow=True)

    password = shown(response.content.decode(), "set-up-password")
    assert "set-up-secret" not in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    worker.refresh_from_db()
    assert not worker.check_password(STRONG_PASSWORD)
    assert worker.must_change_password
    assert their_browser.get(HOME).status_code == 302, "their open session ends"
    # Their own authenticator still guards the account; then they must choose a password.
    browser = sign_in_with("ben", password, current_code(worker.totpdevice_set.get()))
    assert browser.get(HOME).url.startswith(CHANGE_PASSWORD)


def test_second_factor_reset_waits_for_approval_then_the_holder_enrols_a_new_one(
    client, admin, approver, make_user
):
    worker = make_user("ben", Role.PRACTITIONER)
    old = worker.totpdevice_set.get()
    their_browser = signed_in_client(worker)
    url = reverse("staff:reset_second_factor", args=[worker.pk])
    assert "Ask for approval to reset" in client.get(url).content.decode()
    assert list(worker.totpdevice_set.all()) == [old], "a GET must change nothing"

    response = client.post(url, follow=True)

    assert "waiting for approval" in response.content.decode()
    assert "otpauth://" not in response.content.decode()
    assert list(worker.totpdevice_set.all()) == [old], "nothing changes before approval"
    grant = GrantRequest.objects.get(account=worker, status="pending")
    assert grant.new_authenticator and not grant.roles

    approve(grant, approver)

    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert their_browser.get(HOME).status_code == 302, "their open session ends"
    browser = Client()
    browser.post(LOGIN, {"username": "ben", "password": STRONG_PASSWORD})
    secret = shown(browser.get(ENROL).content.decode(), "enrol-secret")
    assert browser.post(ENROL, {"code": code_from_secret(secret)}).url == HOME
    # Set up with their own password, which no administrator knows: their roles go on.
    assert browser.get(HOME).status_code == 200
    worker = User.objects.get(pk=worker.pk)
    assert not worker.sign_in_unconfirmed
    assert worker.has_role(Role.PRACTITIONER)


def test_second_factor_reset_of_an_account_without_a_role_is_at_once(client, admin, make_user):
    worker = make_user("ben")
    client.post(reverse("staff:reset_second_factor", args=[worker.pk]))
    assert not worker.totpdevice_set.exists()
    assert not GrantRequest.objects.exists()


def test_administrator_cannot_reset_their_own_password_or_second_factor_here(client, admin):
    device = admin.totpdevice_set.get()
    for name in ("staff:reset_password", "staff:reset_second_factor"):
        page = client.post(reverse(name, args=[admin.pk]), follow=True).content.decode()
        assert "You cannot reset your own" in page
    admin.refresh_from_db()
    assert admin.check_password(STRONG_PASSWORD)
    assert not admin.must_change_password
    assert list(admin.totpdevice_set.all()) == [device]
    assert not GrantRequest.objects.exists()
    assert client.get(LIST).status_code == 200


def test_unknown_account_is_not_found(client, admin):
    assert client.get(reverse("staff:detail", args=[999_999])).status_code == 404


def test_changes_to_staff_accounts_are_audited(client, make_user, sign_in):
    from earlyhelp.audit.models import AuditEvent

    admin = make_user("alex", Role.SYSTEM_ADMINISTRATOR)
    sign_in(admin)
    someone = make_user("sam", Role.PRACTITIONER)
    client.post(reverse("staff:deactivate", args=[someone.pk]))
    event = AuditEvent.objects.get(record_type="staff-account")
    assert (event.actor, event.action) == (admin, "change")
    assert event.details["account"] == someone.pk and event.details["change"] == "deactivated"


@pytest.mark.parametrize(
    "bad_id", ["99999999999999999999", "-99999999999999999999", "1.5", "abc", ""]
)
def test_a_team_id_no_team_can_have_is_a_form_error_naming_the_field_not_a_server_error(
    client, admin, make_user, teams, bad_id
):
    worker = make_user("ben", Role.PRACTITIONER)
    changed = {
        "first_name": "Benjamin",
        "last_name": "Okafor",
        "email": "ben@council.example",
        "roles": [Role.PRACTITIONER.value],
        "teams": [teams[0].pk, bad_id],
    }

    for url, data in (
        (reverse("staff:edit", args=[worker.pk]), changed),
        (CREATE, new_account(teams=[bad_id])),
    ):
        response = client.post(url, data)
        page = response.content.decode()
        assert response.status_code == 200, url
        assert "Select teams from the list" in page, url
        assert 'href="#id_teams_0"' in page, url
    worker.refresh_from_db()
    assert worker.first_name == "Sam"
    assert not GrantRequest.objects.exists()
    assert not User.objects.filter(username="priya.shah").exists()


def test_an_account_id_too_large_for_the_database_is_not_found(client, admin):
    for name in ("staff:detail", "staff:edit", "staff:reset_password"):
        assert client.get(reverse(name, args=[99999999999999999999])).status_code == 404, name
