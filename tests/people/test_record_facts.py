import pytest
from django.db import connection
from django.urls import reverse

from earlyhelp.people.facts import FACT_MODELS
from earlyhelp.people.models import HealthCondition, Risk


def test_a_fact_records_where_it_came_from_and_who_recorded_it(client, practitioner, family):
    url = reverse("people:record_fact", args=[family["yusuf"].public_id, "risk"])
    response = client.post(
        url,
        {"source": "school", "kind": "missing", "level": "medium", "description": "Missed 4 days"},
    )
    assert response.url == reverse("people:person", args=[family["yusuf"].public_id])
    risk = Risk.objects.get()
    assert (risk.source, risk.recorded_by, risk.person) == ("school", practitioner, family["yusuf"])
    page = client.get(response.url).content.decode()
    assert "Missed 4 days" in page and "From school" in page


def test_a_fact_without_its_source_names_the_missing_field(client, practitioner, family):
    url = reverse("people:record_fact", args=[family["yusuf"].public_id, "risk"])
    response = client.post(url, {"kind": "missing", "level": "medium", "description": "x"})
    assert "Select source" in response.content.decode()
    assert not Risk.objects.exists()


def test_health_recorded_through_the_form_is_encrypted_in_the_database(
    client, practitioner, family
):
    url = reverse("people:record_fact", args=[family["leila"].public_id, "health"])
    page = client.get(url).content.decode()
    assert "special category" in page
    client.post(url, {"source": "gp", "kind": "physical", "description": "Eczema"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT description FROM people_healthcondition")
        (stored,) = cursor.fetchone()
    assert "Eczema" not in stored
    assert HealthCondition.objects.get().description == "Eczema"


@pytest.mark.parametrize("kind", list(FACT_MODELS))
def test_every_kind_of_fact_has_a_form_page(client, practitioner, family, kind):
    url = reverse("people:record_fact", args=[family["mum"].public_id, kind])
    assert client.get(url).status_code == 200


def test_an_unknown_kind_of_fact_is_not_found(client, practitioner, family):
    url = reverse("people:record_fact", args=[family["mum"].public_id, "shoe-size"])
    assert client.get(url).status_code == 404


def test_changing_details_to_another_persons_nhs_number_is_refused(client, practitioner, family):
    family["mum"].nhs_number = "9990000018"
    family["mum"].save()
    url = reverse("people:edit", args=[family["yusuf"].public_id])
    response = client.post(
        url,
        {
            "given_name": "Yusuf",
            "family_name": "Haddad",
            "date_of_birth_day": "9",
            "date_of_birth_month": "2",
            "date_of_birth_year": "2016",
            "nhs_number": "999 000 0018",
            "upn": "",
        },
    )
    assert "belongs to another person" in response.content.decode()
