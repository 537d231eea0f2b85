"""Where each person's data lives: the registry every "whose data is this?" question asks.

A *holding* is a model that holds data about people. Its app registers it once, in the app's
`holdings.py`, saying:

- how to reach the rows about one person: one or more *reaches*, each an ORM lookup from the
  model to `people.Person` ("person", "case__members__person"), and whether the person is the
  row's *subject* or only *mentioned* in it (a relationship names the relative);
- which fields hold which policy category: read from the model's `data_categories`, never
  restated here;
- how a row reads for a person (label, what it says, its date, source, who recorded it);
- what erasure does to it: delete the row, anonymise named fields, or keep it, with the
  policy's retention rule or the legal reason that keeps it. The audit trail is kept and
  pseudonymised, never deleted.

tests/datamap/test_registry.py fails when a model holding personal data is not registered,
and when a registered reach no longer leads to a person.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.text import capfirst

from earlyhelp.lib.plausible import format_day
from earlyhelp.policy.fields import STRUCTURAL_FIELDS, category_of, declared_fields

PERSON = "people.Person"
# The policy's rules for a person's records ([[retention.rules]]: a child's until they are
# 25, an adult's six years after the last involvement), which most holdings keep by.
RECORD_RULES = ("child-records", "adult-records")


class Role(StrEnum):
    """How a row relates to the person it is reached from."""

    SUBJECT = "subject"  # the row is about them
    MENTIONED = "mentioned"  # the row is about someone else and names them


class ErasureAction(StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"
    KEEP = "keep"


@dataclass(frozen=True)
class Reach:
    """An ORM lookup from a holding's rows to the person ("" when the row is the person)."""

    lookup: str
    role: Role = Role.SUBJECT
    # For rows that name a person without a database relation (the audit trail holds a
    # person's public id as text): people -> the rows' filter.
    query: Callable[[Sequence[Any]], Q] | None = None
    describe: str = ""  # the path in words, for the printed map when `query` is used
    # Further conditions on the same path, as (lookup, value) pairs: a case record is about
    # the children the case is about ("case__members__role", "child"). They apply to the same
    # related row as `lookup` (one filter), so the member found is the person.
    where: tuple[tuple[str, Any], ...] = ()
    meaning: str = ""  # what the reach means, in words, for the map

    def filter_for(self, people: Sequence[Any] | QuerySet) -> Q:
        """The filter selecting rows reached from `people`: Person instances, or a QuerySet
        of persons, which stays a subquery (thousands of ids are not prepared one by one
        for each holding, as destroying a batch of people would)."""
        if self.query is not None:
            return self.query(people)
        ids = people.values("pk") if isinstance(people, QuerySet) else [p.pk for p in people]
        if not self.lookup:
            return Q(pk__in=ids)
        return Q(**{f"{self.lookup}__in": ids}, **dict(self.where))

    @property
    def words(self) -> str:
        if self.describe:
            return self.describe
        path = self.lookup.replace("__", " → ") if self.lookup else "the person's own record"
        return f"{path} ({self.meaning})" if self.meaning else path


@dataclass(frozen=True)
class Erasure:
    """What erasing a person does to a holding's rows.

    `fields` are the fields an anonymisation blanks. `retention_rules` are policy retention
    rule ids (policy file, [[retention.rules]]) that keep the rows until their date even when
    erasure is asked, as UK GDPR Article 17(3)(b) allows for a legal duty or public task;
    `reason` says why in words (what else the row is about, or the law that keeps it).
    """

    action: ErasureAction
    fields: tuple[str, ...] = ()
    retention_rules: tuple[str, ...] = ()
    reason: str = ""
    # Kept when the person's records are destroyed at the end of their retention period
    # (the audit trail, the record of what was destroyed): the row no longer names them.
    outlives_the_person: bool = False

    @property
    def words(self) -> str:
        """What erasure does, in words: "deleted when ...", "kept until ...: reason"."""
        period = ""
        if self.retention_rules:
            period = f"the retention period ends ({' or '.join(self.retention_rules)})"
        if self.action == ErasureAction.KEEP:
            said = f"kept until {period}" if period else "kept"
        else:
            done = (
                "deleted"
                if self.action == ErasureAction.DELETE
                else (f"anonymised ({', '.join(self.fields)} removed)")
            )
            said = f"{done} when {period} or erasure is granted" if period else done
        return f"{said}: {self.reason}" if self.reason else said


def delete(*, retention_rules: tuple[str, ...] = (), reason: str = "") -> Erasure:
    """Erasure deletes the row (after its retention rules' date, where any are named)."""
    return Erasure(ErasureAction.DELETE, retention_rules=retention_rules, reason=reason)


def anonymise(*fields: str, retention_rules: tuple[str, ...] = (), reason: str = "") -> Erasure:
    """Erasure blanks `fields` and keeps the rest of the row (which is about others too)."""
    return Erasure(ErasureAction.ANONYMISE, fields, retention_rules=retention_rules, reason=reason)


def keep(
    *, retention_rules: tuple[str, ...] = (), reason: str = "", outlives_the_person: bool = False
) -> Erasure:
    """Erasure keeps the row, for the rule or reason given; `outlives_the_person` keeps it
    past the destruction of the person's records too (it must not name them by then)."""
    if not retention_rules and not reason:
        raise ValueError("keep: name the retention rule or the legal reason that keeps the rows")
    return Erasure(
        ErasureAction.KEEP,
        retention_rules=retention_rules,
        reason=reason,
        outlives_the_person=outlives_the_person,
    )


@dataclass(frozen=True)
class Entry:
    """One registered row as a person reads it. `fields` are (label, value, category id)."""

    model: str
    pk: Any
    role: Role
    label: str
    fields: list[tuple[str, str, str]]
    date: date | None
    source: str
    recorded_by: str

    @property
    def categories(self) -> list[str]:
        return sorted({category for _label, _value, category in self.fields if category})

    def as_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "id": self.pk if isinstance(self.pk, int) else str(self.pk),
            "role": str(self.role),
            "label": self.label,
            "date": self.date.isoformat() if self.date else None,
            "source": self.source,
            "recorded_by": self.recorded_by,
            "categories": self.categories,
            "fields": [
                {"label": label, "value": value, "category": category}
                for label, value, category in self.fields
            ],
        }


# Where a row's date is, in the order tried when a holding does not say.
DATE_FIELDS = ("occurred_on", "held_on", "received_on", "started", "recorded_at", "created_at")
# Where the staff member who wrote a row is, in order.
RECORDER_FIELDS = ("recorded_by", "author", "created_by", "actor")


@dataclass(frozen=True)
class Holding:
    """A registered model: see the module docstring."""

    model: type[models.Model]
    reaches: tuple[Reach, ...]
    erasure: Erasure
    label: str = ""
    date_field: str = ""
    # The URL slug of a kind of fact a practitioner records (people.facts), in notice order.
    fact_kind: str = ""
    # Fields not shown to a person: search keys and other derived copies of shown fields.
    derived_fields: tuple[str, ...] = ()
    # Holdings whose rows this one is wholly derived from (the name index, from names):
    # its rows are not listed to the person, since those are; erasure still applies.
    derived_from: tuple[str, ...] = ()
    # Files outside the database a row stands for (a document's encrypted bytes): row -> paths.
    files: Callable[[Any], list[Path]] | None = None
    # What a row says, for a model whose fields carry no category (the audit trail):
    # row -> [(label, value, category id or "")]. Others show their classified fields.
    says: Callable[[Any], list[tuple[str, str, str]]] | None = None
    # A field whose value is a policy id, shown in the policy's words: name -> id -> words.
    words: tuple[tuple[str, Callable[[str], str]], ...] = ()
    # Whether a row's date is involvement with the person, from which retention counts
    # (retention.planning): the service's work with them is; the council's own handling
    # of their records (a merge, a rights request, a restriction on who may look) is not.
    involvement: bool = True
    # How erasure deletes rows that stand for more than themselves (a nursery photo: its
    # files, previews and any package of it not yet downloaded): rows (a QuerySet) -> None.
    # None: the rows are deleted as they are.
    delete_rows: Callable[[Any], None] | None = None

    @property
    def name(self) -> str:
        return self.model._meta.label

    @property
    def title(self) -> str:
        return self.label or str(self.model._meta.verbose_name).capitalize()

    @property
    def categories(self) -> dict[str, str]:
        """Field name -> policy category id, as the model declares them."""
        found = {}
        for model_field in declared_fields(self.model):
            category = category_of(self.model, model_field.name)
            if category and model_field.name not in STRUCTURAL_FIELDS:
                found[model_field.name] = category
        return found

    def category_ids(self) -> list[str]:
        return sorted(set(self.categories.values()))

    def rows_about(self, people: Sequence[Any] | QuerySet, role: Role | None = None) -> QuerySet:
        """Rows reached from `people` (Person instances, or a QuerySet of persons), by any
        reach or by those of `role`."""
        wanted = [r for r in self.reaches if role is None or r.role == role]
        manager = self.model._default_manager
        if not wanted or (not isinstance(people, QuerySet) and not people):
            return manager.none()
        if len(wanted) == 1:
            return manager.filter(wanted[0].filter_for(people)).distinct()
        # One indexed lookup a reach, joined by UNION: an OR across several joins makes the
        # planner scan the whole table (seconds on a million people, not milliseconds).
        # No ORDER BY in the parts: SQLite refuses one in a compound statement's subqueries.
        found = [
            manager.filter(reach.filter_for(people)).order_by().values("pk") for reach in wanted
        ]
        return manager.filter(pk__in=found[0].union(*found[1:]))

    def entry(self, row: models.Model, role: Role = Role.SUBJECT) -> Entry:
        """How `row` reads for a person: every classified field in words."""
        shown = self.says(row) if self.says else []
        in_words = dict(self.words)
        # The link to the person a row is about says nothing its reader does not know; a row
        # that only names them shows whom it is about.
        about_them = role == Role.SUBJECT
        for model_field, label, category in () if self.says else _shown_fields(self, about_them):
            value = _words(row, model_field)
            if value and model_field.name in in_words:
                value = in_words[model_field.name](value)
            if value != "":
                shown.append((label, value, category))
        recorder = _recorder_field(self.model)
        staff = getattr(row, recorder) if recorder else None
        return Entry(
            model=self.name,
            pk=row.pk,
            role=role,
            label=self.title,
            fields=shown,
            date=_date_of(row, self.date_field),
            source=_source_of(row),
            recorded_by=(staff.get_full_name() or staff.get_username()) if staff else "",
        )

    def subject_keys(self) -> list[str]:
        """The fields of direct subject reaches (a fact's `person`)."""
        return [
            r.lookup
            for r in self.reaches
            if r.role == Role.SUBJECT and r.lookup and "__" not in r.lookup
        ]

    def related_for_display(self) -> tuple[list[str], list[str]]:
        """(select_related, prefetch_related) names that render a page of rows in few queries."""
        joins, prefetch = [], []
        for model_field in declared_fields(self.model):
            if model_field.name not in self.categories:
                continue
            if model_field.many_to_many:
                prefetch.append(model_field.name)
            elif model_field.is_relation:
                joins.append(model_field.name)
        joins += [f for f in RECORDER_FIELDS if _has_field(self.model, f)]
        if "__" in self.date_field:
            joins.append(self.date_field.rsplit("__", 1)[0])
        return joins, prefetch


_REGISTRY: dict[str, Holding] = {}


def register(
    model: type[models.Model],
    *reaches: Reach | str,
    erasure: Erasure,
    label: str = "",
    date_field: str = "",
    fact_kind: str = "",
    derived_fields: Iterable[str] = (),
    derived_from: Iterable[str] = (),
    files: Callable[[Any], list[Path]] | None = None,
    says: Callable[[Any], list[tuple[str, str, str]]] | None = None,
    words: dict[str, Callable[[str], str]] | None = None,
    involvement: bool = True,
    delete_rows: Callable[[Any], None] | None = None,
) -> Holding:
    """Register `model` as holding data about people. A bare string is a subject reach.

    Raises ValueError when the model is registered twice or has no reach.
    """
    if model._meta.label in _REGISTRY:
        raise ValueError(f"{model._meta.label} is registered in the data map twice")
    if not reaches:
        raise ValueError(f"{model._meta.label}: say how its rows reach a person")
    holding = Holding(
        model=model,
        reaches=tuple(Reach(r) if isinstance(r, str) else r for r in reaches),
        erasure=erasure,
        label=label,
        date_field=date_field,
        fact_kind=fact_kind,
        derived_fields=tuple(derived_fields),
        derived_from=tuple(derived_from),
        files=files,
        says=says,
        words=tuple((words or {}).items()),
        involvement=involvement,
        delete_rows=delete_rows,
    )
    _REGISTRY[holding.name] = holding
    return holding


def unregister(model: type[models.Model]) -> None:
    """Forget a model (for tests that register a throwaway model)."""
    _REGISTRY.pop(model._meta.label, None)


def holdings() -> list[Holding]:
    """Every registered holding, in the order the apps registered them."""
    return list(_REGISTRY.values())


def holding_for(model: type[models.Model]) -> Holding:
    """The holding of `model`. Raises LookupError when it is not registered."""
    try:
        return _REGISTRY[model._meta.label]
    except KeyError:
        raise LookupError(f"{model._meta.label} is not in the data map") from None


def categories_of(*shown: type[models.Model]) -> list[str]:
    """The policy categories a page shows when it shows rows of `shown`: sorted, unique.

    This is what each page's audit event records, so it follows the models and not a list
    typed into the view. Raises LookupError for a model not in the data map.
    """
    found: set[str] = set()
    for model in shown:
        found.update(holding_for(model).categories.values())
    return sorted(found)


def fact_models() -> dict[str, type[models.Model]]:
    """URL slug -> model of each kind of fact a practitioner records, in registration order."""
    return {h.fact_kind: h.model for h in holdings() if h.fact_kind}


def person_keys() -> list[tuple[type[models.Model], models.ForeignKey]]:
    """Every (model, foreign key to Person) a person's rows hang from, for merging.

    Direct reaches only: a row reached through another (a plan through its case) follows
    that row. A plain many-to-many reach is the automatic through table's key; one with its
    own through model is that model's holding. Person's own keys (merged_into) and the
    merge records themselves are not moved.
    """
    person = apps.get_model(PERSON)
    found: dict[tuple[str, str], tuple[type[models.Model], models.ForeignKey]] = {}
    for holding in holdings():
        for reach in holding.reaches:
            if reach.query is not None or not reach.lookup or "__" in reach.lookup:
                continue
            model_field = holding.model._meta.get_field(reach.lookup)
            if model_field.related_model is not person:
                continue
            if model_field.many_to_many:
                through = model_field.remote_field.through
                if not through._meta.auto_created:
                    continue
                key = through._meta.get_field(model_field.m2m_reverse_field_name())
                found[(through._meta.label, key.name)] = (through, key)
            else:
                found[(holding.name, model_field.name)] = (holding.model, model_field)
    return [found[label] for label in sorted(found)]


def entries_about(holding: Holding, people: Sequence[Any]) -> Iterator[tuple[Entry, models.Model]]:
    """(Entry, row) for each row of `holding` reached from any of `people` (one person's
    records: the kept one and those merged into it), in id order, each marked SUBJECT or
    MENTIONED; related rows are fetched in a few queries, not one per row. A holding
    wholly derived from others (`derived_from`) lists nothing: its sources say it all."""
    if holding.derived_from:
        return
    joins, prefetch = holding.related_for_display()
    rows = holding.rows_about(people).select_related(*joins).prefetch_related(*prefetch)
    subject_ids = set(holding.rows_about(people, Role.SUBJECT).values_list("pk", flat=True))
    for row in rows.order_by("pk"):
        role = Role.SUBJECT if row.pk in subject_ids else Role.MENTIONED
        yield holding.entry(row, role), row


# --- completeness: the registry test and `policy check` ask these --------------------------


def reach_problems(holding: Holding) -> list[str]:
    """Why a holding's reaches do not lead to Person (empty when they all do)."""
    person = apps.get_model(PERSON)
    problems = []
    for reach in holding.reaches:
        if reach.query is not None:
            continue
        if not reach.lookup:
            if holding.model is not person:
                problems.append(f"{holding.name}: only Person itself can be reached as itself")
            continue
        model = holding.model
        for part in reach.lookup.split("__"):
            try:
                model_field = model._meta.get_field(part)
            except FieldDoesNotExist:
                problems.append(
                    f"{holding.name}: reach '{reach.lookup}' has no field '{part}' on "
                    f"{model._meta.label}"
                )
                break
            if not model_field.is_relation:
                problems.append(f"{holding.name}: reach '{reach.lookup}': '{part}' is not a link")
                break
            model = model_field.related_model
        else:
            if model is not person:
                problems.append(
                    f"{holding.name}: reach '{reach.lookup}' ends at "
                    f"{model._meta.label}, not Person"
                )
    return problems


def models_needing_registration(model_list: Iterable[type[models.Model]]) -> list[str]:
    """Models that hold personal data but are not registered, with why each needs to be.

    A model must be registered when any of its fields has a data category, or when a chain
    of its links (foreign keys, one-to-one, many-to-many) leads to Person.
    """
    missing = []
    for model in model_list:
        if model._meta.label in _REGISTRY:
            continue
        if any(name not in STRUCTURAL_FIELDS for name in _classified(model)):
            missing.append(f"{model._meta.label}: has fields with a data category")
        elif _links_to_person(model, set()):
            missing.append(f"{model._meta.label}: its links lead to a person")
    return missing


def _classified(model: type[models.Model]) -> list[str]:
    return [f.name for f in declared_fields(model) if category_of(model, f.name)]


def _links_to_person(model: type[models.Model], seen: set[str]) -> bool:
    label = model._meta.label
    if label == PERSON:
        return True
    if label in seen:
        return False
    seen.add(label)
    for model_field in model._meta.get_fields():
        if (
            not (model_field.is_relation and model_field.concrete)
            or model_field.related_model is None
        ):
            continue
        if model_field.name in STRUCTURAL_FIELDS:
            continue  # who recorded it: staff, not a family
        if _links_to_person(model_field.related_model, seen):
            return True
    return False


# --- rendering ------------------------------------------------------------------------------


@cache
def _shown_fields(holding: Holding, about_them: bool) -> list[tuple[models.Field, str, str]]:
    """(field, label, category) of what a holding's rows show, worked out once per holding.

    The source (shown on its own) and derived copies (search keys, file hashes) say nothing
    to a reader; nor, on a row about them, does the link to the person.
    """
    categories = holding.categories
    hidden = {*holding.derived_fields, "source", *(holding.subject_keys() if about_them else ())}
    return [
        (f, capfirst(str(getattr(f, "verbose_name", f.name))), categories[f.name])
        for f in declared_fields(holding.model)
        if f.name in categories and f.name not in hidden
    ]


@cache
def _recorder_field(model: type[models.Model]) -> str:
    return next((name for name in RECORDER_FIELDS if _has_field(model, name)), "")


def _has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


# A value that only links to other records by id ("assessment 3fedcd24-..., plan 9a..."):
# what a linked record with no words of its own reads as (its __str__). A code, not
# information: a page, a bundle or a package leaves it out. Text that mentions an id keeps it.
_ID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
RECORD_LINKS = re.compile(rf"[A-Za-z][A-Za-z ]* {_ID}(?:, [A-Za-z][A-Za-z ]* {_ID})*")
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def is_record_link(value: str) -> bool:
    """Whether an entry's value is only links to other records by their ids."""
    return bool(RECORD_LINKS.fullmatch(value))


def value_words(value: str) -> str:
    """An entry's value as a person reads it: a date ("2021-10-15", as the data map gives
    dates) in words ("15 October 2021"); any other value as it is."""
    if ISO_DAY.fullmatch(value):
        try:
            return format_day(date.fromisoformat(value))
        except ValueError:
            return value
    return value


def _words(row: models.Model, model_field: models.Field) -> str:
    if model_field.many_to_many:
        return ", ".join(sorted(str(item) for item in getattr(row, model_field.name).all()))
    if model_field.choices:
        value = getattr(row, f"get_{model_field.name}_display")()
    else:
        value = getattr(row, model_field.name)
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, models.Model):
        # A linked record in words: a person by name, a case or household as it reads.
        reads_as = getattr(value, "reads_as", None)
        return getattr(value, "full_name", None) or (reads_as() if reads_as else str(value))
    return str(value)


def _date_of(row: models.Model, date_field: str) -> date | None:
    for name in (date_field,) if date_field else DATE_FIELDS:
        value = row
        for part in name.split("__"):  # "session__held_on": the date of the row's session
            value = getattr(value, part, None)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
    return None


def _source_of(row: models.Model) -> str:
    if not hasattr(row, "source"):
        return ""
    display = getattr(row, "get_source_display", None)
    return str(display() if display else row.source)
