"""Home pages are work lists: a practitioner's open cases, a manager's team lists, each
counted, sorted and paged, with overdue flags from the policy's thresholds; each row passes
the case rule and every child a row names is recorded as looked at."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases import caseload
from earlyhelp.cases.models import Case
from earlyhelp.cases.services import open_case, record_contact
from earlyhelp.policy.active import active_policy
from tests.factories import PersonFactory, PlanFactory, RestrictionFactory, TeamFactory
from tests.policy import camden_dict, write_policy


def a_case(team, worker=None, *, family_name="Brown", started=None, ended=None) -> Case:
    child = PersonFactory(given_name="Kai", family_name=family_name, date_of_birth=date(2015, 1, 1))
    case = open_case(
        service=team.service,
        household=None,
        children=[child],
        reason="Support",
        team=team,
        started=started or date.today() - timedelta(days=3),
        created_by=None,
        allocated_worker=worker,
    )
    if ended:
        Case.objects.filter(pk=case.pk).update(ended=ended, closure_reason="other")
    return case


def contact_days_ago(case, days: int) -> None:
    when = timezone.make_aware(datetime.combine(date.today() - timedelta(days=days), time(10)))
    record_contact(case=case, author=None, kind="home_visit", occurred_at=when, note="Visit")


def listed(client, slug: str, **params) -> str:
    response = client.get(reverse("cases:work_list", args=[slug]), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_practitioners_list_is_their_own_open_cases_only(client, make_user, sign_in, team, case):
    priya = make_user("priya", Role.PRACTITIONER)
    team.members.add(priya)
    sign_in(priya)
    a_case(team, priya, family_name="Mine")
    a_case(team, priya, family_name="Closed", ended=date.today())
    a_case(team, make_user("tom", Role.PRACTITIONER), family_name="Toms")
    page = listed(client, "mine")
    assert "Kai Mine" in page
    assert "Kai Closed" not in page and "Kai Toms" not in page
    assert "Your open cases (1)" in page


def test_the_home_page_is_the_practitioners_work_list(client, make_user, sign_in, team):
    priya = make_user("priya", Role.PRACTITIONER)
    team.members.add(priya)
    sign_in(priya)
    a_case(team, priya, family_name="Mine")
    home = client.get(reverse("web:home")).content.decode()
    assert "Your open cases (1)" in home and "Kai Mine" in home


def test_a_practitioner_is_refused_the_teams_lists(client, make_user, sign_in, team):
    priya = make_user("priya", Role.PRACTITIONER)
    team.members.add(priya)
    sign_in(priya)
    for slug in ("team", "unallocated", "no-recent-contact", "reviews-overdue"):
        assert client.get(reverse("cases:work_list", args=[slug])).status_code == 403, slug


def test_a_list_that_does_not_exist_is_not_found(client, manager):
    assert client.get(reverse("cases:work_list", args=["everyone"])).status_code == 404


def test_a_managers_lists_hold_their_teams_open_cases_and_not_another_teams(
    client, manager, team, case, make_user
):
    a_case(team, family_name="Unallocated")
    a_case(TeamFactory(name="Youth", service="iyss"), family_name="Elsewhere")
    page = listed(client, "team")
    assert "Kai Unallocated" in page and "Yusuf Haddad" in page
    assert "Kai Elsewhere" not in page
    assert "open cases (2)" in page
    unallocated = listed(client, "unallocated")
    assert "Kai Unallocated" in unallocated


def test_no_recent_contact_follows_the_policys_threshold(client, manager, team, case):
    days = active_policy().casework.contact_overdue_after_days
    late = a_case(team, family_name="Late", started=date.today() - timedelta(days=days + 30))
    contact_days_ago(late, days + 1)
    recent = a_case(team, family_name="Recent", started=date.today() - timedelta(days=days + 30))
    contact_days_ago(recent, days - 1)
    never = a_case(team, family_name="Never", started=date.today() - timedelta(days=days + 1))
    new = a_case(team, family_name="New", started=date.today() - timedelta(days=days - 1))
    page = listed(client, "no-recent-contact")
    assert "Kai Late" in page and "Kai Never" in page
    assert "Kai Recent" not in page and "Kai New" not in page
    assert f"No contact for over {days} days" in page
    assert {late, never} <= set(caseload.work_list(manager, "no-recent-contact", date.today()))
    assert new not in caseload.work_list(manager, "no-recent-contact", date.today())


def test_a_stricter_threshold_in_the_policy_lists_more_cases(
    client, manager, team, settings, tmp_path
):
    days = active_policy().casework.contact_overdue_after_days
    stale = a_case(team, family_name="Stale", started=date.today() - timedelta(days=days * 3))
    contact_days_ago(stale, days - 2)
    assert "Kai Stale" not in listed(client, "no-recent-contact")
    data = camden_dict()
    data["casework"]["contact_overdue_after_days"] = days - 3
    settings.POLICY_PATH = write_policy(tmp_path, data)
    assert "Kai Stale" in listed(client, "no-recent-contact")


def test_reviews_overdue_lists_a_plan_whose_review_date_has_passed(client, manager, team):
    due = a_case(team, family_name="Due")
    PlanFactory(case=due, agreed=date.today() - timedelta(days=60), review_date=date.today())
    late = a_case(team, family_name="Late")
    PlanFactory(
        case=late,
        agreed=date.today() - timedelta(days=60),
        review_date=date.today() - timedelta(days=1),
    )
    page = listed(client, "reviews-overdue")
    assert "Kai Late" in page and "Kai Due" not in page
    assert "Plan review overdue" in page


def test_the_latest_plans_review_date_counts_not_an_earlier_plans(client, manager, team):
    replanned = a_case(team, family_name="Replanned")
    PlanFactory(
        case=replanned,
        agreed=date.today() - timedelta(days=90),
        review_date=date.today() - timedelta(days=40),
    )
    PlanFactory(
        case=replanned,
        agreed=date.today() - timedelta(days=10),
        review_date=date.today() + timedelta(days=30),
    )
    assert "Kai Replanned" not in listed(client, "reviews-overdue")


def test_lists_sort_by_the_column_asked_for_either_way(client, manager, team):
    for name, days in (("Able", 5), ("Baker", 1), ("Carter", 9)):
        contact_days_ago(a_case(team, family_name=name), days)
    by_name = listed(client, "team", sort="family")
    assert by_name.index("Kai Able") < by_name.index("Kai Baker") < by_name.index("Kai Carter")
    newest_first = listed(client, "team", sort="last-contact", order="desc")
    assert (
        newest_first.index("Kai Baker")
        < newest_first.index("Kai Able")
        < newest_first.index("Kai Carter")
    )
    assert 'aria-sort="descending"' in newest_first


def test_an_unknown_sort_or_page_falls_back_rather_than_failing(client, manager, team):
    a_case(team, family_name="Able")
    page = listed(client, "team", sort="'; drop table", page="9999")
    assert "Kai Able" in page
    assert listed(client, "team", page="abc")


def test_lists_are_paged_with_the_count_of_the_whole_list(client, manager, team, case):
    # With the family's own unallocated case (Haddad, sorted after these), one more page.
    for n in range(caseload.PAGE_SIZE + 2):
        a_case(team, family_name=f"Family{n:02d}")
    first = listed(client, "unallocated")
    assert f"Cases not allocated ({caseload.PAGE_SIZE + 3})" in first
    assert "Page 1 of 2" in first and "Kai Family24" in first and "Kai Family25" not in first
    second = listed(client, "unallocated", page=2)
    assert "Kai Family26" in second and "Yusuf Haddad" in second
    assert "Kai Family00" not in second


def test_every_child_a_list_names_is_recorded_as_looked_at(client, manager, team, case, family):
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    listed(client, "team")
    looks = AuditEvent.objects.filter(id__gt=before, action="view", record_type="person")
    looked_at = {event.record_id for event in looks}
    assert {str(family["yusuf"].public_id), str(family["leila"].public_id)} <= looked_at
    assert all(event.details == {"page": "work-list"} for event in looks)


def test_a_restricted_case_on_a_list_names_no_one_and_says_whom_to_ask(
    client, manager, team, case, family, make_user
):
    keeper = make_user("keeper", Role.TEAM_MANAGER)
    keeper.first_name, keeper.last_name = "Sam", "Kowalczyk"
    keeper.save()
    RestrictionFactory(person=family["yusuf"], created_by=keeper, named_users=[keeper])
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    page = listed(client, "team")
    assert "Yusuf Haddad" not in page and "Leila Haddad" not in page
    assert "Ask Sam Kowalczyk" in page
    looks = AuditEvent.objects.filter(id__gt=before, action="view", record_type="person")
    assert not looks.filter(record_id=str(family["leila"].public_id)).exists()


@pytest.mark.parametrize("slug", list(caseload.WORK_LISTS))
def test_each_list_shows_words_not_codes(client, manager, team, case, slug):
    PlanFactory(case=case, agreed=date.today() - timedelta(days=60), review_date=date.today())
    page = listed(client, slug)
    assert "family-support-and-complex-families" not in page


@pytest.mark.parametrize("descending", [False, True])
def test_restricted_rows_come_last_in_the_order_they_were_made_whatever_the_sort(
    manager, team, make_user, descending
):
    keeper = make_user("keeper", Role.TEAM_MANAGER)
    zed, abbot, seen = (a_case(team, family_name=name) for name in ("Zed", "Abbot", "Mid"))
    for hidden in (zed, abbot):
        RestrictionFactory(
            person=hidden.members.get().person, created_by=keeper, named_users=[keeper]
        )
    cases = caseload.annotated(Case.objects.filter(pk__in=[zed.pk, abbot.pk, seen.pk]), manager)
    for sort in caseload.SORTS:
        page, _ = caseload.sorted_page(cases, sort, descending, 1)
        assert [row.pk for row in page] == [seen.pk, zed.pk, abbot.pk], sort


def test_a_workers_tasks_are_their_own_cases_without_recent_contact_or_with_a_review_overdue(
    client, make_user, sign_in, team
):
    priya = make_user("priya", Role.PRACTITIONER)
    team.members.add(priya)
    sign_in(priya)
    days = active_policy().casework.contact_overdue_after_days
    long_ago = date.today() - timedelta(days=days + 30)
    quiet = a_case(team, priya, family_name="Quiet", started=long_ago)
    contact_days_ago(quiet, days + 1)
    seen = a_case(team, priya, family_name="Seen", started=long_ago)
    contact_days_ago(seen, 2)
    PlanFactory(
        case=seen,
        agreed=date.today() - timedelta(days=60),
        review_date=date.today() - timedelta(days=1),
    )
    someone_elses = a_case(team, make_user("tom", Role.PRACTITIONER), family_name="Toms")
    Case.objects.filter(pk=someone_elses.pk).update(started=long_ago)
    home = client.get(reverse("web:home")).content.decode()
    assert "Your cases with no contact recently</a>: 1" in home
    assert "Your plan reviews overdue</a>: 1" in home
    no_contact = listed(client, "mine-no-recent-contact")
    assert "Kai Quiet" in no_contact and "Kai Seen" not in no_contact
    assert "Kai Toms" not in no_contact
    overdue = listed(client, "mine-reviews-overdue")
    assert "Kai Seen" in overdue and "Kai Quiet" not in overdue


def test_each_lists_count_is_how_many_cases_it_lists_for_a_manager_and_a_worker(
    make_user, request_as, team
):
    """caseload.counts counts every list in one query per kind of list: the figures agree
    with the lists themselves and with a count made by hand."""
    from earlyhelp.cases import closure
    from tests.cases.test_plans import need_on

    boss = make_user("marcus", Role.TEAM_MANAGER)
    priya = make_user("priya", Role.PRACTITIONER)
    team.members.add(boss, priya)
    days = active_policy().casework.contact_overdue_after_days
    long_ago = date.today() - timedelta(days=days + 30)
    a_case(team, family_name="Unallocated")
    quiet = a_case(team, priya, family_name="Quiet", started=long_ago)
    overdue = a_case(team, priya, family_name="Overdue")
    PlanFactory(
        case=overdue,
        agreed=date.today() - timedelta(days=60),
        review_date=date.today() - timedelta(days=1),
    )
    a_case(team, priya, family_name="Closed", ended=date.today())
    a_case(TeamFactory(name="Other", service=team.service), family_name="Elsewhere")
    closing = a_case(team, priya, family_name="Closing")
    closure.request_closure(
        request_as(priya),
        closing,
        reason="needs-met",
        summary="Goes to school every day",
        closing_on=date.today(),
        outcomes=[
            closure.OutcomeAtClosure(need_on(closing), True, True, "Attendance 97% this term")
        ],
    )
    today = date.today()
    assert caseload.counts(boss, today) == {
        "team": 4,
        "unallocated": 1,
        "no-recent-contact": 1,
        "reviews-overdue": 1,
        "awaiting-sign-off": 1,
        "mine": 0,
        "mine-no-recent-contact": 0,
        "mine-reviews-overdue": 0,
    }
    assert caseload.counts(priya, today) == {
        "mine": 3,
        "mine-no-recent-contact": 1,
        "mine-reviews-overdue": 1,
    }
    assert quiet.pk in caseload.work_list(priya, "mine-no-recent-contact", today).values_list(
        "pk", flat=True
    )
    for user in (boss, priya):
        for slug, count in caseload.counts(user, today).items():
            assert caseload.work_list(user, slug, today).count() == count, slug
