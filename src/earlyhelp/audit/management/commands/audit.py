from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.audit.keys import MissingAuditKey, rotate_audit_key
from earlyhelp.audit.verify import anchor_chain, verify_chain


class Command(BaseCommand):
    help = (
        "The audit trail. `verify` recomputes every event's keyed hash and its link to the "
        "event before, in id order and in batches, and compares the end with the chain head "
        "and with the latest anchor; it exits 0 with the number of events checked, or 1 naming "
        "the first row that is wrong (or the anchor line that is forged). `anchor` (from cron) "
        "checks the events since the latest anchor and appends a signed anchor of the new end "
        "to EARLYHELP_AUDIT_ANCHOR_DIR; it writes nothing when nothing changed, and exits 1 "
        "without writing when the trail does not verify. `rotate-key` makes a new audit key; "
        "the old one stays, to verify the events it made."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "anchor", "rotate-key"])
        parser.add_argument(
            "--batch-size", type=int, default=10_000, help="rows read at a time (default 10000)"
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=None,
            help=(
                "with verify: processes that recompute the hashes side by side (default: one "
                "a CPU for a trail of 100,000 events or more, else 1)"
            ),
        )
        parser.add_argument(
            "--require-anchor",
            action="store_true",
            help="with verify: fail, rather than warn, when there is no anchor yet",
        )
        parser.add_argument(
            "--syslog", action="store_true", help="with anchor: also send the anchor to syslog"
        )
        parser.add_argument(
            "--vouch-unkeyed",
            action="store_true",
            help=(
                "with anchor, once after upgrading a database whose events predate the audit "
                "key: anchor them too (they are checked with plain SHA-256 only)"
            ),
        )

    def handle(
        self,
        *args,
        action: str,
        batch_size: int,
        require_anchor: bool,
        processes: int | None,
        syslog: bool,
        vouch_unkeyed: bool,
        **options,
    ) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more")
        if processes is not None and not 1 <= processes <= 64:
            raise CommandError("--processes must be between 1 and 64")
        try:
            if action == "rotate-key":
                old_id, new_id = rotate_audit_key(settings.KEYS_DIR)
                self.stdout.write(
                    f"New audit key {new_id}; {old_id} is kept to verify the events it made. "
                    "Restart the service to write with the new key, and back the keys up."
                )
            elif action == "anchor":
                self.anchor(batch_size, syslog, vouch_unkeyed)
            else:
                self.verify(batch_size, require_anchor, processes)
        except MissingAuditKey as error:
            raise CommandError(str(error), returncode=1) from None

    def verify(self, batch_size: int, require_anchor: bool, processes: int | None) -> None:
        result = verify_chain(
            batch_size=batch_size, require_anchor=require_anchor, shares=processes
        )
        for warning in result.warnings:
            self.stderr.write(f"Warning: {warning}")
        compared = (
            f"Compared with {result.anchor.describe()}."
            if result.anchor is not None
            else "Not compared with any anchor."
        )
        if not result.ok:
            problems = [*([result.problem] if result.problem else []), *result.anchor_problems]
            raise CommandError(
                "\n".join(
                    [
                        *problems,
                        f"({result.events:,} events before it are intact; "
                        f"{result.seconds:.1f} s) {compared}",
                    ]
                ),
                returncode=1,
            )
        self.stdout.write(
            f"Audit trail intact: {result.events:,} events verified in {result.seconds:.1f} s"
        )
        if result.unkeyed:
            self.stdout.write(
                f"{result.unkeyed:,} of them were written before the chain was keyed (plain "
                "SHA-256): the anchor that vouches for them is what protects them."
            )
        self.stdout.write(compared)

    def anchor(self, batch_size: int, syslog: bool, vouch_unkeyed: bool) -> None:
        result = anchor_chain(batch_size=batch_size, to_syslog=syslog, vouch_unkeyed=vouch_unkeyed)
        for warning in result.warnings:
            self.stderr.write(f"Warning: {warning}")
        if result.problem:
            raise CommandError(f"No anchor written: {result.problem}", returncode=1)
        if result.written:
            self.stdout.write(
                f"Anchored event {result.anchor.last_id:,} in {result.anchor.path} "
                f"({result.checked:,} events checked since the last anchor, "
                f"{result.seconds:.1f} s)"
            )
        elif result.anchor is not None:
            self.stdout.write(
                f"Nothing to anchor: no event since {result.anchor.describe()} "
                f"({result.seconds:.1f} s)"
            )
        else:
            self.stdout.write("Nothing to anchor: the audit trail has no events yet")
