"""Sharing is allowed only under an agreement in force that covers recipient, purpose and data."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from earlyhelp.policy.decisions import Decision, ShareDecision, decide_share, may_withhold_notice
from earlyhelp.policy.loader import policy_from_dict
from earlyhelp.policy.schema import Agreement, Policy, Purpose

from . import STATUTORY_BASIS, TODAY, camden_policy, small_policy_dict

KINDS = ["personal", "special_category", "criminal_offence"]
FIRST_DAY = date(2020, 1, 1)
CONSENT_BASIS = {"article_6": ["6(1)(a)"], "article_9": [{"condition": "9(2)(a)"}]}


@pytest.fixture(scope="module")
def camden() -> Policy:
    return camden_policy()


@dataclass(frozen=True)
class ShareRequest:
    policy: Policy
    recipient: str
    purpose: str
    categories: list[str]
    on_date: date
    consent_given: bool
    miss: str | None

    def decide(self) -> ShareDecision:
        return decide_share(
            self.policy,
            self.recipient,
            self.purpose,
            self.categories,
            self.on_date,
            consent_given=self.consent_given,
        )


def _subset(draw: Any, items: list[str]) -> list[str]:
    return draw(st.lists(st.sampled_from(items), min_size=1, unique=True))


@st.composite
def policies(draw: Any, open_ended: bool = True) -> Policy:
    """Small valid policies with varied categories, purposes, recipients and agreements.

    One to four agreements start within about five years of FIRST_DAY; each covers one or two
    purposes and some of the categories those purposes use. One recipient has no agreement.
    ``open_ended=False`` gives every agreement an end date.
    """
    data = small_policy_dict()
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=5))
    categories = [f"cat-{i}" for i in range(len(kinds))]
    data["categories"] = [
        {"id": c, "kind": k, "wording": f"Category {c}", "sources": ["family"]}
        for c, k in zip(categories, kinds, strict=True)
    ]
    purposes = []
    for i in range(draw(st.integers(1, 3))):
        used = _subset(draw, categories)
        if i == 0:  # every category must serve a purpose
            used = categories
        # A consent-based purpose may use special category data (explicit consent, 9(2)(a))
        # but not criminal offence data, which would need an Article 10 route.
        consent = i > 0 and all(kinds[categories.index(c)] != "criminal_offence" for c in used)
        consent = consent and draw(st.booleans())
        purposes.append(
            {
                "id": f"purpose-{i}",
                "wording": f"purpose {i}",
                "consent_based": consent,
                "categories": used,
                "data_subjects": ["child"],
                "lawful_basis": CONSENT_BASIS if consent else STATUTORY_BASIS,
                "laws": [] if consent else ["children-act-1989"],
            }
        )
    data["purposes"] = purposes
    recipients = [f"recipient-{i}" for i in range(draw(st.integers(1, 3)))]
    data["recipients"] = [
        {
            "id": r,
            "name": f"Recipient {r}",
            "kind": "other_public_body",
            "wording": r,
            "in_sharing_list": True,
        }
        for r in [*recipients, "recipient-without-agreement"]
    ]
    agreements = []
    for i in range(draw(st.integers(1, 4))):
        chosen = draw(st.lists(st.sampled_from(purposes), min_size=1, max_size=2, unique_by=id))
        usable = list(dict.fromkeys(c for p in chosen for c in p["categories"]))
        start = FIRST_DAY + timedelta(days=draw(st.integers(0, 2000)))
        length = draw(st.integers(1, 1500) | (st.none() if open_ended else st.nothing()))
        agreements.append(
            {
                "id": f"agreement-{i}",
                "name": f"Agreement {i}",
                "recipient": draw(st.sampled_from(recipients)),
                "purposes": [p["id"] for p in chosen],
                "categories": _subset(draw, usable),
                "valid_from": start,
                "valid_to": None if length is None else start + timedelta(days=length),
                "family_told_by_default": draw(st.booleans()),
            }
        )
    data["agreements"] = agreements
    return policy_from_dict(data)


# Days past a boundary: the first day past it about half the time, else up to about 8 years.
days_past = st.just(1) | st.integers(2, 3000)


def _day_in_force(draw: Any, agreement: Agreement) -> date:
    """A day the agreement is in force: its first day, its last day, or one between."""
    first, last = agreement.valid_from, agreement.valid_to
    span = (last - first).days if last else 3000
    choices = [st.just(first), st.integers(0, span).map(lambda d: first + timedelta(days=d))]
    if last is not None:
        choices.append(st.just(last))
    return draw(st.one_of(choices))


def _covered_by(draw: Any, policy: Policy, agreement: Agreement) -> tuple[Purpose, list[str]]:
    """One of the agreement's purposes and some categories both it and the agreement cover
    (repeats allowed, as a caller might send them)."""
    first = draw(st.sampled_from(agreement.categories))
    serving = [p for p in map(policy.purpose, agreement.purposes) if first in p.categories]
    purpose = draw(st.sampled_from(serving))
    shared = [c for c in agreement.categories if c in purpose.categories]
    return purpose, [first, *draw(st.lists(st.sampled_from(shared), max_size=3))]


@st.composite
def share_requests(draw: Any, miss_always: bool) -> ShareRequest:
    """A request built from one of the policy's agreements, then perhaps moved off it.

    Without a miss the request is covered by construction: the agreement's recipient, one of
    its purposes, categories that agreement and purpose both cover, a day it is in force, and
    consent where the purpose rests on it. A miss changes exactly one of those, chosen among
    the changes this policy allows, so each kind of refusal is reached; ``miss_always=False``
    leaves about half the requests as they were built.
    """
    policy = draw(policies())
    agreement = draw(st.sampled_from(policy.agreements))
    purpose, categories = _covered_by(draw, policy, agreement)
    request = {
        "policy": policy,
        "recipient": agreement.recipient,
        "purpose": purpose.id,
        "categories": categories,
        "on_date": _day_in_force(draw, agreement),
        "consent_given": purpose.consent_based or draw(st.booleans()),
    }
    others = [r.id for r in policy.recipients if r.id != agreement.recipient]
    purposes = [p for p in policy.purposes if p.id != purpose.id]
    narrower = [p.id for p in purposes if not set(categories) <= set(p.categories)]
    outside = [c.id for c in policy.categories if c.id not in agreement.categories]
    misses: dict[str, tuple[str, st.SearchStrategy[Any]]] = {
        "unknown recipient": ("recipient", st.just("unknown-body")),
        "another recipient": ("recipient", st.sampled_from(others)),
        "unknown purpose": ("purpose", st.just("unknown-purpose")),
        "undeclared category": ("categories", st.just([*categories, "undeclared-category"])),
        "no categories": ("categories", st.just([])),
        "before the agreement starts": (
            "on_date",
            days_past.map(lambda d: agreement.valid_from - timedelta(days=d)),
        ),
    }
    if purposes:
        misses["another purpose"] = ("purpose", st.sampled_from([p.id for p in purposes]))
    if narrower:
        misses["a purpose not using a category"] = ("purpose", st.sampled_from(narrower))
    if outside:
        misses["a category outside the agreement"] = (
            "categories",
            st.sampled_from(outside).map(lambda c: [*categories, c]),
        )
    if agreement.valid_to is not None:
        misses["after the agreement ends"] = (
            "on_date",
            days_past.map(lambda d: agreement.valid_to + timedelta(days=d)),
        )
    if purpose.consent_based:
        misses["no consent"] = ("consent_given", st.just(False))
    names = st.sampled_from(sorted(misses))
    miss = draw(names if miss_always else st.none() | names)
    if miss is not None:
        key, value = misses[miss]
        request[key] = draw(value)
    return ShareRequest(**request, miss=miss)


def covered(request: ShareRequest) -> bool:
    """The rule of the notice, stated directly: a share is allowed only under one agreement in
    force that day which covers the recipient, the purpose and every category, for a purpose
    that uses them, with consent recorded where the purpose rests on consent."""
    policy, wanted = request.policy, set(request.categories)
    purpose = next((p for p in policy.purposes if p.id == request.purpose), None)
    if not wanted or purpose is None or not wanted <= set(purpose.categories):
        return False
    if purpose.consent_based and not request.consent_given:
        return False
    return any(
        a.recipient == request.recipient
        and request.purpose in a.purposes
        and wanted <= set(a.categories)
        and a.valid_from <= request.on_date
        and (a.valid_to is None or request.on_date <= a.valid_to)
        for a in policy.agreements
    )


def _rules(decision: ShareDecision) -> str:
    """The rules a decision names, with agreement and purpose ids left out (event labels)."""
    kinds = {
        r.split(":")[0] if r.startswith(("agreement:", "purpose:")) else r
        for r in decision.rule_ids
    }
    return ", ".join(sorted(kinds))


# Every request moved off its agreement: refusals for every reason the policy can give.
mostly_refused = share_requests(miss_always=True)
# Mostly covered: an allowed share in at least half the examples.
mostly_allowed = share_requests(miss_always=False)


# Statistics (--hypothesis-show-statistics, 300 examples). Before issue 21 the two tests below
# reached their assertions in 8 and 28 of 300 examples. With strategies built from the
# policy's own agreements: the refusal test asserts in every example it keeps (a miss that
# another agreement still covers, about 1 in 10, is discarded by `assume`, using the oracle
# `covered` above, not the code under test), spread over eight kinds of refusal; the
# allowed test asserts on an allowed share in about two thirds of its examples.
@settings(max_examples=300, deadline=None)
@given(mostly_refused)
def test_a_refusal_always_names_a_rule_and_a_reason(request: ShareRequest) -> None:
    assume(not covered(request))
    decision = request.decide()
    event(f"refused by {_rules(decision)}" if decision.allowed is False else "not refused")
    assert decision.allowed is False
    assert decision.rule_ids and all(decision.rule_ids)
    assert decision.reason.strip()
    assert decision.lawful_basis is None
    assert decision.agreement_id is None
    assert decision.family_told_by_default is None and decision.exemptions == ()


@settings(max_examples=300, deadline=None)
@given(mostly_allowed)
def test_an_allowed_share_is_covered_by_one_agreement_in_force_on_the_day(
    request: ShareRequest,
) -> None:
    decision = request.decide()
    event("allowed" if decision.allowed else "refused")
    if decision.allowed:
        assert decision.allowed is True
        categories, on_date = request.categories, request.on_date
        declared = {c.id for c in request.policy.categories}
        assert set(categories) <= declared
        agreement = request.policy.agreement(decision.agreement_id)
        assert f"agreement:{agreement.id}" in decision.rule_ids
        assert agreement.recipient == request.recipient and request.purpose in agreement.purposes
        assert set(categories) <= set(agreement.categories)
        assert agreement.valid_from <= on_date
        assert agreement.valid_to is None or on_date <= agreement.valid_to
        assert decision.lawful_basis


@settings(max_examples=300, deadline=None)
@given(mostly_allowed)
def test_a_share_is_allowed_exactly_when_an_agreement_in_force_covers_it(
    request: ShareRequest,
) -> None:
    expected = covered(request)
    event(f"{'allowed' if expected else 'refused'} ({request.miss or 'no miss'})")
    assert request.decide().allowed == expected


@st.composite
def ended_recipients(draw: Any) -> tuple[ShareRequest, date, date]:
    """A request covered on the last day of an agreement with a recipient whose agreements
    all have end dates, and a day after the last of them has ended."""
    policy = draw(policies(open_ended=False))
    agreement = draw(st.sampled_from(policy.agreements))
    purpose, categories = _covered_by(draw, policy, agreement)
    request = ShareRequest(
        policy,
        agreement.recipient,
        purpose.id,
        categories,
        agreement.valid_to,
        consent_given=True,
        miss=None,
    )
    last = max(a.valid_to for a in policy.agreements if a.recipient == agreement.recipient)
    return request, last, last + timedelta(days=draw(days_past))


@settings(max_examples=300, deadline=None)
@given(ended_recipients())
def test_nothing_is_shared_after_every_agreement_with_the_recipient_has_ended(
    ended: tuple[ShareRequest, date, date],
) -> None:
    request, last, after = ended
    event("the day after the last end" if after == last + timedelta(days=1) else "later")
    assert request.decide().allowed  # on the last day of its agreement
    later = decide_share(
        request.policy,
        request.recipient,
        request.purpose,
        request.categories,
        after,
        consent_given=True,
    )
    assert later.allowed is False
    assert "No agreement" in later.reason and "in force" in later.reason


@settings(max_examples=200, deadline=None)
@given(policies())
def test_every_category_of_an_agreement_can_be_shared_on_its_first_and_last_day(
    policy: Policy,
) -> None:
    event(f"{len(policy.agreements)} agreement(s)")
    for agreement in policy.agreements:
        for purpose in map(policy.purpose, agreement.purposes):
            categories = [c for c in agreement.categories if c in purpose.categories]
            if not categories:
                continue
            for day in (agreement.valid_from, agreement.valid_to or agreement.valid_from):
                decision = decide_share(
                    policy, agreement.recipient, purpose.id, categories, day, consent_given=True
                )
                assert decision.allowed, decision.reason


def test_share_with_police_for_crime_prevention_is_allowed_with_its_lawful_basis(
    camden: Policy,
) -> None:
    decision = decide_share(
        camden, "criminal-justice", "prevent-crime-and-fraud", ["offences", "health"], TODAY
    )
    assert decision.allowed
    assert decision.rule_ids == (
        "agreement:notice-criminal-justice",
        "purpose:prevent-crime-and-fraud",
    )
    assert "6(1)(c)" in decision.lawful_basis and "9(2)(g)" in decision.lawful_basis
    assert "Article 10" in decision.lawful_basis
    assert decision.family_told_by_default is True
    assert "asking-police-for-information" in decision.exemptions


def test_share_with_an_undeclared_recipient_is_refused_by_name(camden: Policy) -> None:
    decision = decide_share(
        camden, "a-newspaper", "tell-other-services", ["identity-and-contact"], TODAY
    )
    assert decision.allowed is False
    assert decision.rule_ids == ("rule:declared-recipients-only",)
    assert "'a-newspaper' is not a recipient" in decision.reason


def test_share_of_an_undeclared_category_is_refused(camden: Policy) -> None:
    decision = decide_share(camden, "health", "tell-other-services", ["star-sign"], TODAY)
    assert decision.allowed is False
    assert decision.rule_ids == ("rule:declared-categories-only",)


def test_share_naming_no_categories_is_refused(camden: Policy) -> None:
    assert decide_share(camden, "health", "tell-other-services", [], TODAY).allowed is False


def test_share_of_data_the_purpose_does_not_use_is_refused(camden: Policy) -> None:
    decision = decide_share(
        camden, "criminal-justice", "prevent-crime-and-fraud", ["nursery-media"], TODAY
    )
    assert decision.allowed is False
    assert "rule:purpose-limitation" in decision.rule_ids


def test_share_before_any_agreement_is_in_force_is_refused_with_its_dates(camden: Policy) -> None:
    decision = decide_share(camden, "health", "tell-other-services", ["health"], date(2023, 1, 1))
    assert decision.allowed is False
    assert "agreement:notice-health" in decision.rule_ids
    assert "runs from 1 November 2023" in decision.reason


def test_share_to_a_recipient_with_no_agreement_for_the_purpose_is_refused(camden: Policy) -> None:
    decision = decide_share(
        camden, "other-nursery-parents", "tell-other-services", ["identity-and-contact"], TODAY
    )
    assert decision.allowed is False
    assert "covers the purpose" in decision.reason


def test_eylog_clips_go_to_other_parents_only_with_recorded_consent(camden: Policy) -> None:
    refused = decide_share(
        camden, "other-nursery-parents", "share-in-nursery-life", ["nursery-media"], TODAY
    )
    assert refused.allowed is False and "rule:consent-required" in refused.rule_ids
    allowed = decide_share(
        camden,
        "other-nursery-parents",
        "share-in-nursery-life",
        ["nursery-media"],
        TODAY,
        consent_given=True,
    )
    assert allowed.allowed
    assert allowed.lawful_basis == "UK GDPR Article 6(1)(a)"


def test_share_needing_categories_from_two_agreements_is_refused() -> None:
    data = small_policy_dict()
    first = data["agreements"][0]
    data["agreements"] = [
        {**first, "id": "names-only", "categories": ["identity"]},
        {**first, "id": "offences-only", "categories": ["offences"]},
    ]
    policy = policy_from_dict(data)
    decision = decide_share(policy, "police", "casework", ["identity", "offences"], TODAY)
    assert decision.allowed is False
    assert "No single agreement" in decision.reason


def test_family_need_not_be_told_only_under_an_exemption_the_agreement_allows(
    camden: Policy,
) -> None:
    assert may_withhold_notice(camden, "notice-health").allowed is False
    assert (
        may_withhold_notice(camden, "notice-health", "asking-police-for-information").allowed
        is False
    )
    allowed = may_withhold_notice(
        camden, "notice-criminal-justice", "asking-police-for-information"
    )
    assert allowed.allowed
    assert "exemption:asking-police-for-information" in allowed.rule_ids
    assert may_withhold_notice(camden, "no-such-agreement", "safeguarding-alert").allowed is False


# --- decisions stated in full -------------------------------------------------------------
# Every field of a decision is checked, so that a refusal cannot lose its rule or reason, nor
# an allowed share its lawful basis, without a test failing. The expected values are written
# out by hand from policies/camden.toml and the statute it cites.

# UK GDPR Article 6(1)(c) and (e); Article 9(2)(g) with DPA 2018 Schedule 1 Part 2
# paragraphs 6 (statutory and government purposes) and 18 (safeguarding of children and
# individuals at risk); Article 9(2)(h) with Part 1 paragraphs 1 (employment, social security
# and social protection) and 2 (health or social care); Article 10 with all four.
ARTICLE_6 = "UK GDPR Article 6(1)(c), 6(1)(e)"
ARTICLE_9 = (
    "Article 9(2)(g) (DPA 2018 Sch 1 Pt 2 para 6, Pt 2 para 18); "
    "Article 9(2)(h) (DPA 2018 Sch 1 Pt 1 para 1, Pt 1 para 2)"
)
ARTICLE_10 = "Article 10 (DPA 2018 Sch 1 Pt 2 para 6, Pt 2 para 18, Pt 1 para 1, Pt 1 para 2)"
POLICE = "Police, Probation and Youth Offending Service"
POLICE_AGREEMENT = (
    "Sharing with the police, probation and youth offending service (as stated in the notice)"
)
CRIME = (
    "Prevent crime and fraud, and assist other public bodies to do their work safely and "
    "effectively"
)


@pytest.mark.parametrize(
    ("categories", "lawful_basis"),
    [
        (["identity-and-contact"], ARTICLE_6),
        (["health"], f"{ARTICLE_6}; {ARTICLE_9}"),
        (["offences"], f"{ARTICLE_6}; {ARTICLE_10}"),
        (["offences", "health"], f"{ARTICLE_6}; {ARTICLE_9}; {ARTICLE_10}"),
        (["identity-and-contact", "victim-or-perpetrator"], f"{ARTICLE_6}; {ARTICLE_10}"),
    ],
    ids=lambda v: "+".join(v) if isinstance(v, list) else "",
)
def test_an_allowed_share_states_the_lawful_basis_for_the_kinds_of_data_it_carries(
    camden: Policy, categories: list[str], lawful_basis: str
) -> None:
    decision = decide_share(
        camden, "criminal-justice", "prevent-crime-and-fraud", categories, TODAY
    )
    assert decision == ShareDecision(
        True,
        ("agreement:notice-criminal-justice", "purpose:prevent-crime-and-fraud"),
        lawful_basis,
        f"Agreement '{POLICE_AGREEMENT}' with {POLICE} covers '{CRIME}' and "
        f"{', '.join(repr(c) for c in categories)} on 25 November 2026.",
        agreement_id="notice-criminal-justice",
        family_told_by_default=True,
        exemptions=("asking-police-for-information", "police-investigation", "safeguarding-alert"),
    )


def test_explicit_consent_for_special_category_data_names_no_schedule_1_condition() -> None:
    # Article 9(2)(a), explicit consent, needs no DPA 2018 Schedule 1 condition.
    data = small_policy_dict()
    data["purposes"].append(
        {
            "id": "photos",
            "wording": "share photos",
            "consent_based": True,
            "categories": ["identity", "health"],
            "data_subjects": ["child"],
            "lawful_basis": CONSENT_BASIS,
            "laws": [],
        }
    )
    data["agreements"][0]["purposes"].append("photos")
    data["agreements"][0]["categories"].append("health")
    policy = policy_from_dict(data)
    decision = decide_share(policy, "police", "photos", ["health"], TODAY, consent_given=True)
    assert decision.allowed is True
    assert decision.lawful_basis == "UK GDPR Article 6(1)(a); Article 9(2)(a)"


def _refused(rule_ids: tuple[str, ...], reason: str) -> ShareDecision:
    return ShareDecision(False, rule_ids, None, reason)


def test_each_refusal_names_its_rule_and_says_why_in_full(camden: Policy) -> None:
    def share(recipient: str, purpose: str, categories: list[str], **kw: Any) -> ShareDecision:
        return decide_share(camden, recipient, purpose, categories, kw.pop("on", TODAY), **kw)

    assert share("a-newspaper", "tell-other-services", ["health"]) == _refused(
        ("rule:declared-recipients-only",), "'a-newspaper' is not a recipient the policy declares."
    )
    assert share("health", "gossip", ["health"]) == _refused(
        ("rule:declared-purposes-only",), "'gossip' is not a purpose the policy declares."
    )
    assert share("health", "tell-other-services", []) == _refused(
        ("rule:share-names-its-categories",),
        "A share must say which categories of information it includes.",
    )
    assert share("health", "tell-other-services", ["star-sign", "health", "shoe-size"]) == (
        _refused(
            ("rule:declared-categories-only",),
            "The policy declares no category called 'star-sign', 'shoe-size'; "
            "only declared categories may be shared.",
        )
    )
    assert share("other-nursery-parents", "share-in-nursery-life", ["nursery-media"]) == (
        _refused(
            ("purpose:share-in-nursery-life", "rule:consent-required"),
            "'Help you to be a part of your child's life in nursery and share in their "
            "development' rests on consent, so it may be shared only when consent is recorded.",
        )
    )
    assert share("criminal-justice", "prevent-crime-and-fraud", ["nursery-media"]) == _refused(
        ("purpose:prevent-crime-and-fraud", "rule:purpose-limitation"),
        f"The purpose '{CRIME}' does not use 'nursery-media', so it cannot be shared for it.",
    )
    assert share(
        "central-government",
        "help-government-improve",
        ["identity-and-contact"],
        on=date(2023, 1, 1),
    ) == _refused(
        (
            "rule:share-needs-agreement",
            "agreement:notice-central-government",
            "agreement:national-insights-dsa",
        ),
        "No agreement with Central Government departments is in force on 1 January 2023 "
        "('notice-central-government' runs from 1 November 2023 with no end date; "
        "'national-insights-dsa' runs from 1 November 2023 to 31 March 2025).",
    )
    assert share("other-nursery-parents", "tell-other-services", ["identity-and-contact"]) == (
        _refused(
            ("rule:share-needs-agreement", "agreement:eylog-other-parents"),
            "No agreement with Other parents using the eyLog Parent application in force on "
            "25 November 2026 covers the purpose 'tell other public or voluntary services what "
            "support you need from them'.",
        )
    )


def test_a_recipient_with_no_agreement_at_all_is_refused_by_name() -> None:
    data = small_policy_dict()
    data["recipients"].append(
        {
            "id": "press",
            "name": "The press",
            "kind": "other_public_body",
            "wording": "The press",
            "in_sharing_list": False,
        }
    )
    decision = decide_share(policy_from_dict(data), "press", "casework", ["identity"], TODAY)
    assert decision == _refused(
        ("rule:share-needs-agreement",), "There is no data-sharing agreement with The press."
    )


def test_a_share_split_across_agreements_names_the_closest_and_what_it_lacks() -> None:
    data = small_policy_dict()
    first = data["agreements"][0]
    data["agreements"] = [
        {**first, "id": "names-only", "name": "Names", "categories": ["identity"]},
        {**first, "id": "most", "name": "Most", "categories": ["identity", "offences"]},
    ]
    policy = policy_from_dict(data)
    decision = decide_share(policy, "police", "casework", ["identity", "offences", "health"], TODAY)
    # "Names" lacks two of the three, "Most" only health: "Most" is the closest.
    assert decision == _refused(
        ("agreement:most", "rule:share-needs-agreement"),
        "No single agreement with Police covers every category: 'Most' does not cover 'health'.",
    )


def test_family_is_never_told_under_an_agreement_that_does_not_tell_by_default(
    camden: Policy,
) -> None:
    assert may_withhold_notice(camden, "eylog-other-parents") == Decision(
        True,
        ("agreement:eylog-other-parents",),
        None,
        "Families are not told of each share under 'eyLog Parent application: clips and "
        "pictures shared with other parents'.",
    )


def test_withholding_notice_is_decided_in_full_for_each_case(camden: Policy) -> None:
    health = "Sharing with GPs, health professionals and the NHS (as stated in the notice)"
    assert may_withhold_notice(camden, "no-such-agreement", "safeguarding-alert") == Decision(
        False,
        ("rule:declared-agreements-only",),
        None,
        "'no-such-agreement' is not an agreement the policy declares.",
    )
    assert may_withhold_notice(camden, "notice-health") == Decision(
        False,
        ("agreement:notice-health",),
        None,
        f"Families are told of shares under '{health}' unless an exemption applies.",
    )
    assert may_withhold_notice(
        camden, "notice-health", "asking-police-for-information"
    ) == Decision(
        False,
        ("agreement:notice-health",),
        None,
        f"'{health}' does not allow the exemption 'asking-police-for-information' "
        "(it allows: 'safeguarding-alert'); the family must be told.",
    )
    assert may_withhold_notice(
        camden, "notice-criminal-justice", "asking-police-for-information"
    ) == Decision(
        True,
        ("agreement:notice-criminal-justice", "exemption:asking-police-for-information"),
        None,
        "The family need not be told: where we are asking for information from the police.",
    )
    assert may_withhold_notice(camden, "notice-health", "safeguarding-alert") == Decision(
        True,
        ("agreement:notice-health", "exemption:safeguarding-alert"),
        None,
        "The family need not be told: where we are sharing safeguarding information with "
        "another organisation to alert that the child concerned may be at risk of harm.",
    )


def test_an_agreement_allowing_no_exemption_says_so() -> None:
    data = small_policy_dict()
    data["agreements"][0]["exemptions"] = []
    decision = may_withhold_notice(policy_from_dict(data), "police-dsa", "safeguarding-alert")
    assert decision == Decision(
        False,
        ("agreement:police-dsa",),
        None,
        "'Police agreement' does not allow the exemption 'safeguarding-alert' "
        "(it allows: none); the family must be told.",
    )


def test_nothing_is_shared_under_a_projects_agreement_after_the_project_has_ended() -> None:
    data = camden_policy().model_dump(mode="python")
    project = next(p for p in data["projects"] if p["id"] == "liia")
    agreement = next(a for a in data["agreements"] if a["id"] == project["agreement"])
    project["end"] = date(2026, 3, 31)
    policy = policy_from_dict(data)
    args = (policy, project["recipient"], agreement["purposes"][0], agreement["categories"])
    assert decide_share(*args, date(2026, 3, 31)).allowed
    refused = decide_share(*args, date(2026, 4, 1))
    assert not refused.allowed
    assert refused.rule_ids[0] == "project:liia"
    assert "which ended on 31 March 2026" in refused.reason
