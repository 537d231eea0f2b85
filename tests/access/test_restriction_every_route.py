"""A restriction closes every route that names the record, its cases or its household.

The routes are found by walking the URL patterns (as the audit test does), so a new route
that takes a family record's id is checked without being listed here. The family's own team
manager, who could open every one of them before, is refused each once the child is
restricted to someone else, and is told whom to ask.
"""

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from tests.access.test_every_look_is_audited import _family_routes, records  # noqa: F401
from tests.factories import RestrictionFactory

# Routes that take a family record's id but are not casework pages about it, and why.
NOT_CASEWORK = {
    "governance:who_has_seen": "information governance's own page, not casework access",
    "governance:who_has_seen_export": "information governance's own file, not casework access",
    "governance:review": "information governance's own page, not casework access",
    "cases:record_corrections": "information governance's own page, not casework access",
    # A rights request's records: restrictions checked in tests/rights/test_scope.py.
    "rights_scope:add_record": "information governance's own page, not casework access",
    "rights_scope:remove_record": "information governance's own page, not casework access",
    "rights_scope:child_access": "information governance's own page, not casework access",
    # The other rights on a request: a restriction closes them too, checked in
    # tests/rights/test_outcome_rules.py with the officer handling the request.
    **{
        f"rights_outcomes:{name}": "information governance's own page, not casework access"
        for name in (
            "correction",
            "correct_record",
            "correct_contact",
            "erasure",
            "restriction",
            "objection",
        )
    },
}


# Routes checked in their own tests: a POST only, or a page that opens only once the record
# is restricted (lifting it, by whoever made it or the IG officer).
OWN_TESTS = {
    "consent:removal_asked": "tests/consent/test_media_pages.py",
    "people:lift_restriction": "tests/access/test_restriction_changes.py",
}


def _visits():
    from earlyhelp.people.facts import FACT_MODELS

    for name, arguments in _family_routes():
        if name in NOT_CASEWORK or name in OWN_TESTS:
            continue
        if "kind" in arguments:
            for kind in FACT_MODELS:
                yield name, kind
        else:
            yield name, None


@pytest.mark.parametrize(("route", "kind"), list(_visits()))
def test_a_restriction_closes_every_route_naming_the_record_to_the_familys_own_manager(
    client,
    make_user,
    manager,
    records,  # noqa: F811 - the fixture imported above
    family,
    route,
    kind,
):
    kwargs = {name: records[name] for name in dict(_family_routes())[route] if name in records}
    if kind:
        kwargs["kind"] = kind
    url = reverse(route, kwargs=kwargs)
    assert client.get(url).status_code == 200, f"{route}: open before the restriction"
    keeper = make_user("keeper", Role.TEAM_MANAGER)
    keeper.last_name = "Kowalczyk"
    keeper.save()
    RestrictionFactory(person=family["yusuf"], reason="Works here", created_by=keeper)
    response = client.get(url)
    assert response.status_code == 403, route
    assert "Sam Kowalczyk" in response.content.decode(), route
