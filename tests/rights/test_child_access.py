"""A parent's or carer's access to a child's records (notice section 10): parental
responsibility from the relationships recorded; a child at or over the policy's age must
consent; under it, a named worker's competence judgement decides whether consent is needed;
the decision and its reasons are recorded and shown. Access is never automatic."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.people.models import Person, Relationship
from earlyhelp.policy.active import active_policy
from earlyhelp.rights.models import ChildAccessDecision
from earlyhelp.rights.scope import record_child_access
from tests.policy import camden_dict, write_policy
from tests.rights.scope_records import a_request, in_scope

TODAY = date.today()


def born(years: int) -> date:
    """A birthday `years` and a few weeks ago: that age today."""
    return TODAY.replace(year=TODAY.year - years, day=1) - timedelta(days=40)


@pytest.fixture
def officer(make_user):
    return make_user("ines", Role.INFORMATION_GOVERNANCE)


@pytest.fixture
def worker(make_user):
    return make_user("priya", Role.PRACTITIONER)


@pytest.fixture
def parent(db):
    return Person.objects.create(
        given_name="Amira", family_name="Haddad", date_of_birth=date(1985, 5, 1)
    )


def child_of(parent: Person, age: int, responsibility: bool = True) -> Person:
    child = Person.objects.create(given_name="Sami", family_name="Haddad", date_of_birth=born(age))
    Relationship.objects.create(
        person=parent,
        relative=child,
        kind="parent",
        has_parental_responsibility=responsibility,
        source="family",
    )
    return child


def request_about(child: Person, parent: Person, officer):
    rights_request = a_request(handled_by=officer)
    in_scope(rights_request, child, officer)
    in_scope(rights_request, parent, officer, role="requester")
    return rights_request


def decide(request_as, officer, rights_request, child, parent, **answers):
    values = {
        "consent": ChildAccessDecision.Consent.NOT_ASKED,
        "consent_how": "",
        "competent": None,
        "competence_by": None,
        "competence_reasons": "",
        "allow": True,
        "officer_reasons": "",
        **answers,
    }
    return record_child_access(
        request_as(officer),
        rights_request,
        child,
        parent=parent,
        by=officer,
        today=TODAY,
        **values,
    )


CONSENTED = {"consent": "consented", "consent_how": "In person, to Priya"}
NOT_CONSENTED = {"consent": "refused", "consent_how": "By telephone, to Priya"}


def test_a_child_at_the_policy_age_who_consents_may_be_seen(parent, officer, request_as):
    age = active_policy().rights.parental_access.child_consent_age
    child = child_of(parent, age)
    rights_request = request_about(child, parent, officer)
    decision = decide(request_as, officer, rights_request, child, parent, **CONSENTED)
    assert decision.allowed and decision.parental_responsibility
    assert decision.child_age == age
    assert "has consented" in decision.reasons
    assert "not automatic" in decision.reasons


def test_a_child_at_the_policy_age_who_does_not_consent_is_not_seen(parent, officer, request_as):
    child = child_of(parent, active_policy().rights.parental_access.child_consent_age)
    rights_request = request_about(child, parent, officer)
    with pytest.raises(ValueError, match=r"allow: .*has not consented"):
        decide(request_as, officer, rights_request, child, parent, **NOT_CONSENTED)
    assert not ChildAccessDecision.objects.exists()
    refusal = decide(
        request_as,
        officer,
        rights_request,
        child,
        parent,
        allow=False,
        officer_reasons="Sami does not agree",
        **NOT_CONSENTED,
    )
    assert not refusal.allowed
    assert "Sami does not agree" in refusal.reasons


def test_a_younger_child_judged_competent_must_consent(parent, officer, worker, request_as):
    child = child_of(parent, 10)
    rights_request = request_about(child, parent, officer)
    judged = {"competent": True, "competence_by": worker, "competence_reasons": "Understands"}
    with pytest.raises(ValueError, match="judged competent"):
        decide(request_as, officer, rights_request, child, parent, **judged, **NOT_CONSENTED)
    decision = decide(request_as, officer, rights_request, child, parent, **judged, **CONSENTED)
    assert decision.allowed and decision.competent and decision.competence_by == worker


def test_a_younger_child_not_judged_competent_needs_no_consent(parent, officer, worker, request_as):
    child = child_of(parent, 10)
    rights_request = request_about(child, parent, officer)
    decision = decide(
        request_as,
        officer,
        rights_request,
        child,
        parent,
        competent=False,
        competence_by=worker,
        competence_reasons="Too young to weigh it up",
    )
    assert decision.allowed
    assert "consent is not needed" in decision.reasons


def test_without_parental_responsibility_access_is_refused_with_the_reason(
    parent, officer, request_as
):
    child = child_of(parent, 14, responsibility=False)
    rights_request = request_about(child, parent, officer)
    with pytest.raises(ValueError, match="No parental responsibility"):
        decide(request_as, officer, rights_request, child, parent, **CONSENTED)
    refusal = decide(
        request_as,
        officer,
        rights_request,
        child,
        parent,
        allow=False,
        officer_reasons="No parental responsibility",
        **CONSENTED,
    )
    assert not refusal.parental_responsibility
    assert "No parental responsibility for Sami Haddad is recorded for Amira Haddad" in (
        refusal.reasons
    )


def test_responsibility_is_the_parents_for_the_child_not_the_other_way(parent, officer, request_as):
    child = Person.objects.create(given_name="Sami", family_name="Haddad", date_of_birth=born(14))
    Relationship.objects.create(
        person=child, relative=parent, kind="other", has_parental_responsibility=True
    )
    rights_request = request_about(child, parent, officer)
    with pytest.raises(ValueError, match="No parental responsibility"):
        decide(request_as, officer, rights_request, child, parent, **CONSENTED)


def test_without_the_requesters_record_access_is_refused(parent, officer, request_as):
    child = child_of(parent, 14)
    rights_request = a_request(handled_by=officer)
    in_scope(rights_request, child, officer)
    with pytest.raises(ValueError, match="No record of the person asking"):
        decide(request_as, officer, rights_request, child, None, **CONSENTED)


def test_the_officer_may_always_refuse_with_reasons(parent, officer, request_as):
    child = child_of(parent, 14)
    rights_request = request_about(child, parent, officer)
    with pytest.raises(ValueError, match="officer_reasons"):
        decide(request_as, officer, rights_request, child, parent, allow=False, **CONSENTED)
    refusal = decide(
        request_as,
        officer,
        rights_request,
        child,
        parent,
        allow=False,
        officer_reasons="Disclosure would put Sami at risk",
        **CONSENTED,
    )
    assert not refusal.allowed


def test_the_decision_is_audited(parent, officer, request_as):
    child = child_of(parent, 14)
    rights_request = request_about(child, parent, officer)
    decide(request_as, officer, rights_request, child, parent, **CONSENTED)
    assert AuditEvent.objects.filter(
        record_type="rights-request", record_id=str(rights_request.public_id), action="change"
    ).exists()
    on_child = AuditEvent.objects.get(record_type="person", record_id=str(child.public_id))
    assert on_child.reason == f"Rights request {rights_request.reference}"


def test_an_adult_is_not_a_child(parent, officer, request_as):
    adult = child_of(parent, active_policy().retention.adult_from_age)
    rights_request = request_about(adult, parent, officer)
    with pytest.raises(ValueError, match="not a child"):
        decide(request_as, officer, rights_request, adult, parent, **CONSENTED)


@pytest.fixture
def consent_at_eleven(settings, tmp_path):
    """The Camden policy with one change: children consent from 11."""
    data = camden_dict()
    data["rights"]["parental_access"]["child_consent_age"] = 11
    settings.POLICY_PATH = write_policy(tmp_path, data)
    assert active_policy().rights.parental_access.child_consent_age == 11


def test_the_consent_age_is_the_policys(consent_at_eleven, parent, officer, request_as):
    child = child_of(parent, 12)
    rights_request = request_about(child, parent, officer)
    with pytest.raises(ValueError, match="aged 11 or over must consent"):
        decide(request_as, officer, rights_request, child, parent, **NOT_CONSENTED)


# --- the page ------------------------------------------------------------------------------


def page(rights_request, child):
    return reverse("rights_scope:child_access", args=[rights_request.public_id, child.public_id])


def test_the_page_shows_the_age_and_the_responsibility_recorded(client, sign_in, parent, officer):
    child = child_of(parent, 13)
    rights_request = request_about(child, parent, officer)
    sign_in(officer)
    response = client.get(page(rights_request, child))
    assert response.status_code == 200
    assert "Sami is 13, so their consent is needed" in response.text
    assert "Amira Haddad has parental responsibility for Sami" in response.text
    look = AuditEvent.objects.get(record_id=str(child.public_id), action="view")
    assert look.reason == f"Rights request {rights_request.reference}"


def test_a_thirteen_year_old_who_consents_is_recorded_from_the_page(
    client, sign_in, parent, officer, worker
):
    child = child_of(parent, 13)
    rights_request = request_about(child, parent, officer)
    sign_in(officer)
    response = client.post(
        page(rights_request, child),
        {
            "parent": str(parent.public_id),
            "consent": "consented",
            "consent_how": "in-person",
            "consent_taken_by": str(worker.pk),
            "decision": "allow",
            "reasons": "",
        },
    )
    assert response.status_code == 302
    decision = ChildAccessDecision.objects.get()
    assert decision.allowed
    assert decision.consent_how == "In person, to Sam"
    shown = client.get(page(rights_request, child)).text
    assert "Allowed" in shown and "has consented" in shown


def test_allowing_without_responsibility_is_refused_on_the_page(
    client, sign_in, parent, officer, worker
):
    child = child_of(parent, 13, responsibility=False)
    rights_request = request_about(child, parent, officer)
    sign_in(officer)
    response = client.post(
        page(rights_request, child),
        {
            "parent": str(parent.public_id),
            "consent": "consented",
            "consent_how": "writing",
            "consent_taken_by": str(worker.pk),
            "decision": "allow",
        },
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "No parental responsibility" in response.text
    assert not ChildAccessDecision.objects.exists()


def test_under_the_age_the_page_asks_for_a_named_workers_judgement(
    client, sign_in, parent, officer
):
    child = child_of(parent, 10)
    rights_request = request_about(child, parent, officer)
    sign_in(officer)
    response = client.post(
        page(rights_request, child), {"parent": str(parent.public_id), "decision": "allow"}
    )
    assert response.status_code == 200
    assert "Select whether the child was judged competent" in response.text
    assert "Select the worker who judged the child&#x27;s competence" in response.text
    assert not ChildAccessDecision.objects.exists()


def test_a_ten_year_old_judged_competent_must_consent_on_the_page(
    client, sign_in, parent, officer, worker
):
    child = child_of(parent, 10)
    rights_request = request_about(child, parent, officer)
    sign_in(officer)
    response = client.post(
        page(rights_request, child),
        {
            "parent": str(parent.public_id),
            "competent": "yes",
            "competence_by": str(worker.pk),
            "competence_reasons": "Understands what the records are",
            "decision": "allow",
        },
    )
    assert "Select whether the child consented" in response.text
    assert not ChildAccessDecision.objects.exists()


def test_staff_are_chosen_from_a_select_by_full_name(client, sign_in, parent, officer, worker):
    child = child_of(parent, 10)
    rights_request = request_about(child, parent, officer)
    sign_in(officer)
    html = client.get(page(rights_request, child)).text
    assert '<select class="govuk-select" id="id_competence_by_0" name="competence_by">' in html
    assert '<select class="govuk-select" id="id_consent_taken_by_0"' in html
    assert f'type="radio" value="{worker.pk}"' not in html
    assert "answer only if Sami was judged competent" in html


def test_the_choice_without_the_requesters_record_says_so_and_links_to_finding_it(
    client, sign_in, parent, officer
):
    child = child_of(parent, 13)
    rights_request = a_request(handled_by=officer)
    in_scope(rights_request, child, officer)
    sign_in(officer)
    html = client.get(page(rights_request, child)).text
    assert "The person asking has not been matched to a record yet" in html
    assert "Their record is not in scope" not in html
    assert reverse("rights_scope:find_records", args=[rights_request.public_id]) in html


def test_recording_the_decision_lands_on_the_request_page(client, sign_in, parent, officer, worker):
    child = child_of(parent, 10)
    rights_request = request_about(child, parent, officer)
    sign_in(officer)
    response = client.post(
        page(rights_request, child),
        {
            "parent": str(parent.public_id),
            "competent": "no",
            "competence_by": str(worker.pk),
            "competence_reasons": "Too young to weigh it up",
            "decision": "allow",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("rights:request", args=[rights_request.public_id])
    html = client.get(response.url).text
    assert "The child was not asked for their consent: they were under" in html
    assert "Not asked." not in html
