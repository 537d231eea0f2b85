import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.people.matching import name_keys, normalise_name, phonetic_key, set_name_keys
from earlyhelp.people.models import Person
from tests.factories import PersonFactory, PersonNameFactory

# Spellings of one name that the phonetic key must bring together, so that a
# search for one finds the others through an indexed lookup.
SAME_KEY = [
    ("Mohammed", "Mohamed"),
    ("Mohammed", "Muhammad"),
    ("Mohammed", "Muhammed"),
    ("Mohammed", "Mohammad"),
    ("Catherine", "Katherine"),
    ("Catherine", "Kathryn"),
    ("Siobhan", "Siobhán"),
    ("Nguyen", "Nguyễn"),
    ("Stephen", "Steven"),
    ("Smith", "Smyth"),
    ("McDonald", "MacDonald"),
    ("Hussain", "Hussein"),
    ("Yusuf", "Yousef"),
    ("Ahmed", "Ahmad"),
    ("Jackson", "Jaxon"),
    ("Aleksandra", "Alexandra"),
    ("Philip", "Phillip"),
    ("Ali", "Aly"),
    ("O'Brien", "OBrien"),
    ("O'Brien", "Ó Briain"),
    ("Lloyd-Jones", "Lloyd Jones"),
    ("Lloyd-Jones", "LloydJones"),
    ("Yılmaz", "Yilmaz"),  # the Turkish dotless i
    ("Łukasz", "Lukasz"),
]


def test_normalise_name_casefolds_and_strips_accents():
    assert normalise_name("  SIOBHÁN ") == "siobhan"
    assert normalise_name("Zoë") == "zoe"
    assert normalise_name("Straße") == "strasse"


def test_normalise_name_makes_hyphens_separate_words_and_apostrophes_join_them():
    assert normalise_name("Lloyd-Jones") == "lloyd jones"
    assert normalise_name("Lloyd   Jones") == "lloyd jones"
    assert normalise_name("O'Brien") == normalise_name("O\u2019Brien") == "obrien"


@given(st.text())
def test_normalise_name_is_idempotent(text):
    once = normalise_name(text)
    assert normalise_name(once) == once


@given(st.text())
def test_normalise_name_leaves_only_lower_case_words_one_space_apart(text):
    normal = normalise_name(text)
    assert normal == normal.strip()
    assert "  " not in normal
    assert normal == normal.casefold()


@pytest.mark.parametrize(("one", "other"), SAME_KEY)
def test_variant_spellings_share_a_phonetic_key(one, other):
    assert phonetic_key(one) == phonetic_key(other)


@pytest.mark.parametrize(("one", "other"), [("Smith", "Jones"), ("Amira", "Omar"), ("Ali", "Khan")])
def test_different_names_have_different_keys(one, other):
    assert phonetic_key(one) != phonetic_key(other)


words = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1), min_size=1, max_size=3)


@given(words, words, st.sampled_from(["-", " ", "  ", " - "]))
def test_name_keys_are_equal_for_hyphen_and_space_variants(given_words, family_words, join):
    spaced = name_keys(" ".join(given_words), " ".join(family_words))
    joined = name_keys(join.join(given_words), join.join(family_words))
    assert spaced == joined


@given(words)
def test_family_key_ignores_where_a_double_barrelled_name_is_split(family_words):
    assert name_keys("", " ".join(family_words))[1] == name_keys("", "".join(family_words))[1]


def test_given_key_comes_from_the_first_given_name_only():
    assert name_keys("Mary Ann", "Smith")[0] == name_keys("Mary", "Smith")[0]
    assert name_keys("Mary-Ann", "Smith")[0] == name_keys("Mary", "Smith")[0]


def test_names_metaphone_cannot_code_keep_their_spelling_as_key():
    assert phonetic_key("محمد") == "محمد"
    assert name_keys("", "") == ("", "")


@given(st.text(), st.text())
def test_name_keys_fit_the_stored_columns(given_name, family_name):
    given_key, family_key = name_keys(given_name, family_name)
    assert len(given_key) <= 32
    assert len(family_key) <= 32


def test_set_name_keys_fills_both_keys_from_the_current_name():
    person = Person(given_name="Mohamed", family_name="Lloyd-Jones")
    set_name_keys(person)
    assert (person.given_key, person.family_key) == name_keys("Muhammad", "Lloyd Jones")


@pytest.mark.django_db
def test_saving_a_person_or_other_name_stores_the_keys():
    person = PersonFactory(given_name="Katherine", family_name="O'Brien")
    other = PersonNameFactory(
        person=person, source="family", given_name="Catherine", family_name="Smyth"
    )
    person.refresh_from_db()
    other.refresh_from_db()
    assert (person.given_key, person.family_key) == name_keys("Catherine", "OBrien")
    assert (other.given_key, other.family_key) == name_keys("Katherine", "Smith")
