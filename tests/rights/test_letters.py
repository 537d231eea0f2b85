"""The letters a request is answered with: addressed to the requester the way they asked for
the reply, naming whose records, what was asked in a proper sentence (an objection naming
the use by the policy's name), the old and new dates of an extension, what the system
recorded for the outcome, and a page to print each letter without script."""

from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.people.models import Person
from earlyhelp.policy.active import active_policy
from earlyhelp.rights import letters
from earlyhelp.rights.models import ChildAccessDecision, RightOutcome, RightsRequest
from tests.rights.scope_records import in_scope
from tests.rights.staff_records import freeze_today, logged_request


@pytest.fixture
def today(monkeypatch):
    return freeze_today(monkeypatch)


@pytest.fixture
def officer(make_user, sign_in):
    user = make_user("ig-officer", Role.INFORMATION_GOVERNANCE)
    sign_in(user)
    return user


def act(client, rights_request, action: str, **data):
    fields = {}
    for name, value in data.items():
        if isinstance(value, date):
            fields |= {f"{name}_day": value.day, f"{name}_month": value.month}
            fields[f"{name}_year"] = value.year
        else:
            fields[name] = value
    return client.post(reverse("rights:action", args=[rights_request.public_id, action]), fields)


def liia() -> str:
    project = next(p for p in active_policy().projects if p.id == "liia")
    return project.name


def test_a_letter_by_post_is_addressed_to_the_requesters_name_and_postal_address(db):
    rights_request = logged_request(date(2026, 6, 1))
    letter = letters.answer_letter(rights_request, active_policy(), date(2026, 6, 20), "Done.")
    top = letter.split("Our reference")[0]
    assert "Leila Okafor\n3 Prince of Wales Road\nLondon NW5 3LG" in top


def test_a_letter_by_email_names_the_email_address_not_the_postal_one(db):
    rights_request = logged_request(
        date(2026, 6, 1),
        reply_by=RightsRequest.ReplyBy.EMAIL,
        requester_email="leila@example.org",
    )
    top = letters.answer_letter(rights_request, active_policy(), date(2026, 6, 20), "Done.")
    top = top.split("Our reference")[0]
    assert "Leila Okafor\nleila@example.org" in top
    assert "Prince of Wales Road" not in top


def test_a_letter_names_whose_records_the_request_is_about(db):
    rights_request = logged_request(date(2026, 6, 1))
    letter = letters.answer_letter(rights_request, active_policy(), date(2026, 6, 20), "Done.")
    assert "about the records of Tobi Okafor" in letter


def test_without_a_name_typed_the_letter_names_the_record_in_scope(db, make_user):
    officer = make_user("ines", Role.INFORMATION_GOVERNANCE)
    rights_request = logged_request(date(2026, 6, 1))
    # Blank only where it was never typed (a record kept before the name was asked for).
    RightsRequest.objects.filter(pk=rights_request.pk).update(subject_name="")
    rights_request.refresh_from_db()
    child = Person.objects.create(given_name="Keira", family_name="Walsh")
    in_scope(rights_request, child, officer)
    letter = letters.answer_letter(rights_request, active_policy(), date(2026, 6, 20), "Done.")
    assert "about the records of Keira Walsh" in letter


def test_what_was_asked_reads_as_a_sentence_naming_the_use_objected_to(db):
    rights_request = logged_request(
        date(2026, 6, 1),
        rights_asked=[RightsRequest.Right.ACCESS, RightsRequest.Right.OBJECT],
        objection_projects=["liia"],
    )
    letter = letters.answer_letter(rights_request, active_policy(), date(2026, 6, 20), "Done.")
    assert (
        "your request for a copy of the information we hold, and for us to stop using your "
        f"information for {liia()} about the records of Tobi Okafor." in letter
    )
    assert "and object to a use of information" not in letter


def test_the_extension_letter_gives_the_date_it_was_due_and_the_new_one(client, officer, today):
    today(date(2026, 6, 10))
    rights_request = logged_request(date(2026, 6, 1))
    response = act(
        client, rights_request, "extend", extended_on=date(2026, 6, 10), reasons="Many records."
    )
    assert response.status_code == 302
    rights_request.refresh_from_db()
    letter = rights_request.extension_letter
    # 1 June + one month = 1 July; extended by two more months = 1 September 2026.
    assert "We were due to answer by 1 July 2026." in letter
    assert "We will now answer by 1 September 2026." in letter


def test_the_outcome_letter_states_what_was_recorded_and_the_officers_summary(
    client, officer, today
):
    today(date(2026, 6, 20))
    rights_request = logged_request(date(2026, 6, 1), handled_by=officer)
    child = Person.objects.create(
        given_name="Tobi", family_name="Okafor", date_of_birth=date(2014, 1, 5)
    )
    in_scope(rights_request, child, officer)
    RightOutcome.objects.create(
        request=rights_request,
        person=child,
        right=RightsRequest.Right.ERASURE,
        result=RightOutcome.Result.DONE,
        what_was_done="We deleted the contact notes from 2019.",
        recorded_by=officer,
    )
    ChildAccessDecision.objects.create(
        request=rights_request,
        child=child,
        parental_responsibility=True,
        child_age=12,
        consent=ChildAccessDecision.Consent.CONSENTED,
        allowed=True,
        reasons="Tobi has consented.",
        decided_by=officer,
    )
    act(client, rights_request, "answer", on=date(2026, 6, 20), summary="A copy is enclosed.")
    rights_request.refresh_from_db()
    letter = rights_request.outcome_letter
    assert "We deleted the contact notes from 2019." in letter
    assert "access, as a parent or carer, to Tobi Okafor's records was allowed" in letter
    assert "Tobi has consented." in letter
    assert "A copy is enclosed." in letter


def test_each_letter_has_a_page_to_print_it_alone(client, officer, today):
    today(date(2026, 6, 20))
    rights_request = logged_request(date(2026, 6, 1))
    act(client, rights_request, "answer", on=date(2026, 6, 20), summary="A copy is enclosed.")
    detail = client.get(reverse("rights:request", args=[rights_request.public_id])).text
    printable = reverse("rights:letter", args=[rights_request.public_id, "outcome"])
    assert printable in detail and "Print this letter" in detail
    page = client.get(printable)
    assert page.status_code == 200
    assert "A copy is enclosed." in page.text
    # Only the letter prints: no service header, and no script is needed.
    assert "govuk-header" not in page.text and "<script" not in page.text
    assert (
        client.get(reverse("rights:letter", args=[rights_request.public_id, "x"])).status_code
        == 404
    )


def test_only_the_information_governance_officer_opens_a_letter_page(
    client, make_user, sign_in, db
):
    rights_request = logged_request(date(2026, 6, 1))
    sign_in(make_user("priya", Role.PRACTITIONER))
    response = client.get(reverse("rights:letter", args=[rights_request.public_id, "outcome"]))
    assert response.status_code == 403
