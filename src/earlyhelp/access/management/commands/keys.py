from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from earlyhelp.encryption import ensure_key, reencrypt, rotate
from earlyhelp.keys import SECRET_KEY_FILE, new_secret, write_key_file


class Command(BaseCommand):
    help = (
        "Keys in EARLYHELP_KEYS_DIR. `init` makes any key that is missing; `rotate` makes a "
        "new field-encryption key and re-encrypts every encrypted value with it, in batches "
        "(`rotate --resume` finishes an interrupted rotation without making another key)."
    )
    # `init` must run before there is a secret key, which the checks would refuse.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["init", "rotate"])
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--resume", action="store_true")

    def handle(self, *args, action: str, batch_size: int, resume: bool, **options) -> None:
        keys_dir = settings.KEYS_DIR
        if action == "init":
            made = write_key_file(keys_dir, SECRET_KEY_FILE, new_secret())
            self.stdout.write(f"{SECRET_KEY_FILE}: {'made' if made else 'already there'}")
            key_id, made = ensure_key(keys_dir)
            self.stdout.write(f"field key {key_id}: {'made' if made else 'already there'}")
            return
        if resume:
            key_id, counts = ensure_key(keys_dir)[0], reencrypt(batch_size)
        else:
            key_id, counts = rotate(keys_dir, batch_size)
        self.stdout.write(f"Values are now encrypted under key {key_id}:")
        for label, count in counts.items():
            self.stdout.write(f"  {label:<40} {count:>10,} re-encrypted")
