"""A parent's consent to each use of their nursery child's photos and videos: given,
refused or withdrawn use by use, against the words in force, by someone with parental
responsibility; a new use or new words need asking again (UK GDPR Articles 6(1)(a), 7)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.consent import services
from earlyhelp.consent.models import MediaConsent
from earlyhelp.policy.active import active_policy
from tests.policy import camden_dict, write_policy

OWN = "own-learning-journey"
OTHERS = "in-other-childrens-clips"
TODAY = timezone.localdate


def _decide(request_as, user, child, parent, use=OWN, decision="given", on=None):
    return services.record_decision(
        request_as(user),
        child,
        given_by=parent,
        use_id=use,
        decision=decision,
        how="paper_form",
        decided_on=on or TODAY(),
    )


def _eylog(data: dict) -> dict:
    return next(c for c in data["consent_processing"] if c["id"] == "eylog")


def test_a_consent_given_covers_its_own_use_only(request_as, key_person, family):
    leila = family["leila"]
    _decide(request_as, key_person, leila, family["mum"])
    assert services.consent_in_force(leila, OWN)
    assert not services.consent_in_force(leila, OTHERS)
    by_use = {s.use.id: s.status for s in services.standing(leila)}
    assert by_use == {OWN: "Given", OTHERS: "Not asked", "display-in-nursery": "Not asked"}


def test_the_decision_keeps_the_words_asked_about_and_is_audited_against_the_child(
    request_as, key_person, family
):
    made = _decide(request_as, key_person, family["leila"], family["mum"])
    use = active_policy().consent_processing[0].consent_use(OWN)
    assert (made.text_version, made.wording) == (use.texts[-1].version, use.texts[-1].wording)
    events = AuditEvent.objects.filter(action="create", details__use=OWN)
    # Against the child, whose record holds it, and the parent, whose decision it is.
    assert set(events.values_list("record_id", flat=True)) == {
        str(family["leila"].public_id),
        str(family["mum"].public_id),
    }
    for event in events:
        assert event.details["given_by"] == str(family["mum"].public_id)
        assert (event.details["use"], event.details["decision"]) == (OWN, "given")


def test_a_withdrawal_stops_the_consent_at_once_and_needs_one_in_force(
    request_as, key_person, family
):
    leila = family["leila"]
    _decide(request_as, key_person, leila, family["mum"], on=TODAY() - timedelta(days=3))
    services.withdraw(request_as(key_person), leila, given_by=family["dad"], use_id=OWN, how="app")
    assert not services.consent_in_force(leila, OWN)
    [row] = [s for s in services.standing(leila) if s.use.id == OWN]
    assert row.status == "Withdrawn" and "Tomasz Nowak" in row.why
    with pytest.raises(services.ConsentRefused, match=r"^use: there is no consent"):
        services.withdraw(
            request_as(key_person), leila, given_by=family["mum"], use_id=OWN, how="app"
        )


def test_a_refusal_is_recorded_and_covers_nothing(request_as, key_person, family):
    _decide(request_as, key_person, family["leila"], family["mum"], use=OTHERS, decision="refused")
    assert not services.consent_in_force(family["leila"], OTHERS)
    [row] = [s for s in services.standing(family["leila"]) if s.use.id == OTHERS]
    assert row.status == "Refused"


def test_new_words_for_a_use_mean_asking_again(
    request_as, key_person, nursery_manager, family, settings, tmp_path
):
    leila = family["leila"]
    _decide(request_as, key_person, leila, family["mum"], on=TODAY() - timedelta(days=10))
    data = camden_dict()
    own = next(u for u in _eylog(data)["uses"] if u["id"] == OWN)
    own["texts"].append(
        {
            "version": "2026-12",
            "in_force_from": TODAY() - timedelta(days=1),
            "wording": "I agree that the nursery may share photos and videos of my child with me.",
        }
    )
    settings.POLICY_PATH = write_policy(tmp_path, data)
    assert not services.consent_in_force(leila, OWN)
    [row] = [s for s in services.standing(leila) if s.use.id == OWN]
    assert row.status == "Ask again" and "the words of this consent changed" in row.why
    [listed], hidden = services.to_ask(nursery_manager)
    assert listed.child == leila and hidden == []
    assert OWN in {s.use.id for s in listed.ask}
    again = _decide(request_as, key_person, leila, family["mum"])
    assert again.text_version == "2026-12" and services.consent_in_force(leila, OWN)


def test_a_use_added_to_the_policy_has_no_consent_until_a_parent_gives_one(
    request_as, key_person, family, settings, tmp_path
):
    leila = family["leila"]
    for use in (OWN, OTHERS, "display-in-nursery"):
        _decide(request_as, key_person, leila, family["mum"], use=use)
    data = camden_dict()
    _eylog(data)["uses"].append(
        {
            "id": "nursery-newsletter",
            "name": "Photos of your child in the nursery's newsletter",
            "texts": [
                {
                    "version": "2026-12",
                    "in_force_from": date(2026, 1, 1),
                    "wording": "I agree that photos of my child may appear in the newsletter.",
                }
            ],
        }
    )
    settings.POLICY_PATH = write_policy(tmp_path, data)
    assert not services.consent_in_force(leila, "nursery-newsletter")
    assert services.consent_in_force(leila, OWN)


def test_a_consent_given_long_ago_is_due_to_be_confirmed_but_still_in_force(
    request_as, key_person, nursery_manager, family
):
    months = active_policy().consent_processing[0].confirm_after_months
    long_ago = TODAY() - timedelta(days=31 * months + 2)
    _decide(request_as, key_person, family["leila"], family["mum"], on=long_ago)
    assert services.consent_in_force(family["leila"], OWN)
    [listed], _ = services.to_ask(nursery_manager)
    assert [s.use.id for s in listed.confirm] == [OWN]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"use": "facebook"}, "use"),
        ({"decision": "maybe"}, "decision"),
        ({"how": "pigeon"}, "how"),
        ({"on": date(2099, 1, 1)}, "decided_on"),
        ({"on": date(2023, 1, 1)}, "decided_on"),  # before Leila was born
        ({"on": date(2023, 6, 1)}, "use"),  # before the use's words were in force
    ],
)
def test_a_decision_breaking_a_rule_names_the_field_and_writes_nothing(
    request_as, key_person, family, change, field
):
    kwargs = {
        "given_by": family["mum"],
        "use_id": change.get("use", OWN),
        "decision": change.get("decision", "given"),
        "how": change.get("how", "paper_form"),
        "decided_on": change.get("on", TODAY()),
    }
    with pytest.raises(services.ConsentRefused, match=rf"^{field}: "):
        services.record_decision(request_as(key_person), family["leila"], **kwargs)
    assert not MediaConsent.objects.exists()
    assert not AuditEvent.objects.filter(details__has_key="consent").exists()


def test_only_someone_with_parental_responsibility_decides(request_as, key_person, family):
    # Yusuf is Leila's brother: no parental responsibility.
    with pytest.raises(services.ConsentRefused, match=r"^given_by: choose a person recorded"):
        _decide(request_as, key_person, family["leila"], family["yusuf"])
    assert not MediaConsent.objects.exists()


def test_a_child_not_at_the_nursery_is_not_asked(request_as, key_person, family):
    # Yusuf is on no case of the nursery service.
    with pytest.raises(services.ConsentRefused, match=r"^child: Yusuf Haddad is not on"):
        _decide(request_as, key_person, family["yusuf"], family["mum"])


def test_a_decision_dated_before_the_one_standing_is_refused(request_as, key_person, family):
    _decide(request_as, key_person, family["leila"], family["mum"])
    with pytest.raises(services.ConsentRefused, match=r"^decided_on: a later decision"):
        _decide(
            request_as, key_person, family["leila"], family["dad"], decision="refused",
            on=TODAY() - timedelta(days=5),
        )  # fmt: skip
    assert MediaConsent.objects.count() == 1


def test_a_policy_whose_use_words_are_out_of_order_is_refused(tmp_path):
    from earlyhelp.policy.loader import PolicyError, load_policy

    data = camden_dict()
    own = next(u for u in _eylog(data)["uses"] if u["id"] == OWN)
    own["texts"].insert(
        0, {"version": "2030-01", "in_force_from": date(2030, 1, 1), "wording": "Later words."}
    )
    with pytest.raises(PolicyError, match="oldest first"):
        load_policy(write_policy(tmp_path, data))


def test_a_policy_asking_parents_of_an_unknown_service_is_refused(tmp_path):
    from earlyhelp.policy.loader import PolicyError, load_policy

    data = camden_dict()
    _eylog(data)["services"] = ["no-such-service"]
    with pytest.raises(PolicyError, match="services"):
        load_policy(write_policy(tmp_path, data))


def test_a_parent_may_withdraw_after_the_child_has_left_the_nursery(
    request_as, key_person, family, nursery_case
):
    leila = family["leila"]
    _decide(request_as, key_person, leila, family["mum"], on=TODAY() - timedelta(days=2))
    nursery_case.ended = TODAY() - timedelta(days=1)
    nursery_case.save(update_fields=["ended"])
    with pytest.raises(services.ConsentRefused, match=r"^child: Leila Haddad is not on"):
        _decide(request_as, key_person, leila, family["mum"], use=OTHERS)
    services.withdraw(request_as(key_person), leila, given_by=family["mum"], use_id=OWN, how="app")
    assert not services.consent_in_force(leila, OWN)


def test_a_child_restricted_from_processing_gets_no_new_consent_but_a_withdrawal_stands(
    request_as, key_person, family, make_user
):
    from earlyhelp.access.roles import Role
    from earlyhelp.rights.models import ProcessingRestriction

    leila = family["leila"]
    _decide(request_as, key_person, leila, family["mum"], on=TODAY() - timedelta(days=2))
    ProcessingRestriction.objects.create(
        person=leila,
        reason="Accuracy disputed",
        started_on=TODAY() - timedelta(days=1),
        created_by=make_user("ines", Role.INFORMATION_GOVERNANCE),
    )
    with pytest.raises(
        services.ConsentRefused, match=r"^child: Leila Haddad's record is restricted"
    ):
        _decide(request_as, key_person, leila, family["mum"], use=OTHERS)
    services.withdraw(request_as(key_person), leila, given_by=family["mum"], use_id=OWN, how="app")
    assert not services.consent_in_force(leila, OWN)
    assert MediaConsent.objects.count() == 2


def test_a_parent_restricted_from_processing_gives_no_new_consent(
    request_as, key_person, family, make_user
):
    from earlyhelp.access.roles import Role
    from earlyhelp.rights.models import ProcessingRestriction

    ProcessingRestriction.objects.create(
        person=family["mum"],
        reason="Accuracy disputed",
        started_on=TODAY() - timedelta(days=1),
        created_by=make_user("ines", Role.INFORMATION_GOVERNANCE),
    )
    with pytest.raises(services.ConsentRefused, match=r"^given_by: Amira Haddad's record"):
        _decide(request_as, key_person, family["leila"], family["mum"])
    assert not MediaConsent.objects.exists()


def test_a_consent_to_words_since_changed_is_withdrawn_against_the_words_it_was_given_to(
    request_as, key_person, family, settings, tmp_path
):
    leila = family["leila"]
    given = _decide(request_as, key_person, leila, family["mum"], on=TODAY() - timedelta(days=5))
    data = camden_dict()
    own = next(u for u in _eylog(data)["uses"] if u["id"] == OWN)
    own["texts"].append(
        {"version": "2026-12", "in_force_from": TODAY() - timedelta(days=1), "wording": "New."}
    )
    settings.POLICY_PATH = write_policy(tmp_path, data)
    [row] = [s for s in services.standing(leila) if s.use.id == OWN]
    assert row.status == "Ask again" and row.withdrawable
    gone = services.withdraw(
        request_as(key_person), leila, given_by=family["dad"], use_id=OWN, how="app"
    )
    assert (gone.text_version, gone.wording) == (given.text_version, given.wording)


def test_a_use_whose_words_start_later_is_not_asked_about_before_then(
    request_as, key_person, nursery_manager, family, settings, tmp_path
):
    leila = family["leila"]
    data = camden_dict()
    _eylog(data)["uses"].append(
        {
            "id": "nursery-newsletter",
            "name": "Photos of your child in the nursery's newsletter",
            "texts": [
                {
                    "version": "2027-01",
                    "in_force_from": TODAY() + timedelta(days=30),
                    "wording": "Later.",
                }
            ],
        }
    )
    settings.POLICY_PATH = write_policy(tmp_path, data)
    for use in (OWN, OTHERS, "display-in-nursery"):
        _decide(request_as, key_person, leila, family["mum"], use=use)
    [row] = [s for s in services.standing(leila) if s.use.id == "nursery-newsletter"]
    assert row.status == "Not in force yet" and not row.to_ask
    assert services.to_ask(nursery_manager) == ([], [])
    with pytest.raises(
        services.ConsentRefused, match=r"^use: parents are asked about this use from"
    ):
        _decide(request_as, key_person, leila, family["mum"], use="nursery-newsletter")


def test_a_consent_from_someone_whose_parental_responsibility_was_corrected_away_is_asked_again(
    request_as, key_person, family
):
    from earlyhelp.people.models import Relationship

    leila = family["leila"]
    _decide(request_as, key_person, leila, family["dad"])
    Relationship.objects.filter(person=family["dad"], relative=leila).update(
        has_parental_responsibility=False
    )
    assert not services.consent_in_force(leila, OWN)
    [row] = [s for s in services.standing(leila) if s.use.id == OWN]
    assert (
        row.status == "Ask again" and "no longer recorded with parental responsibility" in row.why
    )


def test_only_children_of_the_age_the_policy_names_are_asked_about(
    request_as, key_person, nursery_manager, family, nursery_case
):
    from earlyhelp.cases.choices import CaseRole
    from earlyhelp.cases.models import CaseMember

    # Yusuf (10) on the nursery's case too, as an older brother: not asked about.
    CaseMember.objects.create(case=nursery_case, person=family["yusuf"], role=CaseRole.CHILD)
    under = active_policy().consent_processing[0].children_under
    assert family["yusuf"].date_of_birth.year < TODAY().year - under
    assert not services.at_nursery(family["yusuf"])
    listed, _ = services.to_ask(nursery_manager)
    assert [row.child for row in listed] == [family["leila"]]
    with pytest.raises(services.ConsentRefused, match=r"^child: Yusuf Haddad is not on"):
        _decide(request_as, key_person, family["yusuf"], family["mum"])


def test_a_consent_in_force_on_a_day_is_the_decision_standing_that_day(
    request_as, key_person, family
):
    leila = family["leila"]
    _decide(request_as, key_person, leila, family["mum"], on=TODAY() - timedelta(days=10))
    services.withdraw(
        request_as(key_person), leila, given_by=family["mum"], use_id=OWN, how="app",
        decided_on=TODAY() - timedelta(days=2),
    )  # fmt: skip
    assert services.consent_in_force(leila, OWN, TODAY() - timedelta(days=5))
    assert not services.consent_in_force(leila, OWN, TODAY() - timedelta(days=2))
    assert not services.consent_in_force(leila, OWN, TODAY() - timedelta(days=11))
