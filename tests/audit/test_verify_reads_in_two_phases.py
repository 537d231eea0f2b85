"""verify_chain reads most of the trail without holding anything, then the rest with the
chain head locked: events written while it reads are checked in the second phase, and
the shares asked for are the shares used.
"""

import pytest

from earlyhelp.audit import verify
from earlyhelp.audit.log import record
from earlyhelp.audit.verify import verify_chain
from tests.audit.conftest import PERSON_ID


@pytest.fixture
def trail(db):
    for n in range(12):
        record(action="view", record_type="person", record_id=PERSON_ID, details={"n": n})


@pytest.mark.parametrize("shares", [1, 3])
def test_events_written_while_verify_reads_are_checked_in_its_second_phase(
    trail, monkeypatch, shares
):
    first_phase = verify._link_rows if shares > 1 else verify._rows
    read = []

    def then_three_more(after, up_to, batch_size):
        yield from first_phase(after, up_to, batch_size)
        if not read:  # a writer adds three events once the first phase has read
            read.append(up_to)
            for _ in range(3):
                record(action="view", record_type="person", record_id=PERSON_ID, details={})

    monkeypatch.setattr(verify, "_link_rows" if shares > 1 else "_rows", then_three_more)
    result = verify_chain(shares=shares, batch_size=5)
    assert read == [12]
    assert (result.problem, result.events) == (None, 15)
    assert 0 <= result.seconds < 600


@pytest.mark.parametrize(("shares", "hashed_in_shares"), [(1, None), (2, 2), (3, 3)])
def test_the_shares_asked_for_are_the_shares_used(trail, monkeypatch, shares, hashed_in_shares):
    used = []
    real = verify._hash_problems

    def spy(up_to, batch_size, shares):
        used.append(shares)
        return real(up_to, batch_size, shares)

    monkeypatch.setattr(verify, "_hash_problems", spy)
    assert verify_chain(shares=shares).events == 12
    assert used == ([hashed_in_shares] if hashed_in_shares else [])
