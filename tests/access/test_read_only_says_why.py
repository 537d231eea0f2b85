"""A record open only by emergency access, or only for a rights request, is read and never
changed: the refusal says which of the two it is, and names the request."""

from datetime import date

from django.urls import reverse

from earlyhelp.access.roles import Role
from tests.factories import TeamFactory
from tests.rights.scope_records import a_request, in_scope


def test_a_change_under_emergency_access_is_refused_as_emergency_access(
    client, sign_in, make_user, case, family
):
    outsider = make_user("olu", Role.PRACTITIONER)
    TeamFactory(name="Other", service="iyss").members.add(outsider)
    sign_in(outsider)
    yusuf = family["yusuf"]
    glass = reverse("people:break_glass", args=[yusuf.public_id])
    assert (
        client.post(glass, {"reason": "Police at the school, worker off sick"}).status_code == 302
    )
    response = client.get(reverse("people:edit", args=[yusuf.public_id]))
    assert response.status_code == 403
    assert "Emergency access is read-only" in response.text
    assert "rights request" not in response.text


def test_a_change_for_a_rights_request_is_refused_naming_the_request(
    client, sign_in, make_user, case, family
):
    officer = make_user("ines", Role.INFORMATION_GOVERNANCE, Role.PRACTITIONER)
    TeamFactory(name="Other", service="iyss").members.add(officer)
    rights_request = a_request(handled_by=officer)
    in_scope(rights_request, family["yusuf"], officer)
    sign_in(officer)
    response = client.get(reverse("people:edit", args=[family["yusuf"].public_id]))
    assert response.status_code == 403
    assert "Access for a rights request is read-only" in response.text
    assert f"for rights request {rights_request.reference} while" in response.text
    assert "Emergency access" not in response.text


def test_a_request_handled_by_someone_no_longer_in_governance_opens_nothing(
    client, sign_in, make_user, case, family
):
    # Handled while they were an IG officer; now only a practitioner of another team.
    former = make_user("fola", Role.PRACTITIONER)
    TeamFactory(name="Other", service="iyss").members.add(former)
    rights_request = a_request(handled_by=former)
    in_scope(rights_request, family["yusuf"], former)
    sign_in(former)
    assert client.get(reverse("people:person", args=[family["yusuf"].public_id])).status_code == 403


def _officer_on(make_user, family, *received):
    """An IG officer (a practitioner of another team too) handling a request received on
    each day given, Yusuf in the scope of each."""
    officer = make_user("ines", Role.INFORMATION_GOVERNANCE, Role.PRACTITIONER)
    TeamFactory(name="Other", service="iyss").members.add(officer)
    requests = []
    for day in received:
        rights_request = a_request(received=day, handled_by=officer)
        in_scope(rights_request, family["yusuf"], officer)
        requests.append(rights_request)
    return officer, requests


def test_a_closed_rights_request_opens_nothing(client, sign_in, make_user, case, family):
    officer, (rights_request,) = _officer_on(make_user, family, date(2026, 11, 2))
    rights_request.closed_on = date(2026, 11, 20)
    rights_request.save(update_fields=["closed_on"])
    sign_in(officer)
    assert client.get(reverse("people:person", args=[family["yusuf"].public_id])).status_code == 403


def test_of_two_open_requests_the_one_received_first_is_named(
    client, sign_in, make_user, case, family
):
    officer, (later, earlier) = _officer_on(
        make_user, family, date(2026, 11, 20), date(2026, 11, 2)
    )
    sign_in(officer)
    response = client.get(reverse("people:edit", args=[family["yusuf"].public_id]))
    assert f"for rights request {earlier.reference} while" in response.text
    assert later.reference not in response.text
