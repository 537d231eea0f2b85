"""Sharing from a case page (choose the member, then the person's one share form), and a
step-up to children's social care recorded as a disclosure in each member's log."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases import closure
from earlyhelp.cases.closure import OutcomeAtClosure
from earlyhelp.cases.services import open_case
from earlyhelp.policy.active import active_policy
from earlyhelp.rights.models import ProcessingRestriction
from earlyhelp.sharing import services
from earlyhelp.sharing.models import Disclosure
from earlyhelp.sharing.step_up import case_items
from tests.cases.test_plans import need_on
from tests.factories import AssessmentFactory
from tests.policy import camden_dict, write_policy
from tests.rights.outcome_records import request_about

REFERRED = date(2026, 11, 18)
CLOSING_ON = date(2026, 11, 20)


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# --- choosing the member on a case page -------------------------------------------------------


def test_the_case_page_links_to_choosing_whom_on_the_case_to_share_about(
    client, sign_in, worker, case, family
):
    sign_in(worker)
    page = client.get(reverse("cases:case", args=[case.public_id])).content.decode()
    chooser = reverse("sharing:share_from_case", args=[case.public_id])
    assert f'href="{chooser}"' in page

    response = client.get(chooser)
    assert response.status_code == 200
    body = response.content.decode()
    for person in (family["yusuf"], family["leila"], family["mum"]):
        # Each member leads to their own (the one) share form.
        share = reverse("sharing:share", args=[person.public_id])
        assert f'href="{share}?case={case.public_id}"' in body
    looked = AuditEvent.objects.filter(action="view", details__page="share-from-case")
    assert set(looked.values_list("record_id", flat=True)) == {
        str(case.public_id),
        str(family["yusuf"].public_id),
        str(family["leila"].public_id),
        str(family["mum"].public_id),
    }


def test_a_member_whose_processing_is_restricted_is_shown_with_the_reason_and_no_link(
    client, sign_in, worker, case, family, make_user
):
    ProcessingRestriction.objects.create(
        person=family["leila"],
        reason="Disputes the record",
        started_on=date(2026, 11, 1),
        created_by=make_user("ines", Role.INFORMATION_GOVERNANCE),
    )
    sign_in(worker)
    response = client.get(reverse("sharing:share_from_case", args=[case.public_id]))
    body = response.content.decode()
    assert reverse("sharing:share", args=[family["leila"].public_id]) not in body
    yusuf = reverse("sharing:share", args=[family["yusuf"].public_id])
    assert f'href="{yusuf}?case={case.public_id}"' in body
    assert "restricted from processing" in _text(response)


# --- a step-up is a disclosure ----------------------------------------------------------------


@pytest.fixture
def requester(make_user, team):
    user = make_user("priya", Role.PRACTITIONER)
    team.members.add(user)
    return user


def _step_up(request_as, case, requester, boss):
    reason = next(r for r in active_policy().casework.closure_reasons if r.refers_to_social_care)
    need = need_on(case, outcome="good-education", description="Misses school on Mondays")
    asked = closure.request_closure(
        request_as(requester),
        case,
        reason=reason.id,
        summary="Concerns grew; referred to the front door",
        closing_on=CLOSING_ON,
        outcomes=[OutcomeAtClosure(need, False, False, "Attendance fell to 60%")],
        referred_to_social_care_on=REFERRED,
    )
    closure.decide_closure(request_as(boss), asked, approve=True)
    return asked


def test_a_step_up_appears_in_the_childs_disclosure_log_to_the_policys_recipient(
    request_as, case, family, requester, boss, assessment
):
    asked = _step_up(request_as, case, requester, boss)
    setting = active_policy().sharing.step_up
    yusuf = family["yusuf"]
    [disclosure] = services.log_of(yusuf)
    assert (disclosure.recipient, disclosure.purpose, disclosure.method) == (
        setting.recipient,
        setting.purpose,
        setting.method,
    )
    assert disclosure.status == Disclosure.Status.SHARED
    assert disclosure.reference == str(asked.public_id)
    assert disclosure.family_told and "We are writing to tell you" in disclosure.letter
    shared = {(i.record_model, i.record_id) for i in disclosure.items.all()}
    assert ("cases.Assessment", str(assessment.pk)) in shared
    assert ("people.Person", str(yusuf.pk)) in shared
    event = AuditEvent.objects.get(action="share", record_id=str(yusuf.public_id))
    assert event.rule == f"agreement:{disclosure.agreement}"
    # Every member of the case has one: the file about the family went.
    assert Disclosure.objects.filter(person=family["mum"]).count() == 1
    assert Disclosure.objects.count() == case.members.count()


def test_a_step_up_shares_this_cases_records_not_another_cases(
    request_as, case, family, requester, boss, assessment, team
):
    other = open_case(
        service=case.service,
        household=None,
        children=[family["yusuf"]],
        family=[],
        reason="An earlier referral from school",
        team=team,
        started=date(2026, 1, 5),
        created_by=None,
    )
    elsewhere = AssessmentFactory(case=other, started=other.started)
    keys = {i.key for i in case_items(case, family["yusuf"])}
    assert f"cases.Assessment:{assessment.pk}" in keys
    assert f"cases.Assessment:{elsewhere.pk}" not in keys
    assert f"cases.Case:{case.pk}" in keys and f"cases.Case:{other.pk}" not in keys


def test_a_closure_for_another_reason_records_no_disclosure(
    request_as, case, requester, boss, assessment
):
    need = need_on(case, outcome="good-education", description="Misses school on Mondays")
    asked = closure.request_closure(
        request_as(requester),
        case,
        reason="needs-met",
        summary="Goes to school every day",
        closing_on=CLOSING_ON,
        outcomes=[OutcomeAtClosure(need, True, True, "Attendance 97%")],
    )
    closure.decide_closure(request_as(boss), asked, approve=True)
    assert not Disclosure.objects.exists()


def test_a_step_up_the_policy_refuses_refuses_the_sign_off_and_writes_nothing(
    request_as, case, requester, boss, assessment, settings, tmp_path
):
    data = camden_dict()
    recipient = data["sharing"]["step_up"]["recipient"]
    for agreement in data["agreements"]:
        if agreement["recipient"] == recipient:
            agreement["valid_to"] = date(2025, 3, 31)
    settings.POLICY_PATH = write_policy(tmp_path, data)
    with pytest.raises(ValueError, match="No agreement with"):
        _step_up(request_as, case, requester, boss)
    case.refresh_from_db()
    assert case.is_open and case.referred_to_social_care_on is None
    assert not Disclosure.objects.exists()


def test_a_policy_naming_no_step_up_recipient_records_no_disclosure_for_it(
    request_as, case, requester, boss, assessment, settings, tmp_path
):
    data = camden_dict()
    del data["sharing"]["step_up"]
    settings.POLICY_PATH = write_policy(tmp_path, data)
    _step_up(request_as, case, requester, boss)
    case.refresh_from_db()
    assert case.referred_to_social_care_on == REFERRED
    assert not Disclosure.objects.exists()


# --- a step-up while a member's processing is restricted (UK GDPR Article 18(2)) ------------


@pytest.fixture
def restricted_mum(family, make_user):
    """Mum asked for her record to be restricted (a rights request, handled)."""
    officer = make_user("ines", Role.INFORMATION_GOVERNANCE)
    asked = request_about(family["mum"], officer, rights=["restriction"])
    ProcessingRestriction.objects.create(
        person=family["mum"],
        request=asked,
        reason="Disputes the record",
        started_on=date(2026, 11, 1),
        created_by=officer,
    )
    return asked


def _asked_step_up(request_as, case, requester):
    reason = next(r for r in active_policy().casework.closure_reasons if r.refers_to_social_care)
    need = need_on(case, outcome="good-education", description="Misses school on Mondays")
    return closure.request_closure(
        request_as(requester),
        case,
        reason=reason.id,
        summary="Concerns grew; referred to the front door",
        closing_on=CLOSING_ON,
        outcomes=[OutcomeAtClosure(need, False, False, "Attendance fell to 60%")],
        referred_to_social_care_on=REFERRED,
    )


def test_a_step_up_shares_a_restricted_members_record_on_the_policys_ground_with_the_reason(
    request_as, case, family, requester, boss, assessment, restricted_mum
):
    asked = _asked_step_up(request_as, case, requester)
    closure.decide_closure(
        request_as(boss), asked, approve=True, restriction_reason="Bruising seen on Monday"
    )
    [mums] = services.log_of(family["mum"])
    assert mums.status == Disclosure.Status.SHARED
    assert mums.restriction_ground == active_policy().sharing.step_up.while_restricted
    assert "Article 18(2)" in mums.restriction_ground
    assert mums.restriction_reason == "Bruising seen on Monday"
    event = AuditEvent.objects.get(action="share", record_id=str(family["mum"].public_id))
    assert event.details["while_restricted_by"] == restricted_mum.reference
    # Members not restricted are shared as ever, with no ground recorded.
    [yusufs] = services.log_of(family["yusuf"])
    assert (yusufs.restriction_ground, yusufs.restriction_reason) == ("", "")
    assert (
        "while_restricted_by"
        not in AuditEvent.objects.get(
            action="share", record_id=str(family["yusuf"].public_id)
        ).details
    )


def test_a_step_up_with_a_restricted_member_and_no_reason_is_refused_by_name_writing_nothing(
    request_as, case, requester, boss, assessment, restricted_mum
):
    asked = _asked_step_up(request_as, case, requester)
    with pytest.raises(ValueError, match=r"^restriction_reason: Amira Haddad is restricted"):
        closure.decide_closure(request_as(boss), asked, approve=True, restriction_reason="  ")
    case.refresh_from_db()
    assert case.is_open and not Disclosure.objects.exists()


def test_a_policy_with_no_ground_for_it_lets_no_restricted_member_be_stepped_up(
    request_as, case, requester, boss, assessment, restricted_mum, settings, tmp_path
):
    data = camden_dict()
    del data["sharing"]["step_up"]["while_restricted"]
    settings.POLICY_PATH = write_policy(tmp_path, data)
    asked = _asked_step_up(request_as, case, requester)
    with pytest.raises(ValueError, match=r"^person: Amira Haddad's record is restricted"):
        closure.decide_closure(request_as(boss), asked, approve=True, restriction_reason="Urgent")
    case.refresh_from_db()
    assert case.is_open and not Disclosure.objects.exists()


def test_an_ordinary_share_never_overrides_a_restriction_of_processing(
    request_as, family, worker, restricted_mum
):
    keys = [i.key for i in services.items_of(family["mum"])][:1]
    with pytest.raises(services.ShareRefused, match=r"^person: .*restricted from processing"):
        services.share(
            request_as(worker),
            family["mum"],
            recipient="education",
            purpose="best-interests-and-health",
            item_keys=keys,
        )
    assert not Disclosure.objects.exists()


def test_the_sign_off_page_asks_why_the_referral_cannot_wait_and_shows_it_on_the_disclosure(
    client, sign_in, request_as, case, family, requester, boss, assessment, restricted_mum
):
    asked = _asked_step_up(request_as, case, requester)
    decide = reverse("cases:decide_closure", args=[case.public_id, asked.public_id])
    sign_in(boss)
    page = html.unescape(_text(client.get(decide)))
    assert "Amira Haddad is restricted from processing" in page
    assert active_policy().sharing.step_up.while_restricted in page
    response = client.post(decide, {"decision": "approve", "manager_comment": ""})
    assert response.status_code == 200
    assert "Enter why the referral cannot wait for the restriction to be lifted" in _text(response)
    assert not Disclosure.objects.exists()
    response = client.post(
        decide,
        {"decision": "approve", "manager_comment": "", "restriction_reason": "Bruising seen"},
    )
    assert response.status_code == 302
    [mums] = services.log_of(family["mum"])
    shown = _text(client.get(reverse("sharing:disclosure", args=[mums.public_id])))
    assert "Shared while restricted" in shown and "Why it could not wait: Bruising seen" in shown


def test_the_sign_off_page_asks_no_restriction_reason_when_no_member_is_restricted(
    client, sign_in, request_as, case, requester, boss, assessment
):
    asked = _asked_step_up(request_as, case, requester)
    sign_in(boss)
    page = client.get(
        reverse("cases:decide_closure", args=[case.public_id, asked.public_id])
    ).content.decode()
    assert 'name="restriction_reason"' not in page


def test_a_reason_never_overrides_a_restriction_for_another_recipient_or_purpose(
    request_as, family, worker, restricted_mum
):
    setting = active_policy().sharing.step_up
    keys = [i.key for i in services.items_of(family["mum"])][:1]
    for recipient, purpose in (
        ("education", setting.purpose),
        (setting.recipient, "prevent-crime-and-fraud"),
    ):
        with pytest.raises(services.ShareRefused, match=r"^person: .*restricted from processing"):
            services.share(
                request_as(worker),
                family["mum"],
                recipient=recipient,
                purpose=purpose,
                item_keys=keys,
                method="secure_email",
                reference="EM-1",
                restriction_reason="Urgent",
            )
    assert not Disclosure.objects.exists()


def test_a_policy_ground_of_only_spaces_is_no_ground(
    request_as, case, requester, boss, assessment, restricted_mum, settings, tmp_path
):
    data = camden_dict()
    data["sharing"]["step_up"]["while_restricted"] = "   "
    settings.POLICY_PATH = write_policy(tmp_path, data)
    asked = _asked_step_up(request_as, case, requester)
    with pytest.raises(ValueError, match=r"^person: Amira Haddad's record is restricted"):
        closure.decide_closure(request_as(boss), asked, approve=True, restriction_reason="Urgent")
    assert not Disclosure.objects.exists()


def test_the_reason_has_the_disclosures_length_limit_on_the_form_and_in_the_service(
    client, sign_in, request_as, case, requester, boss, assessment, restricted_mum
):
    asked = _asked_step_up(request_as, case, requester)
    too_long = "x" * (services.TEXT_LIMIT + 1)
    with pytest.raises(ValueError, match=r"^restriction_reason: at most 4,000 characters"):
        closure.decide_closure(request_as(boss), asked, approve=True, restriction_reason=too_long)
    sign_in(boss)
    decide = reverse("cases:decide_closure", args=[case.public_id, asked.public_id])
    response = client.post(decide, {"decision": "approve", "restriction_reason": too_long})
    assert response.status_code == 200 and "restriction_reason" in response.context["form"].errors
    assert not Disclosure.objects.exists()


def test_the_sign_off_page_says_a_restriction_stops_a_step_up_the_policy_gives_no_ground_for(
    client, sign_in, request_as, case, requester, boss, assessment, restricted_mum, settings,
    tmp_path,
):  # fmt: skip
    data = camden_dict()
    del data["sharing"]["step_up"]["while_restricted"]
    settings.POLICY_PATH = write_policy(tmp_path, data)
    asked = _asked_step_up(request_as, case, requester)
    sign_in(boss)
    response = client.get(reverse("cases:decide_closure", args=[case.public_id, asked.public_id]))
    page = html.unescape(_text(response))
    assert "Amira Haddad is restricted from processing" in page
    assert "cannot be signed off until the information governance officer lifts" in page
    assert 'name="restriction_reason"' not in response.content.decode()


def test_the_logs_and_the_subject_access_copy_show_a_share_made_while_restricted(
    client, sign_in, request_as, case, family, requester, boss, assessment, restricted_mum,
    make_user,
):  # fmt: skip
    from earlyhelp.datamap.registry import entries_about, holding_for

    asked = _asked_step_up(request_as, case, requester)
    closure.decide_closure(request_as(boss), asked, approve=True, restriction_reason="Bruising")
    sign_in(boss)
    person_page = _text(client.get(reverse("people:person", args=[family["mum"].public_id])))
    assert "(while restricted from processing)" in person_page
    copy = str([e.as_json() for e, _ in entries_about(holding_for(Disclosure), [family["mum"]])])
    assert active_policy().sharing.step_up.while_restricted in copy and "Bruising" in copy
