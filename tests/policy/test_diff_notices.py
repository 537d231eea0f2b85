"""A changed policy is described as the changes a family would see in the notice."""

from earlyhelp.policy.loader import policy_from_dict
from earlyhelp.policy.render import diff_notices

from . import camden_dict, camden_policy


def test_same_policy_shows_no_changes() -> None:
    assert diff_notices(camden_policy(), camden_policy()) == []


def test_new_recipient_group_is_reported_in_section_5() -> None:
    data = camden_dict()
    data["recipients"].append(
        {
            "id": "housing-associations",
            "name": "Housing associations",
            "kind": "other_public_body",
            "wording": "Housing associations",
            "in_sharing_list": True,
        }
    )
    changes = diff_notices(camden_policy(), policy_from_dict(data))
    assert changes == [
        'Section 5 (Agencies we may share your data with) now also says: "Housing associations"'
    ]


def test_changed_retention_period_is_reported_as_before_and_after() -> None:
    data = camden_dict()
    data["retention"]["rules"][0]["period"] = {"years": 21}
    changes = diff_notices(camden_policy(), policy_from_dict(data))
    assert len(changes) == 1
    assert "until your child is 21" in changes[0] and "until your child is 25" in changes[0]
    assert changes[0].startswith("Section 6 (Storing and retaining personal data) now says:")


def test_removed_project_and_new_date_are_reported() -> None:
    data = camden_dict()
    data["projects"] = [p for p in data["projects"] if p["id"] != "national-insights"]
    data["last_updated"] = data["last_updated"].replace(year=2026)
    changes = diff_notices(camden_policy(), policy_from_dict(data))
    assert changes[0] == "The notice was last updated in November 2026 (before: November 2023)."
    removed = [c for c in changes if "no longer says" in c]
    assert any("National Insights" in c for c in removed)
    assert any("until 31 March 2025" in c for c in removed)
