"""The recipient's destruction of an extract (issue 18 item 6): each extract's date is
tracked; once it has passed, the information governance officer is reminded to obtain the
recipient's confirmation, and records it once, audited."""

import html
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.extracts.destruction import (
    ConfirmationRefused,
    extracts_awaiting_confirmation,
    overdue_reminder,
    record_recipient_destruction,
)
from earlyhelp.extracts.models import Extract
from tests.factories import ExtractFactory

NOTE = "Email from the LIIA data manager, reference DST-2033-014"


def _extract(destruction_due: date | None, extract_date: date | None = None) -> Extract:
    today = timezone.localdate()
    return ExtractFactory(
        project="liia",
        extract_date=extract_date or today - timedelta(days=6 * 366),
        destruction_due=destruction_due,
        rows=12,
    )


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


@pytest.fixture
def officer(make_user):
    return make_user("iona", Role.INFORMATION_GOVERNANCE)


@pytest.fixture
def ig_client(officer, sign_in):
    return sign_in(officer)


def _home(client) -> str:
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


# --- the reminder ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_extract_is_awaiting_confirmation_only_once_its_destruction_date_has_passed():
    due = date(2032, 11, 25)
    extract = _extract(due, extract_date=date(2026, 11, 25))

    assert extract not in extracts_awaiting_confirmation(due - timedelta(days=1))
    assert extract not in extracts_awaiting_confirmation(due)  # the recipient has the day
    assert list(extracts_awaiting_confirmation(due + timedelta(days=1))) == [extract]


@pytest.mark.django_db
def test_an_extract_without_a_destruction_date_is_never_awaiting_confirmation():
    _extract(None)
    assert not extracts_awaiting_confirmation(date(2099, 1, 1)).exists()


@pytest.mark.django_db
def test_the_reminder_for_the_retention_plan_names_the_count_the_earliest_date_and_the_page():
    _extract(date(2032, 11, 25))
    _extract(date(2033, 1, 10))
    _extract(date(2040, 1, 1))  # not yet due

    reminder = overdue_reminder(date(2033, 2, 1))

    assert len(reminder.extracts) == 2 and reminder
    assert reminder.words.startswith("2 extracts have passed the dates")
    assert "the earliest 25 November 2032" in reminder.words
    assert reverse("extracts:destruction") in reminder.words
    assert not overdue_reminder(date(2032, 11, 25))
    assert overdue_reminder(date(2032, 11, 25)).words == ""


@pytest.mark.django_db
def test_the_officers_home_page_reminds_them_once_the_date_has_passed_and_not_before(ig_client):
    today = timezone.localdate()
    extract = _extract(today)

    assert 'id="extracts-awaiting-confirmation"' not in _home(ig_client)

    Extract.objects.filter(pk=extract.pk).update(destruction_due=today - timedelta(days=1))
    page = _home(ig_client)

    assert 'id="extracts-awaiting-confirmation"' in page
    assert "1 extract has passed the date by which its recipient had to have destroyed it" in page
    assert reverse("extracts:destruction") in page


@pytest.mark.django_db
def test_the_destruction_page_lists_overdue_extracts_with_a_link_to_record_each(ig_client):
    today = timezone.localdate()
    overdue = _extract(today - timedelta(days=3))
    not_yet = _extract(today + timedelta(days=30))

    response = ig_client.get(reverse("extracts:destruction"))

    assert response.status_code == 200
    assert response.context["overdue"] == [overdue]
    page = response.content.decode()
    assert reverse("extracts:confirm_destruction", args=[overdue.public_id]) in page
    assert reverse("extracts:confirm_destruction", args=[not_yet.public_id]) not in page
    assert "London Innovation and Improvement Alliance" in page  # the project's name, not id


# --- recording the confirmation -------------------------------------------------------------


@pytest.mark.django_db
def test_the_officer_records_the_recipients_confirmation_once_and_it_is_audited(ig_client, officer):
    today = timezone.localdate()
    extract = _extract(today - timedelta(days=10))
    url = reverse("extracts:confirm_destruction", args=[extract.public_id])
    confirmed_on = today - timedelta(days=12)
    form = {
        "confirmed_on_day": confirmed_on.day,
        "confirmed_on_month": confirmed_on.month,
        "confirmed_on_year": confirmed_on.year,
        "note": NOTE,
    }

    response = ig_client.post(url, form)

    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == reverse("extracts:destruction")
    extract.refresh_from_db()
    assert extract.destruction_confirmed_on == confirmed_on
    assert extract.destruction_confirmation == NOTE
    assert extract.destruction_confirmed_by == officer
    event = AuditEvent.objects.get(record_type="extract", record_id=str(extract.public_id))
    assert event.action == "change" and event.actor == officer
    assert event.rule == "project:liia"
    assert event.details["confirmed_on"] == confirmed_on.isoformat()
    assert event.details["confirmation"] == NOTE
    # No longer awaiting; listed as confirmed; no reminder.
    assert not extracts_awaiting_confirmation(today).exists()
    page = ig_client.get(reverse("extracts:destruction")).content.decode()
    assert NOTE in page
    assert 'id="extracts-awaiting-confirmation"' not in _home(ig_client)

    # A second time: refused, saying it is recorded once; nothing changes, nothing audited.
    again = ig_client.post(url, {**form, "note": "Another confirmation, ref 2"})
    assert again.status_code == 200
    assert "it is recorded once" in html.unescape(again.content.decode())
    extract.refresh_from_db()
    assert extract.destruction_confirmation == NOTE
    assert AuditEvent.objects.filter(record_type="extract").count() == 1


@pytest.mark.django_db
def test_a_confirmation_is_recorded_once_even_when_the_service_is_called_twice(officer):
    extract = _extract(date(2020, 1, 1), extract_date=date(2014, 1, 1))
    record_recipient_destruction(_request(officer), extract, date(2019, 12, 1), NOTE)

    with pytest.raises(ConfirmationRefused, match=r"^extract: .*recorded once"):
        record_recipient_destruction(_request(officer), extract, date(2019, 12, 2), NOTE)


def _refusal(ig_client, extract, day, month, year, note=NOTE) -> tuple[int, str]:
    url = reverse("extracts:confirm_destruction", args=[extract.public_id])
    response = ig_client.post(
        url,
        {
            "confirmed_on_day": day,
            "confirmed_on_month": month,
            "confirmed_on_year": year,
            "note": note,
        },
    )
    return response.status_code, " ".join(html.unescape(response.content.decode()).split())


@pytest.mark.django_db
def test_a_confirmation_dated_in_the_future_is_refused_naming_the_date(ig_client):
    tomorrow = timezone.localdate() + timedelta(days=1)
    extract = _extract(timezone.localdate() - timedelta(days=1))

    status, page = _refusal(ig_client, extract, tomorrow.day, tomorrow.month, tomorrow.year)

    assert status == 200
    assert "The date the recipient destroyed it must be today or in the past" in page
    assert 'href="#id_confirmed_on_0"' in page  # the summary links to the date's boxes
    extract.refresh_from_db()
    assert not extract.destruction_confirmed
    assert not AuditEvent.objects.filter(record_type="extract").exists()


@pytest.mark.django_db
def test_a_confirmation_dated_before_the_extract_is_refused_naming_the_extract_date(ig_client):
    extract = _extract(date(2025, 1, 1), extract_date=date(2019, 1, 1))

    status, page = _refusal(ig_client, extract, 31, 12, 2018)

    assert status == 200
    assert (
        "The date the recipient destroyed it must be the same as or after the date of the "
        "extract (1 January 2019)" in page
    )
    extract.refresh_from_db()
    assert not extract.destruction_confirmed


@pytest.mark.django_db
def test_a_date_that_is_not_a_date_is_refused_naming_the_date(ig_client):
    extract = _extract(date(2025, 1, 1), extract_date=date(2019, 1, 1))

    status, page = _refusal(ig_client, extract, 31, 2, 2024)

    assert status == 200
    assert "The date the recipient destroyed it must be a real date" in page
    extract.refresh_from_db()
    assert not extract.destruction_confirmed


@pytest.mark.parametrize(
    ("note", "words"),
    [
        ("", "Enter the recipient's confirmation"),
        ("   ", "Enter the recipient's confirmation"),
        ("12345678", "The recipient's confirmation must include at least one letter"),
        ("ok", "The recipient's confirmation must say who confirmed it and how"),
        ("x" * 501, "The recipient's confirmation must be 500 characters or fewer"),
    ],
    ids=["empty", "blank", "no-letter", "too-short", "too-long"],
)
@pytest.mark.django_db
def test_a_confirmation_without_a_plausible_note_is_refused_naming_the_note(ig_client, note, words):
    extract = _extract(date(2025, 1, 1), extract_date=date(2019, 1, 1))

    status, page = _refusal(ig_client, extract, 1, 2, 2025, note=note)

    assert status == 200
    assert words in page
    assert 'href="#id_note"' in page
    extract.refresh_from_db()
    assert not extract.destruction_confirmed


@pytest.mark.django_db
def test_the_service_names_the_field_it_refuses(officer):
    extract = _extract(date(2025, 1, 1), extract_date=date(2019, 1, 1))
    with pytest.raises(ConfirmationRefused, match=r"^confirmed_on: "):
        record_recipient_destruction(_request(officer), extract, date(2018, 1, 1), NOTE)
    with pytest.raises(ConfirmationRefused, match=r"^note: "):
        record_recipient_destruction(_request(officer), extract, date(2025, 1, 1), "")


# --- who may -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    [Role.PRACTITIONER, Role.TEAM_MANAGER, Role.ANALYST, Role.SYSTEM_ADMINISTRATOR],
    ids=lambda r: r.value,
)
@pytest.mark.django_db
def test_only_the_information_governance_officer_may_record_a_confirmation_others_get_403(
    make_user, sign_in, role
):
    extract = _extract(date(2025, 1, 1), extract_date=date(2019, 1, 1))
    someone = make_user(f"someone-{role.value}", role)
    client = sign_in(someone)
    url = reverse("extracts:confirm_destruction", args=[extract.public_id])

    response = client.post(
        url,
        {"confirmed_on_day": 1, "confirmed_on_month": 2, "confirmed_on_year": 2025, "note": NOTE},
    )

    assert response.status_code == 403
    assert client.get(reverse("extracts:destruction")).status_code == 403
    extract.refresh_from_db()
    assert not extract.destruction_confirmed
    assert not AuditEvent.objects.filter(record_type="extract").exists()
    with pytest.raises(PermissionDenied):
        record_recipient_destruction(_request(someone), extract, date(2025, 2, 1), NOTE)


@pytest.mark.django_db
def test_the_analyst_reads_the_recorded_confirmation_on_the_manifest_page(
    officer, make_user, sign_in
):
    extract = _extract(date(2025, 1, 1), extract_date=date(2019, 1, 1))
    record_recipient_destruction(_request(officer), extract, date(2024, 12, 1), NOTE)
    analyst = sign_in(make_user("anwen", Role.ANALYST))

    page = analyst.get(reverse("extracts:detail", args=[extract.public_id])).content.decode()

    assert "Destroyed on 1 December 2024" in page and NOTE in page
    assert reverse("extracts:confirm_destruction", args=[extract.public_id]) not in page
