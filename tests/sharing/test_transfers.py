"""Information sent abroad: refused unless the policy's transfer rule allows it (the child's
move recorded with the authority there), named by a route UK law gives, and recorded as a
transfer; a refusal leaves an audit event and nothing else."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.audit.models import AuditEvent
from earlyhelp.sharing import transfers
from earlyhelp.sharing.models import Disclosure, Relocation, Transfer
from earlyhelp.sharing.services import ShareRefused

AUTHORITY = "other-local-authorities"
PURPOSE = "best-interests-and-health"
SENT = {"method": "secure_email", "reference": "EM-2026-0101"}


def _move(request, person, country="CA", name="Canada") -> Relocation:
    return transfers.record_relocation(
        request,
        person,
        country=country,
        country_name=name,
        receiving_authority="Children's Aid Society of Toronto",
        moved_on=date(2026, 11, 20),
    )


def _abroad(request, person, key, *, relocation, country="CA", route="appropriate-safeguards"):
    return transfers.share_abroad(
        request,
        person,
        country=country,
        route=route,
        relocation=relocation,
        recipient=AUTHORITY,
        purpose=PURPOSE,
        item_keys=[key],
        **SENT,
    )


def test_a_transfer_abroad_without_a_recorded_move_is_refused(
    request_as, worker, family, assessment_key
):
    yusuf = family["yusuf"]
    with pytest.raises(ShareRefused, match=r"^relocation: Data may leave the UK, EU, EEA only"):
        _abroad(request_as(worker), yusuf, assessment_key, relocation=None)
    assert Disclosure.objects.count() == 0 and Transfer.objects.count() == 0
    refused = AuditEvent.objects.filter(
        record_id=str(yusuf.public_id), action="share", details__refused=True
    )
    assert [e.rule for e in refused] == ["transfers"]


def test_with_a_recorded_move_and_a_route_the_disclosure_is_recorded_as_a_transfer(
    request_as, worker, family, assessment_key
):
    yusuf = family["yusuf"]
    move = _move(request_as(worker), yusuf)
    disclosure = _abroad(request_as(worker), yusuf, assessment_key, relocation=move)
    assert disclosure.status == Disclosure.Status.SHARED
    transfer = disclosure.transfer
    assert (transfer.country, transfer.region, transfer.route) == (
        "CA",
        "",
        "appropriate-safeguards",
    )
    assert transfer.relocation == move
    assert transfer.route_law == "UK GDPR Articles 46 and 45B (the data protection test)"
    assert "transfers.exception:child-relocation" in transfer.rule_ids
    events = AuditEvent.objects.filter(
        record_id=str(yusuf.public_id), details__what="recorded as a transfer abroad"
    )
    assert [e.details["route"] for e in events] == ["appropriate-safeguards"]


def test_a_route_the_policy_does_not_give_is_refused(request_as, worker, family, assessment_key):
    move = _move(request_as(worker), family["yusuf"])
    with pytest.raises(ShareRefused, match=r"^route: A transfer abroad must name a route"):
        _abroad(request_as(worker), family["yusuf"], assessment_key, relocation=move, route="email")
    assert Disclosure.objects.count() == 0


def test_a_move_to_another_country_does_not_allow_a_transfer_there(
    request_as, worker, family, assessment_key
):
    move = _move(request_as(worker), family["yusuf"])
    with pytest.raises(ShareRefused, match=r"^relocation: choose a move of this person's"):
        _abroad(request_as(worker), family["yusuf"], assessment_key, relocation=move, country="US")


def test_another_persons_move_does_not_count(request_as, worker, family, assessment_key):
    leilas = _move(request_as(worker), family["leila"])
    with pytest.raises(ShareRefused, match=r"^relocation: "):
        _abroad(request_as(worker), family["yusuf"], assessment_key, relocation=leilas)


def test_the_sharing_rules_still_apply_to_a_transfer(request_as, worker, family):
    move = _move(request_as(worker), family["yusuf"])
    with pytest.raises(ShareRefused, match=r"^items: "):
        transfers.share_abroad(
            request_as(worker),
            family["yusuf"],
            country="CA",
            route="appropriate-safeguards",
            relocation=move,
            recipient=AUTHORITY,
            purpose=PURPOSE,
            item_keys=[],
            **SENT,
        )
    assert Transfer.objects.count() == 0


@pytest.mark.parametrize(
    ("country", "field"),
    [("GB", "country: a move within the United Kingdom"), ("Canada", "country: give the")],
)
def test_a_move_needs_a_country_abroad_by_its_code(request_as, worker, family, country, field):
    with pytest.raises(ShareRefused, match=f"^{field}"):
        _move(request_as(worker), family["yusuf"], country=country)
    assert Relocation.objects.count() == 0


def test_recording_a_move_is_audited_against_the_person(request_as, worker, family):
    _move(request_as(worker), family["yusuf"])
    assert AuditEvent.objects.filter(
        record_id=str(family["yusuf"].public_id), details__what="move abroad recorded"
    ).exists()


def test_the_transfer_shows_on_the_disclosure_page(
    client, sign_in, request_as, worker, family, assessment_key
):
    move = _move(request_as(worker), family["yusuf"])
    disclosure = _abroad(request_as(worker), family["yusuf"], assessment_key, relocation=move)
    sign_in(worker)
    page = client.get(reverse("sharing:disclosure", args=[disclosure.public_id])).content.decode()
    assert "Transfer abroad" in page
    assert "Children&#x27;s Aid Society of Toronto" in page
    assert "Articles 46 and 45B" in page


def test_the_share_abroad_page_refuses_without_a_move(
    client, sign_in, worker, family, assessment_key
):
    sign_in(worker)
    url = reverse("sharing:share_abroad", args=[family["yusuf"].public_id])
    response = client.post(
        url,
        {
            "route": "appropriate-safeguards",
            "recipient": AUTHORITY,
            "purpose": PURPOSE,
            "items": [assessment_key],
            "tell": "tell",
            **SENT,
        },
    )
    assert response.status_code == 200
    assert "Data may leave the UK, EU, EEA only" in response.content.decode()
    assert Disclosure.objects.count() == 0
