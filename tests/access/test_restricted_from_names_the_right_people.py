"""restricted_from(user), the list form of is_restricted_from, holds exactly the people
whose restriction does not name the user: worked out by hand for a restriction naming
them, one naming someone else, one naming both and one naming no one."""

from earlyhelp.access import rules
from earlyhelp.access.roles import Role
from earlyhelp.people.models import Person
from tests.factories import PersonFactory, RestrictionFactory


def test_restricted_from_is_everyone_whose_restriction_does_not_name_the_user(make_user):
    me, colleague = make_user("mia", Role.PRACTITIONER), make_user("cal", Role.PRACTITIONER)
    maker = make_user("max", Role.TEAM_MANAGER)
    open_to_all, names_me, names_colleague, names_both, names_no_one = (
        PersonFactory() for _ in range(5)
    )
    RestrictionFactory(person=names_me, created_by=maker, named_users=[me])
    RestrictionFactory(person=names_colleague, created_by=maker, named_users=[colleague])
    RestrictionFactory(person=names_both, created_by=maker, named_users=[me, colleague])
    RestrictionFactory(person=names_no_one, created_by=maker, named_users=[])
    expected = {
        me: {names_colleague, names_no_one},
        colleague: {names_me, names_no_one},
        maker: {names_me, names_colleague, names_both, names_no_one},
    }
    for user, restricted in expected.items():
        listed = set(Person.objects.filter(pk__in=rules.restricted_from(user)))
        assert listed == restricted, user.username
        one_by_one = {p for p in Person.objects.all() if rules.is_restricted_from(user, p)}
        assert one_by_one == restricted, user.username
    assert open_to_all not in set(Person.objects.filter(pk__in=rules.restricted_from(maker)))
