"""`earlyhelp extract PROJECT --out DIR`: a project's pseudonymised extract from the records."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.extracts.database import extract_from_records
from earlyhelp.extracts.errors import EXPECTED


class Command(BaseCommand):
    help = (
        "Write the project's cohort, pseudonymised by the policy's rules, as CSV and Parquet "
        "with a manifest into DIR, and record the extract. Refused when the policy does not "
        "allow the project on the extract date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project", help="a project id from the policy, e.g. liia")
        parser.add_argument("--out", type=Path, required=True, help="folder for the files")
        parser.add_argument(
            "--on", type=date.fromisoformat, default=None, help="extract date (YYYY-MM-DD)"
        )

    def handle(self, *args, project: str, out: Path, on: date | None, **options) -> None:
        try:
            extract = extract_from_records(project, out, on)
        except EXPECTED as error:
            raise CommandError(str(error)) from None
        manifest = extract.manifest
        self.stdout.write(
            f"{manifest['project_name']}: {extract.rows:,} people, extract of "
            f"{extract.extract_date:%d %B %Y}, {extract.left_out_by_objection:,} left out "
            "because they objected"
        )
        for written in manifest["files"]:
            self.stdout.write(f"  {out / written['name']}  sha256 {written['sha256']}")
        if extract.destruction_due:
            self.stdout.write(
                f"The recipient must destroy it by {extract.destruction_due:%d %B %Y}."
            )
