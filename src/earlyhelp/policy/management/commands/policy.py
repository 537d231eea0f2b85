"""`earlyhelp policy check|render|ropa|diff`: the policy file, checked and published."""

import sys
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.loader import render_to_string

from earlyhelp.datamap.mapping import policy_warnings
from earlyhelp.policy.loader import PolicyError, check_warnings, load_policy
from earlyhelp.policy.render import (
    diff_notices,
    notice_html_context,
    notice_markdown,
    ropa_csv,
)
from earlyhelp.policy.schema import Policy
from earlyhelp.web.words import ropa_table_in_words

# `policy check` exits with this when the file has errors, as linters do.
INVALID = 2


class Command(BaseCommand):
    help = "Check a policy file, or render the notice or the Article 30 record from one."
    # `check` must be able to report on a broken file, so Django's checks
    # (which load the configured policy) must not stop it first.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        check = actions.add_parser("check", help="validate FILE: exit 0, or 2 with the errors")
        check.add_argument("file", type=Path)
        check.add_argument(
            "--today", type=date.fromisoformat, default=date.today(), help="YYYY-MM-DD"
        )
        render = actions.add_parser("render", help="the privacy notice")
        render.add_argument("--format", choices=["md", "html"], default="md")
        render.add_argument("--policy", type=Path, help="default: EARLYHELP_POLICY")
        ropa = actions.add_parser("ropa", help="the Article 30 record of processing")
        ropa.add_argument("--format", choices=["csv", "html"], default="csv")
        ropa.add_argument("--policy", type=Path, help="default: EARLYHELP_POLICY")
        diff = actions.add_parser("diff", help="what a family would see changed from OLD to NEW")
        diff.add_argument("old", type=Path)
        diff.add_argument("new", type=Path)

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"handle_{action}")(**options)

    def load(self, path: Path | None) -> Policy:
        path = path or Path(settings.POLICY_PATH)
        try:
            return load_policy(path)
        except PolicyError as error:
            raise CommandError(str(error)) from None

    def handle_check(self, file: Path, today: date, **options) -> None:
        try:
            policy = load_policy(file)
        except PolicyError as error:
            self.stderr.write(str(error))
            sys.exit(INVALID)
        # The data map's warnings too: what the file declares against what the system holds.
        warnings = [*check_warnings(policy, today), *policy_warnings(policy)]
        for warning in warnings:
            self.stdout.write(f"warning: {file}: {warning}")
        self.stdout.write(
            f"{file}: valid (version {policy.version}), "
            f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}"
        )

    def handle_render(self, format: str, policy: Path | None, **options) -> None:
        loaded = self.load(policy)
        if format == "md":
            self.stdout.write(notice_markdown(loaded), ending="")
            return
        context = {**notice_html_context(loaded), "document_title": loaded.title}
        self.stdout.write(render_to_string("policy/notice_document.html", context))

    def handle_ropa(self, format: str, policy: Path | None, **options) -> None:
        loaded = self.load(policy)
        if format == "csv":
            self.stdout.write(ropa_csv(loaded), ending="")
            return
        context = {
            "policy": loaded,
            "rows": ropa_table_in_words(loaded),
            "document_title": f"Record of processing activities: {loaded.title}",
        }
        self.stdout.write(render_to_string("policy/ropa_document.html", context))

    def handle_diff(self, old: Path, new: Path, **options) -> None:
        changes = diff_notices(self.load(old), self.load(new))
        for line in changes or ["The notice a family reads has not changed."]:
            self.stdout.write(line)
