"""Case dates are plausible: a case starts after its eldest child was born and by today; a
contact is not before anyone there was born (issue 11, item 2)."""

from datetime import date

from django.urls import reverse
from django.utils.html import escape

from earlyhelp.cases.forms import ContactForm, OpenCaseForm
from earlyhelp.cases.models import Case, Contact


def open_case_data(team, child, started: date) -> dict:
    return {
        "service": "family-support-and-complex-families",
        "team": str(team.pk),
        "children": [str(child.public_id)],
        "reason": "Referred by school: attendance",
        "started_day": str(started.day),
        "started_month": str(started.month),
        "started_year": f"{started.year:04d}",
    }


def test_a_case_starting_on_1_january_0001_is_refused(client, practitioner, team, family):
    before = Case.objects.count()
    url = reverse("cases:open_case", args=[family["yusuf"].public_id])
    page = client.post(url, open_case_data(team, family["yusuf"], date(1, 1, 1))).content
    message = "Start date must be between Yusuf Haddad's date of birth (9 February 2016) and today"
    assert escape(message) in page.decode()
    assert Case.objects.count() == before


def test_a_case_may_start_on_the_day_its_child_was_born(team, family):
    yusuf = family["yusuf"]
    form = OpenCaseForm(
        open_case_data(team, yusuf, yusuf.date_of_birth),
        services=[("family-support-and-complex-families", "Family support")],
        teams=[team],
        people=[yusuf],
    )
    assert form.is_valid(), form.errors


def test_a_case_about_a_child_with_no_birth_date_cannot_start_before_1900(team, family):
    yusuf = family["yusuf"]
    yusuf.date_of_birth = None
    form = OpenCaseForm(
        open_case_data(team, yusuf, date(1899, 12, 31)), services=[], teams=[team], people=[yusuf]
    )
    form.is_valid()
    assert form.errors["started"] == ["Start date must be between 1 January 1900 and today"]


def test_a_contact_before_someone_present_was_born_is_refused(client, practitioner, case, family):
    url = reverse("cases:add_contact", args=[case.public_id])
    data = {
        "kind": "home_visit",
        "occurred_on_day": "1",
        "occurred_on_month": "1",
        "occurred_on_year": "2021",
        "note": "Home visit.",
        "people_present": [str(family["mum"].public_id), str(family["leila"].public_id)],
    }
    page = client.post(url, data).content.decode()
    message = (
        "Date of the contact must be between Leila Haddad's date of birth (30 August 2021) "
        "and today"
    )
    assert escape(message) in page
    assert Contact.objects.count() == 0


def test_a_contact_in_the_year_1_is_refused_with_the_range(family):
    form = ContactForm(
        {
            "kind": "home_visit",
            "occurred_on_day": "1",
            "occurred_on_month": "1",
            "occurred_on_year": "0001",
            "note": "Visit",
        },
        people=[family["mum"]],
    )
    assert form.errors["occurred_on"] == [
        "Date of the contact must be between 1 January 1900 and today"
    ]
