"""holds_any(user, ids), allocated_to(user, ref) and held_by_no_case(ref) agree with
allocated_person_ids(user) and is_held for each person: former household members, merged
records, closed cases and a case allocated outside the team."""

from datetime import date

from django.db.models import OuterRef

from earlyhelp.access import rules
from earlyhelp.access.roles import Role
from earlyhelp.cases.models import CaseMember
from earlyhelp.people.models import HouseholdMember, Person
from tests.factories import CaseFactory, HouseholdFactory, PersonFactory, TeamFactory


def test_holds_any_agrees_person_by_person(make_user):
    me = make_user("mia", Role.PRACTITIONER)
    mine, other = TeamFactory(), TeamFactory()
    mine.members.add(me)
    h1, h2, h3 = HouseholdFactory(), HouseholdFactory(), HouseholdFactory()
    on_case, in_house, left, elsewhere, merged_from, merged_to, closed_one, alloc = (
        PersonFactory() for _ in range(8)
    )
    c1 = CaseFactory(team=mine, household=h1)
    CaseMember.objects.create(case=c1, person=on_case, role="child")
    HouseholdMember.objects.create(household=h1, person=in_house)
    HouseholdMember.objects.create(household=h1, person=left, left_on=date(2026, 1, 1))
    HouseholdMember.objects.create(household=h2, person=elsewhere)
    c2 = CaseFactory(team=other, household=h2)
    # On another team's case only: on a case, but not one of mine.
    theirs = PersonFactory()
    CaseMember.objects.create(case=c2, person=theirs, role="child")
    merged_from.merged_into = merged_to
    merged_from.save()
    CaseMember.objects.create(case=c1, person=merged_from, role="family")
    c3 = CaseFactory(team=mine, household=h3, ended=date(2026, 10, 1))
    CaseMember.objects.create(case=c3, person=closed_one, role="child")
    c4 = CaseFactory(team=other, household=None, allocated_worker=me)
    CaseMember.objects.create(case=c4, person=alloc, role="child")
    HouseholdMember.objects.create(household=HouseholdFactory(), person=left)
    manager = make_user("max", Role.TEAM_MANAGER)
    mine.members.add(manager)
    for who in (me, manager, make_user("ig", Role.INFORMATION_GOVERNANCE)):
        held = set(rules.allocated_person_ids(who).values_list("pk", flat=True))
        for p in Person.objects.all():
            assert rules.holds_any(who, [p.pk]) == (p.pk in held), (who.username, p)
        assert rules.holds_any(who, [p.pk for p in Person.objects.all()]) == bool(held)
        # The row-by-row form (reviews of records due for destruction) says the same.
        rows = Person.objects.filter(rules.allocated_to(who, OuterRef("pk")))
        assert set(rows.values_list("pk", flat=True)) == held, who.username
        assert theirs.pk not in held
    # Worked by hand: my team's and my allocated cases' people, and those living with them.
    expected = {on_case, in_house, merged_from, closed_one, alloc}
    assert set(Person.objects.filter(pk__in=rules.allocated_person_ids(me))) == expected
    unheld = Person.objects.filter(rules.held_by_no_case(OuterRef("pk")))
    assert set(unheld) == {p for p in Person.objects.all() if not rules.is_held(p)}
