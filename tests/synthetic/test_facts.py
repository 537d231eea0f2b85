"""The generator records facts about people, special category ones among them (issue 11,
item 6), and NHS numbers the plausibility rule accepts (item 2)."""

from collections import Counter
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from earlyhelp.people.facts import FACT_MODELS
from earlyhelp.people.forms import clean_nhs_number
from earlyhelp.people.models import Household, Person
from earlyhelp.policy.active import active_policy
from earlyhelp.synthetic.casework import make_casework
from earlyhelp.synthetic.facts import make_facts
from earlyhelp.synthetic.families import FamilyFactory
from earlyhelp.synthetic.generator import catalogue_for, generate

AS_OF = date(2026, 11, 25)
SENSITIVE = {"special_category", "criminal_offence"}


def kind_of(model) -> str:
    """The policy's kind of the fact's data category: ordinary, special_category, ..."""
    category = active_policy().category(next(iter(model.data_categories.values())))
    return category.kind


def facts_of(person: Person) -> list:
    return [fact for model in FACT_MODELS.values() for fact in model.objects.filter(person=person)]


@pytest.fixture
def generated(db):
    generate(40, seed=11, as_of=AS_OF)


def test_a_generated_family_has_facts_and_special_category_ones_among_them(generated):
    families_with_special = 0
    for household in Household.objects.all():
        people = Person.objects.filter(householdmember__household=household)
        facts = [fact for person in people for fact in facts_of(person)]
        assert facts, f"household {household.public_id} has no facts"
        families_with_special += any(kind_of(type(f)) == "special_category" for f in facts)
    assert families_with_special >= Household.objects.count() * 0.8


def test_the_generated_facts_cover_every_kind_the_demo_shows(db):
    generate(300, seed=12, as_of=AS_OF)
    for kind in ("health", "ethnicity", "risk", "offence", "housing", "legal-status"):
        assert FACT_MODELS[kind].objects.exists(), kind


def test_every_generated_fact_is_a_valid_record(generated):
    for model in FACT_MODELS.values():
        for fact in model.objects.all()[:50]:
            try:
                fact.full_clean(exclude=["recorded_by"])
            except ValidationError as error:  # pragma: no cover - the message is the point
                pytest.fail(f"{model._meta.label}: {error.message_dict}")


def test_facts_are_recorded_between_the_persons_birth_and_the_as_of_date(generated):
    for model in FACT_MODELS.values():
        for fact in model.objects.select_related("person"):
            day = fact.recorded_at.date()
            assert fact.person.date_of_birth <= day <= AS_OF, (model, fact.recorded_at)


def test_facts_are_the_same_for_a_seed():
    factory, again = FamilyFactory(5, AS_OF), FamilyFactory(5, AS_OF)
    catalogue = catalogue_for(5, AS_OF)
    for _ in range(30):
        one, two = factory.family(), again.family()
        first = make_facts(one, make_casework(one, catalogue, AS_OF), AS_OF)
        second = make_facts(two, make_casework(two, catalogue, AS_OF), AS_OF)
        assert first == second


def test_proportions_are_plausible():
    """Ethnicity for most children, health for some, offences for few (see facts.py)."""
    factory = FamilyFactory(6, AS_OF)
    catalogue = catalogue_for(6, AS_OF)
    people, kinds, children_with_ethnicity, children = 0, Counter(), 0, 0
    for _ in range(400):
        family = factory.family()
        facts = make_facts(family, make_casework(family, catalogue, AS_OF), AS_OF)
        people += len(family.people)
        kinds.update(fact.kind for fact in facts)
        young = {i for i, p in enumerate(family.people) if p.in_household and p.age_on(AS_OF) < 18}
        children += len(young)
        children_with_ethnicity += len(
            {f.person for f in facts if f.kind == "ethnicity" and f.person in young}
        )
    assert children_with_ethnicity / children > 0.85
    assert 0.05 < kinds["health"] / people < 0.3
    assert kinds["offence"] / people < 0.05
    assert kinds["housing"] <= 400


def test_every_generated_nhs_number_is_one_the_rule_accepts_for_synthetic_data():
    factory = FamilyFactory(7, AS_OF)
    numbers = [p.nhs_number for _ in range(200) for p in factory.family().people if p.nhs_number]
    assert numbers
    for number in numbers:
        assert clean_nhs_number(number, synthetic=True) == number
