"""Access is taken away by one person and granted by two; nobody changes their own.

The issue: an administrator gave their own account the team manager role and a team, then
opened a child's record with special category facts, and the only trace was a
"change staff-account" event.
"""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.access.grants import FAMILY_DATA_ROLES
from earlyhelp.access.models import GrantRequest, User
from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases.models import Team
from tests.access.test_staff_admin import signed_in_client

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


def decide(browser, grant: GrantRequest, decision: str = "approve"):
    return browser.post(reverse("staff:request", args=[grant.public_id]), {"decision": decision})


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # User.roles is cached on the instance


@pytest.fixture
def alex(make_user):
    return make_user("alex", Role.SYSTEM_ADMINISTRATOR)


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
