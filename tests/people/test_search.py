from datetime import date

import pytest

from earlyhelp.people import search
from earlyhelp.people.models import (
    Address,
    Person,
)
from earlyhelp.people.name_index import index_names
from earlyhelp.people.search import PersonQuery, likely_duplicates, search_people
from tests.factories import (
    AddressFactory,
    HouseholdFactory,
    HouseholdMemberFactory,
    PersonAddressFactory,
    PersonFactory,
    PersonNameFactory,
)

pytestmark = pytest.mark.django_db

BORN = date(2015, 3, 9)


def person(given: str, family: str, born: date | None = BORN, **fields) -> Person:
    # Name and birthday only, unless the test gives more: a number would sway the score.
    return PersonFactory(
        given_name=given, family_name=family, date_of_birth=born, unidentified=True, **fields
    )


def lives_at(someone: Person, postcode: str, moved_out: date | None = None) -> Address:
    address = AddressFactory(line_1="1 Leighton Road", town="London", postcode=postcode)
    PersonAddressFactory(
        person=someone, address=address, source="family", moved_in=date(2020, 1, 1),
        moved_out=moved_out,
    )  # fmt: skip
    return address


def found(query: PersonQuery, **kwargs) -> list[Person]:
    return [match.person for match in search_people(query, **kwargs)]


def reasons_for(query: PersonQuery, someone: Person) -> tuple[str, ...]:
    for match in search_people(query):
        if match.person == someone:
            return match.reasons
    raise AssertionError(f"{someone} not found")


# --- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize("recorded", ["Mohamed", "Muhammad", "Mohammad", "Muhammed"])
def test_search_finds_mohamed_when_asked_for_mohammed(recorded):
    ali = person(recorded, "Ali")
    assert found(PersonQuery(name="Mohammed Ali")) == [ali]
    assert (
        f"Name sounds like Mohammed Ali: {recorded} is a spelling variant of Mohammed"
        in reasons_for(PersonQuery(name="Mohammed Ali"), ali)
    )


def test_search_finds_catherine_when_asked_for_katherine():
    catherine = person("Catherine", "Doyle")
    assert found(PersonQuery(name="Katherine Doyle")) == [catherine]


def test_search_finds_siobhan_with_or_without_the_accent():
    siobhan = person("Siobhán", "Murphy")
    assert found(PersonQuery(name="siobhan murphy")) == [siobhan]
    assert reasons_for(PersonQuery(name="SIOBHAN MURPHY"), siobhan)[0] == "Same name"


@pytest.mark.parametrize("asked", ["Ella Lloyd Jones", "Ella LloydJones", "Ella Lloyd-Jones"])
def test_search_finds_a_hyphenated_surname_however_it_is_written(asked):
    ella = person("Ella", "Lloyd-Jones")
    assert found(PersonQuery(name=asked)) == [ella]


def test_search_finds_a_surname_written_joined_when_asked_with_a_hyphen():
    ella = person("Ella", "LloydJones")
    assert found(PersonQuery(name="Ella Lloyd-Jones")) == [ella]


def test_search_finds_obrien_without_the_apostrophe():
    sean = person("Seán", "O'Brien")
    assert found(PersonQuery(name="Sean OBrien")) == [sean]


def test_search_finds_nguyen_with_the_vietnamese_accents():
    anh = person("Anh", "Nguyễn")
    assert found(PersonQuery(name="Anh Nguyen")) == [anh]


def test_search_finds_mohammed_ali_when_asked_for_ali_mohammed():
    mohammed = person("Mohammed", "Ali")
    reasons = reasons_for(PersonQuery(name="Ali Mohammed"), mohammed)
    assert reasons[0] == "Same name, with given and family names the other way round"


def test_search_by_family_name_alone_finds_everyone_of_that_name():
    jones = [person("Amy", "Jones"), person("Liam", "Jones", date(2012, 1, 2))]
    person("Amy", "Smith")
    assert set(found(PersonQuery(name="Jones"))) == set(jones)


def test_search_by_one_half_of_a_double_barrelled_name_and_birthday_finds_the_person():
    ella = person("Ella", "Lloyd-Jones")
    assert found(PersonQuery(name="Ella Jones", date_of_birth=BORN)) == [ella]


def test_search_finds_a_person_by_their_former_name():
    amira = person("Amira", "Haddad")
    PersonNameFactory(
        person=amira, source="family", kind="former", given_name="Amira", family_name="Smith"
    )
    assert found(PersonQuery(name="Amira Smith")) == [amira]
    assert "Former name Amira Smith: family name one letter different from Smith" in reasons_for(
        PersonQuery(name="Amira Smyth"), amira
    )


def test_search_by_a_former_family_name_alone_finds_the_person():
    amira = person("Amira", "Haddad")
    PersonNameFactory(
        person=amira, source="family", kind="former", given_name="Amira", family_name="Smith"
    )
    assert found(PersonQuery(name="Smith")) == [amira]


def test_search_copes_with_a_name_of_many_words():
    maria = person("Maria da Conceição", "dos Santos Pereira da Silva")
    assert found(PersonQuery(name="Maria da Conceicao dos Santos Pereira da Silva")) == [maria]


def test_search_finds_a_person_by_an_alias():
    kelechi = person("Kelechi", "Okafor")
    PersonNameFactory(
        person=kelechi, source="school", kind="alias", given_name="Kelly", family_name="Okafor"
    )
    assert "Also known as Kelly Okafor" in reasons_for(PersonQuery(name="Kelly Okafor"), kelechi)


def test_search_does_not_list_people_whose_name_is_unlike_the_one_asked_for():
    person("Jane", "Smith")
    assert found(PersonQuery(name="Mohammed Ali", date_of_birth=BORN)) == []


# --- date of birth, postcode, identifiers ---------------------------------------------------


def test_search_by_date_of_birth_finds_it_with_day_and_month_swapped():
    swapped = person("Amy", "Jones", date(2015, 9, 3))
    same = person("Liam", "Evans", BORN)
    assert found(PersonQuery(date_of_birth=BORN)) == [same, swapped]
    assert reasons_for(PersonQuery(date_of_birth=BORN), swapped) == (
        "Date of birth with day and month swapped",
    )


def test_name_and_date_of_birth_put_the_same_birthday_first():
    other_day = person("Mohammed", "Ali", date(2011, 6, 30))
    typo = person("Mohammed", "Ali", date(2015, 3, 8))
    same_day = person("Mohamed", "Ali", BORN)
    matches = search_people(PersonQuery(name="Mohammed Ali", date_of_birth=BORN))
    assert [m.person for m in matches] == [same_day, typo, other_day]
    assert "Same date of birth" in matches[0].reasons
    assert "Date of birth one digit different" in matches[1].reasons
    assert matches[0].score > matches[1].score > matches[2].score


def test_search_by_postcode_finds_people_living_there_now_not_those_who_moved_out():
    here = person("Amy", "Jones")
    gone = person("Liam", "Jones")
    lives_at(here, "NW5 2AB")
    lives_at(gone, "NW5 2AB", moved_out=date(2023, 5, 1))
    assert found(PersonQuery(postcode="nw52ab")) == [here]
    assert reasons_for(PersonQuery(postcode="NW5 2AB"), here) == ("Lives at NW5 2AB",)


def test_search_by_postcode_finds_members_of_a_household_there():
    child = person("Yusuf", "Haddad")
    left = person("Omar", "Haddad")
    household = HouseholdFactory(address__line_1="2 Kentish Town Road", address__postcode="NW1 9QX")
    HouseholdMemberFactory(household=household, person=child)
    HouseholdMemberFactory(household=household, person=left, left_on=date(2022, 1, 1))
    assert found(PersonQuery(postcode="NW1 9QX")) == [child]


def test_search_by_nhs_number_allows_spaces():
    amy = person("Amy", "Jones", nhs_number="9434765919")
    assert found(PersonQuery(nhs_number="943 476 5919")) == [amy]
    assert reasons_for(PersonQuery(nhs_number="943 476 5919"), amy) == ("Same NHS number",)


def test_search_by_upn_ignores_case_and_spaces():
    amy = person("Amy", "Jones", upn="B801200005001")
    assert found(PersonQuery(upn="b801 2000 05001")) == [amy]


def test_search_notes_a_different_nhs_number_and_ranks_it_lower():
    same = person("Amy", "Jones", nhs_number="9434765919")
    other = person("Amy", "Jones", nhs_number="9990000018")
    matches = search_people(PersonQuery(name="Amy Jones", nhs_number="9434765919"))
    assert [m.person for m in matches] == [same, other]
    assert "Different NHS number recorded" in matches[1].reasons


def test_a_bad_nhs_number_is_refused_naming_the_field():
    with pytest.raises(ValueError, match="NHS number"):
        search_people(PersonQuery(nhs_number="12345"))


def test_a_bad_postcode_is_refused_naming_the_field():
    with pytest.raises(ValueError, match="postcode"):
        search_people(PersonQuery(postcode="not a postcode"))


def test_search_with_nothing_to_search_by_finds_nobody():
    person("Amy", "Jones")
    assert search_people(PersonQuery()) == []
    assert search_people(PersonQuery(name=" - ")) == []


# --- merged records --------------------------------------------------------------------------


def test_search_leaves_out_records_merged_into_another():
    kept = person("Amy", "Jones")
    person("Amy", "Jones", merged_into=kept)
    assert found(PersonQuery(name="Amy Jones")) == [kept]


def test_search_by_the_nhs_number_of_a_merged_record_finds_the_kept_person():
    kept = person("Amy", "Jones")
    person("Amy", "Jones", nhs_number="9434765919", merged_into=kept)
    assert found(PersonQuery(nhs_number="9434765919")) == [kept]


# --- scale -----------------------------------------------------------------------------------


def test_a_very_common_name_returns_at_most_the_limit_best_first(monkeypatch):
    monkeypatch.setattr(search, "LOOKUP_CAP", 20)
    monkeypatch.setattr(search, "CANDIDATE_CAP", 30)
    people = Person.objects.bulk_create(
        Person(given_name="John", family_name="Smith", given_key="JN", family_key="SM0",
               date_of_birth=date(2000 + n % 20, 1 + n % 12, 1 + n % 28))
        for n in range(100)
    )  # fmt: skip
    index_names([p.pk for p in people])  # bulk_create passes by save(), which keeps the index
    matches = search_people(PersonQuery(name="John Smith"), limit=10)
    assert len(matches) == 10
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)


def test_search_queries_do_not_grow_with_the_number_of_results(django_assert_max_num_queries):
    for n in range(30):
        someone = person("Amy", "Jones", date(2010, 1, 1 + n))
        lives_at(someone, "NW5 2AB")
        PersonNameFactory(person=someone, source="family", given_name="Amy", family_name="Smith")
    # 12: the lookups, the rows, other names, records merged into them, and each person's
    # own and household addresses.
    with django_assert_max_num_queries(12):
        matches = search_people(PersonQuery(name="Amy Jones", postcode="NW5 2AB"))
        shown = [(m.person.full_name, m.person.date_of_birth, m.postcodes) for m in matches]
        shown += [[n.family_name for n in m.person.other_names.all()] for m in matches]
    assert len(matches) == 25


def test_duplicate_check_queries_do_not_grow_with_the_matches(django_assert_max_num_queries):
    for n in range(12):
        lives_at(person("Amy", "Jones", nhs_number="9434765919" if n == 0 else ""), "NW5 2AB")
    with django_assert_max_num_queries(13):
        blocking, likely = likely_duplicates(
            "Amy", "Jones", BORN, nhs_number="9434765919", postcode="NW5 2AB"
        )
        [m.postcodes for m in blocking + likely]
    assert (len(blocking), len(likely)) == (1, 10)


# --- before creating a person ----------------------------------------------------------------


def test_exact_nhs_number_match_blocks_creation():
    amy = person("Amy", "Jones", nhs_number="9434765919")
    blocking, likely = likely_duplicates("Aimee", "Johns", None, nhs_number="943 476 5919")
    assert [m.person for m in blocking] == [amy]
    assert blocking[0].reasons[0] == "Same NHS number"
    assert likely == []


def test_exact_upn_match_blocks_creation():
    amy = person("Amy", "Jones", upn="B801200005001")
    blocking, _ = likely_duplicates("Amy", "Jones", BORN, upn="B801200005001")
    assert [m.person for m in blocking] == [amy]


def test_nhs_number_of_a_merged_record_blocks_creation_pointing_at_the_kept_person():
    kept = person("Amy", "Jones")
    person("Amy", "Jones", nhs_number="9434765919", merged_into=kept)
    blocking, _ = likely_duplicates("Amy", "Jones", BORN, nhs_number="9434765919")
    assert [m.person for m in blocking] == [kept]


def test_similar_name_and_same_birthday_is_a_likely_duplicate():
    mohamed = person("Mohamed", "Ali")
    blocking, likely = likely_duplicates("Mohammed", "Ali", BORN)
    assert blocking == []
    assert [m.person for m in likely] == [mohamed]
    assert likely[0].reasons == (
        "Name sounds like Mohammed Ali: Mohamed is a spelling variant of Mohammed",
        "Same date of birth",
    )


def test_swapped_names_and_swapped_day_and_month_are_a_likely_duplicate():
    mohammed = person("Mohammed", "Ali", date(2015, 9, 3))
    _, likely = likely_duplicates("Ali", "Mohammed", BORN)
    assert [m.person for m in likely] == [mohammed]
    assert "Date of birth with day and month swapped" in likely[0].reasons


def test_same_name_with_another_birthday_is_not_a_likely_duplicate():
    person("Mohammed", "Ali", date(2011, 6, 30))
    assert likely_duplicates("Mohammed", "Ali", BORN) == ([], [])


def test_same_name_at_the_same_postcode_is_a_likely_duplicate_whatever_the_birthday():
    mohammed = person("Mohammed", "Ali", date(2011, 6, 30))
    lives_at(mohammed, "NW5 2AB")
    _, likely = likely_duplicates("Mohammed", "Ali", BORN, postcode="NW5 2AB")
    assert [m.person for m in likely] == [mohammed]
    assert "Lives at NW5 2AB" in likely[0].reasons


def test_a_former_name_and_birthday_make_a_likely_duplicate():
    amira = person("Amira", "Haddad")
    PersonNameFactory(
        person=amira, source="family", kind="former", given_name="Amira", family_name="Smith"
    )
    _, likely = likely_duplicates("Amira", "Smith", BORN)
    assert [m.person for m in likely] == [amira]
    assert likely[0].reasons == ("Former name Amira Smith", "Same date of birth")


def test_a_very_close_name_without_a_known_birthday_is_a_likely_duplicate():
    unknown = person("Amy", "Jones", born=None)
    _, likely = likely_duplicates("Amy", "Jones", BORN)
    assert [m.person for m in likely] == [unknown]
