"""`earlyhelp packages expire`: delete the protected files whose download link has expired
(subject access bundles and disclosures alike). Safe to run from cron and to stop and
rerun: each package's file is deleted once and the package marked; the records it was made
from (a bundle kept as the request's file, a disclosure) are never touched."""

from django.core.management.base import BaseCommand, CommandParser

from earlyhelp.packages.services import remove_expired


class Command(BaseCommand):
    help = "Protected packages: `expire` deletes the files of download links that expired."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("expire", help="delete the protected files of expired links")

    def handle(self, *args, action: str, **options) -> None:
        removed = remove_expired()
        self.stdout.write(
            f"Removed {removed} expired download(s)." if removed else "No link has expired."
        )
