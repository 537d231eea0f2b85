import base64

from django.core.management.base import BaseCommand

from earlyhelp.access.demo import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    ensure_demo_account,
    family_to_try,
    join_demo_nursery,
    join_demo_team,
)
from earlyhelp.rights.demo import DEMO_OFFICER, ensure_demo_requests


class Command(BaseCommand):
    help = "Create one demo account per role (idempotent) and print how to sign in."

    def handle(self, *args, **options) -> None:
        self.stdout.write("Demo sign-ins (password, then a code from `earlyhelp totp_code USER`")
        self.stdout.write("or from an authenticator app given the secret):")
        for account in DEMO_ACCOUNTS:
            _, device = ensure_demo_account(account)
            secret = base64.b32encode(device.bin_key).decode()
            self.stdout.write(
                f"  {account.role.label:<32} username {account.username:<13} "
                f"password {DEMO_PASSWORD}  TOTP secret {secret}"
            )
        team = join_demo_team()
        if team:
            self.stdout.write(f"The practitioner and the team manager work in {team}.")
        nursery = join_demo_nursery()
        if nursery and nursery != team:
            self.stdout.write(
                f"They work in {nursery} too: nursery photo and video consent, and the "
                "share queue of photos and videos, are on their home page."
            )
        child = family_to_try()
        if child:
            self.stdout.write(
                f"Sign in as the practitioner and search for {child}: a child on their "
                "caseload, with what we know about them, their family and chronology."
            )
        requests = ensure_demo_requests()
        if requests:
            # The reference only: a console line, like a log, names no one.
            self.stdout.write(
                f"Sign in as {DEMO_OFFICER} and open rights request {requests.ready.reference}: "
                "a parent's subject access request ready for its bundle."
            )
