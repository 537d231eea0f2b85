"""`earlyhelp media erase-due`: erase the nursery photos and videos whose retention period
(the policy's rule for nursery media) has ended, with their files and previews. Safe to
run from cron and to stop and rerun: each item is erased in its own transaction, and one
already gone is skipped."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from earlyhelp.consent.media import erase_due, retention_rule_id


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today: '{value}' is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = "Nursery photos and videos: `erase-due` erases those past their retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        erase = actions.add_parser("erase-due", help="erase items past their retention period")
        erase.add_argument("--today", help="the day to count from (YYYY-MM-DD; default today)")

    def handle(self, *args, action: str, today: str | None = None, **options) -> None:
        on = _day(today) if today else timezone.localdate()
        if on > timezone.localdate():
            raise CommandError("--today: the day to count from cannot be in the future")
        if not retention_rule_id():
            raise CommandError("policy: the policy has no retention rule for nursery media")
        erased = erase_due(on)
        self.stdout.write(
            f"Erased {erased} photo(s) and video(s) past their retention period."
            if erased
            else "No photo or video is past its retention period."
        )
