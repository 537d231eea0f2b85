"""`earlyhelp bundles expire`: delete the requester's protected copies whose download link
has expired. Safe to run from cron and to stop and rerun: each delivery's file is deleted
once and the delivery marked, and the bundle kept as the request's file is never touched."""

from django.core.management.base import BaseCommand, CommandParser

from earlyhelp.bundles.services import remove_expired


class Command(BaseCommand):
    help = "Subject access bundles: `expire` deletes the files of download links that expired."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("expire", help="delete the protected copies of expired links")

    def handle(self, *args, action: str, **options) -> None:
        removed = remove_expired()
        self.stdout.write(
            f"Removed {removed} expired download(s)." if removed else "No link has expired."
        )
