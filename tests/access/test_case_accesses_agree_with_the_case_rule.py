"""case_accesses over a list agrees with the case rule as written before it, case by case:
a second implementation, kept here as the oracle."""

import time
from datetime import date

from earlyhelp.access import rules
from earlyhelp.access.roles import Role
from earlyhelp.access.rules import Access, _restricted_access, break_glass_active
from earlyhelp.cases.models import CaseMember
from earlyhelp.people.models import Person
from tests.factories import CaseFactory, PersonFactory, RestrictionFactory, TeamFactory


def old_rule(request, case) -> Access:
    members = Person.objects.filter(case_memberships__case=case).select_related(
        "restriction__created_by"
    )
    closed = _restricted_access(request.user, members)
    if closed is not None:
        return closed
    if rules.cases_of_my_teams(request.user).filter(pk=case.pk).exists():
        return Access(True)
    if any(break_glass_active(request, person) for person in members):
        return Access(True, emergency=True)
    return Access(False)


def test_the_list_rule_agrees_with_the_case_rule_for_every_kind_of_case(make_user, request_as):
    me = make_user("mia", Role.PRACTITIONER)
    mine = TeamFactory()
    mine.members.add(me)
    other = TeamFactory()
    keeper = make_user("kim", Role.TEAM_MANAGER)
    cases = []
    # 1 my team's; 2 another team's allocated to me; 3 another team's; 4 restricted, me named;
    # 5 restricted not naming me; 6 break-glass live; 7 break-glass expired; 8 empty;
    # 9 two restricted members; 10 closed case of my team
    c1 = CaseFactory(team=mine)
    CaseMember.objects.create(case=c1, person=PersonFactory(), role="child")
    c2 = CaseFactory(team=other, allocated_worker=me)
    CaseMember.objects.create(case=c2, person=PersonFactory(), role="child")
    c3 = CaseFactory(team=other)
    p3 = PersonFactory()
    CaseMember.objects.create(case=c3, person=p3, role="child")
    c4 = CaseFactory(team=other)
    p4 = PersonFactory()
    CaseMember.objects.create(case=c4, person=p4, role="child")
    RestrictionFactory(person=p4, created_by=keeper, named_users=[me])
    c5 = CaseFactory(team=mine)
    p5 = PersonFactory()
    CaseMember.objects.create(case=c5, person=p5, role="child")
    RestrictionFactory(person=p5, created_by=keeper)
    c6 = CaseFactory(team=other)
    p6 = PersonFactory()
    CaseMember.objects.create(case=c6, person=p6, role="child")
    c7 = CaseFactory(team=other)
    p7 = PersonFactory()
    CaseMember.objects.create(case=c7, person=p7, role="child")
    c8 = CaseFactory(team=other)
    c9 = CaseFactory(team=mine)
    for _ in range(2):
        p = PersonFactory()
        CaseMember.objects.create(case=c9, person=p, role="child")
        RestrictionFactory(person=p, created_by=make_user(f"k{p.pk}", Role.TEAM_MANAGER))
    c10 = CaseFactory(team=mine, ended=date(2026, 10, 1), started=date(2026, 1, 1))
    # the same person on two cases
    CaseMember.objects.create(case=c10, person=p3, role="child")
    cases = [c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c3]
    for who in (me, make_user("ig", Role.INFORMATION_GOVERNANCE), make_user("an", Role.ANALYST)):
        request = request_as(who)
        request.session[rules.BREAK_GLASS_SESSION_KEY] = {
            str(p6.public_id): time.time() + 600,
            str(p7.public_id): time.time() - 1,
        }
        got = rules.case_accesses(request, cases)
        for case in cases:
            assert got[case.pk] == old_rule(request, case), (who.username, cases.index(case) + 1)
