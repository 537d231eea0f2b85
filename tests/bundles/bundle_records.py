"""A subject access bundle with an item, a proposal and a live link, for the role-by-route
matrix: written directly (no audit events), handled by the matrix's user asking."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.bundles.models import Bundle, BundleItem, Delivery, Redaction
from earlyhelp.cases import documents
from earlyhelp.people.models import Person
from earlyhelp.rights.models import RightsRequest
from tests.rights.scope_records import matrix_request

LINK_TOKEN = "matrix-link-token-0123456789abcdefghijklmnop"


def matrix_bundle(records: dict, status: str = Bundle.Status.REVIEWING) -> dict:
    """{"request", "bundle", "item", "redaction", "delivery", "token"}: ids for the routes."""
    request_id = matrix_request(records)
    rights_request = RightsRequest.objects.get(public_id=request_id)
    person = Person.objects.get(public_id=records["person"])
    maker = User.objects.filter(username="asker").first() or rights_request.handled_by
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
    sha256, _size = documents.store(ContentFile(b"%PDF-1.7 matrix", name="b.pdf"))
    delivery = Delivery.objects.create(
        bundle=bundle,
        token_sha256=hashlib.sha256(LINK_TOKEN.encode()).hexdigest(),
        file_sha256=sha256,
        expires_at=timezone.now() + timedelta(days=1),
        made_by=maker,
    )
    return {
        "request": request_id,
        "bundle": bundle.public_id,
        "item": item.number,
        "redaction": redaction.public_id,
        "delivery": delivery.public_id,
        "token": LINK_TOKEN,
    }
