"""Making two records of one person one, and undoing that.

Merging re-points to the kept person every row, in any app, that points at the
merged person: the foreign keys are the data map's direct reaches to a person
(datamap.registry.person_keys), and the registry test fails for a model left out
of the map, so a model added later is covered. Many-to-many links are rows of
their through tables (people.HouseholdMember, cases.CaseMember, the table behind
cases.Contact.people_present) and move the same way. Person.merged_into (earlier
merges) and PersonMerge (the history itself) are left alone.

`PersonMerge.moved` records exactly what moved, {"app_label.Model.field": [pks]},
so undoing moves those rows back and nothing else: rows added to the kept person
after the merge stay with them.

A row that cannot move stays with the merged person, untouched:

* it would duplicate a row the kept person already has under a unique rule (both
  were members of one household or case, or recorded with the same relative in
  the same way): the kept person's row is kept;
* it links the two people to each other (a Relationship between them) and would
  link the kept person to themselves.

A merge and its undoing withdraw both records' planned destructions
(retention.services.withdraw_for_merge): their dates were worked out from one record's
history, and the next plan works them out again from the merged one.

Neither a merge nor its undoing is done while either record is restricted from processing
(rights.processing.ProcessingRestricted, naming the request and the date).

Such rows are listed in `moved["stayed_with_merged"]` as
{"app_label.Model.field": [{"pk", "why", "duplicate_of", "differs"}]}, where
`differs` names the fields in which a duplicate says something other than the
kept row (say, parental responsibility), for someone to reconcile. Because these
rows never change, undo restores the previous state exactly without recreating
anything, and the merged record, which is never deleted, still holds everything
that was recorded about it, including its own NHS number and UPN.
"""

from __future__ import annotations

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.datamap.registry import person_keys
from earlyhelp.people.models import NameKey, Person, PersonMerge
from earlyhelp.people.name_index import index_names
from earlyhelp.retention.services import withdraw_for_merge
from earlyhelp.rights.processing import refuse_if_restricted

STAYED = "stayed_with_merged"
SELF = "would relate the person to themselves"
DUPLICATE = "the kept person already has the same record"


def person_references() -> list[tuple[type[models.Model], models.ForeignKey]]:
    """Every (model, foreign key) pointing at Person whose rows follow a person in a merge:
    the data map's direct keys, less the merge history itself and the name index (derived
    from the names that move, and written again for both people)."""
    return [(model, key) for model, key in person_keys() if model not in (PersonMerge, NameKey)]


def merge_people(kept: Person, merged: Person, by: User, reason: str) -> PersonMerge:
    """Make `merged` part of `kept`, recording who did it and why. See the module docstring."""
    if not reason.strip():
        raise ValueError("reason: say why the two records are the same person")
    try:
        with transaction.atomic():
            return _merge(kept, merged, by, reason.strip())
    except IntegrityError as error:
        raise ValueError(f"merge: a database rule refused the merge ({error})") from error


def undo_merge(merge: PersonMerge, by: User) -> None:
    """Move back exactly the rows the merge moved, and make the merged person a record again."""
    try:
        with transaction.atomic():
            _undo(merge, by)
    except IntegrityError as error:
        raise ValueError(f"undo merge: a database rule refused the undo ({error})") from error


def _merge(kept: Person, merged: Person, by: User, reason: str) -> PersonMerge:
    if kept.pk == merged.pk:
        raise ValueError("merge: a person cannot be merged into themselves")
    # Read both afresh, locked, so two merges of the same records cannot interleave.
    people = Person.objects.select_for_update().in_bulk([kept.pk, merged.pk])
    if people[kept.pk].merged_into_id is not None:
        raise ValueError(
            "merge: the record to keep has itself been merged into another record; "
            "merge into that record instead"
        )
    if people[merged.pk].merged_into_id is not None:
        raise ValueError("merge: the record to merge has already been merged into another record")
    # Both records change (one gains the other's rows, one is merged away): refused while
    # either is restricted from processing (rights.processing).
    refuse_if_restricted(people[kept.pk], people[merged.pk], named=True)
    withdraw_for_merge([kept.pk, merged.pk])
    moved: dict[str, list[int | str]] = {}
    stayed: dict[str, list[dict]] = {}
    for model, key in person_references():
        label = f"{model._meta.label}.{key.name}"
        pks, kept_back = _repoint(model, key, merged.pk, kept.pk, moved)
        if pks:
            moved[label] = pks
        if kept_back:
            stayed[label] = kept_back
    record = {**moved, STAYED: stayed} if stayed else moved
    merge = PersonMerge.objects.create(
        kept=kept, merged=merged, reason=reason, merged_by=by, moved=record
    )
    Person.objects.filter(pk=merged.pk).update(merged_into=kept)
    merged.merged_into = kept
    index_names([kept.pk, merged.pk])  # other names moved with update(), not save()
    return merge


def _repoint(
    model: type[models.Model],
    key: models.ForeignKey,
    source: int,
    target: int,
    moved: dict[str, list[int | str]],
) -> tuple[list[int | str], list[dict]]:
    """Point `model.key` at `target` instead of `source`; return (moved pks, rows left)."""
    rows = model._base_manager.filter(**{key.attname: source}).order_by("pk")
    unique_sets = _unique_sets(model, key)
    other_keys = [
        f
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is Person and f is not key
    ]
    if not unique_sets and not other_keys:
        pks = list(rows.values_list("pk", flat=True))
        if pks:
            model._base_manager.filter(pk__in=pks).update(**{key.attname: target})
        return [_json_pk(pk) for pk in pks], []
    pks, kept_back = [], []
    for row in rows:
        if _links_to_target(model, row, other_keys, target, moved):
            kept_back.append({"pk": _json_pk(row.pk), "why": SELF})
            continue
        duplicate = _duplicate_of(model, row, key, target, unique_sets)
        if duplicate is not None:
            kept_back.append(
                {
                    "pk": _json_pk(row.pk),
                    "why": DUPLICATE,
                    "duplicate_of": _json_pk(duplicate.pk),
                    "differs": _differences(model, row, duplicate, key),
                }
            )
            continue
        model._base_manager.filter(pk=row.pk).update(**{key.attname: target})
        pks.append(_json_pk(row.pk))
    return pks, kept_back


def _json_pk(pk: object) -> int | str:
    """A primary key as JSON can hold it: integers as they are, anything else (UUID) as text."""
    return pk if isinstance(pk, int) else str(pk)


UniqueSet = tuple[tuple[str, ...], Q | None]


def _unique_sets(model: type[models.Model], key: models.ForeignKey) -> list[UniqueSet]:
    """The unique rules of `model` that include `key`: (field names, the condition the rule
    holds under, None for always), as a conditional one (one CURRENT household membership)
    binds only the rows that meet its condition."""
    sets: list[UniqueSet] = [(tuple(names), None) for names in model._meta.unique_together]
    sets += [
        (tuple(c.fields), c.condition)
        for c in model._meta.constraints
        if isinstance(c, models.UniqueConstraint) and c.fields and not c.expressions
    ]
    if key.unique:
        sets.append(((key.name,), None))
    return [(names, condition) for names, condition in sets if key.name in names]


def _links_to_target(
    model: type[models.Model],
    row: models.Model,
    other_keys: list[models.ForeignKey],
    target: int,
    moved: dict[str, list[int | str]],
) -> bool:
    """Whether the row links the merged person to the kept one (not to a row moved here)."""
    for other in other_keys:
        if getattr(row, other.attname) == target:
            # Moved by this merge from the merged person: it was not a link between the two.
            if _json_pk(row.pk) in moved.get(f"{model._meta.label}.{other.name}", ()):
                continue
            return True
    return False


def _duplicate_of(
    model: type[models.Model],
    row: models.Model,
    key: models.ForeignKey,
    target: int,
    unique_sets: list[UniqueSet],
) -> models.Model | None:
    for names, condition in unique_sets:
        rows = model._base_manager.all()
        if condition is not None:
            if not rows.filter(condition, pk=row.pk).exists():
                continue  # the rule does not bind this row (an ended membership)
            rows = rows.filter(condition)
        lookup = {}
        for name in names:
            field = model._meta.get_field(name)
            lookup[field.attname] = target if field is key else getattr(row, field.attname)
        duplicate = rows.filter(**lookup).exclude(pk=row.pk).first()
        if duplicate is not None:
            return duplicate
    return None


def _differences(
    model: type[models.Model], row: models.Model, duplicate: models.Model, key: models.ForeignKey
) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if not f.primary_key
        and f is not key
        and getattr(row, f.attname) != getattr(duplicate, f.attname)
        and f.name != "public_id"
    ]


def _undo(merge: PersonMerge, by: User) -> None:
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValueError("undo merge: this merge has already been undone")
    people = Person.objects.select_for_update().in_bulk([merge.kept_id, merge.merged_id])
    kept, merged = people[merge.kept_id], people[merge.merged_id]
    if merged.merged_into_id != kept.pk:
        raise ValueError("undo merge: the merged record is no longer merged into the kept one")
    if kept.merged_into_id is not None:
        raise ValueError(
            "undo merge: the kept record has since been merged into another record; "
            "undo that merge first"
        )
    refuse_if_restricted(kept, merged, named=True)
    withdraw_for_merge([kept.pk, merged.pk])
    for label, pks in merge.moved.items():
        if label == STAYED:
            continue
        model_label, field_name = label.rsplit(".", 1)
        model = apps.get_model(model_label)
        attname = model._meta.get_field(field_name).attname
        # Only rows still with the kept person: a row deleted since cannot come back.
        model._base_manager.filter(pk__in=pks, **{attname: kept.pk}).update(**{attname: merged.pk})
    Person.objects.filter(pk=merged.pk).update(merged_into=None)
    index_names([kept.pk, merged.pk])
    merge.undone_by = by
    merge.undone_at = timezone.now()
    merge.save(update_fields=["undone_by", "undone_at"])
