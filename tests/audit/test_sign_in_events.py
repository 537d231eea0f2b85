"""Sign-in, failed sign-in and sign-out each leave an event."""

import pytest
from django.urls import reverse

from earlyhelp.access.demo import current_code
from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.verify import verify_chain
from tests.access.test_sign_in import pass_password_step

CODE = reverse("access:sign_in_code")
pytestmark = pytest.mark.django_db


def actions() -> list[tuple]:
    return list(AuditEvent.objects.order_by("id").values_list("action", "actor_username"))


def test_sign_in_is_recorded(client, make_user):
    user = make_user("worker", Role.PRACTITIONER)
    pass_password_step(client)
    assert actions() == []  # the password alone does not sign in
    client.post(CODE, {"code": current_code(user.totpdevice_set.get())})
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.ip_address) == ("sign_in", user, "127.0.0.1")


def test_failed_sign_in_is_recorded(client, make_user):
    make_user("worker", Role.PRACTITIONER)
    pass_password_step(client, password="not-the-password")
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.actor_username) == ("sign_in_failed", None, "worker")
    assert event.details == {"step": "password"}
    assert "not-the-password" not in str(AuditEvent.objects.values().get())


def test_failed_sign_in_with_an_unknown_username_is_recorded(client, db):
    pass_password_step(client, username="nobody-here")
    assert actions() == [("sign_in_failed", "nobody-here")]


def test_wrong_security_code_is_recorded_as_a_failed_sign_in(client, make_user):
    user = make_user("worker", Role.PRACTITIONER)
    pass_password_step(client)
    good = current_code(user.totpdevice_set.get())
    client.post(CODE, {"code": f"{(int(good) + 1) % 1_000_000:06d}"})
    event = AuditEvent.objects.get()
    assert (event.action, event.actor_username) == ("sign_in_failed", "worker")
    assert event.details == {"step": "security code"}


def test_sign_out_is_recorded(client, make_user, sign_in):
    user = make_user("worker", Role.PRACTITIONER)
    sign_in(user)
    client.post(reverse("access:logout"))
    assert actions() == [("sign_in", "worker"), ("sign_out", "worker")]
    assert verify_chain().ok


def test_signing_out_when_not_signed_in_records_nothing(client, db):
    client.post(reverse("access:logout"))
    assert actions() == []
