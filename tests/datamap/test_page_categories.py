"""A page's audit event records the categories of what it shows, derived from the data map:
the person page lists the person's cases, and shows a restriction's reason."""

from django.urls import reverse

from earlyhelp.audit.models import AuditEvent
from tests.factories import RestrictionFactory


def _person_look(person) -> list[str]:
    return (
        AuditEvent.objects.filter(action="view", record_type="person", record_id=person.public_id)
        .latest("id")
        .categories
    )


def test_the_person_page_records_the_cases_it_lists(client, practitioner, family):
    client.get(reverse("people:person", kwargs={"person_id": family["yusuf"].public_id}))
    categories = _person_look(family["yusuf"])
    assert {"identity-and-contact", "family-relationships", "reports-and-plans"} <= set(categories)
    assert "risk-issues" not in categories  # no restriction, and no risk recorded


def test_the_person_page_records_a_restrictions_reason_as_risk(client, practitioner, family):
    RestrictionFactory(person=family["yusuf"], named_users=[practitioner])
    response = client.get(reverse("people:person", kwargs={"person_id": family["yusuf"].public_id}))
    assert "A relative works in the service" in response.content.decode()
    assert "risk-issues" in _person_look(family["yusuf"])
