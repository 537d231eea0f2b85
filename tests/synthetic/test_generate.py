from datetime import date

import pytest
from django.core.management import CommandError, call_command

from earlyhelp.people.identifiers import nhs_number_is_valid, postcode_is_valid, upn_is_valid
from earlyhelp.people.models import Address, Household, HouseholdMember, Person, Relationship
from earlyhelp.synthetic.families import FamilyFactory
from earlyhelp.synthetic.generator import generate
from earlyhelp.synthetic.models import GeneratedDataset

AS_OF = date(2026, 11, 25)


def snapshot() -> list[tuple]:
    return list(
        Person.objects.order_by("public_id").values_list(
            "public_id", "given_name", "family_name", "date_of_birth", "nhs_number", "upn"
        )
    )


def test_same_seed_makes_the_same_families():
    first = [FamilyFactory(7, AS_OF).family() for _ in range(50)]
    second = [FamilyFactory(7, AS_OF).family() for _ in range(50)]
    assert first == second


def test_different_seeds_make_different_families():
    assert FamilyFactory(7, AS_OF).family() != FamilyFactory(8, AS_OF).family()


@pytest.mark.django_db
def test_generated_database_is_the_same_for_a_seed_whatever_the_batch_size():
    generate(60, seed=3, as_of=AS_OF, batch_size=7)
    first = snapshot()
    clear_generated_data()
    generate(60, seed=3, as_of=AS_OF, batch_size=60)
    assert snapshot() == first


@pytest.mark.django_db
def test_generating_a_seed_twice_adds_nothing():
    counts, added = generate(20, seed=5, as_of=AS_OF)
    people = Person.objects.count()
    again, added_again = generate(20, seed=5, as_of=AS_OF)
    assert (added, added_again) == (20, 0)
    assert again == counts
    assert Person.objects.count() == people


def clear_generated_data() -> None:
    for model in (Relationship, HouseholdMember, Household, Person, Address, GeneratedDataset):
        model.objects.all().delete()


@pytest.mark.django_db
def test_more_families_for_a_seed_adds_the_same_families_as_making_them_at_once():
    generate(40, seed=6, as_of=AS_OF)
    counts_at_once, _ = generate(40, seed=6, as_of=AS_OF)
    at_once = snapshot()
    clear_generated_data()
    generate(15, seed=6, as_of=AS_OF)
    counts, added = generate(40, seed=6, as_of=AS_OF)
    assert added == 25
    assert snapshot() == at_once
    assert counts == counts_at_once


@pytest.mark.django_db
def test_adding_to_a_seed_on_another_as_of_date_is_refused_naming_the_option():
    generate(5, seed=8, as_of=AS_OF)
    with pytest.raises(ValueError, match="--as-of"):
        generate(10, seed=8, as_of=date(2027, 1, 1))


@pytest.mark.django_db
def test_every_identifier_and_postcode_is_valid_and_nhs_numbers_are_unique():
    generate(300, seed=11, as_of=AS_OF)
    nhs_numbers = [n for n in Person.objects.values_list("nhs_number", flat=True) if n]
    assert nhs_numbers and all(nhs_number_is_valid(n) for n in nhs_numbers)
    assert all(n.startswith("999") for n in nhs_numbers)  # the NHS test range
    assert len(set(nhs_numbers)) == len(nhs_numbers)
    upns = [u for u in Person.objects.values_list("upn", flat=True) if u]
    assert upns and all(upn_is_valid(u) for u in upns)
    assert len(set(upns)) == len(upns)
    assert all(postcode_is_valid(p) for p in Address.objects.values_list("postcode", flat=True))


@pytest.mark.django_db
def test_families_have_children_of_all_ages_and_relatives_in_and_outside_the_household():
    generate(300, seed=12, as_of=AS_OF)
    ages = {
        AS_OF.year - born.year - ((AS_OF.month, AS_OF.day) < (born.month, born.day))
        for born in Person.objects.values_list("date_of_birth", flat=True)
    }
    assert set(range(0, 18)) <= ages
    assert max(ages) >= 70
    living_elsewhere = Person.objects.filter(households=None)
    assert living_elsewhere.exists()
    assert Relationship.objects.filter(person__in=living_elsewhere).exists()
    kinds = set(Relationship.objects.values_list("kind", flat=True))
    assert {"parent", "sibling", "step_parent", "grandparent", "partner"} <= kinds
    assert Relationship.objects.filter(kind="parent", has_parental_responsibility=False).exists()


@pytest.mark.django_db
def test_every_child_is_younger_than_their_parents_by_sixteen_years():
    generate(200, seed=13, as_of=AS_OF)
    for rel in Relationship.objects.filter(kind="parent").select_related("person", "relative"):
        gap = (rel.relative.date_of_birth - rel.person.date_of_birth).days // 365
        assert gap >= 16, (rel.person.public_id, rel.relative.public_id)


@pytest.mark.django_db
def test_generate_command_prints_the_counts_it_made(capsys):
    call_command("generate", "--families", "25", "--seed", "21", "--as-of", "2026-11-25")
    out = capsys.readouterr().out
    assert "Generated 25 families for seed 21" in out
    assert f"{Person.objects.count():,}" in out


@pytest.mark.django_db
def test_generate_command_names_a_bad_argument():
    with pytest.raises(CommandError, match="--families"):
        call_command("generate", "--families", "0", "--seed", "1")
