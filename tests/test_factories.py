"""The test factories make valid, synthetic rows and write no audit event."""

import pytest
from django.utils import timezone

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.people.identifiers import nhs_number_is_valid, nhs_number_range
from earlyhelp.synthetic import vocabulary as vocab
from tests import factories as f

pytestmark = pytest.mark.django_db

FACTORIES = [
    f.StaffFactory,
    f.GrantRequestFactory,
    f.PersonFactory,
    f.PersonNameFactory,
    f.AddressFactory,
    f.PersonAddressFactory,
    f.ContactMethodFactory,
    f.HouseholdFactory,
    f.HouseholdMemberFactory,
    f.RelationshipFactory,
    f.HealthConditionFactory,
    f.EthnicityFactory,
    f.RiskFactory,
    f.OffenceRecordFactory,
    f.RestrictionFactory,
    f.TeamFactory,
    f.CaseFactory,
    f.CaseMemberFactory,
    f.ContactFactory,
    f.AssessmentFactory,
    f.PlanFactory,
    f.DocumentFactory,
    f.GroupSessionFactory,
    f.AttendanceFactory,
    f.ObjectionFactory,
    f.ExtractFactory,
    f.FormSubmissionFactory,
]


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda factory: factory.__name__)
def test_each_factory_makes_a_row_that_passes_the_models_validation(factory):
    row = factory()
    row.refresh_from_db()
    row.full_clean()


def test_two_rows_of_a_factory_are_both_valid():
    # Unique fields (a team's name, a username) come from the sequence, not a constant.
    for factory in (f.StaffFactory, f.TeamFactory, f.PersonFactory, f.AddressFactory):
        first, second = factory(), factory()
        first.full_clean()
        second.full_clean()


def test_factories_write_no_audit_event():
    before = AuditEvent.objects.count()
    for factory in FACTORIES:
        factory()
    assert AuditEvent.objects.count() == before


def test_a_persons_nhs_number_is_valid_and_in_the_test_range_never_issued():
    for person in f.PersonFactory.create_batch(30):
        assert nhs_number_is_valid(person.nhs_number)
        assert nhs_number_range(person.nhs_number) == "test"
        assert person.nhs_number.startswith("999")


def test_a_persons_names_come_from_the_synthetic_vocabulary():
    given = set(vocab.FEMALE_FIRST_NAMES + vocab.MALE_FIRST_NAMES)
    for person in f.PersonFactory.create_batch(10):
        assert person.given_name in given
        assert person.family_name in vocab.SURNAMES


def test_a_person_is_a_child_and_an_adult_is_grown_up():
    today = timezone.localdate()
    assert all(1 <= p.age_on(today) < 18 for p in f.PersonFactory.create_batch(20))
    assert all(18 <= p.age_on(today) < 60 for p in f.PersonFactory.create_batch(20, adult=True))


def test_staff_get_their_roles_and_an_authenticator_as_the_make_user_fixture_gives():
    user = f.StaffFactory(roles=[Role.PRACTITIONER, Role.ANALYST])
    assert user.roles == {Role.PRACTITIONER, Role.ANALYST}
    assert user.totpdevice_set.get().confirmed
    assert not f.StaffFactory(authenticator=False).totpdevice_set.exists()


def test_a_restriction_is_open_to_the_users_named():
    named = f.StaffFactory()
    restriction = f.RestrictionFactory(named_users=[named])
    assert list(restriction.named_users.all()) == [named]
