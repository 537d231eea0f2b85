"""What a newcomer found on the sharing pages (session 33), each kept as a rule: restricted
people on the partner pages, words not ids in the share form and the package, the
manager's decision in words, the emergency form's ways out, the officer's way back."""

from __future__ import annotations

import re

from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.cases.models import Need
from earlyhelp.datamap.registry import is_record_link
from earlyhelp.sharing import packages, services
from earlyhelp.sharing.models import DisclosedItem, Disclosure, PartnerRequest
from tests.factories import RestrictionFactory
from tests.sharing.partner_records import a_partner_request
from tests.sharing.sharing_records import a_disclosure

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _text(response) -> str:
    return re.sub(r"<[^>]+>", " ", response.content.decode())


def test_the_officer_cannot_open_a_partner_request_about_a_person_restricted_from_them(
    client, sign_in, make_user, worker, family
):
    yusuf = family["yusuf"]
    asked = a_partner_request(yusuf, worker, PartnerRequest.Approval.WAITING)
    keeper = make_user("keeper", Role.TEAM_MANAGER)
    RestrictionFactory(person=yusuf, created_by=keeper, named_users=[keeper])
    sign_in(make_user("ines", Role.INFORMATION_GOVERNANCE))
    page = client.get(reverse("sharing:partner_request", args=[asked.public_id]))
    assert page.status_code == 403 and "Yusuf" not in _text(page)
    listed = _text(client.get(reverse("sharing:partner_requests")))
    assert "Yusuf" not in listed and "A restricted record" in listed


def test_a_manager_may_not_approve_a_partner_request_about_a_person_restricted_from_them(
    make_user, worker, boss, family
):
    from earlyhelp.sharing import partner_requests

    yusuf = family["yusuf"]
    asked = a_partner_request(yusuf, worker, PartnerRequest.Approval.WAITING)
    assert partner_requests.approval_problem(boss, asked) is None
    keeper = make_user("keeper", Role.TEAM_MANAGER)
    RestrictionFactory(person=yusuf, created_by=keeper, named_users=[keeper])
    yusuf.refresh_from_db()
    asked.refresh_from_db()
    assert "restricted" in partner_requests.approval_problem(boss, asked)
    assert asked not in partner_requests.open_requests_for(boss)


def _need(assessment) -> Need:
    """A need the assessment found: the data map reads its assessment as a link by id."""
    return Need.objects.create(
        assessment=assessment, outcome="good-education", description="Misses school on Mondays"
    )


def test_the_share_forms_records_are_described_in_words_never_by_a_linked_records_id(
    worker, family, assessment
):
    need = _need(assessment)
    items = {item.key: item for item in services.items_of(family["yusuf"], worker)}
    assert items[f"cases.Need:{need.pk}"].summary  # described by what it says
    for item in items.values():
        assert not UUID.search(item.summary), item


def test_a_package_prints_no_link_to_another_record_by_its_id(worker, family, assessment):
    need = _need(assessment)
    shared = a_disclosure(family["yusuf"], worker)
    DisclosedItem.objects.create(
        disclosure=shared, record_model="cases.Need", record_id=str(need.pk), label="Need"
    )
    content = packages.content_of(shared)
    texts = [p.text for s in content.sections for p in s.passages]
    assert "Misses school on Mondays" in texts
    assert not [t for t in texts if is_record_link(t) or UUID.search(t)]
    assert not UUID.search(content.title)


def test_the_managers_decision_says_approved_or_refused_not_the_disclosures_status(
    client, sign_in, worker, boss, family
):
    shared = a_disclosure(family["yusuf"], worker)
    Disclosure.objects.filter(pk=shared.pk).update(
        status=Disclosure.Status.SHARED, decided_by=boss, decided_at=shared.created_at
    )
    sign_in(boss)
    page = client.get(reverse("sharing:disclosure", args=[shared.public_id]))
    text = " ".join(_text(page).split())
    assert "Team manager's decision Approved by" in text


def test_the_emergency_form_offers_only_a_way_that_can_leave_now(client, sign_in, worker, family):
    sign_in(worker)
    page = client.get(reverse("sharing:share_in_emergency", args=[family["yusuf"].public_id]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="protected_package"' not in html
    assert "a team manager must approve first" not in html


def test_the_officer_goes_back_to_the_log_from_a_disclosure_not_to_a_refused_person_page(
    client, sign_in, make_user, worker, family
):
    shared = a_disclosure(family["yusuf"], worker)
    sign_in(make_user("ines", Role.INFORMATION_GOVERNANCE))
    html = client.get(reverse("sharing:disclosure", args=[shared.public_id])).content.decode()
    assert "Back to the disclosure log" in html
    assert reverse("people:person", args=[family["yusuf"].public_id]) not in html


def test_the_letter_names_the_lawful_bases_in_words_and_points_nowhere_else_in_the_notice(
    family,
):
    from earlyhelp.policy.active import active_policy

    letter = services.letter_text(
        active_policy(),
        family["yusuf"],
        "education",
        "best-interests-and-health",
        ["identity-and-contact"],
        "UK GDPR Article 6(1)(c), 6(1)(e)",
    )
    assert "legal obligation and public task" in letter
    assert "section 3" not in letter.lower() and "listed below" not in letter.lower()
    assert "shared securely" in letter  # the principles that stand alone are kept


def test_a_manager_who_may_not_decide_is_told_why_before_any_form(client, sign_in, boss, family):
    mine = a_disclosure(family["yusuf"], boss, status=Disclosure.Status.WAITING)
    sign_in(boss)
    page = client.get(reverse("sharing:decide", args=[mine.public_id]))
    html = page.content.decode()
    assert "another team manager must approve it" in html
    assert 'name="decision"' not in html


def test_a_decision_not_to_share_is_not_called_a_disclosure_nor_shared_with(
    client, sign_in, worker, family
):
    kept = a_disclosure(family["yusuf"], worker, status=Disclosure.Status.NOT_SHARED)
    sign_in(worker)
    html = client.get(reverse("sharing:disclosure", args=[kept.public_id])).content.decode()
    assert "<title>Decision not to share" in html
    assert "Not shared with" in html and ">Shared with<" not in html


def test_an_answered_request_says_when_its_disclosure_has_not_left_yet(
    client, sign_in, worker, family
):
    asked = a_partner_request(family["yusuf"], worker, PartnerRequest.Approval.APPROVED)
    waiting = a_disclosure(family["yusuf"], worker, status=Disclosure.Status.WAITING)
    PartnerRequest.objects.filter(pk=asked.pk).update(
        status=PartnerRequest.Status.SHARED, disclosure=waiting
    )
    sign_in(worker)
    page = client.get(reverse("sharing:partner_request", args=[asked.public_id]))
    text = " ".join(_text(page).split())
    assert "Answered: information shared (the disclosure is waiting for a team manager" in text


def test_how_and_when_the_family_was_told_is_recorded_once_and_audited(
    client, sign_in, worker, family
):
    from datetime import timedelta

    from django.utils import timezone

    from earlyhelp.audit.models import AuditEvent

    shared = a_disclosure(family["yusuf"], worker)
    sign_in(worker)
    url = reverse("sharing:family_told", args=[shared.public_id])
    page = client.get(url)
    assert "We are writing to tell you." in page.content.decode()  # the letter to hand
    today = timezone.localdate()
    future = today + timedelta(days=2)

    def post(day, how="letter", once="tok-family-told-000000000000"):
        return client.post(
            url,
            {
                "how": how,
                "on_day": day.day,
                "on_month": day.month,
                "on_year": day.year,
                "form_token": once,
            },
        )

    refused = post(future)
    assert refused.status_code == 200 and "today" in refused.content.decode()
    shared.refresh_from_db()
    assert shared.family_told_on is None
    assert post(today, once="tok-family-told-111111111111").status_code == 302
    shared.refresh_from_db()
    assert (shared.family_told_how, shared.family_told_on) == ("letter", today)
    assert shared.family_told_recorded_by == worker
    event = AuditEvent.objects.filter(details__what="family told").get()
    assert event.record_id == str(family["yusuf"].public_id)
    again = post(today, how="email", once="tok-family-told-222222222222")
    assert "already been recorded" in again.content.decode()
    detail = client.get(reverse("sharing:disclosure", args=[shared.public_id])).content.decode()
    assert "The family was told: a letter by post, on" in detail


def test_a_disclosure_the_family_is_not_told_of_cannot_be_recorded_as_told(worker, family, rf):
    import pytest

    waiting = a_disclosure(family["yusuf"], worker, status=Disclosure.Status.WAITING)
    request = rf.post("/")
    request.user = worker
    with pytest.raises(services.ShareRefused, match="disclosure:"):
        services.record_family_told(request, waiting, how="letter", on=waiting.created_at.date())


def test_from_a_case_the_share_form_offers_only_that_cases_records_about_the_person(
    client, sign_in, worker, family, case, assessment, team
):
    from earlyhelp.cases.services import open_case
    from tests.factories import AssessmentFactory

    other = open_case(
        service="family-support-and-complex-families",
        household=family["household"],
        children=[family["yusuf"]],
        family=[],
        reason="An earlier worry",
        team=team,
        started=case.started,
        created_by=None,
    )
    elsewhere = AssessmentFactory(case=other, started=other.started)
    sign_in(worker)
    url = reverse("sharing:share", args=[family["yusuf"].public_id])
    from_case = client.get(url, {"case": str(case.public_id)}).content.decode()
    assert f"cases.Assessment:{assessment.pk}" in from_case
    assert f"cases.Assessment:{elsewhere.pk}" not in from_case
    assert "Back to the case" in from_case
    every = client.get(url, {"case": "not-a-case"}).content.decode()
    assert f"cases.Assessment:{elsewhere.pk}" in every and "Back to the case" not in every
