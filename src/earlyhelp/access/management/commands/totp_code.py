from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.access.demo import current_code


class Command(BaseCommand):
    help = "Print the current sign-in code of a demo account (demo accounts only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        device = TOTPDevice.objects.filter(
            user__username=username, user__is_demo=True, confirmed=True
        ).first()
        if device is None:
            raise CommandError(f"username: {username!r} is not a demo account with a TOTP device")
        self.stdout.write(current_code(device))
