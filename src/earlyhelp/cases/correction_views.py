"""Pages for corrections (cases.corrections): correct or strike out a contact note, a fact,
an address or a relationship, with a reason; and the information governance officer's
list of a person's corrections, with the versions before and after.

The correcting pages are open to casework staff who may change the case or person (its
guard; refused under break-glass); the service then allows only the record's author or a
team manager of a team holding it. The URLs carry public ids, a kind of record and its
place among the person's records of that kind, never personal data.
"""

import json

from django import forms
from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from earlyhelp.access.decorators import role_required
from earlyhelp.access.guards import (
    audit_look,
    audit_others_shown,
    audit_people_shown,
    refused,
    with_case_to_change,
    with_person_to_change,
)
from earlyhelp.access.roles import CASEWORK, Role
from earlyhelp.access.rules import is_restricted_from, may_see_sensitive, person_access
from earlyhelp.audit.log import record as audit_record
from earlyhelp.cases import corrections
from earlyhelp.cases.choices import ContactKind
from earlyhelp.cases.models import Case, Contact, Correction
from earlyhelp.datamap.registry import categories_of
from earlyhelp.lib.plausible import event_date_error, period_error
from earlyhelp.people.facts import FACT_MODELS, fact_form_class
from earlyhelp.people.forms import clean_postcode, say_limits
from earlyhelp.people.models import Address, Person, PersonAddress, Relationship
from earlyhelp.people.views import SENSITIVE_KINDS
from earlyhelp.policy.active import active_policy
from earlyhelp.web.forms import DateField
from earlyhelp.web.once import submitted_once

CORRECT, STRIKE = "correct", "strike"


class CorrectionForm(forms.Form):
    action = forms.ChoiceField(
        label="What do you want to do?",
        choices=[
            (CORRECT, "Correct it: change the answers below"),
            (STRIKE, "Strike it out: it was recorded in error"),
        ],
        error_messages={"required": "Select whether to correct it or strike it out"},
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Why it was wrong. The version before is kept.",
        max_length=corrections.REASON_LIMIT,
        error_messages={"required": "Enter why it is being corrected or struck out"},
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say_limits(self)


class ContactFields(forms.Form):
    kind = forms.ChoiceField(label="Type of contact", choices=ContactKind.choices)
    # The day only: the time recorded stays (corrections.on_day).
    occurred_at = DateField(
        label="Date", label_lower="date of the contact", past_only=True, required=True
    )
    note = forms.CharField(
        label="Note",
        max_length=20000,
        error_messages={"required": "Enter a note of the contact"},
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class RelationshipFields(forms.Form):
    kind = forms.ChoiceField(label="Relationship", choices=Relationship.Kind.choices)
    has_parental_responsibility = forms.TypedChoiceField(
        label="Parental responsibility",
        choices=[("True", "Yes"), ("False", "No")],
        coerce=lambda value: value == "True",
    )


class AddressFields(forms.Form):
    line_1 = forms.CharField(
        label="Address line 1",
        max_length=200,
        error_messages={"required": "Enter address line 1"},
    )
    line_2 = forms.CharField(label="Address line 2 (optional)", max_length=200, required=False)
    town = forms.CharField(
        label="Town or city", max_length=100, error_messages={"required": "Enter the town or city"}
    )
    postcode = forms.CharField(
        label="Postcode", max_length=8, error_messages={"required": "Enter the postcode"}
    )
    moved_in = DateField(
        label="Date they moved in", label_lower="date they moved in", required=False
    )
    moved_out = DateField(
        label="Date they moved out", label_lower="date they moved out", required=False
    )

    def clean_postcode(self) -> str:
        return clean_postcode(self.cleaned_data["postcode"])

    def clean(self):
        """Dates in the past, and moving out never before moving in."""
        data = super().clean()
        for name, words in (
            ("moved_in", "Date they moved in"),
            ("moved_out", "Date they moved out"),
        ):
            message = event_date_error(data.get(name), field=words, today=timezone.localdate())
            if message:
                self.add_error(name, message)
        if not self.has_error("moved_out"):
            message = period_error(
                data.get("moved_in"),
                data.get("moved_out"),
                start_field="date they moved in",
                end_field="Date they moved out",
            )
            if message:
                self.add_error("moved_out", message)
        return data


def _fields_form(record, data, person: Person | None):
    """The form for the record's answers, filled with what it says now."""
    initial = corrections.current_values(record)
    if isinstance(record, Contact):
        initial["occurred_at"] = timezone.localtime(record.occurred_at).date()
        return ContactFields(data, initial=initial, prefix="record")
    if isinstance(record, Relationship):
        initial["has_parental_responsibility"] = str(initial["has_parental_responsibility"])
        return RelationshipFields(data, initial=initial, prefix="record")
    if isinstance(record, PersonAddress):
        return AddressFields(data, initial=initial, prefix="record")
    form = fact_form_class(type(record))(
        data, initial=model_to_dict(record), person=person, prefix="record"
    )
    return form


def _handle(request: HttpRequest, record, person: Person | None, done: str) -> HttpResponse:
    """The correction page for `record`: `done` is where to go once it is saved."""
    data = request.POST if request.method == "POST" else None
    form = CorrectionForm(data)
    fields = _fields_form(record, data, person)
    struck = corrections.struck_out(record)
    allowed = corrections.may_correct(request.user, record)
    if request.method == "POST" and not allowed:
        # Only its author or a manager of a team holding it: nothing is written.
        raise PermissionDenied
    if request.method == "POST" and struck is None and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if form.cleaned_data["action"] == STRIKE:
                corrections.strike_out(request, record, reason)
            elif fields.is_valid():
                changes = {
                    name: fields.cleaned_data[name]
                    for name in corrections.fields_of(record)
                    if name in fields.cleaned_data
                }
                if isinstance(record, Contact):
                    changes["occurred_at"] = corrections.on_day(
                        record.occurred_at, changes["occurred_at"]
                    )
                corrections.correct(request, record, changes, reason)
            else:
                raise ValueError("")  # the answers' own errors are on their fields
        except ValueError as problem:
            field, _, words = str(problem).partition(": ")
            if words and field in fields.fields:
                # A rule about one answer (a contact's date): said beside it.
                fields.add_error(field, words[:1].upper() + words[1:])
            elif words:
                # The service's words follow a field name; on the page they are a sentence.
                sentence = words[:1].upper() + words[1:]
                form.add_error("reason" if field == "reason" else None, sentence)
        else:
            messages.success(request, "Saved. The version before is kept.")
            return redirect(done)
    context = {
        "record": record,
        "person": person,
        "form": form,
        "fields": fields,
        "struck": struck,
        "allowed": allowed,
        "done": done,
        "what": corrections.kind_of(record).name,
        "described": corrections.described(record),
    }
    return render(request, "cases/correct_record.html", context)


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_case_to_change
@submitted_once
def correct_contact(request: HttpRequest, case: Case, contact_id) -> HttpResponse:
    """Correct or strike out a contact of the case."""
    contact = get_object_or_404(Contact, case=case, public_id=contact_id)
    access = request.record_access
    shown = categories_of(Case, Contact)
    audit_look(request, access, "case", case.public_id, shown, page="correct_contact")
    people = Person.objects.filter(case_memberships__case=case).distinct()
    audit_people_shown(request, access, people, shown, "correct_contact")
    return _handle(request, contact, None, reverse("cases:case", args=[case.public_id]))


def person_record(person: Person, kind: str, number: int):
    """The person's record of `kind` at place `number` (from 1, in the order made); 404."""
    if kind == "address":
        rows = PersonAddress.objects.filter(person=person).select_related("address")
    elif kind == "relationship":
        rows = Relationship.objects.filter(Q(person=person) | Q(relative=person))
    elif kind in FACT_MODELS:
        rows = FACT_MODELS[kind].objects.filter(person=person)
    else:
        raise Http404
    # A number beyond the rows is not found (a huge one would overflow the database's offset).
    found = list(rows.order_by("pk")[number - 1 : number]) if 1 <= number <= rows.count() else []
    if not found:
        raise Http404
    return found[0]


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_person_to_change
@submitted_once
def correct_person_record(
    request: HttpRequest, person: Person, record_kind: str, number: int
) -> HttpResponse:
    """Correct or strike out one of the person's facts, addresses or relationships.

    Special category and criminal offence facts are corrected by those who may see them.
    """
    found = person_record(person, record_kind, number)
    kinds = {c.id: c.kind for c in active_policy().categories}
    models = corrections.record_models(found)
    sensitive = any(kinds.get(c) in SENSITIVE_KINDS for c in categories_of(*models))
    if sensitive and not may_see_sensitive(request.user, person):
        raise Http404
    access = request.record_access
    # A relationship is the other person's too: one whose record is restricted from the
    # reader is neither named nor changed here (as recording one refuses them).
    other = None
    if isinstance(found, Relationship):
        other = found.relative if found.person_id == person.pk else found.person
        if is_restricted_from(request.user, other):
            return refused(request, other, person_access(request, other), "person", other.public_id)
    audit_look(
        request,
        access,
        "person",
        person.public_id,
        categories_of(Person, *models),
        page="correct_person_record",
    )
    if other is not None:
        audit_others_shown(
            request, access, [other], categories_of(Person, *models), "correct_person_record"
        )
    return _handle(request, found, person, reverse("people:person", args=[person.public_id]))


def _in_words(model, stored: str) -> list[tuple[str, object]]:
    """A stored version ({field: value}) as (label, value) a person reads: choices in words."""
    shown = []
    for name, value in sorted(json.loads(stored).items()):
        holder = Address if name in corrections.ADDRESS_FIELDS else model
        field = holder._meta.get_field(name)
        if field.choices:
            value = dict(field.choices).get(value, value)
        if isinstance(value, bool):
            value = "Yes" if value else "No"
        shown.append((str(field.verbose_name), value))
    return shown


# Read only: a POST is refused as not allowed (405) before anything else is asked.
@require_safe
@role_required(Role.INFORMATION_GOVERNANCE)
def record_corrections(request: HttpRequest, person_id) -> HttpResponse:
    """Every correction of a person's records and of the contacts on their cases: what each
    said before and after, why, who and when. For the information governance officer."""
    person = get_object_or_404(Person, public_id=person_id)
    found = list(
        Correction.objects.filter(
            Q(person=person)
            | Q(case__members__person=person, person__isnull=True)
            # A relationship recorded from the other side ("X is the parent of this person").
            | Q(
                record_label=Relationship._meta.label,
                record_pk__in=Relationship.objects.filter(relative=person).values("pk"),
            )
        )
        .select_related("corrected_by", "case", "person")
        .distinct()
        .order_by("-corrected_at", "-pk")
    )
    shown = {Correction, Person}
    for row in found:
        model = apps.get_model(*row.record_label.split("."))
        shown.add(model)
        if model is PersonAddress:
            shown.add(Address)
        row.before_fields = _in_words(model, row.before)
        row.after_fields = _in_words(model, row.after) if row.after else []
        row.model_words = model._meta.verbose_name
    # A contact note's versions are the data of everyone on its case, not only this person.
    named = {person.pk: person}
    for member in Person.objects.filter(
        case_memberships__case__in=[row.case_id for row in found if row.case_id]
    ):
        named.setdefault(member.pk, member)
    for row in found:
        if row.person_id:
            named.setdefault(row.person_id, row.person)
    for shown_person in named.values():
        audit_record(
            request,
            action="view",
            record_type="person",
            record_id=str(shown_person.public_id),
            categories=categories_of(*shown),
            rule="access:governance",
            details={"page": "record_corrections"},
        )
    return render(
        request, "cases/record_corrections.html", {"person": person, "corrections": found}
    )
