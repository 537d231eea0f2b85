"""Corrections: a contact note, a fact, an address or a relationship entered wrongly is
corrected or struck out, with a reason, by its author or a team manager of a team holding
the record. Nothing is silently overwritten: each change keeps the version before it in a
cases.Correction row (what the record said, what it says now, why, who, when).

A struck-out record is not deleted: it stays on the pages that list it, marked "Struck
out: <reason>", and is left out of counts (`struck_out_pks`, used by the work lists' last
contact). A struck-out record cannot be changed again.

What rectification (a later issue) can build on: every version of a record is its
Correction rows in order (`history`); the first row's `before` is the record as first
entered. The information governance officer reads them on the person's corrections page.

Each write here and its audit event ("change", record_type the record's kind: "contact",
"fact", "address", "relationship"; record_id the public id of the contact, or of the
person the record is about) are one transaction; a refusal (ValueError, "field: rule")
writes neither.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import models, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.access.roles import Role
from earlyhelp.access.rules import is_restricted_from
from earlyhelp.audit.log import record as audit_record
from earlyhelp.cases.models import Case, CaseMember, Contact, Correction
from earlyhelp.datamap.registry import categories_of
from earlyhelp.lib.plausible import format_day
from earlyhelp.people.composition import relationship_error
from earlyhelp.people.facts import FACT_MODELS
from earlyhelp.people.models import Address, HouseholdMember, Person, PersonAddress, Relationship
from earlyhelp.rights.processing import refuse_if_restricted

REASON_LIMIT = 2000
# The fields a correction may change, by kind of record (a fact's are its form's).
CONTACT_FIELDS = ("kind", "occurred_at", "note")
ADDRESS_FIELDS = ("line_1", "line_2", "town", "postcode")  # of the Address
ADDRESS_DATES = ("moved_in", "moved_out")  # of the PersonAddress
RELATIONSHIP_FIELDS = ("kind", "has_parental_responsibility")


@dataclass(frozen=True)
class Kind:
    """What kind of record `record` is, for the audit and the pages."""

    name: str  # "contact", "fact", "address", "relationship"
    subject: Person | None  # whom it is about (None for a contact: its case's)
    case: Case | None


def kind_of(record: models.Model) -> Kind:
    if isinstance(record, Contact):
        return Kind("contact", None, record.case)
    if isinstance(record, PersonAddress):
        return Kind("address", record.person, None)
    if isinstance(record, Relationship):
        return Kind("relationship", record.person, None)
    if type(record) in FACT_MODELS.values():
        return Kind("fact", record.person, None)
    raise ValueError(f"record: a {type(record).__name__} is not corrected here")


def record_models(record: models.Model) -> tuple[type[models.Model], ...]:
    """The models whose data a correction of `record` holds."""
    if isinstance(record, PersonAddress):
        return (PersonAddress, Address)
    return (type(record),)


def described(record: models.Model) -> str:
    """The record as it stands, in words, so a page says which one it corrects: "Paul Cooper,
    parent of Jamie Cooper (has parental responsibility)", "Home visit on 5 November 2026"."""
    if isinstance(record, Contact):
        day = timezone.localtime(record.occurred_at).date()
        return f"{record.get_kind_display()} on {format_day(day)}"
    if isinstance(record, PersonAddress):
        since = f", from {format_day(record.moved_in)}" if record.moved_in else ""
        return f"{record.address}{since}"
    if isinstance(record, Relationship):
        responsibility = (
            " (has parental responsibility)" if record.has_parental_responsibility else ""
        )
        return (
            f"{record.person.full_name}, {record.get_kind_display().lower()} of "
            f"{record.relative.full_name}{responsibility}"
        )
    return str(type(record)._meta.verbose_name).capitalize()


def _value(value) -> object:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def fields_of(record: models.Model) -> list[str]:
    """The fields a correction of `record` may change."""
    if isinstance(record, Contact):
        return list(CONTACT_FIELDS)
    if isinstance(record, PersonAddress):
        return [*ADDRESS_FIELDS, *ADDRESS_DATES]
    if isinstance(record, Relationship):
        return list(RELATIONSHIP_FIELDS)
    return [
        f.name
        for f in record._meta.concrete_fields
        if f.editable
        and not f.primary_key
        and f.name not in {"person", "recorded_by", "recorded_at"}
    ]


def current_values(record: models.Model) -> dict[str, object]:
    """What the record says now, field by field (an address's lines are its Address's)."""
    values = {}
    for name in fields_of(record):
        holder = record.address if name in ADDRESS_FIELDS else record
        values[name] = getattr(holder, name)
    return values


def _json(values: dict) -> str:
    return json.dumps({k: _value(v) for k, v in values.items()}, sort_keys=True)


def teams_holding(record: models.Model) -> models.QuerySet:
    """The cases whose team holds the record: a contact's case; for a person's record,
    every case with them (for a relationship, either of the two) on it or on the household
    they live in now."""
    kind = kind_of(record)
    if kind.case is not None:
        return Case.objects.filter(pk=kind.case.pk)
    # A relationship is both people's: a team holding either holds it.
    people = (
        [record.person_id, record.relative_id]
        if isinstance(record, Relationship)
        else [kind.subject.pk]
    )
    households = HouseholdMember.objects.current().filter(person__in=people).values("household_id")
    on_cases = CaseMember.objects.filter(person__in=people).values("case_id")
    return Case.objects.filter(Q(pk__in=on_cases) | Q(household__in=households))


def author_of(record: models.Model) -> User | None:
    return getattr(record, "author", None) if isinstance(record, Contact) else record.recorded_by


def in_scope_of(rights_request, record: models.Model) -> bool:
    """Whether `record` is about a person matched to `rights_request` (a contact: someone on
    its case), the request is open and it asks for rectification."""
    if rights_request is None or not rights_request.is_open:
        return False
    if "rectification" not in (rights_request.rights_asked or []):
        return False
    in_scope = rights_request.people.values("person_id")
    if isinstance(record, Contact):
        return CaseMember.objects.filter(case=record.case, person__in=in_scope).exists()
    if isinstance(record, Relationship):
        people = [record.person_id, record.relative_id]
    else:
        people = [kind_of(record).subject.pk]
    return rights_request.people.filter(person__in=people).exists()


def may_correct(user: User, record: models.Model, *, rights_request=None) -> bool:
    """Its author, or a team manager of a team holding the record; never a record about
    someone restricted from the user (a relationship is both people's). On an open rights
    request asking for rectification (`rights_request`, a rights.RightsRequest), also the
    information governance officer, for a record about a person matched to it."""
    people = (
        [record.person, record.relative]
        if isinstance(record, Relationship)
        else [kind_of(record).subject]
    )
    if any(p is not None and is_restricted_from(user, p) for p in people):
        return False
    if user.has_role(Role.INFORMATION_GOVERNANCE) and in_scope_of(rights_request, record):
        return True
    author = author_of(record)
    if author is not None and author.pk == user.pk:
        return True
    return (
        user.has_role(Role.TEAM_MANAGER)
        and teams_holding(record).filter(team__members=user).exists()
    )


def struck_out(record: models.Model) -> Correction | None:
    """The strike-out of the record, if it was struck out."""
    return Correction.objects.filter(
        record_label=record._meta.label,
        record_pk=record.pk,
        action=Correction.Action.STRUCK_OUT,
    ).first()


def struck_out_pks(model: type[models.Model]) -> models.QuerySet:
    """The keys of `model`'s struck-out rows, for a query to leave them out of counts."""
    return Correction.objects.filter(
        record_label=model._meta.label, action=Correction.Action.STRUCK_OUT
    ).values("record_pk")


def corrected_pks(model: type[models.Model], pks) -> set[int]:
    """Of `pks`, the keys of `model`'s rows corrected at least once, in one query: a page
    marks them, and the IG officer reads each earlier version (`history`)."""
    return set(
        Correction.objects.filter(
            record_label=model._meta.label,
            record_pk__in=list(pks),
            action=Correction.Action.CORRECTED,
        ).values_list("record_pk", flat=True)
    )


def struck_out_reasons(model: type[models.Model], pks) -> dict[int, str]:
    """{pk: reason} of the struck-out rows among `pks`, in one query."""
    return dict(
        Correction.objects.filter(
            record_label=model._meta.label,
            record_pk__in=list(pks),
            action=Correction.Action.STRUCK_OUT,
        ).values_list("record_pk", "reason")
    )


def history(record: models.Model) -> models.QuerySet:
    """The record's corrections, oldest first: every earlier version of it."""
    return Correction.objects.filter(record_label=record._meta.label, record_pk=record.pk).order_by(
        "corrected_at", "pk"
    )


def _check(user: User, record: models.Model, reason: str, rights_request=None) -> None:
    if isinstance(record, Relationship):
        refuse_if_restricted(record.person, record.relative)
    else:
        refuse_if_restricted(kind_of(record).subject)
    if not may_correct(user, record, rights_request=rights_request):
        raise ValueError(
            "record: only the person who recorded it, or a team manager of a team holding "
            "it, may correct it or strike it out"
        )
    earlier = struck_out(record)
    if earlier is not None:
        raise ValueError(
            f"record: struck out on {format_day(earlier.corrected_at.date())}; "
            "it can no longer be changed"
        )
    if not reason.strip():
        raise ValueError("reason: enter why it is being corrected or struck out")
    if len(reason) > REASON_LIMIT:
        raise ValueError(f"reason: a reason is at most {REASON_LIMIT:,} characters")


def _event(
    request: HttpRequest, record: models.Model, written: Correction, rights_request=None
) -> None:
    kind = kind_of(record)
    if kind.case is not None:
        record_id = str(record.public_id)
        details = {"case": str(kind.case.public_id)}
    else:
        record_id = str(kind.subject.public_id)
        details = {"record": record._meta.label}
    audit_record(
        request,
        action="change",
        record_type=kind.name,
        record_id=record_id,
        categories=categories_of(Correction, *record_models(record)),
        details={
            **details,
            "correction": str(written.public_id),
            "action": written.action,
            **({"rights_request": str(rights_request.public_id)} if rights_request else {}),
        },
    )


def _correction(
    request: HttpRequest,
    record: models.Model,
    action: str,
    before: dict,
    after: dict,
    reason,
    rights_request=None,
) -> Correction:
    kind = kind_of(record)
    written = Correction.objects.create(
        record_label=record._meta.label,
        record_pk=record.pk,
        person=kind.subject,
        case=kind.case,
        action=action,
        before=_json(before),
        after=_json(after) if after else "",
        reason=reason,
        corrected_by=request.user,
    )
    _event(request, record, written, rights_request)
    return written


def on_day(when: datetime, day: date) -> datetime:
    """`when` moved to `day` at the same local time: a contact's date corrected keeps the
    time it was recorded at."""
    local = timezone.localtime(when)
    return timezone.make_aware(datetime.combine(day, local.time().replace(tzinfo=None)))


def contact_time_error(case: Case, when: datetime, present: Iterable[Person] = ()) -> str:
    """Why a contact on `case` cannot have happened at `when`, as "occurred_at: ...", or "":
    not after today, not before the case opened, not after a closed case closed, not before
    the birth of anyone `present`."""
    day = timezone.localdate(when)
    born = [p for p in present if p.date_of_birth is not None and p.date_of_birth > day]
    if born:
        first = min(born, key=lambda p: p.date_of_birth)
        return (
            f"occurred_at: {first.full_name} was there, and was born on "
            f"{format_day(first.date_of_birth)}, after this date"
        )
    if day > timezone.localdate():
        return "occurred_at: a contact is recorded once it has happened, not before"
    if day < case.started:
        return f"occurred_at: the case opened on {format_day(case.started)}, after this date"
    if case.ended is not None and day > case.ended:
        return (
            f"occurred_at: the case closed on {format_day(case.ended)}; a contact after that "
            f"is recorded once the case is reopened"
        )
    return ""


def _own_address(lived: PersonAddress) -> None:
    """Give `lived` an Address row of its own if anyone else's record points at its row.

    An address row is shared by everyone recorded at it and by the household living there:
    one person's address entered wrongly is corrected for them alone, never silently
    changed under their family's records (which a correction of theirs may follow).
    """
    address = lived.address
    shared = (
        PersonAddress.objects.filter(address=address).exclude(pk=lived.pk).exists()
        or address.households.exists()
    )
    if shared:
        lived.address = Address.objects.create(
            **{name: getattr(address, name) for name in ADDRESS_FIELDS}
        )
        lived.save(update_fields=["address"])


@transaction.atomic
def correct(
    request: HttpRequest,
    record: models.Model,
    changes: dict[str, object],
    reason: str,
    *,
    rights_request=None,
) -> Correction:
    """Change `record`'s fields to `changes`, keeping what it said before.

    Raises ValueError, with nothing written: "record:" not its author or a manager of a
    team holding it, or struck out already; "reason:" empty or too long; "changes:" no
    field changed, or one that is not the record's to correct; "person:" (ProcessingRestricted)
    while the person's data is restricted from processing. `rights_request`: the open
    rights request asking for rectification that the information governance officer
    corrects it on (see `may_correct`).
    """
    _check(request.user, record, reason, rights_request)
    allowed = fields_of(record)
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise ValueError(f"changes: {', '.join(unknown)} cannot be corrected here")
    before = current_values(record)
    changed = {k: v for k, v in changes.items() if before[k] != v}
    if not changed:
        raise ValueError("changes: nothing was changed; change an answer, or strike it out")
    if isinstance(record, Contact) and "occurred_at" in changed:
        present = record.people_present.all()
        problem = contact_time_error(record.case, changed["occurred_at"], present)
        if problem:
            raise ValueError(problem)
    if isinstance(record, Relationship) and "kind" in changed:
        # The rules of recording one: no parent born after their child, no second copy.
        problem = relationship_error(
            record.person, record.relative, changed["kind"], other_than=record
        )
        if problem:
            raise ValueError(problem)
    address_fields = [n for n in changed if n in ADDRESS_FIELDS]
    if address_fields:
        _own_address(record)
    for name, value in changed.items():
        setattr(record.address if name in ADDRESS_FIELDS else record, name, value)
    if address_fields:
        record.address.save(update_fields=address_fields)
    own_fields = [n for n in changed if n not in ADDRESS_FIELDS]
    if own_fields:
        record.save(update_fields=own_fields)
    return _correction(
        request,
        record,
        Correction.Action.CORRECTED,
        {k: before[k] for k in changed},
        changed,
        reason,
        rights_request,
    )


@transaction.atomic
def strike_out(
    request: HttpRequest, record: models.Model, reason: str, *, rights_request=None
) -> Correction:
    """Strike `record` out: it stays, marked with the reason, and is left out of counts.

    Raises ValueError as `correct` does ("record:", "reason:", "person:"), with nothing
    written.
    """
    _check(request.user, record, reason, rights_request)
    return _correction(
        request,
        record,
        Correction.Action.STRUCK_OUT,
        current_values(record),
        {},
        reason,
        rights_request,
    )
