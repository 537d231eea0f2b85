"""`earlyhelp bundles expire`: delete the requester's protected copies whose download link
has expired. The protected copies are packages (the one protected-export mechanism), so this
is `earlyhelp packages expire`, kept under its old name for the crontabs that call it. Safe
to run from cron and to stop and rerun; the bundle kept as the request's file is never
touched."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Subject access bundles: `expire` deletes the files of download links that expired."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("expire", help="delete the protected copies of expired links")

    def handle(self, *args, action: str, **options) -> None:
        call_command("packages", "expire", stdout=self.stdout)
