"""Extracts run from the screen: the same extract as `earlyhelp extract`, its files held on
the server for the analyst to download, for as long as the policy says, then deleted.

`run` makes the extract with the command's own service (database.extract_from_records: the
project's dates, its agreement, objections and restrictions, the pseudonym key, all
checked and refused there in the same words), into a private temporary folder. Its files
(CSV, Parquet and the manifest) go into one PDF, attached to a cover page that says what
they are, protected with a new password (AES-256, bundles.render.protect, as every
protected export is) and stored encrypted at rest in the documents folder
(cases.documents.store). The password is returned once and never kept. The temporary
folder is deleted whatever happens.

`download` gives the protected file to the analyst who ran it, while it is held, counting
and auditing every download; `delete_expired` deletes the files whose time is up (the job
`earlyhelp extracts delete-expired`). The Extract row stays: it is the record of what left.
Refusals raise HeldRefused with a sentence for the page.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables
from pypdf import PdfReader, PdfWriter

from earlyhelp.audit.log import record
from earlyhelp.bundles.render import protect, render_schedule
from earlyhelp.cases import documents
from earlyhelp.extracts.database import extract_from_records
from earlyhelp.extracts.models import Extract
from earlyhelp.lib.plausible import format_day
from earlyhelp.packages.services import new_password
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.decisions import add_period
from earlyhelp.policy.describe import describe_period
from earlyhelp.policy.schema import Project
from earlyhelp.web.words import staff_name

RECORD_TYPE = "extract"


class HeldRefused(Exception):
    """An extract that cannot be run from the screen, or a file that cannot be downloaded;
    the message is a sentence for the page."""


@dataclass(frozen=True)
class Held:
    """An extract just run from the screen: the password is shown once, never kept."""

    extract: Extract
    password: str


def held_for(project: Project) -> str:
    """How long the project's files are held on the server, in words ("" when the policy
    sets no period, and the screen does not run the project)."""
    period = project.held_on_server_for
    return describe_period(period) if period is not None else ""


def held_until(project: Project, made_at: datetime) -> datetime:
    """When files made at `made_at` stop being held: the project's held_on_server_for."""
    period = project.held_on_server_for
    if period is None:
        raise HeldRefused(no_period(project))
    day = made_at.date()
    return made_at + (add_period(day, period) - day)


def ends_at(extract: Extract) -> datetime | None:
    """When the extract's file stops being held: its held_until, or sooner when the policy
    now holds the project's files for less time than when it was made (or no longer holds
    them at all, or no longer declares the project: its time is up already). None for an
    extract made with the command."""
    if extract.held_until is None:
        return None
    project = active_policy().project(extract.project)
    if project is None or project.held_on_server_for is None:
        return extract.made_at
    return min(extract.held_until, held_until(project, extract.made_at))


def no_period(project: Project) -> str:
    """The refusal when the policy sets no period for holding the project's files."""
    return (
        f"The policy sets no period for holding the files of '{project.name}' on the "
        "server, so its extract is made with the command (earlyhelp extract) only."
    )


def file_name(extract: Extract) -> str:
    """The download's name: the project and the extract date, never anything about a person."""
    return f"{extract.project}-{extract.extract_date.isoformat()}-extract.pdf"


def _cover(extract: Extract, user) -> bytes:
    """A page saying what the attached files are, as the manifest page does."""
    policy = active_policy()
    manifest = extract.manifest
    project = policy.project(extract.project)
    recipient = policy.recipient(project.recipient) if project else None
    rows = [
        ("Project", manifest.get("project_name", extract.project)),
        ("Recipient", recipient.name if recipient else manifest.get("recipient", "")),
        ("Extract date", format_day(extract.extract_date)),
        ("Made by", staff_name(user)),
        ("Rows", f"{extract.rows:,}"),
        ("Left out because they objected", f"{extract.left_out_by_objection:,}"),
        (
            "Recipient must destroy it by",
            format_day(extract.destruction_due) if extract.destruction_due else "Not set",
        ),
        ("Policy version", extract.policy_version),
        ("Pseudonym key (fingerprint)", manifest.get("pseudonym_key", "")),
        *(
            (f"Attached: {f['name']}", f"{f['rows']:,} rows, SHA-256 {f['sha256']}")
            for f in manifest.get("files", [])
        ),
        ("Attached: the manifest", "What left, under which rules, and the files' hashes"),
    ]
    return render_schedule(
        f"Pseudonymised extract: {manifest.get('project_name', extract.project)}",
        [(what, str(value)) for what, value in rows],
        ("What", "Detail"),
        issuer=policy.service_name,
    )


def _package(extract: Extract, folder: Path, user) -> bytes:
    """The cover page with the extract's files and its manifest attached."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_cover(extract, user))))
    for entry in extract.manifest["files"]:
        writer.add_attachment(entry["name"], (folder / entry["name"]).read_bytes())
    manifest_name = f"{extract.project}-{extract.extract_date.isoformat()}-manifest.json"
    writer.add_attachment(manifest_name, (folder / manifest_name).read_bytes())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# Every variable, here and in what it calls (the file's password is passed down to be
# protected with): an error report of a failed run must never carry the password.
@sensitive_variables()
def run(request: HttpRequest, project_id: str) -> Held:
    """Run the project's extract for today as the signed-in analyst, and hold its files.

    The checks and refusals are the command's (extract_from_records): HeldRefused carries
    their words. The extract, its audit event and its held file are kept together or not
    at all."""
    from earlyhelp.extracts.errors import EXPECTED

    policy = active_policy()
    project = policy.project(project_id)
    if project is None:
        raise HeldRefused(f"'{project_id}' is not a project the policy declares.")
    if project.held_on_server_for is None:
        raise HeldRefused(no_period(project))
    password = new_password()
    stored = ""
    try:
        # Plain files only in a folder of this run's own (mode 700), gone when it ends.
        with (
            tempfile.TemporaryDirectory(prefix="earlyhelp-extract-") as folder,
            transaction.atomic(),
        ):
            extract = extract_from_records(
                project.id, Path(folder), timezone.localdate(), user=request.user
            )
            pdf = protect(_package(extract, Path(folder), request.user), password)
            stored, _size = documents.store(ContentFile(pdf, name="extract.pdf"))
            extract.held_file_sha256 = stored
            extract.held_until = held_until(project, extract.made_at)
            extract.save(update_fields=["held_file_sha256", "held_until"])
    except EXPECTED as error:
        _forget(stored)
        raise HeldRefused(_sentence(error)) from None
    except BaseException:
        _forget(stored)
        raise
    return Held(extract, password)


def _forget(sha256: str) -> None:
    # A file stored for an extract that was then not recorded.
    if sha256:
        documents.path_for(sha256).unlink(missing_ok=True)


def _sentence(error: Exception) -> str:
    """The command's refusal for a page: the rule's words without its id."""
    text = str(error)
    words, _, _ = text.partition(" (policy rule: ")
    return words


def _categories(extract: Extract) -> list[str]:
    columns = extract.manifest.get("columns", [])
    return sorted({c["category"] for c in columns if c["leaves"] and c["category"]})


def download_problem(extract: Extract, user) -> str:
    """Why `user` may not download the extract's file now ("" when they may)."""
    if not extract.was_held:
        return "This extract was made with the command, so no file of it is held on the server."
    ends = ends_at(extract)
    if not extract.is_held or (ends is not None and ends <= timezone.now()):
        gone = extract.held_removed_at or ends
        return (
            f"The files of this extract were held on the server until "
            f"{timezone.localtime(gone):%-d %B %Y, %H:%M} and are no longer available. "
            "Run the extract again for a new copy."
        )
    if extract.made_by_id != user.pk:
        return (
            "Only the analyst who ran this extract may download it: the password was shown "
            "to them alone."
        )
    return ""


@transaction.atomic
def download(request: HttpRequest, extract: Extract) -> bytes:
    """The protected file of an extract held on the server, counted, and audited as an
    export citing the project. HeldRefused saying why when it is not there to give."""
    extract = Extract.objects.select_for_update().get(pk=extract.pk)
    problem = download_problem(extract, request.user)
    if problem:
        raise HeldRefused(problem)
    try:
        data = documents.read(extract.held_file_sha256)
    except documents.DocumentUnavailable:
        raise HeldRefused(
            "The file of this extract cannot be read on the server. Run the extract again."
        ) from None
    extract.downloads += 1
    extract.save(update_fields=["downloads"])
    project = active_policy().project(extract.project)
    record(
        request,
        action="export",
        record_type=RECORD_TYPE,
        record_id=extract.public_id,
        categories=_categories(extract),
        purpose=project.purposes[0] if project else "",
        rule=f"project:{extract.project}",
        details={"what": "extract file downloaded", "download": extract.downloads},
    )
    return data


def delete_expired(now: datetime | None = None) -> int:
    """Delete the held files whose time is up, each in its own transaction and audited;
    the number deleted. Safe to stop and rerun: a file already gone is marked, and a
    marked one is never looked at again. The time is the policy's now (ends_at): a period
    shortened, or taken out, since a file was made ends it sooner."""
    now = now or timezone.now()
    deleted = 0
    holding = Extract.objects.filter(held_removed_at=None, held_file_sha256__gt="")
    due = [
        extract.pk
        for extract in holding.only("pk", "project", "made_at", "held_until")
        if (ends_at(extract) or now) <= now
    ]
    for pk in due:
        with transaction.atomic():
            extract = (
                Extract.objects.select_for_update().filter(pk=pk, held_removed_at=None).first()
            )
            if extract is None:
                continue  # deleted by another run since the list was made
            documents.path_for(extract.held_file_sha256).unlink(missing_ok=True)
            extract.held_removed_at = now
            extract.save(update_fields=["held_removed_at"])
            record(
                None,
                action="delete",
                record_type=RECORD_TYPE,
                record_id=extract.public_id,
                categories=_categories(extract),
                rule=f"project:{extract.project}",
                reason="Its time on the server ended",
                details={
                    "what": "extract files deleted from the server",
                    "held_until": (ends_at(extract) or now).isoformat(timespec="seconds"),
                },
            )
            deleted += 1
    return deleted
