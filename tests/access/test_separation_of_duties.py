"""Access is taken away by one person and granted by two; nobody changes their own.

The issue: an administrator gave their own account the team manager role and a team, then
opened a child's record with special category facts, and the only trace was a
"change staff-account" event.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.access import grants
from earlyhelp.access.grants import FAMILY_DATA_ROLES, held_roles
from earlyhelp.access.models import GrantRequest, User
from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases.models import Team
from tests.access.test_staff_admin import (
    code_from_secret,
    first_sign_in,
    shown,
    signed_in_client,
)

pytestmark = pytest.mark.django_db

PENDING = GrantRequest.Status.PENDING
REQUESTS = reverse("staff:requests")


def edit(browser, account: User, roles: list[Role], teams: list[Team] = (), **names):
    data = {
        "first_name": names.get("first_name", account.first_name or "Sam"),
        "last_name": names.get("last_name", account.last_name or "Jones"),
        "email": names.get("email", account.email or "sam@council.example"),
        "roles": [role.value for role in roles],
        "teams": [team.pk for team in teams],
    }
    return browser.post(reverse("staff:edit", args=[account.pk]), data)


def decide(browser, grant: GrantRequest, decision: str = "approve", *, checked: bool = False):
    data = {"decision": decision, **({"checked_with_holder": "on"} if checked else {})}
    return browser.post(reverse("staff:request", args=[grant.public_id]), data)


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # User.roles is cached on the instance


@pytest.fixture
def alex(make_user):
    user = make_user("alex", Role.SYSTEM_ADMINISTRATOR)
    user.first_name, user.last_name = "Alex", "Demo"
    user.save()
    return user


@pytest.fixture
def blake(make_user):
    return make_user("blake", Role.SYSTEM_ADMINISTRATOR)


@pytest.fixture
def grace(make_user):
    return make_user("grace", Role.INFORMATION_GOVERNANCE)


@pytest.fixture
def worker(make_user):
    return make_user("ben", Role.ANALYST)


# -- nobody changes their own ---------------------------------------------------------------


def test_the_escalation_in_the_issue_is_refused_audited_and_opens_no_record(
    alex, team, case, family
):
    browser = signed_in_client(alex)

    response = edit(browser, alex, [Role.SYSTEM_ADMINISTRATOR, Role.TEAM_MANAGER], [team])

    assert response.status_code == 200
    assert "You cannot change your own roles or teams" in response.content.decode()
    alex = fresh(alex)
    assert alex.roles == {Role.SYSTEM_ADMINISTRATOR}
    assert not alex.teams.exists()
    assert not GrantRequest.objects.exists()
    event = AuditEvent.objects.filter(record_type="staff-account").latest("id")
    assert (event.actor, event.action) == (alex, "change")
    assert event.details["account"] == alex.pk
    assert event.details["refused"] == "own roles or teams"
    person = reverse("people:person", args=[family["yusuf"].public_id])
    assert browser.get(person).status_code == 403


def test_nobody_adds_themselves_to_a_team(alex, team):
    response = edit(signed_in_client(alex), alex, [Role.SYSTEM_ADMINISTRATOR], [team])
    assert "You cannot change your own roles or teams" in response.content.decode()
    assert not fresh(alex).teams.exists()


def test_an_administrator_may_still_change_their_own_name(alex):
    browser = signed_in_client(alex)
    response = edit(browser, alex, [Role.SYSTEM_ADMINISTRATOR], first_name="Alexandra")
    assert response.status_code == 302
    assert fresh(alex).first_name == "Alexandra"


# -- granting takes two ---------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(FAMILY_DATA_ROLES | {Role.SYSTEM_ADMINISTRATOR}))
def test_a_granted_role_works_only_once_a_second_administrator_approves(
    alex, blake, make_user, role
):
    account = make_user("newcomer")

    edit(signed_in_client(alex), account, [role])

    assert not fresh(account).roles
    grant = GrantRequest.objects.get(account=account, status=PENDING)
    assert grant.role_list == [role] and grant.requested_by == alex
    assert decide(signed_in_client(blake), grant).status_code == 302
    assert fresh(account).roles == {role}
    grant.refresh_from_db()
    assert (grant.status, grant.decided_by) == ("approved", blake)


def test_the_information_governance_officer_may_approve(alex, grace, worker, team):
    edit(signed_in_client(alex), worker, [Role.ANALYST, Role.PRACTITIONER], [team])
    grant = GrantRequest.objects.get(account=worker)
    decide(signed_in_client(grace), grant)
    assert fresh(worker).roles == {Role.ANALYST, Role.PRACTITIONER}
    assert list(worker.teams.all()) == [team]


def test_whoever_asked_cannot_approve_and_the_attempt_is_audited(alex, worker):
    browser = signed_in_client(alex)
    edit(browser, worker, [Role.ANALYST, Role.TEAM_MANAGER])
    grant = GrantRequest.objects.get(account=worker)

    response = decide(browser, grant)

    assert response.status_code == 200
    assert "You asked for this change: another approver must decide it" in (
        response.content.decode()
    )
    assert not fresh(worker).has_role(Role.TEAM_MANAGER)
    grant.refresh_from_db()
    assert grant.status == PENDING
    event = AuditEvent.objects.filter(record_type="staff-account").latest("id")
    assert event.actor == alex
    assert event.details["refused"] == f"approve access request {grant.public_id}"


def test_nobody_approves_a_request_for_their_own_account(alex, blake):
    edit(signed_in_client(alex), blake, [Role.SYSTEM_ADMINISTRATOR, Role.PRACTITIONER])
    grant = GrantRequest.objects.get(account=blake)

    response = decide(signed_in_client(blake), grant)

    assert "This request is for your own account" in response.content.decode()
    assert not fresh(blake).has_role(Role.PRACTITIONER)


def test_one_administrator_cannot_make_a_second_administrator_to_approve_for_them(alex):
    signed_in_client(alex).post(
        reverse("staff:create"),
        {
            "username": "alex2",
            "first_name": "Alex",
            "last_name": "Again",
            "email": "alex2@council.example",
            "roles": [Role.SYSTEM_ADMINISTRATOR.value],
        },
    )
    assert not User.objects.get(username="alex2").roles


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.TEAM_MANAGER, Role.ANALYST])
def test_only_approvers_see_or_decide_requests(alex, worker, make_user, role):
    edit(signed_in_client(alex), worker, [Role.ANALYST, Role.PRACTITIONER])
    grant = GrantRequest.objects.get(account=worker)
    browser = signed_in_client(make_user("other", role))
    assert browser.get(REQUESTS).status_code == 403
    assert browser.get(reverse("staff:request", args=[grant.public_id])).status_code == 403
    assert decide(browser, grant).status_code == 403
    assert not fresh(worker).has_role(Role.PRACTITIONER)


def test_a_refused_request_grants_nothing(alex, blake, worker, team):
    edit(signed_in_client(alex), worker, [Role.ANALYST, Role.TEAM_MANAGER], [team])
    grant = GrantRequest.objects.get(account=worker)
    decide(signed_in_client(blake), grant, "refuse")
    assert fresh(worker).roles == {Role.ANALYST}
    assert not worker.teams.exists()
    grant.refresh_from_db()
    assert grant.status == "refused"
    assert decide(signed_in_client(blake), grant).status_code == 200, "decided once only"
    assert fresh(worker).roles == {Role.ANALYST}


def test_adding_a_team_waits_for_approval(alex, blake, make_user, team):
    practitioner = make_user("priya", Role.PRACTITIONER)
    edit(signed_in_client(alex), practitioner, [Role.PRACTITIONER], [team])
    assert not practitioner.teams.exists()
    decide(signed_in_client(blake), GrantRequest.objects.get(account=practitioner))
    assert list(practitioner.teams.all()) == [team]


def test_removing_a_role_or_a_team_takes_effect_at_once(alex, make_user, team, case, family):
    manager = make_user("marcus", Role.TEAM_MANAGER, Role.PRACTITIONER)
    team.members.add(manager)
    their_browser = signed_in_client(manager)
    person = reverse("people:person", args=[family["yusuf"].public_id])
    assert their_browser.get(person).status_code == 200

    edit(signed_in_client(alex), manager, [Role.PRACTITIONER], [])

    assert fresh(manager).roles == {Role.PRACTITIONER}
    assert not manager.teams.exists()
    assert not GrantRequest.objects.exists()
    assert their_browser.get(person).status_code == 403
    event = AuditEvent.objects.filter(details__change="access removed").get()
    assert event.details["removed_roles"] == ["team-manager"]
    assert event.details["removed_teams"] == [team.pk]


def test_deactivating_takes_effect_at_once_and_withdraws_what_was_waiting(alex, blake, worker):
    edit(signed_in_client(alex), worker, [Role.ANALYST, Role.PRACTITIONER])
    grant = GrantRequest.objects.get(account=worker)

    signed_in_client(alex).post(reverse("staff:deactivate", args=[worker.pk]))

    assert not fresh(worker).is_active
    grant.refresh_from_db()
    assert grant.status == "withdrawn"
    decide(signed_in_client(blake), grant)
    assert not fresh(worker).has_role(Role.PRACTITIONER)


def test_a_changed_request_replaces_the_one_an_approver_may_have_read(alex, blake, worker):
    admin = signed_in_client(alex)
    edit(admin, worker, [Role.ANALYST, Role.PRACTITIONER])
    first = GrantRequest.objects.get(account=worker)
    edit(admin, worker, [Role.ANALYST, Role.TEAM_MANAGER])

    response = decide(signed_in_client(blake), first)

    assert "no longer waiting" in response.content.decode()
    assert fresh(worker).roles == {Role.ANALYST}
    first.refresh_from_db()
    assert first.status == "superseded"
    second = GrantRequest.objects.get(account=worker, status=PENDING)
    assert second.role_list == [Role.TEAM_MANAGER]


def test_saving_the_form_unchanged_leaves_the_waiting_request_as_it_is(alex, worker, team):
    admin = signed_in_client(alex)
    edit(admin, worker, [Role.ANALYST, Role.PRACTITIONER], [team])
    grant = GrantRequest.objects.get(account=worker)
    page = admin.get(reverse("staff:edit", args=[worker.pk])).content.decode()
    assert "waiting for approval" in page

    edit(admin, worker, [Role.ANALYST, Role.PRACTITIONER], [team], first_name="Benjamin")

    assert GrantRequest.objects.get(status=PENDING) == grant


def test_unticking_everything_waiting_withdraws_the_request(alex, worker):
    admin = signed_in_client(alex)
    edit(admin, worker, [Role.ANALYST, Role.PRACTITIONER])
    edit(admin, worker, [Role.ANALYST])
    assert GrantRequest.objects.get().status == "withdrawn"


# -- what approvers see, and the trail ------------------------------------------------------


def test_approvers_see_what_waits_and_whether_they_may_decide_it(
    alex, blake, grace, worker, team, family
):
    edit(signed_in_client(alex), worker, [Role.ANALYST, Role.TEAM_MANAGER], [team])

    for_alex = signed_in_client(alex).get(REQUESTS).content.decode()
    for_grace = signed_in_client(grace).get(REQUESTS).content.decode()

    for page in (for_alex, for_grace):
        assert "Sam" in page and "Team manager" in page and team.name in page
        # Staff accounts only: nothing about a family.
        assert family["yusuf"].given_name not in page
    assert "No: you asked for this change" in for_alex
    assert "Yes" in for_grace


def test_requests_and_decisions_are_audited_with_ids_and_role_names_only(alex, blake, worker):
    edit(signed_in_client(alex), worker, [Role.ANALYST, Role.PRACTITIONER])
    grant = GrantRequest.objects.get()
    decide(signed_in_client(blake), grant)

    events = AuditEvent.objects.filter(record_type="access-request").order_by("id")
    asked, approved = list(events)
    assert (asked.actor, asked.action, asked.record_id) == (alex, "create", str(grant.public_id))
    assert asked.details["roles"] == ["practitioner"]
    assert asked.details["account"] == worker.pk
    assert (approved.actor, approved.action) == (blake, "change")
    assert approved.details["status"] == "approved"
    assert approved.details["requested_by"] == alex.pk


def test_new_account_waits_with_no_role_but_can_change_its_password(alex, blake):
    signed_in_client(alex).post(
        reverse("staff:create"),
        {
            "username": "newcomer",
            "first_name": "New",
            "last_name": "Comer",
            "email": "new@council.example",
            "roles": [Role.PRACTITIONER.value],
        },
    )
    newcomer = User.objects.get(username="newcomer")
    newcomer.must_change_password = False
    newcomer.save()
    TOTPDevice.objects.create(user=newcomer, name="Phone", confirmed=True)
    browser = signed_in_client(newcomer)
    assert browser.get(reverse("web:home")).status_code == 403
    assert browser.get(reverse("access:change_password")).status_code == 200


# -- who set up the account's sign-in ---------------------------------------------------------
#
# The issue: an administrator removed a practitioner's role, deactivated the account (which
# withdrew what waited), reset its second factor (at once: no role, nothing waiting), reset
# its password (shown to them), reactivated it and asked for the practitioner role again.
# The approver saw "Roles to add: Practitioner", approved, and the administrator signed in
# with the temporary password, set up their own authenticator and opened family records.


def request_page(browser, grant: GrantRequest) -> str:
    return browser.get(reverse("staff:request", args=[grant.public_id])).content.decode()


def waiting(account: User) -> GrantRequest:
    return GrantRequest.objects.get(account=account, status=PENDING)


@pytest.fixture
def sam(make_user, team):
    """A practitioner in the family's team, with their own password and authenticator."""
    user = make_user("sam", Role.PRACTITIONER)
    user.last_name = "Jones"
    user.save()
    team.members.add(user)
    return user


def test_the_takeover_in_the_issue_opens_no_family_data_without_an_approver_who_checked(
    alex, grace, sam, team, case, family
):
    admin = signed_in_client(alex)
    person = reverse("people:person", args=[family["yusuf"].public_id])

    # The sequence as the tester ran it.
    edit(admin, sam, [Role.ANALYST], [team])
    assert not fresh(sam).roles and waiting(sam).role_list == [Role.ANALYST]
    admin.post(reverse("staff:deactivate", args=[sam.pk]))
    assert not GrantRequest.objects.filter(account=sam, status=PENDING).exists()
    admin.post(reverse("staff:reset_second_factor", args=[sam.pk]))
    assert not TOTPDevice.objects.filter(user=sam).exists(), "at once: no role, none waiting"
    reset = admin.post(reverse("staff:reset_password", args=[sam.pk]), follow=True)
    password = shown(reset.content.decode(), "set-up-password")
    admin.post(reverse("staff:reactivate", args=[sam.pk]))
    edit(admin, sam, [Role.PRACTITIONER], [team])
    grant = waiting(sam)
    approver = signed_in_client(grace)

    # Nobody has signed in with the temporary password yet: approving is refused.
    response = decide(approver, grant)
    assert "has not yet signed in to set up their own authenticator app" in (
        response.content.decode()
    )
    assert not fresh(sam).roles

    # The administrator signs in as Sam, sets up their own authenticator, picks a password.
    taken = first_sign_in("sam", password)
    assert taken.get(person).status_code == 403
    sam = fresh(sam)
    assert sam.sign_in_unconfirmed
    assert sam.enrolled_with_password_set_by == alex

    # What the approver reads now: who set the password its sign-in was set up with.
    assert "no longer waiting" in decide(approver, grant).content.decode()
    grant.refresh_from_db()
    assert grant.status == "superseded", "renewed, so that the approver reads it afresh"
    grant = waiting(sam)
    page = request_page(approver, grant)
    assert 'id="check-with-holder"' in page
    assert "Temporary" not in page.split('id="sign-in-details"')[1].split("</dl>")[0]
    assert "after a temporary one set by Alex Demo" in page
    assert "with the temporary password Alex Demo set" in page
    assert "Alex Demo set that password and asked for this access" in page
    assert 'name="checked_with_holder"' in page

    # Approving without ticking that they checked with Sam grants nothing.
    response = decide(approver, grant)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tick to confirm that you have checked with Sam Jones themselves" in page
    assert 'href="#id_checked_with_holder"' in page
    assert not fresh(sam).roles
    assert fresh(sam).sign_in_unconfirmed
    assert taken.get(person).status_code == 403

    # Only an approver who ticks it gives the access, and the trail says who checked.
    assert decide(approver, grant, checked=True).status_code == 302
    sam = fresh(sam)
    assert sam.roles == {Role.PRACTITIONER}
    assert (sam.sign_in_unconfirmed, sam.sign_in_confirmed_by) == (False, grace)
    checked = AuditEvent.objects.get(details__change="sign-in checked with its holder")
    assert (checked.actor, checked.details["password_set_by"]) == (grace, alex.pk)
    decision = AuditEvent.objects.filter(record_type="access-request").latest("id")
    assert decision.details["checked_with_holder"] is True


def test_nobody_who_set_the_password_a_sign_in_was_set_up_with_approves_for_it(
    alex, blake, grace, sam
):
    password = shown(
        signed_in_client(alex)
        .post(reverse("staff:reset_password", args=[sam.pk]), follow=True)
        .content.decode(),
        "set-up-password",
    )
    # While the password is temporary, its setter cannot decide for the account.
    edit(signed_in_client(blake), sam, [Role.PRACTITIONER, Role.ANALYST])
    grant = waiting(sam)
    page = decide(signed_in_client(alex), grant).content.decode()
    assert "You set this account&#x27;s temporary password" in page

    # Nor, once a sign-in was set up with it, until someone has checked with the holder.
    sam.totpdevice_set.all().delete()
    first_sign_in("sam", password)
    grant = waiting(sam)
    page = decide(signed_in_client(alex), grant, checked=True).content.decode()
    assert "You set the temporary password this account&#x27;s authenticator was set up with" in (
        page
    )
    assert not fresh(sam).roles
    assert decide(signed_in_client(grace), grant, checked=True).status_code == 302
    assert fresh(sam).roles == {Role.PRACTITIONER, Role.ANALYST}


def test_an_authenticator_set_up_with_a_temporary_password_suspends_the_roles_at_once(
    alex, blake, grace, sam, case, family
):
    """A second-factor reset on approval, after a password reset, does not hand the account over."""
    admin = signed_in_client(alex)
    person = reverse("people:person", args=[family["yusuf"].public_id])
    reset = admin.post(reverse("staff:reset_password", args=[sam.pk]), follow=True)
    password = shown(reset.content.decode(), "set-up-password")
    admin.post(reverse("staff:reset_second_factor", args=[sam.pk]))
    grant = waiting(sam)
    assert grant.new_authenticator
    # The approver is told the requester knows the password its next sign-in uses.
    assert 'id="temporary-by-requester"' in request_page(signed_in_client(blake), grant)
    decide(signed_in_client(blake), grant)

    taken = first_sign_in("sam", password)

    assert taken.get(person).status_code == 403
    sam = fresh(sam)
    assert not sam.roles and sam.sign_in_unconfirmed
    assert not held_roles(sam), "moved into a request, not merely hidden"
    suspended = waiting(sam)
    assert suspended.role_list == [Role.PRACTITIONER]
    assert suspended.requested_by is None
    assert "the service suspended the account" in request_page(signed_in_client(grace), suspended)
    event = AuditEvent.objects.filter(details__suspended_roles=["practitioner"]).get()
    assert event.actor == sam
    assert "Tick to confirm" in decide(signed_in_client(blake), suspended).content.decode()
    decide(signed_in_client(blake), suspended, checked=True)
    assert taken.get(person).status_code == 200


def test_the_service_itself_refuses_an_approval_without_the_check_and_records_it(
    alex, blake, sam, rf
):
    """Not only the form: whatever calls grants.decide needs the check too."""
    sam.sign_in_unconfirmed = True
    sam.save()
    edit(signed_in_client(alex), sam, [Role.PRACTITIONER, Role.ANALYST])
    grant = waiting(sam)
    request = rf.post("/")
    request.user = blake

    with pytest.raises(grants.AccessChangeRefused, match="Tick to confirm"):
        grants.decide(request, grant, approve=True)

    assert not fresh(sam).has_role(Role.ANALYST)
    event = AuditEvent.objects.filter(record_type="staff-account").latest("id")
    assert (event.actor, event.details["refused"]) == (
        blake,
        f"approve access request {grant.public_id}",
    )
    grants.decide(request, grant, approve=True, checked_with_holder=True)
    assert fresh(sam).roles == {Role.PRACTITIONER, Role.ANALYST}


def test_deactivating_does_not_make_a_second_factor_reset_immediate(alex, sam):
    admin = signed_in_client(alex)
    device = sam.totpdevice_set.get()
    admin.post(reverse("staff:deactivate", args=[sam.pk]))
    admin.post(reverse("staff:reset_second_factor", args=[sam.pk]))
    admin.post(reverse("staff:reactivate", args=[sam.pk]))
    assert list(sam.totpdevice_set.all()) == [device]
    assert waiting(sam).new_authenticator


def test_only_an_approval_clears_an_unconfirmed_sign_in_not_a_later_reset(alex, blake, sam, team):
    """Whoever set up the first authenticator chose the password: a second one set up with
    that password is no more the holder's."""
    admin = signed_in_client(alex)
    edit(admin, sam, [Role.ANALYST], [team])
    admin.post(reverse("staff:deactivate", args=[sam.pk]))
    admin.post(reverse("staff:reset_second_factor", args=[sam.pk]))
    password = shown(
        admin.post(reverse("staff:reset_password", args=[sam.pk]), follow=True).content.decode(),
        "set-up-password",
    )
    admin.post(reverse("staff:reactivate", args=[sam.pk]))
    first_sign_in("sam", password, new_password="chosen-by-the-administrator-1")
    assert fresh(sam).sign_in_unconfirmed

    # Reset again, then set up an authenticator with the password the first sign-in chose.
    admin.post(reverse("staff:reset_second_factor", args=[sam.pk]))
    browser = Client()
    browser.post(
        reverse("access:login"), {"username": "sam", "password": "chosen-by-the-administrator-1"}
    )
    secret = shown(browser.get(reverse("access:enrol")).content.decode(), "enrol-secret")
    browser.post(reverse("access:enrol"), {"code": code_from_secret(secret)})
    sam = fresh(sam)
    assert sam.enrolled_with_temporary_password is False
    assert sam.sign_in_unconfirmed, "still to be checked with the holder"
    edit(admin, sam, [Role.PRACTITIONER], [team])
    assert "Tick to confirm" in decide(signed_in_client(blake), waiting(sam)).content.decode()
    assert not fresh(sam).roles


def test_an_unconfirmed_account_holds_no_working_role_however_it_was_given(sam, case, family):
    sam.sign_in_unconfirmed = True
    sam.save()
    browser = signed_in_client(sam)  # the group is still there, as a shell could leave it
    assert fresh(sam).groups.filter(name=Role.PRACTITIONER.value).exists()
    assert not fresh(sam).roles
    assert browser.get(reverse("people:person", args=[family["yusuf"].public_id])).status_code == (
        403
    )


def test_a_password_reset_alone_leaves_the_roles_working_behind_the_holders_authenticator(
    alex, sam
):
    signed_in_client(alex).post(reverse("staff:reset_password", args=[sam.pk]))
    sam = fresh(sam)
    assert sam.roles == {Role.PRACTITIONER}
    assert not sam.sign_in_unconfirmed
    assert (sam.password_set_by, sam.must_change_password) == (alex, True)


def test_the_account_page_says_who_set_its_sign_in_details(alex, sam):
    admin = signed_in_client(alex)
    admin.post(reverse("staff:reset_password", args=[sam.pk]))
    page = admin.get(reverse("staff:detail", args=[sam.pk])).content.decode()
    assert "Temporary, set by Alex Demo on" in page
    assert "Not yet changed at sign-in" in page


# -- accounts set up this way before the change -------------------------------------------------


def test_the_migration_flags_earlier_sign_ins_set_up_with_a_temporary_password(alex, make_user):
    from importlib import import_module

    from django.apps import apps

    from earlyhelp.audit.log import record

    migration = import_module("earlyhelp.access.migrations.0006_unconfirmed_earlier_enrolments")
    taken = make_user("taken", Role.PRACTITIONER)
    kept = make_user("kept", Role.PRACTITIONER)
    for account in (taken, kept):
        record(
            actor=alex,
            action="create",
            record_type="staff-account",
            details={"account": account.pk, "roles": []},
        )
    record(
        actor=kept,
        action="change",
        record_type="staff-account",
        details={"account": kept.pk, "change": "password changed by its holder"},
    )
    for account in (taken, kept):
        record(
            actor=account,
            action="change",
            record_type="staff-account",
            details={"account": account.pk, "change": "authenticator enrolled by its holder"},
        )

    migration.flag_earlier_enrolments(apps, None)

    taken, kept = fresh(taken), fresh(kept)
    assert taken.sign_in_unconfirmed and taken.enrolled_with_password_set_by == alex
    assert not taken.roles
    grant = waiting(taken)
    assert (grant.role_list, grant.requested_by) == ([Role.PRACTITIONER], None)
    assert not kept.sign_in_unconfirmed and kept.roles == {Role.PRACTITIONER}
