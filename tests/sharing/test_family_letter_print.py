"""The letter telling the family of a disclosure, printed alone on its page: the council's
name and address from the policy, whom it goes to and where, the date and the letter's
paragraphs; opened as the disclosure's page is, its look audited; none for a disclosure
the family is not told of."""

from __future__ import annotations

import html
import re

from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.lib.words import day_words
from earlyhelp.sharing.models import Disclosure
from tests.sharing.sharing_records import a_disclosure

SCHOOL = "education"
PURPOSE = "best-interests-and-health"


def _text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def _shared(client, sign_in, worker, person, key) -> Disclosure:
    sign_in(worker)
    response = client.post(
        reverse("sharing:share", args=[person.public_id]),
        {
            "recipient": SCHOOL,
            "purpose": PURPOSE,
            "items": [key],
            "tell": "tell",
            "method": "secure_email",
            "reference": "EM-1",
        },
    )
    assert response.status_code == 302
    return Disclosure.objects.get()


def test_the_letter_prints_alone_with_the_councils_address_the_date_and_the_policys_words(
    client, sign_in, worker, family, assessment_key
):
    disclosure = _shared(client, sign_in, worker, family["yusuf"], assessment_key)
    printable = reverse("sharing:letter", args=[disclosure.public_id])
    page = client.get(reverse("sharing:disclosure", args=[disclosure.public_id])).text
    assert printable in page and "Print the letter" in page

    response = client.get(printable)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    source = response.content.decode()
    text = _text(response)
    # Nothing but the letter: no service header or navigation, no script.
    assert "govuk-header" not in source and "<script" not in source
    assert "govuk-!-display-none-print" in source
    # The council, from the policy's controller.
    assert "London Borough of Camden" in text and "Judd Street" in text and "WC1H 9JE" in text
    assert day_words(timezone.localdate()) in text
    # Yusuf is a child: the letter goes to those with parental responsibility who live with
    # him (his mother; his father lives elsewhere), at his home.
    addressed = _text_of(source, "addressed-to")
    assert "Amira Haddad" in addressed and "Tomasz Nowak" not in addressed
    assert "12 Malden Road" in addressed and "NW5 3HS" in addressed
    # Each paragraph kept on the disclosure, made from the policy's words.
    for paragraph in disclosure.letter.split("\n\n"):
        assert " ".join(paragraph.split()) in text
    assert "Yusuf Haddad" in text and "Early Help Services" in text


def _text_of(source: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}">(.*?)</p>', source, re.S)
    assert found, element_id
    return re.sub(r"<[^>]+>", " ", found.group(1))


def test_the_family_told_page_links_to_the_printed_letter(
    client, sign_in, worker, family, assessment_key
):
    disclosure = _shared(client, sign_in, worker, family["yusuf"], assessment_key)
    page = client.get(reverse("sharing:family_told", args=[disclosure.public_id])).text
    assert reverse("sharing:letter", args=[disclosure.public_id]) in page
    assert "Print the letter" in page


def test_printing_the_letter_is_a_look_audited_against_the_person_and_those_it_names(
    client, sign_in, worker, family, assessment_key
):
    disclosure = _shared(client, sign_in, worker, family["yusuf"], assessment_key)
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    client.get(reverse("sharing:letter", args=[disclosure.public_id]))
    looks = AuditEvent.objects.filter(
        id__gt=before, action="view", details__page="disclosure-letter"
    )
    by_person = {look.record_id: look for look in looks}
    yusuf = by_person[str(family["yusuf"].public_id)]
    assert yusuf.actor == worker and yusuf.rule == "access:allocation"
    # His address and who holds parental responsibility are on the letter.
    assert "identity-and-contact" in yusuf.categories
    assert "family-relationships" in yusuf.categories
    assert str(family["mum"].public_id) in by_person


def test_the_letter_is_refused_to_another_teams_worker(
    client, sign_in, make_user, worker, family, assessment_key
):
    disclosure = _shared(client, sign_in, worker, family["yusuf"], assessment_key)
    sign_in(make_user("olu", Role.PRACTITIONER))
    response = client.get(reverse("sharing:letter", args=[disclosure.public_id]))
    assert response.status_code == 403
    assert "Amira Haddad" not in response.content.decode()
    assert "We are sharing" not in response.content.decode()


def test_a_disclosure_withheld_from_the_family_has_no_letter_to_print(
    client, sign_in, worker, family
):
    withheld = a_disclosure(family["yusuf"], worker, Disclosure.Status.APPROVED)
    sign_in(worker)
    detail = client.get(reverse("sharing:disclosure", args=[withheld.public_id])).text
    assert "Print the letter" not in detail
    response = client.get(reverse("sharing:letter", args=[withheld.public_id]))
    assert response.status_code == 200
    text = _text(response)
    assert "There is no letter for this disclosure: the family is not told of it" in text
    assert "Judd Street" not in text and "12 Malden Road" not in text
    assert "Print this page" not in text


def test_an_adult_is_written_to_in_their_own_name(client, sign_in, worker, family, case):
    mum = family["mum"]
    disclosure = a_disclosure(mum, worker)
    sign_in(worker)
    source = client.get(reverse("sharing:letter", args=[disclosure.public_id])).content.decode()
    addressed = _text_of(source, "addressed-to")
    assert "Amira Haddad" in addressed and "12 Malden Road" in addressed
    assert "Dear Amira Haddad," in source


def test_the_information_governance_officer_prints_it_from_the_log(
    client, sign_in, make_user, worker, family, assessment_key
):
    disclosure = _shared(client, sign_in, worker, family["yusuf"], assessment_key)
    officer = make_user("gwen", Role.INFORMATION_GOVERNANCE)
    sign_in(officer)
    response = client.get(reverse("sharing:letter", args=[disclosure.public_id]))
    assert response.status_code == 200
    look = AuditEvent.objects.filter(
        actor=officer, action="view", details__page="disclosure-letter"
    ).first()
    assert look is not None and look.rule == "access:governance"


def test_a_parent_restricted_from_the_reader_is_never_named_on_the_letter(
    client, sign_in, worker, family, assessment_key
):
    from tests.factories import RestrictionFactory

    disclosure = _shared(client, sign_in, worker, family["yusuf"], assessment_key)
    RestrictionFactory(person=family["mum"])  # names someone else
    response = client.get(reverse("sharing:letter", args=[disclosure.public_id]))
    addressed = _text_of(response.content.decode(), "addressed-to")
    assert "Amira" not in addressed and "The parent or carer of Yusuf Haddad" in addressed
    looked = AuditEvent.objects.filter(details__page="disclosure-letter")
    assert str(family["mum"].public_id) not in set(looked.values_list("record_id", flat=True))


def test_a_letter_is_never_addressed_to_a_parent_who_does_not_live_with_the_child(
    client, sign_in, worker, family, assessment_key
):
    from earlyhelp.people.models import Relationship

    # Only the father, who lives elsewhere, has parental responsibility for Yusuf.
    Relationship.objects.filter(relative=family["yusuf"]).exclude(person=family["dad"]).update(
        has_parental_responsibility=False
    )
    Relationship.objects.filter(relative=family["yusuf"], person=family["dad"]).update(
        has_parental_responsibility=True
    )
    disclosure = _shared(client, sign_in, worker, family["yusuf"], assessment_key)
    response = client.get(reverse("sharing:letter", args=[disclosure.public_id]))
    addressed = _text_of(response.content.decode(), "addressed-to")
    assert "Tomasz" not in addressed and "The parent or carer of Yusuf Haddad" in addressed


def test_an_adult_without_a_date_of_birth_is_written_to_in_their_own_name(family):
    from earlyhelp.people.models import Person
    from earlyhelp.policy.active import active_policy
    from earlyhelp.sharing.family_letter import _is_child

    Person.objects.filter(pk=family["mum"].pk).update(date_of_birth=None)
    family["mum"].refresh_from_db()
    assert not _is_child(active_policy(), family["mum"], timezone.localdate())


def test_a_disclosure_not_shared_has_no_letter_whatever_text_it_keeps(family):
    from earlyhelp.sharing.family_letter import is_told

    disclosure = Disclosure(
        person=family["mum"],
        status=Disclosure.Status.NOT_SHARED,
        family_told=True,
        letter="We are writing to tell you that we are sharing.",
    )
    assert not is_told(disclosure)
