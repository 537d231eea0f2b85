from datetime import date

from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.cases.models import Contact
from tests.factories import PersonFactory


def contact_form(**overrides):
    today = date.today()
    data = {
        "kind": "home_visit",
        "occurred_on_day": str(today.day),
        "occurred_on_month": str(today.month),
        "occurred_on_year": str(today.year),
        "occurred_time": "",
        "note": "Home visit. Amira says Yusuf is sleeping better.",
    }
    return {**data, **overrides}


def test_home_visit_note_is_recorded_and_tops_the_family_chronology(
    client, practitioner, case, family
):
    url = reverse("cases:add_contact", args=[case.public_id])
    response = client.post(url, contact_form(people_present=[str(family["mum"].public_id)]))
    chronology = reverse("people:household_chronology", args=[family["household"].public_id])
    assert response.url == chronology
    contact = Contact.objects.get()
    assert contact.author == practitioner
    assert list(contact.people_present.all()) == [family["mum"]]
    page = client.get(chronology).content.decode()
    first_event = page.index("earlyhelp-chronology")
    assert page.index("Amira says Yusuf is sleeping better", first_event) < page.index(
        "Case opened", first_event
    )
    assert "Contact recorded" in page


def test_contact_without_a_note_or_type_names_each_missing_field(client, practitioner, case):
    url = reverse("cases:add_contact", args=[case.public_id])
    response = client.post(url, contact_form(kind="", note=""))
    page = response.content.decode()
    assert "Select the type of contact" in page
    assert "Enter a note of the contact" in page
    assert Contact.objects.count() == 0


def test_contact_dated_in_the_future_is_refused(client, practitioner, case):
    url = reverse("cases:add_contact", args=[case.public_id])
    response = client.post(url, contact_form(occurred_on_year=str(date.today().year + 1)))
    assert "The date of the contact must be today or in the past" in response.content.decode()
    assert Contact.objects.count() == 0


def test_contact_with_an_impossible_date_names_the_rule(client, practitioner, case):
    url = reverse("cases:add_contact", args=[case.public_id])
    response = client.post(url, contact_form(occurred_on_day="31", occurred_on_month="2"))
    assert "The date of the contact must be a real date" in response.content.decode()


def test_someone_not_on_the_case_cannot_be_recorded_as_present(client, practitioner, case, family):
    url = reverse("cases:add_contact", args=[case.public_id])
    response = client.post(url, contact_form(people_present=[str(family["dad"].public_id)]))
    assert response.status_code == 200
    assert Contact.objects.count() == 0


def test_analyst_cannot_open_a_case(client, make_user, sign_in, case):
    sign_in(make_user("ade", Role.ANALYST))
    assert client.get(reverse("cases:case", args=[case.public_id])).status_code == 403


def test_practitioner_opens_a_case_for_a_new_child_and_is_allocated_to_it(
    client, practitioner, team
):
    from earlyhelp.cases.models import Case

    child = PersonFactory(given_name="Noor", family_name="Ali")
    url = reverse("cases:open_case", args=[child.public_id])
    today = date.today()
    response = client.post(
        url,
        {
            "service": "family-support-and-complex-families",
            "team": str(team.pk),
            "children": [str(child.public_id)],
            "reason": "Referred by school: attendance",
            "started_day": str(today.day),
            "started_month": str(today.month),
            "started_year": str(today.year),
        },
    )
    case = Case.objects.get(members__person=child)
    assert response.url == reverse("cases:case", args=[case.public_id])
    assert (case.allocated_worker, case.team, case.created_by) == (practitioner, team, practitioner)


def test_opening_a_case_for_a_service_the_policy_does_not_have_is_refused(
    client, practitioner, team, family
):
    url = reverse("cases:open_case", args=[family["yusuf"].public_id])
    response = client.post(url, {"service": "astrology", "team": str(team.pk), "reason": "x"})
    assert "Service: select one of the options shown" in response.content.decode()


def test_a_closed_case_takes_a_late_entry_but_not_a_contact_after_it_closed(
    client, practitioner, case
):
    from datetime import timedelta

    from earlyhelp.audit.models import AuditEvent

    closed_on = date.today() - timedelta(days=10)
    case.ended, case.closure_reason = closed_on, "needs-met"
    case.save()
    page = client.get(reverse("cases:case", args=[case.public_id])).content.decode()
    assert "Add a contact made before the case closed" in page
    url = reverse("cases:add_contact", args=[case.public_id])
    assert "This case closed on" in client.get(url).content.decode()
    events = AuditEvent.objects.count()
    response = client.post(url, contact_form())
    assert response.status_code == 200
    assert "a contact after that is recorded once the case is reopened" in (
        response.content.decode()
    )
    assert Contact.objects.count() == 0
    assert AuditEvent.objects.filter(action="create").count() == 0
    assert AuditEvent.objects.count() > events  # the look at the form, nothing written
    before = closed_on - timedelta(days=2)
    response = client.post(
        url,
        contact_form(
            occurred_on_day=str(before.day),
            occurred_on_month=str(before.month),
            occurred_on_year=str(before.year),
        ),
    )
    assert response.status_code == 302
    assert Contact.objects.get().occurred_at.date() == before
