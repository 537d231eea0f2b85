"""Attacks on the sharing pages, as a tester would make them through the web client: need
to know, side paths, double sending and races, bad input, words not codes, and the audit
trail. Each test states the rule it attacks."""

from __future__ import annotations

import logging
import re
from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.rights.models import ProcessingRestriction
from earlyhelp.sharing.models import DisclosedItem, Disclosure
from tests.factories import HealthConditionFactory, RestrictionFactory, TeamFactory
from tests.sharing.sharing_records import a_disclosure

SCHOOL = "education"
POLICE = "criminal-justice"
PURPOSE = "best-interests-and-health"
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
POLICY_IDS = (
    "notice-education",
    "notice-criminal-justice",
    "best-interests-and-health",
    "identity-and-contact",
    "reports-and-plans",
    "asking-police-for-information",
    "safeguarding-alert",
    "rule:",
    "agreement:",
    "cases.Assessment",
    "people.Person",
)


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _rows() -> tuple[int, int, int]:
    return (Disclosure.objects.count(), DisclosedItem.objects.count(), AuditEvent.objects.count())


def _writes_since(before: tuple[int, int, int], since_pk: int) -> list[AuditEvent]:
    """The rows written since `before`: nothing but the refusal's own look may be there."""
    assert (Disclosure.objects.count(), DisclosedItem.objects.count()) == before[:2]
    return [
        e
        for e in AuditEvent.objects.filter(pk__gt=since_pk)
        if not (e.action == "view" and e.rule == "access:refused")
    ]


def _last_event_pk() -> int:
    last = AuditEvent.objects.order_by("-pk").first()
    return last.pk if last else 0


def _share_data(key: str, **more) -> dict:
    return {
        "recipient": SCHOOL,
        "purpose": PURPOSE,
        "items": [key],
        "tell": "tell",
        "method": "secure_email",
        "reference": "EM-1",
        **more,
    }


def _share_url(person) -> str:
    return reverse("sharing:share", args=[person.public_id])


def _outsider(make_user, role: Role = Role.PRACTITIONER, name: str = "olu"):
    """Staff of another team, on no case of the family."""
    user = make_user(name, role)
    TeamFactory(name=f"South youth {name}", service="iyss").members.add(user)
    return user


# --- need-to-know -----------------------------------------------------------------------------


def test_a_practitioner_on_no_case_of_the_person_cannot_share_read_or_record_it_sent(
    client, sign_in, make_user, worker, family, assessment_key
):
    yusuf = family["yusuf"]
    approved = a_disclosure(yusuf, worker, Disclosure.Status.APPROVED)
    sign_in(_outsider(make_user))
    before, since = _rows(), _last_event_pk()
    assert client.post(_share_url(yusuf), _share_data(assessment_key)).status_code == 403
    detail = client.get(reverse("sharing:disclosure", args=[approved.public_id]))
    assert detail.status_code == 403
    assert "Education" not in _text(detail)
    sent = client.post(
        reverse("sharing:sent", args=[approved.public_id]),
        {"method": "secure_email", "reference": "EM-9"},
    )
    assert sent.status_code == 403
    assert _writes_since(before, since) == []
    approved.refresh_from_db()
    assert approved.status == Disclosure.Status.APPROVED


def test_a_manager_of_another_team_cannot_approve_a_disclosure(
    client, sign_in, make_user, worker, family
):
    waiting = a_disclosure(family["yusuf"], worker, Disclosure.Status.WAITING)
    sign_in(_outsider(make_user, Role.TEAM_MANAGER, "otto"))
    before, since = _rows(), _last_event_pk()
    decide = reverse("sharing:decide", args=[waiting.public_id])
    assert client.get(decide).status_code == 403
    assert client.post(decide, {"decision": "approve", "note": ""}).status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == Disclosure.Status.WAITING and waiting.decided_by is None
    assert _writes_since(before, since) == []


def test_a_practitioner_cannot_approve_even_on_their_own_case(client, sign_in, worker, family):
    waiting = a_disclosure(family["yusuf"], worker, Disclosure.Status.WAITING)
    colleague_made = a_disclosure(family["leila"], worker, Disclosure.Status.WAITING)
    sign_in(worker)
    for disclosure in (waiting, colleague_made):
        response = client.post(
            reverse("sharing:decide", args=[disclosure.public_id]), {"decision": "approve"}
        )
        assert response.status_code == 403
        disclosure.refresh_from_db()
        assert disclosure.status == Disclosure.Status.WAITING


def test_the_maker_cannot_approve_their_own_even_as_a_team_manager(client, sign_in, boss, family):
    waiting = a_disclosure(family["yusuf"], boss, Disclosure.Status.WAITING)
    sign_in(boss)
    before, since = _rows(), _last_event_pk()
    response = client.post(
        reverse("sharing:decide", args=[waiting.public_id]), {"decision": "approve"}
    )
    assert response.status_code == 200
    assert "another team manager must approve it" in _text(response)
    waiting.refresh_from_db()
    assert waiting.status == Disclosure.Status.WAITING
    assert [e.action for e in _writes_since(before, since)] == ["view"]  # the page's look


def test_a_person_restricted_from_the_worker_can_be_neither_shared_nor_read(
    client, sign_in, make_user, worker, family, assessment_key
):
    yusuf = family["yusuf"]
    shared = a_disclosure(yusuf, worker)
    keeper = make_user("keeper", Role.TEAM_MANAGER)
    RestrictionFactory(person=yusuf, created_by=keeper, named_users=[keeper])
    sign_in(worker)
    before, since = _rows(), _last_event_pk()
    assert client.get(_share_url(yusuf)).status_code == 403
    assert client.post(_share_url(yusuf), _share_data(assessment_key)).status_code == 403
    not_shared = reverse("sharing:not_shared", args=[yusuf.public_id])
    assert client.post(not_shared, {"recipient": SCHOOL, "purpose": PURPOSE}).status_code == 403
    detail = client.get(reverse("sharing:disclosure", args=[shared.public_id]))
    assert detail.status_code == 403
    assert "Yusuf" not in _text(detail)
    assert _writes_since(before, since) == []


def _restrict_processing(person, make_user) -> None:
    ProcessingRestriction.objects.create(
        person=person,
        reason="Disputes the record",
        started_on=date(2026, 11, 1),
        created_by=make_user("ines", Role.INFORMATION_GOVERNANCE),
    )


def test_a_restriction_of_processing_refuses_the_approval_with_a_message_not_an_error(
    client, sign_in, make_user, worker, boss, family
):
    yusuf = family["yusuf"]
    waiting = a_disclosure(yusuf, worker, Disclosure.Status.WAITING)
    _restrict_processing(yusuf, make_user)
    sign_in(boss)
    before = _rows()
    response = client.post(
        reverse("sharing:decide", args=[waiting.public_id]), {"decision": "approve"}
    )
    assert response.status_code in (200, 403)
    assert "restricted from processing" in _text(response)
    waiting.refresh_from_db()
    assert waiting.status == Disclosure.Status.WAITING and waiting.decided_by is None
    assert _rows()[:2] == before[:2]


def test_a_restriction_of_processing_after_approval_stops_the_information_leaving(
    client, sign_in, make_user, worker, family
):
    yusuf = family["yusuf"]
    approved = a_disclosure(yusuf, worker, Disclosure.Status.APPROVED)
    _restrict_processing(yusuf, make_user)
    sign_in(worker)
    response = client.post(
        reverse("sharing:sent", args=[approved.public_id]),
        {"method": "secure_email", "reference": "EM-9"},
    )
    assert response.status_code in (200, 403)
    approved.refresh_from_db()
    assert approved.status == Disclosure.Status.APPROVED and approved.sent_at is None
    assert not AuditEvent.objects.filter(action="share", record_id=str(yusuf.public_id)).exists()


def test_break_glass_opens_the_disclosure_to_read_never_to_send(
    client, sign_in, make_user, worker, family
):
    yusuf = family["yusuf"]
    approved = a_disclosure(yusuf, worker, Disclosure.Status.APPROVED)
    sign_in(_outsider(make_user))
    glass = reverse("people:break_glass", args=[yusuf.public_id])
    assert client.post(glass, {"reason": "Police at the door, child missing"}).status_code == 302
    detail = client.get(reverse("sharing:disclosure", args=[approved.public_id]))
    assert detail.status_code == 200
    assert reverse("sharing:sent", args=[approved.public_id]) not in detail.content.decode()
    before = _rows()
    response = client.post(
        reverse("sharing:sent", args=[approved.public_id]),
        {"method": "secure_email", "reference": "EM-9"},
    )
    assert response.status_code in (200, 403)
    approved.refresh_from_db()
    assert approved.status == Disclosure.Status.APPROVED
    assert _rows()[:2] == before[:2]
    look = AuditEvent.objects.filter(
        action="view", record_id=str(yusuf.public_id), details__page="disclosure"
    ).latest("pk")
    assert look.flagged  # a look under break-glass is flagged for review


@pytest.mark.parametrize("role", [Role.ANALYST, Role.SYSTEM_ADMINISTRATOR])
def test_an_analyst_or_administrator_is_refused_every_sharing_route(
    client, sign_in, make_user, worker, family, case, role
):
    yusuf = family["yusuf"]
    waiting = a_disclosure(yusuf, worker, Disclosure.Status.WAITING)
    approved = a_disclosure(yusuf, worker, Disclosure.Status.APPROVED)
    sign_in(make_user("staff", role))
    urls = [
        _share_url(yusuf),
        reverse("sharing:not_shared", args=[yusuf.public_id]),
        reverse("sharing:log"),
        reverse("sharing:disclosure", args=[waiting.public_id]),
        reverse("sharing:decide", args=[waiting.public_id]),
        reverse("sharing:sent", args=[approved.public_id]),
        reverse("sharing:send_package", args=[approved.public_id]),
        reverse("sharing:share_from_case", args=[case.public_id]),
    ]
    before, since = _rows(), _last_event_pk()
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"decision": "approve", "method": "in_person"}).status_code == 403
    assert _writes_since(before, since) == []


# --- side paths -------------------------------------------------------------------------------


def _waiting_section(html: str) -> str:
    start = html.index('id="disclosures-waiting"')
    return html[start : html.find("<h2", start + 1) if "<h2" in html[start + 1 :] else None]


def test_the_managers_queue_does_not_name_a_person_restricted_from_them(
    client, sign_in, make_user, worker, boss, family
):
    yusuf = family["yusuf"]
    waiting = a_disclosure(yusuf, worker, Disclosure.Status.WAITING)
    keeper = make_user("keeper", Role.TEAM_MANAGER)
    RestrictionFactory(person=yusuf, created_by=keeper, named_users=[keeper])
    sign_in(boss)
    html = client.get(reverse("web:home")).content.decode()
    queue = _waiting_section(html)
    assert "Yusuf" not in queue
    assert reverse("sharing:decide", args=[waiting.public_id]) not in queue


def test_the_managers_queue_records_a_look_at_each_person_it_names(
    client, sign_in, worker, boss, family
):
    a_disclosure(family["yusuf"], worker, Disclosure.Status.WAITING)
    sign_in(boss)
    queue = _waiting_section(client.get(reverse("web:home")).content.decode())
    assert "Yusuf Haddad" in queue
    assert AuditEvent.objects.filter(
        actor=boss,
        action="view",
        record_id=str(family["yusuf"].public_id),
        details__page="disclosures-waiting",
    ).exists()


def test_the_disclosure_log_names_a_restricted_person_only_as_a_restricted_record(
    client, sign_in, make_user, worker, family
):
    yusuf = family["yusuf"]
    a_disclosure(yusuf, worker)
    keeper = make_user("keeper", Role.TEAM_MANAGER)
    RestrictionFactory(person=yusuf, created_by=keeper, named_users=[keeper])
    sign_in(make_user("ines", Role.INFORMATION_GOVERNANCE))
    log = _text(client.get(reverse("sharing:log")))
    assert "Yusuf" not in log
    assert "restricted record" in log


def test_a_disclosure_about_a_person_restricted_from_the_officer_is_not_opened(
    client, sign_in, make_user, worker, family
):
    """The officer's oversight does not pass a restriction: person_access refuses everyone
    the restriction does not name, and the disclosure page shows the person's data."""
    yusuf = family["yusuf"]
    shared = a_disclosure(yusuf, worker)
    keeper = make_user("keeper", Role.TEAM_MANAGER)
    RestrictionFactory(person=yusuf, created_by=keeper, named_users=[keeper])
    sign_in(make_user("ines", Role.INFORMATION_GOVERNANCE))
    detail = client.get(reverse("sharing:disclosure", args=[shared.public_id]))
    assert detail.status_code == 403
    assert "Yusuf" not in _text(detail)


def test_a_disclosure_waiting_for_approval_cannot_leave_as_a_package(
    client, sign_in, worker, family
):
    waiting = a_disclosure(family["yusuf"], worker, Disclosure.Status.WAITING)
    sign_in(worker)
    before = _rows()
    response = client.post(
        reverse("sharing:send_package", args=[waiting.public_id]),
        {"how": "By secure email to the police"},
    )
    assert response.status_code == 200
    assert "approved" in _text(response)
    waiting.refresh_from_db()
    assert waiting.status == Disclosure.Status.WAITING and waiting.sent_at is None
    assert _rows()[:2] == before[:2]
    assert (
        not AuditEvent.objects.filter(details__disclosure=str(waiting.public_id))
        .exclude(action="view")
        .exists()
    )


def test_a_record_of_another_person_posted_as_an_item_is_refused_and_writes_nothing(
    client, sign_in, worker, family, assessment_key
):
    sign_in(worker)
    mums_key = f"people.Person:{family['mum'].pk}"
    before, since = _rows(), _last_event_pk()
    response = client.post(
        _share_url(family["yusuf"]), _share_data(assessment_key, items=[assessment_key, mums_key])
    )
    assert response.status_code == 200
    assert "Which records are shared?: select one of the options shown" in _text(response)
    assert _rows()[:2] == before[:2]
    assert {e.action for e in _writes_since(before, since)} <= {"view"}


def test_a_health_record_cannot_be_shared_by_a_colleague_without_need_to_know(
    client, sign_in, make_user, team, worker, family
):
    yusuf = family["yusuf"]
    health = HealthConditionFactory(person=yusuf)
    colleague = make_user("cole", Role.PRACTITIONER)
    team.members.add(colleague)
    sign_in(colleague)
    key = f"people.HealthCondition:{health.pk}"
    form = client.get(_share_url(yusuf)).content.decode()
    assert key not in form
    before = _rows()
    response = client.post(_share_url(yusuf), _share_data(key, recipient="health"))
    assert response.status_code == 200
    assert _rows()[:2] == before[:2]


def test_a_category_the_purpose_does_not_use_is_refused_in_words(
    client, sign_in, worker, family, assessment_key, settings, tmp_path
):
    from tests.policy import camden_dict, write_policy

    data = camden_dict()
    purpose = next(p for p in data["purposes"] if p["id"] == PURPOSE)
    purpose["categories"] = [c for c in purpose["categories"] if c != "reports-and-plans"]
    settings.POLICY_PATH = write_policy(tmp_path, data)
    sign_in(worker)
    before = _rows()
    response = client.post(_share_url(family["yusuf"]), _share_data(assessment_key))
    assert response.status_code == 200
    text = _text(response)
    assert "does not use" in text and "Reports relating to your situation" in text
    assert not [code for code in POLICY_IDS if code in text]
    assert _rows()[:2] == before[:2]


# --- double sending and races -----------------------------------------------------------------


def test_approving_twice_records_one_approval(client, sign_in, worker, boss, family):
    waiting = a_disclosure(family["yusuf"], worker, Disclosure.Status.WAITING)
    sign_in(boss)
    decide = reverse("sharing:decide", args=[waiting.public_id])
    assert client.post(decide, {"decision": "approve"}).status_code == 302
    again = client.post(decide, {"decision": "refuse", "note": "Changed my mind"})
    assert again.status_code == 200
    assert "not waiting" in _text(again)
    waiting.refresh_from_db()
    assert waiting.status == Disclosure.Status.APPROVED
    changes = AuditEvent.objects.filter(action="change", details__disclosure=str(waiting.public_id))
    assert changes.count() == 1


def test_a_disclosure_cannot_be_sent_before_approval_nor_twice(
    client, sign_in, worker, boss, family
):
    yusuf = family["yusuf"]
    waiting = a_disclosure(yusuf, worker, Disclosure.Status.WAITING)
    sign_in(worker)
    sent_url = reverse("sharing:sent", args=[waiting.public_id])
    data = {"method": "secure_email", "reference": "EM-9"}
    early = client.post(sent_url, data)
    assert early.status_code == 200
    assert "only once a team manager has approved it" in _text(early)
    waiting.refresh_from_db()
    assert waiting.status == Disclosure.Status.WAITING and waiting.sent_at is None

    sign_in(boss)
    client.post(reverse("sharing:decide", args=[waiting.public_id]), {"decision": "approve"})
    sign_in(worker)
    assert client.post(sent_url, data).status_code == 302
    twice = client.post(sent_url, {"method": "partner_portal", "reference": "P-2"})
    assert twice.status_code == 200
    waiting.refresh_from_db()
    assert (waiting.method, waiting.reference) == ("secure_email", "EM-9")
    shares = AuditEvent.objects.filter(action="share", details__disclosure=str(waiting.public_id))
    assert shares.count() == 1


def test_a_refused_disclosure_can_be_neither_decided_again_nor_sent(
    client, sign_in, worker, boss, family
):
    refused = a_disclosure(family["yusuf"], worker, Disclosure.Status.APPROVAL_REFUSED)
    sign_in(boss)
    response = client.post(
        reverse("sharing:decide", args=[refused.public_id]), {"decision": "approve"}
    )
    assert response.status_code == 200
    sign_in(worker)
    response = client.post(
        reverse("sharing:sent", args=[refused.public_id]),
        {"method": "in_person", "reference": ""},
    )
    assert response.status_code == 200
    refused.refresh_from_db()
    assert refused.status == Disclosure.Status.APPROVAL_REFUSED and refused.sent_at is None


def test_two_managers_deciding_at_once_record_one_decision(
    request_as, make_user, team, worker, boss, family
):
    from earlyhelp.sharing import services

    other = make_user("bo", Role.TEAM_MANAGER)
    team.members.add(other)
    waiting = a_disclosure(family["yusuf"], worker, Disclosure.Status.WAITING)
    stale = Disclosure.objects.get(pk=waiting.pk)  # the second manager's page, loaded before
    services.decide_approval(request_as(boss), waiting, approve=True)
    with pytest.raises(services.ShareRefused, match=r"^decision: "):
        services.decide_approval(request_as(other), stale, approve=False, note="No")
    waiting.refresh_from_db()
    assert waiting.status == Disclosure.Status.APPROVED and waiting.decided_by == boss


def _form_token(response) -> str:
    found = re.search(r'name="form_token" value="([^"]+)"', response.content.decode())
    assert found, "the form carries a token"
    return found.group(1)


def test_sending_the_share_form_twice_records_one_disclosure(
    client, sign_in, worker, family, assessment_key
):
    yusuf = family["yusuf"]
    sign_in(worker)
    token = _form_token(client.get(_share_url(yusuf)))
    data = {**_share_data(assessment_key), "form_token": token}
    first = client.post(_share_url(yusuf), data)
    second = client.post(_share_url(yusuf), data)
    assert first.status_code == 302 and second.status_code == 302
    assert second.url == first.url
    assert Disclosure.objects.count() == 1 and DisclosedItem.objects.count() == 1
    assert AuditEvent.objects.filter(action="share", record_id=str(yusuf.public_id)).count() == 1


def test_sending_the_approval_twice_with_its_token_records_one_decision(
    client, sign_in, worker, boss, family
):
    waiting = a_disclosure(family["yusuf"], worker, Disclosure.Status.WAITING)
    sign_in(boss)
    decide = reverse("sharing:decide", args=[waiting.public_id])
    data = {"decision": "approve", "note": "", "form_token": _form_token(client.get(decide))}
    assert client.post(decide, data).status_code == 302
    assert client.post(decide, data).status_code == 302
    assert (
        AuditEvent.objects.filter(
            action="change", details__disclosure=str(waiting.public_id)
        ).count()
        == 1
    )


@pytest.mark.parametrize(
    "name", ["sharing:disclosure", "sharing:decide", "sharing:sent", "sharing:send_package"]
)
def test_an_unknown_disclosure_is_not_found_and_records_nothing(client, sign_in, boss, name):
    import uuid

    sign_in(boss)
    since = _last_event_pk()
    assert client.get(reverse(name, args=[uuid.uuid4()])).status_code == 404
    assert not AuditEvent.objects.filter(pk__gt=since).exists()


@pytest.mark.parametrize("page", ["abc", "-1", "9" * 30, "1e9", ""])
def test_a_bad_page_number_on_the_disclosure_log_is_a_page_not_an_error(
    client, sign_in, make_user, worker, family, page
):
    a_disclosure(family["yusuf"], worker)
    sign_in(make_user("ines", Role.INFORMATION_GOVERNANCE))
    assert client.get(reverse("sharing:log"), {"page": page}).status_code == 200


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("reference", "R" * 10_000, "Reference must be 200 characters or fewer"),
        ("recipient", "mi6", "Who is it shared with?: select one of the options shown"),
        ("purpose", "x" * 5000, "Why is it shared?: select one of the options shown"),
        ("items", None, "Choose at least one record to share"),
        ("items", "", "Which records are shared?: select one of the options shown"),
        ("tell", "", "Say whether the family is told"),
        ("method", "pigeon", "How is it sent?: select one of the options shown"),
    ],
)
def test_bad_input_gets_a_message_naming_the_field_and_writes_nothing(
    client, sign_in, worker, family, assessment_key, field, value, named
):
    sign_in(worker)
    before = _rows()
    data = _share_data(assessment_key, **{field: value})
    if value is None:
        del data[field]
    response = client.post(_share_url(family["yusuf"]), data)
    assert response.status_code == 200
    text = _text(response)
    assert named in text
    assert "Traceback" not in text
    if value:  # never the value sent echoed in the message
        assert value[:50] not in text.split("There is a problem", 1)[-1].split("Who is it")[0]
    assert _rows()[:2] == before[:2]


def test_an_empty_share_form_names_every_field_it_needs_and_writes_nothing(
    client, sign_in, worker, family
):
    sign_in(worker)
    before = _rows()
    # What a browser sends with nothing chosen: the empty text boxes, no radio or box.
    blank = {"exemption_reason": "", "reference": "", "how": ""}
    response = client.post(_share_url(family["yusuf"]), blank)
    assert response.status_code == 200
    text = _text(response)
    for needed in (
        "Choose who the information is shared with",
        "Choose why the information is shared",
        "Choose at least one record to share",
        "Say whether the family is told",
    ):
        assert needed in text
    assert _rows()[:2] == before[:2]


def test_an_exemption_not_in_the_policy_is_refused_naming_the_field(
    client, sign_in, worker, family, assessment_key
):
    sign_in(worker)
    before = _rows()
    response = client.post(
        _share_url(family["yusuf"]),
        _share_data(
            assessment_key,
            recipient=POLICE,
            tell="do_not_tell",
            exemption="because-i-said-so",
            exemption_reason="Police enquiry",
        ),
    )
    assert response.status_code == 200
    assert "If not told, which exemption applies?: select one of the options shown" in _text(
        response
    )
    assert _rows()[:2] == before[:2]


def test_an_exemption_the_agreement_does_not_allow_is_refused_in_words_not_ids(
    client, sign_in, worker, family, assessment_key
):
    sign_in(worker)
    before = _rows()
    response = client.post(
        _share_url(family["yusuf"]),
        _share_data(
            assessment_key,
            tell="do_not_tell",
            exemption="asking-police-for-information",
            exemption_reason="Police enquiry",
        ),
    )
    assert response.status_code == 200
    text = _text(response)
    assert "does not allow the exemption" in text
    assert not [code for code in POLICY_IDS if code in text], text
    assert _rows()[:2] == before[:2]


def test_not_telling_without_a_reason_is_refused_naming_the_field(
    client, sign_in, worker, family, assessment_key
):
    sign_in(worker)
    before = _rows()
    response = client.post(
        _share_url(family["yusuf"]),
        _share_data(
            assessment_key,
            recipient=POLICE,
            tell="do_not_tell",
            exemption="asking-police-for-information",
            exemption_reason="   ",
        ),
    )
    assert response.status_code == 200
    assert "Say why the family is not told" in _text(response)
    assert _rows()[:2] == before[:2]


@pytest.mark.parametrize("value", ["EM\x00-1", "EM-1\x1b[2J", "EM-\u202e1"])
def test_a_reference_with_control_characters_is_refused_naming_the_field(
    client, sign_in, worker, family, assessment_key, value
):
    sign_in(worker)
    before = _rows()
    response = client.post(
        _share_url(family["yusuf"]), _share_data(assessment_key, reference=value)
    )
    assert response.status_code == 200
    assert "Reference" in _text(response).split("There is a problem", 1)[-1][:400]
    assert _rows()[:2] == before[:2]


def test_a_huge_reason_not_to_share_is_refused_naming_the_field(client, sign_in, worker, family):
    sign_in(worker)
    before = _rows()
    response = client.post(
        reverse("sharing:not_shared", args=[family["yusuf"].public_id]),
        {
            "recipient": SCHOOL,
            "purpose": PURPOSE,
            "reason": "No. " * 3000,
            "more_detrimental": "on",
        },
    )
    assert response.status_code == 200
    assert "Why is it not shared? must be 4,000 characters or fewer" in _text(response)
    assert _rows()[:2] == before[:2]


def test_an_expired_agreement_refuses_on_approval_and_writes_no_approval(
    client, sign_in, worker, boss, family, settings, tmp_path
):
    from tests.policy import camden_dict, write_policy

    waiting = a_disclosure(family["yusuf"], worker, Disclosure.Status.WAITING)
    data = camden_dict()
    next(a for a in data["agreements"] if a["id"] == "notice-criminal-justice")["valid_to"] = date(
        2025, 3, 31
    )
    settings.POLICY_PATH = write_policy(tmp_path, data)
    sign_in(boss)
    response = client.post(
        reverse("sharing:decide", args=[waiting.public_id]), {"decision": "approve"}
    )
    assert response.status_code == 200
    text = _text(response)
    assert "is in force on" in text
    assert not ISO_DAY.search(text)
    assert not [code for code in POLICY_IDS if code in text]
    waiting.refresh_from_db()
    assert waiting.status == Disclosure.Status.WAITING


# --- words, not codes -------------------------------------------------------------------------


def test_the_disclosure_pages_show_words_never_ids_usernames_or_iso_dates(
    client, sign_in, make_user, worker, boss, family
):
    yusuf = family["yusuf"]
    waiting = a_disclosure(yusuf, worker, Disclosure.Status.WAITING)
    shared = a_disclosure(yusuf, worker)
    pages = []
    sign_in(boss)
    pages.append(client.get(reverse("sharing:decide", args=[waiting.public_id])))
    pages.append(client.get(reverse("web:home")))
    sign_in(worker)
    pages.append(client.get(reverse("sharing:disclosure", args=[waiting.public_id])))
    pages.append(client.get(reverse("sharing:disclosure", args=[shared.public_id])))
    approved = a_disclosure(yusuf, boss, Disclosure.Status.APPROVED)
    pages.append(client.get(reverse("sharing:sent", args=[approved.public_id])))
    pages.append(client.get(reverse("sharing:send_package", args=[approved.public_id])))
    pages.append(client.get(reverse("people:person", args=[yusuf.public_id])))
    pages.append(client.get(_share_url(yusuf)))
    sign_in(make_user("ines", Role.INFORMATION_GOVERNANCE))
    pages.append(client.get(reverse("sharing:log")))
    for response in pages:
        assert response.status_code == 200
        text = _text(response)
        assert not [code for code in POLICY_IDS if code in text], response.request["PATH_INFO"]
        assert not ISO_DAY.search(text), response.request["PATH_INFO"]
        assert not re.search(r"\b(wren|bea|discloser)\b", text), response.request["PATH_INFO"]


# --- audit ------------------------------------------------------------------------------------


def test_the_decide_and_not_sharing_pages_record_a_look_at_the_person(
    client, sign_in, worker, boss, family
):
    yusuf = family["yusuf"]
    waiting = a_disclosure(yusuf, worker, Disclosure.Status.WAITING)
    sign_in(boss)
    assert client.get(reverse("sharing:decide", args=[waiting.public_id])).status_code == 200
    sign_in(worker)
    assert client.get(reverse("sharing:not_shared", args=[yusuf.public_id])).status_code == 200
    for who, page in [(boss, "decide-disclosure"), (worker, "not-sharing")]:
        assert AuditEvent.objects.filter(
            actor=who, action="view", record_id=str(yusuf.public_id), details__page=page
        ).exists(), page


def test_every_look_at_a_disclosure_page_is_audited_against_its_person(
    client, sign_in, worker, family
):
    yusuf = family["yusuf"]
    approved = a_disclosure(yusuf, worker, Disclosure.Status.APPROVED)
    sign_in(worker)
    for name, page in [
        ("sharing:disclosure", "disclosure"),
        ("sharing:sent", "disclosure-sent"),
        ("sharing:send_package", "disclosure-package"),
    ]:
        assert client.get(reverse(name, args=[approved.public_id])).status_code == 200
        assert AuditEvent.objects.filter(
            actor=worker, action="view", record_id=str(yusuf.public_id), details__page=page
        ).exists(), page


def test_every_write_has_its_event_and_no_name_is_in_urls_or_the_log(
    client, sign_in, worker, boss, family, assessment_key, caplog
):
    caplog.set_level(logging.DEBUG)
    yusuf = family["yusuf"]
    sign_in(worker)
    response = client.post(
        _share_url(yusuf),
        _share_data(
            assessment_key,
            recipient=POLICE,
            tell="do_not_tell",
            exemption="asking-police-for-information",
            exemption_reason="Police enquiry under way",
        ),
    )
    assert response.status_code == 302
    disclosure = Disclosure.objects.get()
    locations = [response.url]
    sign_in(boss)
    response = client.post(
        reverse("sharing:decide", args=[disclosure.public_id]), {"decision": "approve"}
    )
    locations.append(response.url)
    sign_in(worker)
    response = client.post(
        reverse("sharing:sent", args=[disclosure.public_id]),
        {"method": "secure_email", "reference": "EM-7"},
    )
    locations.append(response.url)
    events = AuditEvent.objects.filter(details__disclosure=str(disclosure.public_id))
    assert [(e.action, e.actor) for e in events.order_by("pk")] == [
        ("create", worker),
        ("change", boss),
        ("share", worker),
    ]
    for event in events:
        assert event.record_id == str(yusuf.public_id)
        assert event.rule == "agreement:notice-criminal-justice"
    for where in locations:
        assert "Yusuf" not in where and "Haddad" not in where and "2016" not in where
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for personal in ("Yusuf", "Haddad", "Police enquiry under way", "EM-7"):
        assert personal not in logged
