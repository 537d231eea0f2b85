"""The analyst's screen of projects and extracts: manifests only, never a family's details."""

import re
from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.extracts.database import extract_from_records
from earlyhelp.extracts.keys import ensure_project_key, fingerprint, project_key
from earlyhelp.extracts.models import Extract
from earlyhelp.extracts.views import _status
from earlyhelp.policy.decisions import ProjectDecision
from earlyhelp.policy.loader import load_policy
from tests.factories import ExtractFactory, PersonAddressFactory

EXTRACT_DATE = date(2026, 11, 25)
NHS_NUMBERS = {
    "mum": "9434765919",
    "yusuf": "9434765870",
    "leila": "4010232137",
    "dad": "9990000042",
}


@pytest.fixture
def liia_extract(settings, tmp_path, family, case, make_user) -> Extract:
    """A real LIIA extract from the case records, made by an analyst, written to tmp_path."""
    for who, nhs_number in NHS_NUMBERS.items():
        family[who].nhs_number = nhs_number
        family[who].save()
        PersonAddressFactory(
            person=family[who],
            address=family["household"].address,
            moved_in=date(2022, 4, 1),
            source="family",
        )
    settings.KEYS_DIR = tmp_path / "keys"
    ensure_project_key(settings.KEYS_DIR, "liia")
    return extract_from_records(
        "liia", tmp_path / "out", on_date=EXTRACT_DATE, user=make_user("ana", Role.ANALYST)
    )


@pytest.fixture
def analyst(make_user, sign_in):
    return sign_in(make_user("anwen", Role.ANALYST))


def projects_page(client) -> str:
    response = client.get(reverse("extracts:projects"))
    assert response.status_code == 200
    return response.content.decode()


def manifest_page(client, extract: Extract) -> str:
    response = client.get(reverse("extracts:detail", args=[extract.public_id]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_analyst_sees_each_project_with_its_status_and_last_extract_with_its_destruction_date(
    analyst, liia_extract
):
    assert liia_extract.destruction_due == date(2032, 11, 25)

    response = analyst.get(reverse("extracts:projects"))

    assert response.status_code == 200
    rows = {row.project.id: row for row in response.context["rows"]}
    assert set(rows) == {"liia", "national-insights"}
    assert rows["liia"].status == "Open" and rows["liia"].open
    assert rows["liia"].last == liia_extract
    assert rows["national-insights"].status == "Ended 31 March 2025"
    assert not rows["national-insights"].open
    assert rows["national-insights"].last is None
    html = response.content.decode()
    assert "London Innovation and Improvement Alliance" in html
    assert "Early Help and Supporting Families National Insights data collection" in html
    assert ">Open</strong>" in html
    assert ">Ended 31 March 2025</strong>" in html
    assert reverse("extracts:detail", args=[liia_extract.public_id]) in html
    assert "25 Nov 2032" in html  # the recipient destroys the last extract by then
    assert "None yet" in html  # national insights never had one


@pytest.mark.django_db
def test_manifest_page_lists_columns_with_their_rules_files_with_sha256_and_key_fingerprint(
    analyst, liia_extract, settings
):
    html = manifest_page(analyst, liia_extract)

    assert "Extract of 25 November 2026" in html
    assert "25 November 2032" in html
    for column, words in [
        ("name", "Removed"),
        ("person-reference", "Replaced with a reference number"),
        ("date-of-birth", "Cut to month and year"),
        ("postcode", "Cut to the postcode district"),
    ]:
        row = rf'<code>{re.escape(column)}</code></th>\s*<td class="govuk-table__cell">{words}</td>'
        assert re.search(row, html), f"no row for {column}: {words}"
    files = liia_extract.manifest["files"]
    assert {f["name"] for f in files} == {"liia-2026-11-25.csv", "liia-2026-11-25.parquet"}
    for file in files:
        assert file["name"] in html
        assert len(file["sha256"]) == 64 and file["sha256"] in html
    key = fingerprint(project_key(settings.KEYS_DIR, "liia"))
    assert liia_extract.manifest["pseudonym_key"] == key
    assert f"<code>{key}</code>" in html


@pytest.mark.django_db
def test_no_page_of_the_screen_shows_a_name_date_of_birth_postcode_or_nhs_number(
    analyst, liia_extract, family, tmp_path
):
    # The two children left, their postcodes cut to the district: the data exists.
    assert liia_extract.rows == 2
    assert (tmp_path / "out" / "liia-2026-11-25.csv").read_text().count(",NW5\n") == 2

    pages = {
        "projects": projects_page(analyst),
        "manifest": manifest_page(analyst, liia_extract),
    }

    people = [family[who] for who in ("mum", "yusuf", "leila", "dad")]
    identifying = {"NW5 3HS", "NW5 3"}
    for person in people:
        born = person.date_of_birth
        identifying |= {
            person.given_name,
            person.family_name,
            person.nhs_number,
            born.isoformat(),
            f"{born:%d/%m/%Y}",
            f"{born.day} {born:%B %Y}",
            f"{born.day} {born:%b %Y}",
        }
    assert all(identifying)
    for name, html in pages.items():
        shown = sorted(value for value in identifying if value in html)
        assert not shown, f"the {name} page shows {shown}"


@pytest.mark.django_db
def test_practitioner_is_refused_both_pages(practitioner, client):
    extract = ExtractFactory(
        project="liia",
        mode=Extract.Mode.DATABASE,
        policy_version="test",
        extract_date=EXTRACT_DATE,
        rows=0,
        manifest={},
    )
    assert client.get(reverse("extracts:projects")).status_code == 403
    assert client.get(reverse("extracts:detail", args=[extract.public_id])).status_code == 403


def test_project_within_its_dates_whose_agreement_lapsed_is_not_shown_as_open():
    liia = load_policy("policies/camden.toml").project("liia")
    lapsed = ProjectDecision(False, ("project:liia",), None, "The agreement is not in force.")
    assert _status(liia, lapsed, date(2026, 11, 25)) == "Closed: its agreement is not in force"
