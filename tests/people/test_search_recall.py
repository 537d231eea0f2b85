"""Search finds the person however their name was written: by a part of it, with a slip
of one letter, by a nickname or another spelling, and narrowed by what the worker knows.

The examples are the search issue's (Amira Jones, Tomasz Garcia, Sean Connor). Each
test puts the person among others whose names are near, so finding them is not luck.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from earlyhelp.people.matching import (
    keys_of_names,
    name_words,
    stored_name_keys,
    wanted_name_keys,
)
from earlyhelp.people.merge import merge_people, undo_merge
from earlyhelp.people.models import NameKey
from earlyhelp.people.search import (
    PersonQuery,
    birth_range,
    find_people,
    likely_duplicates,
    search_people,
)
from tests.factories import PersonFactory, PersonNameFactory
from tests.people.test_search import lives_at, person, reasons_for

pytestmark = pytest.mark.django_db


def found(name: str, **asked) -> list:
    return [match.person for match in search_people(PersonQuery(name=name, **asked), limit=10)]


@pytest.fixture
def neighbours():
    """People whose names are near the ones the tests look for."""
    return [
        person("Amira", "Lloyd"),
        person("Amina", "Jonas", born=None),
        person("Tomas", "Garner"),
        person("Sean", "Conway"),
        person("Jack", "Smithers"),
        person("Catherine", "Okoro"),
    ]


# --- a part of the name ------------------------------------------------------------------


def test_one_half_of_a_double_barrelled_family_name_finds_the_person(neighbours):
    amira = person("Amira", "Lloyd-Jones", born=None)
    assert amira in found("Amira Jones")
    assert amira in found("Jones Amira")  # the other order too
    assert "Name similar to Amira Jones: family name is part of Lloyd-Jones" in reasons_for(
        PersonQuery(name="Amira Jones"), amira
    )


def test_a_new_amira_jones_without_a_date_of_birth_is_offered_amira_lloyd_jones(neighbours):
    amira = person("Amira", "Lloyd-Jones", born=None)
    _, likely = likely_duplicates("Amira", "Jones", None)
    assert [match.person for match in likely] == [amira]


def test_one_of_two_spanish_family_names_finds_the_person(neighbours):
    tomasz = person("Tomasz", "García López")
    assert tomasz in found("Tomasz Garcia")
    assert tomasz in found("Tomasz Lopez")


def test_accents_and_the_o_apostrophe_left_out_find_the_person(neighbours):
    sean = person("Seán", "O'Connor")
    assert sean in found("Sean Connor")
    assert sean in found("Sean OConnor")
    assert "Name similar to Sean Connor: family name is part of O'Connor" in reasons_for(
        PersonQuery(name="Sean Connor"), sean
    )


def test_a_particle_is_not_needed_to_find_the_name(neighbours):
    hassan = person("Yusuf", "al-Hassan")
    assert hassan in found("Yusuf Hassan")


# --- slips of one letter -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("Jack Smiht", "family name has two letters the other way round from Smith"),
        ("Jack Smth", "family name one letter different from Smith"),
        ("Jack Smitth", "family name one letter different from Smith"),
        ("Jack Snith", "family name one letter different from Smith"),
        ("Jakc Smith", "given name has two letters the other way round from Jack"),
        ("Jaock Smith", "given name one letter different from Jack"),
    ],
)
def test_a_slip_of_one_letter_or_two_swapped_finds_the_person_and_says_so(neighbours, typed, why):
    jack = person("Jack", "Smith", born=None)
    assert jack in found(typed)
    assert any(why in reason for reason in reasons_for(PersonQuery(name=typed), jack))


@settings(max_examples=200, deadline=None)
@given(
    word=st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=12),
    other=st.sampled_from(["amira", "jack", "tomasz", "grace"]),
    slip=st.sampled_from(["delete", "insert", "replace", "swap"]),
    at=st.integers(min_value=0, max_value=11),
    letter=st.sampled_from("aeiouxyz"),
)
def test_any_one_slip_in_a_family_name_shares_a_key_with_the_name_recorded(
    word, other, slip, at, letter
):
    at %= len(word) - 1  # a swap needs a letter after `at`
    if slip == "delete":
        typed = word[:at] + word[at + 1 :]
    elif slip == "insert":
        typed = word[:at] + letter + word[at:]
    elif slip == "replace":
        typed = word[:at] + letter + word[at + 1 :]
    else:
        typed = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    # Both ways round: the slip may be in the record or in the search.
    assert stored_name_keys(other, word) & wanted_name_keys(other, typed)
    assert stored_name_keys(other, typed) & wanted_name_keys(other, word)
    assert stored_name_keys(word, other) & wanted_name_keys(typed, other)


@pytest.mark.parametrize(
    ("recorded", "typed"),
    [(("Eva", "Cox"), "Ava Cox"), (("Ali", "Khan"), "Ari Khan"), (("Zoe", "Hall"), "Joe Hall"),
     (("Li", "Ng"), "Li Ang"), (("Ian", "Roe"), "Ain Roe")],
)  # fmt: skip
def test_a_slip_in_a_short_name_finds_the_person(recorded, typed):
    someone = person(*recorded, born=None)
    assert someone in found(typed)


def test_a_person_known_by_their_middle_name_is_found_by_it():
    mary_ann = person("Mary Ann", "Smith", born=None)
    assert mary_ann in found("Ann Smith")
    assert "Name similar to Ann Smith: given name is part of Mary Ann" in reasons_for(
        PersonQuery(name="Ann Smith"), mary_ann
    )


# --- nicknames and other spellings ---------------------------------------------------------


def test_a_nickname_finds_the_full_name_and_says_so(neighbours):
    catherine = person("Catherine", "Okafor")
    assert catherine in found("Kate Okafor")
    assert "Name similar to Kate Okafor: Kate is a short form of Catherine" in reasons_for(
        PersonQuery(name="Kate Okafor"), catherine
    )


def test_the_full_name_finds_a_person_recorded_by_their_nickname(neighbours):
    alex = person("Alex", "Novak")
    assert alex in found("Alexander Novak")


@pytest.mark.parametrize("typed", ["Shaun Murphy", "Shawn Murphy"])
def test_another_spelling_of_the_given_name_finds_the_person(neighbours, typed):
    sean = person("Sean", "Murphy")
    assert sean in found(typed)
    assert any("spelling variant" in r for r in reasons_for(PersonQuery(name=typed), sean))


@pytest.mark.parametrize(
    ("typed", "recorded", "why"),
    [
        ("Jack", "John", "Jack is a short form of John"),
        ("Sally", "Sarah", "Sally is a short form of Sarah"),
        ("Mary", "Molly", "Molly is a short form of Mary"),
        ("Harry", "Henry", "Harry is a short form of Henry"),
        ("Catherine", "Kate", "Kate is a short form of Catherine"),
        ("Mo", "Muhammad", "Mo is a short form of Muhammad"),
    ],
)
def test_which_is_the_short_form_comes_from_the_lists_not_the_length(typed, recorded, why):
    someone = person(recorded, "Okonjo", born=None)
    assert any(why in r for r in reasons_for(PersonQuery(name=f"{typed} Okonjo"), someone))


def test_mo_finds_mohammed(neighbours):
    mohammed = person("Muhammad", "Rahman")
    assert mohammed in found("Mo Rahman")


# --- what the worker knows narrows -------------------------------------------------------


def test_a_postcode_district_narrows_a_name_search():
    in_n7 = person("Amira", "Jones", born=None)
    in_e1 = person("Amira", "Jones", born=None)
    lives_at(in_n7, "N7 6AB")
    lives_at(in_e1, "E1 6AN")
    assert found("Amira Jones", postcode="N7") == [in_n7]
    assert found("Amira Jones", postcode="E1") == [in_e1]


def test_an_approximate_age_narrows_a_name_search_and_unknown_birthdays_stay():
    child = person("Amira", "Jones", born=date(2019, 5, 1))
    adult = person("Amira", "Jones", born=date(1990, 5, 1))
    unknown = person("Amira", "Jones", born=None)
    around_seven = birth_range(7, date(2026, 11, 30))
    assert set(found("Amira Jones", born_between=around_seven)) == {child, unknown}
    assert set(found("Amira Jones", born_between=birth_range(1990, date(2026, 11, 30)))) == {
        adult,
        unknown,
    }
    assert "Date of birth fits the age or year asked for" in reasons_for(
        PersonQuery(name="Amira Jones", born_between=around_seven), child
    )


def test_an_age_never_hides_the_person_an_nhs_number_identifies():
    child = person("Amira", "Jones", born=date(1990, 5, 1), nhs_number="9434765919")
    asked = PersonQuery(
        name="Amira Jones", nhs_number="9434765919", born_between=birth_range(7, date(2026, 11, 30))
    )
    assert child in [match.person for match in search_people(asked)]


@pytest.mark.parametrize(
    ("asked", "today", "first", "last"),
    [
        # "About 7" on 30 November 2026: aged 6 to 8, so born 1 December 2017 to 30 November 2020.
        (7, date(2026, 11, 30), date(2017, 12, 1), date(2020, 11, 30)),
        # An age of 0 is a baby: born in the last two years.
        (0, date(2026, 11, 30), date(2024, 12, 1), date(2026, 11, 30)),
        # On 29 February, a year back has no 29 February.
        (1, date(2028, 2, 29), date(2025, 3, 1), date(2028, 2, 29)),
        (2019, date(2026, 11, 30), date(2019, 1, 1), date(2019, 12, 31)),
    ],
)
def test_an_age_allows_a_year_either_side_and_a_year_is_that_calendar_year(
    asked, today, first, last
):
    assert birth_range(asked, today) == (first, last)


# --- the index follows the names -----------------------------------------------------------


def test_a_former_name_is_found_by_a_part_of_it_and_not_once_removed():
    amira = person("Amira", "Khan", born=None)
    former = PersonNameFactory(person=amira, given_name="Amira", family_name="Lloyd-Jones")
    assert amira in found("Amira Jones")
    former.delete()
    assert amira not in found("Amira Jones")


def test_a_renamed_person_is_found_by_the_new_name_only():
    amira = person("Amira", "Lloyd-Jones", born=None)
    amira.family_name = "Okafor"
    amira.save()
    assert amira in found("Amira Okafor")
    assert amira not in found("Amira Jones")


def test_merge_and_undo_write_the_index_again_for_both_records(django_user_model):
    kept = person("Amira", "Khan", born=None)
    merged = person("Amira", "Khan", born=None)
    PersonNameFactory(person=merged, given_name="Amira", family_name="Lloyd-Jones")
    manager = django_user_model.objects.create(username="merger")
    merge = merge_people(kept, merged, manager, "Same child: confirmed by school")
    assert found("Amira Jones") == [kept]
    undo_merge(merge, manager)
    assert found("Amira Jones") == [merged]


def test_the_name_on_a_merged_record_finds_the_record_kept_and_says_so(django_user_model):
    kept = person("Amira", "Khan", born=None)
    duplicate = person("Ameera", "Lloyd-Jones", born=None)
    older = person("Amira", "Okafor", born=None)
    manager = django_user_model.objects.create(username="merger")
    merge_people(duplicate, older, manager, "Same child: confirmed by school")
    merge_people(kept, duplicate, manager, "Same child: confirmed by school")
    assert found("Ameera Jones") == [kept]
    (why,) = reasons_for(PersonQuery(name="Ameera Lloyd-Jones"), kept)
    assert why == "Name on a record merged into this one: Ameera Lloyd-Jones"
    # Two merges back, and by a slip of it.
    assert found("Amira Okafro") == [kept]
    # Found by where they live, the merged record's name counts as the lookup would count it.
    lives_at(kept, "N7 6AB")
    assert [m.person for m in search_people(PersonQuery(name="Ameera Jones", postcode="N7"))] == [
        kept
    ]


def test_one_word_of_the_name_on_a_merged_record_finds_the_record_kept(django_user_model):
    kept = person("Katherine", "Brown", born=None)
    duplicate = person("Kate", "Adeyemi", born=None)
    manager = django_user_model.objects.create(username="merger")
    merge_people(kept, duplicate, manager, "Same child: confirmed by school")
    assert found("Adeyemi") == [kept]
    assert [m.person for m in search_people(PersonQuery(name="Adeyemi", postcode="N7"))] == []
    lives_at(kept, "N7 6AB")
    assert [m.person for m in search_people(PersonQuery(name="Adeyemi", postcode="N7"))] == [kept]


def test_name_words_split_hyphens_apostrophes_and_particles():
    assert name_words("Lloyd-Jones") == ("lloyd", "jones", "lloydjones")
    assert name_words("O'Connor") == ("oconnor", "connor")
    assert name_words("al-Hassan") == ("hassan", "alhassan")
    assert name_words("García López") == ("garcia", "lopez", "garcialopez")


# --- never a scan of everyone ------------------------------------------------------------


PEOPLE_TABLES = ("people_person", "people_namekey", "people_personname")


def _plans(queries: list[dict]) -> list[str]:
    plans = []
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            if connection.vendor == "sqlite":
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
                plans += [f"{row[-1]}  <- {sql}" for row in cursor.fetchall()]
            else:
                cursor.execute(f"EXPLAIN {sql}")
                plans += [f"{row[0]}  <- {sql}" for row in cursor.fetchall()]
    return plans


def test_no_search_reads_every_person():
    """Each lookup is an index search (SQLite, without statistics: SEARCH, not SCAN, and
    never through the index of merged records; PostgreSQL, with
    sequential scans off so a tiny test table does not tempt the planner: no Seq Scan)."""
    PersonFactory.create_batch(30)
    person("Amira", "Lloyd-Jones", born=None)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET enable_seqscan = off")
    queries = [
        PersonQuery(name="Amira Jones"),
        PersonQuery(name="Jakc Smith", date_of_birth=date(2015, 3, 9)),
        PersonQuery(name="Kate Okafor", postcode="N7"),
        PersonQuery(name="Jones"),
        PersonQuery(date_of_birth=date(2015, 3, 9)),
        PersonQuery(postcode="N7 6AB"),
    ]
    for query in queries:
        with CaptureQueriesContext(connection) as captured:
            find_people(query)
        plans = _plans(captured.captured_queries)
        assert plans
        for line in plans:
            if connection.vendor == "sqlite":
                assert not (
                    line.startswith("SCAN") and any(t in line.split("<-")[0] for t in PEOPLE_TABLES)
                ), line
                # Searching "merged_into IS NULL" through an index of it reads every live
                # person: a planner without statistics picks it unless it is partial.
                plan, sql = line.split("<-", 1)
                assert not ("merged_into" in plan and '"merged_into_id" IS NULL' in sql), line
            else:
                assert not any(f"Seq Scan on {t}" in line for t in PEOPLE_TABLES), line


def test_every_person_made_has_name_index_rows():
    someone = PersonFactory()
    assert NameKey.objects.filter(person=someone).count() == len(
        stored_name_keys(someone.given_name, someone.family_name)
    )


@pytest.mark.django_db(transaction=True)
def test_the_migration_indexes_the_people_recorded_before_it_and_carries_on_when_rerun():
    from django.db.migrations.executor import MigrationExecutor

    amira = person("Amira", "Lloyd-Jones", born=None)
    PersonNameFactory(person=amira, given_name="Amira", family_name="Okafor")
    others = PersonFactory.create_batch(3)
    expected = {(pk, key) for pk, key in NameKey.objects.values_list("person_id", "key")}
    executor = MigrationExecutor(connection)
    executor.migrate([("people", "0008_household_member_may_rejoin")])  # before the index
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert set(NameKey.objects.values_list("person_id", "key")) == expected
    assert amira in found("Amira Okafor")
    # Stopped half way: the people after the first have no keys yet. Run again, it carries on.
    executor.loader.build_graph()
    executor.migrate([("people", "0009_name_index")])
    first = min(pk for pk, _ in expected)
    NameKey.objects.filter(person_id__gt=first).delete()
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert set(NameKey.objects.values_list("person_id", "key")) == expected
    assert {amira, *others} <= {key.person for key in NameKey.objects.all()}


def test_a_mac_or_mc_prefix_before_a_capital_is_a_word_of_its_own():
    assert name_words("MacDonald") == ("macdonald", "donald")
    assert name_words("Lloyd-McAllister") == ("lloyd", "mcallister", "allister", "lloydmcallister")
    # Names, not prefixes: no capital after them, or written in capitals throughout.
    assert name_words("Mackenzie") == ("mackenzie",)
    assert name_words("MACDONALD") == ("macdonald",)


def test_a_family_name_without_its_mac_prefix_finds_the_person():
    callum = person("Callum", "MacDonald", born=None)
    person("Callum", "Donaldson", born=None)
    assert callum in found("Callum Donald")
    (why,) = reasons_for(PersonQuery(name="Callum Donald"), callum)
    assert why.endswith("family name is part of MacDonald")


@pytest.mark.django_db(transaction=True)
def test_the_mac_migration_writes_the_keys_of_prefixed_names_again():
    from django.db.migrations.executor import MigrationExecutor

    callum = person("Callum", "MacDonald", born=None)
    renamed = person("Ann", "Smith", born=None)
    PersonNameFactory(person=renamed, given_name="Ann", family_name="McAllister")
    expected = set(NameKey.objects.values_list("person_id", "key"))
    # The index as it was before 0013: the keys of the names with the prefix not split off
    # (as a lower-case letter after it leaves it).
    NameKey.objects.filter(person__in=[callum, renamed]).delete()
    for someone, names in (
        (callum, [("Callum", "Macdonald")]),
        (renamed, [("Ann", "Smith"), ("Ann", "Mcallister")]),
    ):
        NameKey.objects.bulk_create(NameKey(person=someone, key=k) for k in keys_of_names(names))
    assert callum not in found("Callum Donald")
    executor = MigrationExecutor(connection)
    executor.migrate([("people", "0012_merged_into_indexed_where_set")])
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert set(NameKey.objects.values_list("person_id", "key")) == expected
    assert callum in found("Callum Donald")
    assert renamed in found("Ann Allister")


def test_a_name_lookup_stopped_at_its_bound_of_rows_says_more_may_match(monkeypatch):
    """Rows of the name index are read up to a bound (KEYS_A_PERSON for each person there
    is room for): a lookup that reaches it may have had more people."""
    from earlyhelp.people import search

    monkeypatch.setattr(search, "LOOKUP_CAP", 3)
    monkeypatch.setattr(search, "KEYS_A_PERSON", 1)
    amiras = {person("Amira", "Lloyd-Jones", born=None) for _ in range(2)}
    found = find_people(PersonQuery(name="Amira Jones"))
    assert {m.person for m in found.matches} == amiras
    assert found.more_may_match
