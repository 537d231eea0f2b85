"""A form that records something is recorded once, however often it is sent (issue 11):
a one-time token in each form, held unique by the database; POST/redirect/GET."""

import re
from datetime import timedelta
from pathlib import Path

from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.roles import Role
from earlyhelp.cases.models import Contact
from earlyhelp.people.models import Person
from earlyhelp.web.models import FormSubmission
from earlyhelp.web.once import _key
from tests.factories import FormSubmissionFactory

NEW_PERSON = {
    "given_name": "Zainab",
    "family_name": "Okafor",
    "date_of_birth_day": "9",
    "date_of_birth_month": "2",
    "date_of_birth_year": "2016",
    "nhs_number": "",
    "upn": "",
    "postcode": "",
}


def token_on(page: str) -> str:
    found = re.findall(r'name="form_token" value="([^"]+)"', page)
    assert len(found) == 1, found
    return found[0]


def test_each_form_shown_carries_its_own_token(client, practitioner):
    first = client.get(reverse("people:create")).content.decode()
    second = client.get(reverse("people:create")).content.decode()
    assert token_on(first) != token_on(second)
    assert 'data-prevent-double-click="true"' in first


def test_a_person_form_sent_twice_records_one_person(client, practitioner):
    token = token_on(client.get(reverse("people:create")).content.decode())
    first = client.post(reverse("people:create"), {**NEW_PERSON, "form_token": token})
    second = client.post(reverse("people:create"), {**NEW_PERSON, "form_token": token})
    assert Person.objects.filter(given_name="Zainab").count() == 1
    assert first.status_code == second.status_code == 302
    assert second.url == first.url  # the record the first sending made
    page = client.get(second.url).content.decode()
    assert "That form was sent twice: it was saved once" in page


def test_a_contact_sent_twice_records_one_contact(client, practitioner, case, family):
    url = reverse("cases:add_contact", args=[case.public_id])
    token = token_on(client.get(url).content.decode())
    form = {
        "kind": "phone_call",
        "occurred_on_day": "2",
        "occurred_on_month": "10",
        "occurred_on_year": "2026",
        "occurred_time": "10:30",
        "people_present": [str(family["mum"].public_id)],
        "note": "Called Amira about the school meeting.",
        "form_token": token,
    }
    before = Contact.objects.count()
    client.post(url, form)
    client.post(url, form)
    assert Contact.objects.count() == before + 1


def test_a_form_sent_with_errors_can_be_corrected_and_sent_with_its_token(client, practitioner):
    token = token_on(client.get(reverse("people:create")).content.decode())
    refused = client.post(
        reverse("people:create"), {**NEW_PERSON, "given_name": "", "form_token": token}
    )
    assert refused.status_code == 200
    saved = client.post(reverse("people:create"), {**NEW_PERSON, "form_token": token})
    assert saved.status_code == 302
    assert Person.objects.filter(given_name="Zainab").count() == 1


def test_a_second_sending_while_the_first_is_being_saved_records_nothing(client, practitioner):
    # The first sending, still being saved.
    FormSubmissionFactory(token=_key("t" * 32, reverse("people:create")), user=practitioner)
    response = client.post(reverse("people:create"), {**NEW_PERSON, "form_token": "t" * 32})
    assert response.status_code == 409
    assert "That form was sent twice" in response.content.decode()
    assert not Person.objects.filter(given_name="Zainab").exists()


def test_another_accounts_token_leads_nowhere_and_records_nothing(client, practitioner, make_user):
    other = make_user("sam", Role.PRACTITIONER)
    key = _key("u" * 32, reverse("people:create"))
    FormSubmissionFactory(token=key, user=other, location="/people/elsewhere")
    response = client.post(reverse("people:create"), {**NEW_PERSON, "form_token": "u" * 32})
    assert response.status_code == 409
    assert not Person.objects.filter(given_name="Zainab").exists()


def test_tokens_older_than_a_day_are_forgotten(client, practitioner):
    old = FormSubmissionFactory(token="o" * 32, user=practitioner, location="/x")
    FormSubmission.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    client.post(reverse("people:create"), {**NEW_PERSON, "form_token": "n" * 32})
    assert not FormSubmission.objects.filter(token="o" * 32).exists()


# Forms that record nothing a second sending could repeat: signing in and out, one's own
# password and authenticator, search, and switching an account off or on (idempotent).
NOTHING_TO_REPEAT = {
    "web/templates/base.html",
    "access/templates/access/sign_in.html",
    "access/templates/access/sign_in_code.html",
    "access/templates/access/enrol.html",
    "access/templates/access/change_password.html",
    "access/templates/access/staff/detail.html",
    # The public rights form's questions keep each answer in the session: sent twice, the
    # answer is the same. Only its check-your-answers page records something.
    "rights/templates/rights/public/question.html",
}


def test_every_form_that_records_something_carries_a_token():
    root = Path(__file__).resolve().parents[2] / "src" / "earlyhelp"
    missing = []
    for template in root.glob("*/templates/**/*.html"):
        name = str(template.relative_to(root))
        text = template.read_text()
        for form in re.findall(r"<form[^>]*method=\"post\".*?</form>", text, flags=re.S):
            # A search (the search page's, or one inside a page that adds whom it finds,
            # marked name="search") records only that it was made: sent twice, it repeats
            # nothing.
            searching = "people:search" in form or 'name="search"' in form
            if "form_token" in form or searching or name in NOTHING_TO_REPEAT:
                continue
            missing.append(name)
    assert missing == []


def test_a_token_of_any_length_is_kept_once(client, practitioner):
    token = "x" * 5000
    client.post(reverse("people:create"), {**NEW_PERSON, "form_token": token})
    client.post(reverse("people:create"), {**NEW_PERSON, "form_token": token})
    assert Person.objects.filter(given_name="Zainab").count() == 1
    assert len(FormSubmission.objects.get().token) == 64  # a hash, never the token


def test_a_token_spent_on_a_page_that_failed_is_free_again(client, practitioner, family):
    token = token_on(client.get(reverse("people:create")).content.decode())
    person = family["yusuf"].public_id
    missing = f"/people/{person}/record/nope"
    assert client.post(missing, {"form_token": token}).status_code == 404
    saved = client.post(reverse("people:create"), {**NEW_PERSON, "form_token": token})
    assert saved.status_code == 302
    assert not FormSubmission.objects.filter(location="").exists()


def test_a_token_counts_for_the_form_it_came_with(client, practitioner, family):
    token = token_on(client.get(reverse("people:create")).content.decode())
    phone = reverse("people:add_contact_method", args=[family["mum"].public_id])
    first = client.post(
        phone,
        {"kind": "telephone", "value": "07700 900123", "source": "family", "form_token": token},
    )
    assert first.status_code == 302  # saved, on another form
    saved = client.post(reverse("people:create"), {**NEW_PERSON, "form_token": token})
    assert saved.status_code == 302
    assert Person.objects.filter(given_name="Zainab").count() == 1


def test_a_password_reset_sent_twice_resets_once_and_shows_the_password_once(
    client, make_user, sign_in
):
    admin = make_user("alex", Role.SYSTEM_ADMINISTRATOR)
    sign_in(admin)
    worker = make_user("ben", Role.PRACTITIONER)
    url = reverse("staff:reset_password", args=[worker.pk])
    token = token_on(client.get(url).content.decode())
    first = client.post(url, {"form_token": token}, follow=True)
    worker.refresh_from_db()
    hashed = worker.password
    assert "set-up-password" in first.content.decode()
    # Sent again (or the page refreshed): the same page, the password not shown again.
    second = client.post(url, {"form_token": token}, follow=True)
    page = second.content.decode()
    assert "Temporary password shown already" in page and "set-up-password" not in page
    refreshed = client.get(first.redirect_chain[-1][0]).content.decode()
    assert "set-up-password" not in refreshed
    worker.refresh_from_db()
    assert worker.password == hashed  # not reset a second time
