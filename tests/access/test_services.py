"""What the access pages write, with its audit event, or neither: access/services.py,
called directly."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.access import services
from earlyhelp.access.models import Restriction
from earlyhelp.access.rules import BREAK_GLASS_SESSION_KEY
from earlyhelp.audit.models import AuditEvent
from earlyhelp.people.models import Person

pytestmark = pytest.mark.django_db

TOO_LONG = "x" * 2001  # the audit trail refuses a reason longer than 2000 characters


@pytest.fixture
def manager(make_user):
    return make_user("manager")


@pytest.fixture
def request_by(manager, request_as):
    return request_as(manager)


@pytest.fixture
def person(db):
    return Person.objects.create(given_name="Yusuf", family_name="Haddad")


def last_event() -> int:
    last = AuditEvent.objects.order_by("-id").first()
    return last.id if last else 0


@pytest.fixture
def since(manager, person) -> int:
    """The last audit event before the test's own writes."""
    return last_event()


def events_since(since: int) -> list[tuple]:
    return [
        (
            e.actor.username,
            e.action,
            e.record_type,
            e.record_id,
            e.categories,
            e.details,
            e.reason,
            e.flagged,
        )
        for e in AuditEvent.objects.filter(id__gt=since).order_by("id")
    ]


def test_break_glass_grants_the_record_and_writes_one_flagged_event(request_by, person, since):
    services.open_in_emergency(request_by, person, "The child is missing tonight")
    assert str(person.public_id) in request_by.session[BREAK_GLASS_SESSION_KEY]
    assert events_since(since) == [
        (
            "manager",
            "break_glass",
            "person",
            str(person.public_id),
            [],
            {},
            "The child is missing tonight",
            True,
        )
    ]
    assert AuditEvent.objects.get(id__gt=since).rule == "access:break-glass"


def test_break_glass_the_audit_trail_refuses_grants_nothing(request_by, person, since):
    with pytest.raises(ValueError, match="reason: 2001 characters"):
        services.open_in_emergency(request_by, person, TOO_LONG)
    assert BREAK_GLASS_SESSION_KEY not in request_by.session
    assert events_since(since) == []


def test_restrict_record_names_who_may_open_it_and_writes_one_restrict_event(
    request_by, person, since, make_user
):
    other = make_user("named")
    since = last_event()
    named = [request_by.user.pk, other.pk]
    restriction = services.restrict_record(request_by, person, "A relative works here", named)
    assert restriction.person == person
    assert set(restriction.named_users.values_list("pk", flat=True)) == set(named)
    assert events_since(since) == [
        (
            "manager",
            "restrict",
            "person",
            str(person.public_id),
            ["risk-issues"],
            {"named_users": named, "what": "restriction made"},
            "A relative works here",
            False,
        )
    ]


def test_restrict_record_refuses_a_list_without_the_manager_and_writes_nothing(
    request_by, person, since, make_user
):
    other = make_user("named")
    since = last_event()
    with pytest.raises(services.RestrictionRefused, match="Include yourself"):
        services.restrict_record(request_by, person, "A relative works here", [other.pk])
    assert not Restriction.objects.exists()
    assert events_since(since) == []


def test_a_restriction_the_audit_trail_refuses_is_not_made(request_by, person, since):
    with pytest.raises(ValueError, match="reason: 2001 characters"):
        services.restrict_record(request_by, person, TOO_LONG, [request_by.user.pk])
    assert not Restriction.objects.exists()
    assert events_since(since) == []


def test_change_own_password_saves_it_and_writes_one_change_event(request_by, since):
    user = request_by.user
    user.must_change_password = True
    services.change_own_password(request_by, user, "a-new-long-password-2026")
    user.refresh_from_db()
    assert user.check_password("a-new-long-password-2026")
    assert user.must_change_password is False
    assert events_since(since) == [
        (
            "manager",
            "change",
            "staff-account",
            "",
            [],
            {"account": user.pk, "change": "password changed by its holder"},
            "",
            False,
        )
    ]


def test_a_password_change_whose_event_fails_keeps_the_old_password(request_by, since, monkeypatch):
    user = request_by.user

    def fail(*args, **kwargs):
        raise RuntimeError("the audit key is missing")

    monkeypatch.setattr(services, "record", fail)
    with pytest.raises(RuntimeError):
        services.change_own_password(request_by, user, "a-new-long-password-2026")
    user.refresh_from_db()
    assert not user.check_password("a-new-long-password-2026")
    assert events_since(since) == []


def test_a_new_enrolment_replaces_any_unconfirmed_authenticator(manager):
    first = services.new_enrolment(manager)
    second = services.new_enrolment(manager)
    unconfirmed = TOTPDevice.objects.filter(user=manager, confirmed=False)
    assert list(unconfirmed) == [second]
    assert first.pk != second.pk


def test_confirming_an_enrolment_leaves_it_the_only_authenticator_and_records_it(request_by, since):
    user = request_by.user
    device = services.new_enrolment(user)
    services.confirm_enrolment(request_by, user, device)
    assert list(TOTPDevice.objects.filter(user=user)) == [device]
    assert TOTPDevice.objects.get(user=user).confirmed
    assert [(e[1], e[2], e[5]["change"]) for e in events_since(since)] == [
        ("change", "staff-account", "authenticator enrolled at sign-in")
    ]


def test_an_enrolment_whose_event_fails_confirms_nothing(request_by, since, monkeypatch):
    user = request_by.user
    device = services.new_enrolment(user)

    def fail(*args, **kwargs):
        raise RuntimeError("the audit key is missing")

    monkeypatch.setattr(services.grants, "audit_account", fail)
    with pytest.raises(RuntimeError):
        services.confirm_enrolment(request_by, user, device)
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1  # the old one
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert events_since(since) == []
