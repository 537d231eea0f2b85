"""Correction on a request (UK GDPR Article 16): the IG officer corrects the person's records
through the casework correction service, on a request asking for it; the outcome says what
was corrected or why not, and a disagreement is kept beside the data and shown on the
person's page."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases import corrections
from earlyhelp.cases.models import Correction
from earlyhelp.people.models import Relationship
from earlyhelp.policy.active import active_policy
from earlyhelp.rights import outcomes
from earlyhelp.rights.models import Disagreement, RightOutcome
from tests.rights.outcome_records import request_about

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user("ines", Role.INFORMATION_GOVERNANCE)


def _as(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def _sibling(family) -> Relationship:
    return Relationship.objects.get(person=family["yusuf"], relative=family["leila"])


def test_the_officer_may_correct_only_on_an_open_request_asking_for_correction(family, officer):
    record = _sibling(family)
    assert not corrections.may_correct(officer, record)
    asks = request_about(family["yusuf"], officer, rights=["rectification"])
    other = request_about(family["yusuf"], officer, rights=["erasure"])
    assert corrections.may_correct(officer, record, rights_request=asks)
    assert not corrections.may_correct(officer, record, rights_request=other)
    about_someone_else = request_about(family["dad"], officer, rights=["rectification"])
    assert not corrections.may_correct(officer, record, rights_request=about_someone_else)


def test_the_correction_page_corrects_a_record_with_the_request_in_the_audit(
    client, sign_in, family, officer
):
    rights_request = request_about(family["yusuf"], officer, rights=["rectification"])
    sign_in(officer)
    listing = reverse(
        "rights_outcomes:correction", args=[rights_request.public_id, family["yusuf"].public_id]
    )
    assert "Correct or strike out" in client.get(listing).content.decode()
    number = (
        list(
            Relationship.objects.filter(person=family["yusuf"])
            .union(Relationship.objects.filter(relative=family["yusuf"]))
            .order_by("pk")
            .values_list("pk", flat=True)
        ).index(_sibling(family).pk)
        + 1
    )
    url = reverse(
        "rights_outcomes:correct_record",
        args=[rights_request.public_id, family["yusuf"].public_id, "relationship", number],
    )
    response = client.post(url, {"action": "strike", "reason": "Not his sister"})
    assert response.status_code == 302
    written = Correction.objects.get()
    assert written.action == Correction.Action.STRUCK_OUT
    assert AuditEvent.objects.filter(
        record_type="relationship", details__rights_request=str(rights_request.public_id)
    ).exists()
    assert AuditEvent.objects.filter(
        record_type="rights-request", record_id=str(rights_request.public_id), action="change"
    ).exists()


def test_a_request_not_asking_for_correction_changes_nothing(client, sign_in, family, officer):
    rights_request = request_about(family["yusuf"], officer, rights=["erasure"])
    sign_in(officer)
    url = reverse(
        "rights_outcomes:correct_record",
        args=[rights_request.public_id, family["yusuf"].public_id, "relationship", 1],
    )
    client.post(url, {"action": "strike", "reason": "Wrong"})
    assert not Correction.objects.exists()


def test_not_corrected_records_the_disagreement_beside_the_data_on_the_person_page(
    client, practitioner, family, officer
):
    rights_request = request_about(family["yusuf"], officer, rights=["rectification"])
    outcome = outcomes.record_rectification(
        _as(officer),
        rights_request,
        family["yusuf"],
        corrected=False,
        what="The school's attendance return confirms the record.",
        about="School attendance",
        statement="He was at school every day that term.",
    )
    assert outcome.result == RightOutcome.Result.NOT_DONE
    rule = next(r for r in active_policy().rights.rights if r.right == "rectification")
    assert outcome.what_was_done.startswith(rule.name)
    assert Disagreement.objects.get().request == rights_request
    page = client.get(reverse("people:person", args=[family["yusuf"].public_id]))
    assert "He was at school every day that term." in page.content.decode()


def test_a_disagreement_needs_what_it_is_about_and_what_they_say(client, sign_in, family, officer):
    rights_request = request_about(family["yusuf"], officer, rights=["rectification"])
    sign_in(officer)
    url = reverse(
        "rights_outcomes:correction", args=[rights_request.public_id, family["yusuf"].public_id]
    )
    response = client.post(url, {"result": "not-corrected", "what": "Accurate"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Enter which information they say is wrong" in text
    assert "Enter what they say, in their words" in text
    assert not Disagreement.objects.exists() and not RightOutcome.objects.exists()


def test_corrected_outcome_says_what_was_corrected(family, officer):
    rights_request = request_about(family["yusuf"], officer, rights=["rectification"])
    outcomes.record_rectification(
        _as(officer), rights_request, family["yusuf"], corrected=True, what="Address corrected."
    )
    (paragraph,) = outcomes.outcome_paragraphs(rights_request)
    assert "Address corrected." in paragraph
    assert not Disagreement.objects.exists()
