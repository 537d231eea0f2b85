"""Case notes, supervision and management oversight notes, as workers and managers write them.

Any caseworker who may change a case writes a case note on it; a supervision or
management oversight note is a team manager's, of a team holding the case. A note marked
as special category follows the rule of special category facts (access.rules.
may_see_sensitive): it is shown only to the worker allocated to a case of someone on this
case, or a manager of its team; anyone else is told how many notes were left out, never
what they say. The look of a page that shows such a note records the policy's special
category categories; a page that leaves them out does not.

`record_case_note` is one write and its audit event ("create", record_type "case-note",
its public id, the case in the details) in one transaction; a refusal (ValueError, naming
the field and the rule) writes neither.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.http import HttpRequest

from earlyhelp.access.models import User
from earlyhelp.access.rules import manages_team_of, may_see_sensitive
from earlyhelp.audit.log import record
from earlyhelp.cases.models import Case, CaseNote
from earlyhelp.datamap.registry import categories_of
from earlyhelp.lib.plausible import format_day
from earlyhelp.people.models import Person
from earlyhelp.policy.active import active_policy

# A note as long as a contact's: anything a person writes in one sitting.
NOTE_LIMIT = 20000
# The kinds of note only a manager of the case's team writes.
MANAGERS_KINDS = (CaseNote.Kind.SUPERVISION, CaseNote.Kind.OVERSIGHT)


def special_category_ids() -> list[str]:
    """The policy's special category categories: what a special category note may hold."""
    return sorted(c.id for c in active_policy().categories if c.kind == "special_category")


def kinds_for(user: User, case: Case) -> list[tuple[str, str]]:
    """The kinds of note `user` may write on `case`, as (value, words) for a form."""
    if manages_team_of(user, case):
        return list(CaseNote.Kind.choices)
    return [(CaseNote.Kind.CASE_NOTE.value, CaseNote.Kind.CASE_NOTE.label)]


def may_see_special_notes(user: User, case: Case) -> bool:
    """The special category rule, for the people on the case: someone whose special
    category facts `user` may see is on it."""
    people = Person.objects.filter(case_memberships__case=case).distinct()
    return any(may_see_sensitive(user, person) for person in people)


def special_note_cases(user: User, cases: list[Case]) -> set[int]:
    """Of `cases`, the keys of those whose special category notes `user` may read
    (may_see_special_notes); only the cases holding such a note are asked."""
    holding = set(
        CaseNote.objects.filter(case__in=cases, special_category=True).values_list(
            "case_id", flat=True
        )
    )
    return {case.pk for case in cases if case.pk in holding and may_see_special_notes(user, case)}


@dataclass
class NotesShown:
    """The notes of a case a reader sees, and what a look at them records."""

    shown: list[CaseNote] = field(default_factory=list)
    withheld: int = 0  # special category notes left out for this reader
    may_write_oversight: bool = False

    @property
    def categories(self) -> list[str]:
        """The categories the notes shown hold: the special category ones only when shown."""
        found = set(categories_of(CaseNote))
        if any(note.special_category for note in self.shown):
            found.update(special_category_ids())
        return sorted(found)


def notes_for(user: User, case: Case) -> NotesShown:
    """The case's notes, newest first, as `user` may see them."""
    notes = list(case.notes.select_related("author").order_by("-recorded_at", "-pk"))
    special = may_see_special_notes(user, case) if any(n.special_category for n in notes) else True
    shown = [note for note in notes if special or not note.special_category]
    return NotesShown(
        shown=shown,
        withheld=len(notes) - len(shown),
        may_write_oversight=manages_team_of(user, case),
    )


@transaction.atomic
def record_case_note(
    request: HttpRequest, case: Case, *, kind: str, note: str, special_category: bool
) -> CaseNote:
    """Record a note on `case` by the requesting user: one "create" event.

    Raises ValueError, with nothing written, naming the field:
    - "kind:" not a kind of note, or a supervision or oversight note by someone who is not
      a team manager of the case's team;
    - "note:" empty, or longer than NOTE_LIMIT characters;
    - "case:" the case is closed.
    """
    user = request.user
    if kind not in CaseNote.Kind.values:
        raise ValueError(f"kind: {kind!r} is not a kind of note")
    if kind in MANAGERS_KINDS and not manages_team_of(user, case):
        raise ValueError(
            "kind: a supervision or management oversight note is written by a team manager "
            "of the team holding the case"
        )
    if not note.strip():
        raise ValueError("note: enter the note")
    if len(note) > NOTE_LIMIT:
        raise ValueError(f"note: a note is at most {NOTE_LIMIT:,} characters")
    if not case.is_open:
        raise ValueError(
            f"case: closed on {format_day(case.ended)}; notes are written on an open case"
        )
    written = CaseNote.objects.create(
        case=case, kind=kind, note=note, special_category=special_category, author=user
    )
    record(
        request,
        action="create",
        record_type="case-note",
        record_id=str(written.public_id),
        categories=NotesShown(shown=[written]).categories,
        details={"case": str(case.public_id), "kind": kind},
    )
    return written
