"""The public rights and complaints form: page by page, the answers in the session, the
check page, the reference and what happens next; no lookup, no files, a rate limit."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from earlyhelp.policy.active import active_policy
from earlyhelp.policy.decisions import deadline_rule
from earlyhelp.rights import public
from earlyhelp.rights.models import RightsRequest
from earlyhelp.rights.public_forms import ReplyForm
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

BORN = date(2014, 4, 4)
NAME = "Amira Hassan"
EMAIL = "parent@example.com"


def _born(day: date) -> dict:
    return {
        "subject_date_of_birth_day": str(day.day),
        "subject_date_of_birth_month": str(day.month),
        "subject_date_of_birth_year": str(day.year),
    }


REQUEST_PAGES = [
    ("what", {"kind": "request"}),
    ("who", {"requester_is": "parent"}),
    ("your-name", {"requester_name": "Sam Hassan"}),
    ("request", {"rights_asked": ["access", "object"], "details": ""}),
    ("uses", {"objection_projects": ["liia"]}),
    (
        "about",
        {
            "subject_name": NAME,
            "subject_other_names": "",
            "subject_address": "1 Test Street, London",
            **_born(BORN),
        },
    ),
    ("records", {"services_used": ["integrated-early-years"], "dates_involved": "2021 to 2023"}),
    ("reply", {"reply_by": "email", "requester_email": EMAIL}),
]

COMPLAINT_PAGES = [
    ("what", {"kind": "complaint"}),
    ("who", {"requester_is": "self"}),
    ("complaint", {"complaint": "A letter about me was sent to the wrong address."}),
    ("about", {"subject_name": NAME, **_born(date(1990, 5, 6))}),
    ("records", {}),
    ("reply", {"reply_by": "post", "requester_address": "1 Test Street, London NW1 1AA"}),
]


def fill(client: Client, pages: list[tuple[str, dict]], *, complete: bool = True) -> list:
    """Answer each page in turn; every answer must be accepted and lead to the next page
    (after the last of a ``complete`` form, the check page)."""
    responses = []
    for i, (slug, data) in enumerate(pages):
        response = client.post(reverse(f"rights_public:{slug}"), data)
        assert response.status_code == 302, (slug, response.content.decode()[:2000])
        if i + 1 < len(pages):
            assert response.url == reverse(f"rights_public:{pages[i + 1][0]}"), slug
        responses.append(response)
    if complete:
        assert response.url == reverse("rights_public:check")
    return responses


def send(client: Client, pages: list[tuple[str, dict]]) -> RightsRequest:
    fill(client, pages)
    response = client.post(reverse("rights_public:check"))
    assert response.status_code == 302 and response.url == reverse("rights_public:sent")
    return RightsRequest.objects.get()


def test_a_request_sent_page_by_page_creates_one_request_under_the_rule_in_force(client) -> None:
    rights_request = send(client, REQUEST_PAGES)
    today = timezone.localdate()
    assert RightsRequest.objects.count() == 1
    assert rights_request.kind == RightsRequest.Kind.REQUEST
    assert rights_request.channel == RightsRequest.Channel.WEB_FORM
    assert rights_request.received == today
    assert rights_request.created_by is None
    assert rights_request.clock_rule["id"] == deadline_rule(active_policy(), today, "uk-gdpr").id
    assert rights_request.policy_version == active_policy().version
    assert rights_request.requester_is == "parent"
    assert rights_request.requester_name == "Sam Hassan"
    assert rights_request.requester_email == EMAIL
    assert rights_request.rights_asked == ["access", "object"]
    assert rights_request.objection_projects == ["liia"]
    assert rights_request.subject_name == NAME
    assert rights_request.subject_date_of_birth == BORN
    assert rights_request.services_used == ["integrated-early-years"]
    assert rights_request.dates_involved == "2021 to 2023"
    # The answers leave the session once sent: sending again makes nothing.
    assert client.post(reverse("rights_public:check")).status_code == 302
    assert RightsRequest.objects.count() == 1


def test_the_sent_page_gives_the_reference_and_the_time_limit_in_the_policys_words(
    client,
) -> None:
    rights_request = send(client, REQUEST_PAGES)
    page = client.get(reverse("rights_public:sent")).content.decode()
    assert rights_request.reference in page
    assert "We will respond within one calendar month" in page
    assert "bank holiday in England" in page
    assert "Do not send documents through this form" in page
    assert "we will contact you by email" in page
    assert active_policy().complaints.contact_us_first in page


def test_a_complaint_creates_a_complaint_with_the_complaint_rule(client) -> None:
    complaint = send(client, COMPLAINT_PAGES)
    handling = active_policy().complaints.handling
    assert complaint.kind == RightsRequest.Kind.COMPLAINT
    assert complaint.complaint_rule == handling.model_dump(mode="json")
    assert complaint.requester_name == NAME  # asking for themselves
    assert complaint.rights_asked == []
    assert complaint.details == "A letter about me was sent to the wrong address."
    assert complaint.reply_by == "post" and complaint.requester_email == ""
    page = client.get(reverse("rights_public:sent")).content.decode()
    due = timezone.localdate() + timedelta(days=handling.acknowledge_within_days)
    assert (
        f"within {handling.acknowledge_within_days} days of receiving it, by {due.day} {due:%B %Y}"
        in page
    )
    assert "tell you the outcome without undue delay" in page
    ico = active_policy().complaints.ico
    for route in (ico.phone, ico.live_chat, ico.webform, ico.website):
        assert route in page


@pytest.mark.parametrize(
    ("slug", "data", "field", "message"),
    [
        ("what", {}, "kind", "Select what you want to do"),
        ("who", {}, "requester_is", "Select who is asking"),
        ("your-name", {"requester_name": " "}, "requester_name", "Enter your full name"),
        (
            "your-name",
            {"requester_name": "12345"},
            "requester_name",
            "must include at least one letter",
        ),
        ("request", {}, "rights_asked", "Select at least one thing you want us to do"),
        ("request", {"rights_asked": ["other"]}, "details", "say what else you want us to do"),
        ("uses", {}, "objection_projects", "Select at least one use you object to"),
        ("complaint", {"complaint": ""}, "complaint", "Enter what your complaint is about"),
        ("about", {**_born(BORN)}, "subject_name", "Enter full name"),
        ("about", {"subject_name": "A" * 201, **_born(BORN)}, "subject_name", "200 characters"),
        ("about", {"subject_name": NAME}, "subject_date_of_birth", "Enter the date of birth"),
        (
            "about",
            {"subject_name": NAME, **_born(timezone.localdate() + timedelta(days=1))},
            "subject_date_of_birth",
            "Date of birth must be between 1 January 1900 and today",
        ),
        (
            "about",
            {"subject_name": NAME, **_born(date(1880, 1, 1))},
            "subject_date_of_birth",
            "Date of birth must be between 1 January 1900 and today",
        ),
        ("reply", {}, "reply_by", "Select how we should reply"),
        ("reply", {"reply_by": "email"}, "requester_email", "Enter your email address"),
        (
            "reply",
            {"reply_by": "email", "requester_email": "not-an-email"},
            "requester_email",
            "Enter an email address in the correct format",
        ),
        (
            "reply",
            {"reply_by": "phone", "requester_phone": "12345"},
            "requester_phone",
            "Enter a UK telephone number",
        ),
        ("reply", {"reply_by": "post"}, "requester_address", "Enter your postal address"),
    ],
)
def test_each_error_names_the_field_and_the_rule(client, slug, data, field, message) -> None:
    response = client.post(reverse(f"rights_public:{slug}"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    page = response.content.decode()
    assert "There is a problem" in page and message in page.replace("&#x27;", "'")
    assert RightsRequest.objects.count() == 0


def test_uk_phone_numbers_are_accepted_in_their_usual_forms() -> None:
    from earlyhelp.rights.public_forms import uk_phone

    assert uk_phone("020 7946 0000") == "02079460000"
    assert uk_phone("+44 (0)7700 900982") is None  # the (0) with +44 is no number
    assert uk_phone("+44 7700 900982") == "07700900982"
    assert uk_phone("07700-900-982") == "07700900982"
    assert uk_phone("555 1234") is None
    assert uk_phone("1-800-555-0100") is None


def test_answers_are_kept_in_the_session_and_never_in_an_address(client) -> None:
    responses = fill(client, REQUEST_PAGES)
    addresses = [r.url for r in responses]
    check = client.get(reverse("rights_public:check"))
    addresses += re.findall(r'href="([^"]+)"', check.content.decode())
    addresses += [client.post(reverse("rights_public:check")).url]
    for typed in (NAME, "Amira", "Hassan", EMAIL, "2014", "Test Street", "Sam"):
        assert not any(typed.lower() in a.lower() for a in addresses), typed
    assert client.session.get(public.ANSWERS) is None  # gone once sent


def test_the_check_page_shows_each_answer_with_a_change_link_back_to_its_page(client) -> None:
    fill(client, REQUEST_PAGES)
    page = client.get(reverse("rights_public:check")).content.decode()
    assert NAME in page and EMAIL in page and "4 April 2014" in page
    assert "London Innovation and Improvement Alliance" in page  # a project by its name
    assert "Integrated Early Years" in page  # a service by its name
    change = reverse("rights_public:reply") + "?change=1"
    assert f'href="{change}"' in page
    # Changing an answer comes back to the check page, keeping the others.
    response = client.post(change, {"reply_by": "phone", "requester_phone": "020 7946 0000"})
    assert response.url == reverse("rights_public:check")
    page = client.get(reverse("rights_public:check")).content.decode()
    assert "020 7946 0000" in page and EMAIL not in page and NAME in page


def test_each_page_links_back_to_the_one_before(client) -> None:
    fill(client, REQUEST_PAGES[:3], complete=False)
    page = client.get(reverse("rights_public:request")).content.decode()
    assert f'class="govuk-back-link" href="{reverse("rights_public:your-name")}"' in page
    page = client.get(reverse("rights_public:what")).content.decode()
    assert f'class="govuk-back-link" href="{reverse("rights_public:start")}"' in page


def test_changing_a_request_into_a_complaint_drops_the_request_answers(client) -> None:
    fill(client, REQUEST_PAGES)
    client.post(reverse("rights_public:what") + "?change=1", {"kind": "complaint"})
    answers = client.session[public.ANSWERS]
    assert "rights_asked" not in answers and "objection_projects" not in answers
    # The complaint question is asked next, then the check page.
    response = client.get(reverse("rights_public:check"))
    assert response.context["missing"].slug == "complaint"


def test_an_unfinished_form_cannot_be_sent(client) -> None:
    fill(client, REQUEST_PAGES[:4], complete=False)
    response = client.post(reverse("rights_public:check"))
    assert response.url == reverse("rights_public:uses")
    assert RightsRequest.objects.count() == 0


def _masked(html: str) -> str:
    html = re.sub(r"R-[A-Z0-9]{4}-[A-Z0-9]{4}", "R-XXXX-XXXX", html)
    html = re.sub(r'nonce="[^"]*"', 'nonce=""', html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_the_answer_is_the_same_whether_or_not_the_person_is_known() -> None:
    stranger, known = Client(), Client()
    send(stranger, REQUEST_PAGES)
    first = stranger.get(reverse("rights_public:sent"))
    PersonFactory(given_name="Amira", family_name="Hassan", date_of_birth=BORN)
    fill(known, REQUEST_PAGES)
    sent = known.post(reverse("rights_public:check"))
    second = known.get(reverse("rights_public:sent"))
    assert sent.status_code == 302 and sent.url == reverse("rights_public:sent")
    assert first.status_code == second.status_code == 200
    references = list(RightsRequest.objects.values_list("reference", flat=True))
    assert len(set(references)) == 2
    assert _masked(first.content.decode()) == _masked(second.content.decode())
    assert any(r in first.content.decode() for r in references)


def test_the_form_takes_no_files(client) -> None:
    fill(client, REQUEST_PAGES)
    for slug in ["start", *public.BY_SLUG, "check"]:
        page = client.get(reverse(f"rights_public:{slug}")).content.decode()
        assert 'type="file"' not in page and "multipart/form-data" not in page, slug
    for step in public.STEPS:
        assert not any(
            field.widget.needs_multipart_form for field in step.form.base_fields.values()
        )


def test_sending_is_rate_limited_per_address_with_a_page_saying_when_and_how_else(
    settings,
) -> None:
    settings.RIGHTS_FORM_LIMIT_PER_HOUR = 2
    busy = Client(REMOTE_ADDR="203.0.113.7")
    send_again = [*REQUEST_PAGES]
    fill(busy, send_again)
    busy.post(reverse("rights_public:check"))
    fill(busy, send_again)
    busy.post(reverse("rights_public:check"))
    assert RightsRequest.objects.count() == 2
    for slug in ("start", "what", "check"):
        response = busy.get(reverse(f"rights_public:{slug}"))
        assert response.status_code == 429, slug
    response = busy.post(reverse("rights_public:what"), {"kind": "request"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "You can use it again after" in page
    assert active_policy().complaints.contact_us_first in page
    # Another address is not held back.
    other = Client(REMOTE_ADDR="198.51.100.9")
    assert other.get(reverse("rights_public:start")).status_code == 200


def test_the_rate_limit_lifts_an_hour_after_the_oldest_counted_submission(settings, rf) -> None:
    settings.RIGHTS_FORM_LIMIT_PER_HOUR = 1
    busy = Client(REMOTE_ADDR="203.0.113.8")
    send(busy, REQUEST_PAGES)
    request = rf.get("/", REMOTE_ADDR="203.0.113.8")
    until = public.rate_limit_until(request)
    assert until is not None
    assert public.rate_limit_until(request, now=until + timedelta(seconds=1)) is None
    assert public.rate_limit_until(request, now=until - timedelta(minutes=1)) == until


def test_the_privacy_notice_links_sections_10_and_11_to_the_form(client) -> None:
    page = client.get(reverse("policy:privacy_notice")).content.decode()
    form = reverse("rights_public:start")
    assert page.count(f'href="{form}"') >= 2
    assert "You can also complain to us through the same web form" in page


def test_an_answer_longer_than_the_record_holds_is_refused_on_its_page_not_lost(client):
    # A number padded with punctuation, or a very long email address, passed the checks
    # but not the record: the sending failed silently and the answers stayed, in a loop.
    long_phone = "0 2 0 ( 7 ) 9 - 4 - 6 . 0 . 0 . 0 . 0 - - - - - - - - - - - -"
    reply = ReplyForm({"reply_by": "phone", "requester_phone": long_phone})
    assert not reply.is_valid()
    assert "UK telephone number must be 40 characters or fewer" in reply.errors["requester_phone"]
    email = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".example"
    reply = ReplyForm({"reply_by": "email", "requester_email": email})
    assert not reply.is_valid()
    assert "Email address must be 254 characters or fewer" in reply.errors["requester_email"]


def test_sendings_that_passed_the_first_check_together_are_counted_again_and_refused(
    settings, rf
) -> None:
    # Sendings made at the same moment each pass the check at the top of the page; the
    # count after each one's own record is what holds the limit, and writes nothing over.
    settings.RIGHTS_FORM_LIMIT_PER_HOUR = 1
    answers_client = Client(REMOTE_ADDR="203.0.113.9")
    fill(answers_client, REQUEST_PAGES)
    answers = answers_client.session[public.ANSWERS]
    first = rf.post("/", REMOTE_ADDR="203.0.113.9")
    second = rf.post("/", REMOTE_ADDR="203.0.113.9")
    public.submit(first, answers)
    with pytest.raises(public.TooManySendings):
        public.submit(second, answers)
    assert RightsRequest.objects.count() == 1
