"""Outcome letters: each outcome names what was done and the rule in the policy's words,
is stored (RightOutcome.what_was_done) and shown on the request's page, with links to the
pages for each right asked and each person in scope."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.policy.active import active_policy
from earlyhelp.rights import outcomes
from tests.rights.outcome_records import request_about

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user("ines", Role.INFORMATION_GOVERNANCE)


def _as(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def test_each_paragraph_names_the_right_as_the_policy_does_and_no_rule_id(family, officer):
    rights_request = request_about(family["yusuf"], officer)
    person = family["yusuf"]
    outcomes.restrict_processing(_as(officer), rights_request, person, "Accuracy disputed")
    outcomes.record_objection(_as(officer), rights_request, person, "liia")
    outcomes.erase_for_purpose(_as(officer), rights_request, person, "share-in-nursery-life")
    paragraphs = outcomes.outcome_paragraphs(rights_request)
    names = {r.right: r.name for r in active_policy().rights.rights}
    assert [p.split(":")[0].split(",")[0] for p in paragraphs] == [
        names["restriction"],
        names["object"],
        names["erasure"],
    ]
    for paragraph in paragraphs:
        assert "rights." not in paragraph and "purpose:" not in paragraph


def test_the_request_page_shows_what_was_done_and_links_to_each_right_asked(
    client, sign_in, family, officer
):
    rights_request = request_about(family["yusuf"], officer)
    outcomes.restrict_processing(_as(officer), rights_request, family["yusuf"], "Accuracy disputed")
    sign_in(officer)
    page = client.get(reverse("rights:request", args=[rights_request.public_id]))
    assert page.status_code == 200
    text = page.content.decode()
    (paragraph,) = outcomes.outcome_paragraphs(rights_request)
    assert paragraph.replace("'", "&#x27;") in text
    for name in ("correction", "erasure", "restriction", "objection"):
        url = reverse(
            f"rights_outcomes:{name}", args=[rights_request.public_id, family["yusuf"].public_id]
        )
        assert url in text
