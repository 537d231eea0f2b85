"""The redaction benchmark's ground truth: spans recorded as notes are written."""

import itertools
import re
from datetime import date

import pytest

from earlyhelp.synthetic import redaction_truth as rt

AS_OF = date(2026, 11, 25)


@pytest.fixture(scope="module")
def notes() -> list[rt.TruthNote]:
    return rt.truth_notes(2000, seed=7, as_of=AS_OF)


def parties_of(note: rt.TruthNote) -> dict[int, rt.PartyTruth]:
    return {p.person: p for p in (note.requester, *note.third_parties)}


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def test_every_span_slices_the_text_to_its_recorded_value(notes):
    for note in notes:
        for span in note.spans:
            assert note.text[span.start : span.end] == span.value, (note.text, span)


def test_a_span_holds_what_the_generator_made_for_that_person(notes):
    checked = set()
    for note in notes:
        parties = parties_of(note)
        for span in note.spans:
            if span.person is None:
                continue
            person = parties[span.person]
            value = span.value
            if span.kind == rt.NAME:
                assert value in person.given_names + person.full_names
            elif span.kind == rt.NHS_NUMBER:
                assert digits(value) == person.nhs_number
            elif span.kind == rt.TELEPHONE:
                national = digits(value)
                national = "0" + national[2:] if value.startswith("+44") else national
                assert national == digits(person.telephone)
            elif span.kind == rt.EMAIL:
                assert value == person.email
            elif span.kind == rt.UPN:
                assert value == person.upn
            elif span.kind == rt.NI_NUMBER:
                assert value.replace(" ", "") == person.ni_number
            elif span.kind == rt.POSTCODE:
                assert value == person.postcode
            elif span.kind == rt.ADDRESS:
                assert value == person.address
            elif span.kind == rt.DATE_OF_BIRTH:
                born = person.date_of_birth
                numbers = [int(n) for n in re.findall(r"\d+", value)]
                assert numbers[0] == born.day and numbers[-1] == born.year
            checked.add(span.kind)
    assert checked == {rt.NAME} | rt.IDENTIFIER_KINDS


def test_the_same_seed_gives_the_same_notes_and_another_seed_others():
    first = rt.truth_notes(300, seed=3, as_of=AS_OF)
    again = rt.truth_notes(300, seed=3, as_of=AS_OF)
    other = rt.truth_notes(300, seed=4, as_of=AS_OF)
    assert [n.as_dict() for n in first] == [n.as_dict() for n in again]
    assert [n.text for n in first] != [n.text for n in other]


def test_the_requesters_own_name_is_never_recorded_as_a_third_partys(notes):
    own_names_seen = 0
    for note in notes:
        requester = note.requester
        own = set(requester.given_names + requester.full_names)
        for span in note.spans:
            if span.person == requester.person:
                assert span.whose == rt.REQUESTER
                own_names_seen += span.kind == rt.NAME
            if span.whose == rt.THIRD_PARTY:
                assert span.person != requester.person
                assert span.value not in own
    assert own_names_seen > 1000


def test_workers_are_workers_not_family(notes):
    for note in notes:
        family = {n for p in parties_of(note).values() for n in p.given_names + p.full_names}
        for span in note.spans:
            if span.whose == rt.WORKER:
                assert span.value in note.workers
                assert span.value not in family
                assert span.person is None


def test_spans_never_overlap_and_decoys_are_nobodys(notes):
    for note in notes:
        spans = sorted(note.spans, key=lambda s: s.start)
        for before, after in itertools.pairwise(spans):
            assert before.end <= after.start, (note.text, before, after)
        for span in spans:
            assert (span.whose == rt.NOBODY) == (span.person is None and span.whose != rt.WORKER)


def test_some_notes_carry_third_party_identifiers_and_some_decoys(notes):
    with_identifiers = sum(
        any(s.kind in rt.IDENTIFIER_KINDS and s.whose == rt.THIRD_PARTY for s in n.spans)
        for n in notes
    )
    with_decoys = sum(any(s.whose == rt.NOBODY for s in n.spans) for n in notes)
    assert 0.2 * len(notes) < with_identifiers < 0.8 * len(notes)
    assert 0.1 * len(notes) < with_decoys < 0.6 * len(notes)


def test_national_insurance_numbers_use_prefixes_never_issued_to_a_person(notes):
    for note in notes:
        for party in (note.requester, *note.third_parties):
            if party.ni_number:
                assert party.ni_number[:2] in rt.ADMINISTRATIVE_NINO_PREFIXES
                assert re.fullmatch(r"[A-Z]{2}\d{6}[A-D]", party.ni_number)


def test_notes_come_to_the_count_asked_for_and_a_family_shares_one_requester():
    made = rt.truth_notes(57, seed=1, as_of=AS_OF)
    assert len(made) == 57
    requesters: dict[int, rt.PartyTruth] = {}
    for note in made:
        assert requesters.setdefault(note.family, note.requester) == note.requester
    with pytest.raises(ValueError):
        rt.truth_notes(-1, seed=1, as_of=AS_OF)
