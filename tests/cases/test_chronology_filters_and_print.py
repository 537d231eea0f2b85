"""Issue 20, item 4: the chronology filtered by dates and by who recorded, recorded facts,
address changes and allocations as events under the person page's rule, the print view,
and the case page's reference, superseded plans and list of every contact."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases.chronology import household_chronology, person_chronology
from earlyhelp.cases.models import Allocation, Case, new_case_reference
from earlyhelp.cases.services import open_case, record_contact
from earlyhelp.datamap.registry import categories_of
from earlyhelp.people.models import HealthCondition, HouseholdMember, PersonAddress, Risk
from tests.factories import (
    AddressFactory,
    HealthConditionFactory,
    PersonAddressFactory,
    PlanFactory,
    RiskFactory,
)


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _named(user, first: str, last: str):
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user


def _health_only() -> set[str]:
    """A health fact's own categories (its source's category is every fact's)."""
    return set(categories_of(HealthCondition)) - set(categories_of(Risk))


def _household_url(family, name: str = "people:household_chronology") -> str:
    return reverse(name, args=[family["household"].public_id])


# --- filters ---------------------------------------------------------------------------


def test_the_chronology_filtered_by_dates_shows_only_events_in_the_range(
    client, practitioner, case, family
):
    for day, note in ((date(2026, 9, 10), "Early call"), (date(2026, 10, 5), "Middle call")):
        record_contact(case=case, author=None, kind="phone_call", occurred_at=at(day), note=note)
    record_contact(
        case=case,
        author=None,
        kind="phone_call",
        occurred_at=at(date(2026, 11, 20)),
        note="Late call",
    )
    html = client.get(
        _household_url(family),
        {
            "since_day": "1",
            "since_month": "10",
            "since_year": "2026",
            "until_day": "31",
            "until_month": "10",
            "until_year": "2026",
        },
    ).content.decode()
    assert "Middle call" in html
    assert "Early call" not in html and "Late call" not in html
    assert ">Case opened</span>" not in html
    assert "1 event," in html and "From 1 October 2026; To 31 October 2026" in html


def test_the_chronology_filtered_by_who_recorded_shows_only_their_events(
    client, practitioner, case, family, make_user
):
    _named(practitioner, "Priya", "Shah")
    other = _named(make_user("ola", Role.PRACTITIONER), "Ola", "Bello")
    record_contact(
        case=case,
        author=practitioner,
        kind="home_visit",
        occurred_at=at(date(2026, 10, 1)),
        note="Visit by Priya",
    )
    record_contact(
        case=case,
        author=other,
        kind="home_visit",
        occurred_at=at(date(2026, 10, 2)),
        note="Visit by Ola",
    )
    page = client.get(_household_url(family)).content.decode()
    # Offered by name, never by username; the address carries only an opaque staff id.
    assert "Priya Shah" in page and "Ola Bello" in page and ">priya<" not in page
    html = client.get(_household_url(family), {"by": str(other.pk)}).content.decode()
    assert "Visit by Ola" in html and "Visit by Priya" not in html
    assert "Recorded by Ola Bello" in html


def test_a_worker_asked_for_with_a_kind_they_recorded_none_of_is_no_event_not_an_error(
    client, practitioner, case, family, make_user
):
    other = _named(make_user("ola", Role.PRACTITIONER), "Ola", "Bello")
    record_contact(
        case=case, author=other, kind="home_visit", occurred_at=at(date(2026, 10, 2)), note="Hi"
    )
    html = client.get(_household_url(family), {"by": str(other.pk), "kind": "plan"})
    html = html.content.decode()
    assert "There is a problem" not in html and "No event matches the filters." in html


def test_a_to_date_before_the_from_date_is_refused_by_name_and_nothing_breaks(
    client, practitioner, case, family
):
    response = client.get(
        _household_url(family),
        {
            "since_day": "5",
            "since_month": "10",
            "since_year": "2026",
            "until_day": "1",
            "until_month": "10",
            "until_year": "2026",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "The date to show events to must be the same as or after the date to show events from"
        in html
    )
    assert "There is a problem" in html


@pytest.mark.parametrize(
    "query, message",
    [
        ({"by": "99999"}, "Select who recorded the events from the list"),
        ({"by": "<script>"}, "Select who recorded the events from the list"),
        ({"since_day": "31", "since_month": "2", "since_year": "2026"}, "must be a real date"),
        ({"since_day": "1", "since_year": "2026"}, "must include a month"),
        ({"kind": "nonsense"}, "Select the kinds of event to show from the list"),
    ],
)
def test_a_filter_that_makes_no_sense_gets_a_message_never_a_traceback(
    client, practitioner, case, family, query, message
):
    response = client.get(_household_url(family), query)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_pages_of_a_filtered_chronology_keep_the_filter(client, practitioner, case, family):
    start = at(date(2026, 10, 1))
    for n in range(30):
        record_contact(
            case=case,
            author=practitioner,
            kind="phone_call",
            occurred_at=start + timedelta(hours=n),
            note=f"Call {n}",
        )
    html = client.get(_household_url(family), {"by": str(practitioner.pk)}).content.decode()
    assert "30 events" in html
    assert f"by={practitioner.pk}&amp;page=2" in html


# --- facts, moves and allocations as events ---------------------------------------------


def test_a_recorded_fact_is_an_event_of_the_persons_and_the_familys_chronology(
    client, manager, case, family
):
    RiskFactory(
        person=family["yusuf"], description="Missed two days of school", recorded_by=manager
    )
    for url in (
        reverse("people:person_chronology", args=[family["yusuf"].public_id]),
        _household_url(family),
    ):
        html = client.get(url).content.decode()
        assert "Risk recorded for Yusuf" in html
        assert "Missed two days of school" in html


def test_a_special_category_fact_is_left_out_for_a_worker_without_need_to_know(
    client, practitioner, case, family
):
    # Priya is in the team but not allocated: the person page hides health from her too.
    HealthConditionFactory(person=family["yusuf"], description="Asthma, inhaler at school")
    RiskFactory(person=family["yusuf"], description="Missed two days of school")
    for url in (
        reverse("people:person_chronology", args=[family["yusuf"].public_id]),
        _household_url(family),
        reverse("cases:person_chronology_print", args=[family["yusuf"].public_id]),
    ):
        html = client.get(url).content.decode()
        assert "Asthma" not in html and "Risk recorded for Yusuf" in html
    health = _health_only()
    looks = AuditEvent.objects.filter(action="view", record_type="person")
    assert all(not health & set(look.categories) for look in looks)


def test_the_allocated_worker_sees_a_health_fact_and_the_look_records_health_against_that_child(
    client, practitioner, case, family
):
    case.allocated_worker = practitioner
    case.save(update_fields=["allocated_worker"])
    HealthConditionFactory(person=family["yusuf"], description="Asthma, inhaler at school")
    before = AuditEvent.objects.latest("id").id
    html = client.get(_household_url(family)).content.decode()
    assert "Health condition recorded for Yusuf" in html and "Asthma" in html
    looks = AuditEvent.objects.filter(
        id__gt=before, action="view", record_type="person", details__page="chronology"
    )
    categories = {look.record_id: set(look.categories) for look in looks}
    health = _health_only()
    assert health <= categories[str(family["yusuf"].public_id)]
    # Leila's look carries no health: nothing of hers about health was shown.
    assert not health & categories[str(family["leila"].public_id)]


def test_a_move_is_an_event_and_a_former_members_later_moves_are_not_the_familys(
    practitioner, case, family
):
    PersonAddressFactory(
        person=family["mum"],
        address=AddressFactory(line_1="12 Malden Road", postcode="NW5 3HS"),
        moved_in=date(2024, 3, 1),
    )
    # Leila left the household on 1 October; her move after that is hers alone.
    HouseholdMember.objects.filter(person=family["leila"]).update(left_on=date(2026, 10, 1))
    PersonAddressFactory(
        person=family["leila"],
        address=AddressFactory(line_1="3 Grafton Road", postcode="NW5 4BB"),
        moved_in=date(2026, 10, 2),
    )
    from earlyhelp.cases.chronology import Subject, household_people

    subjects = [Subject(p, (), stays) for p, stays in household_people(family["household"])]
    events = household_chronology(family["household"], {"address"}, subjects=subjects)
    said = [(e.title, e.summary) for e in events]
    assert ("Amira moved in", "12 Malden Road, London, NW5 3HS") in said
    assert not any("Grafton" in summary for _, summary in said)
    mine = person_chronology(family["leila"], {"address"}, subjects=[Subject(family["leila"], ())])
    assert [e.title for e in mine] == ["Leila moved in"]


def test_an_address_change_shows_in_the_chronology_page_and_is_audited_as_contact_details(
    client, practitioner, case, family
):
    PersonAddressFactory(
        person=family["yusuf"],
        address=AddressFactory(line_1="7 Lismore Circus", postcode="NW5 4QF"),
        moved_in=date(2026, 10, 3),
        moved_out=date(2026, 11, 3),
    )
    before = AuditEvent.objects.latest("id").id
    url = reverse("people:person_chronology", args=[family["yusuf"].public_id])
    html = client.get(url, {"kind": "address"}).content.decode()
    assert "Yusuf moved in" in html and "Yusuf moved out" in html and "7 Lismore Circus" in html
    looks = AuditEvent.objects.filter(
        id__gt=before, record_type="person", record_id=str(family["yusuf"].public_id)
    )
    assert looks and all(set(categories_of(PersonAddress)) <= set(x.categories) for x in looks)


def test_each_allocation_is_an_event_naming_the_worker_and_the_reason(
    client, practitioner, manager, case, family
):
    _named(practitioner, "Priya", "Shah")
    _named(manager, "Marcus", "Reid")
    Allocation.objects.create(
        case=case, worker=practitioner, allocated_by=manager, reason="Knows the school well"
    )
    html = client.get(_household_url(family), {"kind": "allocation"}).content.decode()
    assert "Case allocated to Priya Shah" in html
    assert "Knows the school well" in html and "Recorded by Marcus Reid" in html


# --- print view -------------------------------------------------------------------------


def test_the_print_view_shows_every_filtered_event_on_one_page_and_is_audited(
    client, practitioner, case, family
):
    start = at(date(2026, 10, 1))
    for n in range(30):
        record_contact(
            case=case,
            author=None,
            kind="phone_call",
            occurred_at=start + timedelta(hours=n),
            note=f"Call {n}",
        )
    before = AuditEvent.objects.latest("id").id
    response = client.get(
        _household_url(family, "cases:household_chronology_print"), {"kind": "contact"}
    )
    html = response.content.decode()
    assert "Call 0" in html and "Call 29" in html and "30 events" in html
    assert "Case opened" not in html
    assert 'class="govuk-header' not in html  # a clean page: no header or navigation
    assert "Only: contact" in html
    looks = AuditEvent.objects.filter(id__gt=before, details__page="chronology-print")
    assert looks.filter(record_type="household").count() == 1
    people = set(looks.filter(record_type="person").values_list("record_id", flat=True))
    assert {str(family[n].public_id) for n in ("mum", "yusuf", "leila")} <= people


def test_the_chronology_links_to_its_print_view_with_the_same_filter(
    client, practitioner, case, family
):
    html = client.get(_household_url(family), {"kind": "contact"}).content.decode()
    print_url = _household_url(family, "cases:household_chronology_print")
    assert f'href="{print_url}?kind=contact"' in html


def test_the_case_chronology_and_its_print_show_the_cases_work(client, practitioner, case, family):
    record_contact(
        case=case, author=None, kind="home_visit", occurred_at=at(date(2026, 10, 2)), note="Visit"
    )
    for name in ("cases:case_chronology", "cases:case_chronology_print"):
        html = client.get(reverse(name, args=[case.public_id])).content.decode()
        assert "Visit" in html and "Case opened" in html and case.reference in html


# --- the case page ----------------------------------------------------------------------


def test_every_case_has_its_own_reference_that_says_nothing_about_the_family(
    client, practitioner, case, family, team
):
    other = open_case(
        service="family-support-and-complex-families",
        household=family["household"],
        children=[family["leila"]],
        reason="Another",
        team=team,
        started=date(2026, 9, 3),
        created_by=None,
    )
    assert re.fullmatch(r"C-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", case.reference)
    assert case.reference != other.reference
    assert re.fullmatch(r"C-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", new_case_reference())
    html = client.get(reverse("cases:case", args=[case.public_id])).content.decode()
    assert "Case reference" in html and case.reference in html


def test_cases_written_in_bulk_get_a_reference_too(family, team):
    [made] = Case.objects.bulk_create(
        [Case(service="family-support-and-complex-families", reason="Bulk", team=team)]
    )
    assert Case.objects.get(pk=made.pk).reference.startswith("C-")


def test_a_plan_replaced_by_a_later_agreed_plan_is_marked_superseded(
    client, practitioner, case, family
):
    old = PlanFactory(case=case, agreed=date(2026, 9, 10), review_date=date(2026, 12, 1))
    PlanFactory(case=case, agreed=date(2026, 10, 20), review_date=date(2027, 1, 20))
    html = client.get(reverse("cases:case", args=[case.public_id])).content.decode()
    assert html.count(">Superseded<") == 1
    assert html.index("Plan agreed 10 September 2026") > html.index("Plan agreed 20 October 2026")
    assert "replaced by the plan agreed 20 October 2026" in html
    plan_page = client.get(
        reverse("cases:plan", args=[case.public_id, old.public_id])
    ).content.decode()
    assert ">Superseded<" in plan_page


def test_the_case_page_links_to_every_contact_a_page_at_a_time_and_the_look_is_audited(
    client, practitioner, case, family
):
    start = at(date(2026, 9, 2))
    for n in range(30):
        record_contact(
            case=case,
            author=None,
            kind="phone_call",
            occurred_at=start + timedelta(hours=n),
            note=f"Contact number {n}.",
        )
    case_page = client.get(reverse("cases:case", args=[case.public_id])).content.decode()
    url = reverse("cases:case_contacts", args=[case.public_id])
    assert f'href="{url}"' in case_page and "All 30 contacts" in case_page
    before = AuditEvent.objects.latest("id").id
    first = client.get(url).content.decode()
    assert "Contact number 29." in first and "Contact number 5." in first
    assert "Contact number 4." not in first and "Page 1 of 2" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert "Contact number 4." in second and "Contact number 0." in second
    looks = AuditEvent.objects.filter(id__gt=before, details__page="case-contacts")
    assert looks.filter(record_type="case", record_id=str(case.public_id)).exists()
    people = set(looks.filter(record_type="person").values_list("record_id", flat=True))
    assert {str(family[n].public_id) for n in ("mum", "yusuf", "leila")} <= people


def test_the_list_of_contacts_is_refused_to_a_worker_of_another_team(
    client, make_user, sign_in, case
):
    from tests.factories import TeamFactory

    stranger = make_user("zed", Role.PRACTITIONER)
    TeamFactory(name="Youth South").members.add(stranger)
    sign_in(stranger)
    for name in ("cases:case_contacts", "cases:case_chronology_print"):
        assert client.get(reverse(name, args=[case.public_id])).status_code == 403


def test_the_filter_forms_boxes_have_their_own_ids_and_its_errors_link_to_them(
    client, practitioner, case, family
):
    # The filter is a GET form (tests/web/test_choice_ids.py checks the POSTed forms): the
    # same checks, on its page drawn with an error in each field.
    from earlyhelp.web.templatetags.govuk import first_input_id
    from tests.web.test_choice_ids import check_page

    query = {
        "kind": "nonsense",
        "since_day": "31",
        "since_month": "2",
        "since_year": "2026",
        "until_day": "1",
        "until_month": "1",
        "by": "0",
    }
    response = client.get(_household_url(family), query)
    page = check_page(response.content.decode(), "chronology")
    form = response.context["form"]
    assert page.summary_links == [first_input_id(form[name]) for name in form.errors]
    assert set(page.summary_links) == {"id_kind_0", "id_since_0", "id_until_0", "id_by_0"}
    assert {"id_kind_0", "id_since_0", "id_until_0", "id_by_0"} <= set(page.labels)


def test_the_print_view_carries_a_long_notes_whole_text_where_the_page_shortens_it(
    client, practitioner, case, family
):
    ending = "and she will call the school on Friday to ask about the reading group."
    note = "Mum said the housing officer visited. " * 12 + ending
    record_contact(
        case=case, author=None, kind="phone_call", occurred_at=at(date(2026, 10, 2)), note=note
    )
    page = client.get(_household_url(family)).content.decode()
    assert ending not in page and "…" in page
    printed = client.get(_household_url(family, "cases:household_chronology_print"))
    assert ending in printed.content.decode()
