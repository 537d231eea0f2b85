"""A team manager allocates and reallocates a case to a worker of the team, with a reason;
the history is kept, the worker is told on their home page, and a refused allocation
writes nothing."""

from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases.models import Allocation, Case
from tests.factories import RestrictionFactory, TeamFactory


def allocate_url(case) -> str:
    return reverse("cases:allocate", args=[case.public_id])


@pytest.fixture
def priya(make_user, team):
    user = make_user("priya", Role.PRACTITIONER)
    user.first_name, user.last_name = "Priya", "Shah"
    user.save()
    team.members.add(user)
    return user


@pytest.fixture
def tom(make_user, team):
    user = make_user("tom", Role.PRACTITIONER)
    user.first_name, user.last_name = "Tom", "Okafor"
    user.save()
    team.members.add(user)
    return user


def post(client, case, worker, reason="Knows the family from the children's centre"):
    return client.post(
        allocate_url(case), {"worker": "none" if worker is None else worker.pk, "reason": reason}
    )


def test_manager_allocates_an_unallocated_case_with_a_reason_and_it_is_audited(
    client, manager, case, priya
):
    response = post(client, case, priya)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.allocated_worker == priya
    allocation = Allocation.objects.get(case=case)
    assert (allocation.worker, allocation.allocated_by) == (priya, manager)
    assert allocation.reason == "Knows the family from the children's centre"
    event = AuditEvent.objects.filter(action="allocate", record_type="case").latest("id")
    assert event.record_id == str(case.public_id)
    assert event.actor == manager
    assert event.details == {"allocation": str(allocation.public_id)}


def test_reallocation_keeps_the_history_and_the_case_page_shows_it(
    client, manager, case, priya, tom
):
    post(client, case, priya, "First worker")
    post(client, case, tom, "Priya is on leave for three months")
    case.refresh_from_db()
    assert case.allocated_worker == tom
    assert list(case.allocations.order_by("allocated_at").values_list("worker", flat=True)) == [
        priya.pk,
        tom.pk,
    ]
    page = client.get(reverse("cases:case", args=[case.public_id])).content.decode()
    assert "to Priya Shah" in page and "to Tom Okafor" in page
    assert "Priya is on leave for three months" in page


def test_a_case_can_go_back_to_no_one_and_then_shows_as_unallocated(client, manager, case, priya):
    post(client, case, priya)
    response = post(client, case, None, "Priya has left the team")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.allocated_worker is None
    listed = client.get(reverse("cases:work_list", args=["unallocated"])).content.decode()
    assert "Yusuf Haddad" in listed


def test_the_worker_is_told_on_their_home_page_until_they_open_the_case(
    client, manager, case, priya, sign_in
):
    post(client, case, priya, "Knows the school")
    sign_in(priya)
    home = client.get(reverse("web:home")).content.decode()
    assert "Allocated to you" in home and "Knows the school" in home
    client.get(reverse("cases:case", args=[case.public_id]))
    home = client.get(reverse("web:home")).content.decode()
    assert "Allocated to you" not in home
    assert Allocation.objects.get(case=case).seen_at is not None


def _nothing_written(case, before_events: int):
    assert not Allocation.objects.filter(case=case).exists()
    assert Case.objects.get(pk=case.pk).allocated_worker is None
    assert AuditEvent.objects.filter(action="allocate", record_type="case").count() == before_events


def test_no_reason_is_refused_naming_the_field_and_nothing_is_written(client, manager, case, priya):
    before = AuditEvent.objects.filter(action="allocate", record_type="case").count()
    response = post(client, case, priya, "   ")
    assert response.status_code == 200
    assert "Enter the reason for the allocation" in response.content.decode()
    _nothing_written(case, before)


def test_a_worker_outside_the_team_cannot_be_chosen_and_nothing_is_written(
    client, manager, case, make_user
):
    outsider = make_user("olu", Role.PRACTITIONER)
    TeamFactory(name="Youth team", service="iyss").members.add(outsider)
    before = AuditEvent.objects.filter(action="allocate", record_type="case").count()
    response = post(client, case, outsider)
    assert response.status_code == 200
    assert "Select a worker of the case&#x27;s team" in response.content.decode()
    _nothing_written(case, before)


def test_an_analyst_in_the_team_is_not_offered(client, manager, case, make_user, team):
    analyst = make_user("ana", Role.ANALYST)
    team.members.add(analyst)
    page = client.get(allocate_url(case)).content.decode()
    assert f'value="{analyst.pk}"' not in page


def test_a_worker_a_restriction_excludes_is_not_offered_nor_accepted(
    client, manager, case, family, priya, tom
):
    restriction = RestrictionFactory(person=family["yusuf"], reason="Priya's neighbour")
    restriction.named_users.add(manager, tom)
    page = client.get(allocate_url(case)).content.decode()
    assert f'value="{priya.pk}"' not in page and f'value="{tom.pk}"' in page
    before = AuditEvent.objects.filter(action="allocate", record_type="case").count()
    assert post(client, case, priya).status_code == 200
    _nothing_written(case, before)


def test_allocating_to_the_worker_it_already_has_is_refused(client, manager, case, priya):
    post(client, case, priya)
    response = post(client, case, priya, "Again")
    assert "already allocated to Priya Shah" in response.content.decode()
    assert Allocation.objects.filter(case=case).count() == 1


def test_a_closed_case_cannot_be_allocated(client, manager, case, priya):
    Case.objects.filter(pk=case.pk).update(ended=date(2026, 11, 1), closure_reason="other")
    before = AuditEvent.objects.filter(action="allocate", record_type="case").count()
    response = post(client, case, priya)
    assert response.status_code == 200
    assert "a closed case cannot be allocated" in response.content.decode()
    _nothing_written(case, before)


@pytest.mark.parametrize("who", ["practitioner of the team", "manager of another team"])
def test_only_a_manager_of_the_cases_team_may_allocate_and_a_refusal_writes_nothing(
    client, make_user, sign_in, case, priya, who
):
    if who == "practitioner of the team":
        sign_in(priya)
    else:
        other = make_user("mina", Role.TEAM_MANAGER)
        TeamFactory(name="Youth team", service="iyss").members.add(other)
        sign_in(other)
    before = AuditEvent.objects.filter(action="allocate", record_type="case").count()
    assert post(client, case, priya).status_code == 403
    _nothing_written(case, before)


def test_a_manager_allocated_the_case_but_outside_its_team_may_not_allocate_it(
    client, make_user, sign_in, case, priya
):
    outside = make_user("mina", Role.TEAM_MANAGER)
    Case.objects.filter(pk=case.pk).update(allocated_worker=outside)
    sign_in(outside)
    assert client.get(allocate_url(case)).status_code == 403
    assert post(client, case, priya).status_code == 403
    assert not Allocation.objects.filter(case=case).exists()


def test_a_manager_in_by_emergency_access_may_not_allocate(
    client, make_user, sign_in, case, family, priya
):
    from earlyhelp.access.rules import BREAK_GLASS_SESSION_KEY

    other = make_user("mina", Role.TEAM_MANAGER)
    sign_in(other)
    session = client.session
    session[BREAK_GLASS_SESSION_KEY] = {str(family["yusuf"].public_id): 4102444800}
    session.save()
    assert client.get(reverse("cases:case", args=[case.public_id])).status_code == 200
    assert post(client, case, priya).status_code == 403
    assert not Allocation.objects.filter(case=case).exists()


def test_the_allocation_service_itself_refuses_anyone_but_a_manager_of_the_cases_team(
    case, priya, tom, request_as, make_user
):
    from earlyhelp.cases.services import AllocationRefused, allocate_case_as

    outsider = make_user("olu", Role.TEAM_MANAGER)
    for who in (priya, outsider):
        with pytest.raises(AllocationRefused, match=r"^allocated_by: a manager of"):
            allocate_case_as(request_as(who), case, worker=tom, reason="Cover for leave")
    assert not Allocation.objects.filter(case=case).exists()
    assert not AuditEvent.objects.filter(action="allocate").exists()
