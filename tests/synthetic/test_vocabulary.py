"""Shape of the synthetic-data vocabulary (earlyhelp.synthetic.vocabulary). No Django."""

from __future__ import annotations

import random
import re

import pytest

from earlyhelp.people.identifiers import make_upn, postcode_is_valid, upn_is_valid
from earlyhelp.synthetic import vocabulary as v


def _no_duplicates(items):
    seen, dupes = set(), []
    for item in items:
        if item in seen:
            dupes.append(item)
        seen.add(item)
    return dupes


def _is_clean_name(name):
    return isinstance(name, str) and name == name.strip() and "  " not in name and len(name) > 1


# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------


def test_heritage_keys_are_unique_and_weights_positive():
    assert _no_duplicates(g.heritage_key for g in v.NAME_GROUPS) == []
    assert all(isinstance(g.weight, int) and g.weight > 0 for g in v.NAME_GROUPS)


def test_name_groups_unpack_as_five_tuples():
    for heritage_key, female, male, surnames, weight in v.NAME_GROUPS:
        assert heritage_key and weight > 0
        assert female and male and surnames


@pytest.mark.parametrize("group", v.NAME_GROUPS, ids=lambda g: g.heritage_key)
def test_no_name_repeats_within_a_heritage_list(group):
    for names in (group.female_names, group.male_names, group.surnames):
        assert _no_duplicates(names) == []
        assert all(_is_clean_name(name) for name in names)


@pytest.mark.parametrize("group", v.NAME_GROUPS, ids=lambda g: g.heritage_key)
def test_every_heritage_has_enough_names_for_a_large_household(group):
    assert len(group.female_names) >= 10
    assert len(group.male_names) >= 10
    assert len(group.surnames) >= 12


def test_there_are_at_least_150_female_150_male_and_300_surnames():
    assert len(v.FEMALE_FIRST_NAMES) >= 150
    assert len(v.MALE_FIRST_NAMES) >= 150
    assert len(v.SURNAMES) >= 300


def test_flat_name_lists_have_no_duplicates():
    for names in (v.FEMALE_FIRST_NAMES, v.MALE_FIRST_NAMES, v.SURNAMES):
        assert _no_duplicates(names) == []


def test_surnames_include_apostrophes_hyphens_particles_and_diacritics():
    assert "O'Brien" in v.SURNAMES
    assert sum("'" in s for s in v.SURNAMES) >= 5
    assert sum("-" in s for s in v.SURNAMES) >= 5
    assert sum(" " in s for s in v.SURNAMES) >= 3
    assert any(not s.isascii() for s in v.SURNAMES)
    assert any(not n.isascii() for n in v.FEMALE_FIRST_NAMES + v.MALE_FIRST_NAMES)


def test_heritages_include_camdens_larger_communities():
    keys = {g.heritage_key for g in v.NAME_GROUPS}
    assert {
        "white_british",
        "irish",
        "bangladeshi",
        "somali",
        "turkish_kurdish",
        "polish",
        "nigerian",
        "ghanaian",
        "eritrean_ethiopian",
        "arab",
        "greek_cypriot",
        "portuguese_brazilian",
        "chinese",
        "indian",
        "pakistani",
        "caribbean",
        "albanian_kosovan",
    } <= keys


def test_mixed_heritage_rate_is_a_probability():
    assert 0 <= v.MIXED_HERITAGE_HOUSEHOLD_RATE <= 1


# ---------------------------------------------------------------------------
# Postcodes and addresses
# ---------------------------------------------------------------------------


def test_outward_codes_are_unique_with_positive_weights():
    assert _no_duplicates(code for code, _ in v.OUTWARD_CODES) == []
    assert all(isinstance(w, int) and w > 0 for _, w in v.OUTWARD_CODES)


@pytest.mark.parametrize("outward", [code for code, _ in v.OUTWARD_CODES])
def test_every_outward_code_is_a_valid_postcode_district(outward):
    assert postcode_is_valid(f"{outward} 1AB")


def test_outward_codes_cover_camden_districts():
    codes = {code for code, _ in v.OUTWARD_CODES}
    assert {"NW1", "NW3", "NW5", "NW6", "NW8", "N6", "N7", "N19"} <= codes
    assert any(code.startswith("WC1") for code in codes)
    assert any(code.startswith("WC2") for code in codes)
    assert any(code.startswith("EC1") for code in codes)


def test_inward_letters_never_include_c_i_k_m_o_v():
    assert not set("CIKMOV") & set(v.INWARD_LETTERS)
    assert _no_duplicates(v.INWARD_LETTERS) == []
    assert len(v.INWARD_LETTERS) == 20
    assert v.INWARD_DIGITS == "0123456789"


def test_postcodes_built_from_the_vocabulary_are_valid():
    rng = random.Random(2024)
    codes = [code for code, _ in v.OUTWARD_CODES]
    weights = [w for _, w in v.OUTWARD_CODES]
    for _ in range(500):
        outward = rng.choices(codes, weights)[0]
        inward = rng.choice(v.INWARD_DIGITS) + "".join(rng.choices(v.INWARD_LETTERS, k=2))
        assert postcode_is_valid(f"{outward} {inward}")


def test_there_are_at_least_80_unique_streets():
    assert len(v.STREETS) >= 80
    assert _no_duplicates(v.STREET_NAMES) == []
    assert tuple(name for name, _ in v.STREETS) == v.STREET_NAMES
    assert all(_is_clean_name(name) for name in v.STREET_NAMES)


def test_every_street_and_estate_is_in_a_listed_outward_code():
    codes = {code for code, _ in v.OUTWARD_CODES}
    assert {code for _, code in v.STREETS} <= codes
    assert {code for _, code in v.ESTATES} <= codes


def test_every_outward_code_has_a_street():
    assert {code for _, code in v.STREETS} == {code for code, _ in v.OUTWARD_CODES}


def test_estates_and_blocks_are_unique():
    assert len(v.ESTATES) >= 15
    assert _no_duplicates(name for name, _ in v.ESTATES) == []
    assert len(v.BLOCK_NAMES) >= 30
    assert _no_duplicates(v.BLOCK_NAMES) == []


# ---------------------------------------------------------------------------
# Households and relationships
# ---------------------------------------------------------------------------

REQUIRED_SHAPES = {
    "single_parent",
    "two_parents",
    "blended_family",
    "grandparent_carer",
    "kinship_carer",
    "young_parent",
    "multigenerational",
    "young_person_independent",
    "care_leaver",
}


def test_household_shapes_are_unique_with_positive_weights_and_descriptions():
    keys = [shape.shape_key for shape in v.HOUSEHOLD_SHAPES]
    assert _no_duplicates(keys) == []
    assert set(keys) == REQUIRED_SHAPES
    for shape_key, weight, description in v.HOUSEHOLD_SHAPES:
        assert re.fullmatch(r"[a-z_]+", shape_key)
        assert isinstance(weight, int) and weight > 0
        assert description.strip()


def test_every_household_shape_has_a_sane_size_range():
    sizes = {row[0]: row[1:] for row in v.HOUSEHOLD_SHAPE_SIZES}
    assert len(sizes) == len(v.HOUSEHOLD_SHAPE_SIZES)
    assert set(sizes) == REQUIRED_SHAPES
    for min_adults, max_adults, min_children, max_children in sizes.values():
        assert 1 <= min_adults <= max_adults
        assert 0 <= min_children <= max_children <= 5


def test_relationship_types_are_the_agreed_set():
    assert v.RELATIONSHIP_TYPES == (
        "parent",
        "step_parent",
        "sibling",
        "half_sibling",
        "carer",
        "grandparent",
        "aunt_uncle",
        "other",
    )
    assert tuple(key for key, _ in v.RELATIONSHIP_LABELS) == v.RELATIONSHIP_TYPES


def test_non_resident_relatives_use_known_relationship_types():
    assert _no_duplicates(row[0] for row in v.NON_RESIDENT_RELATIVES) == []
    for _key, relationship, weight, description in v.NON_RESIDENT_RELATIVES:
        assert relationship in v.RELATIONSHIP_TYPES
        assert weight > 0
        assert description.strip()
    keys = {row[0] for row in v.NON_RESIDENT_RELATIVES}
    assert {"non_resident_father", "grandparent_elsewhere"} <= keys


# ---------------------------------------------------------------------------
# Schools
# ---------------------------------------------------------------------------


def test_schools_have_unique_names_and_four_digit_establishment_numbers():
    assert _no_duplicates(name for name, _, _ in v.SCHOOLS) == []
    assert _no_duplicates(number for _, number, _ in v.SCHOOLS) == []
    for _name, number, phase in v.SCHOOLS:
        assert re.fullmatch(r"[0-9]{4}", number)
        assert phase in {"primary", "secondary"}


def test_there_are_primary_and_secondary_schools():
    phases = [phase for _, _, phase in v.SCHOOLS]
    assert phases.count("primary") >= 15
    assert phases.count("secondary") >= 5


@pytest.mark.parametrize("school", v.SCHOOLS, ids=lambda s: s[1])
def test_a_upn_from_each_camden_school_is_valid(school):
    _name, number, _phase = school
    upn = make_upn(random.Random(number), "202", establishment=number)
    assert upn[1:8] == "202" + number
    assert upn_is_valid(upn)
