"""caseload.counts equals each list's rows for a manager in two teams, also
allocated a case of a third team, with several plans and contacts a case."""

from datetime import date, timedelta

from earlyhelp.access.roles import Role
from earlyhelp.cases import caseload
from tests.cases.test_work_lists import a_case, contact_days_ago
from tests.factories import PlanFactory, RestrictionFactory, TeamFactory


def test_counts_equal_rows_for_a_manager_of_two_teams(make_user, team):
    boss = make_user("marcus", Role.TEAM_MANAGER, Role.PRACTITIONER)
    second = TeamFactory(name="Second", service=team.service)
    team.members.add(boss)
    second.members.add(boss)
    third = TeamFactory(name="Third", service=team.service)
    today = date.today()
    for t in (team, second):
        for i in range(3):
            c = a_case(
                t,
                boss if i == 0 else None,
                family_name=f"F{t.pk}{i}",
                started=today - timedelta(days=200),
            )
            contact_days_ago(c, 100)
            contact_days_ago(c, 2 if i == 1 else 90)
            PlanFactory(
                case=c, agreed=today - timedelta(days=150), review_date=today - timedelta(days=5)
            )
            PlanFactory(
                case=c,
                agreed=today - timedelta(days=100),
                review_date=today + timedelta(days=5 if i else -3),
            )
    theirs = a_case(third, boss, family_name="Theirs", started=today - timedelta(days=200))
    RestrictionFactory(person=theirs.members.get().person, created_by=boss)
    got = caseload.counts(boss, today)
    for slug, count in got.items():
        assert caseload.work_list(boss, slug, today).count() == count, slug
