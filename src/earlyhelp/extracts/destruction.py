"""The recipient's destruction of an extract: tracked, reminded, and confirmed (issue 18).

An extract that left for a project carries the date by which its recipient must have
destroyed its copy (`Extract.destruction_due`, from the project's `recipient_retention` in
the policy). Once that date has passed without a confirmation, the information governance
officer is reminded (their home page, the extracts' destruction page, and `earlyhelp
retention plan`) to obtain the recipient's confirmation and record it here.

- `record_recipient_destruction`: the confirmation and its audit event, one transaction;
  refused with "field: words" (ConfirmationRefused) for anything implausible, and for a
  second confirmation of the same extract.
- `extracts_awaiting_confirmation`: extracts past their date with nothing recorded.
- `overdue_reminder`: those extracts and the words that remind the officer of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.roles import Role
from earlyhelp.audit.log import record
from earlyhelp.audit.models import Action
from earlyhelp.extracts.models import Extract
from earlyhelp.lib.plausible import (
    control_character_error,
    format_day,
    name_error,
    text_length_error,
)

RECORD_TYPE = "extract"
# Who records a recipient's confirmation: the officer who answers for the data that left.
CONFIRMS = (Role.INFORMATION_GOVERNANCE,)
NOTE_LIMIT = Extract._meta.get_field("destruction_confirmation").max_length
# A reference or an account of how it was confirmed is a few words at least ("ref 12" is not).
NOTE_AT_LEAST = 8

DATE_FIELD = "confirmed_on"
NOTE_FIELD = "note"
DATE_WORDS = "The date the recipient destroyed it"
# The heading of the page where confirmations are recorded (extracts/destruction.html).
DESTRUCTION_PAGE = "“Extracts the recipients must have destroyed”"
NOTE_WORDS = "The recipient's confirmation"


class ConfirmationRefused(ValueError):
    """The confirmation cannot be recorded; the message is "field: words"."""


def confirmation_refusal(extract: Extract, confirmed_on: date | None, note: str, today: date):
    """Why this confirmation cannot be recorded ("field: words"), or None. Pure checks on
    the values; whether the extract is already confirmed is checked under the lock."""
    if extract.destruction_confirmed:
        return f"extract: {already_confirmed(extract)}"
    if confirmed_on is None:
        return f"{DATE_FIELD}: enter the date the recipient destroyed the extract"
    if confirmed_on > today:
        return f"{DATE_FIELD}: {DATE_WORDS.lower()} must be today or in the past"
    if confirmed_on < extract.extract_date:
        return (
            f"{DATE_FIELD}: {DATE_WORDS.lower()} must be the same as or after the date of the "
            f"extract ({format_day(extract.extract_date)})"
        )
    text = note.strip()
    if not text:
        return (
            f"{NOTE_FIELD}: enter the recipient's confirmation: their reference, or who "
            "confirmed it and how"
        )
    problem = (
        control_character_error(text, field=NOTE_WORDS)
        or text_length_error(text, field=NOTE_WORDS, limit=NOTE_LIMIT)
        or name_error(text, field=NOTE_WORDS)
    )
    if problem:
        return f"{NOTE_FIELD}: {problem[:1].lower()}{problem[1:]}"
    if len(text) < NOTE_AT_LEAST:
        return (
            f"{NOTE_FIELD}: {NOTE_WORDS.lower()} must say who confirmed it and how, or give "
            f"their reference, in at least {NOTE_AT_LEAST} characters"
        )
    return None


def already_confirmed(extract: Extract) -> str:
    return (
        f"the recipient's destruction of this extract was already recorded on "
        f"{format_day(extract.destruction_confirmed_at.date())}; it is recorded once"
        if extract.destruction_confirmed_at
        else "the recipient's destruction of this extract was already recorded; it is recorded once"
    )


def record_recipient_destruction(
    request: HttpRequest, extract: Extract, confirmed_on: date | None, note: str
) -> Extract:
    """Record that the extract's recipient confirmed destroying its copy, with its audit
    event, together or not at all. PermissionDenied unless the information governance
    officer asks; ConfirmationRefused("field: words") for an implausible date or note, or
    when a confirmation is already recorded."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.has_role(*CONFIRMS):
        raise PermissionDenied("Only the information governance officer records this")
    today = timezone.localdate()
    with transaction.atomic():
        locked = Extract.objects.select_for_update().get(pk=extract.pk)
        problem = confirmation_refusal(locked, confirmed_on, note, today)
        if problem:
            raise ConfirmationRefused(problem)
        locked.destruction_confirmed_on = confirmed_on
        locked.destruction_confirmation = note.strip()
        locked.destruction_confirmed_by = user
        locked.destruction_confirmed_at = timezone.now()
        locked.save(
            update_fields=[
                "destruction_confirmed_on",
                "destruction_confirmation",
                "destruction_confirmed_by",
                "destruction_confirmed_at",
            ]
        )
        record(
            request,
            action=Action.CHANGE,
            record_type=RECORD_TYPE,
            record_id=locked.public_id,
            rule=f"project:{locked.project}",
            reason="The recipient confirmed it destroyed its copy of the extract",
            details={
                "project": locked.project,
                "confirmed_on": confirmed_on.isoformat(),
                "destruction_due": (
                    locked.destruction_due.isoformat() if locked.destruction_due else None
                ),
                "confirmation": locked.destruction_confirmation,
            },
        )
    return locked


def extracts_awaiting_confirmation(today: date) -> QuerySet[Extract]:
    """Extracts whose recipient's destruction date has passed (it was before `today`) with
    no confirmation recorded, the longest overdue first."""
    return Extract.objects.filter(
        destruction_due__lt=today, destruction_confirmed_on__isnull=True
    ).order_by("destruction_due", "made_at")


def extracts_confirmed() -> QuerySet[Extract]:
    """Extracts whose recipient's destruction is recorded, the latest recorded first."""
    return Extract.objects.filter(destruction_confirmed_on__isnull=False).order_by(
        "-destruction_confirmed_at"
    )


@dataclass(frozen=True)
class Reminder:
    """The extracts overdue on a day, and the words that remind the officer of them ("" when
    none is overdue)."""

    extracts: list[Extract]
    words: str

    def __bool__(self) -> bool:
        return bool(self.extracts)


def overdue_reminder(today: date) -> Reminder:
    """For `earlyhelp retention plan` and the officer's pages: the extracts past their
    recipient's destruction date without a confirmation, and a sentence saying what to do."""
    overdue = list(extracts_awaiting_confirmation(today))
    if not overdue:
        return Reminder([], "")
    count = len(overdue)
    earliest = format_day(overdue[0].destruction_due)
    passed = (
        f"1 extract has passed the date by which its recipient had to destroy it ({earliest})"
        if count == 1
        else f"{count} extracts have passed the dates by which their recipients had to destroy "
        f"them (the earliest {earliest})"
    )
    whose = "the recipient's" if count == 1 else "each recipient's"
    # No setting gives the site's address (a full URL), so the page is named as its heading
    # reads, with its path.
    words = (
        f"{passed} with no confirmation recorded. Obtain {whose} confirmation that it "
        f"destroyed its copy, and record it on the page {DESTRUCTION_PAGE} "
        f"({reverse('extracts:destruction')})."
    )
    return Reminder(overdue, words)
