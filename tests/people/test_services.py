"""What staff do to a person's record writes its rows and its audit event together, or
neither: the services of people/services.py, called directly."""

from datetime import date

import pytest
from django.db import IntegrityError

from earlyhelp.audit.models import AuditEvent
from earlyhelp.people import services
from earlyhelp.people.choices import HealthKind
from earlyhelp.people.merge import merge_people
from earlyhelp.people.models import ContactMethod, HealthCondition, Person, PersonMerge

pytestmark = pytest.mark.django_db

TOO_LONG = "x" * 2001  # the audit trail refuses a reason longer than 2000 characters
DETAILS = {
    "given_name": "Amira",
    "family_name": "Haddad",
    "date_of_birth": date(1990, 5, 1),
    "nhs_number": "",
    "upn": "",
}


@pytest.fixture
def worker(make_user):
    return make_user("worker")


@pytest.fixture
def request_by(worker, request_as):
    return request_as(worker)


@pytest.fixture
def since(worker) -> int:
    """The last audit event before the test's own writes."""
    last = AuditEvent.objects.order_by("-id").first()
    return last.id if last else 0


def events_since(since: int) -> list[tuple]:
    return [
        (e.actor.username, e.action, e.record_type, e.record_id, e.categories, e.details, e.reason)
        for e in AuditEvent.objects.filter(id__gt=since).order_by("id")
    ]


@pytest.fixture
def pair():
    """Two records of one child."""
    kept = Person.objects.create(given_name="Yusuf", family_name="Haddad")
    merged = Person.objects.create(given_name="Yusef", family_name="Haddad")
    return kept, merged


def test_create_person_writes_the_person_and_one_create_event(request_by, since):
    person = services.create_person(request_by, **DETAILS)
    assert Person.objects.get().created_by == request_by.user
    assert events_since(since) == [
        ("worker", "create", "person", str(person.public_id), ["identity-and-contact"], {}, "")
    ]


def test_create_person_refused_by_the_database_writes_no_event(request_by, since):
    with pytest.raises(IntegrityError):
        services.create_person(request_by, **{**DETAILS, "nhs_number": None})
    assert not Person.objects.exists()
    assert events_since(since) == []


def test_change_person_saves_the_details_and_one_change_event(request_by, pair, since):
    person, _ = pair
    services.change_person(request_by, person, given_name="Youssef", upn="")
    assert Person.objects.get(pk=person.pk).given_name == "Youssef"
    assert events_since(since) == [
        ("worker", "change", "person", str(person.public_id), ["identity-and-contact"], {}, "")
    ]


def test_change_person_refuses_a_field_that_is_not_their_own_details(request_by, pair, since):
    person, _ = pair
    with pytest.raises(ValueError, match="created_by not a person's own details"):
        services.change_person(request_by, person, given_name="Youssef", created_by=None)
    assert Person.objects.get(pk=person.pk).given_name == "Yusuf"
    assert events_since(since) == []


def test_add_contact_method_writes_it_and_one_event_with_its_categories(request_by, pair, since):
    person, _ = pair
    services.add_contact_method(
        request_by, person, kind="telephone", value="07700 900123", label="", source="family"
    )
    method = ContactMethod.objects.get(person=person)
    assert (method.value, method.recorded_by) == ("07700 900123", request_by.user)
    assert events_since(since) == [
        (
            "worker",
            "create",
            "person",
            str(person.public_id),
            ["identity-and-contact", "information-from-others"],
            {"fact": "people.ContactMethod"},
            "",
        )
    ]


def test_add_contact_method_refused_by_the_database_writes_no_event(request_by, pair, since):
    person, _ = pair
    with pytest.raises(IntegrityError):
        services.add_contact_method(
            request_by, person, kind="telephone", value=None, label="", source="family"
        )
    assert not ContactMethod.objects.exists()
    assert events_since(since) == []


def test_record_fact_saves_it_for_the_person_and_one_event_with_its_categories(
    request_by, pair, since
):
    person, _ = pair
    fact = HealthCondition(kind=HealthKind.values[0], description="Asthma", source="gp")
    services.record_fact(request_by, person, fact)
    saved = HealthCondition.objects.get()
    assert (saved.person, saved.recorded_by) == (person, request_by.user)
    assert events_since(since) == [
        (
            "worker",
            "create",
            "person",
            str(person.public_id),
            ["health", "information-from-others"],
            {"fact": "people.HealthCondition"},
            "",
        )
    ]


def test_record_fact_refuses_a_row_that_is_not_a_kind_of_fact(request_by, pair, since):
    person, _ = pair
    method = ContactMethod(kind="email", value="a@example.com", source="family")
    with pytest.raises(ValueError, match=r"people\.ContactMethod is not a kind of fact"):
        services.record_fact(request_by, person, method)
    assert not ContactMethod.objects.exists()
    assert events_since(since) == []


def test_record_fact_refuses_a_fact_already_recorded(request_by, pair, since):
    person, other = pair
    fact = HealthCondition.objects.create(
        person=other, kind=HealthKind.values[0], description="Asthma", source="gp"
    )
    with pytest.raises(ValueError, match="already recorded"):
        services.record_fact(request_by, person, fact)
    assert HealthCondition.objects.get().person == other
    assert events_since(since) == []


def test_merge_records_merges_and_writes_a_merge_event_on_each_record(request_by, pair, since):
    kept, merged = pair
    merge = services.merge_records(request_by, kept, merged, "Same NHS number")
    assert Person.objects.get(pk=merged.pk).merged_into == kept
    assert (merge.kept, merge.merged) == (kept, merged)
    assert events_since(since) == [
        (
            "worker",
            "merge",
            "person",
            str(kept.public_id),
            [],
            {"merged": str(merged.public_id)},
            "Same NHS number",
        ),
        (
            "worker",
            "merge",
            "person",
            str(merged.public_id),
            [],
            {"kept": str(kept.public_id)},
            "Same NHS number",
        ),
    ]


def test_a_merge_the_audit_trail_refuses_leaves_both_records_as_they_were(request_by, pair, since):
    kept, merged = pair
    with pytest.raises(ValueError, match="reason: 2001 characters"):
        services.merge_records(request_by, kept, merged, TOO_LONG)
    assert Person.objects.get(pk=merged.pk).merged_into is None
    assert not PersonMerge.objects.exists()
    assert events_since(since) == []


def test_a_merge_merge_people_refuses_writes_no_event(request_by, pair, since):
    kept, _ = pair
    with pytest.raises(ValueError, match="cannot be merged into themselves"):
        services.merge_records(request_by, kept, kept, "Same")
    assert events_since(since) == []


def test_undoing_a_merge_separates_them_with_an_event_on_each_record(request_by, pair, since):
    kept, merged = pair
    merge = merge_people(kept, merged, request_by.user, "Same")
    services.undo_records_merge(request_by, merge, "Cousins")
    assert Person.objects.get(pk=merged.pk).merged_into is None
    assert events_since(since) == [
        (
            "worker",
            "undo_merge",
            "person",
            str(kept.public_id),
            [],
            {"merged": str(merged.public_id)},
            "Cousins",
        ),
        (
            "worker",
            "undo_merge",
            "person",
            str(merged.public_id),
            [],
            {"kept": str(kept.public_id)},
            "Cousins",
        ),
    ]


def test_an_undo_the_audit_trail_refuses_leaves_the_merge_in_place(request_by, pair, since):
    kept, merged = pair
    merge = merge_people(kept, merged, request_by.user, "Same")
    with pytest.raises(ValueError, match="reason: 2001 characters"):
        services.undo_records_merge(request_by, merge, TOO_LONG)
    assert Person.objects.get(pk=merged.pk).merged_into == kept
    assert PersonMerge.objects.get().undone_at is None
    assert events_since(since) == []


@pytest.mark.parametrize(
    "write",
    [
        lambda request, kept, merged: services.create_person(request, **DETAILS),
        lambda request, kept, merged: services.change_person(request, kept, given_name="Y"),
        lambda request, kept, merged: services.add_contact_method(
            request, kept, kind="email", value="a@example.com", label="", source="family"
        ),
        lambda request, kept, merged: services.record_fact(
            request,
            kept,
            HealthCondition(kind=HealthKind.values[0], description="Asthma", source="gp"),
        ),
        lambda request, kept, merged: services.merge_records(request, kept, merged, "Same"),
    ],
    ids=["create_person", "change_person", "add_contact_method", "record_fact", "merge_records"],
)
def test_a_write_whose_audit_event_fails_is_not_written_either(
    request_by, pair, since, monkeypatch, write
):
    kept, merged = pair
    before = sorted(Person.objects.values_list("pk", "given_name", "merged_into"))

    def fail(*args, **kwargs):
        raise RuntimeError("the audit key is missing")

    monkeypatch.setattr(services, "record", fail)
    with pytest.raises(RuntimeError):
        write(request_by, kept, merged)
    assert sorted(Person.objects.values_list("pk", "given_name", "merged_into")) == before
    assert not ContactMethod.objects.exists()
    assert not HealthCondition.objects.exists()
    assert not PersonMerge.objects.exists()
    assert events_since(since) == []
