"""A search event says who searched, from where, under which purpose and rule, and what it
showed: record_search() passes each of these through to the event, and adds nothing else."""

import pytest

from earlyhelp.audit.log import record_search
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.verify import verify_chain
from earlyhelp.policy.active import active_policy

SHOWN = ["6f1b7a4e-2c3d-4e5f-8a9b-0c1d2e3f4a5b", "0b6d8a3c-1e2f-4a5b-9c8d-7e6f5a4b3c2d"]


@pytest.fixture
def searcher(rf, make_user):
    user = make_user("worker")
    request = rf.get("/people/", REMOTE_ADDR="192.0.2.44")
    request.user = user
    return user, request


def test_search_event_records_the_searcher_address_purpose_rule_and_categories(searcher):
    user, request = searcher
    purpose = active_policy().purposes[0].id
    event = record_search(
        request,
        shown=SHOWN,
        results=7,
        categories=["identity-and-contact", "health"],
        purpose=purpose,
        rule="access:search",
    )
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.action, event.record_type, event.record_id) == ("search", "search", "")
    assert (event.actor, event.actor_username, event.ip_address) == (user, "worker", "192.0.2.44")
    assert event.categories == ["health", "identity-and-contact"]
    assert (event.purpose, event.rule, event.reason, event.flagged) == (
        purpose,
        "access:search",
        "",
        False,
    )
    # `results` counts what the search found; `shown` the ids on the page, as text.
    assert event.details == {"results": 7, "shown": SHOWN}
    assert verify_chain().ok


def test_search_event_counts_the_records_shown_when_no_total_is_given(searcher):
    _, request = searcher
    event = record_search(request, shown=SHOWN)
    assert event.details == {"results": 2, "shown": SHOWN}
    assert (event.purpose, event.rule, event.categories) == ("", "", [])


def test_search_event_with_nothing_shown_counts_zero_not_the_total(db):
    event = record_search(None, shown=[], results=0)
    assert event.details == {"results": 0, "shown": []}
    assert (event.actor, event.actor_username, event.ip_address) == (None, "", None)


def test_search_event_refuses_a_shown_value_that_is_not_a_record_id(searcher):
    _, request = searcher
    with pytest.raises(ValueError, match="record_id must be the record's public UUID"):
        record_search(request, shown=["Amira Haddad"])
    assert not AuditEvent.objects.exists()
