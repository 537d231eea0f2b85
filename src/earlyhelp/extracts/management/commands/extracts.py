"""`earlyhelp extracts delete-expired`: delete the files of extracts run from the screen whose
time on the server (the project's held_on_server_for in the policy) has ended. Safe to run
from cron and to stop and rerun: each extract's file is deleted in its own transaction and
the extract marked, audited; one already marked is never looked at again. The extract's
record (its manifest) stays."""

from django.core.management.base import BaseCommand, CommandParser

from earlyhelp.extracts.held import delete_expired


class Command(BaseCommand):
    help = (
        "Extracts run from the screen: `delete-expired` deletes the held files whose time on "
        "the server has ended."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("delete-expired", help="delete held files whose time has ended")

    def handle(self, *args, action: str, **options) -> None:
        deleted = delete_expired()
        self.stdout.write(
            f"Deleted the files of {deleted} extract(s) whose time on the server ended."
            if deleted
            else "No extract's time on the server has ended."
        )
