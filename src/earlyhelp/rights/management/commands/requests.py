"""`earlyhelp requests remind`: email the information governance officers the rights
requests and complaints due within five working days and overdue. Safe to run from cron:
each request is reminded of at most once a day, however often it runs."""

from datetime import date

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from earlyhelp.rights.services import send_reminders


class Command(BaseCommand):
    help = "Rights requests: `remind` emails what is due soon and overdue (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        remind = actions.add_parser(
            "remind", help="email IG officers the requests due within five working days"
        )
        remind.add_argument(
            "--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)"
        )

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"handle_{action}")(**options)

    def handle_remind(self, today: date | None, **options) -> None:
        today = today or timezone.localdate()
        count = send_reminders(today)
        if count:
            self.stdout.write(f"Reminded of {count} request(s) and complaint(s).")
        else:
            self.stdout.write("Nothing new to remind of today.")
