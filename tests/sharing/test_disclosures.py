"""Sharing a person's records with a partner: the policy decides, the family is told by
default, not telling them waits for another team manager's approval, and every disclosure
is in the log, the audit trail and the subject export."""

from __future__ import annotations

import json
from datetime import date

import pytest

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.datamap.export import export_subject
from earlyhelp.rights.models import ProcessingRestriction
from earlyhelp.sharing import services
from earlyhelp.sharing.models import DisclosedItem, Disclosure
from earlyhelp.sharing.services import ShareRefused
from tests.factories import HealthConditionFactory, TeamFactory
from tests.policy import camden_dict, write_policy

SCHOOL = "education"
POLICE = "criminal-justice"
PURPOSE = "best-interests-and-health"
SENT = {"method": "secure_email", "reference": "EM-2026-0042"}


def _agreement(data: dict, agreement_id: str) -> dict:
    return next(a for a in data["agreements"] if a["id"] == agreement_id)


@pytest.fixture
def narrow_policy(settings, tmp_path):
    """The Camden policy with the schools' agreement changed by `change(agreement)`."""

    def use(change) -> None:
        data = camden_dict()
        change(_agreement(data, "notice-education"))
        settings.POLICY_PATH = write_policy(tmp_path, data)

    return use


def _refused_events(person) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action="share", record_id=str(person.public_id), details__refused=True
        )
    )


# --- the policy decides, and a refusal names the rule in words --------------------------------


def test_sharing_an_assessment_with_a_school_tells_the_family_in_the_policys_words(
    request_as, worker, family, assessment_key
):
    yusuf = family["yusuf"]
    disclosure = services.share(
        request_as(worker),
        yusuf,
        recipient=SCHOOL,
        purpose=PURPOSE,
        item_keys=[assessment_key],
        **SENT,
    )
    assert disclosure.status == Disclosure.Status.SHARED
    assert disclosure.family_told and disclosure.agreement == "notice-education"
    assert disclosure.categories == ["reports-and-plans"]
    assert disclosure.lawful_basis.startswith("UK GDPR Article 6(1)")
    letter = disclosure.letter
    assert "Yusuf Haddad" in letter
    assert "Education (including early years) and Schools" in letter or "Education" in letter
    assert "Reports relating to your situation" in letter  # the category's wording
    assert "act in your child's best interests" in letter.lower()
    assert disclosure.lawful_basis in letter
    assert "reports-and-plans" not in letter and "notice-education" not in letter
    assert [(i.record_model, i.categories) for i in disclosure.items.all()] == [
        ("cases.Assessment", ["reports-and-plans"])
    ]
    assert disclosure.sent_at is not None and disclosure.reference == "EM-2026-0042"


def test_no_agreement_for_the_purpose_refuses_naming_the_purpose_in_words(
    request_as, worker, family, assessment_key, narrow_policy
):
    narrow_policy(lambda a: a.update(purposes=["child-views"]))
    with pytest.raises(ShareRefused) as refused:
        services.share(
            request_as(worker),
            family["yusuf"],
            recipient=SCHOOL,
            purpose=PURPOSE,
            item_keys=[assessment_key],
            **SENT,
        )
    message = str(refused.value)
    assert message.startswith("recipient: No agreement with")
    assert "act in your child's best interests" in message
    assert Disclosure.objects.count() == 0
    assert [e.rule for e in _refused_events(family["yusuf"])] == ["rule:share-needs-agreement"]


def test_a_category_the_agreement_does_not_cover_refuses_naming_the_category_in_words(
    request_as, worker, family, assessment_key, narrow_policy
):
    narrow_policy(lambda a: a.update(categories=["identity-and-contact"]))
    with pytest.raises(ShareRefused) as refused:
        services.share(
            request_as(worker),
            family["yusuf"],
            recipient=SCHOOL,
            purpose=PURPOSE,
            item_keys=[assessment_key],
            **SENT,
        )
    message = str(refused.value)
    assert message.startswith("items: No single agreement")
    assert "Reports relating to your situation" in message
    assert "reports-and-plans" not in message and "notice-education" not in message
    assert Disclosure.objects.count() == 0
    assert len(_refused_events(family["yusuf"])) == 1


def test_an_expired_agreement_refuses(request_as, worker, family, assessment_key, narrow_policy):
    narrow_policy(lambda a: a.update(valid_to=date(2025, 3, 31)))
    with pytest.raises(ShareRefused, match=r"^recipient: No agreement with .* is in force on"):
        services.share(
            request_as(worker),
            family["yusuf"],
            recipient=SCHOOL,
            purpose=PURPOSE,
            item_keys=[assessment_key],
            **SENT,
        )
    assert Disclosure.objects.count() == 0


def test_a_person_restricted_by_a_rights_request_cannot_be_shared(
    request_as, worker, family, assessment_key, make_user
):
    ProcessingRestriction.objects.create(
        person=family["yusuf"],
        reason="Says the assessment is wrong",
        started_on=date(2026, 11, 1),
        created_by=make_user("ines", Role.INFORMATION_GOVERNANCE),
    )
    with pytest.raises(ShareRefused, match=r"^person: .*restricted from processing"):
        services.share(
            request_as(worker),
            family["yusuf"],
            recipient=SCHOOL,
            purpose=PURPOSE,
            item_keys=[assessment_key],
            **SENT,
        )
    assert Disclosure.objects.count() == 0


def test_a_worker_without_need_to_know_access_cannot_share(
    request_as, make_user, family, assessment_key
):
    outsider = make_user("olu", Role.PRACTITIONER)
    TeamFactory(name="South youth", service="iyss").members.add(outsider)
    with pytest.raises(ShareRefused, match=r"^person: you do not have need-to-know access"):
        services.share(
            request_as(outsider),
            family["yusuf"],
            recipient=SCHOOL,
            purpose=PURPOSE,
            item_keys=[assessment_key],
            **SENT,
        )
    assert Disclosure.objects.count() == 0


def test_an_information_governance_officer_does_not_share(
    request_as, make_user, family, assessment_key
):
    officer = make_user("ines", Role.INFORMATION_GOVERNANCE)
    with pytest.raises(ShareRefused, match=r"^person: only practitioners and team managers"):
        services.share(
            request_as(officer),
            family["yusuf"],
            recipient=SCHOOL,
            purpose=PURPOSE,
            item_keys=[assessment_key],
            **SENT,
        )


def test_a_record_not_the_persons_own_cannot_be_chosen(request_as, worker, family):
    mums_key = f"people.Person:{family['mum'].pk}"
    with pytest.raises(ShareRefused, match=r"^items: choose from the records listed"):
        services.share(
            request_as(worker),
            family["yusuf"],
            recipient=SCHOOL,
            purpose=PURPOSE,
            item_keys=[mums_key],
            **SENT,
        )


def test_a_health_record_is_not_listed_to_a_worker_without_need_to_know_for_it(
    make_user, team, family, worker
):
    health = HealthConditionFactory(person=family["yusuf"])
    colleague = make_user("cole", Role.PRACTITIONER)  # in the team, not allocated
    team.members.add(colleague)
    key = f"people.HealthCondition:{health.pk}"
    assert key in {i.key for i in services.items_of(family["yusuf"], worker)}
    assert key not in {i.key for i in services.items_of(family["yusuf"], colleague)}


def test_a_health_record_shared_names_the_article_9_condition_in_its_lawful_basis(
    request_as, worker, family
):
    health = HealthConditionFactory(person=family["yusuf"])
    disclosure = services.share(
        request_as(worker),
        family["yusuf"],
        recipient="health",
        purpose=PURPOSE,
        item_keys=[f"people.HealthCondition:{health.pk}"],
        **SENT,
    )
    assert "Article 9(2)" in disclosure.lawful_basis
    assert "Article 9(2)" in disclosure.letter


def test_the_form_shows_each_purposes_conditions_for_special_and_criminal_data():
    from earlyhelp.policy.active import active_policy

    rows = {row["purpose"]: row for row in services.conditions(active_policy())}
    best_interests = rows[
        "Act in your child's best interests and promote their physical and mental health"
    ]
    assert "Article 9(2)(g)" in best_interests["special"]
    assert "paragraph 18 (Safeguarding of children" in best_interests["special"]
    assert best_interests["criminal"].startswith("UK GDPR Article 10, ")
    # eyLog clips rest on consent: the policy names no Article 10 authority for them.
    nursery = next(row for name, row in rows.items() if name.startswith("Help you to be a part"))
    assert nursery["criminal"].startswith("None named")


def test_a_reference_is_needed_for_secure_email(request_as, worker, family, assessment_key):
    with pytest.raises(ShareRefused, match=r"^reference: "):
        services.share(
            request_as(worker),
            family["yusuf"],
            recipient=SCHOOL,
            purpose=PURPOSE,
            item_keys=[assessment_key],
            method="secure_email",
            reference=" ",
        )


# --- not telling the family: an exemption, a reason, another manager's approval --------------


def _not_told(request_as, user, family, key, exemption="asking-police-for-information"):
    return services.share(
        request_as(user),
        family["yusuf"],
        recipient=POLICE,
        purpose=PURPOSE,
        item_keys=[key],
        tell_family=False,
        exemption=exemption,
        exemption_reason="Police enquiry under way; telling the family would prejudice it",
    )


def test_not_telling_the_family_waits_and_cannot_leave_before_a_manager_approves(
    request_as, worker, boss, family, assessment_key
):
    disclosure = _not_told(request_as, worker, family, assessment_key)
    assert disclosure.status == Disclosure.Status.WAITING
    assert not disclosure.family_told and disclosure.letter == ""
    assert disclosure.sent_at is None
    with pytest.raises(ShareRefused, match=r"^status: the information may leave only once"):
        services.record_sent(request_as(worker), disclosure, **SENT)
    assert list(services.waiting_for(boss)) == [disclosure]

    services.decide_approval(request_as(boss), disclosure, approve=True)
    disclosure.refresh_from_db()
    assert disclosure.status == Disclosure.Status.APPROVED and disclosure.decided_by == boss
    assert list(services.waiting_for(boss)) == []

    services.record_sent(request_as(worker), disclosure, **SENT)
    disclosure.refresh_from_db()
    assert disclosure.status == Disclosure.Status.SHARED and disclosure.sent_by == worker
    actions = list(
        AuditEvent.objects.filter(details__disclosure=str(disclosure.public_id))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "change", "share"]


def test_a_manager_cannot_approve_their_own_disclosure(request_as, boss, family, assessment_key):
    disclosure = _not_told(request_as, boss, family, assessment_key)
    assert list(services.waiting_for(boss)) == []
    with pytest.raises(ShareRefused, match=r"^decision: you made this disclosure"):
        services.decide_approval(request_as(boss), disclosure, approve=True)
    disclosure.refresh_from_db()
    assert disclosure.status == Disclosure.Status.WAITING


def test_a_manager_of_another_team_cannot_approve(
    request_as, worker, make_user, family, assessment_key
):
    disclosure = _not_told(request_as, worker, family, assessment_key)
    stranger = make_user("stan", Role.TEAM_MANAGER)
    TeamFactory(name="South youth", service="iyss").members.add(stranger)
    with pytest.raises(ShareRefused, match=r"^decision: only a manager of a team holding"):
        services.decide_approval(request_as(stranger), disclosure, approve=True)


def test_a_refused_approval_needs_a_reason_and_the_information_never_leaves(
    request_as, worker, boss, family, assessment_key
):
    disclosure = _not_told(request_as, worker, family, assessment_key)
    with pytest.raises(ShareRefused, match=r"^note: say why"):
        services.decide_approval(request_as(boss), disclosure, approve=False, note="")
    services.decide_approval(
        request_as(boss), disclosure, approve=False, note="The family should be told"
    )
    disclosure.refresh_from_db()
    assert disclosure.status == Disclosure.Status.APPROVAL_REFUSED
    with pytest.raises(ShareRefused, match=r"^status: "):
        services.record_sent(request_as(worker), disclosure, **SENT)


def test_an_exemption_the_agreement_does_not_allow_is_refused(
    request_as, worker, family, assessment_key
):
    # The schools' agreement allows only the safeguarding alert.
    with pytest.raises(ShareRefused, match=r"^exemption: .*does not allow the exemption"):
        services.share(
            request_as(worker),
            family["yusuf"],
            recipient=SCHOOL,
            purpose=PURPOSE,
            item_keys=[assessment_key],
            tell_family=False,
            exemption="asking-police-for-information",
            exemption_reason="Police asked",
        )
    assert Disclosure.objects.count() == 0


def test_not_telling_without_an_exemption_or_a_reason_is_refused(
    request_as, worker, family, assessment_key
):
    with pytest.raises(ShareRefused, match=r"^exemption: "):
        _not_told(request_as, worker, family, assessment_key, exemption="")
    with pytest.raises(ShareRefused, match=r"^exemption_reason: "):
        services.share(
            request_as(worker),
            family["yusuf"],
            recipient=POLICE,
            purpose=PURPOSE,
            item_keys=[assessment_key],
            tell_family=False,
            exemption="asking-police-for-information",
            exemption_reason="",
        )
    assert Disclosure.objects.count() == 0


def test_approval_asks_the_policy_again_on_the_day(
    request_as, worker, boss, family, assessment_key, settings, tmp_path
):
    disclosure = _not_told(request_as, worker, family, assessment_key)
    data = camden_dict()
    _agreement(data, "notice-criminal-justice")["valid_to"] = date(2025, 3, 31)
    settings.POLICY_PATH = write_policy(tmp_path, data)
    with pytest.raises(ShareRefused, match=r"^recipient: No agreement with"):
        services.decide_approval(request_as(boss), disclosure, approve=True)
    disclosure.refresh_from_db()
    assert disclosure.status == Disclosure.Status.WAITING


# --- the log ----------------------------------------------------------------------------------


def test_a_decision_not_to_share_is_logged_with_its_reason(
    request_as, worker, family, assessment_key
):
    decided = services.record_not_sharing(
        request_as(worker),
        family["yusuf"],
        recipient=POLICE,
        purpose=PURPOSE,
        reason="Sharing would put Yusuf at more risk",
        item_keys=[assessment_key],
        more_detrimental=True,  # s.16LA is in force (the policy's date)
    )
    assert decided.status == Disclosure.Status.NOT_SHARED
    assert decided.not_shared_reason.startswith("Sharing would be more detrimental to the child")
    assert decided.not_shared_reason.endswith(": Sharing would put Yusuf at more risk")
    assert list(services.log_of(family["yusuf"])) == [decided]
    with pytest.raises(ShareRefused, match=r"^reason: "):
        services.record_not_sharing(
            request_as(worker), family["yusuf"], recipient=POLICE, purpose=PURPOSE, reason=""
        )


def test_every_disclosure_is_in_the_log_the_audit_trail_and_the_subject_export(
    request_as, worker, family, assessment_key, make_user, tmp_path
):
    yusuf = family["yusuf"]
    shared = services.share(
        request_as(worker),
        yusuf,
        recipient=SCHOOL,
        purpose=PURPOSE,
        item_keys=[assessment_key],
        **SENT,
    )
    waiting = _not_told(request_as, worker, family, assessment_key)
    not_shared = services.record_not_sharing(
        request_as(worker),
        yusuf,
        recipient="voluntary-sector",
        purpose=PURPOSE,
        reason="More detrimental to Yusuf than not sharing",
        more_detrimental=True,
    )
    made = {shared, waiting, not_shared}
    assert set(services.log_of(yusuf)) == made

    for disclosure in made:
        event = AuditEvent.objects.get(details__disclosure=str(disclosure.public_id))
        assert event.record_type == "person" and event.record_id == str(yusuf.public_id)
        assert event.actor == worker and event.purpose == PURPOSE
    shared_event = AuditEvent.objects.get(action="share", details__disclosure=str(shared.public_id))
    assert shared_event.rule == "agreement:notice-education"
    assert shared_event.categories == ["reports-and-plans"]
    assert shared_event.details["items"] == [["cases.Assessment", assessment_key.split(":")[1]]]

    officer = make_user("ines", Role.INFORMATION_GOVERNANCE)
    exported = json.loads(export_subject(yusuf, tmp_path, officer).path.read_text())
    rows = {h["model"]: h["rows"] for h in exported["holdings"]}
    assert {r["id"] for r in rows["sharing.Disclosure"]} == {d.pk for d in made}
    said = {f["label"]: f["value"] for f in rows["sharing.Disclosure"][0]["fields"]}
    assert "Shared with" in said and "Purpose" in said
    assert "notice-education" not in json.dumps(rows["sharing.Disclosure"])
    assert len(rows["sharing.DisclosedItem"]) == DisclosedItem.objects.count() == 2


def test_a_disclosure_about_a_duplicate_follows_it_into_the_record_it_is_merged_into(
    request_as, worker, family, make_user
):
    from earlyhelp.people.merge import merge_people
    from tests.factories import PersonFactory

    yusuf = family["yusuf"]
    duplicate = PersonFactory(
        given_name="Yusef",
        family_name="Haddad",
        date_of_birth=yusuf.date_of_birth,
        unidentified=True,
    )
    shared = services.share(
        request_as(worker),
        duplicate,
        recipient=SCHOOL,
        purpose=PURPOSE,
        item_keys=[f"people.Person:{duplicate.pk}"],
        **SENT,
    )
    assert list(services.log_of(yusuf)) == []
    merge_people(yusuf, duplicate, make_user("mo", Role.TEAM_MANAGER), "Same child")
    assert list(services.log_of(yusuf)) == [shared]
