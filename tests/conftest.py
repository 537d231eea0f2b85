import pytest
from django.contrib.auth.models import Group
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.access.models import User
from earlyhelp.access.roles import Role

STRONG_PASSWORD = "correct-horse-battery-staple"


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
def sign_in(client):
    """Sign `user` in on the test client, second factor included."""

    def sign_in_user(user: User):
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
        session.save()
        return client

    return sign_in_user
