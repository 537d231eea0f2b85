"""Every page that shows family data leaves an audit event, forms included.

The test walks the URL patterns: any route that takes the id of a family record
is visited by someone allowed to see it, and must leave a look recorded against
that record or a person on it. A new route of that kind is visited automatically;
one that cannot be must be named below with the reason.
"""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.log import record
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases.documents import store
from earlyhelp.people.facts import FACT_MODELS
from earlyhelp.people.merge import merge_people
from earlyhelp.rights.models import RightsRequest
from tests.access.closure_records import closure_awaiting
from tests.access.plan_records import plan_on
from tests.factories import AssessmentFactory, DocumentFactory, PersonFactory
from tests.rights.scope_records import matrix_request
from tests.sharing.sharing_records import matrix_disclosure

# The URL arguments that name a family record.
FAMILY_IDS = {
    "person_id",
    "case_id",
    "household_id",
    "document_id",
    "merge_id",
    "event_id",
    "assessment_id",
    "disclosure_id",
}
# Routes taking such an id that show nothing of the family, and why.
SHOW_NOTHING = {
    "people:break_glass": "the form asks for a reason and shows nothing of the record",
    # A POST only: it records that the app's provider was asked to remove a shared photo
    # (tests/consent/test_media_pages.py), and redirects to the child's photos, a look.
    "consent:removal_asked": "a POST that records a request to the provider, then redirects",
    # Opens only on a restricted record; its look is checked in test_restriction_changes.
    "people:lift_restriction": "a record with no restriction has nothing to lift (404)",
}
GOVERNANCE = {"governance:who_has_seen", "governance:review", "cases:record_corrections"}
# A file the IG officer takes away: recorded as an export against the person, not a view.
GOVERNANCE |= {"governance:who_has_seen_export"}
EXPORTS = {"governance:who_has_seen_export"}
# A rights request's records in scope (records["request_id"]: Yusuf in scope).
GOVERNANCE |= {
    "rights_scope:add_record",
    "rights_scope:remove_record",
    "rights_scope:child_access",
}
# The other rights on a request (correction, erasure, restriction, objection).
GOVERNANCE |= {
    "rights_outcomes:correction",
    "rights_outcomes:correct_record",
    "rights_outcomes:correct_contact",
    "rights_outcomes:erasure",
    "rights_outcomes:restriction",
    "rights_outcomes:objection",
}


def _family_routes() -> list[tuple[str, set[str]]]:
    """(route name, its argument names) for every route taking a family record's id."""
    found = []

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                names = set(entry.pattern.converters)
                if names & FAMILY_IDS:
                    found.append((f"{namespace}:{entry.name}", names))

    walk(get_resolver().url_patterns, None)
    return sorted(found)


@pytest.fixture
def records(family, case, settings, tmp_path, make_user):
    settings.DOCUMENTS_DIR = tmp_path
    sha, size = store(SimpleUploadedFile("r.pdf", b"%PDF-1.7 test"))
    document = DocumentFactory(
        case=case,
        kind="report",
        title="Report",
        content_type="application/pdf",
        size=size,
        sha256=sha,
    )
    duplicate = PersonFactory(
        given_name="Yusef", family_name="Haddad", date_of_birth=date(2016, 2, 9), unidentified=True
    )
    merge = merge_people(family["yusuf"], duplicate, make_user("mo"), "Same child")
    flagged = record(
        None,
        action="break_glass",
        record_type="person",
        record_id=family["yusuf"].public_id,
        reason="test",
        flagged=True,
    )
    return {
        "person_id": family["yusuf"].public_id,
        "household_id": family["household"].public_id,
        "case_id": case.public_id,
        "document_id": document.public_id,
        "plan_id": plan_on(case).public_id,
        "goal_number": 1,  # the plan's first goal (a plan's goals are numbered from 1)
        "assessment_id": AssessmentFactory(case=case, started=case.started).public_id,
        "closure_id": closure_awaiting(case, make_user("closer")).public_id,
        "merge_id": merge.public_id,
        "other_id": family["leila"].public_id,  # compared with Yusuf before a merge
        "event_id": flagged.pk,
        "contact_id": case.contacts.create(
            kind="home_visit", occurred_at=case.created_at, note="Visited"
        ).public_id,
        "request_id": matrix_request({"person": family["yusuf"].public_id}),
        "record_kind": "relationship",  # Yusuf's first relationship recorded
        "number": 1,
        # A disclosure about Yusuf, approved, so every one of its pages opens.
        "disclosure_id": matrix_disclosure({"person_id": family["yusuf"].public_id}, "approved"),
    }


def _visits():
    for name, arguments in _family_routes():
        if name in SHOW_NOTHING:
            continue
        if "kind" in arguments:
            for kind in FACT_MODELS:
                yield name, kind
        else:
            yield name, None


@pytest.mark.parametrize(("route", "kind"), list(_visits()))
def test_a_page_showing_family_data_leaves_an_audit_event(
    client, make_user, sign_in, manager, records, family, route, kind
):
    if route in GOVERNANCE:
        gwen = make_user("gwen", Role.INFORMATION_GOVERNANCE)
        sign_in(gwen)
        # Only the officer handling a request works on its records.
        RightsRequest.objects.filter(public_id=records["request_id"]).update(handled_by=gwen)
    kwargs = {name: records[name] for name in dict(_family_routes())[route] if name in records}
    if kind:
        kwargs["kind"] = kind
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.get(reverse(route, kwargs=kwargs))
    assert response.status_code == 200, route
    actions = ["view", "search", *(["export"] if route in EXPORTS else [])]
    looks = AuditEvent.objects.filter(id__gt=before, action__in=actions)
    subjects = {str(value) for value in records.values()} | {
        str(person.public_id) for person in family.values() if hasattr(person, "given_name")
    }
    assert any(look.record_id in subjects for look in looks), f"{route}: no look recorded"


def test_the_walk_reaches_the_forms_named_in_the_attack():
    routes = {name for name, _ in _family_routes()}
    for form in (
        "people:edit",
        "people:record_fact",
        "people:add_address",
        "people:add_contact_method",
        "cases:open_case",
        "people:restrict",
        "people:merge",
        "cases:add_contact",
        "cases:add_document",
        "cases:agree_plan",
        "cases:plan",
        "cases:add_plan_goal",
        "cases:edit_plan_goal",
        "cases:review_plan",
        "cases:start_assessment",
        "cases:assessment",
        "cases:edit_assessment",
        "cases:complete_assessment",
        "cases:request_closure",
        "cases:closure",
        "cases:decide_closure",
        "cases:reopen_case",
    ):
        assert form in routes


def test_a_refused_look_is_recorded_too(client, make_user, sign_in, family, case):
    outsider = make_user("olu", Role.PRACTITIONER)
    sign_in(outsider)
    response = client.get(reverse("people:person", args=[family["yusuf"].public_id]))
    assert response.status_code == 403
    event = AuditEvent.objects.get(actor=outsider, action="view")
    assert event.rule == "access:refused"
    assert event.record_id == str(family["yusuf"].public_id)
