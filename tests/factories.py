"""Test factories (factory_boy) for the rows tests make directly.

One module for every app, not one per app: the test folders do not follow the apps
(tests/access makes people, cases and restrictions), and the factories lean on each
other across apps (a case needs a household and a team, a restriction a person and a
member of staff), so one import path serves every test.

The rows are fixtures, not users' actions: no factory records an audit event. A test
about an audited write calls the service function (open_case, merge_people, ...).

Everything is synthetic. Names come from the project's own vocabulary
(earlyhelp.synthetic.vocabulary), never from Faker's real-looking names; NHS numbers
come from the 999 test range, which is never issued to a patient; streets are Camden
place names, not anyone's address. Values are drawn from the factory sequence, not
at random, so a failing test makes the same rows when run again.

A test that depends on a value sets it in the call, whatever the default: the defaults
are only there to make a valid row.
"""

from datetime import date, timedelta

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.access.models import GrantRequest, Restriction, User
from earlyhelp.cases import models as cases
from earlyhelp.extracts.models import Extract, Objection
from earlyhelp.people import models as people
from earlyhelp.people.identifiers import NHS_TEST_PREFIX, nhs_check_digit
from earlyhelp.synthetic import vocabulary as vocab
from earlyhelp.web.models import FormSubmission
from tests.conftest import STRONG_PASSWORD

FAMILY_SUPPORT = "family-support-and-complex-families"
# Camden streets, each with its own postcode district, so an address is coherent.
_STREETS = vocab.STREETS
# The first NHS number stem the factories hand out: tests pick their own numbers at the
# start of the test range (999 000 0018, 999 000 0042), so the factories start well after.
_FIRST_NHS_STEM = 500_000


def _pick(names: tuple[str, ...], stride: int = 1):
    """The n-th name of `names`, stepping by `stride` so two pickers do not move together."""
    return factory.Sequence(lambda n: names[(n * stride) % len(names)])


def synthetic_nhs_number(n: int) -> str:
    """The n-th valid NHS number of the 999 test range handed out to factories.

    Stems whose check value is 10 are never issued, so they are stepped over.
    """
    stem = _FIRST_NHS_STEM + n
    while (check := nhs_check_digit(f"{NHS_TEST_PREFIX}{stem:06d}")) is None:
        stem += 1
    return f"{NHS_TEST_PREFIX}{stem:06d}{check}"


def born_years_ago(years: int, n: int) -> date:
    """A birthday `years` (and up to about ten months) ago: plausible, never in the future."""
    return timezone.localdate() - timedelta(days=365 * years + (n * 37) % 300)


# --- staff ------------------------------------------------------------------------------


class StaffFactory(factory.django.DjangoModelFactory):
    """A member of staff with a confirmed authenticator, as the `make_user` fixture makes.

    `roles=[Role.PRACTITIONER, ...]` gives the roles as that fixture does (each a group of
    the role's name); `authenticator=False` leaves the account without one.
    """

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = _pick(vocab.FEMALE_FIRST_NAMES, 7)
    last_name = _pick(vocab.SURNAMES, 11)
    password = factory.django.Password(STRONG_PASSWORD)

    @factory.post_generation
    def roles(self, create, roles, **kwargs):
        if create and roles:
            # get_or_create: transactional tests empty the tables the migrations filled.
            self.groups.set([Group.objects.get_or_create(name=role.value)[0] for role in roles])
            self.__dict__.pop("roles", None)  # User.roles is cached

    @factory.post_generation
    def authenticator(self, create, wanted, **kwargs):
        if create and wanted is not False:
            TOTPDevice.objects.create(user=self, name="Phone", confirmed=True)


class GrantRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrantRequest

    account = factory.SubFactory(StaffFactory)
    roles = factory.LazyFunction(list)


# --- people -----------------------------------------------------------------------------


class PersonFactory(factory.django.DjangoModelFactory):
    """A child with a synthetic NHS number, or a grown-up with `adult=True`.

    `unidentified=True` makes one with no NHS number, and no birthday unless one is given.
    """

    class Meta:
        model = people.Person

    class Params:
        adult = factory.Trait(
            date_of_birth=factory.Sequence(lambda n: born_years_ago(25 + n % 30, n))
        )
        # No NHS number, and no birthday unless the test gives one: what matching, search
        # and merge tests start from, so no generated value sways a score or a merge.
        unidentified = factory.Trait(date_of_birth=None, nhs_number="")

    given_name = _pick(vocab.FEMALE_FIRST_NAMES + vocab.MALE_FIRST_NAMES, 7)
    family_name = _pick(vocab.SURNAMES, 13)
    date_of_birth = factory.Sequence(lambda n: born_years_ago(2 + n % 14, n))
    nhs_number = factory.Sequence(synthetic_nhs_number)


class PersonNameFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.PersonName

    person = factory.SubFactory(PersonFactory)
    source = "family"
    given_name = factory.SelfAttribute("person.given_name")
    family_name = _pick(vocab.SURNAMES, 17)


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.Address

    class Params:
        street = factory.Sequence(lambda n: _STREETS[n % len(_STREETS)])

    line_1 = factory.LazyAttributeSequence(lambda o, n: f"{n % 199 + 1} {o.street[0]}")
    town = "London"
    # The street's own district, then a sector digit and two letters a postcode may use.
    postcode = factory.LazyAttributeSequence(
        lambda o, n: (
            f"{o.street[1]} {n % 10}"
            f"{vocab.INWARD_LETTERS[n % 20]}{vocab.INWARD_LETTERS[(n // 20) % 20]}"
        )
    )


class PersonAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.PersonAddress

    person = factory.SubFactory(PersonFactory)
    address = factory.SubFactory(AddressFactory)
    source = "family"


class ContactMethodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.ContactMethod

    person = factory.SubFactory(PersonFactory)
    source = "family"
    kind = "telephone"
    # Ofcom keeps 07700 900000-900999 for drama: never a real person's number.
    value = factory.Sequence(lambda n: f"07700 900{n % 1000:03d}")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.Household

    address = factory.SubFactory(AddressFactory)


class HouseholdMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.HouseholdMember

    household = factory.SubFactory(HouseholdFactory)
    person = factory.SubFactory(PersonFactory)


class RelationshipFactory(factory.django.DjangoModelFactory):
    """`person` is `kind` of `relative`: a parent, by default, of a child."""

    class Meta:
        model = people.Relationship

    person = factory.SubFactory(PersonFactory, adult=True)
    relative = factory.SubFactory(PersonFactory)
    kind = "parent"
    source = "family"


# Facts about a person: the ones tests make directly.


class HealthConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.HealthCondition

    person = factory.SubFactory(PersonFactory)
    source = "gp"
    kind = "physical"
    description = "Asthma"


class EthnicityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.Ethnicity

    person = factory.SubFactory(PersonFactory)
    source = "family"
    code = "NOBT"


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.Risk

    person = factory.SubFactory(PersonFactory)
    source = "family"
    kind = "missing"
    level = "low"
    description = "Missed two days of school last term"


class OffenceRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = people.OffenceRecord

    person = factory.SubFactory(PersonFactory, adult=True)
    source = "police"
    status = "suspected"
    offence = "Criminal damage"


# --- restrictions -----------------------------------------------------------------------


class RestrictionFactory(factory.django.DjangoModelFactory):
    """A person's record closed to all but `named_users=[...]`."""

    class Meta:
        model = Restriction
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    reason = "A relative works in the service"
    created_by = factory.SubFactory(StaffFactory)

    @factory.post_generation
    def named_users(self, create, users, **kwargs):
        if create and users:
            self.named_users.add(*users)


# --- cases ------------------------------------------------------------------------------


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Test team {n}")
    service = FAMILY_SUPPORT

    @factory.post_generation
    def members(self, create, users, **kwargs):
        if create and users:
            self.members.add(*users)


class CaseFactory(factory.django.DjangoModelFactory):
    """A case row alone, with no one on it: open_case makes a case as a worker does."""

    class Meta:
        model = cases.Case

    team = factory.SubFactory(TeamFactory)
    service = factory.SelfAttribute("team.service")
    household = factory.SubFactory(HouseholdFactory)
    reason = "Support at home"


class CaseMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.CaseMember

    case = factory.SubFactory(CaseFactory)
    person = factory.SubFactory(PersonFactory)
    role = "child"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.Contact

    case = factory.SubFactory(CaseFactory)
    kind = "home_visit"
    occurred_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    note = "Visited the family at home"


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.Assessment

    case = factory.SubFactory(CaseFactory)
    kind = "early_help"
    started = factory.SelfAttribute("case.started")


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.Plan

    case = factory.SubFactory(CaseFactory)
    agreed = factory.SelfAttribute("case.started")
    review_date = factory.LazyAttribute(lambda o: o.agreed + timedelta(weeks=10))


class DocumentFactory(factory.django.DjangoModelFactory):
    """A document's row only: its bytes are the test's to store (cases.documents)."""

    class Meta:
        model = cases.Document

    case = factory.SubFactory(CaseFactory)
    kind = "letter"
    title = "Letter from school"
    content_type = "application/pdf"
    size = 1024
    sha256 = "0" * 64


class GroupSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.GroupSession

    service = "integrated-early-years"
    kind = "stay_and_play"
    title = "Stay and play"
    venue = "Queen's Crescent Community Centre"
    held_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=7))


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.Attendance

    session = factory.SubFactory(GroupSessionFactory)
    person = factory.SubFactory(PersonFactory)


# --- extracts ---------------------------------------------------------------------------


class ObjectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objection

    person = factory.SubFactory(PersonFactory)
    project = "liia"
    received = factory.LazyFunction(timezone.localdate)


class ExtractFactory(factory.django.DjangoModelFactory):
    """An extract's manifest row, as if one had left: no file is written."""

    class Meta:
        model = Extract

    project = "liia"
    mode = Extract.Mode.DATABASE
    policy_version = "test"
    extract_date = factory.LazyFunction(timezone.localdate)
    rows = 0
    manifest = factory.LazyFunction(lambda: {"columns": [], "files": []})


# --- web --------------------------------------------------------------------------------


class FormSubmissionFactory(factory.django.DjangoModelFactory):
    """A form already sent once: its token taken, and where its sending led."""

    class Meta:
        model = FormSubmission

    token = factory.Sequence(lambda n: f"{n:064x}")
    user = factory.SubFactory(StaffFactory)
