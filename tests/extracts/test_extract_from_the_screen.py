"""Extracts run from the screen (issue 20, item 5): the command's checks and refusals, the
files held encrypted for the policy's period, downloaded by the analyst who ran it (every
download audited), deleted after it; "Made by" names the analyst."""

import csv
import hashlib
import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pypdf import PdfReader

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases import documents
from earlyhelp.encryption import FILE_MAGIC
from earlyhelp.extracts import held
from earlyhelp.extracts.database import extract_from_records
from earlyhelp.extracts.models import Extract, Objection
from earlyhelp.extracts.projects import ExtractRefused
from earlyhelp.policy.loader import PolicyError, load_policy
from tests.extracts.screen_records import attachments, screen_keys
from tests.factories import PersonAddressFactory
from tests.policy import camden_dict, write_policy

pytestmark = pytest.mark.django_db

RUN = reverse("extracts:run", args=["liia"])


@pytest.fixture
def keys(settings, tmp_path):
    return screen_keys(settings, tmp_path)


@pytest.fixture
def analyst(make_user, sign_in, case, keys):
    user = make_user("anwen", Role.ANALYST)
    user.first_name, user.last_name = "Anwen", "Price"
    user.save()
    sign_in(user)
    return user


def run(client, token: str = "") -> tuple:
    """Run the LIIA extract from the screen: the response and the extract it made."""
    response = client.post(RUN, {"form_token": token} if token else {})
    return response, Extract.objects.filter(project="liia").first()


def test_analyst_runs_the_liia_extract_and_is_shown_its_password_once_never_cached(client, analyst):
    response, extract = run(client)

    assert response.status_code == 200
    password = response.context["password"]
    assert password and password in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert extract.made_by == analyst and extract.rows == 2
    # Never kept: not on the row, not in the manifest.
    assert password not in json.dumps(extract.manifest)
    assert "Anwen Price" in response.content.decode()


def test_the_files_are_held_encrypted_for_the_policys_period(client, analyst):
    _, extract = run(client)

    # camden.toml: liia held_on_server_for = { days = 7 }
    assert extract.held_until == extract.made_at + timedelta(days=7)
    stored = documents.path_for(extract.held_file_sha256).read_bytes()
    assert stored.startswith(FILE_MAGIC)  # encrypted at rest, not a PDF on disk
    assert b"%PDF" not in stored[:64]


def test_the_download_is_the_csv_parquet_and_manifest_in_a_pdf_only_the_password_opens(
    client, analyst, family
):
    for child in ("yusuf", "leila"):
        PersonAddressFactory(
            person=family[child], address=family["household"].address, source="family"
        )
    response, extract = run(client)
    password = response.context["password"]

    download = client.get(reverse("extracts:download", args=[extract.public_id]))

    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        f'attachment; filename="liia-{extract.extract_date.isoformat()}-extract.pdf"'
    )
    pdf = download.content
    assert not PdfReader(io.BytesIO(pdf)).decrypt("not-the-password")
    files = attachments(pdf, password)
    stem = f"liia-{extract.extract_date.isoformat()}"
    assert set(files) == {f"{stem}.csv", f"{stem}.parquet", f"{stem}-manifest.json"}
    for entry in extract.manifest["files"]:
        assert hashlib.sha256(files[entry["name"]]).hexdigest() == entry["sha256"]
    rows = list(csv.DictReader(io.StringIO(files[f"{stem}.csv"].decode())))
    assert {row["postcode"] for row in rows} == {"NW5"}
    assert "Haddad" not in files[f"{stem}.csv"].decode()
    assert json.loads(files[f"{stem}-manifest.json"])["rows"] == 2


def test_every_download_is_counted_and_audited_as_an_export_citing_the_project(client, analyst):
    _, extract = run(client)
    url = reverse("extracts:download", args=[extract.public_id])

    client.get(url)
    client.get(url)

    extract.refresh_from_db()
    assert extract.downloads == 2
    events = AuditEvent.objects.filter(
        record_type="extract",
        record_id=str(extract.public_id),
        details__what="extract file downloaded",
    ).order_by("id")
    assert [e.details["download"] for e in events] == [1, 2]
    assert all(e.actor == analyst and e.action == "export" for e in events)
    assert all(e.rule == "project:liia" for e in events)


def test_the_screen_leaves_out_whom_the_command_leaves_out(client, analyst, family):
    Objection.objects.create(person=family["yusuf"], project="liia", received=timezone.localdate())

    _, extract = run(client)

    assert extract.rows == 1 and extract.left_out_by_objection == 1


def test_an_ended_project_is_refused_in_the_commands_words_and_nothing_is_made(
    client, analyst, tmp_path
):
    with pytest.raises(ExtractRefused) as command:
        extract_from_records("national-insights", tmp_path / "out")
    url = reverse("extracts:run", args=["national-insights"])

    page = client.get(url)
    sent = client.post(url)

    words = escape(str(command.value).partition(" (policy rule: ")[0])
    assert "ended on 31 March 2025" in words
    assert words in page.content.decode()
    assert "Run the extract" not in page.content.decode()
    assert sent.status_code == 200
    assert words in sent.content.decode()
    assert not Extract.objects.exists()
    assert not list(documents.documents_dir().glob("??/*"))


def test_without_a_held_period_in_the_policy_the_screen_refuses_and_the_command_still_runs(
    client, analyst, settings, tmp_path
):
    data = camden_dict()
    for project in data["projects"]:
        project.pop("held_on_server_for", None)
    settings.POLICY_PATH = write_policy(tmp_path, data)

    page = client.get(RUN)
    response, extract = run(client)

    assert "sets no period for holding the files" in page.content.decode()
    assert "sets no period for holding the files" in response.content.decode()
    assert extract is None
    assert extract_from_records("liia", tmp_path / "out").rows == 2


def test_the_policy_refuses_holding_files_for_no_time(tmp_path):
    data = camden_dict()
    liia = next(p for p in data["projects"] if p["id"] == "liia")
    liia["held_on_server_for"] = {"days": 0}
    with pytest.raises(PolicyError, match="held_on_server_for"):
        load_policy(write_policy(tmp_path, data))


def test_a_second_sending_of_the_run_form_makes_no_second_extract_nor_shows_the_password(
    client, analyst
):
    first, _ = run(client, token="one-click")
    second, _ = run(client, token="one-click")

    assert first.status_code == 200
    assert second.status_code == 409
    assert first.context["password"] not in second.content.decode()
    assert Extract.objects.count() == 1


def test_only_the_analyst_who_ran_it_may_download_it(client, analyst, make_user, sign_in):
    _, extract = run(client)
    url = reverse("extracts:download", args=[extract.public_id])
    other = make_user("olu", Role.ANALYST)
    sign_in(other)

    refused = client.get(url)
    page = client.get(reverse("extracts:detail", args=[extract.public_id]))

    assert refused.status_code == 403
    assert "Only the analyst who ran this extract may download it" in refused.content.decode()
    assert url not in page.content.decode()
    extract.refresh_from_db()
    assert extract.downloads == 0


def test_the_ig_officer_sees_who_made_it_by_full_name_and_cannot_run_or_download(
    client, analyst, make_user, sign_in
):
    _, extract = run(client)
    sign_in(make_user("gita", Role.INFORMATION_GOVERNANCE))

    projects = client.get(reverse("extracts:projects")).content.decode()
    detail = client.get(reverse("extracts:detail", args=[extract.public_id])).content.decode()

    assert "Anwen Price" in projects and "Anwen Price" in detail
    assert "anwen" not in projects.replace("Anwen", "")
    assert "Held, encrypted, until" in detail
    assert client.get(RUN).status_code == 403
    assert client.post(RUN).status_code == 403
    assert client.get(reverse("extracts:download", args=[extract.public_id])).status_code == 403
    assert Extract.objects.count() == 1


def test_a_download_after_its_time_is_refused_in_plain_words(client, analyst):
    _, extract = run(client)
    Extract.objects.filter(pk=extract.pk).update(held_until=timezone.now() - timedelta(minutes=1))

    response = client.get(reverse("extracts:download", args=[extract.public_id]))

    assert response.status_code == 410
    assert "no longer available" in response.content.decode()
    assert "Run the extract again" in response.content.decode()


def test_delete_expired_deletes_only_files_past_their_time_audits_and_is_safe_to_rerun(
    client, analyst
):
    _, old = run(client)
    _, new = run(client)
    Extract.objects.filter(pk=old.pk).update(held_until=timezone.now() - timedelta(seconds=1))
    out = io.StringIO()

    call_command("extracts", "delete-expired", stdout=out)
    call_command("extracts", "delete-expired", stdout=out)

    old.refresh_from_db()
    new.refresh_from_db()
    assert not documents.path_for(old.held_file_sha256).exists()
    assert old.held_removed_at is not None and not old.is_held
    assert documents.path_for(new.held_file_sha256).exists() and new.is_held
    assert out.getvalue().splitlines() == [
        "Deleted the files of 1 extract(s) whose time on the server ended.",
        "No extract's time on the server has ended.",
    ]
    deleted = AuditEvent.objects.filter(action="delete", record_id=str(old.public_id))
    assert deleted.count() == 1
    page = client.get(reverse("extracts:detail", args=[old.public_id])).content.decode()
    assert "Deleted: held until" in page


def test_a_file_deleted_by_hand_before_the_job_is_marked_when_the_job_reruns(client, analyst):
    _, extract = run(client)
    documents.path_for(extract.held_file_sha256).unlink()
    Extract.objects.filter(pk=extract.pk).update(held_until=timezone.now())

    assert held.delete_expired() == 1
    assert held.delete_expired() == 0


def test_a_command_line_extract_has_no_file_to_download(client, analyst, tmp_path):
    extract = extract_from_records("liia", tmp_path / "out", user=analyst)

    response = client.get(reverse("extracts:download", args=[extract.public_id]))
    page = client.get(reverse("extracts:detail", args=[extract.public_id])).content.decode()

    assert response.status_code == 410
    assert "made with the command" in response.content.decode()
    assert "None: made with the command" in page


def test_the_projects_page_offers_the_run_only_for_an_open_project_and_only_to_analysts(
    client, analyst
):
    html = client.get(reverse("extracts:projects")).content.decode()

    assert RUN in html
    assert reverse("extracts:run", args=["national-insights"]) not in html


def test_an_unknown_project_is_not_found(client, analyst):
    assert client.get(reverse("extracts:run", args=["no-such-project"])).status_code == 404
