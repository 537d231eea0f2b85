"""`earlyhelp datamap [--format text|csv]`: where each person's data lives in the system."""

from django.core.management.base import BaseCommand, CommandParser

from earlyhelp.datamap.mapping import map_csv, map_text


class Command(BaseCommand):
    help = (
        "Print the data map: every model holding data about a person, its fields and their "
        "policy categories, how its rows are reached from the person, and what erasure does."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["text", "csv"], default="text")

    def handle(self, *args, format: str, **options) -> None:
        self.stdout.write(map_csv() if format == "csv" else map_text(), ending="")
