import re
import time
from base64 import b32decode
from io import StringIO
from urllib.parse import unquote

import pytest
import segno
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.access.demo import DEMO_PASSWORD, current_code
from earlyhelp.access.models import User
from earlyhelp.access.roles import Role
from earlyhelp.access.views import ENROL_SECONDS, PENDING_SECONDS, PENDING_SINCE
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases.models import Contact
from tests.conftest import STRONG_PASSWORD

LOGIN = reverse("access:login")
CODE = reverse("access:sign_in_code")
ENROL = reverse("access:enrol")
CHANGE_PASSWORD = reverse("access:change_password")
HOME = reverse("web:home")
NEW_PASSWORD = "plum-orchard-lantern-27"


def pass_password_step(client, username="worker", password=STRONG_PASSWORD, next_url=""):
    url = f"{LOGIN}?next={next_url}" if next_url else LOGIN
    return client.post(url, {"username": username, "password": password})


@pytest.mark.django_db
def test_password_then_authenticator_code_signs_in(client, make_user):
    user = make_user("worker", Role.PRACTITIONER)
    response = pass_password_step(client)
    assert response.url == CODE
    response = client.post(CODE, {"code": current_code(user.totpdevice_set.get())})
    assert response.url == HOME
    assert client.get(HOME).status_code == 200


@pytest.mark.django_db
def test_password_alone_does_not_sign_in(client, make_user):
    make_user("worker", Role.PRACTITIONER)
    pass_password_step(client)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


@pytest.mark.django_db
def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client, make_user):
    make_user("worker", Role.PRACTITIONER)
    response = pass_password_step(client, password="not-the-password")
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()


@pytest.mark.django_db
def test_empty_form_names_each_missing_field(client):
    response = client.post(LOGIN, {"username": "", "password": ""})
    page = response.content.decode()
    assert "Enter your username" in page
    assert "Enter your password" in page
    assert 'href="#id_username"' in page


@pytest.mark.django_db
def test_wrong_security_code_is_refused(client, make_user):
    user = make_user("worker", Role.PRACTITIONER)
    pass_password_step(client)
    good = current_code(user.totpdevice_set.get())
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    response = client.post(CODE, {"code": wrong})
    assert "Security code is wrong or has expired" in response.content.decode()
    assert client.get(HOME).status_code == 302


@pytest.mark.django_db
def test_malformed_security_code_names_the_rule(client, make_user):
    make_user("worker", Role.PRACTITIONER)
    pass_password_step(client)
    response = client.post(CODE, {"code": "12ab"})
    assert "Security code must be 6 digits" in response.content.decode()


@pytest.mark.django_db
def test_code_step_without_password_step_goes_back_to_sign_in(client):
    response = client.get(CODE)
    assert response.url == LOGIN


@pytest.mark.django_db
def test_password_step_expires_after_a_few_minutes(client, make_user):
    user = make_user("worker", Role.PRACTITIONER)
    pass_password_step(client)
    session = client.session
    session[PENDING_SINCE] = time.time() - PENDING_SECONDS - 1
    session.save()
    response = client.post(CODE, {"code": current_code(user.totpdevice_set.get())})
    assert response.url == LOGIN
    assert client.get(HOME).status_code == 302


@pytest.mark.django_db
def test_sign_in_returns_to_the_page_asked_for(client, make_user):
    user = make_user("worker", Role.PRACTITIONER)
    pass_password_step(client, next_url="/privacy-notice")
    response = client.post(CODE, {"code": current_code(user.totpdevice_set.get())})
    assert response.url == "/privacy-notice"


@pytest.mark.django_db
def test_sign_in_never_redirects_to_another_site(client, make_user):
    user = make_user("worker", Role.PRACTITIONER)
    pass_password_step(client, next_url="https://evil.example/")
    response = client.post(CODE, {"code": current_code(user.totpdevice_set.get())})
    assert response.url == HOME


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_from_that_address(client, make_user, settings):
    make_user("worker", Role.PRACTITIONER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        pass_password_step(client, password="not-the-password")
    response = pass_password_step(client)
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()


@pytest.mark.django_db
def test_sign_out_needs_a_post_and_ends_the_session(client, make_user, sign_in):
    sign_in(make_user("worker", Role.PRACTITIONER))
    assert client.get(reverse("access:logout")).status_code == 405
    response = client.post(reverse("access:logout"))
    assert response.url == reverse("access:signed_out")
    assert client.get(HOME).status_code == 302


# -- enrolling one's own authenticator at first sign-in ------------------------------------


def secret_on(page: str) -> str:
    match = re.search(r'id="enrol-secret"[^>]*>([^<]+)<', page)
    assert match, "no secret key on the page"
    return match.group(1).strip()


def code_from(secret: str) -> str:
    totp = TOTP(b32decode(secret.replace(" ", "")), step=30, t0=0, digits=6, drift=0)
    return f"{totp.token():06d}"


@pytest.mark.django_db
def test_account_without_authenticator_enrols_its_own_from_a_qr_code_then_signs_in(
    client, make_user
):
    user = make_user("worker", Role.PRACTITIONER)
    user.totpdevice_set.all().delete()

    response = pass_password_step(client)
    assert response.url == ENROL
    assert client.get(HOME).status_code == 302, "not signed in before the code"
    page = client.get(ENROL)
    html = page.content.decode()
    assert "no-store" in page["Cache-Control"]
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    secret = secret_on(html)
    # The QR code is the set-up link of this device, drawn by segno, inline as a data: URI.
    qr = re.search(r'<img id="enrol-qr-code" src="([^"]+)" alt="QR code', html).group(1)
    assert qr.startswith("data:image/svg+xml")
    expected = segno.make(device.config_url, error="m").svg_data_uri(scale=5, dark="#0b0c0c")
    assert unquote(qr.replace("&amp;", "&")) == unquote(expected)
    assert f"secret={secret.replace(' ', '')}" in device.config_url

    response = client.post(ENROL, {"code": code_from(secret)})

    assert response.url == HOME
    assert client.get(HOME).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    event = AuditEvent.objects.filter(record_type="staff-account").latest("id")
    assert event.actor == user
    assert event.details["change"] == "authenticator enrolled at sign-in"
    assert event.details["temporary_password"] is False
    user.refresh_from_db()
    assert user.authenticator_enrolled_at is not None
    assert not user.sign_in_unconfirmed, "set up with the account's own password"


@pytest.mark.django_db
def test_enrolment_page_shows_nothing_without_the_password_step(client, make_user):
    user = make_user("worker", Role.PRACTITIONER)
    user.totpdevice_set.all().delete()
    assert client.get(ENROL).url == LOGIN
    assert not TOTPDevice.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_account_with_an_authenticator_cannot_enrol_another(client, make_user):
    make_user("worker", Role.PRACTITIONER)
    assert pass_password_step(client).url == CODE
    assert client.get(ENROL).url == LOGIN


@pytest.mark.django_db
def test_wrong_code_at_enrolment_is_refused_and_counted_as_a_failed_sign_in(client, make_user):
    user = make_user("worker", Role.PRACTITIONER)
    user.totpdevice_set.all().delete()
    pass_password_step(client)
    good = code_from(secret_on(client.get(ENROL).content.decode()))
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"

    response = client.post(ENROL, {"code": wrong})

    assert "Security code is wrong or has expired" in response.content.decode()
    assert not TOTPDevice.objects.get(user=user).confirmed
    assert client.get(HOME).status_code == 302
    failed = AuditEvent.objects.filter(action="sign_in_failed").latest("id")
    assert (failed.actor_username, failed.details["step"]) == ("worker", "security code")


@pytest.mark.django_db
def test_enrolment_expires(client, make_user):
    user = make_user("worker", Role.PRACTITIONER)
    user.totpdevice_set.all().delete()
    pass_password_step(client)
    secret = secret_on(client.get(ENROL).content.decode())
    session = client.session
    session[PENDING_SINCE] = time.time() - ENROL_SECONDS - 1
    session.save()
    assert client.post(ENROL, {"code": code_from(secret)}).url == LOGIN
    assert client.get(HOME).status_code == 302


@pytest.mark.django_db
def test_a_later_password_step_replaces_the_secret_an_earlier_one_was_shown(make_user):
    """Someone who knew the temporary password and looked first cannot enrol the account."""
    user = make_user("worker", Role.PRACTITIONER)
    user.totpdevice_set.all().delete()
    first, second = Client(), Client()
    pass_password_step(first)
    seen_first = secret_on(first.get(ENROL).content.decode())
    pass_password_step(second)
    seen_second = secret_on(second.get(ENROL).content.decode())
    assert seen_first != seen_second

    assert first.post(ENROL, {"code": code_from(seen_first)}).url == LOGIN
    assert second.post(ENROL, {"code": code_from(seen_second)}).url == HOME
    assert TOTPDevice.objects.get(user=user).confirmed


@pytest.mark.django_db
def test_enrolment_page_is_allowed_its_inline_qr_code_by_the_content_security_policy(
    client, make_user
):
    make_user("worker", Role.PRACTITIONER).totpdevice_set.all().delete()
    pass_password_step(client)
    policy = client.get(ENROL)["Content-Security-Policy"]
    img_src = re.search(r"img-src ([^;]+)", policy).group(1).split()
    assert "data:" in img_src
    assert "default-src 'none'" in policy


# -- a temporary password is changed before anything else ----------------------------------


@pytest.fixture
def temporary(make_user, sign_in, case, team, family):
    """A practitioner of the family's team, signed in with a password an administrator set."""
    user = make_user("worker", Role.PRACTITIONER)
    team.members.add(user)
    user.must_change_password = True
    user.save()
    return user


@pytest.mark.django_db
def test_temporary_password_opens_no_page_but_the_change_password_page(
    client, sign_in, temporary, case, family
):
    sign_in(temporary)
    person = reverse("people:person", args=[family["yusuf"].public_id])
    for url in (HOME, person, reverse("cases:case", args=[case.public_id])):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(CHANGE_PASSWORD), url
    contacts = Contact.objects.count()
    response = client.post(reverse("cases:add_contact", args=[case.public_id]), {"summary": "x"})
    assert response.url.startswith(CHANGE_PASSWORD)
    assert Contact.objects.count() == contacts
    assert client.get(CHANGE_PASSWORD).status_code == 200
    assert client.post(reverse("access:logout")).url == reverse("access:signed_out")


@pytest.mark.django_db
def test_first_sign_in_with_a_temporary_password_asks_for_a_new_one_then_opens_the_page_asked_for(
    client, temporary, family
):
    person = reverse("people:person", args=[family["yusuf"].public_id])
    pass_password_step(client, next_url=person)
    response = client.post(CODE, {"code": current_code(temporary.totpdevice_set.get())})
    assert response.url.startswith(CHANGE_PASSWORD)

    page = client.get(response.url).content.decode()
    assert "You signed in with a temporary password" in page
    response = client.post(
        response.url,
        {
            "current_password": STRONG_PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        },
    )

    assert "Your password is changed" in response.content.decode()
    assert f'href="{person}"' in response.content.decode()
    temporary.refresh_from_db()
    assert not temporary.must_change_password
    assert temporary.check_password(NEW_PASSWORD)
    assert client.get(person).status_code == 200


def change(client, current=STRONG_PASSWORD, new=NEW_PASSWORD, again=None):
    return client.post(
        CHANGE_PASSWORD,
        {"current_password": current, "new_password": new, "new_password_again": again or new},
    )


@pytest.mark.django_db
def test_changing_ones_password_needs_the_current_one_and_a_wrong_one_counts_as_a_failure(
    client, make_user, sign_in
):
    user = make_user("worker", Role.PRACTITIONER)
    sign_in(user)
    response = change(client, current="not-the-password")
    assert "Your current password is wrong" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(STRONG_PASSWORD)
    failed = AuditEvent.objects.filter(action="sign_in_failed").latest("id")
    assert failed.actor_username == "worker"


@pytest.mark.django_db
def test_new_password_must_pass_the_password_rules(client, make_user, sign_in):
    sign_in(make_user("worker", Role.PRACTITIONER))
    page = change(client, new="short").content.decode()
    assert "This password is too short" in page
    assert 'href="#id_new_password"' in page
    page = change(client, new="1234567890123").content.decode()
    assert "This password is entirely numeric" in page
    assert User.objects.get(username="worker").check_password(STRONG_PASSWORD)


@pytest.mark.django_db
def test_new_password_must_be_typed_the_same_twice_and_differ_from_the_current_one(
    client, make_user, sign_in
):
    sign_in(make_user("worker", Role.PRACTITIONER))
    assert "The new passwords do not match" in (
        change(client, again="plum-orchard-lantern-28").content.decode()
    )
    assert "must be different from your current one" in (
        change(client, new=STRONG_PASSWORD).content.decode()
    )
    assert User.objects.get(username="worker").check_password(STRONG_PASSWORD)


@pytest.mark.django_db
def test_changing_ones_password_keeps_this_session_ends_the_others_and_is_audited(
    client, make_user, sign_in
):
    user = make_user("worker", Role.PRACTITIONER)
    sign_in(user)
    elsewhere = Client()
    elsewhere.post(LOGIN, {"username": "worker", "password": STRONG_PASSWORD})
    elsewhere.post(CODE, {"code": current_code(user.totpdevice_set.get())})
    assert elsewhere.get(HOME).status_code == 200

    change(client)

    assert client.get(HOME).status_code == 200
    assert elsewhere.get(HOME).status_code == 302
    event = AuditEvent.objects.filter(record_type="staff-account").latest("id")
    assert (event.actor, event.action) == (user, "change")
    assert event.details == {"account": user.pk, "change": "password changed by its holder"}
    assert NEW_PASSWORD not in str(event.details)


@pytest.mark.django_db
def test_change_password_page_needs_a_full_sign_in(client, make_user):
    make_user("worker", Role.PRACTITIONER)
    assert client.get(CHANGE_PASSWORD).url.startswith(LOGIN)
    pass_password_step(client)
    assert client.get(CHANGE_PASSWORD).url.startswith(LOGIN)


@pytest.mark.django_db
def test_demo_users_are_ready_to_use_with_their_authenticator_and_no_forced_change(client):
    call_command("demo_users", stdout=StringIO())
    practitioner = User.objects.get(username="practitioner")
    assert not practitioner.must_change_password
    pass_password_step(client, username="practitioner", password=DEMO_PASSWORD)
    response = client.post(CODE, {"code": current_code(practitioner.totpdevice_set.get())})
    assert response.url == HOME
    assert client.get(HOME).status_code == 200


@pytest.mark.django_db
def test_an_authenticator_set_up_with_a_temporary_password_stops_the_roles_until_checked(
    client, temporary, family
):
    """Whoever knew the temporary password may have set it up: the roles wait for a check."""
    from earlyhelp.access.models import GrantRequest

    temporary.totpdevice_set.all().delete()
    person = reverse("people:person", args=[family["yusuf"].public_id])
    pass_password_step(client, next_url=person)
    secret = secret_on(client.get(ENROL).content.decode())

    assert client.post(ENROL, {"code": code_from(secret)}).url.startswith(CHANGE_PASSWORD)
    change(client)

    assert client.get(person).status_code == 403
    temporary.refresh_from_db()
    assert temporary.sign_in_unconfirmed and temporary.enrolled_with_temporary_password
    assert not temporary.groups.exists()
    waiting = GrantRequest.objects.get(account=temporary, status="pending")
    assert waiting.role_list == [Role.PRACTITIONER]
    enrolled = AuditEvent.objects.get(details__change="authenticator enrolled at sign-in")
    assert (enrolled.actor, enrolled.details["temporary_password"]) == (temporary, True)
