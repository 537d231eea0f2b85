"""Finding the person for a rights request: the practitioners' search, prefilled from the
request; possible duplicates; adding records to the request's scope and taking them out,
each audited against the request and the person."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.rights.models import RequestPerson, RightsRequest
from earlyhelp.rights.scope import add_to_scope, remove_from_scope
from earlyhelp.rights.scope_views import postcode_in
from tests.factories import PersonFactory, RestrictionFactory
from tests.rights.scope_records import a_request, in_scope


@pytest.fixture
def officer(make_user):
    return make_user("ines", Role.INFORMATION_GOVERNANCE)


@pytest.fixture
def rights_request(family, case) -> RightsRequest:
    return a_request(subject_date_of_birth=family["yusuf"].date_of_birth)


def find_url(rights_request):
    return reverse("rights_scope:find_records", args=[rights_request.public_id])


def add_url(rights_request, person):
    return reverse("rights_scope:add_record", args=[rights_request.public_id, person.public_id])


def remove_url(rights_request, person):
    return reverse("rights_scope:remove_record", args=[rights_request.public_id, person.public_id])


@pytest.mark.parametrize(
    "address, postcode",
    [
        ("12 Malden Road\nLondon NW5 3HS", "NW5 3HS"),
        ("12 Malden Road, London, nw5 3hs", "NW5 3HS"),
        ("Flat 2, 3 High Street, N7 6AB London", ""),
        ("", ""),
        ("No postcode at all", ""),
    ],
)
def test_the_postcode_is_read_from_the_address_as_typed(address, postcode):
    assert postcode_in(address) == postcode


def test_the_search_is_prefilled_from_the_request(client, sign_in, officer, rights_request):
    sign_in(officer)
    response = client.get(find_url(rights_request))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["name"].value() == "Yusuf Haddad"
    assert form["postcode"].value() == "NW5 3HS"
    assert form.initial["date_of_birth"] == date(2016, 2, 9)
    assert 'value="Yusuf Haddad"' in response.text
    # Nothing is searched until the officer asks.
    assert not AuditEvent.objects.filter(action="search").exists()


def search(client, rights_request, **terms):
    data = {"name": "", "postcode": "", "nhs_number": "", "upn": "", "born": "", **terms}
    return client.post(find_url(rights_request), data)


def test_a_search_lists_the_matches_and_is_audited_for_the_request(
    client, sign_in, officer, rights_request, family
):
    sign_in(officer)
    response = search(client, rights_request, name="Yusuf Haddad")
    assert response.status_code == 200
    assert "Yusuf Haddad" in response.text
    assert add_url(rights_request, family["yusuf"]) in response.text
    event = AuditEvent.objects.get(action="search")
    assert event.reason == f"Rights request {rights_request.reference}"
    assert str(family["yusuf"].public_id) in event.details["shown"]
    assert "Yusuf" not in str(event.details)
    listed = AuditEvent.objects.get(
        action="view", record_id=str(family["yusuf"].public_id), details__page="rights-find-records"
    )
    assert listed.reason == f"Rights request {rights_request.reference}"


def test_the_officer_can_change_the_terms(client, sign_in, officer, rights_request, family):
    sign_in(officer)
    response = search(client, rights_request, name="Leila Haddad")
    assert "Leila Haddad" in response.text


def test_a_restricted_record_shows_nothing_of_the_person(
    client, sign_in, officer, rights_request, family, make_user
):
    RestrictionFactory(person=family["yusuf"], created_by=make_user("maria", Role.TEAM_MANAGER))
    sign_in(officer)
    response = search(client, rights_request, name="Yusuf Haddad")
    assert "A restricted record matches" in response.text
    assert "Yusuf" not in response.text.split("found</h2>")[1].split("Records in scope")[0]
    assert add_url(rights_request, family["yusuf"]) not in response.text


def test_a_bad_search_says_what_is_wrong(client, sign_in, officer, rights_request):
    sign_in(officer)
    response = search(client, rights_request, postcode="not a postcode")
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert not AuditEvent.objects.filter(action="search").exists()


def test_the_add_page_shows_possible_duplicates(client, sign_in, officer, rights_request, family):
    duplicate = PersonFactory(
        given_name="Yusef", family_name="Haddad", date_of_birth=family["yusuf"].date_of_birth
    )
    sign_in(officer)
    response = client.get(add_url(rights_request, family["yusuf"]))
    assert response.status_code == 200
    assert "Possible duplicates" in response.text
    assert add_url(rights_request, duplicate) in response.text
    event = AuditEvent.objects.get(action="search")
    assert event.reason == f"Rights request {rights_request.reference}"


def test_adding_a_record_puts_it_in_scope_and_makes_the_officer_the_handler(
    client, sign_in, officer, rights_request, family
):
    sign_in(officer)
    response = client.post(add_url(rights_request, family["yusuf"]), {"role": "subject"})
    assert response.status_code == 302
    matched = RequestPerson.objects.get(request=rights_request)
    assert (matched.person, matched.role, matched.added_by) == (family["yusuf"], "subject", officer)
    rights_request.refresh_from_db()
    assert rights_request.handled_by == officer
    on_request = AuditEvent.objects.get(
        record_type="rights-request", record_id=str(rights_request.public_id), action="change"
    )
    assert on_request.details["person"] == str(family["yusuf"].public_id)
    on_person = AuditEvent.objects.get(
        record_type="person", record_id=str(family["yusuf"].public_id), action="change"
    )
    assert on_person.reason == f"Rights request {rights_request.reference}"


def test_the_parent_is_added_as_the_person_asking(officer, rights_request, family, request_as):
    matched = add_to_scope(request_as(officer), rights_request, family["mum"], "requester", officer)
    assert matched.get_role_display() == "The person asking"


def test_a_record_is_added_once(officer, rights_request, family, request_as):
    add_to_scope(request_as(officer), rights_request, family["yusuf"], "subject", officer)
    with pytest.raises(ValueError, match="already in scope"):
        add_to_scope(request_as(officer), rights_request, family["yusuf"], "requester", officer)


def test_another_officer_cannot_change_a_request_someone_handles(
    client, sign_in, officer, rights_request, family, make_user
):
    rights_request.handled_by = officer
    rights_request.save()
    sign_in(make_user("other-officer", Role.INFORMATION_GOVERNANCE))
    response = client.post(add_url(rights_request, family["yusuf"]), {"role": "subject"})
    assert response.status_code == 302
    assert "handles this request" in client.get(response.url).text
    assert not RequestPerson.objects.exists()


def test_nothing_is_added_to_a_closed_request(officer, rights_request, family, request_as):
    rights_request.closed_on = date.today()
    rights_request.save()
    with pytest.raises(ValueError, match="closed"):
        add_to_scope(request_as(officer), rights_request, family["yusuf"], "subject", officer)
    assert not RequestPerson.objects.exists()
    assert not AuditEvent.objects.filter(record_type="rights-request", action="change").exists()


def test_a_restricted_record_cannot_be_added(
    client, sign_in, officer, rights_request, family, make_user
):
    RestrictionFactory(person=family["yusuf"], created_by=make_user("maria", Role.TEAM_MANAGER))
    sign_in(officer)
    response = client.post(add_url(rights_request, family["yusuf"]), {"role": "subject"})
    assert response.status_code == 403
    assert not RequestPerson.objects.exists()


def test_a_role_must_be_chosen(client, sign_in, officer, rights_request, family):
    sign_in(officer)
    response = client.post(add_url(rights_request, family["yusuf"]), {"role": "boss"})
    assert response.status_code == 200
    assert "Select whether they are the person the request is about or asking" in response.text
    assert not RequestPerson.objects.exists()


def test_removing_a_record_takes_it_out_of_scope_with_an_audit_event(
    client, sign_in, officer, rights_request, family
):
    rights_request.handled_by = officer
    rights_request.save()
    in_scope(rights_request, family["yusuf"], officer)
    sign_in(officer)
    assert client.get(remove_url(rights_request, family["yusuf"])).status_code == 200
    response = client.post(remove_url(rights_request, family["yusuf"]))
    assert response.status_code == 302
    assert not RequestPerson.objects.exists()
    on_person = AuditEvent.objects.get(
        record_type="person", record_id=str(family["yusuf"].public_id), action="change"
    )
    assert on_person.details["what"] == "removed from a rights request"


def test_a_closed_request_keeps_its_records(officer, rights_request, family, request_as):
    in_scope(rights_request, family["yusuf"], officer)
    rights_request.closed_on = date.today()
    rights_request.save()
    with pytest.raises(ValueError, match="closed"):
        remove_from_scope(request_as(officer), rights_request, family["yusuf"], officer)
    assert RequestPerson.objects.exists()


def test_only_an_information_governance_officer_changes_the_scope(
    make_user, rights_request, family, request_as
):
    worker = make_user("pat", Role.PRACTITIONER)
    with pytest.raises(ValueError, match="information governance"):
        add_to_scope(request_as(worker), rights_request, family["yusuf"], "subject", worker)


def test_the_request_page_partial_lists_the_records_and_records_the_looks(
    client, sign_in, officer, rights_request, family, make_user
):
    in_scope(rights_request, family["yusuf"], officer)
    in_scope(rights_request, family["mum"], officer, role="requester")
    RestrictionFactory(person=family["mum"], created_by=make_user("maria", Role.TEAM_MANAGER))
    sign_in(officer)
    # The search page includes the partial the request page shows.
    html = client.get(find_url(rights_request)).text.split("Records in scope")[1]
    assert reverse("people:person", args=[family["yusuf"].public_id]) in html
    assert "Amira" not in html  # restricted: no name
    assert "A restricted record" in html
    child_access = reverse(
        "rights_scope:child_access", args=[rights_request.public_id, family["yusuf"].public_id]
    )
    assert child_access in html
    assert AuditEvent.objects.filter(
        record_id=str(family["yusuf"].public_id), details__page="rights-request"
    ).exists()
    assert AuditEvent.objects.filter(
        record_id=str(family["mum"].public_id), rule="access:restricted-match"
    ).exists()


@pytest.mark.parametrize("route", ["add_record", "remove_record", "child_access"])
def test_a_restriction_closes_each_page_naming_the_record_and_says_whom_to_ask(
    client, sign_in, officer, rights_request, family, make_user, route
):
    rights_request.handled_by = officer
    rights_request.save()
    in_scope(rights_request, family["yusuf"], officer)
    url = reverse(
        f"rights_scope:{route}", args=[rights_request.public_id, family["yusuf"].public_id]
    )
    sign_in(officer)
    assert client.get(url).status_code == 200
    keeper = make_user("keeper", Role.TEAM_MANAGER)
    keeper.last_name = "Kowalczyk"
    keeper.save()
    RestrictionFactory(person=family["yusuf"], created_by=keeper)
    response = client.get(url)
    assert response.status_code == 403
    assert "Sam Kowalczyk" in response.text


def test_add_as_starts_from_the_person_asking_when_the_name_is_the_requesters(
    client, sign_in, officer, rights_request, family
):
    sign_in(officer)
    mum = client.get(add_url(rights_request, family["mum"])).text  # Amira Haddad asks
    assert 'value="requester" checked' in mum
    child = client.get(add_url(rights_request, family["yusuf"])).text
    assert " checked" not in child.split("Add as")[1].split("</fieldset>")[0]


def test_the_find_page_has_no_link_to_itself(client, sign_in, officer, rights_request):
    sign_in(officer)
    html = client.get(find_url(rights_request)).text
    assert "Find and add records" not in html


def test_a_closed_request_shows_the_records_names_without_links(
    client, sign_in, officer, rights_request, family
):
    in_scope(rights_request, family["yusuf"], officer)
    RightsRequest.objects.filter(pk=rights_request.pk).update(
        closed_on=rights_request.received, status=RightsRequest.Status.WITHDRAWN
    )
    sign_in(officer)
    html = client.get(reverse("rights:request", args=[rights_request.public_id])).text
    assert "Yusuf Haddad" in html
    assert reverse("people:person", args=[family["yusuf"].public_id]) not in html


@pytest.mark.parametrize("page", ["find", "add"])
def test_the_records_pages_show_no_one_on_a_closed_request_or_one_another_officer_handles(
    client, officer, make_user, sign_in, page
):
    # Searching and showing people for a request is working on it: only its handler (or
    # anyone, while no one handles it), and only while it is open.
    sign_in(officer)
    other = make_user("gina", Role.INFORMATION_GOVERNANCE)
    person = PersonFactory()
    theirs = a_request(handled_by=other)
    closed = a_request(handled_by=officer, closed_on=timezone.localdate(), status="answered")
    for rights_request in (theirs, closed):
        url = find_url(rights_request) if page == "find" else add_url(rights_request, person)
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == reverse("rights:request", args=[rights_request.public_id])
        assert person.full_name not in client.get(response.url).content.decode()
