"""`earlyhelp extract PROJECT`: the project's cohort from the case records, pseudonymised."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl
from django.db.models import Model, Q, QuerySet

from earlyhelp.cases.models import Case, CaseMember
from earlyhelp.datamap.registry import holding_for
from earlyhelp.extracts.engine import problems, rules_for_fields, transform
from earlyhelp.extracts.models import Extract, Objection
from earlyhelp.extracts.output import all_or_nothing
from earlyhelp.extracts.projects import (
    Approved,
    ExtractRefused,
    approve,
    manifest,
    record_extract,
)
from earlyhelp.people.models import Address, Person, PersonAddress
from earlyhelp.policy.decisions import add_period
from earlyhelp.policy.schema import Project
from earlyhelp.rights.processing import restricted_people

BATCH = 20_000


def cohort(project: Project, on_date: date) -> QuerySet[Person]:
    """Everyone the project's cohort takes from the cases, objections not yet applied."""
    rule = project.cohort
    cases = Case.objects.filter(started__lte=on_date)
    if rule.services:
        cases = cases.filter(service__in=rule.services)
    if rule.assessment_kinds:
        cases = cases.filter(
            assessments__kind__in=rule.assessment_kinds, assessments__started__lte=on_date
        )
    if rule.open_within is not None:
        # The earliest day `open_within` before the extract date: add it back to reach it.
        since = on_date - (add_period(on_date, rule.open_within) - on_date)
        cases = cases.filter(Q(ended__isnull=True) | Q(ended__gte=since))
    members = CaseMember.objects.filter(case__in=cases, role__in=rule.case_roles)
    return Person.objects.filter(id__in=members.values("person_id"), merged_into__isnull=True)


def objected(project: Project, on_date: date) -> QuerySet[Objection]:
    return Objection.objects.in_force(project.id, on_date)


def _values(queryset: QuerySet, *fields: str) -> dict[str, list]:
    columns: dict[str, list] = {f: [] for f in fields}
    appends = [columns[f].append for f in fields]
    for row in queryset.values_list(*fields).iterator(chunk_size=BATCH):
        for append, value in zip(appends, row, strict=True):
            append(value)
    return columns


def _postcodes(people: QuerySet[Person], on_date: date) -> pl.DataFrame:
    """Each person's postcode on `on_date`: the latest address they had moved into."""
    # An address with no move-in date (the form allows "not known") still counts; a dated
    # one is preferred, as empty dates sort first.
    lived = PersonAddress.objects.filter(
        Q(moved_in__isnull=True) | Q(moved_in__lte=on_date),
        Q(moved_out__isnull=True) | Q(moved_out__gt=on_date),
        person__in=people,
    )
    rows = _values(lived, "person_id", "address__postcode", "moved_in")
    return (
        pl.DataFrame(
            rows,
            schema={"person_id": pl.Int64, "address__postcode": pl.String, "moved_in": pl.Date},
        )
        .sort("moved_in")
        .group_by("person_id")
        .last()
        .select("person_id", pl.col("address__postcode").alias("postcode"))
    )


@dataclass(frozen=True)
class Source:
    """A project field's column in the case records, and where the data map holds it."""

    person_fields: tuple[str, ...]
    column: Callable[[], pl.Expr]
    # (model, field) in the data map each value is read from.
    held_in: tuple[tuple[type[Model], str], ...]

    def categories(self) -> set[str]:
        """The policy categories the data map gives the fields read (none for a record id)."""
        found = set()
        for model, name in self.held_in:
            category = holding_for(model).categories.get(name)
            if category:
                found.add(category)
        return found


# The project fields the case records can supply. A project naming another field can still
# pseudonymise a file that has it, but not extract from here.
SOURCES = {
    "person-reference": Source(
        ("public_id",), lambda: pl.col("public_id"), ((Person, "public_id"),)
    ),
    "name": Source(
        ("given_name", "family_name"),
        lambda: pl.concat_str("given_name", "family_name", separator=" "),
        ((Person, "given_name"), (Person, "family_name")),
    ),
    "date-of-birth": Source(
        ("date_of_birth",), lambda: pl.col("date_of_birth"), ((Person, "date_of_birth"),)
    ),
    "postcode": Source((), lambda: pl.col("postcode"), ((Address, "postcode"),)),
}


def _misfiled(project: Project) -> list[str]:
    """Fields the project files under a category other than the one the data map holds them
    in: the agreement would then not cover what really leaves."""
    found = []
    for f in project.fields:
        held = SOURCES[f.name].categories() if f.name in SOURCES else set()
        if f.rule != "drop" and held and f.category not in held:
            found.append(
                f"'{f.name}' is listed under category '{f.category}', but the case records "
                f"hold it as {', '.join(sorted(held))}"
            )
    return found


def cohort_frame(approved: Approved) -> tuple[pl.DataFrame, int]:
    """One row per person in the cohort, a column per field that leaves; and how many
    objections left people out. People restricted from processing are never in it."""
    project, on_date = approved.project, approved.on_date
    leaving = [f for f in project.fields if f.rule != "drop"]
    unknown = [f.name for f in leaving if f.name not in SOURCES]
    if unknown:
        raise ExtractRefused(
            f"project '{project.id}': the case records hold no field {', '.join(unknown)} "
            f"(they hold {', '.join(SOURCES)})"
        )
    misfiled = _misfiled(project)
    if misfiled:
        raise ExtractRefused(f"project '{project.id}': {'; '.join(misfiled)}")
    # Anyone whose data is restricted from processing (UK GDPR Article 18) never leaves,
    # whatever the project says about objections.
    people = cohort(project, on_date).exclude(id__in=restricted_people())
    left_out = 0
    if project.objection_honoured:
        objecting = objected(project, on_date).values("person_id")
        left_out = people.filter(id__in=objecting).count()
        people = people.exclude(id__in=objecting)
    wanted = sorted({name for f in leaving for name in SOURCES[f.name].person_fields})
    rows = _values(people.order_by("id"), "id", *wanted)
    if "public_id" in rows:
        # Hex without hyphens: the same text from SQLite and PostgreSQL.
        rows["public_id"] = [u.hex for u in rows["public_id"]]
    frame = pl.DataFrame(rows, schema={"id": pl.Int64, **_schema(wanted)})
    if any(f.name == "postcode" for f in leaving):
        frame = frame.join(
            _postcodes(people, on_date), left_on="id", right_on="person_id", how="left"
        )
    return frame.select(SOURCES[f.name].column().alias(f.name) for f in leaving), left_out


def _schema(person_fields: list[str]) -> dict[str, pl.DataType]:
    return {f: pl.Date if f == "date_of_birth" else pl.String for f in person_fields}


def extract_from_records(
    project_id: str, out_dir: Path, on_date: date | None = None, user=None
) -> Extract:
    """Write the project's extract as CSV and Parquet with a manifest, and record it."""
    on_date = on_date or date.today()
    approved = approve(project_id, on_date)
    frame, left_out = cohort_frame(approved)
    columns = rules_for_fields(approved.project.fields)
    # Records are checked as they are typed; a value that still cannot be read leaves
    # empty, and the manifest counts them (never which person).
    unreadable = {
        p.column: p.count for p in problems(frame.lazy(), columns, on_date=on_date, rows_shown=0)
    }
    out = transform(frame.lazy(), columns, key=approved.key, on_date=on_date).collect()
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{approved.project.id}-{on_date.isoformat()}"
    with all_or_nothing() as files:
        written = [
            files.frame(out.lazy(), out_dir / f"{stem}.csv"),
            files.frame(out.lazy(), out_dir / f"{stem}.parquet"),
        ]
        document = manifest(
            approved,
            mode=Extract.Mode.DATABASE,
            columns=columns,
            files=written,
            rows=out.height,
            extra={"values_left_empty": unreadable},
        )
        files.json(document, out_dir / f"{stem}-manifest.json")
        extract = record_extract(
            approved,
            mode=Extract.Mode.DATABASE,
            document=document,
            left_out_by_objection=left_out,
            user=user,
        )
    return extract
