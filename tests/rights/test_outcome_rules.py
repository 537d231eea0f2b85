"""The rule of every outcome page (correction, erasure, restriction, objection, and the
withdrawal of an objection), as the scope pages follow it: the request open, the user the
officer handling it, the person in its scope; to record something, the request asks for
the right concerned. A refusal is a 403 page in words (or, for a closed request, a message
and back to it), and nothing is written."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.roles import Role
from earlyhelp.extracts.models import Objection
from earlyhelp.policy.active import active_policy
from earlyhelp.rights import outcomes
from earlyhelp.rights.models import (
    Disagreement,
    ProcessingRestriction,
    RequestPerson,
    RightOutcome,
)
from tests.rights.outcome_records import ALL_OTHER_RIGHTS, request_about

pytestmark = pytest.mark.django_db

# page -> the right it records, and what its form posts.
PAGES = {
    "correction": ("rectification", {"result": "corrected", "what": "The date of birth"}),
    "erasure": ("erasure", {}),
    "restriction": ("restriction", {"reason": "Accuracy disputed"}),
    "objection": ("object", {"project": "liia"}),
}


@pytest.fixture
def officer(make_user):
    return make_user("ines", Role.INFORMATION_GOVERNANCE)


@pytest.fixture
def other_officer(make_user):
    return make_user("omar", Role.INFORMATION_GOVERNANCE)


def _as(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def _posted(page: str) -> dict:
    data = dict(PAGES[page][1])
    if page == "erasure":
        data["purpose"] = active_policy().purposes[0].id
    return data


def _written() -> tuple:
    return (
        RightOutcome.objects.count(),
        ProcessingRestriction.objects.count(),
        Objection.objects.count(),
        Disagreement.objects.count(),
    )


def _url(page: str, rights_request, person) -> str:
    return reverse(f"rights_outcomes:{page}", args=[rights_request.public_id, person.public_id])


def _close(rights_request) -> None:
    rights_request.closed_on = timezone.localdate()
    rights_request.save(update_fields=["closed_on"])


@pytest.mark.parametrize("page", list(PAGES))
def test_an_officer_not_handling_the_request_is_refused_the_page_and_its_form(
    client, sign_in, family, officer, other_officer, page
):
    rights_request = request_about(family["yusuf"], officer)
    sign_in(other_officer)
    url = _url(page, rights_request, family["yusuf"])
    looked = client.get(url)
    assert looked.status_code == 403
    assert "only the officer handling it" in looked.content.decode()
    assert "Yusuf" not in looked.content.decode()
    assert client.post(url, _posted(page)).status_code == 403
    assert _written() == (0, 0, 0, 0)


@pytest.mark.parametrize("page", list(PAGES))
def test_a_closed_request_sends_the_officer_back_to_it_with_a_message(
    client, sign_in, family, officer, page
):
    rights_request = request_about(family["yusuf"], officer)
    _close(rights_request)
    sign_in(officer)
    url = _url(page, rights_request, family["yusuf"])
    back = reverse("rights:request", args=[rights_request.public_id])
    looked = client.get(url)
    assert looked.status_code == 302 and looked.url == back
    said = [str(m) for m in get_messages(looked.wsgi_request)]
    assert any("is closed" in words for words in said)
    posted = client.post(url, _posted(page))
    assert posted.status_code == 302 and posted.url == back
    assert _written() == (0, 0, 0, 0)


@pytest.mark.parametrize("page", list(PAGES))
def test_a_person_not_in_the_requests_scope_is_refused(client, sign_in, family, officer, page):
    rights_request = request_about(family["yusuf"], officer)
    sign_in(officer)
    url = _url(page, rights_request, family["leila"])
    looked = client.get(url)
    assert looked.status_code == 403
    assert "not matched to" in looked.content.decode()
    assert "Leila" not in looked.content.decode()
    assert client.post(url, _posted(page)).status_code == 403
    assert _written() == (0, 0, 0, 0)


@pytest.mark.parametrize("page", list(PAGES))
def test_a_request_that_did_not_ask_for_the_right_shows_the_page_but_records_nothing(
    client, sign_in, family, officer, page
):
    right = PAGES[page][0]
    rights_request = request_about(
        family["yusuf"], officer, rights=[r for r in ALL_OTHER_RIGHTS if r != right]
    )
    sign_in(officer)
    url = _url(page, rights_request, family["yusuf"])
    assert client.get(url).status_code == 200
    refused = client.post(url, _posted(page))
    assert refused.status_code == 403
    assert "does not ask for" in refused.content.decode()
    assert _written() == (0, 0, 0, 0)


@pytest.mark.parametrize("page", list(PAGES))
def test_the_officer_handling_an_open_request_that_asks_records_the_outcome(
    client, sign_in, family, officer, page
):
    rights_request = request_about(family["yusuf"], officer)
    sign_in(officer)
    url = _url(page, rights_request, family["yusuf"])
    assert client.get(url).status_code == 200
    assert client.post(url, _posted(page)).status_code == 302
    assert RightOutcome.objects.filter(request=rights_request, right=PAGES[page][0]).exists()


def test_the_correction_of_one_record_follows_the_same_rule(
    client, sign_in, family, officer, other_officer
):
    rights_request = request_about(family["yusuf"], officer)
    url = reverse(
        "rights_outcomes:correct_record",
        args=[rights_request.public_id, family["yusuf"].public_id, "relationship", 1],
    )
    sign_in(other_officer)
    assert client.get(url).status_code == 403
    sign_in(officer)
    assert client.get(url).status_code == 200
    elsewhere = reverse(
        "rights_outcomes:correct_record",
        args=[rights_request.public_id, family["leila"].public_id, "relationship", 1],
    )
    assert client.get(elsewhere).status_code == 403


def test_the_services_refuse_an_officer_who_does_not_handle_the_request(
    family, officer, other_officer
):
    rights_request = request_about(family["yusuf"], officer)
    with pytest.raises(ValueError, match="handled by"):
        outcomes.record_objection(_as(other_officer), rights_request, family["yusuf"], "liia")
    with pytest.raises(ValueError, match="handled by"):
        outcomes.restrict_processing(_as(other_officer), rights_request, family["yusuf"], "Why")
    with pytest.raises(ValueError, match="handled by"):
        outcomes.record_rectification(
            _as(other_officer), rights_request, family["yusuf"], corrected=True, what="Fixed"
        )
    with pytest.raises(ValueError, match="handled by"):
        outcomes.erase_for_purpose(
            _as(other_officer), rights_request, family["yusuf"], active_policy().purposes[0].id
        )
    assert _written() == (0, 0, 0, 0)


# --- the withdrawal of an objection ----------------------------------------------------------


@pytest.fixture
def objected(family, officer):
    """An objection to LIIA received through a request asking to object; (request, objection)."""
    rights_request = request_about(family["yusuf"], officer, rights=["object"])
    objection = outcomes.record_objection(_as(officer), rights_request, family["yusuf"], "liia")
    return rights_request, objection


def _withdraw(client, rights_request, objection):
    url = reverse(
        "rights_outcomes:withdraw_objection", args=[rights_request.public_id, objection.public_id]
    )
    day = rights_request.received
    data = {"withdrawn_day": day.day, "withdrawn_month": day.month, "withdrawn_year": day.year}
    return client.get(url), client.post(url, data)


def _still_in_force(objection) -> bool:
    objection.refresh_from_db()
    return objection.withdrawn is None


def test_only_the_officer_handling_the_request_records_a_withdrawal(
    client, sign_in, objected, other_officer
):
    rights_request, objection = objected
    sign_in(other_officer)
    looked, posted = _withdraw(client, rights_request, objection)
    assert (looked.status_code, posted.status_code) == (403, 403)
    assert _still_in_force(objection)
    with pytest.raises(ValueError, match="handled by"):
        outcomes.withdraw_objection(_as(other_officer), objection, rights_request.received)
    assert _still_in_force(objection)


def test_a_withdrawal_is_not_recorded_on_a_closed_request(client, sign_in, objected, officer):
    rights_request, objection = objected
    _close(rights_request)
    sign_in(officer)
    looked, posted = _withdraw(client, rights_request, objection)
    assert looked.status_code == 302 and posted.status_code == 302
    assert _still_in_force(objection)
    with pytest.raises(ValueError, match="is closed"):
        outcomes.withdraw_objection(_as(officer), objection, rights_request.received)


def test_a_withdrawal_needs_the_person_in_scope(client, sign_in, objected, officer):
    rights_request, objection = objected
    RequestPerson.objects.filter(request=rights_request).delete()
    sign_in(officer)
    looked, posted = _withdraw(client, rights_request, objection)
    assert (looked.status_code, posted.status_code) == (403, 403)
    assert _still_in_force(objection)


def test_a_withdrawal_needs_a_request_asking_to_object(client, sign_in, family, officer):
    rights_request = request_about(family["yusuf"], officer, rights=["erasure"])
    objection = Objection.objects.create(
        person=family["yusuf"],
        project="liia",
        received=rights_request.received - timedelta(days=1),
        request=rights_request,
    )
    sign_in(officer)
    looked, posted = _withdraw(client, rights_request, objection)
    assert looked.status_code == 200
    assert posted.status_code == 403
    assert "does not ask for" in posted.content.decode()
    assert _still_in_force(objection)


def test_the_officer_handling_the_request_records_the_withdrawal(
    client, sign_in, objected, officer
):
    rights_request, objection = objected
    sign_in(officer)
    looked, posted = _withdraw(client, rights_request, objection)
    assert (looked.status_code, posted.status_code) == (200, 302)
    assert not _still_in_force(objection)


@pytest.mark.parametrize("page", list(PAGES))
def test_a_record_restricted_from_the_officer_after_it_was_matched_stays_closed(
    client, sign_in, family, officer, make_user, page
):
    from tests.factories import RestrictionFactory

    rights_request = request_about(family["yusuf"], officer)
    sign_in(officer)
    url = _url(page, rights_request, family["yusuf"])
    assert client.get(url).status_code == 200
    keeper = make_user("keeper", Role.TEAM_MANAGER)
    keeper.last_name = "Kowalczyk"
    keeper.save()
    RestrictionFactory(person=family["yusuf"], reason="Works here", created_by=keeper)
    looked = client.get(url)
    assert looked.status_code == 403
    assert "Sam Kowalczyk" in looked.content.decode()
    assert client.post(url, _posted(page)).status_code == 403
    assert _written() == (0, 0, 0, 0)
