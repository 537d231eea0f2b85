import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from earlyhelp.synthetic.generator import generate


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Generate synthetic families (never real people) and their casework: teams of the "
        "policy's services with synthetic staff (who cannot sign in), cases and their "
        "allocations, assessments with needs classed by headline outcome, plans with actions "
        "and reviews, closures signed off with an outcome per need, contacts with notes, "
        "documents (metadata only), and group sessions with who ran them and their register. "
        "The same --seed and --as-of give the "
        "same families in the same order; families of a seed already in the database are "
        "not made again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--families", type=positive, required=True, help="how many families")
        parser.add_argument("--seed", type=int, required=True, help="seed for the random draws")
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=date.today(),
            help="the date ages are counted on, YYYY-MM-DD (default today)",
        )
        parser.add_argument("--batch-size", type=positive, default=1000)

    def handle(self, *args, families: int, seed: int, as_of: date, batch_size: int, **options):
        if seed < 0:
            raise CommandError("--seed must be zero or more")
        started = time.monotonic()
        with tqdm(total=families, unit="family", disable=options["verbosity"] < 1) as bar:
            try:
                counts, added = generate(families, seed, as_of, batch_size, progress=bar.update)
            except ValueError as error:
                raise CommandError(str(error)) from None
        if not added:
            self.stdout.write(
                f"Seed {seed} has {counts['households']:,} families already; nothing added."
            )
        else:
            elapsed = time.monotonic() - started
            self.stdout.write(f"Generated {added:,} families for seed {seed} in {elapsed:.1f}s.")
        self.stdout.write(f"Seed {seed} in this database:")
        for name, count in counts.items():
            self.stdout.write(f"  {name:<40} {count:>10,}")
