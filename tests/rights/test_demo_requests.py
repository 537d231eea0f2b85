"""The demo's rights requests: the demo information governance officer finds a parent's
subject access request ready for its bundle and a newer one still to be started, made
through the rights services (audited as the officer) and only once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from earlyhelp.access.demo import DEMO_ACCOUNTS, ensure_demo_account
from earlyhelp.access.models import User
from earlyhelp.audit.models import AuditEvent
from earlyhelp.bundles import services as bundles
from earlyhelp.rights.demo import DEMO_OFFICER, ensure_demo_requests
from earlyhelp.rights.models import ChildAccessDecision, RequestPerson, RightsRequest
from earlyhelp.synthetic.generator import generate

# As `make demo` does: the generated families' ages are counted from today.
FAMILIES = 12
SEED = 41


@pytest.fixture
def demo(db):
    """The synthetic families and the demo accounts, as `make demo` makes them."""
    generate(FAMILIES, seed=SEED, as_of=timezone.localdate())
    for account in DEMO_ACCOUNTS:
        ensure_demo_account(account)


@pytest.fixture
def officer(demo) -> User:
    return User.objects.get(username=DEMO_OFFICER)


def _events_about(rights_request: RightsRequest):
    return AuditEvent.objects.filter(
        record_type="rights-request", record_id=str(rights_request.public_id)
    ).order_by("id")


def test_the_demo_makes_a_parents_request_ready_for_its_bundle_handled_by_the_officer(officer):
    made = ensure_demo_requests()
    ready = made.ready
    assert ready.handled_by == officer and ready.created_by == officer
    assert ready.requester_is == RightsRequest.Requester.PARENT
    assert ready.rights_asked == [RightsRequest.Right.ACCESS]
    assert ready.received < timezone.localdate()
    assert ready.identity_evidence_received is not None
    matched = {m.role: m.person for m in RequestPerson.objects.filter(request=ready)}
    child, parent = matched[RequestPerson.Role.SUBJECT], matched[RequestPerson.Role.REQUESTER]
    assert ready.subject_name == child.full_name and ready.requester_name == parent.full_name
    assert child.case_memberships.filter(case__contacts__isnull=False).exists()
    decision = ChildAccessDecision.objects.get(request=ready)
    assert decision.child == child and decision.parent == parent
    assert decision.allowed and decision.parental_responsibility
    assert bundles.not_ready(ready) is None


def test_the_newer_request_is_handled_but_waits_for_identity_evidence(officer):
    made = ensure_demo_requests()
    to_start = made.to_start
    assert to_start is not None and to_start.handled_by == officer
    assert to_start.received > made.ready.received
    assert to_start.identity_evidence_received is None
    assert to_start.status == RightsRequest.Status.AWAITING_IDENTITY
    assert not to_start.people.exists()
    assert bundles.not_ready(to_start).startswith("identity:")


def test_the_officer_can_make_the_ready_requests_bundle_at_once(officer, request_as):
    ready = ensure_demo_requests().ready
    bundle = bundles.make_bundle(request_as(officer), ready)
    assert bundle.items.exists()
    assert bundle.items.filter(person__in=ready.people.values("person")).exists()


def test_running_it_twice_makes_nothing_more(officer):
    first = ensure_demo_requests()
    counts = (
        RightsRequest.objects.count(),
        RequestPerson.objects.count(),
        ChildAccessDecision.objects.count(),
        AuditEvent.objects.count(),
    )
    again = ensure_demo_requests()
    assert counts == (
        RightsRequest.objects.count(),
        RequestPerson.objects.count(),
        ChildAccessDecision.objects.count(),
        AuditEvent.objects.count(),
    )
    assert counts[0] == 2
    assert (again.ready.pk, again.to_start.pk) == (first.ready.pk, first.to_start.pk)


def test_every_step_is_audited_as_the_services_do_with_the_officer_as_actor(officer):
    made = ensure_demo_requests()
    ready_events = list(_events_about(made.ready))
    assert [e.details["what"] for e in ready_events] == [
        "rights request received by letter",
        "handler assigned",
        "identity evidence recorded",
        "a record added to the request's scope (the person the request is about)",
        "a record added to the request's scope (the person asking)",
        "a parent's or carer's access to a child's records allowed",
    ]
    start_events = list(_events_about(made.to_start))
    assert [e.details["what"] for e in start_events] == [
        "rights request received by email",
        "handler assigned",
    ]
    for event in ready_events + start_events:
        assert event.actor == officer and event.actor_username == DEMO_OFFICER
    # The people matched carry the request on their own record's trail.
    for match in RequestPerson.objects.filter(request=made.ready):
        on_record = AuditEvent.objects.filter(
            record_type="person", record_id=str(match.person.public_id), actor=officer
        )
        assert on_record.filter(details__what="added to a rights request").exists()


def test_nothing_is_made_before_there_are_families(db):
    for account in DEMO_ACCOUNTS:
        ensure_demo_account(account)
    assert ensure_demo_requests() is None
    assert not RightsRequest.objects.exists()


def test_demo_users_names_the_request_to_open_by_its_reference_only(demo):
    out = StringIO()
    call_command("demo_users", stdout=out)
    ready = RightsRequest.objects.filter(identity_evidence_received__isnull=False).get()
    line = next(line for line in out.getvalue().splitlines() if "rights request" in line)
    assert ready.reference in line and DEMO_OFFICER in line
    assert ready.requester_name not in line and ready.subject_name not in line
    call_command("demo_users", stdout=StringIO())
    assert RightsRequest.objects.count() == 2
