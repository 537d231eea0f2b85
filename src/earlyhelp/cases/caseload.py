"""Work lists: the open cases a practitioner or a team manager works from each day.

Each list is a queryset of open cases annotated with what its table shows and sorts by:
`family` (the family name of the case's first child, for sorting), `last_contact` (the
latest contact, or None), `next_plan_review` (the latest plan's review date, or None; from
cases.plans).
The thresholds (days without contact, the review interval) are the policy's
`[casework]` settings, never numbers here. Nothing here ranks or decides about a family
(notice section 9): the lists only sort by dates and names the worker chooses.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Case as Choose
from django.db.models import DateField, Exists, F, OuterRef, QuerySet, Subquery, When
from django.db.models.functions import Coalesce, TruncDate

from earlyhelp.access.models import Restriction, User
from earlyhelp.access.roles import Role
from earlyhelp.cases import plans
from earlyhelp.cases.choices import CaseRole, ClosureDecision
from earlyhelp.cases.corrections import struck_out_pks
from earlyhelp.cases.models import Allocation, Case, CaseMember, ClosureRequest, Contact
from earlyhelp.policy.active import active_policy

PAGE_SIZE = 25


@dataclass(frozen=True)
class WorkList:
    """One list: its name in the URL, its heading, and who has it on their home page."""

    slug: str
    heading: str
    empty: str
    for_manager: bool


WORK_LISTS = {
    w.slug: w
    for w in (
        WorkList("mine", "Your open cases", "No open cases are allocated to you.", False),
        WorkList("team", "Your team's open cases", "Your teams have no open cases.", True),
        WorkList("unallocated", "Cases not allocated", "Every open case is allocated.", True),
        WorkList(
            "no-recent-contact",
            "No contact recently",
            "Every open case has had a contact recently.",
            True,
        ),
        WorkList("reviews-overdue", "Plan reviews overdue", "No plan review is overdue.", True),
        WorkList(
            "awaiting-sign-off",
            "Closures awaiting your sign-off",
            "No closure awaits your sign-off.",
            True,
        ),
        # A worker's tasks: the same lists, of the cases allocated to them.
        WorkList(
            "mine-no-recent-contact",
            "Your cases with no contact recently",
            "Every case of yours has had a contact recently.",
            False,
        ),
        WorkList(
            "mine-reviews-overdue",
            "Your plan reviews overdue",
            "No plan review of yours is overdue.",
            False,
        ),
    )
}
MINE = "mine"  # the slug of a worker's own open cases; "mine-<list>" filters them as <list>

# Sort keys a list accepts (as in the address, ?sort=...), and their columns.
SORTS = {
    "family": ("family", "started"),
    "service": ("service", "family"),
    "started": ("started", "family"),
    "last-contact": ("last_contact", "family"),
    "next-review": ("next_plan_review", "family"),
}


# The columns of a list's table, in order, by their sort keys.
SORT_COLUMNS = (
    ("family", "Family"),
    ("service", "Service"),
    ("started", "Opened"),
    ("last-contact", "Last contact"),
    ("next-review", "Next plan review"),
)


def contact_overdue_before(today: date) -> date:
    """A case whose last contact (or, with none, its opening) was before this date is
    overdue for contact: `casework.contact_overdue_after_days` of the policy."""
    return today - timedelta(days=active_policy().casework.contact_overdue_after_days)


def annotated(cases: QuerySet[Case], user: User) -> QuerySet[Case]:
    """`cases` with `hidden` (a restriction on someone on the case does not name `user`),
    `family`, `last_contact` (a datetime) and `next_plan_review` (a date).

    One indexed look-up per case for each (contacts by case and time, plans by case), so
    the cost grows with the team's open cases, not with the whole database. A hidden case's
    row names no one (cases.views._rows), so it is sorted apart from the others
    (sorted_page): its place among named rows would tell its family's name or dates.
    """
    hidden = Restriction.objects.filter(person__case_memberships__case=OuterRef("pk")).exclude(
        named_users=user
    )
    first_child = CaseMember.objects.filter(case=OuterRef("pk"), role=CaseRole.CHILD).order_by(
        "person__family_name", "person__given_name"
    )
    # A contact struck out (recorded in error) is not the last contact (cases.corrections).
    latest_contact = (
        Contact.objects.filter(case=OuterRef("pk"))
        .exclude(pk__in=struck_out_pks(Contact))
        .order_by("-occurred_at")
    )
    return plans.with_next_review(cases).annotate(
        hidden=Exists(hidden),
        family=Subquery(first_child.values("person__family_name")[:1]),
        last_contact=Subquery(latest_contact.values("occurred_at")[:1]),
    )


def _open(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.filter(ended__isnull=True)


def managed_cases(user: User) -> QuerySet[Case]:
    """Open cases of the teams the user belongs to (as a manager, the teams they manage)."""
    return _open(Case.objects.filter(team__in=user.teams.values("pk")))


def work_list(user: User, slug: str, today: date) -> QuerySet[Case]:
    """The open cases of list `slug` (a key of WORK_LISTS) for `user`, annotated.

    Raises KeyError for a list that does not exist.
    """
    WORK_LISTS[slug]  # KeyError for a list that does not exist
    if slug == MINE or slug.startswith(f"{MINE}-"):
        cases = annotated(_open(Case.objects.filter(allocated_worker=user)), user)
        slug = slug.removeprefix(f"{MINE}-")
    else:
        cases = annotated(managed_cases(user), user)
    if slug == "unallocated":
        return cases.filter(allocated_worker__isnull=True)
    if slug == "no-recent-contact":
        cutoff = contact_overdue_before(today)
        # Counted from the opening when there has been no contact yet.
        since = Coalesce(TruncDate("last_contact"), "started", output_field=DateField())
        return cases.annotate(since=since).filter(since__lt=cutoff)
    if slug == "reviews-overdue":
        return plans.reviews_overdue(cases, today)
    if slug == "awaiting-sign-off":
        # Not the manager's own requests: another manager signs those off.
        awaiting = ClosureRequest.objects.filter(
            case=OuterRef("pk"), decision=ClosureDecision.AWAITING
        ).exclude(requested_by=user)
        return cases.filter(Exists(awaiting))
    return cases


def sorted_page(
    cases: QuerySet[Case], sort: str, descending: bool, page_number: str | int | None
) -> tuple[Page, str]:
    """One page of `cases` in the order asked for: (page, the sort key used).

    An unknown sort key falls back to "family"; a page number out of range or not a
    number gives the last or first page, not an error (a link followed after cases
    closed). Rows without the date sorted by (no contact yet, no plan) come last.
    """
    if sort not in SORTS:
        sort = "family"
    # Rows the reader may not open come last, whatever the order: never among the others,
    # and in the order they were made, so their place among themselves says nothing of the
    # family, service or dates they hide.
    shown = [Choose(When(hidden=False, then=F(column))) for column in SORTS[sort]]
    order = [F("hidden").asc()] + [
        value.desc(nulls_last=True) if descending else value.asc(nulls_last=True) for value in shown
    ]
    paginator = Paginator(cases.order_by(*order, "pk"), PAGE_SIZE)
    return paginator.get_page(page_number), sort


def new_allocations(user: User) -> QuerySet[Allocation]:
    """Allocations to `user` they have not yet opened the case of, newest first."""
    return (
        Allocation.objects.filter(worker=user, seen_at__isnull=True, case__ended__isnull=True)
        .select_related("case", "allocated_by")
        .order_by("-allocated_at")
    )


def returned_closures(user: User) -> QuerySet[ClosureRequest]:
    """The user's requests to close a case that a manager returned, newest decision first:
    only the latest request of a case still open (one asked again replaces it)."""
    later = ClosureRequest.objects.filter(case=OuterRef("case"), pk__gt=OuterRef("pk"))
    return (
        ClosureRequest.objects.filter(
            requested_by=user, decision=ClosureDecision.RETURNED, case__ended__isnull=True
        )
        .exclude(Exists(later))
        .select_related("case", "decided_by")
        .order_by("-decided_at", "-pk")
    )


def lists_for(user: User) -> list[WorkList]:
    """The work lists of the user's home page: a manager's team lists, then their own
    cases, then their tasks (their own cases needing something done)."""
    mine = [w for w in WORK_LISTS.values() if w.slug == MINE or w.slug.startswith(f"{MINE}-")]
    if user.has_role(Role.TEAM_MANAGER):
        return [w for w in WORK_LISTS.values() if w.for_manager] + mine
    return mine


def counts(user: User, today: date) -> dict[str, int]:
    """How many cases each of the user's lists holds: {slug: count}."""
    return {w.slug: work_list(user, w.slug, today).count() for w in lists_for(user)}
