"""`earlyhelp pseudonymise --project P --map MAP IN OUT`: a return pseudonymised by the rules.

Any failure (the policy refuses, a bad mapping, a file that cannot be read, values that
break a rule) is one message naming the file, the rule and, for values, the column and data
rows, with exit status 2 and nothing written: never a traceback.
"""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.extracts.errors import EXPECTED
from earlyhelp.extracts.files import pseudonymise_file

EXIT_BAD_INPUT = 2  # as argparse exits for bad arguments


class Command(BaseCommand):
    help = (
        "Apply a project's pseudonymisation rules to a CSV or Parquet file from another "
        "system, with a TOML file mapping its columns to the project's fields. Columns not "
        "mapped are dropped. Nothing is written if a value that leaves cannot be read "
        "(text in the mapping's encoding, a plausible date, a UK postcode)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--project", required=True, help="a project id from the policy")
        parser.add_argument("--map", type=Path, required=True, dest="mapping")
        parser.add_argument(
            "--on", type=date.fromisoformat, default=None, help="extract date (YYYY-MM-DD)"
        )
        parser.add_argument("input", type=Path, metavar="IN")
        parser.add_argument("output", type=Path, metavar="OUT")

    def handle(self, *args, project, mapping, on, input, output, **options) -> None:
        try:
            extract = pseudonymise_file(project, mapping, input, output, on)
        except EXPECTED as error:
            raise CommandError(str(error), returncode=EXIT_BAD_INPUT) from None
        columns = extract.manifest["columns"]
        leaving = [f"{c['name']} ({c['rule']})" for c in columns if c["leaves"]]
        dropped = [c["name"] for c in columns if not c["leaves"]]
        self.stdout.write(f"{output}: {extract.rows:,} rows; columns {', '.join(leaving)}")
        if dropped:
            self.stdout.write(f"Dropped: {', '.join(dropped)}")
