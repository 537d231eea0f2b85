"""The consistent identifier for children (Children Act 2004 s.16LC: the NHS number): every
disclosure about a child carries the child's NHS number where known, encrypted at rest, and
records when it was not known; a disclosure about an adult records that it is not about a
child. The page shows it; the letter and the package name it where the policy says."""

from __future__ import annotations

from django.db import connection
from django.urls import reverse

from earlyhelp.policy.active import active_policy
from earlyhelp.sharing import identifier, services
from earlyhelp.sharing.models import ChildIdentifier, Disclosure
from tests.factories import synthetic_nhs_number
from tests.policy import camden_dict, write_policy

SCHOOL = "education"
PURPOSE = "best-interests-and-health"
SENT = {"method": "secure_email", "reference": "EM-2026-0123"}


def _share(request, person, key) -> Disclosure:
    return services.share(
        request, person, recipient=SCHOOL, purpose=PURPOSE, item_keys=[key], **SENT
    )


def _with_nhs_number(person) -> str:
    number = synthetic_nhs_number(7)
    person.nhs_number = number
    person.save(update_fields=["nhs_number"])
    return number


def test_a_disclosure_about_a_child_carries_their_nhs_number_encrypted_at_rest(
    request_as, worker, family, assessment_key
):
    number = _with_nhs_number(family["yusuf"])
    disclosure = _share(request_as(worker), family["yusuf"], assessment_key)
    disclosure.refresh_from_db()
    assert disclosure.child_identifier == ChildIdentifier.CARRIED
    assert disclosure.child_nhs_number == number
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT child_nhs_number FROM sharing_disclosure WHERE id = %s", [disclosure.pk]
        )
        (stored,) = cursor.fetchone()
    assert stored and number not in str(stored)


def test_a_disclosure_about_a_child_without_an_nhs_number_records_it_was_not_known(
    request_as, worker, family, assessment_key
):
    disclosure = _share(request_as(worker), family["yusuf"], assessment_key)
    assert disclosure.child_identifier == ChildIdentifier.NOT_KNOWN
    assert disclosure.child_nhs_number == ""


def test_a_decision_not_to_share_records_it_too(request_as, worker, family):
    disclosure = services.record_not_sharing(
        request_as(worker),
        family["yusuf"],
        recipient=SCHOOL,
        purpose=PURPOSE,
        reason="It would put Yusuf at risk",
        more_detrimental=True,
    )
    assert disclosure.child_identifier == ChildIdentifier.NOT_KNOWN


def test_a_disclosure_about_an_adult_is_not_about_a_child(request_as, worker, family):
    _with_nhs_number(family["mum"])
    disclosure = services.record_not_sharing(
        request_as(worker), family["mum"], recipient=SCHOOL, purpose=PURPOSE, reason="No need"
    )
    assert disclosure.child_identifier == ChildIdentifier.NOT_A_CHILD
    assert disclosure.child_nhs_number == ""


def test_the_disclosure_page_shows_the_number_or_that_it_was_not_known(
    client, sign_in, request_as, worker, family, assessment_key
):
    not_known = _share(request_as(worker), family["yusuf"], assessment_key)
    _with_nhs_number(family["leila"])
    leila_key = assessment_key  # the assessment is about both children
    known = _share(request_as(worker), family["leila"], leila_key)
    sign_in(worker)
    shown = client.get(reverse("sharing:disclosure", args=[known.public_id])).content.decode()
    digits = known.child_nhs_number
    assert f"NHS number: {digits[:3]} {digits[3:6]} {digits[6:]}" in shown
    missing = client.get(reverse("sharing:disclosure", args=[not_known.public_id])).content
    assert "The child&#x27;s NHS number was not known" in missing.decode()


def test_the_letter_names_the_number_only_where_the_policy_says(
    settings, tmp_path, request_as, worker, family, assessment_key
):
    number = _with_nhs_number(family["yusuf"])
    spaced = f"{number[:3]} {number[3:6]} {number[6:]}"
    assert spaced not in _share(request_as(worker), family["yusuf"], assessment_key).letter
    data = camden_dict()
    data["sharing"]["child_identifier"]["in_letter"] = True
    settings.POLICY_PATH = write_policy(tmp_path, data)
    assert (
        f"NHS number: {spaced}"
        in _share(request_as(worker), family["yusuf"], assessment_key).letter
    )


def test_the_package_words_follow_the_policy(request_as, worker, family, assessment_key):
    number = _with_nhs_number(family["yusuf"])
    disclosure = _share(request_as(worker), family["yusuf"], assessment_key)
    words = identifier.package_words(active_policy(), disclosure)
    assert words == f"NHS number: {number[:3]} {number[3:6]} {number[6:]}"
