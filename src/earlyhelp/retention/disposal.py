"""Destruction of what a reviewer approved, through the data map (issue 18 item 4).

`dispose()` takes approved items in batches, each batch one transaction: it checks each
person again (a hold placed since, a case reopened since: kept), then destroys them and
every record merged into them, walking the data map. A row about several people (a case
note about a family) is destroyed only when all of them are; until then it loses only its
link to the person destroyed (the longest retention applies). Document files are removed
from disk after the batch commits; their keyed names wait in FileToRemove so a run killed
in between removes them on the next. The audit trail keeps one tombstone a person: the
record type, a keyed pseudonym of their id, the rule, the review; never the content.

Killed at any moment, a batch either committed whole or left nothing changed: rerunning
carries on from the first item not destroyed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.db.models.expressions import RawSQL
from django.utils import timezone

from earlyhelp.audit.log import record_many
from earlyhelp.cases.documents import documents_dir
from earlyhelp.datamap.registry import PERSON, Holding, holdings
from earlyhelp.people.models import Person
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.decisions.retention import due_date
from earlyhelp.retention.holds import held_people, kept_for_rights
from earlyhelp.retention.models import DestructionReview, FileToRemove, PlannedDestruction
from earlyhelp.retention.planning import histories
from earlyhelp.retention.services import last_approver, sign_off_if_done

Status = PlannedDestruction.Status
BATCH = 2000
# The most people a batch may take. A batch is one transaction: its rows stay locked until
# it commits, a run killed mid-batch loses the whole batch's work, and every query of the
# batch carries its ids as literal integers (`_listed`). Five times the default (BATCH,
# chosen by profiling) leaves room to tune; a larger batch only holds its locks longer.
MAX_BATCH = 10_000


@dataclass
class Disposal:
    """What a run destroyed: people (with the records merged into them), rows by record
    class, files removed, and people kept since approval, by why."""

    people: int = 0
    records: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)
    files_removed: int = 0
    batches: int = 0
    reviews_finished: list[DestructionReview] = field(default_factory=list)


def dispose(batch_size: int = BATCH, *, batches: int | None = None) -> Disposal:
    """Destroy every approved item, `batch_size` people a transaction (at most `batches`
    batches, for a run that must stop early). Safe to kill and rerun."""
    if not 1 <= batch_size <= MAX_BATCH:
        raise ValueError(f"batch_size: a whole number from 1 to {MAX_BATCH:,}")
    outcome = Disposal()
    outcome.files_removed += remove_files()
    # Approved records whose day has come, in a review signed off or still open for the
    # records others must review: an approval ahead of the day waits for it.
    today = timezone.localdate()
    while batches is None or outcome.batches < batches:
        ids = list(
            PlannedDestruction.objects.filter(
                status=Status.APPROVED,
                due_on__lte=today,
                review__status__in=[
                    DestructionReview.Status.OPEN,
                    DestructionReview.Status.APPROVED,
                ],
            )
            .order_by("id")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            break
        _dispose_batch(ids, outcome)
        outcome.batches += 1
        outcome.files_removed += remove_files()
    outcome.reviews_finished = _finish_reviews()
    return outcome


@transaction.atomic
def _dispose_batch(item_ids: list[int], outcome: Disposal) -> None:
    items = list(
        PlannedDestruction.objects.select_for_update(of=("self",))
        .filter(pk__in=item_ids, status=Status.APPROVED)
        .select_related("review")
    )
    if not items:
        return
    policy = active_policy()
    held = held_people()
    for_rights = kept_for_rights()
    people = Person.objects.filter(
        pk__in=_listed(Person, {item.person_id for item in items if item.person_id})
    )
    due = {pk: due_date(policy, history) for pk, _, history in histories(policy, people)}
    today = timezone.localdate()
    now = timezone.now()
    going: list[PlannedDestruction] = []
    kept_now: Counter = Counter()
    for item in items:
        decided = due.get(item.person_id)
        if item.person_id in held:
            item.status = Status.HELD
        elif item.person_id in for_rights:
            item.status = Status.RIGHTS
        elif decided is None or decided.due_on is None or decided.due_on > today:
            # Reopened, newly involved, or gone already: the batch's query takes only items
            # planned due by today, so a later date now means the date moved.
            item.status = Status.NOT_DUE
        else:
            item.status = Status.DESTROYED
            going.append(item)
        item.decided_at = now
        if item.status != Status.DESTROYED:
            kept_now[item.get_status_display()] += 1
    # Each review's people are destroyed on their own, so its certificate counts exactly
    # the rows of its people. A row about people of two reviews loses its link to the
    # first review's people, then goes with the second's: it is counted once.
    going_by_review: dict[int, list[PlannedDestruction]] = defaultdict(list)
    for item in going:
        going_by_review[item.review_id].append(item)
    destroyed: dict[int, Destroyed] = {}
    merged: dict[int, int] = {}
    for review_id, its_going in sorted(going_by_review.items()):
        its_people = {item.person_id for item in its_going}
        ids = _with_merged(its_people)
        destroyed[review_id] = destroy_people(ids)
        merged[review_id] = len(ids) - len(its_people)
    by_status: dict[str, list[int]] = defaultdict(list)
    for item in items:
        by_status[item.status].append(item.pk)
    for status, pks in by_status.items():  # a few statements, not one a row
        PlannedDestruction.objects.filter(pk__in=pks).update(status=status, decided_at=now)
    record_many(
        None,
        [
            {
                "action": "delete",
                "record_type": "person",
                "rule": f"retention:{item.rule}",
                "reason": "Destroyed at the end of its retention period",
                "details": {
                    "tombstone": item.pseudonym,
                    "review": str(item.review.public_id),
                    "subject": item.subject,
                    "due_on": item.due_on.isoformat(),
                },
            }
            for item in going
        ],
    )
    # The certificate grows with each committed batch, in the same transaction.
    by_review: dict[int, list[PlannedDestruction]] = defaultdict(list)
    for item in items:
        by_review[item.review_id].append(item)
    for review_id, its_items in by_review.items():
        review = DestructionReview.objects.select_for_update().get(pk=review_id)
        certificate = review.certificate or {}
        rules = Counter(certificate.get("rules", {}))
        rules.update(i.rule for i in its_items if i.status == Status.DESTROYED)
        kept = Counter(certificate.get("kept", {}))
        kept.update(i.get_status_display() for i in its_items if i.status != Status.DESTROYED)
        records = Counter(certificate.get("records", {}))
        if review_id in destroyed:
            records.update(destroyed[review_id].rows)
        certificate.update(
            rules=dict(rules),
            kept=dict(kept),
            records=dict(records),
            batches=certificate.get("batches", 0) + 1,
            merged_records=certificate.get("merged_records", 0) + merged.get(review_id, 0),
        )
        review.certificate = certificate
        review.save(update_fields=["certificate"])
    outcome.people += len(going)
    for done in destroyed.values():
        outcome.records.update(done.rows)
    outcome.kept.update(kept_now)


def _listed(model: type[models.Model], pks: Iterable[Any]) -> RawSQL | list:
    """The rows of `pks` as a subquery whose SQL carries them as literal integers, for
    `pk__in`. A list of thousands of ids in every query of a batch is prepared by Django
    value by value at each compile: that was most of a disposal's time. Integers only
    (`int()` of each, so nothing but digits reaches the SQL); other keys stay a list."""
    if not isinstance(model._meta.pk, models.AutoField | models.BigAutoField):
        return list(pks)
    literal = ",".join(str(int(pk)) for pk in sorted(set(pks))) or "NULL"
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.pk.column)
    sql = f"SELECT {column} FROM {table} WHERE {column} IN ({literal})"  # noqa: S608
    return RawSQL(sql, ())  # noqa: S611 (integers and quoted names only)


class _ListedCollector(Collector):
    """Django's delete collector, asking for each related model's rows by a subquery of
    literal integers (`_listed`) rather than an `__in` list of the instances, which Django
    prepares one instance at a time at every compile. Only the form of the query changes:
    what is collected, protected, nulled and deleted is Django's own rule."""

    def related_objects(self, related_model, related_fields, objs):
        objs = list(objs)
        if not objs or not all(
            field.target_field.primary_key for field in related_fields
        ):  # a link to another column than the key: Django's own query
            return super().related_objects(related_model, related_fields, objs)
        listed = _listed(type(objs[0]), [obj.pk for obj in objs])
        predicate = models.Q.create(
            [(f"{field.name}__in", listed) for field in related_fields],
            connector=models.Q.OR,
        )
        return related_model._base_manager.using(self.using).filter(predicate)


def _delete_rows(model: type[models.Model], pks: Iterable[Any]) -> dict[str, int]:
    """Delete the rows of `pks` as `QuerySet.delete()` would (cascades, SET_NULL, PROTECT
    and RESTRICT by the models' on_delete; raises ProtectedError or RestrictedError);
    returns the rows deleted by model label."""
    rows = model._base_manager.filter(pk__in=_listed(model, pks))
    collector = _ListedCollector(using=rows.db, origin=rows)
    collector.collect(rows)
    return collector.delete()[1]


def _with_merged(ids: set[int]) -> set[int]:
    """`ids` and every record merged into them, however many merges back."""
    found = set(ids)
    frontier = set(ids)
    while frontier:
        frontier = (
            set(Person.objects.filter(merged_into__in=frontier).values_list("pk", flat=True))
            - found
        )
        found |= frontier
    return found


@dataclass
class Destroyed:
    rows: Counter = field(default_factory=Counter)  # record class title -> rows destroyed
    files: list[str] = field(default_factory=list)  # keyed file names to remove


def destroy_people(ids: Iterable[int]) -> Destroyed:
    """Destroy the people of `ids` and what the data map holds about them, in the caller's
    transaction. A row reached from someone else too loses only its link to them: a
    many-to-many link is removed, a nullable link set to null, and a row that cannot stand
    without them (their relationship to someone kept) is destroyed. Holdings that outlive
    the person (the audit trail, this app's records) are kept; their links are nulled by
    the models' on_delete. Returns the rows destroyed by class and the files to remove.
    """
    ids = set(ids)
    done = Destroyed()
    if not ids:
        return done
    # One subquery of the people, prepared once, in every holding's queries below.
    people = Person.objects.filter(pk__in=_listed(Person, ids))
    doomed: dict[str, tuple[Holding, set]] = {}
    for holding in holdings():
        if holding.erasure.outlives_the_person or holding.name == PERSON:
            continue
        reached = holding.rows_about(people).values("pk")
        concerned = _people_of(holding, reached)
        if not concerned:
            continue
        exclusive = {pk for pk, about in concerned.items() if about <= ids}
        shared = set(concerned) - exclusive
        if shared:
            exclusive |= _unlink(holding, shared, people.values("pk"))
        if exclusive:
            doomed[holding.name] = (holding, exclusive)
    for holding, pks in doomed.values():
        if holding.files:
            for row in holding.model._default_manager.filter(pk__in=pks):
                done.files += [path.name for path in holding.files(row)]
    _delete(doomed, done)
    # Records merged away first: each points at the one kept (merged_into protects it).
    remaining = set(ids)
    while remaining:
        kept_for = set(
            Person.objects.filter(pk__in=remaining, merged_into__in=remaining).values_list(
                "merged_into", flat=True
            )
        )
        leaves = remaining - kept_for
        counted = _delete_rows(Person, leaves)
        _count(done, counted)
        remaining = kept_for
    if done.files:
        FileToRemove.objects.bulk_create(
            [FileToRemove(file_name=name) for name in set(done.files)], ignore_conflicts=True
        )
    return done


def _count(done: Destroyed, counted: dict[str, int]) -> None:
    """Add a delete()'s counts by model label to the certificate's counts by record class;
    the links of a many-to-many (who was present at a contact) are not records."""
    for label, count in counted.items():
        if count and not apps.get_model(label)._meta.auto_created:
            done.rows[_title(label)] += count


def _title(label: str) -> str:
    try:
        return next(h.title for h in holdings() if h.name == label)
    except StopIteration:
        return label


def _people_of(holding: Holding, reached: QuerySet) -> dict[object, set[int]]:
    """Row pk -> the ids of every person the row is reached from, by any reach, for the
    rows of `reached` (a subquery of pks). Every reached row is a key: a row reached only
    through a custom query has an empty set."""
    concerned: dict[object, set[int]] = {pk: set() for pk in reached.values_list("pk", flat=True)}
    if not concerned:
        return concerned
    manager = holding.model._default_manager
    for reach in holding.reaches:
        if reach.query is not None:
            continue
        lookup = reach.lookup or "pk"
        for pk, person_id in manager.filter(pk__in=reached).values_list("pk", lookup).order_by():
            if person_id is not None:
                concerned[pk].add(person_id)
    return concerned


def _unlink(holding: Holding, shared: set, ids: QuerySet) -> set:
    """Remove the destroyed people's links from rows others keep; return the rows that
    cannot stand without them (a non-null direct link to someone destroyed)."""
    cannot_stand: set = set()
    manager = holding.model._default_manager
    for reach in holding.reaches:
        if reach.query is not None or not reach.lookup or "__" in reach.lookup:
            continue  # reached through another row: that row's own holding unlinks it
        link = holding.model._meta.get_field(reach.lookup)
        if link.many_to_many:
            through = link.remote_field.through
            own = link.m2m_field_name()
            other = link.m2m_reverse_field_name()
            through._default_manager.filter(
                **{f"{own}__in": _listed(holding.model, shared), f"{other}__in": ids}
            ).delete()
        elif link.null:
            manager.filter(
                pk__in=_listed(holding.model, shared), **{f"{reach.lookup}__in": ids}
            ).update(**{reach.lookup: None})
        else:
            cannot_stand |= set(
                manager.filter(
                    pk__in=_listed(holding.model, shared), **{f"{reach.lookup}__in": ids}
                ).values_list("pk", flat=True)
            )
    return cannot_stand


def _delete(doomed: dict[str, tuple[Holding, set]], done: Destroyed) -> None:
    """Delete each holding's rows, in whatever order the links allow: a row another row
    protects waits until that row is gone. Rows still protected at the end by a row that
    is kept (an address a kept household still uses) are kept."""
    waiting = dict(doomed)
    while waiting:
        progress = False
        for name, (holding, pks) in list(waiting.items()):
            try:
                with transaction.atomic():
                    counted = _delete_rows(holding.model, pks)
            except (ProtectedError, RestrictedError):
                continue
            _count(done, counted)
            del waiting[name]
            progress = True
        if not progress:
            break
    for holding, pks in waiting.values():
        for pk in pks:
            try:
                with transaction.atomic():
                    counted = holding.model._default_manager.filter(pk=pk).delete()[1]
            except (ProtectedError, RestrictedError):
                continue  # still needed by a record that is kept
            _count(done, counted)


def remove_files() -> int:
    """Remove the document files of committed destructions; return how many went."""
    removed = 0
    folder = Path(documents_dir())
    for entry in FileToRemove.objects.all().iterator():
        for path in folder.glob(f"??/{entry.file_name}"):
            path.unlink(missing_ok=True)
            removed += 1
        entry.delete()
    return removed


def _finish_reviews() -> list[DestructionReview]:
    """Mark approved reviews with nothing left to destroy as destroyed: the certificate is
    complete (method from the policy, who approved, when it finished)."""
    # An open review with nothing left waiting (its last records kept by a request or a
    # restriction since) is signed off here, so that it gets its certificate.
    for review in DestructionReview.objects.filter(status=DestructionReview.Status.OPEN):
        with transaction.atomic():
            review = DestructionReview.objects.select_for_update().get(pk=review.pk)
            sign_off_if_done(review, last_approver(review))
    finished = []
    destruction = active_policy().retention.destruction
    for review in DestructionReview.objects.filter(status=DestructionReview.Status.APPROVED):
        if review.items.filter(status=Status.APPROVED).exists():
            continue  # approved records still to destroy, or not yet due
        with transaction.atomic():
            review = DestructionReview.objects.select_for_update().get(pk=review.pk)
            if review.status != DestructionReview.Status.APPROVED:
                continue
            review.status = DestructionReview.Status.DESTROYED
            review.finished_at = timezone.now()
            certificate = dict(review.certificate or {})
            certificate["method"] = destruction.method if destruction else ""
            # Every person the review listed and did not destroy, by why: kept at disposal,
            # and before it (deferred, a hold or a request since planning, a merge).
            kept = Counter(
                PlannedDestruction.Status(status).label
                for status in review.items.exclude(status=Status.DESTROYED).values_list(
                    "status", flat=True
                )
            )
            certificate["kept"] = dict(kept)
            review.certificate = certificate
            review.save(update_fields=["status", "finished_at", "certificate"])
        finished.append(review)
    return finished
