"""Restriction of processing (UK GDPR Article 18) put on a person from a request: while in
force they are in no extract, nothing in their record changes (pages and services refuse,
naming the request), and their page says processing is restricted since the date. No
sharing feature exists yet: rights.processing.restriction_in_force is what one must ask."""

from datetime import date

import polars as pl
import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases import corrections
from earlyhelp.extracts.database import extract_from_records
from earlyhelp.extracts.keys import ensure_project_key
from earlyhelp.people import services as people_services
from earlyhelp.people.models import Employment, Relationship
from earlyhelp.rights import outcomes
from earlyhelp.rights.models import ProcessingRestriction, RightOutcome
from earlyhelp.rights.processing import ProcessingRestricted
from tests.rights.outcome_records import request_about

pytestmark = pytest.mark.django_db

ON = date(2026, 11, 25)
YUSUF, LEILA = "2016-02", "2021-08"


@pytest.fixture
def keys_dir(settings, tmp_path):
    settings.KEYS_DIR = tmp_path / "keys"
    ensure_project_key(settings.KEYS_DIR, "liia")
    return settings.KEYS_DIR


@pytest.fixture
def officer(make_user):
    return make_user("ines", Role.INFORMATION_GOVERNANCE)


def _as(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


@pytest.fixture
def restricted(family, officer):
    """Yusuf's data restricted from processing through a request; the request."""
    rights_request = request_about(family["yusuf"], officer, rights=["restriction"])
    outcomes.restrict_processing(
        _as(officer), rights_request, family["yusuf"], "Says his records are wrong"
    )
    return rights_request


def _months(out_dir) -> list[str]:
    frame = pl.read_parquet(out_dir / f"liia-{ON.isoformat()}.parquet")
    return sorted(frame["date-of-birth"].to_list())


def test_a_restricted_person_is_left_out_of_every_extract(
    family, case, keys_dir, tmp_path, restricted
):
    extract_from_records("liia", tmp_path, ON)
    assert _months(tmp_path) == [LEILA]


def test_a_lifted_restriction_puts_the_person_back_in_the_extract(
    family, case, keys_dir, tmp_path, restricted, officer
):
    restriction = ProcessingRestriction.objects.get(person=family["yusuf"])
    outcomes.lift_restriction(_as(officer), restriction, "Records checked and correct")
    extract_from_records("liia", tmp_path, ON)
    assert _months(tmp_path) == [YUSUF, LEILA]
    assert RightOutcome.objects.filter(request=restricted).count() == 2


def test_the_change_page_refuses_naming_the_restriction_and_the_request(
    client, practitioner, family, restricted
):
    response = client.get(reverse("people:edit", args=[family["yusuf"].public_id]))
    assert response.status_code == 403
    text = response.content.decode()
    assert "restricted from processing" in text
    assert restricted.reference in text
    # The sister's record is not restricted.
    assert client.get(reverse("people:edit", args=[family["leila"].public_id])).status_code == 200


def test_recording_a_fact_is_refused_on_the_page_and_by_the_service(
    client, practitioner, family, restricted
):
    url = reverse("people:record_fact", args=[family["yusuf"].public_id, "employment"])
    assert client.post(url, {"status": "in_education"}).status_code == 403
    with pytest.raises(ProcessingRestricted, match="restricted from processing"):
        people_services.record_fact(
            _as(practitioner), family["yusuf"], Employment(status="in_education")
        )
    assert not Employment.objects.exists()


def test_services_refuse_to_change_the_person_or_correct_their_records(
    practitioner, family, restricted
):
    with pytest.raises(ProcessingRestricted, match=restricted.reference):
        people_services.change_person(_as(practitioner), family["yusuf"], given_name="Yousef")
    family["yusuf"].refresh_from_db()
    assert family["yusuf"].given_name == "Yusuf"
    sibling = Relationship.objects.get(person=family["yusuf"], relative=family["leila"])
    with pytest.raises(ProcessingRestricted):
        corrections.strike_out(_as(practitioner), sibling, "Recorded in error")
    assert not corrections.history(sibling).exists()


def test_the_person_page_says_processing_is_restricted_since_the_date(
    client, practitioner, family, restricted
):
    response = client.get(reverse("people:person", args=[family["yusuf"].public_id]))
    assert response.status_code == 200
    today = timezone.localdate()
    assert f"Processing is restricted since {today:%-d %B %Y}" in response.content.decode()
    other = client.get(reverse("people:person", args=[family["leila"].public_id]))
    assert "Processing is restricted" not in other.content.decode()


def test_restriction_needs_a_reason_and_is_not_put_twice(family, officer, restricted):
    with pytest.raises(ValueError, match="already restricted"):
        outcomes.restrict_processing(_as(officer), restricted, family["yusuf"], "Again")
    other = request_about(family["leila"], officer, rights=["restriction"])
    with pytest.raises(ValueError, match="reason: enter"):
        outcomes.restrict_processing(_as(officer), other, family["leila"], "  ")
    assert ProcessingRestriction.objects.count() == 1


def test_the_restriction_page_restricts_and_lifts_with_audit_events(
    client, sign_in, family, officer
):
    rights_request = request_about(family["yusuf"], officer, rights=["restriction"])
    sign_in(officer)
    url = reverse(
        "rights_outcomes:restriction", args=[rights_request.public_id, family["yusuf"].public_id]
    )
    assert client.get(url).status_code == 200
    missing = client.post(url, {"reason": ""})
    assert "Enter why processing is restricted" in missing.content.decode()
    assert client.post(url, {"reason": "Accuracy disputed"}).status_code == 302
    restriction = ProcessingRestriction.objects.get()
    assert restriction.request == rights_request and restriction.lifted_on is None
    assert client.post(url, {"reason": "Checked"}).status_code == 302
    restriction.refresh_from_db()
    assert restriction.lifted_on == timezone.localdate()
    person_events = AuditEvent.objects.filter(
        record_type="person", record_id=str(family["yusuf"].public_id), action="restrict"
    )
    assert person_events.count() == 2
    assert (
        AuditEvent.objects.filter(
            record_type="rights-request", record_id=str(rights_request.public_id)
        ).count()
        >= 3
    )
