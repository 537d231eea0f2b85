"""Every page of the rights app that shows a form, in the state that shows it, for the
form-wide checks in tests/web (choice ids, date inputs): the public form's questions,
the records in scope and the parental-access decision, and the other rights' outcomes."""

from __future__ import annotations

from datetime import date, timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.extracts.models import Objection
from earlyhelp.people.models import Relationship
from earlyhelp.rights import public
from earlyhelp.rights.models import ProcessingRestriction, RequestPerson
from tests.factories import PersonFactory
from tests.rights.outcome_records import request_about

# One answer for each public question, in order: enough to reach every page of both paths.
PUBLIC_ANSWERS = {
    "what": {"kind": "request"},
    "who": {"requester_is": "parent"},
    "your-name": {"requester_name": "Leila Okafor"},
    "request": {"rights_asked": ["access", "object"], "details": ""},
    "uses": {"objection_projects": ["liia"]},
    "about": {
        "subject_name": "Tobi Okafor",
        "subject_date_of_birth_day": "3",
        "subject_date_of_birth_month": "4",
        "subject_date_of_birth_year": "2014",
    },
    "records": {},
    "reply": {"reply_by": "email", "requester_email": "leila@example.org"},
}


def public_form_pages() -> list[tuple[str, Client, str]]:
    """(name, client, url) for each question of the public form, answered in turn by a
    visitor not signed in, and the complaint's own question."""
    pages = []
    slugs = list(PUBLIC_ANSWERS)
    for n, slug in enumerate(slugs):
        # Each page as a visitor meets it: the questions before it answered, its own not.
        visitor = Client(REMOTE_ADDR=f"192.0.2.{50 + n}")
        for earlier in slugs[:n]:
            visitor.post(reverse(f"rights_public:{earlier}"), PUBLIC_ANSWERS[earlier])
        pages.append((f"public form: {slug}", visitor, reverse(f"rights_public:{slug}")))
    complainer = Client(REMOTE_ADDR="192.0.2.45")
    complainer.post(reverse("rights_public:what"), {"kind": "complaint"})
    pages.append(("public form: complaint", complainer, reverse("rights_public:complaint")))
    assert {slug for slug in PUBLIC_ANSWERS} | {"complaint"} == set(public.BY_SLUG)
    return pages


def officer_form_pages(browser: Client, officer: User) -> list[tuple[str, Client, str]]:
    """(name, client, url) for the officer's pages on a request's records: adding a record,
    deciding a parent's access to a 13-year-old's records, and each other right's page."""
    child = PersonFactory(date_of_birth=timezone.localdate() - timedelta(days=round(13.5 * 365)))
    parent = PersonFactory(adult=True, date_of_birth=date(1985, 6, 1))
    Relationship.objects.create(
        person=parent,
        relative=child,
        kind="parent",
        has_parental_responsibility=True,
        source="family",
    )
    rights_request = request_about(
        child, officer, rights=["access", "rectification", "erasure", "restriction", "object"]
    )
    RequestPerson.objects.create(
        request=rights_request, person=parent, role=RequestPerson.Role.REQUESTER, added_by=officer
    )
    other = PersonFactory()
    objection = Objection.objects.create(
        person=child, project="liia", received=rights_request.received, request=rights_request
    )
    lifted = request_about(PersonFactory(), officer, rights=["restriction"])
    subject = lifted.people.get().person
    ProcessingRestriction.objects.create(
        person=subject,
        request=lifted,
        reason="Accuracy disputed",
        started_on=lifted.received,
        created_by=officer,
    )
    on = rights_request.public_id
    person = child.public_id
    return [
        (
            "rights: add to the request",
            browser,
            reverse("rights_scope:add_record", args=[on, other.public_id]),
        ),
        (
            "rights: parental access",
            browser,
            reverse("rights_scope:child_access", args=[on, person]),
        ),
        ("rights: correction", browser, reverse("rights_outcomes:correction", args=[on, person])),
        ("rights: erasure", browser, reverse("rights_outcomes:erasure", args=[on, person])),
        ("rights: restriction", browser, reverse("rights_outcomes:restriction", args=[on, person])),
        (
            "rights: lift a restriction",
            browser,
            reverse("rights_outcomes:restriction", args=[lifted.public_id, subject.public_id]),
        ),
        ("rights: objection", browser, reverse("rights_outcomes:objection", args=[on, person])),
        (
            "rights: withdraw an objection",
            browser,
            reverse("rights_outcomes:withdraw_objection", args=[on, objection.public_id]),
        ),
    ]


def date_pages(browser: Client, officer: User) -> list[tuple[str, str, type, dict]]:
    """(name, url, form class, how) for the rights pages with a date that staff_date_pages
    does not walk: the public form's date of birth and an objection's withdrawal."""
    from earlyhelp.rights.outcome_forms import WithdrawForm
    from earlyhelp.rights.public_forms import AboutForm

    visitor = Client(REMOTE_ADDR="192.0.2.46")
    for slug, data in PUBLIC_ANSWERS.items():
        if slug == "about":
            break
        visitor.post(reverse(f"rights_public:{slug}"), data)
    withdraw = next(p for p in officer_form_pages(browser, officer) if "withdraw" in p[0])
    return [
        ("public form: about", reverse("rights_public:about"), AboutForm, {"browser": visitor}),
        (withdraw[0], withdraw[2], WithdrawForm, {"browser": browser}),
    ]
