from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.audit.keys import ensure_audit_key
from earlyhelp.cases.documents import reencrypt_files
from earlyhelp.encryption import ensure_key, reencrypt, rotate
from earlyhelp.extracts.keys import MissingPseudonymKey, ensure_project_key, rotate_project_key
from earlyhelp.keys import SECRET_KEY_FILE, new_secret, write_key_file
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.loader import PolicyError


class Command(BaseCommand):
    help = (
        "Keys in EARLYHELP_KEYS_DIR. `init` makes any key that is missing; `rotate` makes a "
        "new field-encryption key and re-encrypts every encrypted value and document file "
        "with it, in batches (`rotate --resume` finishes an interrupted rotation without "
        "making another key). "
        "`rotate-pseudonym --project P` retires a project's pseudonym key and makes a new "
        "one: every ID in that project's later extracts changes."
    )
    # `init` must run before there is a secret key, which the checks would refuse.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["init", "rotate", "rotate-pseudonym"])
        parser.add_argument("--project", help="with rotate-pseudonym: a project id")
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--resume", action="store_true")

    def handle(
        self, *args, action: str, batch_size: int, resume: bool, project: str | None, **options
    ) -> None:
        keys_dir = settings.KEYS_DIR
        if action == "init":
            made = write_key_file(keys_dir, SECRET_KEY_FILE, new_secret())
            self.stdout.write(f"{SECRET_KEY_FILE}: {'made' if made else 'already there'}")
            key_id, made = ensure_key(keys_dir)
            self.stdout.write(f"field key {key_id}: {'made' if made else 'already there'}")
            audit_id, made = ensure_audit_key(keys_dir)
            self.stdout.write(f"audit key {audit_id}: {'made' if made else 'already there'}")
            try:
                projects = active_policy().projects
            except PolicyError as error:
                # The other keys must not wait for a policy file that does not load.
                raise CommandError(f"pseudonym keys not made: {error}") from None
            for each in projects:
                made = ensure_project_key(keys_dir, each.id)
                self.stdout.write(
                    f"pseudonym key for {each.id}: {'made' if made else 'already there'}"
                )
            return
        if action == "rotate-pseudonym":
            if not project or active_policy().project(project) is None:
                raise CommandError(f"--project: {project!r} is not a project of the policy")
            try:
                retired = rotate_project_key(keys_dir, project)
            except MissingPseudonymKey as error:
                raise CommandError(str(error)) from None
            self.stdout.write(
                f"New pseudonym key for {project}; the old one is kept as {retired.name} "
                "until no earlier extract needs re-sending."
            )
            return
        if resume:
            key_id, counts = ensure_key(keys_dir)[0], reencrypt(batch_size)
        else:
            key_id, counts = rotate(keys_dir, batch_size)
        self.stdout.write(f"Values are now encrypted under key {key_id}:")
        for label, count in counts.items():
            self.stdout.write(f"  {label:<40} {count:>10,} re-encrypted")
        files = reencrypt_files()
        self.stdout.write(f"  {'document files':<40} {files.reencrypted:>10,} re-encrypted")
        if files.encrypted_from_plain:
            self.stdout.write(
                f"  {'document files kept in clear before':<40} "
                f"{files.encrypted_from_plain:>10,} encrypted"
            )
        if files.unreadable:
            raise CommandError(
                f"{files.unreadable:,} document files could not be re-encrypted (see the log): "
                "keep the old key until they are restored, then run `keys rotate --resume`"
            )
