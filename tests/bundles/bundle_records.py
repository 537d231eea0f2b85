"""Subject access bundles written directly (no audit events), for the role-by-route matrix
and the form-wide checks in tests/web."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.bundles.models import Bundle, BundleItem, Redaction
from earlyhelp.cases import documents
from earlyhelp.packages.models import ProtectedPackage
from earlyhelp.people.models import Person
from earlyhelp.rights.models import RightsRequest
from tests.factories import PersonFactory
from tests.rights.scope_records import a_request, in_scope, matrix_request

LINK_TOKEN = "matrix-link-token-0123456789abcdefghijklmnop"


def a_bundle(
    rights_request: RightsRequest, person: Person, maker: User, status: str, token: str
) -> dict:
    """A bundle of `status` with one passage, one proposal and, given a `token`, a live link
    (a protected package, its file stored in the documents folder): {"bundle", "item",
    "redaction", "delivery" (the package's id), "token"}."""
    bundle = Bundle.objects.create(
        request=rights_request,
        status=status,
        policy_version="test",
        cover=json.dumps({}),
        made_by=maker,
    )
    item = BundleItem.objects.create(
        bundle=bundle,
        number=1,
        section=1,
        person=person,
        record_model="cases.Contact",
        record_id="1",
        title="Contact",
        label="Note",
        text="Visited Yusuf and Leila",
    )
    redaction = Redaction.objects.create(
        item=item, start=17, end=22, kind="name", origin="proposed", exemption="third-party"
    )
    found = {"bundle": bundle.public_id, "item": item.number, "redaction": redaction.public_id}
    if not token:
        return found
    sha256, _size = documents.store(ContentFile(b"%PDF-1.7 test", name="b.pdf"))
    package = ProtectedPackage.objects.create(
        kind=ProtectedPackage.Kind.ACCESS_BUNDLE,
        owner_public_id=bundle.public_id,
        token_sha256=hashlib.sha256(token.encode()).hexdigest(),
        file_sha256=sha256,
        file_name="subject-access-test.pdf",
        expires_at=timezone.now() + timedelta(days=1),
        made_by=maker,
        how="By email",
        reason=f"Rights request {rights_request.reference}",
        rule="access:rights-request",
    )
    package.people.add(person)
    return {**found, "delivery": package.public_id, "token": token}


def matrix_bundle(records: dict, status: str = Bundle.Status.REVIEWING) -> dict:
    """For the role-by-route matrix: a bundle of the matrix's request (handled by the user
    asking), with "request" added to a_bundle's ids."""
    request_id = matrix_request(records)
    rights_request = RightsRequest.objects.get(public_id=request_id)
    person = Person.objects.get(public_id=records["person"])
    maker = User.objects.filter(username="asker").first() or rights_request.handled_by
    return {"request": request_id, **a_bundle(rights_request, person, maker, status, LINK_TOKEN)}


def bundle_form_pages(browser: Client, officer: User) -> list[tuple[str, Client, str]]:
    """(name, client, url) for the bundle pages with a form, for `officer` handling the
    request: adding a redaction, withholding a passage, and sending an approved bundle."""
    person = PersonFactory()
    reviewing = a_request(handled_by=officer)
    in_scope(reviewing, person, officer)
    review = a_bundle(reviewing, person, officer, Bundle.Status.REVIEWING, "")
    approved = a_request(handled_by=officer)
    in_scope(approved, person, officer)
    send = a_bundle(approved, person, officer, Bundle.Status.APPROVED, "")
    return [
        (
            "bundles: add a redaction",
            browser,
            reverse("bundles:add_redaction", args=[review["bundle"], review["item"]]),
        ),
        (
            "bundles: withhold",
            browser,
            reverse("bundles:withhold", args=[review["bundle"], review["item"]]),
        ),
        ("bundles: send", browser, reverse("bundles:send", args=[send["bundle"]])),
    ]
