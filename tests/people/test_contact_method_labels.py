"""A telephone's or email's label (mobile, work) is shown where contact details are listed.

The issue: a telephone's label was saved but never shown: the person page said only
"Telephone: 07700 900123", so two numbers could not be told apart.
"""

from django.urls import reverse

from tests.factories import ContactMethodFactory


def test_a_telephones_label_is_shown_on_the_person_page(client, practitioner, family):
    mum = family["mum"]
    url = reverse("people:add_contact_method", args=[mum.public_id])
    for value, label in (("07700 900123", "mobile"), ("020 7974 4444", "work")):
        data = {"kind": "telephone", "value": value, "label": label, "source": "family"}
        assert client.post(url, data).status_code == 302

    page = client.get(reverse("people:person", args=[mum.public_id])).content.decode()

    assert "Telephone (mobile): 07700 900123" in page
    assert "Telephone (work): 020 7974 4444" in page


def test_a_contact_method_without_a_label_is_shown_without_brackets(client, practitioner, family):
    mum = family["mum"]
    ContactMethodFactory(person=mum, kind="email", value="amira@example.org", source="family")

    page = client.get(reverse("people:person", args=[mum.public_id])).content.decode()

    assert "Email: amira@example.org" in page
    assert "Email ()" not in page
