from datetime import date

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from earlyhelp.access.decorators import role_required
from earlyhelp.access.roles import CASEWORK, Role
from earlyhelp.cases.chronology import KINDS, household_chronology, person_chronology
from earlyhelp.people.facts import FACT_MODELS, fact_form_class
from earlyhelp.people.forms import AddressForm, ContactMethodForm, PersonForm, SearchForm
from earlyhelp.people.merge import merge_people, undo_merge
from earlyhelp.people.models import (
    Address,
    ContactMethod,
    Household,
    Person,
    PersonAddress,
    PersonMerge,
    Relationship,
)
from earlyhelp.people.search import PersonQuery, likely_duplicates, search_people
from earlyhelp.policy.active import active_policy

CHRONOLOGY_PAGE = 25


@role_required(*CASEWORK)
@require_safe
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    matches = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        matches = search_people(
            PersonQuery(
                name=data["name"],
                date_of_birth=data["date_of_birth"],
                postcode=data["postcode"],
                nhs_number=data["nhs_number"],
                upn=data["upn"],
            )
        )
    return render(request, "people/search.html", {"form": form, "matches": matches})


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
def create_person(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    blocking, likely = [], []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        blocking, likely = likely_duplicates(
            data["given_name"],
            data["family_name"],
            data["date_of_birth"],
            nhs_number=data["nhs_number"],
            upn=data["upn"],
            postcode=data["postcode"],
        )
        if blocking:
            form.add_error(
                None,
                "This NHS number or unique pupil number belongs to a person already recorded. "
                "Open their record instead of creating a new one.",
            )
        elif likely and not data["not_a_duplicate"]:
            # Show the likely matches once; a second submission confirms a new person.
            form = PersonForm({**request.POST.dict(), "not_a_duplicate": "on"})
            form.is_valid()
        else:
            person = Person.objects.create(
                given_name=data["given_name"],
                family_name=data["family_name"],
                date_of_birth=data["date_of_birth"],
                nhs_number=data["nhs_number"],
                upn=data["upn"],
                created_by=request.user,
            )
            messages.success(request, f"Record created for {person.full_name}")
            return redirect("people:person", person_id=person.public_id)
    return render(
        request,
        "people/create_person.html",
        {"form": form, "blocking": blocking, "likely": likely},
    )


def _person(person_id) -> Person:
    return get_object_or_404(Person, public_id=person_id, merged_into__isnull=True)


@role_required(*CASEWORK)
@require_safe
def person_detail(request: HttpRequest, person_id) -> HttpResponse:
    person = get_object_or_404(Person, public_id=person_id)
    if person.merged_into_id:
        # An old link to a merged record leads to the record it became part of.
        while person.merged_into_id:
            person = person.merged_into
        messages.info(request, "That record was merged into this one")
        return redirect("people:person", person_id=person.public_id)
    today = date.today()
    relationships = Relationship.objects.filter(
        Q(person=person) | Q(relative=person)
    ).select_related("person", "relative")
    households = list(person.households.select_related("address"))
    household_people = {member.pk for household in households for member in household.members.all()}
    related = []
    for relationship in relationships:
        other = relationship.relative if relationship.person == person else relationship.person
        if relationship.person == person:
            words = f"{person.given_name} is {relationship.get_kind_display().lower()} of"
        else:
            words = f"{relationship.get_kind_display()} of {person.given_name}:"
        related.append(
            {
                "relationship": relationship,
                "other": other,
                "words": words,
                "in_household": other.pk in household_people,
            }
        )
    context = {
        "person": person,
        "age": person.age_on(today),
        "households": households,
        "related": related,
        "addresses": person.addresses.select_related("address"),
        "other_names": person.other_names.all(),
        "contact_methods": person.contact_methods.all(),
        "cases": person.cases.order_by("-started"),
        "facts": _facts(person),
        "can_merge": request.user.has_role(Role.TEAM_MANAGER),
        "merges": PersonMerge.objects.filter(kept=person, undone_at__isnull=True).select_related(
            "merged", "merged_by"
        ),
        "fact_kinds": [(slug, model._meta.verbose_name) for slug, model in FACT_MODELS.items()],
    }
    return render(request, "people/person.html", context)


def _facts(person: Person) -> list[dict]:
    """What is recorded about the person, in the order of section 3 of the notice."""
    sections = []
    for model in FACT_MODELS.values():
        rows = list(model.objects.filter(person=person).select_related("recorded_by"))
        if rows:
            title = (model._meta.verbose_name_plural or model._meta.verbose_name).capitalize()
            sections.append({"title": title, "rows": rows})
    return sections


@role_required(*CASEWORK)
@require_safe
def household_detail(request: HttpRequest, household_id) -> HttpResponse:
    household = get_object_or_404(
        Household.objects.select_related("address"), public_id=household_id
    )
    today = date.today()
    members = [
        {"person": member, "age": member.age_on(today)}
        for member in household.members.filter(merged_into__isnull=True).order_by("date_of_birth")
    ]
    member_ids = [m["person"].pk for m in members]
    outside = (
        Relationship.objects.filter(relative__in=member_ids)
        .exclude(person__in=member_ids)
        .select_related("person", "relative")
    )
    context = {
        "household": household,
        "members": members,
        "relationships": Relationship.objects.filter(
            person__in=member_ids, relative__in=member_ids
        ).select_related("person", "relative"),
        "outside": outside,
        "cases": household.cases.order_by("-started"),
    }
    return render(request, "people/household.html", context)


def _chronology_page(request: HttpRequest, events: list, subject: dict) -> HttpResponse:
    page = Paginator(events, CHRONOLOGY_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/chronology.html",
        {**subject, "page": page, "kinds": KINDS, "chosen": _chosen_kinds(request)},
    )


def _chosen_kinds(request: HttpRequest) -> set[str]:
    return {kind for kind in request.GET.getlist("kind") if kind in KINDS} or set(KINDS)


@role_required(*CASEWORK)
@require_safe
def household_chronology_view(request: HttpRequest, household_id) -> HttpResponse:
    household = get_object_or_404(Household, public_id=household_id)
    events = household_chronology(household, _chosen_kinds(request))
    return _chronology_page(request, events, {"household": household})


@role_required(*CASEWORK)
@require_safe
def person_chronology_view(request: HttpRequest, person_id) -> HttpResponse:
    person = _person(person_id)
    events = person_chronology(person, _chosen_kinds(request))
    return _chronology_page(request, events, {"person": person})


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
def record_fact(request: HttpRequest, person_id, kind: str) -> HttpResponse:
    model = FACT_MODELS.get(kind)
    if model is None:
        raise Http404
    person = _person(person_id)
    form = fact_form_class(model)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fact = form.save(commit=False)
        fact.person = person
        fact.recorded_by = request.user
        fact.save()
        messages.success(request, f"{model._meta.verbose_name.capitalize()} recorded")
        return redirect("people:person", person_id=person.public_id)
    category = active_policy().category(model.data_categories[next(iter(model.data_categories))])
    sensitive = {"special_category": "special category", "criminal_offence": "criminal offence"}
    context = {
        "person": person,
        "form": form,
        "title": model._meta.verbose_name,
        "sensitive": sensitive.get(category.kind) if category else None,
    }
    return render(request, "people/record_fact.html", context)


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
def edit_person(request: HttpRequest, person_id) -> HttpResponse:
    person = _person(person_id)
    initial = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": person.date_of_birth,
        "nhs_number": person.nhs_number,
        "upn": person.upn,
    }
    form = PersonForm(request.POST or None, initial=initial)
    del form.fields["postcode"], form.fields["not_a_duplicate"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        blocking, _ = likely_duplicates(
            data["given_name"],
            data["family_name"],
            data["date_of_birth"],
            nhs_number=data["nhs_number"],
            upn=data["upn"],
        )
        others = [match for match in blocking if match.person.pk != person.pk]
        if others:
            form.add_error(
                None,
                "This NHS number or unique pupil number belongs to another person. "
                "If they are the same person, merge the two records instead.",
            )
        else:
            for name in initial:
                setattr(person, name, data[name])
            person.save()
            messages.success(request, "Details updated")
            return redirect("people:person", person_id=person.public_id)
    return render(request, "people/edit_person.html", {"form": form, "person": person})


class MergeForm(forms.Form):
    other = forms.ChoiceField(
        label="Which record is the same person?",
        error_messages={"required": "Select the record to merge into this one"},
    )
    reason = forms.CharField(
        label="Why are they the same person?",
        help_text="For example: same NHS number confirmed by the GP surgery",
        max_length=2000,
        error_messages={"required": "Enter why they are the same person"},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@role_required(Role.TEAM_MANAGER)
@require_http_methods(["GET", "HEAD", "POST"])
def merge_person(request: HttpRequest, person_id) -> HttpResponse:
    person = _person(person_id)
    blocking, likely = likely_duplicates(
        person.given_name,
        person.family_name,
        person.date_of_birth,
        nhs_number=person.nhs_number,
        upn=person.upn,
    )
    candidates = [m for m in blocking + likely if m.person.pk != person.pk]
    form = MergeForm(request.POST or None)
    form.fields["other"].choices = [
        (str(m.person.public_id), f"{m.person.full_name}: {'; '.join(m.reasons)}")
        for m in candidates
    ]
    if request.method == "POST" and form.is_valid():
        other = _person(form.cleaned_data["other"])
        try:
            merge_people(person, other, request.user, form.cleaned_data["reason"])
        except ValueError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"{other.full_name}'s record is merged into this one")
            return redirect("people:person", person_id=person.public_id)
    return render(
        request, "people/merge.html", {"person": person, "form": form, "candidates": candidates}
    )


@role_required(Role.TEAM_MANAGER)
@require_POST
def undo_person_merge(request: HttpRequest, merge_id) -> HttpResponse:
    merge = get_object_or_404(PersonMerge.objects.select_related("kept"), public_id=merge_id)
    try:
        undo_merge(merge, request.user)
    except ValueError as refusal:
        messages.info(request, str(refusal))
    else:
        messages.success(request, "The merge is undone: the two records are separate again")
    return redirect("people:person", person_id=merge.kept.public_id)


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
def add_address(request: HttpRequest, person_id) -> HttpResponse:
    """A new current address; the one before it becomes history."""
    person = _person(person_id)
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            address = Address.objects.create(
                line_1=data["line_1"],
                line_2=data["line_2"],
                town=data["town"],
                postcode=data["postcode"],
            )
            moved_in = data["moved_in"] or date.today()
            person.addresses.filter(moved_out__isnull=True).update(moved_out=moved_in)
            PersonAddress.objects.create(
                person=person,
                address=address,
                moved_in=data["moved_in"],
                source=data["source"],
                recorded_by=request.user,
            )
        messages.success(request, "Address added")
        return redirect("people:person", person_id=person.public_id)
    return render(
        request,
        "people/simple_form.html",
        {"person": person, "form": form, "title": "Add a new address"},
    )


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
def add_contact_method(request: HttpRequest, person_id) -> HttpResponse:
    person = _person(person_id)
    form = ContactMethodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ContactMethod.objects.create(person=person, recorded_by=request.user, **form.cleaned_data)
        messages.success(request, "Contact details added")
        return redirect("people:person", person_id=person.public_id)
    return render(
        request,
        "people/simple_form.html",
        {"person": person, "form": form, "title": "Add a telephone number or email"},
    )
