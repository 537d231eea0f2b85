"""`earlyhelp retention plan` lists what falls due into a review; `earlyhelp retention
dispose` destroys what a reviewer approved. Both are safe from cron, to kill and to rerun
(issue 18 items 3 and 4)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from earlyhelp.extracts.destruction import overdue_reminder
from earlyhelp.lib.plausible import format_day
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.render.common import retention_sentence
from earlyhelp.retention.disposal import BATCH, dispose
from earlyhelp.retention.planning import plan


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: give it as YYYY-MM-DD") from None


def _people(count: int) -> str:
    return f"{count:,} {'person' if count == 1 else 'people'}"


class Command(BaseCommand):
    help = (
        "Retention: `plan` puts the people whose records fall due into a review for sign-off; "
        "`dispose` destroys what a reviewer approved."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        planning = actions.add_parser("plan", help="list what falls due into a review")
        planning.add_argument(
            "--through",
            help="the last day of the period (YYYY-MM-DD); by default the policy's plan_ahead",
        )
        disposing = actions.add_parser("dispose", help="destroy what a reviewer approved")
        disposing.add_argument(
            "--batch-size",
            type=int,
            default=BATCH,
            help=f"people destroyed in one transaction (default {BATCH})",
        )

    def handle(self, *args, action: str, **options) -> None:
        if action == "plan":
            self._plan(options.get("through"))
        else:
            self._dispose(options["batch_size"])

    def _plan(self, through: str | None) -> None:
        try:
            result = plan(through=_day(through) if through else None)
        except ValueError as error:
            raise CommandError(str(error).replace("through:", "--through:", 1)) from None
        policy = active_policy()
        self.stdout.write(f"Falling due by {format_day(result.due_by)}:")
        if not result.planned:
            self.stdout.write("  nothing new to review.")
        for rule_id, count in sorted(result.planned.items()):
            rule = policy.retention_rule(rule_id)
            words = retention_sentence(policy, rule) if rule else rule_id
            self.stdout.write(f"  {_people(count)} under rule {rule_id} ({words})")
        if result.already_planned:
            self.stdout.write(f"  {_people(result.already_planned)} already waiting for review.")
        for why, count in sorted(result.kept.items()):
            self.stdout.write(f"  Kept: {_people(count)} ({why}).")
        if result.review is not None:
            self.stdout.write(f"Review {result.review.public_id} is waiting for sign-off.")
        # Issue 18 item 6: extracts whose recipient should have destroyed its copy.
        reminder = overdue_reminder(timezone.localdate())
        if reminder:
            self.stdout.write(reminder.words)

    def _dispose(self, batch_size: int) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size: at least 1")
        outcome = dispose(batch_size)
        self.stdout.write(
            f"Destroyed the records of {_people(outcome.people)} in {outcome.batches} "
            f"batch(es); {outcome.files_removed:,} document file(s) removed."
        )
        for why, count in sorted(outcome.kept.items()):
            self.stdout.write(f"  {why}: {_people(count)} since approval.")
        for review in outcome.reviews_finished:
            self.stdout.write(f"Review {review.public_id} is finished: its certificate is ready.")
