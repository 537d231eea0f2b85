"""The plan and disposal over the database: the longest retention applies to a record
about several people, holds stop destruction, a killed batch leaves no partial person,
tombstones verify, certificates name nobody (issue 18 items 2 to 5)."""

from datetime import UTC, date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.verify import verify_chain
from earlyhelp.cases import documents
from earlyhelp.cases.models import Case, CaseMember, Contact, Document
from earlyhelp.datamap.registry import holdings
from earlyhelp.people.models import NameKey, Person
from earlyhelp.people.name_index import index_names
from earlyhelp.policy.active import active_policy
from earlyhelp.retention import disposal
from earlyhelp.retention.holds import place_hold
from earlyhelp.retention.models import DestructionReview, PlannedDestruction
from earlyhelp.retention.planning import histories, plan, pseudonym
from earlyhelp.retention.services import approve
from earlyhelp.rights.models import RequestPerson
from tests.cases import sample_files as sample
from tests.factories import PersonFactory, RestrictionFactory, RiskFactory
from tests.retention.conftest import LONG_AGO, person

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)
Status = PlannedDestruction.Status


def rows_about(people: list[Person]) -> dict[str, int]:
    """Rows of every holding the data map reaches from `people` (kept records only)."""
    counts = {}
    for holding in holdings():
        if holding.erasure.outlives_the_person:
            continue
        found = holding.rows_about(people).count()
        if found:
            counts[holding.name] = found
    return counts


def planned_and_approved(request_as, reviewer) -> DestructionReview:
    result = plan(today=TODAY, through=TODAY)
    approve(request_as(reviewer), result.review)
    result.review.refresh_from_db()
    return result.review


def test_plan_lists_the_adult_and_the_child_past_25_and_keeps_the_youngest(old_family):
    result = plan(today=TODAY, through=TODAY)
    planned = dict(result.review.items.values_list("person_id", "rule"))
    assert planned == {
        old_family.mum.pk: "adult-records",
        old_family.older.pk: "child-records",
    }
    assert result.planned == {"adult-records": 1, "child-records": 1}


def test_plan_is_idempotent(old_family):
    first = plan(today=TODAY, through=TODAY)
    again = plan(today=TODAY, through=TODAY)
    assert again.review is None
    assert again.already_planned == 2
    assert PlannedDestruction.objects.count() == 2
    assert DestructionReview.objects.get() == first.review


def test_a_household_note_is_kept_for_its_youngest_child(old_family, request_as, reviewer):
    planned_and_approved(request_as, reviewer)
    done = disposal.dispose()
    assert done.people == 2
    assert not Person.objects.filter(pk__in=[old_family.mum.pk, old_family.older.pk]).exists()
    note = Contact.objects.get(pk=old_family.note.pk)
    assert list(note.people_present.all()) == [old_family.youngest]
    assert list(
        CaseMember.objects.filter(case=old_family.case).values_list("person", flat=True)
    ) == [old_family.youngest.pk]
    assert Case.objects.filter(pk=old_family.case.pk).exists()


def test_the_whole_case_goes_with_its_last_member(old_family, request_as, reviewer):
    Person.objects.filter(pk=old_family.youngest.pk).update(date_of_birth=date(2001, 1, 1))
    planned_and_approved(request_as, reviewer)
    disposal.dispose()
    assert not Person.objects.exists()
    assert not Case.objects.exists()
    assert not Contact.objects.exists()


def test_nothing_about_a_destroyed_person_is_left_in_any_holding(old_family, request_as, reviewer):
    index_names([old_family.mum.pk, old_family.older.pk])
    gone = [old_family.mum, old_family.older]
    assert rows_about(gone)
    planned_and_approved(request_as, reviewer)
    disposal.dispose()
    assert rows_about(gone) == {}
    assert not NameKey.objects.filter(person_id__in=[p.pk for p in gone]).exists()


def test_a_legal_hold_stops_a_due_record_from_being_planned(old_family, request_as, ig_officer):
    place_hold(
        request_as(ig_officer),
        issuer="A statutory inquiry",
        scope="person",
        person=old_family.mum,
        reason="The inquiry asked for records of this family",
        review_on=date(2027, 6, 1),
    )
    result = plan(today=TODAY, through=TODAY)
    assert set(result.review.items.values_list("person_id", flat=True)) == {old_family.older.pk}
    assert result.kept["a legal hold"] == 1


def test_a_hold_placed_after_approval_keeps_the_record_at_disposal(
    old_family, request_as, reviewer, ig_officer
):
    review = planned_and_approved(request_as, reviewer)
    place_hold(
        request_as(ig_officer),
        issuer="Independent Inquiry",
        scope="family",
        household=old_family.case.household,
        reason="Records about this household are needed by the inquiry",
        review_on=date(2027, 6, 1),
    )
    done = disposal.dispose()
    assert done.people == 0
    assert Person.objects.count() == 3
    assert set(review.items.values_list("status", flat=True)) == {Status.HELD}


def test_a_killed_disposal_leaves_no_partial_person_and_finishes_on_rerun(
    old_family, request_as, reviewer, monkeypatch
):
    planned_and_approved(request_as, reviewer)
    before = rows_about([old_family.mum, old_family.older])

    def killed(*args, **kwargs):
        raise KeyboardInterrupt("killed between the deletions and the commit")

    # The tombstones are written after every deletion of the batch, just before commit.
    monkeypatch.setattr(disposal, "record_many", killed)
    with pytest.raises(KeyboardInterrupt):
        disposal.dispose(batch_size=2)
    assert rows_about([old_family.mum, old_family.older]) == before
    assert Person.objects.count() == 3
    assert set(PlannedDestruction.objects.values_list("status", flat=True)) == {Status.APPROVED}
    monkeypatch.undo()
    done = disposal.dispose(batch_size=1)
    assert done.people == 2
    assert Person.objects.count() == 1


def test_a_tombstone_names_the_pseudonym_rule_and_review_and_the_chain_verifies(
    old_family, request_as, reviewer
):
    mum_id = old_family.mum.public_id
    review = planned_and_approved(request_as, reviewer)
    disposal.dispose()
    tombstones = AuditEvent.objects.filter(action="delete", record_type="person")
    assert tombstones.count() == 2
    mine = tombstones.get(rule="retention:adult-records")
    assert mine.details["tombstone"] == pseudonym(mum_id)
    assert mine.details["review"] == str(review.public_id)
    assert mine.record_id == ""
    text = str(mine.details) + mine.reason
    assert "Maryam" not in text and "Oduya" not in text and str(mum_id) not in text
    result = verify_chain()
    assert result.ok, result.problem


def test_the_certificate_counts_what_was_destroyed_and_names_nobody(
    old_family, request_as, reviewer
):
    review = planned_and_approved(request_as, reviewer)
    done = disposal.dispose()
    assert done.reviews_finished == [review]
    review.refresh_from_db()
    assert review.status == DestructionReview.Status.DESTROYED
    certificate = review.certificate
    assert certificate["rules"] == {"adult-records": 1, "child-records": 1}
    assert certificate["records"]["Person"] == 2
    assert certificate["method"]
    text = str(certificate)
    for name in ("Maryam", "Tobi", "Kemi", "Oduya"):
        assert name not in text


def test_records_merged_into_a_destroyed_person_are_destroyed_with_them(
    old_family, request_as, reviewer
):
    duplicate = person(given_name="Mariam", family_name="Oduya", date_of_birth=date(1980, 4, 4))
    Person.objects.filter(pk=duplicate.pk).update(merged_into=old_family.mum)
    planned_and_approved(request_as, reviewer)
    disposal.dispose()
    assert not Person.objects.filter(pk=duplicate.pk).exists()


def test_document_files_are_removed_from_disk(old_family, request_as, reviewer):
    Person.objects.filter(pk=old_family.youngest.pk).update(date_of_birth=date(2001, 1, 1))
    sha, size = documents.store(SimpleUploadedFile("referral.pdf", sample.pdf()))
    Document.objects.create(
        case=old_family.case,
        person=old_family.mum,
        kind="letter",
        title="Referral",
        content_type="application/pdf",
        size=size,
        sha256=sha,
        recorded_at=LONG_AGO,
    )
    path = documents.path_for(sha)
    assert path.exists()
    planned_and_approved(request_as, reviewer)
    done = disposal.dispose()
    assert not path.exists()
    assert done.files_removed == 1


def test_a_case_reopened_after_approval_keeps_its_people(old_family, request_as, reviewer):
    review = planned_and_approved(request_as, reviewer)
    Case.objects.filter(pk=old_family.case.pk).update(ended=None)
    done = disposal.dispose()
    assert done.people == 0
    assert set(review.items.values_list("status", flat=True)) == {Status.NOT_DUE}


def test_the_commands_plan_and_dispose(old_family, request_as, reviewer, capsys):
    call_command("retention", "plan", "--through", timezone.localdate().isoformat())
    out = capsys.readouterr().out
    assert "1 person: An adult's records: kept for 6 years" in out
    approve(request_as(reviewer), DestructionReview.objects.get())
    call_command("retention", "dispose", "--batch-size", "1")
    out = capsys.readouterr().out
    assert "Destroyed the records of 2 people in 2 batches" in out
    assert PersonFactory._meta.model.objects.count() == 1


def test_an_open_rights_request_keeps_due_records_out_of_the_plan(old_family, reviewer):
    from tests.rights.scope_records import a_request

    request = a_request()
    RequestPerson.objects.create(
        request=request, person=old_family.mum, role="subject", added_by=reviewer
    )
    result = plan(today=TODAY, through=TODAY)
    assert set(result.review.items.values_list("person_id", flat=True)) == {old_family.older.pk}
    assert result.kept["a rights request about them is open"] == 1


def test_a_rights_request_opened_after_approval_keeps_the_records_at_disposal(
    old_family, request_as, reviewer
):
    from tests.rights.scope_records import a_request

    review = planned_and_approved(request_as, reviewer)
    RequestPerson.objects.create(
        request=a_request(), person=old_family.older, role="subject", added_by=reviewer
    )
    disposal.dispose()
    assert Person.objects.filter(pk=old_family.older.pk).exists()
    assert review.items.get(person=old_family.older).status == Status.RIGHTS


def test_handling_a_record_is_not_involvement_and_does_not_restart_the_clock(old_family):
    # A manager restricting who may open the record today is the council's handling of it,
    # not work with the family: the six years still run from 2012.
    RestrictionFactory(person=old_family.mum)
    result = plan(today=TODAY, through=TODAY)
    assert old_family.mum.pk in set(result.review.items.values_list("person_id", flat=True))


def test_recording_a_fact_about_someone_is_involvement_and_restarts_the_clock(old_family):
    RiskFactory(person=old_family.mum)  # recorded today
    result = plan(today=TODAY, through=TODAY)
    assert old_family.mum.pk not in set(result.review.items.values_list("person_id", flat=True))


def test_last_involvement_is_the_local_day_of_the_latest_record(old_family):
    # 23:30 UTC on 1 July 2019 is 00:30 on 2 July in London (summer time): the plan reads
    # dates as the database stores them and must still count the day the family lived.
    RiskFactory(person=old_family.mum, recorded_at=datetime(2019, 7, 1, 23, 30, tzinfo=UTC))
    found = {pk: history for pk, _, history in histories(active_policy(), [old_family.mum.pk])}
    assert found[old_family.mum.pk].last_involvement == date(2019, 7, 2)


def test_a_planned_item_names_the_person_by_the_pseudonym_of_their_public_id(old_family):
    result = plan(today=TODAY, through=TODAY)
    item = result.review.items.get(person=old_family.mum)
    assert item.pseudonym == pseudonym(old_family.mum.public_id)
    assert (item.rule, item.subject, item.due_on) == ("adult-records", "adult", date(2018, 3, 1))
    assert item.status == Status.PLANNED and item.deferred_reason == ""


def test_a_record_made_late_on_a_summer_evening_dates_from_the_local_day(db):
    made = person(given_name="Ada", family_name="Late", date_of_birth=date(1970, 1, 1))
    Person.objects.filter(pk=made.pk).update(created_at=datetime(2019, 7, 1, 23, 30, tzinfo=UTC))
    found = {pk: history for pk, _, history in histories(active_policy(), [made.pk])}
    assert found[made.pk].last_involvement == date(2019, 7, 2)
