"""Attacks on the subject access bundle, as a tester would make them: every route refused to
whoever may not act and writing nothing when refused; no redacted or withheld words
anywhere a requester could find them; other people's names and numbers found however they
are written; bad input refused on its field; documents of every kind; links that expire.

Each test fails when the product is wrong. Synthetic people only (the family fixture)."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from PIL import Image

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.bundles import render, services
from earlyhelp.bundles.models import Bundle, BundleItem, Redaction
from earlyhelp.cases import documents
from earlyhelp.packages.models import ProtectedPackage
from earlyhelp.rights.models import RequestPerson
from tests.factories import (
    AttendanceFactory,
    ContactFactory,
    ContactMethodFactory,
    DocumentFactory,
    PersonFactory,
    RelationshipFactory,
    RestrictionFactory,
)
from tests.rights.scope_records import a_request, in_scope, ready_for_a_bundle

NOTE = (
    "Visited Yusuf at home with Amira. Yusuf said Leila was upset at school. "
    "Their dad Tomasz rang from 07700 900123. Leila's NHS number is 999 945 8076."
)
# The words a requester must never find once every proposal is accepted.
SECRETS = ("Leila", "999 945 8076", "9999458076", "07700 900123", "07700900123")
LEILA_NHS = "9999458076"
DAD_PHONE = "07700 900123"
DAD_EMAIL = "tomasz.nowak@example.org"
PRIVATE = "Mum told Kasia she cannot cope any more."


# --- set-up ---------------------------------------------------------------------------------


@pytest.fixture
def officer(officer, sign_in):
    """The officer of tests/bundles/conftest.py, signed in."""
    sign_in(officer)
    return officer


@pytest.fixture
def rights_request(family, case, officer, worker, documents_dir):
    family["leila"].nhs_number = LEILA_NHS
    family["leila"].save()
    ContactMethodFactory(person=family["dad"], kind="phone", value=DAD_PHONE)
    ContactMethodFactory(person=family["dad"], kind="email", value=DAD_EMAIL)
    request = a_request(handled_by=officer)
    in_scope(request, family["yusuf"], officer)
    in_scope(request, family["mum"], officer, role=RequestPerson.Role.REQUESTER)
    request = ready_for_a_bundle(request, family["yusuf"], family["mum"], officer)
    return request


@pytest.fixture
def make(rights_request, case, officer, request_as):
    """make(*notes) -> a bundle whose records include a contact note for each of `notes`."""

    def made(*notes: str) -> Bundle:
        for note in notes or (NOTE,):
            ContactFactory(case=case, note=note)
        return services.make_bundle(request_as(officer), rights_request)

    return made


@pytest.fixture
def bundle(make):
    return make(NOTE)


def _item(bundle: Bundle, words: str) -> BundleItem:
    # Texts are encrypted in the database: compared here, not filtered.
    return next(item for item in bundle.items.all() if words in item.text)


def _proposed(bundle: Bundle) -> list[str]:
    return [
        r.item.text[r.start : r.end]
        for r in Redaction.objects.filter(item__bundle=bundle).select_related("item")
    ]


def _proposed_in(bundle: Bundle, note: str) -> list[str]:
    item = _item(bundle, note)
    return [item.text[r.start : r.end] for r in item.redactions.all()]


def _approved_text(bundle: Bundle, request) -> str:
    services.decide_all(request, bundle, "third-party")
    approved = services.approve(request, bundle)
    return render.all_text(documents.read(approved.file_sha256))


def _flat(text: str) -> str:
    return " ".join(text.split())


def _state(looks: bool = True) -> tuple:
    """Everything a bundle route could write: compared before and after a refused one.
    `looks=False` leaves out looks recorded when a refused form shows its passage again."""
    events = AuditEvent.objects.all() if looks else AuditEvent.objects.exclude(action="view")
    return (
        events.count(),
        sorted(
            Redaction.objects.values_list("pk", "decision", "exemption", "reason", "decided_by")
        ),
        sorted(
            BundleItem.objects.values_list("pk", "withheld_exemption", "withheld_reason", "page")
        ),
        sorted(Bundle.objects.values_list("pk", "status", "file_sha256", "sent_how")),
        sorted(ProtectedPackage.objects.values_list("pk", "downloads", "removed_at")),
    )


def _routes(bundle: Bundle) -> list[tuple[str, str, dict]]:
    """(method, url, form) for every bundle route, with ids of this bundle's own rows."""
    redaction = Redaction.objects.filter(item__bundle=bundle).first()
    item = _item(bundle, "Leila")
    delivery = services.packages_sent(bundle).first()
    b = bundle.public_id
    routes = [
        ("get", reverse("bundles:bundle", args=[bundle.request.public_id]), {}),
        ("post", reverse("bundles:bundle", args=[bundle.request.public_id]), {}),
        ("get", reverse("bundles:review", args=[b]) + "?show=all", {}),
        ("get", reverse("bundles:add_redaction", args=[b, item.number]), {}),
        ("get", reverse("bundles:withhold", args=[b, item.number]), {}),
        ("get", reverse("bundles:send", args=[b]), {}),
        ("get", reverse("bundles:schedule", args=[b]), {}),
        (
            "post",
            reverse("bundles:decide", args=[b, redaction.public_id]),
            {"decision": "rejected", "exemption": "", "reason": "x"},
        ),
        ("post", reverse("bundles:accept_all", args=[b]), {"exemption": "third-party"}),
        (
            "post",
            reverse("bundles:add_redaction", args=[b, item.number]),
            {"words": "upset at school", "exemption": "serious-harm", "reason": "Distress"},
        ),
        (
            "post",
            reverse("bundles:withhold", args=[b, item.number]),
            {"scope": "record", "exemption": "serious-harm", "reason": "Distress"},
        ),
        ("post", reverse("bundles:release", args=[b, item.number]), {}),
        ("post", reverse("bundles:approve", args=[b]), {}),
        ("post", reverse("bundles:send", args=[b]), {"how": "By email"}),
    ]
    if delivery is not None:
        routes.append(
            ("get", reverse("bundles:officer_download", args=[b, delivery.public_id]), {})
        )
    return routes


def _attack_every_route(client, bundle: Bundle, allowed_get: tuple[str, ...] = ()) -> list[str]:
    """Every route tried; the ones that answered with the records or wrote something."""
    wrong = []
    for method, url, form in _routes(bundle):
        before = _state()
        response = getattr(client, method)(url, form)
        body = response.content if response["Content-Type"].startswith("text") else b""
        if _state() != before:
            wrong.append(f"{method.upper()} {url} wrote something ({response.status_code})")
        if response.status_code == 200 and not any(url.endswith(a) for a in allowed_get):
            wrong.append(f"{method.upper()} {url} answered 200")
        if b"Leila" in body or response.get("Content-Type") == "application/pdf":
            wrong.append(f"{method.upper()} {url} showed the records")
    return wrong


# --- access ---------------------------------------------------------------------------------


def test_another_ig_officer_reads_nothing_and_writes_nothing_on_any_bundle_route(
    client, bundle, make_user, sign_in
):
    sign_in(make_user("olu", Role.INFORMATION_GOVERNANCE))
    wrong = _attack_every_route(client, bundle)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.TEAM_MANAGER])
def test_a_practitioner_or_manager_on_the_case_reads_and_writes_nothing_on_any_bundle_route(
    client, bundle, make_user, sign_in, team, role
):
    user = make_user("casey", role)
    team.members.add(user)
    sign_in(user)
    wrong = _attack_every_route(client, bundle)
    assert not wrong, "\n".join(wrong)


def test_signed_out_every_bundle_route_sends_to_sign_in_and_writes_nothing(client, bundle):
    client.logout()
    wrong = _attack_every_route(client, bundle)
    assert not wrong, "\n".join(wrong)


def test_after_approval_and_sending_another_officer_cannot_download_what_was_sent(
    client, bundle, officer, request_as, make_user, sign_in
):
    request = request_as(officer)
    services.decide_all(request, bundle, "third-party")
    services.approve(request, bundle)
    services.deliver(request, Bundle.objects.get(pk=bundle.pk), "By email")
    sign_in(make_user("olu", Role.INFORMATION_GOVERNANCE))
    wrong = _attack_every_route(client, Bundle.objects.get(pk=bundle.pk))
    assert not wrong, "\n".join(wrong)


def test_a_record_restricted_from_the_handling_officer_closes_every_route_post_included(
    client, bundle, family
):
    """The review page is refused once a record in the request is restricted; the routes
    that change and approve the bundle must be refused too, and write nothing."""
    RestrictionFactory(person=family["yusuf"])
    wrong = _attack_every_route(client, bundle)
    assert not wrong, "\n".join(wrong)


def test_on_a_closed_request_nothing_changes_through_any_route(client, bundle):
    rights_request = bundle.request
    rights_request.closed_on = timezone.localdate()
    rights_request.save(update_fields=["closed_on"])
    wrong = []
    for method, url, form in _routes(bundle):
        if method != "post":
            continue
        before = _state(looks=False)
        response = client.post(url, form)
        if _state(looks=False) != before:
            wrong.append(f"POST {url} wrote something ({response.status_code})")
    assert not wrong, "\n".join(wrong)


def test_a_proposal_item_or_delivery_of_one_bundle_is_not_reached_through_anothers_url(
    client, make, officer, request_as, family, case
):
    first = make(NOTE)
    request = request_as(officer)
    services.decide_all(request, first, "third-party")
    services.approve(request, first)
    delivery = services.deliver(request, Bundle.objects.get(pk=first.pk), "By email").package
    # A second request, handled by the same officer, with a bundle of its own.
    other_request = a_request(handled_by=officer, subject_name="Leila Haddad")
    in_scope(other_request, family["leila"], officer)
    other_request = ready_for_a_bundle(other_request, family["leila"], family["mum"], officer)
    second = services.make_bundle(request, other_request)
    redaction = Redaction.objects.filter(item__bundle=first).first()
    before = _state()
    decide = client.post(
        reverse("bundles:decide", args=[second.public_id, redaction.public_id]),
        {"decision": "rejected", "exemption": ""},
    )
    download = client.get(
        reverse("bundles:officer_download", args=[second.public_id, delivery.public_id])
    )
    assert decide.status_code == 404
    assert download.status_code == 404
    assert _state() == before


def test_after_approval_no_decision_redaction_withholding_or_release_changes_the_bundle(
    client, bundle, officer, request_as
):
    services.decide_all(request_as(officer), bundle, "third-party")
    services.approve(request_as(officer), bundle)
    wrong = []
    for method, url, form in _routes(Bundle.objects.get(pk=bundle.pk)):
        if method != "post" or "/send" in url or url.endswith("/bundle"):
            continue
        before = _state(looks=False)
        client.post(url, form)
        if _state(looks=False) != before:
            wrong.append(url)
    assert not wrong, "\n".join(wrong)


def test_a_post_sent_twice_with_one_form_token_decides_once(client, bundle):
    redaction = Redaction.objects.filter(item__bundle=bundle).first()
    url = reverse("bundles:decide", args=[bundle.public_id, redaction.public_id])
    form = {"decision": "accepted", "exemption": "third-party", "form_token": "t" * 30}
    client.post(url, form)
    before = AuditEvent.objects.count()
    again = client.post(url, form)
    assert again.status_code in (302, 409)
    assert AuditEvent.objects.count() == before


# --- leaks ----------------------------------------------------------------------------------


def test_no_redacted_or_withheld_words_nor_reasons_are_anywhere_in_the_approved_or_sent_pdf(
    make, officer, request_as
):
    bundle = make(NOTE, PRIVATE)
    request = request_as(officer)
    item = _item(bundle, "Leila")
    redaction = item.redactions.first()
    services.decide(request, redaction, "accepted", "third-party", "Reason naming Zofia Kowal")
    services.add_redaction(request, item, "upset at school", "serious-harm", "Hidden reason one")
    # A passage withheld whole: its words and its reason stay out of the file.
    withheld = _item(bundle, PRIVATE)
    services.withhold(request, withheld, "serious-harm", "Hidden reason two Zofia")
    services.decide_all(request, bundle, "third-party")
    approved = services.approve(request, bundle)
    made = services.deliver(request, approved, "By email")
    texts = {
        "approved": render.all_text(documents.read(approved.file_sha256)),
        "sent": render.all_text(documents.read(made.package.file_sha256), made.password),
    }
    gone = (*SECRETS, "upset at school", "Zofia", "Hidden reason", "Kasia", "cannot cope")
    found = {(where, word) for where, text in texts.items() for word in gone if word in _flat(text)}
    assert found == set()
    assert "Yusuf" in texts["approved"]  # the subject's own words are there


def test_the_pdf_metadata_and_the_download_file_name_name_nobody(
    client, bundle, officer, request_as
):
    from pypdf import PdfReader

    request = request_as(officer)
    services.decide_all(request, bundle, "third-party")
    approved = services.approve(request, bundle)
    made = services.deliver(request, approved, "By email")
    client.logout()
    response = client.get(reverse("packages_public:link_file", args=[made.token]))
    reader = PdfReader(io.BytesIO(response.content), password=made.password)
    said = json.dumps({str(k): str(v) for k, v in (reader.metadata or {}).items()})
    said += response["Content-Disposition"]
    for name in ("Yusuf", "Amira", "Haddad", "Leila", "Tomasz", "Ines", "Moreau"):
        assert name not in said
    assert set(reader.metadata or {}) <= {"/Title", "/Producer"}


def test_the_audit_trail_of_a_whole_bundle_holds_no_names_numbers_or_redacted_words(
    client, bundle, officer, request_as
):
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    request = request_as(officer)
    item = _item(bundle, "Leila")
    services.add_redaction(request, item, "upset at school", "serious-harm", "Zofia said so")
    services.withhold(request, item, "serious-harm", "Zofia again")
    services.release(request, item)
    services.decide_all(request, bundle, "third-party")
    services.approve(request, bundle)
    made = services.deliver(request, Bundle.objects.get(pk=bundle.pk), "By email to amira")
    client.get(reverse("bundles:review", args=[bundle.public_id]))
    client.get(reverse("bundles:schedule", args=[bundle.public_id]))
    client.logout()
    client.get(reverse("packages_public:link_file", args=[made.token]))
    events = AuditEvent.objects.filter(pk__gt=before)
    assert events.exists()
    said = json.dumps([[e.details, e.reason, e.path if hasattr(e, "path") else ""] for e in events])
    for word in ("Leila", "Yusuf", "Amira", "Haddad", "Tomasz", "upset", "Zofia", "07700"):
        assert word not in said, word
    assert made.token not in said and made.password not in said


def test_html_in_a_note_or_a_reason_is_shown_escaped_on_the_review_pages(
    client, make, officer, request_as
):
    bundle = make("<script>alert('x')</script> Leila was there")
    item = _item(bundle, "<script>")
    services.withhold(request_as(officer), item, "serious-harm", "<b>bold</b> reason")
    page = client.get(reverse("bundles:review", args=[bundle.public_id]) + "?show=all")
    body = page.content.decode()
    assert "<script>alert" not in body
    assert "<b>bold</b>" not in body
    assert "&lt;b&gt;bold&lt;/b&gt;" in body
    form = client.get(reverse("bundles:add_redaction", args=[bundle.public_id, item.number]))
    assert "<script>alert" not in form.content.decode()


def test_the_requesters_link_page_shows_no_name_reference_or_officer(
    client, bundle, officer, request_as
):
    request = request_as(officer)
    services.decide_all(request, bundle, "third-party")
    made = services.deliver(request, services.approve(request, bundle), "By email")
    client.logout()
    body = client.get(reverse("packages_public:link", args=[made.token])).content.decode()
    for word in ("Yusuf", "Amira", "Haddad", "Ines", "Moreau", bundle.request.reference):
        assert word not in body


# --- proposals ------------------------------------------------------------------------------


def test_the_requester_the_subject_and_workers_names_are_not_proposed(make):
    bundle = make("Amira Haddad and Yusuf met Sam Patel and Ines Moreau; SAM PATEL will ring.")
    assert _proposed_in(bundle, "Amira Haddad and Yusuf") == []


def test_the_requesters_name_from_the_request_is_not_proposed_when_only_the_child_is_matched(
    family, case, officer, worker, documents_dir, request_as
):
    """The request itself names the requester (requester_name): her name is hers to see,
    even before the officer matches her record as the requester."""
    ContactFactory(case=case, note="Amira Haddad brought Yusuf; Amira was worried.")
    request = a_request(handled_by=officer)
    in_scope(request, family["yusuf"], officer)
    request = ready_for_a_bundle(request, family["yusuf"], family["mum"], officer)
    bundle = services.make_bundle(request_as(officer), request)
    assert _proposed_in(bundle, "Amira Haddad brought") == []


def test_a_siblings_name_is_proposed_even_when_a_worker_elsewhere_shares_it(make, make_user):
    """Schedule 2 paragraph 17 keeps workers acting in their role: it does not make a
    sister's name disclosable because someone in another team is also called Leila."""
    someone = make_user("leila.b", Role.PRACTITIONER)
    someone.first_name, someone.last_name = "Leila", "Brown"
    someone.save()
    bundle = make("Yusuf said Leila was upset.")
    assert "Leila" in _proposed_in(bundle, "Yusuf said Leila")


@pytest.mark.parametrize(
    "note, words",
    [
        ("Leila's coat was wet.", "Leila"),
        ("LEILA HADDAD attended.", "LEILA"),
        ("Then Leila\nHaddad rang the office.", "Leila"),
        ("Layla (sister) was at nursery.", "Layla"),
        ("Dad rang from +44 7700 900123 today.", "7700 900123"),
        ("Dad rang from 07700900123 today.", "07700900123"),
        ("Dad rang from (07700) 900 123 today.", "900 123"),
        ("Her NHS number is 999-945-8076.", "999-945-8076"),
        ("Her NHS no. 9999458076 is on file.", "9999458076"),
        ("Email him at Tomasz.Nowak@Example.org please.", "Tomasz.Nowak@Example.org"),
        ("Tomasz Nowak's car was outside.", "Tomasz Nowak"),
        ("NOWAK, Tomasz was present.", "NOWAK, Tomasz"),
    ],
)
def test_another_persons_name_or_number_is_proposed_however_it_is_written(make, note, words):
    found = _proposed_in(make(note), note[:12])
    assert any(words in f or (f in words and len(f) >= 4) for f in found), found


def test_a_siblings_nickname_and_another_child_at_the_same_session_are_proposed(make, family):
    sister = PersonFactory(given_name="Elizabeth", family_name="Haddad")
    RelationshipFactory(person=family["yusuf"], relative=sister, kind="sibling")
    other = PersonFactory(given_name="Zainab", family_name="Okafor")
    session = AttendanceFactory(person=family["yusuf"]).session
    AttendanceFactory(person=other, session=session)
    bundle = make("At stay and play Yusuf sat with Zainab, and Lizzie collected him.")
    found = _proposed_in(bundle, "At stay and play")
    assert "Zainab" in found
    assert "Lizzie" in found


def test_a_lower_case_third_party_name_is_proposed(make):
    bundle = make("yusuf said leila hit him.")
    assert "leila" in _proposed_in(bundle, "yusuf said leila")


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "form",
    [
        {"decision": "accepted", "exemption": "because-i-said"},
        {"decision": "maybe", "exemption": "third-party"},
        {"decision": "", "exemption": "third-party"},
        {"decision": "accepted", "exemption": "third-party", "reason": "x" * 2001},
    ],
)
def test_a_bad_decision_changes_nothing(client, bundle, form):
    redaction = Redaction.objects.filter(item__bundle=bundle).first()
    before = _state()
    client.post(reverse("bundles:decide", args=[bundle.public_id, redaction.public_id]), form)
    assert _state() == before


@pytest.mark.parametrize(
    "form, field_error",
    [
        ({"words": "Leila", "exemption": "nope", "reason": "x"}, "exemptions the policy lists"),
        ({"words": "x" * 2001, "exemption": "third-party", "reason": "x"}, "2000"),
        ({"words": "Leila", "exemption": "third-party", "reason": "x" * 2001}, "2000"),
        ({"words": "   ", "exemption": "third-party", "reason": "x"}, "Enter the words"),
        ({"words": "Leila", "exemption": "third-party", "reason": "   "}, "Enter why"),
    ],
)
def test_bad_added_redactions_are_refused_on_their_field_and_write_nothing(
    client, bundle, form, field_error
):
    item = _item(bundle, "Leila")
    before = _state()
    response = client.post(
        reverse("bundles:add_redaction", args=[bundle.public_id, item.number]), form
    )
    assert response.status_code == 200
    assert field_error in response.content.decode().replace("&#x27;", "'").replace("2,000", "2000")
    # A look at the passage is recorded when its page is shown again; nothing else.
    assert _state()[1:] == before[1:]


@pytest.mark.parametrize("number", [0, 99999, 2**31, 2**70])
def test_an_item_number_not_in_the_bundle_is_not_found_not_a_server_error(client, bundle, number):
    for name in ("add_redaction", "withhold"):
        url = reverse(f"bundles:{name}", args=[bundle.public_id, number])
        assert client.get(url).status_code == 404
    url = reverse("bundles:release", args=[bundle.public_id, number])
    assert client.post(url).status_code == 404


def test_a_negative_item_number_is_not_a_route(client, bundle):
    url = f"/rights/bundles/{bundle.public_id}/items/-1/redact"
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("token", ["", "x", "%00", "a" * 5000, "../../etc/passwd", "Ω" * 43])
def test_an_unknown_link_token_is_a_quiet_not_found(client, db, token):
    for name in ("link", "link_file"):
        try:
            url = reverse(f"packages_public:{name}", args=[token])
        except NoReverseMatch:  # an empty token is no route at all
            continue
        response = client.get(url)
        assert response.status_code == 404
        assert "expired or is not valid" in response.content.decode()


def test_words_that_are_not_utf8_are_refused_not_a_server_error(client, bundle):
    item = _item(bundle, "Leila")
    url = reverse("bundles:add_redaction", args=[bundle.public_id, item.number])
    before = _state()
    response = client.generic(
        "POST",
        url,
        b"words=%FF%FE%FDLeila&exemption=third-party&reason=%C3%28",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 400)
    assert _state()[1:] == before[1:]


def test_sending_with_an_over_long_how_is_refused_and_makes_no_link(
    client, bundle, officer, request_as
):
    services.decide_all(request_as(officer), bundle, "third-party")
    services.approve(request_as(officer), bundle)
    response = client.post(reverse("bundles:send", args=[bundle.public_id]), {"how": "x" * 201})
    assert response.status_code == 200
    assert not ProtectedPackage.objects.exists()


def test_the_way_back_after_a_decision_stays_on_this_site(client, bundle):
    redaction = Redaction.objects.filter(item__bundle=bundle).first()
    url = reverse("bundles:decide", args=[bundle.public_id, redaction.public_id])
    for back in ("//evil.example/x", "@evil.example", "show=all&next=https://evil.example"):
        response = client.post(url, {"decision": "rejected", "exemption": "", "back_query": back})
        assert response.status_code == 302
        assert response["Location"].startswith("/rights/bundles/"), response["Location"]
        assert "evil" not in response["Location"]


@pytest.mark.parametrize("query", ["page=-1", "page=abc", "page=99999", "show=<script>x"])
def test_odd_review_queries_show_a_page_and_reflect_nothing(client, bundle, query):
    url = reverse("bundles:review", args=[bundle.public_id]) + "?" + query
    response = client.get(url)
    assert response.status_code == 200
    assert "<script>x" not in response.content.decode()


# --- documents ------------------------------------------------------------------------------


def _store(data: bytes, name: str) -> tuple[str, int]:
    return documents.store(ContentFile(data, name=name))


def _document(case, person, data: bytes, content_type: str, title: str = "Letter") -> None:
    sha256, size = _store(data, "upload")
    DocumentFactory(
        case=case, person=person, sha256=sha256, size=size, content_type=content_type, title=title
    )


def test_a_third_partys_name_on_page_two_of_a_pdf_is_proposed_and_burned_in(
    make, case, family, officer, request_as
):
    from fpdf import FPDF

    letter = FPDF()
    letter.set_title("Letter about Leila Haddad")
    letter.set_author("Tomasz Nowak")
    letter.set_font("helvetica", size=12)
    letter.add_page()
    letter.cell(text="School letter about Yusuf.")
    letter.add_page()
    letter.cell(text="His sister Leila Haddad missed five days.")
    _document(case, family["yusuf"], bytes(letter.output()), "application/pdf")
    bundle = make("Visit.")
    page_two = BundleItem.objects.get(bundle=bundle, document_kind="pdf", document_part=1)
    assert any("Leila" in page_two.text[r.start : r.end] for r in page_two.redactions.all())
    text = _approved_text(bundle, request_as(officer))
    assert "Leila" not in text and "Tomasz" not in text and "Nowak" not in text


def test_a_docx_with_a_third_partys_name_and_phone_is_burned_in(
    make, case, family, officer, request_as
):
    import docx

    word = docx.Document()
    word.core_properties.author = "Tomasz Nowak"
    word.add_paragraph("Report about Yusuf.")
    word.add_paragraph(f"Leila called from {DAD_PHONE}.")
    table = word.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "Leila Haddad, sister"
    out = io.BytesIO()
    word.save(out)
    _document(
        case,
        family["yusuf"],
        out.getvalue(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    text = _approved_text(make("Visit."), request_as(officer))
    for gone in ("Leila", DAD_PHONE, "Tomasz", "Nowak"):
        assert gone not in text
    assert "Report about Yusuf" in _flat(text)


def test_a_pictures_text_chunks_and_exif_do_not_reach_the_pdf(
    make, case, family, officer, request_as
):
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "Photo of Leila Haddad at 12 Malden Road")
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(picture, "PNG", pnginfo=info)
    _document(case, family["yusuf"], picture.getvalue(), "image/png", title="Photo")
    text = _approved_text(make("Visit."), request_as(officer))
    assert "Leila" not in text and "Photo of" not in text  # 12 Malden Road is their own


def test_approving_a_bundle_with_a_photo_through_the_page_is_not_a_server_error(
    client, make, case, family, officer, request_as
):
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(picture, "PNG")
    _document(case, family["yusuf"], picture.getvalue(), "image/png", title="Photo")
    bundle = make("Visit.")
    services.decide_all(request_as(officer), bundle, "third-party")
    client.raise_request_exception = False
    response = client.post(reverse("bundles:approve", args=[bundle.public_id]))
    assert response.status_code == 302
    assert Bundle.objects.get(pk=bundle.pk).status == Bundle.Status.APPROVED


@pytest.mark.parametrize(
    "data, content_type",
    [
        (b"%PDF-1.7 this is not really a pdf Leila Haddad", "application/pdf"),
        (
            b"PK\x03\x04 broken docx Leila Haddad",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (b"\x89PNG broken Leila Haddad", "image/png"),
        (b"Leila Haddad plain text", "text/plain"),
    ],
)
def test_a_broken_or_unreadable_document_is_listed_and_none_of_its_bytes_reach_the_pdf(
    make, case, family, officer, request_as, data, content_type
):
    _document(case, family["yusuf"], data, content_type)
    bundle = make("Visit.")
    text = _approved_text(bundle, request_as(officer))
    assert "Leila" not in text
    assert "could not be read" in _flat(text) or "Withheld" in text


def test_a_document_whose_file_is_missing_is_listed_and_the_bundle_still_approves(
    make, case, family, officer, request_as
):
    DocumentFactory(case=case, person=family["yusuf"], sha256="ab" * 32, size=10)
    bundle = make("Visit.")
    assert BundleItem.objects.filter(bundle=bundle, document_kind="missing").exists()
    text = _approved_text(bundle, request_as(officer))
    assert "could not be read" in _flat(text)


def test_a_documents_title_naming_a_third_party_is_redacted_like_its_text(
    make, case, family, officer, request_as
):
    from fpdf import FPDF

    letter = FPDF()
    letter.add_page()
    letter.set_font("helvetica", size=12)
    letter.cell(text="A letter.")
    _document(
        case,
        family["yusuf"],
        bytes(letter.output()),
        "application/pdf",
        title="Letter about Leila Haddad",
    )
    text = _approved_text(make("Visit."), request_as(officer))
    assert "Leila" not in text


# --- expiry ---------------------------------------------------------------------------------


@pytest.fixture
def sent(bundle, officer, request_as):
    request = request_as(officer)
    services.decide_all(request, bundle, "third-party")
    approved = services.approve(request, bundle)
    return services.deliver(request, approved, "By email")


def _refused_download(client, token: str) -> None:
    client.logout()
    before = _state()
    for name in ("link", "link_file"):
        response = client.get(reverse(f"packages_public:{name}", args=[token]))
        assert response.status_code == 404
        assert response.get("Content-Type", "").startswith("text/html")
    assert _state() == before


def test_a_link_past_its_expiry_downloads_nothing_and_counts_nothing(client, sent):
    ProtectedPackage.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    _refused_download(client, sent.token)


def test_a_newer_link_stops_the_older_one(client, sent, officer, request_as, bundle):
    services.deliver(request_as(officer), Bundle.objects.get(pk=bundle.pk), "Again")
    _refused_download(client, sent.token)


def test_after_the_expire_command_the_link_and_the_officers_copy_are_refused(client, sent, bundle):
    ProtectedPackage.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    call_command("bundles", "expire", stdout=io.StringIO())
    url = reverse("bundles:officer_download", args=[bundle.public_id, sent.package.public_id])
    before = _state()
    response = client.get(url)
    assert response.get("Content-Type") != "application/pdf"
    assert _state() == before
    _refused_download(client, sent.token)


def test_a_link_made_for_a_bundle_later_replaced_stops_when_the_new_one_is_sent(
    client, sent, officer, request_as, rights_request
):
    request = request_as(officer)
    newer = services.make_bundle(request, rights_request)
    services.decide_all(request, newer, "third-party")
    services.deliver(request, services.approve(request, newer), "By email")
    _refused_download(client, sent.token)


def test_each_download_through_the_link_is_counted_and_audited(client, sent, db):
    client.logout()
    before = AuditEvent.objects.filter(action="export").count()
    for _ in range(2):
        response = client.get(reverse("packages_public:link_file", args=[sent.token]))
        assert response.status_code == 200
    sent.package.refresh_from_db()
    assert sent.package.downloads == 2
    assert AuditEvent.objects.filter(action="export").count() == before + 2


def test_a_nursery_photo_of_the_person_is_copied_into_the_bundle_as_a_picture(
    make, case, family, officer
):
    from earlyhelp.consent.models import MediaItem, MediaTag

    image = io.BytesIO()
    Image.new("RGB", (40, 30), (90, 160, 60)).save(image, "JPEG")
    sha256, size = documents.store(ContentFile(image.getvalue(), name="photo.jpg"))
    photo = MediaItem.objects.create(
        team=case.team,
        kind=MediaItem.Kind.PHOTO,
        content_type="image/jpeg",
        file_sha256=sha256,
        size=size,
        taken_on=date(2024, 5, 1),
        uploaded_by=officer,
    )
    MediaTag.objects.create(
        item=photo, child=family["yusuf"], role=MediaTag.Role.FOCUS, tagged_by=officer
    )
    bundle = make("Visit.")
    pictures = [i for i in bundle.items.all() if i.record_model == "consent.MediaItem"]
    assert [(i.document_kind, i.document_name) for i in pictures if i.document_kind] == [
        ("jpeg", "Photo taken on 1 May 2024")
    ]
