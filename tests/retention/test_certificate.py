"""The certificate of destruction: each review's certificate counts exactly what was
destroyed for its own people, however the batches fell; the PDF names the council, prints
its title once and holds no personal data; counts of one read in the singular."""

from collections import Counter
from datetime import date

import pypdfium2 as pdfium
import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.bundles.render import all_text
from earlyhelp.people.models import NameKey, Person
from earlyhelp.policy.active import active_policy
from earlyhelp.retention import disposal
from earlyhelp.retention.models import DestructionReview
from earlyhelp.retention.planning import plan
from earlyhelp.retention.services import approve
from tests.factories import RelationshipFactory, RiskFactory
from tests.retention.conftest import LONG_AGO, person

pytestmark = pytest.mark.django_db

TITLE = "Certificate of destruction"


def _name_keys(*people: Person) -> int:
    return NameKey.objects.filter(person__in=people).count()


def _two_approved_reviews(old_family, request_as, reviewer):
    """Review one: the family's mother and older child. Review two, planned after the first
    was approved: a man on his own (a risk, and a duplicate record merged into him)."""
    first = plan().review
    approve(request_as(reviewer), first)
    alone = person(given_name="Idris", family_name="Okafor", date_of_birth=date(1970, 2, 2))
    RiskFactory(person=alone, recorded_at=LONG_AGO)
    duplicate = person(given_name="Idriss", family_name="Okafor", date_of_birth=date(1970, 2, 2))
    Person.objects.filter(pk=duplicate.pk).update(merged_into=alone)
    second = plan().review
    assert second.pk != first.pk
    assert list(second.items.values_list("person_id", flat=True)) == [alone.pk]
    approve(request_as(reviewer), second)
    return first, second, alone, duplicate


def test_two_reviews_disposed_in_one_batch_each_certificate_counts_exactly_its_own_people(
    old_family, request_as, reviewer
):
    first, second, alone, duplicate = _two_approved_reviews(old_family, request_as, reviewer)
    keys_first = _name_keys(old_family.mum, old_family.older)
    keys_second = _name_keys(alone, duplicate)
    assert keys_first and keys_second

    done = disposal.dispose(batch_size=disposal.BATCH)

    assert done.batches == 1  # one batch held the items of both reviews
    first.refresh_from_db()
    second.refresh_from_db()
    assert {first.status, second.status} == {DestructionReview.Status.DESTROYED}
    assert first.certificate["records"] == {
        "Case member": 2,
        "Person": 2,
        "Relationship": 1,
        "Risk": 1,
        "Search key of a name": keys_first,
    }
    assert first.certificate["merged_records"] == 0
    assert second.certificate["records"] == {
        "Person": 2,  # the man and the record merged into him
        "Risk": 1,
        "Search key of a name": keys_second,
    }
    assert second.certificate["merged_records"] == 1
    both = Counter(first.certificate["records"]) + Counter(second.certificate["records"])
    assert both == done.records


def test_a_record_about_people_of_two_reviews_in_one_batch_is_counted_once(
    old_family, request_as, reviewer
):
    first, second, alone, _ = _two_approved_reviews(old_family, request_as, reviewer)
    RelationshipFactory(person=old_family.mum, relative=alone, kind="sibling", recorded_at=LONG_AGO)
    done = disposal.dispose(batch_size=disposal.BATCH)
    assert done.batches == 1
    first.refresh_from_db()
    second.refresh_from_db()
    relationships = [
        first.certificate["records"].get("Relationship", 0),
        second.certificate["records"].get("Relationship", 0),
    ]
    assert sum(relationships) == 2 == done.records["Relationship"]


# --- the certificate's page and PDF ---------------------------------------------------------


def _destroyed_review(old_family, request_as, reviewer) -> DestructionReview:
    review = plan().review
    approve(request_as(reviewer), review)
    disposal.dispose()
    review.refresh_from_db()
    assert review.status == DestructionReview.Status.DESTROYED
    return review


def _pdf_lines(data: bytes) -> list[str]:
    document = pdfium.PdfDocument(data)
    try:
        text = "\n".join(page.get_textpage().get_text_bounded() for page in document)
    finally:
        document.close()
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_the_certificate_pdf_names_the_council_and_prints_its_title_once(
    client, make_user, sign_in, old_family, request_as, reviewer
):
    review = _destroyed_review(old_family, request_as, reviewer)
    sign_in(make_user("ig-reader", Role.INFORMATION_GOVERNANCE))
    response = client.get(reverse("retention:certificate_pdf", args=[review.public_id]))
    assert response.status_code == 200
    lines = _pdf_lines(response.content)
    council = active_policy().controller.name
    assert lines[0] == council
    assert lines[1] == TITLE
    assert sum(TITLE in line for line in lines) == 1
    assert sum(str(review.public_id) in line for line in lines) == 1  # its reference row
    printed = all_text(response.content)
    for someone in (old_family.mum, old_family.older, old_family.youngest):
        for words in (someone.given_name, someone.family_name, str(someone.public_id)):
            assert words not in printed, words
    for born in (date(1980, 4, 4), date(2000, 6, 6)):
        assert f"{born.day} {born:%B %Y}" not in printed


def test_the_certificate_says_person_for_a_count_of_one(
    client, make_user, sign_in, old_family, request_as, reviewer
):
    review = _destroyed_review(old_family, request_as, reviewer)
    sign_in(make_user("ig-reader", Role.INFORMATION_GOVERNANCE))
    page = client.get(reverse("retention:certificate", args=[review.public_id]))
    pdf = client.get(reverse("retention:certificate_pdf", args=[review.public_id]))
    text = " ".join(page.content.decode().split())
    lines = _pdf_lines(pdf.content)
    assert "1 people" not in text and not any("1 people" in line for line in lines)
    assert "1 person" in text


def test_the_certificate_page_names_the_council_and_gives_its_reference_once(
    client, make_user, sign_in, old_family, request_as, reviewer
):
    review = _destroyed_review(old_family, request_as, reviewer)
    sign_in(make_user("ig-reader", Role.INFORMATION_GOVERNANCE))
    page = client.get(reverse("retention:certificate", args=[review.public_id]))
    text = page.content.decode()
    main = text[text.index("<main") :]
    assert active_policy().controller.name in main
    assert main.count(str(review.public_id)) == 2  # the reference row, and the PDF's link
