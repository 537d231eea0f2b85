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
from django.db.models import Count, DateField, Exists, F, OuterRef, Q, QuerySet, Subquery, When
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
    return with_last_contact(plans.with_next_review(cases)).annotate(
        hidden=Exists(hidden),
        family=Subquery(first_child.values("person__family_name")[:1]),
    )


def with_last_contact(cases: QuerySet[Case]) -> QuerySet[Case]:
    """`cases` annotated with `last_contact`: when the latest contact was (a datetime), or
    None. A contact struck out (recorded in error) is not the last (cases.corrections)."""
    latest_contact = (
        Contact.objects.filter(case=OuterRef("pk"))
        .exclude(pk__in=struck_out_pks(Contact))
        .order_by("-occurred_at")
    )
    return cases.annotate(last_contact=Subquery(latest_contact.values("occurred_at")[:1]))


def _open(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.filter(ended__isnull=True)


def managed_cases(user: User) -> QuerySet[Case]:
    """Open cases of the teams the user belongs to (as a manager, the teams they manage)."""
    return _open(Case.objects.filter(team__in=user.teams.values("pk")))


def _since() -> Coalesce:
    """The date a case was last contacted, or opened when there has been no contact yet
    (on a queryset annotated with `last_contact`)."""
    return Coalesce(TruncDate("last_contact"), "started", output_field=DateField())


def _narrowing(slug: str, user: User, today: date) -> tuple[dict, Q | None]:
    """What narrows open cases to list `slug` (without its "mine-" prefix): the annotations
    it needs (beyond `annotated`'s) and the condition on them; None for all the cases."""
    if slug == "unallocated":
        return {}, Q(allocated_worker__isnull=True)
    if slug == "no-recent-contact":
        return {"since": _since()}, Q(since__lt=contact_overdue_before(today))
    if slug == "reviews-overdue":
        return {}, plans.review_overdue(today)
    if slug == "awaiting-sign-off":
        # Not the manager's own requests: another manager signs those off.
        awaiting = ClosureRequest.objects.filter(
            case=OuterRef("pk"), decision=ClosureDecision.AWAITING
        ).exclude(requested_by=user)
        return {"awaiting_sign_off": Exists(awaiting)}, Q(awaiting_sign_off=True)
    return {}, None


def _is_mine(slug: str) -> bool:
    """Whether list `slug` is drawn from the user's own cases, not their teams'."""
    return slug == MINE or slug.startswith(f"{MINE}-")


def _base(user: User, slug: str) -> tuple[QuerySet[Case], str]:
    """The open cases list `slug` is drawn from (the user's own, or their teams'), and the
    list's name without the "mine-" prefix."""
    if _is_mine(slug):
        return _open(Case.objects.filter(allocated_worker=user)), slug.removeprefix(f"{MINE}-")
    return managed_cases(user), slug


def work_list(user: User, slug: str, today: date) -> QuerySet[Case]:
    """The open cases of list `slug` (a key of WORK_LISTS) for `user`, annotated.

    Raises KeyError for a list that does not exist.
    """
    WORK_LISTS[slug]  # KeyError for a list that does not exist
    base, slug = _base(user, slug)
    needs, narrowing = _narrowing(slug, user, today)
    cases = annotated(base, user).annotate(**needs)
    return cases if narrowing is None else cases.filter(narrowing)


def sorted_page(
    cases: QuerySet[Case],
    sort: str,
    descending: bool,
    page_number: str | int | None,
    count: int | None = None,
) -> tuple[Page, str]:
    """One page of `cases` in the order asked for: (page, the sort key used). `count`, when
    given, is how many `cases` holds (from `counts`), so they are not counted again.

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
    if count is not None:
        paginator.count = count  # Paginator.count is a cached property: this is its value
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
    """How many cases each of the user's lists holds: {slug: count}, in one query for the
    lists drawn from the user's own cases and one for those drawn from their teams'."""
    found: dict[str, int] = {}
    by_base: dict[bool, list[str]] = {}
    for w in lists_for(user):
        by_base.setdefault(_is_mine(w.slug), []).append(w.slug)
    for slugs in by_base.values():
        narrowings = {slug: _narrowing(_base(user, slug)[1], user, today) for slug in slugs}
        needs = {name: value for n, _ in narrowings.values() for name, value in n.items()}
        base, _ = _base(user, slugs[0])  # the same for every list of the group
        cases = plans.with_next_review(with_last_contact(base))
        found |= cases.annotate(**needs).aggregate(
            **{slug: Count("pk", filter=condition) for slug, (_, condition) in narrowings.items()}
        )
    return found
