"""Proposals of third-party information in text (issue 16, item 2). Pure: no database.

Every name, number and address here is synthetic: NHS numbers from the 999 test range,
telephone numbers from Ofcom's drama ranges (07700 900xxx, 020 7946 0xxx), UPNs and
National Insurance numbers made up to pass or fail their rules.
"""

import itertools
import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.bundles.finders import Finder, Kind, Party, Proposal
from earlyhelp.people.identifiers import nhs_check_digit, upn_check_letter

REQUESTER = Party(
    ("Katherine Smith",),
    ("Katherine",),
    ("Smith",),
    details=("07700 900001", "9990000026", "3 Grace Road, London NW1 0AB", date(1988, 6, 1)),
    why="Requester",
)
WORKER = Party(("Ellen Parker",), why="Family support worker")
SISTER = Party(
    ("Maya Smith",),
    ("Maya",),
    ("Smith",),
    details=("maya.smith@example.org", date(2015, 4, 3), "9990000131"),
    why="Sister",
)
NEIGHBOUR = Party(
    ("Raymond Jones",),
    details=("07700 900123", "12 Acacia Road, London NW5 2AB"),
    why="Neighbour",
)
SCHOOLFRIEND = Party(("Grace Okafor",), why="Other child at the same session")


@pytest.fixture(scope="module")
def finder() -> Finder:
    return Finder([SISTER, NEIGHBOUR, SCHOOLFRIEND], keep=[REQUESTER, WORKER])


def found(finder: Finder, text: str) -> list[str]:
    return [text[p.start : p.end] for p in finder.propose(text)]


def kinds(finder: Finder, text: str) -> dict[str, Kind]:
    return {text[p.start : p.end]: p.kind for p in finder.propose(text)}


def test_test_numbers_are_valid_nhs_numbers() -> None:
    # The fixtures' NHS numbers must pass the check digit, or the tests below prove nothing.
    for number in ("9990000026", "9990000131"):
        assert nhs_check_digit(number[:9]) == int(number[9])


# --- names -------------------------------------------------------------------------------


def test_sibling_name_is_proposed_and_requester_name_is_not(finder: Finder) -> None:
    text = "Katherine Smith said that Maya Smith and Maya had been arguing."
    assert found(finder, text) == ["Maya Smith", "Maya"]
    proposal = finder.propose(text)[0]
    assert proposal.kind == Kind.NAME
    assert proposal.why == "Sister: Maya Smith"


def test_nickname_of_a_third_party_is_proposed() -> None:
    finder = Finder([Party(("Robert Jones",), why="Father")], keep=[REQUESTER])
    assert found(finder, "Bobby came round and then Rob was upset.") == ["Bobby", "Rob"]


def test_nickname_that_is_an_ordinary_word_is_not_proposed_starting_a_sentence() -> None:
    finder = Finder([Party(("William Jones",), why="Father")])
    text = "Will chase the school. Mum said Will had not paid. Will: absent. Will Jones rang."
    assert found(finder, text) == ["Will", "Will Jones"]
    assert finder.propose(text)[0].start == text.index("said Will") + len("said ")


def test_name_recorded_as_an_ordinary_word_is_proposed_anywhere() -> None:
    finder = Finder([Party(("Will Jones",), why="Father")])
    assert found(finder, "Will came round.") == ["Will"]


def test_name_that_is_a_month_is_not_proposed_in_a_date() -> None:
    finder = Finder([Party(("May Ahmed",), why="Aunt")])
    text = "On Tuesday 14 May, May said she would visit in May 2025."
    assert found(finder, text) == ["May"]
    assert finder.propose(text)[0].start == text.index("May said")


def test_title_is_not_taken_for_a_given_name() -> None:
    finder = Finder([Party(("Mrs Begum",), why="Neighbour")])
    assert found(finder, "Ms Okafor and Mrs Begum; Begum; Mrs Khan.") == ["Begum", "Begum"]


def test_requesters_own_nickname_is_not_proposed(finder: Finder) -> None:
    assert found(finder, "Kate and Katie are how Katherine is known.") == []


def test_third_partys_recorded_name_beats_the_requesters_nickname() -> None:
    # A sister recorded as "Kate" is a third party even though Kate is a short form of
    # the requester's name Katherine.
    finder = Finder([Party(("Kate Brown",), why="Half-sister")], keep=[REQUESTER])
    assert found(finder, "Kate visited.") == ["Kate"]


def test_family_name_shared_with_requester_is_not_proposed_alone(finder: Finder) -> None:
    assert found(finder, "The Smith family; Ms Smith; SMITH.") == []


def test_worker_in_keep_is_not_proposed(finder: Finder) -> None:
    assert found(finder, "Ellen Parker visited. Ellen said Maya was fine.") == ["Maya"]


def test_worker_sharing_a_third_partys_given_name_is_not_proposed() -> None:
    finder = Finder([Party(("Ellen Green",), why="Aunt")], keep=[WORKER])
    assert found(finder, "Ellen Parker visited. Ellen Green rang.") == ["Ellen Green"]


def test_name_is_not_found_inside_a_longer_word() -> None:
    finder = Finder([Party(("Ray Jones",), why="Neighbour")])
    assert found(finder, "Rayan and Array spoke to Ray.") == ["Ray"]


def test_family_name_is_not_found_inside_a_double_barrelled_name() -> None:
    finder = Finder([Party(("Tom Wood",), why="Neighbour")])
    assert found(finder, "Ms Taylor-Wood spoke to Mr Wood-Hill and to Wood.") == ["Wood"]


def test_longest_match_wins(finder: Finder) -> None:
    proposals = finder.propose("Maya Smith attended.")
    assert [(p.start, p.end) for p in proposals] == [(0, 10)]


def test_possessive_is_found(finder: Finder) -> None:
    assert found(finder, "Maya's school and Maya’s teacher.") == ["Maya", "Maya"]


def test_all_capitals_and_a_recorded_name_in_lower_case_are_found(finder: Finder) -> None:
    assert found(finder, "MAYA SMITH; maya; Grace.") == ["MAYA SMITH", "maya", "Grace"]


def test_a_name_that_is_an_everyday_word_is_not_found_in_lower_case() -> None:
    finder = Finder([Party(("Grace Brown",), ("Grace",), ("Brown",), why="Aunt")])
    assert found(finder, "with grace, in a brown coat; Grace Brown came") == ["Grace Brown"]


def test_names_that_are_calendar_words_are_not_taken_from_nicknames() -> None:
    # "May" is a nickname of Mary in the nickname list; notes write dates.
    finder = Finder([Party(("Mary Jones",), why="Aunt")])
    assert found(finder, "Seen on 14 May; Mary came too.") == ["Mary"]


def test_requesters_address_blocks_a_third_party_name_inside_it(finder: Finder) -> None:
    assert found(finder, "She lives at 3 Grace Road with Grace.") == ["Grace"]


# --- details and identifiers ---------------------------------------------------------------


@pytest.mark.parametrize(
    "written", ["07700 900123", "07700900123", "+44 7700 900123", "+447700900123",
                "(07700) 900123", "07700-900-123", "+44 (0)7700 900123"],
)  # fmt: skip
def test_neighbours_phone_number_is_proposed_in_any_written_form(
    finder: Finder, written: str
) -> None:
    text = f"The neighbour can be reached on {written}, after six."
    assert found(finder, text) == [written]
    assert finder.propose(text)[0].why == "Telephone number of Neighbour: Raymond Jones"


@pytest.mark.parametrize("written", ["020 7946 0018", "(020) 7946 0018", "0207 946 0018"])
def test_landline_numbers_are_proposed(finder: Finder, written: str) -> None:
    assert kinds(finder, f"School office: {written}.") == {written: Kind.PHONE}


def test_requesters_own_phone_number_is_not_proposed(finder: Finder) -> None:
    assert found(finder, "Mum's mobile is 07700 900001.") == []


def test_another_childs_nhs_number_is_proposed_spaced_or_not(finder: Finder) -> None:
    text = "NHS numbers 999 000 0131 and 9990000131."
    assert kinds(finder, text) == {"999 000 0131": Kind.NHS_NUMBER, "9990000131": Kind.NHS_NUMBER}
    assert finder.propose(text)[0].why == "NHS number of Sister: Maya Smith"


def test_unknown_valid_nhs_number_is_proposed_and_bad_check_digit_is_not(finder: Finder) -> None:
    # 999 000 0042 has check digit 2 (test range); 999 000 0043 fails the check.
    assert nhs_check_digit("999000004") == 2
    assert found(finder, "Numbers 999 000 0042 and 999 000 0043.") == ["999 000 0042"]


def test_requesters_own_nhs_number_is_not_proposed(finder: Finder) -> None:
    assert found(finder, "Her NHS number is 999 000 0026.") == []


def test_upn_is_proposed_only_with_its_check_letter(finder: Finder) -> None:
    body = "202123416001"
    good = upn_check_letter(body) + body
    bad = ("B" if good[0] != "B" else "C") + body
    assert found(finder, f"UPN {good}; UPN {bad}.") == [good]


@pytest.mark.parametrize(
    ("written", "proposed"),
    [
        ("AB 12 34 56 C", True),
        ("AB123456C", True),
        ("JG103759A", True),
        ("AB123456", True),  # the suffix may be left off
        ("DA123456C", False),  # D is never a prefix letter
        ("AO123456C", False),  # O is never the second letter
        ("QQ123456C", False),  # Q is never used
        ("GB123456A", False),  # GB, BG, NK, KN, TN, NT and ZZ are never allocated
        ("NK123456A", False),
        ("AB123456E", False),  # the suffix is A, B, C or D
    ],
)
def test_national_insurance_number_follows_hmrc_prefix_rules(
    finder: Finder, written: str, proposed: bool
) -> None:
    result = kinds(finder, f"NI number {written} on file.")
    assert (result == {written: Kind.NI_NUMBER}) is proposed


def test_postcode_and_address_are_proposed(finder: Finder) -> None:
    text = "Moved to Flat 3, 14 Camden Street, London NW1 0JH last week."
    assert kinds(finder, text) == {
        "Flat 3, 14 Camden Street": Kind.ADDRESS,
        "NW1 0JH": Kind.POSTCODE,
    }


def test_known_address_says_whose_it_is(finder: Finder) -> None:
    text = "Noise from 12 Acacia Road, NW5 2AB."
    assert [p.why for p in finder.propose(text)] == [
        "Address of Neighbour: Raymond Jones",
        "Postcode of Neighbour: Raymond Jones",
    ]


def test_requesters_own_address_is_not_proposed(finder: Finder) -> None:
    assert found(finder, "Home visit at 3 Grace Road, NW1 0AB.") == []


def test_invalid_postcode_is_not_proposed(finder: Finder) -> None:
    # Q is never the first letter of a postcode; C is never in the inward code.
    assert found(finder, "Codes QW1 2AB and NW1 2CA.") == []


def test_email_is_proposed(finder: Finder) -> None:
    text = "Emails from maya.smith@example.org and j.doe+school@mail.example.co.uk."
    assert kinds(finder, text) == {
        "maya.smith@example.org": Kind.EMAIL,
        "j.doe+school@mail.example.co.uk": Kind.EMAIL,
    }


@pytest.mark.parametrize(
    "written", ["born 14/02/2016", "DOB: 14/02/2016", "D.O.B. 14-02-2016",
                "date of birth is 14th February 2016", "born on 14 Feb 2016",
                "dob 2016-02-14", "born February 14, 2016"],
)  # fmt: skip
def test_date_after_born_or_dob_is_proposed(finder: Finder, written: str) -> None:
    text = f"New baby, {written}, at home."
    proposals = finder.propose(text)
    assert [p.kind for p in proposals] == [Kind.DATE_OF_BIRTH]
    assert written.endswith(text[proposals[0].start : proposals[0].end])


@pytest.mark.parametrize("written", ["03/04/2015", "3 April 2015", "3rd April 2015", "2015-04-03"])
def test_third_partys_date_of_birth_is_proposed_anywhere(finder: Finder, written: str) -> None:
    text = f"Party planned for {written}."
    assert found(finder, text) == [written]
    assert finder.propose(text)[0].why == "Date of birth of Sister: Maya Smith"


def test_other_dates_are_not_proposed(finder: Finder) -> None:
    assert found(finder, "Seen on 04/03/2015 and 14 May 2024; review 2024-06-01.") == []


def test_requesters_own_date_of_birth_is_not_proposed_even_after_born(finder: Finder) -> None:
    assert found(finder, "Mum was born 01/06/1988.") == []


def test_amounts_times_and_years_are_not_proposed(finder: Finder) -> None:
    text = (
        "Rent arrears £1,250.00 (about 1250 pounds); meeting at 10:30 on 12.05.2024 in 2024; "
        "reference 12345678, 3 children aged 4, 7 and 11; case 0001234567 closed."
    )
    assert found(finder, text) == []


# --- properties ------------------------------------------------------------------------------

_GIVEN = ["Aisha", "Tom", "Nadia", "Oliver", "Zainab", "Kwame", "Ruth", "Ibrahim", "Leah"]
_FAMILY = ["Begum", "Okafor", "Murphy", "Nowak", "Hussain", "Campbell", "Ali", "Mensah"]
_prose = st.text(
    alphabet=st.sampled_from(list("abcdefghij klmnopqrstuvwxyz ,.'0123456789£:/-()\n")),
    max_size=120,
)


@given(
    third=st.lists(
        st.tuples(st.sampled_from(_GIVEN), st.sampled_from(_FAMILY)), min_size=1, max_size=5
    ),
    text=st.text(max_size=300),
)
def test_proposals_slice_the_text_are_sorted_and_never_overlap(
    third: list[tuple[str, str]], text: str
) -> None:
    finder = Finder([Party((f"{g} {f}",)) for g, f in third], keep=[REQUESTER, WORKER])
    proposals = finder.propose(text)
    assert all(isinstance(p, Proposal) for p in proposals)
    for proposal in proposals:
        assert 0 <= proposal.start < proposal.end <= len(text)
        assert text[proposal.start : proposal.end].strip()
    for before, after in itertools.pairwise(proposals):
        assert before.end <= after.start


@given(
    person=st.tuples(st.sampled_from(_GIVEN), st.sampled_from(_FAMILY)),
    before=_prose,
    after=_prose,
)
def test_any_deny_listed_full_name_in_random_prose_is_found_whole(
    person: tuple[str, str], before: str, after: str
) -> None:
    name = " ".join(person)
    finder = Finder([Party((name,), why="Cousin")], keep=[REQUESTER, WORKER])
    text = f"{before} {name} {after}"
    start = len(before) + 1
    proposals = finder.propose(text)
    assert any(
        p.start == start and p.end == start + len(name) and p.kind == Kind.NAME for p in proposals
    )


def test_name_with_a_lower_case_particle_or_an_accent_is_found() -> None:
    finder = Finder([Party(("Zoë de Souza",), why="Cousin")])
    text = "Zoe said Ms de Souza and ZOË DE SOUZA visited."
    assert found(finder, text) == ["Zoe", "de Souza", "ZOË DE SOUZA"]


@pytest.mark.parametrize(
    "written",
    [
        "Flat 12, Walker House, Ossulston Estate",
        "Flat 12, Burnham, Godwin and Crowndale Estate",
        "Flat B, 7 Regent's Park Road",
        "14-16 Camden High Street",
    ],
)
def test_flats_blocks_and_estates_are_proposed_as_addresses(finder: Finder, written: str) -> None:
    assert kinds(finder, f"Moved to {written}. Mum said it was better.") == {written: Kind.ADDRESS}


def test_street_line_of_the_requesters_flat_is_not_proposed() -> None:
    finder = Finder(
        [SISTER], keep=[Party(("Katherine Smith",), details=("Flat A, 12 Camden Road",))]
    )
    assert found(finder, "Seen at Flat A, 12 Camden Road and at 12 Camden Road.") == []


def test_family_name_first_is_one_proposal(finder: Finder) -> None:
    assert found(finder, "Attendees: SMITH, Maya; Okafor, Grace.") == [
        "SMITH, Maya",
        "Okafor, Grace",
    ]


@given(
    stem=st.integers(min_value=0, max_value=999_999),
    spaced=st.booleans(),
    before=_prose,
    after=_prose,
)
def test_any_valid_nhs_number_in_random_prose_is_found(
    stem: int, spaced: bool, before: str, after: str
) -> None:
    first_nine = f"999{stem:06d}"
    check = nhs_check_digit(first_nine)
    if check is None:
        return  # no NHS number is issued with this stem
    number = f"{first_nine}{check}"
    written = f"{number[:3]} {number[3:6]} {number[6:]}" if spaced else number
    text = f"{before} NHS {written} {after}"
    start = len(before) + len(" NHS ")
    assert any(
        (p.start, p.end, p.kind) == (start, start + len(written), Kind.NHS_NUMBER)
        for p in Finder([]).propose(text)
    )


def test_recorded_address_without_a_street_word_is_proposed() -> None:
    finder = Finder([Party(("Emine Kaya",), details=("144 Kingsway, WC2B 6NH",), why="Aunt")])
    assert kinds(finder, "Emine has moved to 144 Kingsway, WC2B 6NH.") == {
        "Emine": Kind.NAME,
        "144 Kingsway": Kind.ADDRESS,
        "WC2B 6NH": Kind.POSTCODE,
    }


def test_address_shared_with_the_requester_is_not_proposed() -> None:
    home = "Flat 2, 49 High Holborn, WC1V 5RZ"
    finder = Finder(
        [Party(("Jack Brown",), details=(home,), why="Brother")],
        keep=[Party(("Amy Brown",), details=(home,), why="Requester")],
    )
    assert found(finder, "Visited Jack at 49 High Holborn, WC1V 5RZ.") == ["Jack"]


def test_third_partys_given_name_beats_the_requesters_family_name() -> None:
    finder = Finder(
        [Party(("Hassan Ali",), ("Hassan",), ("Ali",), why="Father")],
        keep=[Party(("Mohamed Hassan",), ("Mohamed",), ("Hassan",), why="Requester")],
    )
    assert found(finder, "Hassan was in the kitchen with Mohamed Hassan.") == ["Hassan"]


@pytest.mark.parametrize(
    ("recorded", "line"),
    [
        ("144 Kingsway", "144 Kingsway"),
        ("Flat 2, 144 Kingsway, WC2B 6NH", "144 Kingsway"),
        ("144 KINGSWAY", "144 KINGSWAY"),
    ],
)
def test_recorded_street_line_is_found_however_the_address_was_recorded(
    recorded: str, line: str
) -> None:
    finder = Finder([Party(("Emine Kaya",), details=(recorded,), why="Aunt")])
    assert kinds(finder, f"She moved to {line} last week.") == {line: Kind.ADDRESS}


def test_flat_line_stops_before_its_postcode(finder: Finder) -> None:
    text = "Moved to Flat 118, Penrose House, Abbey Road Estate, NW6 4WZ last week."
    assert kinds(finder, text) == {
        "Flat 118, Penrose House, Abbey Road Estate": Kind.ADDRESS,
        "NW6 4WZ": Kind.POSTCODE,
    }


# --- the quick scan (a text in ASCII or not; words that cannot start a pattern) ----------


def test_text_outside_ascii_is_scanned_as_fully_as_one_in_ascii(finder: Finder) -> None:
    # A text with a character outside ASCII ("£") is scanned with every digit and capital;
    # it must find what the ASCII scan finds there, and names with an accented capital.
    text = "Maya Smith rang on 07700 900123 about 12 Acacia Road (NHS 999 000 0131)."
    ascii_found = found(finder, text)
    assert ascii_found == ["Maya Smith", "07700 900123", "12 Acacia Road", "999 000 0131"]
    assert found(finder, text.replace("about", "about £20 and")) == ascii_found
    accented = Finder([Party(("Élodie Ünal",), why="Cousin")])
    assert found(accented, "Mum said Élodie Ünal and ÉLODIE came.") == ["Élodie Ünal", "ÉLODIE"]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Moved to NW5 2AB last week.", "NW5 2AB"),
        ("Moved to N1 9GU last week.", "N1 9GU"),
        ("NI number AB 12 34 56 C on file.", "AB 12 34 56 C"),
        ("Seen on May 14, 2024 at school.", None),
        ("Flat 3, 12 Acacia Road was the address.", "Flat 3, 12 Acacia Road"),
    ],
)
def test_patterns_starting_with_a_capital_are_found_where_a_word_could_be_a_name(
    text: str, written: str | None
) -> None:
    # Finders whose name words look like the start of a pattern ("May", "Flat", "AB") must
    # still find the pattern there, not the name.
    names = Finder([Party(("May Flat",), why="Aunt"), Party(("Ab Nw",), why="Uncle")])
    if written is None:
        assert found(names, text) == []  # a date not of a birth is not proposed, nor "May"
    else:
        assert written in found(names, text)


_CODES = st.text(alphabet="ABCNWSE0123456789 ,(+-/.'", min_size=1, max_size=20)
_UPN = upn_check_letter("201234567890") + "201234567890"
_WORDS = st.sampled_from(
    [
        *("Flat", "May", "Sept.", "Maya", "NHS", "I", "Road", "14", "born", "NW5 2AB", "N1 9GU"),
        *(_UPN, "Room 5", "5th", "of", "2024", "12-14", "3A,", "2024-05-01", "5/4/20"),
        *("+44 7700 900123", "(020) 7946 0000", "0044 20 7946 0000", "943 476 5919"),
        *("AB 12 34 56 C", "Acacia", "Flat A,", "3 of May 2015", "3rd Sept. 2015"),
    ]
)


@given(parts=st.lists(st.one_of(_CODES, _WORDS), min_size=1, max_size=12))
def test_no_place_a_pattern_starts_is_passed_over_by_the_scan(parts: list[str]) -> None:
    # The scan tries the patterns only where its match says one may start (most numbers
    # and capitalised words are passed over after a look-up); that must never pass over a
    # place where a pattern matches, outside a word the scan takes whole.
    from earlyhelp.bundles import finders

    def may_start(match: re.Match[str]) -> bool:
        if match.lastindex == finders._DIGIT_GROUP or match[0] in finders._PATTERN_WORDS:
            return True
        return match.lastindex == finders._CODE_GROUP and finders._may_start_pattern(match[0])

    text = " ".join(parts)
    for scan in (finders._SCAN_ASCII, finders._SCAN):
        matches = list(scan.finditer(text))
        tried = {match.start() for match in matches if may_start(match)}
        inside = {at for match in matches for at in range(match.start() + 1, match.end())}
        for start in range(len(text)):
            if start not in inside and finders._ALL.match(text, start) is not None:
                assert start in tried, (text, start)


@given(parts=st.lists(st.one_of(_CODES, _WORDS, st.text(min_size=1, max_size=8)), max_size=8))
def test_a_name_word_is_plain_where_the_scan_would_not_try_a_pattern(parts: list[str]) -> None:
    # A name form's _Word says once whether a pattern may start where it is written
    # (_plain), instead of the scan asking of each match: both must agree for every word
    # the scan takes whole, in either of its forms.
    from earlyhelp.bundles import finders

    text = " ".join(parts)
    for scan in (finders._SCAN_ASCII, finders._SCAN):
        if scan is finders._SCAN_ASCII and not text.isascii():
            continue
        for match in scan.finditer(text):
            token = match[0]
            if not token[0].isupper():
                continue  # a number: never a name form
            asked = token not in finders._PATTERN_WORDS and (
                match.lastindex is None or not finders._may_start_pattern(token)
            )
            assert finders._plain(token) == asked, (text, token)


_NAME_WORDS = st.sampled_from(
    ["Kwame", "Ms", "Dr.", "Leanne", "Lau", "de", "van", "Kate", "Will", "ZOË", "Zoë", "O'Brien"]
)


@given(words=st.lists(_NAME_WORDS, min_size=1, max_size=3), spaces=st.sampled_from([" ", "  "]))
def test_a_party_of_one_short_name_has_the_strengths_worked_out_word_by_word(
    words: list[str], spaces: str
) -> None:
    # Most workers are known by one short name ("Ms Nasser", "Kwame", "Leanne Lau"): their
    # name forms are taken from the cached dicts at once, and must be those (in the same
    # order) that working the name out word by word gives.
    from unittest import mock

    from earlyhelp.bundles import finders

    party = Party((spaces.join(words),))
    quick_particles: dict[str, tuple[str, ...]] = {}
    quick = finders._party_strengths(party, quick_particles)
    slow_particles: dict[str, tuple[str, ...]] = {}
    with mock.patch.object(finders, "_one_name_strengths", return_value=None):
        slow = finders._party_strengths(party, slow_particles)
    assert list(quick.items()) == list(slow.items())
    assert quick_particles == slow_particles


# --- what a finder works out once ----------------------------------------------------------


def test_a_date_is_a_birth_by_the_words_before_it_each_time_it_is_written() -> None:
    # A finder works out a date's verdict once, but whether it is a birth's is read from
    # the words before each mention: "born" before one does not make the next one a birth.
    finder = Finder([NEIGHBOUR], keep=[REQUESTER])
    texts = ["Seen on 3 April 2015.", "Born 3 April 2015.", "Seen on 3 April 2015."]
    assert [found(finder, text) for text in texts] == [[], ["3 April 2015"], []]


def test_a_number_is_judged_for_each_finder_by_its_own_parties() -> None:
    # One finder's verdict on a number is never another's: the requester's own telephone
    # number is kept in their request and proposed in a request where it is a neighbour's.
    text = "Rang 07700 900001 at noon."
    own = Finder([NEIGHBOUR], keep=[REQUESTER])
    neighbours = Finder([Party(("Raymond Jones",), details=("07700 900001",), why="Neighbour")])
    assert found(own, text) == found(own, text) == []
    assert found(neighbours, text) == ["07700 900001"]


def test_two_words_written_together_are_one_name_only_when_they_can_be_one_persons() -> None:
    # Which parties two words written together can mean is worked out once per pair and
    # finder: "Maya Smith" is the sister's name; "Maya Jones" may be two people, so each
    # word is its own proposal, however often and in whatever order they come.
    finder = Finder([SISTER, NEIGHBOUR], keep=[WORKER])
    text = "Maya Jones, Maya Smith, Maya Jones and Raymond Jones."
    expected = ["Maya", "Jones", "Maya Smith", "Maya", "Jones", "Raymond Jones"]
    assert found(finder, text) == found(finder, text) == expected


# --- many texts at once -------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        *("Maya Smith", "Maya", "SMITH, Maya", "Will", "May", "14 May", "born", "DOB:"),
        *("Flat 3,", "12 Acacia Road", "NW5 2AB", "07700 900123", "999 000 0131"),
        *("maya.smith@example.org", "Katherine Smith", "3 Grace Road", "3 April 2015"),
        *("Élodie", "£20", ".", "\n", " ", ", "),
    ]
)
_NOTE = st.lists(st.one_of(_PIECES, _prose), max_size=12).map("".join)


@given(texts=st.lists(_NOTE, max_size=6))
def test_many_texts_at_once_get_what_each_gets_alone(texts: list[str]) -> None:
    # propose_many scans the texts joined as one: nothing found may run from one text into
    # the next (a name, a date of birth's words, a sentence's start), and offsets are each
    # text's own.
    finder = Finder(
        [SISTER, NEIGHBOUR, SCHOOLFRIEND, Party(("William Jones",), why="Father")],
        keep=[REQUESTER, WORKER],
    )
    assert finder.propose_many(texts) == [finder.propose(text) for text in texts]


def test_many_texts_at_once_when_one_holds_the_joining_character(finder: Finder) -> None:
    texts = ["Maya\x00Maya rang.", "Maya Smith rang on 07700 900123."]
    assert finder.propose_many(texts) == [finder.propose(text) for text in texts]
    assert [len(found) for found in finder.propose_many(texts)] == [2, 2]


@pytest.mark.parametrize(
    "texts",
    [
        ["She moved to 12", "Acacia Road was far."],  # a number then a street
        ["Her date of birth is", "5 April 2016 was a Tuesday."],  # a date's birth words
        ["Rang 07700", "900123 later."],  # a telephone number's two halves
        ["Raymond", "Jones called."],  # a name's two words
    ],
)
def test_nothing_found_runs_from_one_text_into_the_next(finder: Finder, texts: list[str]) -> None:
    alone = [finder.propose(text) for text in texts]
    assert finder.propose_many(texts) == alone
    # Written as one text with a space between, they are read together: the case matters.
    shifted = [
        (p.start + len(texts[0]) + 1, p.end + len(texts[0]) + 1) if n else (p.start, p.end)
        for n, found_here in enumerate(alone)
        for p in found_here
    ]
    together = finder.propose(" ".join(texts))
    assert [(p.start, p.end) for p in together] != shifted
