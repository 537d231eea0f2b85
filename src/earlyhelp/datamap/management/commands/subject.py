"""`earlyhelp subject export PERSON_ID --out DIR --by USERNAME`: everything held about a
person, as one JSON file, for the information governance officer answering a request."""

import os
import sys
import uuid
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.access.models import User
from earlyhelp.datamap.export import ExportRefused, export_subject
from earlyhelp.people.models import Person


class Command(BaseCommand):
    help = (
        "Write everything held about one person (every row the data map reaches from them, "
        "with its category and source) as JSON into DIR. Only an information governance "
        "officer may; each export and each refusal is audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="write the person's data as JSON")
        export.add_argument(
            "person", help="the person's record id (a UUID, as in the page's address)"
        )
        export.add_argument("--out", required=True, help="folder for the file")
        export.add_argument(
            "--by", required=True, help="username of the information governance officer"
        )

    def handle(self, *args, action: str, person: str, out: str, by: str, **options) -> None:
        if not out.strip():
            raise CommandError("--out: give the folder to write the file into")
        folder = Path(out)
        try:
            public_id = uuid.UUID(person)
        except ValueError:
            raise CommandError(
                f"person: '{person}' is not a record id; give the UUID from the person's page"
            ) from None
        user = User.objects.filter(username=by, is_active=True).first()
        if user is None:
            raise CommandError(f"--by: no active staff account is called '{by}'")
        found = Person.objects.filter(public_id=public_id).first()
        if found is None:
            raise CommandError(f"person: no record has the id {public_id}")
        if folder.exists() and not folder.is_dir():
            raise CommandError(f"--out: {out} is a file, not a folder")
        try:
            exported = export_subject(found, folder, user)
        except (ExportRefused, ValueError) as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            reason = error.strerror or str(error)
            raise CommandError(
                f"--out: cannot write the export into {out} ({reason}); nothing was written"
            ) from None
        except KeyboardInterrupt:
            raise CommandError("stopped: nothing was written and nothing recorded") from None
        try:
            self.stdout.write(
                f"{exported.rows:,} rows from {len(exported.rows_by_model)} kinds of record "
                f"written to {exported.path}"
            )
            for model, count in exported.rows_by_model.items():
                self.stdout.write(f"  {model}: {count:,}")
            sys.stdout.flush()
        except BrokenPipeError:
            # Read by `head` and the like: the export is done; say nothing more (Python's
            # documented way, so the exit does not report the closed pipe either).
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
