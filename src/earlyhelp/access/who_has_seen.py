"""Who has seen a person's record: the filters the IG officer narrows it by, and its export.

The list is the person's own events in the audit trail (audit.queries.events_for_record).
A search that listed the person left a look against them, named by the page that searched
(people.views._audit_matches, rights.scope_views._audit_listed); the search terms were
never recorded, so none can be shown.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import dateformat, timezone

from earlyhelp.access.models import User
from earlyhelp.audit.log import record
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.lib.spreadsheet import neutralise_cell
from earlyhelp.people.models import Person

# The pages whose looks are a search's results: the search page, the duplicate check when
# adding a person, the merge page's, a session's walk-in search, and a rights request's.
SEARCH_PAGES = (
    "search",
    "duplicate-check",
    # The merge page's likely duplicates, and its search for the other record.
    "merge-candidates",
    "merge-search",
    "session-walk-in",
    "rights-find-records",
    "rights-duplicates",
)
# The action filter's value for a look that was a search's result.
LISTED = "listed"
LISTED_WORDS = "Listed in search results"
# The export's columns: the page's, in its order.
COLUMNS = ("When", "Who", "What", "Where", "Information", "Why")
WHEN_FORMAT = "j M Y H:i"
# What an export of the list is, on the events it leaves.
EXPORTED = "who has seen exported"
EXPORT_PAGE = "who-has-seen-export"


@dataclass(frozen=True)
class Filters:
    """What the list is narrowed to; each None or "" for any."""

    actor_id: int | None = None
    role: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None


def listed_in_search(event: AuditEvent) -> bool:
    """The look was a search's result: the person was listed, not opened."""
    page = (event.details or {}).get("page") if isinstance(event.details, dict) else None
    return event.action == Action.VIEW and page in SEARCH_PAGES


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered(events: QuerySet[AuditEvent], filters: Filters) -> QuerySet[AuditEvent]:
    """`events` narrowed to `filters`: by whom (the actor), their role (as the account has it
    now: the trail does not record roles), what (an action, or LISTED), and the days from
    `since` to `until` inclusive, in the service's time zone."""
    if filters.actor_id is not None:
        events = events.filter(actor_id=filters.actor_id)
    if filters.role:
        events = events.filter(actor__in=User.objects.filter(groups__name=filters.role))
    searched = Q(action=Action.VIEW, details__page__in=SEARCH_PAGES)
    if filters.action == LISTED:
        events = events.filter(searched)
    elif filters.action == Action.VIEW:
        # A look that is a search's result is its own kind: "Looked at" leaves it out. A
        # look with no page recorded has no "page" key, which the exclusion must keep.
        events = events.filter(action=Action.VIEW).exclude(
            details__has_key="page", details__page__in=SEARCH_PAGES
        )
    elif filters.action:
        events = events.filter(action=filters.action)
    if filters.since is not None:
        events = events.filter(at__gte=_start_of(filters.since))
    # The last day there is (31 December 9999) has no day after it: no upper bound then.
    if filters.until is not None and filters.until < date.max:
        events = events.filter(at__lt=_start_of(filters.until + timedelta(days=1)))
    return events


def actors_of(record_type: str, record_id: object) -> list[User]:
    """The members of staff with an event against the record, by name."""
    ids = AuditEvent.objects.filter(record_type=record_type, record_id=str(record_id)).values(
        "actor_id"
    )
    return list(User.objects.filter(pk__in=ids).order_by("first_name", "last_name", "pk"))


def when_words(at: datetime) -> str:
    """When an event happened, as the page shows it ("2 Dec 2026 14:05", local time)."""
    return dateformat.format(timezone.localtime(at), WHEN_FORMAT)


def csv_text(rows: Iterable[Sequence[str]]) -> str:
    """The export's CSV: the page's column headings, then one line a row, every cell made
    safe to open in a spreadsheet (lib.spreadsheet)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([neutralise_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


def export_filename(on: date) -> str:
    """The export's file name: what it is and the day, never whose record it is."""
    return f"who-has-seen-{on.isoformat()}.csv"


@transaction.atomic
def record_export(
    request: HttpRequest, person: Person, categories: Iterable[str], rows: int
) -> AuditEvent:
    """The export of the list of who has seen `person`'s record, as an "export" event
    against them, with the categories the file shows of them and how many rows it has."""
    return record(
        request,
        action=Action.EXPORT,
        record_type="person",
        record_id=person.public_id,
        categories=categories,
        rule="access:governance",
        details={"page": EXPORT_PAGE, "what": EXPORTED, "rows": rows},
    )
