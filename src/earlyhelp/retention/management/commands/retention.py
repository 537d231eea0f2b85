"""`earlyhelp retention plan` lists what falls due into a review; `earlyhelp retention
dispose` destroys what a reviewer approved. Both are safe from cron, to kill and to rerun
(issue 18 items 3 and 4).

Bad input is refused with a message naming the option and the rule ("--through: ...",
"--batch-size: ..."), never a traceback. Output is in words: the rules as a reviewer reads
them, never their ids; the review's public id is the one machine reference printed.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from earlyhelp.extracts.destruction import overdue_reminder
from earlyhelp.lib.plausible import PLANNED_YEARS_AHEAD, format_day
from earlyhelp.lib.words import number_words
from earlyhelp.policy.active import active_policy
from earlyhelp.retention.disposal import BATCH, MAX_BATCH, dispose
from earlyhelp.retention.planning import plan
from earlyhelp.retention.words import rule_words

# YYYY-MM-DD only: date.fromisoformat also takes 20261201 and 2026-W49-3, which nobody
# means on a command line.
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
WHOLE_NUMBER = re.compile(r"[0-9]+")
THROUGH_FORMAT = "--through: give a date as YYYY-MM-DD"
BATCH_SIZE_RULE = f"--batch-size: give a whole number from 1 to {MAX_BATCH:,}"


def counted(count: int, one: str, many: str) -> str:
    """`count` with the noun it needs: "1 batch", "2,000 batches"."""
    return f"{count:,} {one if count == 1 else many}"


def _people(count: int) -> str:
    return counted(count, "person", "people")


def _years_ahead(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February, in a year without one
        return today.replace(year=today.year + years, day=28)


def through_day(value: str | None, today: date) -> date | None:
    """The last day of the plan's period from `--through`, or None (not given: the policy's
    plan_ahead). Refused with "--through: ..." unless it is a YYYY-MM-DD date from today
    to PLANNED_YEARS_AHEAD years ahead: a past day would only list less (what fell due
    before today is listed anyway), and a later one is no plausible planned date (a
    mistyped year). Planning further than plan_ahead is allowed: bench/retention.py plans
    five years ahead for a first run's backlog."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        raise CommandError(THROUGH_FORMAT)
    if not ISO_DAY.fullmatch(text):
        raise CommandError(f"{THROUGH_FORMAT}; {text[:40]!r} is not one")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{THROUGH_FORMAT}; {text!r} is not a day of the calendar") from None
    if day < today:
        raise CommandError(
            f"--through: today ({today.isoformat()}) or later; what fell due before today "
            "is listed anyway"
        )
    latest = _years_ahead(today, PLANNED_YEARS_AHEAD)
    if day > latest:
        raise CommandError(
            f"--through: at most {latest.isoformat()} ({number_words(PLANNED_YEARS_AHEAD)} "
            "years ahead, the furthest any planned date may be)"
        )
    return day


def batch_size(value: str) -> int:
    """`--batch-size` as a number of people, 1 to MAX_BATCH; refused with BATCH_SIZE_RULE."""
    text = str(value).strip()
    # Digits only; a number longer than MAX_BATCH's is refused before int() reads it.
    if not WHOLE_NUMBER.fullmatch(text) or len(text.lstrip("0")) > len(str(MAX_BATCH)):
        raise CommandError(BATCH_SIZE_RULE)
    size = int(text)
    if not 1 <= size <= MAX_BATCH:
        raise CommandError(BATCH_SIZE_RULE)
    return size


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
            help=(
                "the last day of the period (YYYY-MM-DD), from today to "
                f"{PLANNED_YEARS_AHEAD} years ahead; by default the policy's plan_ahead"
            ),
        )
        disposing = actions.add_parser("dispose", help="destroy what a reviewer approved")
        disposing.add_argument(
            "--batch-size",
            default=str(BATCH),
            help=(f"people destroyed in one transaction, 1 to {MAX_BATCH:,} (default {BATCH:,})"),
        )

    def handle(self, *args, action: str, **options) -> None:
        if action == "plan":
            self._plan(options.get("through"))
        else:
            self._dispose(batch_size(options["batch_size"]))

    def _plan(self, through: str | None) -> None:
        today = timezone.localdate()
        try:
            result = plan(today=today, through=through_day(through, today))
        except ValueError as error:
            raise CommandError(str(error).replace("through:", "--through:", 1)) from None
        policy = active_policy()
        self.stdout.write(f"Falling due by {format_day(result.due_by)}:")
        if not result.planned:
            self.stdout.write("  nothing new to review.")
        for rule_id, count in sorted(result.planned.items()):
            self.stdout.write(f"  {_people(count)}: {rule_words(policy, rule_id)}")
        if result.already_planned:
            self.stdout.write(
                f"  {_people(result.already_planned)} already in a review (waiting for "
                "sign-off, approved for destruction, or deferred by a reviewer)."
            )
        for why, count in sorted(result.kept.items()):
            self.stdout.write(f"  Kept: {_people(count)} ({why}).")
        if result.review is not None:
            self.stdout.write(f"Review {result.review.public_id} is waiting for sign-off.")
        # Issue 18 item 6: extracts whose recipient should have destroyed its copy.
        reminder = overdue_reminder(today)
        if reminder:
            self.stdout.write(reminder.words)

    def _dispose(self, size: int) -> None:
        outcome = dispose(size)
        files = counted(outcome.files_removed, "document file", "document files")
        if outcome.batches:
            self.stdout.write(
                f"Destroyed the records of {_people(outcome.people)} in "
                f"{counted(outcome.batches, 'batch', 'batches')}; {files} removed."
            )
        else:
            self.stdout.write("Nothing approved was waiting to be destroyed.")
            if outcome.files_removed:  # left by a run killed after its batch committed
                self.stdout.write(f"{files} of an earlier run removed.")
        for why, count in sorted(outcome.kept.items()):
            self.stdout.write(f"  {why}: {_people(count)} since approval.")
        for review in outcome.reviews_finished:
            self.stdout.write(f"Review {review.public_id} is finished: its certificate is ready.")
