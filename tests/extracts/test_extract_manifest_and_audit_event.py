"""What an extract's manifest and its audit event say: what left, to whom, under which rules,
by whom, and until when the recipient may keep it. Expected values are written out by hand
from camden.toml's LIIA and national collection entries."""

import getpass
import hashlib
import hmac
from datetime import date

import pytest

from earlyhelp.audit.models import AuditEvent
from earlyhelp.extracts.database import extract_from_records
from earlyhelp.extracts.models import Extract
from earlyhelp.extracts.projects import approve, record_extract
from earlyhelp.policy.active import active_policy
from tests.factories import ObjectionFactory

pytestmark = pytest.mark.django_db

ON = date(2026, 11, 25)
LIIA_COLUMNS = [
    {"name": "name", "rule": "drop", "category": "identity-and-contact", "leaves": False},
    {
        "name": "person-reference",
        "rule": "keyed_pseudonym",
        "category": "identity-and-contact",
        "leaves": True,
    },
    {
        "name": "date-of-birth",
        "rule": "date_to_month",
        "category": "identity-and-contact",
        "leaves": True,
    },
    {
        "name": "postcode",
        "rule": "postcode_to_district",
        "category": "identity-and-contact",
        "leaves": True,
    },
]


def test_liia_manifest_names_the_project_recipient_rules_columns_key_and_destruction_date(
    family, case, keys_dir, tmp_path
):
    key = (keys_dir / "pseudonym-keys" / "liia").read_text().strip()
    extract = extract_from_records("liia", tmp_path, ON)
    document = extract.manifest
    assert document["project"] == "liia"
    assert document["project_name"] == "London Innovation and Improvement Alliance"
    assert document["recipient"] == "liia-platform"
    assert document["mode"] == "database"
    assert document["policy_version"] == active_policy().version
    assert document["extract_date"] == "2026-11-25"
    assert document["rows"] == 2
    assert document["columns"] == LIIA_COLUMNS
    # The key named by a fingerprint of it, never the key.
    expected = hmac.new(key.encode(), b"earlyhelp pseudonym key", hashlib.sha256).hexdigest()
    assert document["pseudonym_key"] == expected[:12]
    assert key not in str(document)
    # "destroyed after six years": recipient_retention = { years = 6 }.
    assert document["destruction_due"] == "2032-11-25"
    assert document["no_automated_decisions"] is True
    assert "project:liia" in document["policy_rules"]
    assert document["policy_rules"] == list(approve("liia", ON).decision.rule_ids)
    assert document["lawful_basis"] == approve("liia", ON).decision.lawful_basis
    assert [f["name"] for f in document["files"]] == [
        "liia-2026-11-25.csv",
        "liia-2026-11-25.parquet",
    ]
    assert document["made_at"].startswith(extract.made_at.date().isoformat())


def test_extract_row_holds_the_manifests_figures_and_who_made_it(
    family, case, keys_dir, tmp_path, make_user
):
    analyst = make_user("ana")
    ObjectionFactory(person=family["yusuf"], project="liia", received=date(2026, 1, 1))
    extract = Extract.objects.get(pk=extract_from_records("liia", tmp_path, ON, user=analyst).pk)
    assert (extract.project, extract.mode, extract.extract_date) == ("liia", "database", ON)
    assert (extract.rows, extract.left_out_by_objection) == (1, 1)
    assert extract.policy_version == active_policy().version
    assert extract.destruction_due == date(2032, 11, 25)
    assert extract.made_by == analyst
    event = AuditEvent.objects.get(action="export")
    assert (event.actor, event.actor_username) == (analyst, "ana")
    assert event.details["rows"] == 1


def test_a_project_with_no_recipient_retention_has_no_destruction_date(
    family, case, keys_dir, tmp_path
):
    case.started = date(2024, 5, 1)
    case.save()
    case.assessments.create(kind="early_help", started=date(2024, 6, 1))
    extract = extract_from_records("national-insights", tmp_path, date(2024, 7, 1))
    assert extract.destruction_due is None
    assert extract.manifest["destruction_due"] is None
    # The notice says nothing of automated decisions for this project: nor does the manifest.
    assert extract.manifest["no_automated_decisions"] is None


def test_export_event_from_the_command_line_names_the_project_its_purposes_and_the_files(
    family, case, keys_dir, tmp_path
):
    extract = extract_from_records("liia", tmp_path, ON)
    event = AuditEvent.objects.get(action="export")
    assert (event.record_type, event.record_id) == ("extract", str(extract.public_id))
    assert event.rule == "project:liia"
    # One purpose per event, the project's first; all of them in details.
    assert event.purpose == "evaluate-impact"
    assert event.actor is None
    assert event.actor_username == f"command line ({getpass.getuser()})"
    files = {f["name"]: f["sha256"] for f in extract.manifest["files"]}
    assert event.details == {
        "project": "liia",
        "mode": "database",
        "purposes": ["evaluate-impact", "help-government-improve"],
        "rows": 2,
        "files": files,
    }
    assert len(files) == 2


def test_export_event_categories_are_those_of_the_columns_that_left_only(db, keys_dir):
    approved = approve("liia", ON)
    document = {
        "rows": 3,
        "columns": [
            {"name": "notes", "rule": "drop", "category": "health", "leaves": False},
            {"name": "ward", "rule": "keep", "category": None, "leaves": True},
            {"name": "postcode", "rule": "keep", "category": "housing", "leaves": True},
            {"name": "ref", "rule": "keep", "category": "identity-and-contact", "leaves": True},
            {"name": "ref2", "rule": "keep", "category": "identity-and-contact", "leaves": True},
        ],
        "files": [{"name": "a.csv", "sha256": "ab" * 32}],
    }
    extract = record_extract(approved, mode="file", document=document, left_out_by_objection=2)
    event = AuditEvent.objects.get(action="export")
    assert event.categories == ["housing", "identity-and-contact"]
    assert event.details["files"] == {"a.csv": "ab" * 32}
    assert event.details["mode"] == "file"
    assert (extract.mode, extract.rows, extract.left_out_by_objection) == ("file", 3, 2)
    assert extract.made_by is None


def test_objection_and_extract_describe_themselves_without_naming_a_person(family):
    objection = ObjectionFactory(person=family["yusuf"], project="liia", received=date(2026, 1, 5))
    assert str(objection) == "Objection to liia received 2026-01-05"
    extract = Extract(project="liia", mode="database", extract_date=ON, rows=0, manifest={})
    assert str(extract) == "liia extract of 2026-11-25"
