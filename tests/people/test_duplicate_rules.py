"""The rules `likely_duplicates` states before a new person is created (people.search).

Blocking: the same NHS number or UPN, on the person or on a record merged into them (at
any distance: a record merged into one that was itself merged later). Likely: a close
name and a date of birth that agrees, or the same postcode; or, where either date of
birth is not known, a very close name (90 out of 100 or more; a close name is 75).

How close two names are is worked out here by hand, so the tests do not ask the code
under test. A name scores the mean of its given and family parts (the names as entered,
read in that order); a part scores the mean of the Jaro-Winkler similarity (x100) and
rapidfuzz's `fuzz.ratio` of the two spellings without spaces, 100 when they are spelled
the same, and at least 90 when they sound the same (the same Metaphone key; see
people.matching). `fuzz.ratio` is 200 x (longest common subsequence) / (sum of lengths);
Jaro-Winkler adds the common-prefix bonus only when the Jaro similarity is over 0.7. Where
a part is written as more than one word, rapidfuzz's token set ratio (x0.95) could count
instead if higher; in the pairs below it is lower, as noted. The figures were checked once
with rapidfuzz 3 in a scratch shell.
"""

from datetime import date

import pytest

from earlyhelp.people.merge import merge_people
from earlyhelp.people.models import Person
from earlyhelp.people.search import likely_duplicates
from tests.factories import AddressFactory, PersonAddressFactory, PersonFactory

pytestmark = pytest.mark.django_db

BORN = date(2015, 3, 9)
NHS_NUMBER = "9434765919"
UPN = "B801200005001"


def person(given: str, family: str, born: date | None = BORN, **fields) -> Person:
    # Name and birthday only, unless the test gives more: a number would sway the score.
    return PersonFactory(
        given_name=given, family_name=family, date_of_birth=born, unidentified=True, **fields
    )


def likely_people(given: str, family: str, born: date | None, **asked) -> list[Person]:
    blocking, likely = likely_duplicates(given, family, born, **asked)
    assert blocking == []
    return [match.person for match in likely]


# --- how close a name must be without a date of birth to agree on --------------------------

# Near but not close: found by the sound of the name, but short of 90.
#
# "Jo Ann Smith" and "Jenny Smith": given "joann" / "jenny" (both Metaphone JN, so the
# lookup finds her; the first word "jo" is J, so no floor of 90):
#   LCS j-n-n = 3, ratio = 200 x 3 / 10 = 60.0;
#   Jaro (window 1): j, n, n match, no transpositions = (3/5 + 3/5 + 3/3) / 3 = 0.7333,
#   over 0.7 so Winkler with prefix "j": 0.7333 + 0.1 x 1 x 0.2667 = 0.76 -> 76.0;
#   token set ratio of "jo ann" / "jenny" is 36.4, x0.95 = 34.5, lower;
#   given part (76 + 60) / 2 = 68.0; family "smith" spelled the same = 100;
#   name (68 + 100) / 2 = 84.0.
# "Jo Ann Smith" and "June Smith": given "joann" / "june" (JN):
#   LCS j-n = 2, ratio = 200 x 2 / 9 = 44.44;
#   Jaro (window 1): j, n match = (2/5 + 2/4 + 2/2) / 3 = 0.6333, not over 0.7, so 63.33;
#   token set ratio 20.0 x 0.95 = 19, lower; given part (63.33 + 44.44) / 2 = 53.89;
#   name (53.89 + 100) / 2 = 76.94.
NEAR_NOT_CLOSE = [
    pytest.param("Jo Ann", "Jenny", id="jo-ann-and-jenny-84.0"),
    pytest.param("Jo Ann", "June", id="jo-ann-and-june-76.9"),
]
# Which date of birth is not known: the new person's, the recorded one's, or both.
WITHOUT_A_DATE_OF_BIRTH = [
    pytest.param(None, BORN, id="new-person-born-unknown"),
    pytest.param(BORN, None, id="recorded-person-born-unknown"),
    pytest.param(None, None, id="both-born-unknown"),
]


@pytest.mark.parametrize(("asked", "recorded"), NEAR_NOT_CLOSE)
@pytest.mark.parametrize(("asked_born", "recorded_born"), WITHOUT_A_DATE_OF_BIRTH)
def test_near_but_not_very_close_name_without_a_date_of_birth_is_not_a_likely_duplicate(
    asked, recorded, asked_born, recorded_born
):
    person(recorded, "Smith", recorded_born)
    assert likely_people(asked, "Smith", asked_born) == []


@pytest.mark.parametrize(("asked", "recorded"), NEAR_NOT_CLOSE)
def test_the_same_near_name_with_the_same_date_of_birth_is_a_likely_duplicate(asked, recorded):
    # The other half of the rule, and proof the lookup finds the record: 76.9 and 84.0 are
    # close names (75 or more), so an agreeing date of birth makes them likely.
    recorded_person = person(recorded, "Smith", BORN)
    assert likely_people(asked, "Smith", BORN) == [recorded_person]


@pytest.mark.parametrize(("asked", "recorded"), NEAR_NOT_CLOSE)
def test_the_same_near_name_at_the_same_postcode_is_a_likely_duplicate_without_a_birthday(
    asked, recorded
):
    recorded_person = person(recorded, "Smith", None)
    address = AddressFactory(line_1="1 Leighton Road", town="London", postcode="NW5 2AB")
    PersonAddressFactory(person=recorded_person, address=address, source="family")
    assert likely_people(asked, "Smith", None, postcode="NW5 2AB") == [recorded_person]


# Very close: 90 or more.
#
# "Ali Smith" and "Aly Smyth": each part spelled differently but sounding the same (AL and
# SM0), so each counts 90 although spelled further apart (ali / aly: Jaro-Winkler 82.2,
# ratio 66.7, mean 74.4; smith / smyth: 89.3 and 80.0, mean 84.7); name (90 + 90) / 2 = 90.0,
# exactly the bar.
# "Mohamed Ali" and "Mohammed Ali": given mohamed / mohammed (both MHMT): ratio
# 200 x 7 / 15 = 93.3, Jaro-Winkler 97.5, mean 95.4; family the same, 100; name 97.7.
VERY_CLOSE = [
    pytest.param("Ali", "Smith", "Aly", "Smyth", id="ali-smith-and-aly-smyth-90.0"),
    pytest.param("Mohamed", "Ali", "Mohammed", "Ali", id="mohamed-and-mohammed-ali-97.7"),
]


@pytest.mark.parametrize(("given", "family", "recorded_given", "recorded_family"), VERY_CLOSE)
@pytest.mark.parametrize(("asked_born", "recorded_born"), WITHOUT_A_DATE_OF_BIRTH)
def test_very_close_name_without_a_date_of_birth_is_a_likely_duplicate(
    given, family, recorded_given, recorded_family, asked_born, recorded_born
):
    recorded_person = person(recorded_given, recorded_family, recorded_born)
    assert likely_people(given, family, asked_born) == [recorded_person]


def test_name_less_close_than_75_is_not_a_likely_duplicate_even_with_the_same_birthday():
    # "Kay Lee Smith" and "Kelly Smith": given "kaylee" / "kelly" (both KL):
    #   LCS 2 (k-l), ratio = 200 x 2 / 11 = 36.4; Jaro (window 2): k, y, l match, one
    #   transposition = (3/6 + 3/5 + 2/3) / 3 = 0.5889, no Winkler bonus: 58.9;
    #   token set ratio 33.3 x 0.95 = 31.7, lower; given (58.9 + 36.4) / 2 = 47.6;
    #   name (47.6 + 100) / 2 = 73.8, under 75.
    person("Kelly", "Smith", BORN)
    assert likely_people("Kay Lee", "Smith", BORN) == []


# --- identifiers on merged records ---------------------------------------------------------


@pytest.fixture
def merged_chain(make_user):
    """`make(n, **identifiers)`: a record with the identifiers, merged n times over.

    The first record is merged into a second, the second later into a third, and so on:
    each merge leaves the merged record pointing at the one it was merged into, and its
    own identifiers on it. Returns the records, the live one last.
    """
    manager = make_user("mina")

    def make(merges: int, **identifiers) -> list[Person]:
        records = [person("Amy", "Jones", **identifiers)]
        for step in range(merges):
            kept = person("Amy", "Jones")
            merge_people(kept, records[-1], manager, f"Same child (merge {step + 1})")
            records.append(kept)
        return records

    return make


@pytest.mark.parametrize("merges", [1, 2, 3, 4])
def test_nhs_number_on_a_record_merged_any_number_of_steps_back_blocks_creation(
    merged_chain, merges
):
    records = merged_chain(merges, nhs_number=NHS_NUMBER)
    live = records[-1]
    assert [r.merged_into_id for r in records[:-1]] == [r.id for r in records[1:]]
    assert live.nhs_number == "" and live.merged_into_id is None
    blocking, likely = likely_duplicates("Aimee", "Johns", None, nhs_number="943 476 5919")
    assert [m.person for m in blocking] == [live]
    assert blocking[0].reasons[0] == "Same NHS number"
    assert likely == []


@pytest.mark.parametrize("merges", [1, 2, 3, 4])
def test_upn_on_a_record_merged_any_number_of_steps_back_blocks_creation(merged_chain, merges):
    records = merged_chain(merges, upn=UPN)
    live = records[-1]
    assert live.upn == "" and live.merged_into_id is None
    blocking, _ = likely_duplicates("Aimee", "Johns", None, upn=UPN.lower())
    assert [m.person for m in blocking] == [live]
    assert blocking[0].reasons[0] == "Same unique pupil number"


def test_nhs_number_merged_two_steps_back_names_only_the_live_record_once(merged_chain):
    # A merged into B, B into C: the number blocks creation, naming C alone (not A or B).
    _first, middle, live = merged_chain(2, nhs_number=NHS_NUMBER)
    middle.nhs_number = NHS_NUMBER  # B was recorded with it too
    middle.save()
    blocking, _ = likely_duplicates("Amy", "Jones", BORN, nhs_number=NHS_NUMBER)
    assert [m.person for m in blocking] == [live]
    assert blocking[0].reasons.count("Same NHS number") == 1
