"""The plan: who falls due for destruction in a period, into a review (issue 18 item 3).

`plan()` reads, for every person (the kept record of any merge), what retention needs:
their date of birth, whether they were a child on a case, whether a case is open, and their
last involvement, which is the latest date of any record the data map reaches from them
directly (a case's end, a contact, a fact, a session attended), or the day their record was
made. The policy decides each date (policy.decisions.retention.due_date). People under a
legal hold, already planned, or deferred past the period are left out. Running it again
adds only what is newly due: it is safe from cron.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from uuid import UUID

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, DateTimeField, Max, Min, Q, QuerySet
from django.db.models.sql.constants import MULTI
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from earlyhelp.cases.choices import CaseRole
from earlyhelp.cases.models import CaseMember
from earlyhelp.datamap.registry import DATE_FIELDS, PERSON, Holding, Role, holdings
from earlyhelp.encryption import file_name
from earlyhelp.people.models import Person
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.decisions.common import add_period
from earlyhelp.policy.decisions.retention import KEPT_OPEN_CASE, History, due_date
from earlyhelp.policy.schema import Policy
from earlyhelp.retention.holds import held_people, kept_for_rights
from earlyhelp.retention.models import DestructionReview, PlannedDestruction

Status = PlannedDestruction.Status
BATCH = 5000


def pseudonym(public_id: object) -> str:
    """The keyed pseudonym of a person's public id, as a tombstone names them: 32 hex
    digits (128 bits) of an HMAC under the key that names stored files (outside git and
    the database), so it cannot be turned back into the id without the key."""
    return file_name("destroyed-person", str(public_id))[:32]


@dataclass
class PlanResult:
    """What a run of the plan found: the review it added to (None if nothing was new), the
    people newly planned a rule, and those kept who would otherwise be due, by why."""

    review: DestructionReview | None
    due_by: date
    planned: Counter = field(default_factory=Counter)  # rule id -> people
    kept: Counter = field(default_factory=Counter)  # why, in words -> people
    already_planned: int = 0


def _raw_rows(query: QuerySet) -> Iterator[tuple]:
    """The rows of a values_list query as the database driver gives them, without Django's
    per-value converters: parsing every one of millions of datetimes was most of a plan's
    time, when only each person's latest is needed (`_day` converts that one)."""
    compiler = query.query.get_compiler(query.db)
    for chunk in compiler.execute_sql(MULTI, chunked_fetch=True, chunk_size=BATCH):
        yield from chunk


def _day(raw: object, zone: tzinfo, stored_in: tzinfo | None = None) -> date | None:
    """The day in `zone` of a raw date or datetime value: a driver's object, or SQLite's
    text or naive datetime, which Django writes in the connection's time zone
    (`stored_in`)."""
    if raw is None:
        return None
    if isinstance(raw, str):
        raw = parse_datetime(raw) if len(raw) > 10 else parse_date(raw)
    if isinstance(raw, datetime):
        if raw.tzinfo is None:
            raw = raw.replace(tzinfo=stored_in or connection.timezone)
        return raw.astimezone(zone).date()
    return raw if isinstance(raw, date) else None


def _dated_reaches() -> Iterator[tuple[Holding, str, str]]:
    """(holding, reach to the person, date field) for each holding whose rows name the
    person directly and carry a date: the records whose dates are involvement."""
    for holding in holdings():
        if not holding.involvement or holding.erasure.outlives_the_person:
            continue
        if holding.model._meta.label == PERSON:
            continue
        date_field = holding.date_field or next(
            (name for name in DATE_FIELDS if _has(holding.model, name)), ""
        )
        if not date_field:
            continue
        for reach in holding.reaches:
            direct = reach.query is None and reach.lookup and "__" not in reach.lookup
            if direct and reach.role == Role.SUBJECT:
                yield holding, reach.lookup, date_field


def _has(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def histories(
    policy: Policy, only: Collection[int] | QuerySet | None = None
) -> Iterator[tuple[int, object, History]]:
    """(person id, raw public id, History) for every kept person record (none merged
    away), or for the people of `only` (ids, or a QuerySet of persons) among them. The
    public id is as the driver gives it (SQLite's hex text): `public_id_of` makes it a
    UUID."""
    zone, stored_in = timezone.get_current_timezone(), connection.timezone

    def narrowed(query: QuerySet, key: str) -> QuerySet:
        if only is None:
            return query
        wanted = only.values("pk") if isinstance(only, QuerySet) else list(only)
        return query.filter(**{f"{key}__in": wanted})

    # The latest raw value a person has of each kind of field (dates and datetimes are not
    # comparable raw), turned into a day once a person, below.
    latest_of: dict[bool, dict[int, object]] = {False: {}, True: {}}
    for holding, lookup, date_field in _dated_reaches():
        rows = (
            narrowed(holding.model._default_manager.all(), lookup)
            .filter(**{f"{lookup}__isnull": False})
            .values_list(lookup)
            .annotate(latest=Max(date_field))
            .order_by()
        )
        with_time = isinstance(rows.query.annotations["latest"].output_field, DateTimeField)
        latest = latest_of[with_time]
        for person_id, value in _raw_rows(rows):
            if value is not None and (person_id not in latest or value > latest[person_id]):
                latest[person_id] = value
    cases: dict[int, tuple[int, bool, date | None]] = {}
    for person_id, open_cases, children, ended, started in _raw_rows(
        narrowed(CaseMember.objects.all(), "person_id")
        .values_list("person_id")
        .annotate(
            open=Count("pk", filter=Q(case__ended__isnull=True)),
            child=Count("pk", filter=Q(role=CaseRole.CHILD)),
            ended=Max("case__ended"),
            started=Max("case__started"),
        )
        .order_by()
    ):
        cases[person_id] = (
            open_cases,
            bool(children),
            # Raw values of one type compare as their days do (ISO text on SQLite): the
            # later is converted, not both.
            _day(max(ended, started) if ended and started else ended or started, zone),
        )
    matching: dict[int, dict[str, date]] = {}
    for rule in policy.retention.rules:
        if not rule.conditional:
            continue
        wanted = Q()
        if rule.services:
            wanted &= Q(case__service__in=rule.services)
        if rule.referred_to_social_care:
            wanted &= Q(case__referred_to_social_care_on__isnull=False)
        for person_id, closed in _raw_rows(
            narrowed(CaseMember.objects.filter(wanted, case__ended__isnull=False), "person_id")
            .values_list("person_id")
            .annotate(closed=Max("case__ended"))
            .order_by()
        ):
            matching.setdefault(person_id, {})[rule.id] = _day(closed, zone)
    people = narrowed(Person.objects.filter(merged_into__isnull=True), "pk").values_list(
        "pk", "public_id", "date_of_birth", "created_at"
    )
    dated_on, timed_at = latest_of[False], latest_of[True]
    for person_id, public_id, born, created in _raw_rows(people.order_by()):
        open_cases, child, case_day = cases.get(person_id, (0, False, None))
        # The record's making and the latest timed record are both datetimes: the later,
        # raw, is the one turned into a day (half the conversions of a million people).
        # (SQLite gives a column's datetime as a datetime, an aggregate's as text: both
        # naive, in the connection's zone, so comparable once the text is read.)
        timed = timed_at.get(person_id)
        if type(timed) is str and type(created) is datetime:
            timed = datetime.fromisoformat(timed)
        if timed is None:
            made = _day(created, zone, stored_in)
        elif type(timed) is type(created):
            made = _day(created if created > timed else timed, zone, stored_in)
        else:
            made = max(_day(created, zone, stored_in), _day(timed, zone, stored_in))
        dated = (made, case_day, _day(dated_on.get(person_id), zone, stored_in))
        involvement = max(filter(None, dated))
        yield (
            person_id,
            public_id,
            History(
                born=_day(born, zone),
                last_involvement=involvement,
                child_on_a_case=child,
                open_case=open_cases > 0,
                matching=matching.get(person_id),
            ),
        )


def public_id_of(raw: object) -> UUID:
    """A person's public id from the raw value `histories` gives."""
    return Person._meta.get_field("public_id").to_python(raw)


def _left_out(today: date) -> set[int]:
    """People already planned and waiting, approved, or deferred past today."""
    waiting = Q(status__in=[Status.PLANNED, Status.APPROVED]) | Q(
        status=Status.DEFERRED, deferred_until__gt=today
    )
    return set(
        PlannedDestruction.objects.filter(waiting, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )


def plan(today: date | None = None, through: date | None = None) -> PlanResult:
    """Put everyone whose records fall due by `through` (default: today plus the policy's
    retention.destruction.plan_ahead) into the open review, making one if none is open.

    Idempotent: people already planned are not added again. Raises ValueError when the
    policy says nothing of destruction (nobody could sign a review off) or `through` is
    before `today`.
    """
    policy = active_policy()
    destruction = policy.retention.destruction
    if destruction is None:
        raise ValueError(
            "policy: retention.destruction is missing, so nobody can review what falls due"
        )
    today = today or timezone.localdate()
    through = through or add_period(today, destruction.plan_ahead)
    if through < today:
        raise ValueError("through: the end of the period must be today or later")
    held = held_people()
    for_rights = kept_for_rights()
    left_out = _left_out(today)
    result = PlanResult(None, through)
    new: list[tuple[int, object, date, str, str, date]] = []
    for person_id, public_id, history in histories(policy):
        decided = due_date(policy, history)
        if decided.due_on is None:
            if decided.kept_because and decided.kept_because != KEPT_OPEN_CASE:
                result.kept[decided.kept_because] += 1
            continue
        if decided.due_on > through:
            continue
        if person_id in held:
            result.kept["a legal hold"] += 1
            continue
        if person_id in for_rights:
            result.kept[for_rights[person_id]] += 1
            continue
        if person_id in left_out:
            result.already_planned += 1
            continue
        new.append(
            (person_id, public_id, decided.due_on, decided.rule.id, decided.subject,
             history.last_involvement)
        )  # fmt: skip
    if not new:
        return result
    with transaction.atomic():
        review = (
            DestructionReview.objects.select_for_update()
            .filter(status=DestructionReview.Status.OPEN)
            .first()
        )
        if review is None:
            review = _open_review(through)
        elif review.due_by < through:
            review.due_by = through
            review.save(update_fields=["due_by"])
        # A concurrent run may have planned some of them: the unique rule (one standing
        # item a person in a review) and this re-read keep one item a person. A deferral
        # that has run out while the review is still open is put back as planned.
        standing = dict(
            review.items.filter(status__in=PlannedDestruction.STANDING).values_list(
                "person_id", "pk"
            )
        )
        ran_out = set(
            review.items.filter(status=Status.DEFERRED, deferred_until__lte=today).values_list(
                "person_id", flat=True
            )
        )
        rows = []
        for person_id, public_id, due_on, rule, subject, last in new:
            if person_id in ran_out:
                PlannedDestruction.objects.filter(pk=standing[person_id]).update(
                    status=Status.PLANNED, rule=rule, subject=subject, due_on=due_on,
                    last_involvement=last, decided_at=None,
                )  # fmt: skip
                result.planned[rule] += 1
            elif person_id not in standing:
                rows.append(
                    (person_id, pseudonym(public_id_of(public_id)), rule, subject, due_on, last)
                )
        _insert_items(review, rows)
        result.planned.update(row[2] for row in rows)
    result.review = review
    return result


def _open_review(through: date) -> DestructionReview:
    """A new open review, or the one a concurrent run has just made (the rule of one open
    review refuses a second: nothing to lock before the first exists)."""
    try:
        with transaction.atomic():  # a savepoint: PostgreSQL's transaction survives
            return DestructionReview.objects.create(due_by=through)
    except IntegrityError:
        return DestructionReview.objects.select_for_update().get(
            status=DestructionReview.Status.OPEN
        )


_ITEM_COLUMNS = ("person_id", "pseudonym", "rule", "subject", "due_on", "last_involvement")


def _insert_items(review: DestructionReview, rows: list[tuple]) -> None:
    """Insert planned items, each row (person id, pseudonym, rule id, subject, due on, last
    involvement), the other columns at their defaults. executemany, not bulk_create: a first
    plan can add a hundred thousand items, and bulk_create prepares each value in Python."""
    fields = [f for f in PlannedDestruction._meta.concrete_fields if not f.primary_key]
    template = PlannedDestruction(review=review)
    fixed = [f for f in fields if f.attname not in _ITEM_COLUMNS]
    fixed_values = tuple(
        f.get_db_prep_save(getattr(template, f.attname), connection) for f in fixed
    )
    adapt = connection.ops.adapt_datefield_value
    names = ", ".join(connection.ops.quote_name(f.column) for f in fixed)
    names += ", " + ", ".join(connection.ops.quote_name(name) for name in _ITEM_COLUMNS)
    marks = ", ".join(["%s"] * (len(fixed) + len(_ITEM_COLUMNS)))
    table = connection.ops.quote_name(PlannedDestruction._meta.db_table)
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 (names from the model)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(
                sql,
                [
                    (*fixed_values, person, alias, rule, subject, adapt(due), adapt(last))
                    for person, alias, rule, subject, due, last in rows[start : start + BATCH]
                ],
            )


def earliest_due(review: DestructionReview) -> date | None:
    """The earliest due date among a review's items still waiting."""
    return review.items.filter(status=Status.PLANNED).aggregate(first=Min("due_on"))["first"]
