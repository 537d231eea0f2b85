from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.audit.log import verify_chain


class Command(BaseCommand):
    help = (
        "The audit trail. `verify` recomputes every event's hash and its link to the event "
        "before, in id order and in batches, and compares the end with the chain head. It "
        "exits 0 with the number of events checked, or 1 naming the first row that is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])
        parser.add_argument(
            "--batch-size", type=int, default=10_000, help="rows read at a time (default 10000)"
        )

    def handle(self, *args, action: str, batch_size: int, **options) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more")
        result = verify_chain(batch_size=batch_size)
        if not result.ok:
            raise CommandError(
                f"{result.problem} ({result.events:,} events before it are intact; "
                f"{result.seconds:.1f} s)",
                returncode=1,
            )
        self.stdout.write(
            f"Audit trail intact: {result.events:,} events verified in {result.seconds:.1f} s"
        )
