import io

import pytest
from django.core.management import call_command
from django.db import connection

from earlyhelp.encryption import DecryptionError, create_key, key_id_of, key_ring
from earlyhelp.people.models import HealthCondition, OffenceRecord
from tests.factories import HealthConditionFactory, OffenceRecordFactory, PersonFactory


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


@pytest.fixture
def condition(db):
    person = PersonFactory(given_name="Leila", family_name="Haddad")
    return HealthConditionFactory(
        person=person, source="gp", kind="mental", description="Anxiety; seen by CAMHS"
    )


def test_special_category_value_is_stored_encrypted_and_read_back_in_clear(condition):
    stored = raw(HealthCondition, condition.pk, "description")
    assert "CAMHS" not in stored
    assert stored.startswith("eh1:")
    assert key_id_of(stored) == key_ring().current_id
    assert HealthCondition.objects.get(pk=condition.pk).description == "Anxiety; seen by CAMHS"


def test_same_value_encrypts_differently_each_time(condition):
    again = HealthConditionFactory(
        person=condition.person, source="gp", kind="mental", description=condition.description
    )
    assert raw(HealthCondition, condition.pk, "description") != raw(
        HealthCondition, again.pk, "description"
    )


def test_altered_ciphertext_is_refused_not_misread(condition):
    stored = raw(HealthCondition, condition.pk, "description")
    tampered = stored[:-6] + ("A" if stored[-6] != "A" else "B") + stored[-5:]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people_healthcondition SET description = %s WHERE id = %s",
            [tampered, condition.pk],
        )
    with pytest.raises(DecryptionError, match="altered"):
        HealthCondition.objects.get(pk=condition.pk)


def test_ciphertext_moved_to_another_column_does_not_decrypt(condition):
    offence = OffenceRecordFactory(
        person=condition.person, source="police", status="suspected", offence="theft"
    )
    moved = raw(HealthCondition, condition.pk, "description")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people_offencerecord SET offence = %s WHERE id = %s", [moved, offence.pk]
        )
    with pytest.raises(DecryptionError):
        OffenceRecord.objects.get(pk=offence.pk)


def test_rotate_re_encrypts_every_value_under_a_new_key_and_keeps_them_readable(condition):
    old_key = key_ring().current_id
    offence = OffenceRecordFactory(
        person=condition.person, source="police", status="charged", offence="robbery", sentence=""
    )
    call_command("keys", "rotate", "--batch-size", "1", stdout=io.StringIO())
    new_key = key_ring().current_id
    assert new_key != old_key
    for model, pk, column in [
        (HealthCondition, condition.pk, "description"),
        (HealthCondition, condition.pk, "kind"),
        (OffenceRecord, offence.pk, "offence"),
        (OffenceRecord, offence.pk, "status"),
    ]:
        assert key_id_of(raw(model, pk, column)) == new_key
    assert HealthCondition.objects.get(pk=condition.pk).description == "Anxiety; seen by CAMHS"
    assert OffenceRecord.objects.get(pk=offence.pk).status == "charged"
    assert raw(OffenceRecord, offence.pk, "sentence") == ""


def test_interrupted_rotation_resumes_without_another_key(condition, settings):
    # A rotation that made its key, then stopped before re-encrypting anything.
    create_key(settings.KEYS_DIR)
    current = key_ring().current_id
    assert key_id_of(raw(HealthCondition, condition.pk, "description")) != current
    call_command("keys", "rotate", "--resume", stdout=io.StringIO())
    assert key_ring().current_id == current
    assert key_id_of(raw(HealthCondition, condition.pk, "description")) == current


def test_value_under_a_key_no_longer_in_the_folder_names_the_key(condition, settings):
    stored = raw(HealthCondition, condition.pk, "description")
    for path in (settings.KEYS_DIR / "field-keys").glob("*.key"):
        path.unlink()
    key_ring.cache_clear()
    (settings.KEYS_DIR / "field-keys" / "spare.key").write_text("AAAA\n")
    (settings.KEYS_DIR / "field-keys" / "current").write_text("spare\n")
    key_ring.cache_clear()
    with pytest.raises(DecryptionError, match=key_id_of(stored)):
        HealthCondition.objects.get(pk=condition.pk)
