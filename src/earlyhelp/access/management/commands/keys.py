from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from earlyhelp.keys import SECRET_KEY_FILE, new_secret, write_key_file


class Command(BaseCommand):
    help = "Manage the keys in EARLYHELP_KEYS_DIR. `init` makes any key that is missing."
    # Must run before there is a secret key, which the checks would refuse.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["init"])

    def handle(self, *args, action: str, **options) -> None:
        made = write_key_file(settings.KEYS_DIR, SECRET_KEY_FILE, new_secret())
        state = "made" if made else "already there"
        self.stdout.write(f"{SECRET_KEY_FILE}: {state} in {settings.KEYS_DIR}")
