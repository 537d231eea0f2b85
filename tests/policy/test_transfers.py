"""Data leaves the UK, EU and EEA only when a child goes to live abroad (the notice, s.8).

The notice: "Early Help Services will not transfer data out of the EU/EEA unless a child goes
to live in a country outside the EU/EEA. In these circumstances, we will liaise with the
appropriate authority in that country". Camden's policy reads this as: the UK, EU and EEA are
permitted; elsewhere only under the child-relocation exception, which needs both the move
recorded and the receiving authority involved. (LAW.md: since 5 February 2026 a transfer
names its route; the policy keeps the notice's regions until the DPO changes them.)
"""

import pytest

from earlyhelp.policy.decisions import decide_transfer
from earlyhelp.policy.loader import policy_from_dict
from earlyhelp.policy.schema import Policy

from . import camden_policy, small_policy_dict

RELOCATION = (
    "a child goes to live in a country outside the EU/EEA, and we liaise with the appropriate "
    "authority in that country to facilitate the lawful and secure transfer of data"
)


@pytest.fixture(scope="module")
def camden() -> Policy:
    return camden_policy()


@pytest.mark.parametrize("region", ["UK", "EU", "EEA"])
def test_transfers_within_the_uk_eu_and_eea_are_permitted_without_conditions(
    camden: Policy, region: str
) -> None:
    decision = decide_transfer(camden, region)
    assert decision.allowed is True
    assert decision.rule_ids == ("transfers",)
    assert decision.lawful_basis is None
    assert decision.reason == f"Transfers within the {region} are permitted."


def test_transfer_abroad_is_permitted_when_the_move_is_recorded_and_the_authority_involved(
    camden: Policy,
) -> None:
    decision = decide_transfer(camden, "Canada", relocation_recorded=True, receiving_authority=True)
    assert decision.allowed is True
    assert decision.rule_ids == ("transfers", "transfers.exception:child-relocation")
    assert decision.reason == f"Permitted because {RELOCATION}."


@pytest.mark.parametrize(
    ("relocation_recorded", "receiving_authority"),
    [(False, False), (True, False), (False, True)],
    ids=["neither", "move recorded, no authority", "authority, move not recorded"],
)
def test_transfer_abroad_is_refused_unless_both_the_move_and_the_authority_are_recorded(
    camden: Policy, relocation_recorded: bool, receiving_authority: bool
) -> None:
    decision = decide_transfer(
        camden,
        "Canada",
        relocation_recorded=relocation_recorded,
        receiving_authority=receiving_authority,
    )
    assert decision.allowed is False
    assert decision.rule_ids == ("transfers",)
    assert decision.lawful_basis is None
    assert decision.reason == (
        f"Data may leave the UK, EU, EEA only in these cases: {RELOCATION}. "
        "The relocation must be recorded and the receiving authority involved."
    )


def test_regions_are_matched_exactly_not_by_case_or_part(camden: Policy) -> None:
    for region in ("uk", "Europe", "U", ""):
        assert decide_transfer(camden, region).allowed is False


def _transfers(permitted: list[str], exceptions: list[dict]) -> Policy:
    data = small_policy_dict()
    data["transfers"] = {
        "permitted_regions": permitted,
        "exceptions": exceptions,
        "statement": "Where data may go.",
    }
    return policy_from_dict(data)


def test_permitted_regions_come_from_the_policy() -> None:
    uk_only = _transfers(["UK"], [])
    assert decide_transfer(uk_only, "UK").allowed
    refused = decide_transfer(uk_only, "EU", relocation_recorded=True, receiving_authority=True)
    assert refused.allowed is False
    assert refused.reason == (
        "Data may leave the UK only in these cases: none. "
        "The relocation must be recorded and the receiving authority involved."
    )


def test_an_exception_needs_only_the_conditions_it_names() -> None:
    policy = _transfers(
        ["UK"],
        [
            {
                "id": "authority-asks",
                "condition": "the receiving authority asks",
                "requires_recorded_relocation": False,
                "requires_receiving_authority": True,
            },
            {
                "id": "family-moves",
                "condition": "the family moves",
                "requires_recorded_relocation": True,
                "requires_receiving_authority": False,
            },
        ],
    )
    assert decide_transfer(policy, "US").allowed is False
    authority = decide_transfer(policy, "US", receiving_authority=True)
    assert authority.allowed is True
    assert authority.rule_ids == ("transfers", "transfers.exception:authority-asks")
    moved = decide_transfer(policy, "US", relocation_recorded=True)
    assert moved.allowed is True
    assert moved.rule_ids == ("transfers", "transfers.exception:family-moves")
    # Both present: the first exception that is met is the one relied on.
    both = decide_transfer(policy, "US", relocation_recorded=True, receiving_authority=True)
    assert both.rule_ids == ("transfers", "transfers.exception:authority-asks")
    refused = decide_transfer(policy, "US")
    assert refused.reason == (
        "Data may leave the UK only in these cases: the receiving authority asks; "
        "the family moves. "
        "The relocation must be recorded and the receiving authority involved."
    )
