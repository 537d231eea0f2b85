"""Request-scoped access: while a rights request is open, the information governance officer
handling it reads the records in its scope without break-glass, every look naming the
request; never to change them, never past a restriction, and not after the request closes
or the record leaves its scope."""

from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.access.rules import Access, household_access, person_access, rights_request_for
from earlyhelp.audit.models import AuditEvent
from earlyhelp.rights.models import RightsRequest
from earlyhelp.rights.scope import remove_from_scope
from tests.factories import RestrictionFactory, TeamFactory
from tests.rights.scope_records import a_request, in_scope


@pytest.fixture
def officer(make_user):
    return make_user("ines", Role.INFORMATION_GOVERNANCE)


@pytest.fixture
def open_request(family, case, officer) -> RightsRequest:
    """An open request handled by `officer`, with Yusuf (held by a team's case) in scope."""
    rights_request = a_request(handled_by=officer)
    in_scope(rights_request, family["yusuf"], officer)
    return rights_request


def person_page(person):
    return reverse("people:person", args=[person.public_id])


def looks_at(person):
    return AuditEvent.objects.filter(
        action="view", record_type="person", record_id=str(person.public_id)
    )


def test_the_handler_opens_a_record_in_scope_while_the_request_is_open(
    client, sign_in, officer, open_request, family
):
    sign_in(officer)
    response = client.get(person_page(family["yusuf"]))
    assert response.status_code == 200
    assert f"open to you for rights request {open_request.reference}" in response.text


def test_the_access_names_the_request_and_is_not_an_emergency(
    officer, open_request, family, request_as
):
    access = person_access(request_as(officer), family["yusuf"])
    assert access == Access(True, rights_request=open_request.reference)
    assert access.read_only and not access.emergency


def test_every_look_is_audited_with_the_request_as_its_reason(
    client, sign_in, officer, open_request, family
):
    sign_in(officer)
    client.get(person_page(family["yusuf"]))
    page_look = looks_at(family["yusuf"]).get(details__page="person")
    assert page_look.reason == f"Rights request {open_request.reference}"
    assert page_look.rule == "access:rights-request"
    assert page_look.actor == officer
    assert not page_look.flagged


def test_another_officer_not_handling_the_request_is_refused(
    client, sign_in, make_user, open_request, family
):
    sign_in(make_user("other-officer", Role.INFORMATION_GOVERNANCE))
    assert client.get(person_page(family["yusuf"])).status_code == 403


def test_a_record_not_in_scope_is_refused(client, sign_in, officer, open_request, family):
    sign_in(officer)
    assert client.get(person_page(family["leila"])).status_code == 403


def test_access_ends_when_the_request_closes(client, sign_in, officer, open_request, family):
    open_request.closed_on = date.today()
    open_request.status = RightsRequest.Status.ANSWERED
    open_request.save()
    sign_in(officer)
    assert client.get(person_page(family["yusuf"])).status_code == 403


def test_access_ends_when_the_record_leaves_the_scope(
    client, sign_in, officer, open_request, family, request_as
):
    remove_from_scope(request_as(officer), open_request, family["yusuf"], officer)
    sign_in(officer)
    assert client.get(person_page(family["yusuf"])).status_code == 403


def test_a_request_with_no_handler_opens_nothing(officer, family, request_as, case):
    rights_request = a_request()
    in_scope(rights_request, family["yusuf"], officer)
    assert rights_request_for(officer, family["yusuf"]) == ""


def test_only_an_information_governance_officer_is_opened_a_record_for_a_request(
    make_user, family, case, request_as
):
    # A practitioner of another team, somehow named as handling a request.
    worker = make_user("pat", Role.PRACTITIONER)
    TeamFactory(name="Other", service="iyss").members.add(worker)
    rights_request = a_request(handled_by=worker)
    in_scope(rights_request, family["yusuf"], worker)
    assert person_access(request_as(worker), family["yusuf"]) == Access(False)


def test_the_earliest_open_request_in_scope_is_the_one_named(officer, family, case):
    first = a_request(handled_by=officer, received=date(2026, 11, 2))
    second = a_request(handled_by=officer)
    in_scope(second, family["yusuf"], officer)
    in_scope(first, family["yusuf"], officer)
    assert rights_request_for(officer, family["yusuf"]) == first.reference


def test_a_restricted_record_stays_closed_to_the_handler(
    client, sign_in, officer, open_request, family, make_user
):
    RestrictionFactory(person=family["yusuf"], created_by=make_user("maria", Role.TEAM_MANAGER))
    sign_in(officer)
    response = client.get(person_page(family["yusuf"]))
    assert response.status_code == 403
    assert "restricted to named members of staff" in response.text


def test_a_restriction_naming_the_handler_leaves_the_record_open_for_the_request(
    officer, open_request, family, make_user, request_as
):
    restriction = RestrictionFactory(
        person=family["yusuf"], created_by=make_user("maria", Role.TEAM_MANAGER)
    )
    restriction.named_users.add(officer)
    access = person_access(request_as(officer), family["yusuf"])
    assert access.rights_request == open_request.reference


@pytest.fixture
def officer_who_also_does_casework(make_user, family, case):
    """An officer who is also a practitioner of another team: casework pages are open to
    their role, so only the rule keeps a record open for a request from being changed."""
    user = make_user("ines-pat", Role.INFORMATION_GOVERNANCE, Role.PRACTITIONER)
    TeamFactory(name="Other", service="iyss").members.add(user)
    rights_request = a_request(handled_by=user)
    in_scope(rights_request, family["yusuf"], user)
    return user


def test_a_record_open_for_a_request_cannot_be_changed(
    client, sign_in, officer_who_also_does_casework, family
):
    sign_in(officer_who_also_does_casework)
    assert client.get(person_page(family["yusuf"])).status_code == 200
    response = client.get(reverse("people:edit", args=[family["yusuf"].public_id]))
    assert response.status_code == 403
    assert "Access for a rights request is read-only" in response.text
    response = client.post(
        reverse("people:add_address", args=[family["yusuf"].public_id]),
        {"line_1": "1 New Road", "town": "London", "postcode": "NW5 1AA"},
    )
    assert response.status_code == 403
    assert not family["yusuf"].addresses.exists()


def test_the_person_page_offers_no_changes_when_open_for_a_request(
    client, sign_in, officer_who_also_does_casework, family
):
    sign_in(officer_who_also_does_casework)
    response = client.get(person_page(family["yusuf"]))
    assert reverse("people:edit", args=[family["yusuf"].public_id]) not in response.text


def test_a_request_opens_the_person_never_their_household(
    officer_who_also_does_casework, family, request_as
):
    request = request_as(officer_who_also_does_casework)
    assert person_access(request, family["yusuf"]).allowed
    assert household_access(request, family["household"]) == Access(False)


def test_a_record_open_for_a_request_cannot_be_named_in_a_new_relationship_or_session(
    officer_who_also_does_casework, family, request_as
):
    from earlyhelp.cases.sessions import _may_add
    from earlyhelp.people.composition import may_name

    request = request_as(officer_who_also_does_casework)
    assert person_access(request, family["yusuf"]).rights_request
    assert may_name(request, family["yusuf"]).startswith("person: their record is held")
    with pytest.raises(ValueError, match="held by a team you are not in"):
        _may_add(request, family["yusuf"])
