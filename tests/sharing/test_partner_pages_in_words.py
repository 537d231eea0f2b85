"""The pages of partners' requests, moves abroad and transfers show the policy's words,
never its ids: no recipient, basis, route, exemption, agreement, purpose or category id, no
rule id ("sharing.partner_requests", "rule:share-needs-agreement"), no stored code
("not_needed") and no country code. Each page is rendered with representative data, forms
with and without errors, and its visible text searched for every id of the active
policy."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.decisions import sharing as sharing_rules
from earlyhelp.sharing import partner_requests, transfers
from earlyhelp.sharing.models import PartnerRequest, Transfer
from tests.sharing.partner_records import a_partner_request, an_emergency_share
from tests.sharing.sharing_records import a_disclosure
from tests.web.test_words_not_codes import visible as _visible

# "rule:share-needs-agreement", "transfers.route:derogation": a code of the form kind:name.
RULE_CODE = re.compile(r"\b[a-z]+(?:\.[a-z_]+)?:[a-z][a-z-]*\b")
# "not_needed", "secure_email", "partner_requests": a word with an underscore in it.
UNDERSCORED = re.compile(r"\b\w+_\w+\b")


def _ids_in(value, found: set[str]) -> set[str]:
    """Every `id` anywhere in the policy's data (its dumped form)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "id" and isinstance(inner, str):
                found.add(inner)
            _ids_in(inner, found)
    elif isinstance(value, list):
        for inner in value:
            _ids_in(inner, found)
    return found


def policy_codes() -> set[str]:
    """The active policy's ids that are codes, not words (those with a hyphen or an
    underscore: "crime-and-taxation", "uk-approval-regulations"), and the rule ids the
    sharing decisions cite that are codes ("sharing.partner_requests", "transfers.routes",
    "rule:consent-required")."""
    ids = _ids_in(active_policy().model_dump(), set())
    rules = {
        value
        for name, value in vars(sharing_rules).items()
        if name.startswith("RULE_") and isinstance(value, str)
    }
    return {code for code in ids | rules if re.search(r"[-_.:]", code)}


def assert_in_words(text: str, country_codes: tuple[str, ...] = ()) -> None:
    assert not RULE_CODE.search(text), RULE_CODE.search(text).group()
    assert not UNDERSCORED.search(text), UNDERSCORED.search(text).group()
    for code in policy_codes():
        assert not re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text), code
    for country in country_codes:
        assert not re.search(rf"\b{country}\b", text), country


def test_the_policy_has_codes_to_look_for():
    codes = policy_codes()
    assert {"crime-and-taxation", "uk-approval-regulations", "criminal-justice"} <= codes
    assert {"sharing.partner_requests", "transfers.routes"} <= codes


@pytest.fixture
def officer(make_user):
    return make_user("ines", Role.INFORMATION_GOVERNANCE)


@pytest.fixture
def requests_in_each_state(worker, family):
    """Partners' requests about Yusuf: waiting for approval, approved, answered by sharing
    and by not sharing, and one from a school needing no approval."""
    yusuf = family["yusuf"]
    waiting = a_partner_request(yusuf, worker, PartnerRequest.Approval.WAITING)
    approved = a_partner_request(yusuf, worker, PartnerRequest.Approval.APPROVED)
    shared = a_partner_request(yusuf, worker, PartnerRequest.Approval.NOT_NEEDED)
    PartnerRequest.objects.filter(pk=shared.pk).update(
        status=PartnerRequest.Status.SHARED,
        disclosure=a_disclosure(yusuf, worker),
        decided_by=worker,
    )
    refused = a_partner_request(yusuf, worker, PartnerRequest.Approval.NOT_NEEDED)
    PartnerRequest.objects.filter(pk=refused.pk).update(
        status=PartnerRequest.Status.REFUSED,
        refusal_reason="Sharing would put the child at risk",
        decided_by=worker,
    )
    school = a_partner_request(yusuf, worker, PartnerRequest.Approval.NOT_NEEDED)
    PartnerRequest.objects.filter(pk=school.pk).update(
        recipient="education", basis="required-by-law", organisation="Camden School"
    )
    return {
        "waiting": waiting,
        "approved": approved,
        "shared": shared,
        "refused": refused,
        "school": school,
    }


def test_the_list_of_requests_from_partners_shows_no_policy_id_under_any_filter(
    client, sign_in, officer, requests_in_each_state
):
    sign_in(officer)
    url = reverse("sharing:partner_requests")
    for show in partner_requests.SHOW:
        for kind in ("all", "criminal-justice", "education"):
            assert_in_words(_visible(client.get(url, {"show": show, "kind": kind})))


def test_each_request_page_shows_no_policy_id(
    client, sign_in, worker, officer, requests_in_each_state
):
    for reader in (worker, officer):
        sign_in(reader)
        for found in requests_in_each_state.values():
            url = reverse("sharing:partner_request", args=[found.public_id])
            assert_in_words(_visible(client.get(url)))


def test_the_request_forms_show_no_policy_id_with_or_without_errors(
    client, sign_in, worker, boss, family, requests_in_each_state
):
    waiting = requests_in_each_state["waiting"].public_id
    approved = requests_in_each_state["approved"].public_id
    pages = [
        (boss, reverse("sharing:approve_partner_request", args=[waiting]), {"decision": "x"}),
        (worker, reverse("sharing:answer_partner_request", args=[approved]), {"purpose": "x"}),
        (worker, reverse("sharing:answer_partner_request", args=[waiting]), {}),
        (worker, reverse("sharing:refuse_partner_request", args=[approved]), {}),
        (
            worker,
            reverse("sharing:log_partner_request", args=[family["yusuf"].public_id]),
            {"recipient": "criminal-justice", "basis": "crime-and-taxation"},
        ),
    ]
    for reader, url, posted in pages:
        sign_in(reader)
        assert_in_words(_visible(client.get(url)))
        assert_in_words(_visible(client.post(url, posted)))


def test_the_move_abroad_and_transfer_pages_show_names_never_codes(
    client, sign_in, request_as, worker, family, assessment_key
):
    yusuf = family["yusuf"]
    move = transfers.record_relocation(
        request_as(worker),
        yusuf,
        country="CA",
        receiving_authority="Children's Aid Society of Toronto",
        moved_on=date(2026, 11, 20),
    )
    sign_in(worker)
    relocation = reverse("sharing:relocation", args=[yusuf.public_id])
    abroad = reverse("sharing:share_abroad", args=[yusuf.public_id])
    assert_in_words(_visible(client.get(relocation)), ("CA", "GB"))
    assert_in_words(_visible(client.post(relocation, {"country": "GB"})), ("CA", "GB"))
    assert_in_words(_visible(client.get(abroad)), ("CA",))
    refused = client.post(
        abroad,
        {
            "relocation": str(move.public_id),
            "route": "uk-approval-regulations",
            "recipient": "other-local-authorities",
            "purpose": "best-interests-and-health",
            "items": [assessment_key],
            "tell": "tell",
            "method": "secure_email",
            "reference": "EM-1",
        },
    )
    text = _visible(refused)
    assert "does not cover Canada" in text
    assert_in_words(text, ("CA",))
    sent = transfers.share_abroad(
        request_as(worker),
        yusuf,
        country="CA",
        route="appropriate-safeguards",
        relocation=move,
        recipient="other-local-authorities",
        purpose="best-interests-and-health",
        item_keys=[assessment_key],
        method="secure_email",
        reference="EM-2",
    )
    page = _visible(client.get(reverse("sharing:disclosure", args=[sent.public_id])))
    assert "Canada" in page
    assert_in_words(page, ("CA",))
    # A transfer recorded without a move names its country too.
    bare = a_disclosure(yusuf, worker)
    Transfer.objects.create(
        disclosure=bare, country="NZ", route="derogation", route_law="UK GDPR Article 49"
    )
    page = _visible(client.get(reverse("sharing:disclosure", args=[bare.public_id])))
    assert "New Zealand" in page
    assert_in_words(page, ("NZ",))


def test_the_emergency_share_pages_show_no_policy_id(client, sign_in, worker, boss, family):
    urgent = an_emergency_share(family["yusuf"], worker)
    sign_in(worker)
    url = reverse("sharing:share_in_emergency", args=[family["yusuf"].public_id])
    assert_in_words(_visible(client.get(url)))
    assert_in_words(_visible(client.post(url, {"recipient": "criminal-justice"})))
    sign_in(boss)
    approve = reverse("sharing:approve_emergency", args=[urgent.public_id])
    assert_in_words(_visible(client.get(approve)))
    assert_in_words(_visible(client.get(reverse("sharing:disclosure", args=[urgent.public_id]))))
