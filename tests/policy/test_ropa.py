"""The Article 30 record has one row per purpose, all drawn from the policy."""

import csv
import io

import pytest

from earlyhelp.policy.render import ropa_csv, ropa_rows
from earlyhelp.policy.schema import Policy

from . import camden_policy

COLUMNS = {
    "purpose",
    "controller",
    "dpo",
    "data_subjects",
    "personal_data",
    "special_category_data",
    "criminal_offence_data",
    "recipients",
    "transfers",
    "retention",
    "article_6",
    "article_9",
    "article_10",
    "laws",
    "security_measures",
    "storage_systems",
}


@pytest.fixture(scope="module")
def camden() -> Policy:
    return camden_policy()


def test_record_of_processing_has_one_row_per_purpose(camden: Policy) -> None:
    rows = ropa_rows(camden)
    assert [r["purpose_id"] for r in rows] == [p.id for p in camden.purposes]
    for row in rows:
        assert set(row) >= COLUMNS


def test_record_row_names_lawful_bases_recipients_retention_and_security(camden: Policy) -> None:
    row = next(r for r in ropa_rows(camden) if r["purpose_id"] == "help-government-improve")
    assert row["article_6"] == "6(1)(c) (legal obligation) and 6(1)(e) (public task)"
    assert "9(2)(g)" in row["article_9"] and "9(2)(h)" in row["article_9"]
    assert "Article 10" in row["article_10"]
    assert "Ofsted" in row["recipients"]
    assert "national-insights-dsa" in row["recipients"]
    assert "to 2025-03-31" in row["projects"]
    assert "until your child is 25" in row["retention"]
    assert "six years" in row["retention"]
    assert "technical and organisation measures" in row["security_measures"]
    assert "MOSAIC" in row["storage_systems"] and "eyManage" not in row["storage_systems"]
    assert "Children Act 1989" in row["laws"]
    assert row["transfers"].startswith("Only within the UK, EU and EEA")


def test_consent_based_row_shows_its_own_system_and_its_media_retention(camden: Policy) -> None:
    row = next(r for r in ropa_rows(camden) if r["purpose_id"] == "share-in-nursery-life")
    assert row["consent_based"] == "yes"
    assert row["storage_systems"] == "eyManage nursery management system"
    assert row["retention"] == "We will keep photos and videos until your child is 6."
    assert "Other parents using the eyLog Parent application" in row["recipients"]


def test_record_as_csv_reads_back_as_the_same_rows(camden: Policy) -> None:
    rows = list(csv.DictReader(io.StringIO(ropa_csv(camden))))
    assert rows == ropa_rows(camden)
