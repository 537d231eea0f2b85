"""Free text, where health and offence details are written in passing, is encrypted at rest."""

import io
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from earlyhelp.cases.chronology import SUMMARY_CHARS, household_chronology, with_notes
from earlyhelp.cases.models import Assessment, Case, Contact, PlanGoal
from earlyhelp.cases.services import record_contact
from earlyhelp.encryption import (
    EncryptedTextField,
    decrypt_columns,
    encrypt_columns,
    key_id_of,
    key_ring,
)
from earlyhelp.people import models as people
from tests.factories import (
    AssessmentFactory,
    PersonFactory,
    PlanFactory,
    RestrictionFactory,
    RiskFactory,
)

NOTE = "Mum said Yusuf was cautioned by police last week; she is on sertraline for depression."

FREE_TEXT = [
    (Case, "reason"),
    (Assessment, "family_views"),
    (Assessment, "strengths"),
    (Assessment, "needs"),
    (Assessment, "summary"),
    (PlanGoal, "goal"),
    (PlanGoal, "actions"),
    (Contact, "note"),
    (people.LegalStatus, "detail"),
    (people.HousingSituation, "needs"),
    (people.WellbeingAndParenting, "summary"),
    (people.SocialCircumstances, "summary"),
    (people.Employment, "detail"),
    (people.EducationRecord, "behaviour"),
    (people.Exclusion, "reason"),
    (people.Risk, "description"),
    (people.AgencyInvolvement, "support"),
]


@pytest.fixture(autouse=True)
def own_keys(settings, tmp_path):
    """Each test gets its own keys folder, so rotation never touches the developer's."""
    settings.KEYS_DIR = tmp_path / "keys"
    key_ring.cache_clear()
    call_command("keys", "init", stdout=io.StringIO())
    yield
    key_ring.cache_clear()


def raw(model, pk, column):
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def write_raw(model, pk, column, value):
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])  # noqa: S608


def contact_on(case, note=NOTE) -> Contact:
    occurred = timezone.make_aware(datetime(2026, 10, 2, 10, 0))
    return record_contact(
        case=case, author=None, kind="home_visit", occurred_at=occurred, note=note
    )


@pytest.mark.parametrize(("model", "name"), FREE_TEXT, ids=lambda x: getattr(x, "__name__", x))
def test_every_narrative_field_is_encrypted(model, name):
    assert isinstance(model._meta.get_field(name), EncryptedTextField)


def test_the_database_column_of_a_contact_note_does_not_hold_the_note(case):
    contact = contact_on(case)
    stored = raw(Contact, contact.pk, "note")
    assert "cautioned" not in stored
    assert "sertraline" not in stored
    assert stored.startswith("eh1:")
    assert Contact.objects.get(pk=contact.pk).note == NOTE


def test_the_reason_for_a_case_and_an_assessment_are_stored_encrypted(case):
    assessment = AssessmentFactory(
        case=case, kind="early_help", started=date(2026, 9, 5), needs="ADHD assessment due"
    )
    assert "attendance" not in raw(Case, case.pk, "reason")
    assert "ADHD" not in raw(Assessment, assessment.pk, "needs")
    assert raw(Assessment, assessment.pk, "summary") == ""  # empty stays empty
    assert Case.objects.get(pk=case.pk).reason == "School attendance and housing worries"


def test_plan_goals_written_in_bulk_are_encrypted(case):
    plan = PlanFactory(case=case, agreed=date(2026, 9, 25), review_date=date(2026, 12, 1))
    PlanGoal.objects.bulk_create(
        [PlanGoal(plan=plan, goal="Reduce drinking", actions="Refer to FWD")]
    )
    goal_id = PlanGoal.objects.get().pk
    assert "drinking" not in raw(PlanGoal, goal_id, "goal")
    assert PlanGoal.objects.get().actions == "Refer to FWD"


def test_a_persons_narrative_facts_are_stored_encrypted(family):
    risk = RiskFactory(
        person=family["yusuf"],
        source="police",
        kind="exploitation",
        level="high",
        description="Seen with older youths dealing cannabis",
    )
    assert "cannabis" not in raw(people.Risk, risk.pk, "description")
    assert raw(people.Risk, risk.pk, "level") == "high"  # structured codes stay plain


def test_the_chronology_shows_the_start_of_each_decrypted_note(case, family):
    long_note = "Home visit. " + "Talked about the week and what went well. " * 20
    contact_on(case, note=long_note)
    events = with_notes(household_chronology(family["household"]))
    [event] = [e for e in events if e.kind == "contact"]
    assert event.summary.startswith("Home visit. Talked about the week")
    assert event.summary.endswith("…")
    assert len(event.summary) <= SUMMARY_CHARS


def test_rotation_re_encrypts_free_text(case):
    contact = contact_on(case)
    old = key_id_of(raw(Contact, contact.pk, "note"))
    call_command("keys", "rotate", stdout=io.StringIO())
    assert key_id_of(raw(Contact, contact.pk, "note")) == key_ring().current_id != old
    assert Contact.objects.get(pk=contact.pk).note == NOTE


def test_rows_written_in_clear_are_encrypted_once_and_can_be_decrypted_back(case):
    contact = contact_on(case)
    write_raw(Contact, contact.pk, "note", NOTE)  # as before the field was encrypted
    assert encrypt_columns(Contact, ["note"]) == 1
    assert "cautioned" not in raw(Contact, contact.pk, "note")
    assert Contact.objects.get(pk=contact.pk).note == NOTE
    assert encrypt_columns(Contact, ["note"]) == 0  # run again: nothing left to do
    assert decrypt_columns(Contact, ["note"]) == 1
    assert raw(Contact, contact.pk, "note") == NOTE


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_rows_written_before_it(case, family):
    risk = RiskFactory(
        person=family["mum"], source="family", kind="domestic_abuse", level="medium",
        description="Ex-partner has a conviction for assault",
    )  # fmt: skip
    contact = contact_on(case)
    executor = MigrationExecutor(connection)
    before = [("cases", "0002_free_text_encrypted"), ("people", "0002_free_text_encrypted")]
    executor.migrate(before)  # back: the values are written in clear again
    assert raw(Contact, contact.pk, "note") == NOTE
    assert raw(people.Risk, risk.pk, "description") == "Ex-partner has a conviction for assault"
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert "cautioned" not in raw(Contact, contact.pk, "note")
    assert "conviction" not in raw(people.Risk, risk.pk, "description")
    assert people.Risk.objects.get(pk=risk.pk).description.endswith("assault")


def test_restriction_and_merge_reasons_are_not_stored_in_clear(family, make_user):
    from earlyhelp.access.models import Restriction
    from earlyhelp.people.merge import merge_people

    manager = make_user("rhona")
    RestrictionFactory(
        person=family["leila"], reason="Her aunt works in the team", created_by=manager
    )
    duplicate = PersonFactory(given_name="Yusef", family_name="Haddad", unidentified=True)
    merge_people(family["yusuf"], duplicate, manager, "GP confirmed the same NHS number")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM access_restriction")
        (restriction,) = cursor.fetchone()
        cursor.execute("SELECT reason FROM people_personmerge")
        (merge,) = cursor.fetchone()
    assert "aunt" not in restriction and restriction.startswith("eh1:")
    assert "GP confirmed" not in merge and merge.startswith("eh1:")
    assert Restriction.objects.get().reason == "Her aunt works in the team"
