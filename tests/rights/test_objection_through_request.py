"""Objections received through a rights request (issue 15): recorded against the policy's
project with the request's received date, honoured by the next extract, and withdrawn.

People are told apart in the extract by their month of birth (the `family` fixture's
children: Yusuf born February 2016, Leila August 2021), as the reference is a pseudonym.
"""

from datetime import date, timedelta

import polars as pl
import pytest
from django.test import RequestFactory
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.extracts.database import extract_from_records
from earlyhelp.extracts.keys import ensure_project_key
from earlyhelp.extracts.models import Objection
from earlyhelp.policy.active import active_policy
from earlyhelp.rights import outcomes
from earlyhelp.rights.models import RightOutcome
from tests.rights.outcome_records import request_about

pytestmark = pytest.mark.django_db

ON = date(2026, 11, 25)
YUSUF, LEILA = "2016-02", "2021-08"


@pytest.fixture
def keys_dir(settings, tmp_path):
    settings.KEYS_DIR = tmp_path / "keys"
    for project in ("liia", "national-insights"):
        ensure_project_key(settings.KEYS_DIR, project)
    return settings.KEYS_DIR


@pytest.fixture
def officer(make_user):
    return make_user("ines", Role.INFORMATION_GOVERNANCE)


def _as(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def _months(out_dir, on=ON) -> list[str]:
    frame = pl.read_parquet(out_dir / f"liia-{on.isoformat()}.parquet")
    return sorted(frame["date-of-birth"].to_list())


def test_an_objection_received_through_a_request_removes_the_child_from_the_next_liia_extract(
    family, case, keys_dir, tmp_path, officer
):
    rights_request = request_about(
        family["yusuf"], officer, rights=["object"], received=ON - timedelta(days=3)
    )
    extract_from_records("liia", tmp_path / "before", ON)
    assert _months(tmp_path / "before") == [YUSUF, LEILA]

    objection = outcomes.record_objection(_as(officer), rights_request, family["yusuf"], "liia")

    after = extract_from_records("liia", tmp_path / "after", ON)
    assert _months(tmp_path / "after") == [LEILA]
    assert after.left_out_by_objection == 1
    assert (objection.request, objection.received) == (rights_request, rights_request.received)


def test_a_withdrawn_objection_puts_the_child_back_in_extracts_as_of_its_withdrawal(
    family, case, keys_dir, tmp_path, officer
):
    rights_request = request_about(
        family["yusuf"], officer, rights=["object"], received=ON - timedelta(days=3)
    )
    objection = outcomes.record_objection(_as(officer), rights_request, family["yusuf"], "liia")
    outcomes.withdraw_objection(_as(officer), objection, ON)
    extract_from_records("liia", tmp_path, ON)
    assert _months(tmp_path) == [YUSUF, LEILA]
    outcome = RightOutcome.objects.filter(request=rights_request).order_by("pk").last()
    assert "withdrawn" in outcome.what_was_done


def test_the_outcome_names_the_project_and_the_policy_rule_in_words(family, officer):
    rights_request = request_about(family["yusuf"], officer, rights=["object"])
    outcomes.record_objection(_as(officer), rights_request, family["yusuf"], "liia")
    policy = active_policy()
    (paragraph,) = outcomes.outcome_paragraphs(rights_request)
    rule = next(r for r in policy.rights.rights if r.right == "object")
    assert rule.name in paragraph
    assert policy.project("liia").name in paragraph
    assert "rights.object" not in paragraph and "liia" not in paragraph.split()
    outcome = RightOutcome.objects.get(request=rights_request)
    assert outcome.result == RightOutcome.Result.DONE
    assert "rights.object" in outcome.rule_ids


def test_an_objection_to_a_project_that_takes_none_is_not_recorded_and_the_letter_says_why(
    family, officer
):
    rights_request = request_about(family["yusuf"], officer, rights=["object"])
    found = outcomes.record_objection(
        _as(officer), rights_request, family["yusuf"], "national-insights"
    )
    assert found is None
    assert not Objection.objects.exists()
    outcome = RightOutcome.objects.get(request=rights_request)
    assert outcome.result == RightOutcome.Result.NOT_DONE
    assert "does not take objections" in outcome.what_was_done


def test_an_objection_needs_a_request_asking_to_object_and_a_person_in_scope(family, officer):
    asks_other = request_about(family["yusuf"], officer, rights=["erasure"])
    with pytest.raises(ValueError, match="does not ask"):
        outcomes.record_objection(_as(officer), asks_other, family["yusuf"], "liia")
    asks = request_about(family["yusuf"], officer, rights=["object"])
    with pytest.raises(ValueError, match="not matched"):
        outcomes.record_objection(_as(officer), asks, family["leila"], "liia")
    assert not Objection.objects.exists()


def test_the_objection_page_records_it_with_audit_events_for_the_request_and_the_child(
    client, sign_in, family, officer
):
    rights_request = request_about(family["yusuf"], officer, rights=["object"])
    sign_in(officer)
    url = reverse(
        "rights_outcomes:objection", args=[rights_request.public_id, family["yusuf"].public_id]
    )
    page = client.get(url)
    assert page.status_code == 200
    assert active_policy().project("liia").name in page.content.decode()
    response = client.post(url, {"project": "liia"})
    assert response.status_code == 302
    assert Objection.objects.get().request == rights_request
    assert AuditEvent.objects.filter(
        record_type="rights-request", record_id=str(rights_request.public_id), action="change"
    ).exists()
    assert AuditEvent.objects.filter(
        record_type="person", record_id=str(family["yusuf"].public_id), action="create"
    ).exists()


def test_the_objection_page_says_which_project_is_missing(client, sign_in, family, officer):
    rights_request = request_about(family["yusuf"], officer, rights=["object"])
    sign_in(officer)
    url = reverse(
        "rights_outcomes:objection", args=[rights_request.public_id, family["yusuf"].public_id]
    )
    response = client.post(url, {})
    assert response.status_code == 200
    assert "Select the project they object to" in response.content.decode()
    assert not Objection.objects.exists()


def test_the_withdrawal_page_records_the_date_and_refuses_one_in_the_future(
    client, sign_in, family, officer
):
    rights_request = request_about(family["yusuf"], officer, rights=["object"])
    objection = outcomes.record_objection(_as(officer), rights_request, family["yusuf"], "liia")
    sign_in(officer)
    url = reverse(
        "rights_outcomes:withdraw_objection", args=[rights_request.public_id, objection.public_id]
    )
    assert client.get(url).status_code == 200
    later = rights_request.received + timedelta(days=400)
    refused = client.post(
        url,
        {"withdrawn_day": later.day, "withdrawn_month": later.month, "withdrawn_year": later.year},
    )
    assert refused.status_code == 200
    objection.refresh_from_db()
    assert objection.withdrawn is None
    day = rights_request.received
    done = client.post(
        url, {"withdrawn_day": day.day, "withdrawn_month": day.month, "withdrawn_year": day.year}
    )
    assert done.status_code == 302
    objection.refresh_from_db()
    assert objection.withdrawn == day
