from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from earlyhelp.access.decorators import role_required
from earlyhelp.access.forms import BreakGlassForm, LiftRestrictionForm, RestrictionForm
from earlyhelp.access.guards import (
    audit_look,
    audit_looks,
    audit_others_shown,
    audit_people_shown,
    listed_cases,
    look,
    refused,
    restricted_match,
    with_household,
    with_person,
    with_person_to_change,
)
from earlyhelp.access.models import Restriction, User
from earlyhelp.access.roles import CASEWORK, Role
from earlyhelp.access.rules import (
    Access,
    holders,
    is_restricted_from,
    may_see_sensitive,
    person_access,
    who_to_ask,
)
from earlyhelp.access.services import (
    RestrictionRefused,
    may_lift,
    open_in_emergency,
    restrict_record,
)
from earlyhelp.access.services import lift_restriction as lift_restriction_of
from earlyhelp.audit.log import record, record_search
from earlyhelp.cases.chronology_views import household_chronology_page, person_chronology_page
from earlyhelp.cases.models import Case, GroupSession
from earlyhelp.cases.sessions import add_walk_in, may_open_session
from earlyhelp.datamap.registry import categories_of
from earlyhelp.people import services
from earlyhelp.people.facts import FACT_MODELS, fact_form_class
from earlyhelp.people.forms import (
    AddressForm,
    ContactMethodForm,
    PersonForm,
    SearchForm,
)
from earlyhelp.people.identifiers import postcode_district
from earlyhelp.people.models import (
    Address,
    ContactMethod,
    Household,
    HouseholdMember,
    Person,
    PersonAddress,
    PersonMerge,
    PersonName,
    Relationship,
)
from earlyhelp.people.moves import MoveRefused, NewAddress, current_households, record_move
from earlyhelp.people.search import PersonQuery, find_people, likely_duplicates
from earlyhelp.policy.active import active_policy
from earlyhelp.rights.processing import notes_shown
from earlyhelp.web.once import submitted_once

# What each page shows, by model: its audit events record these models' categories
# (datamap.registry.categories_of), so a field added to a model is counted without a list
# here to keep up.
# A person listed (a search result, a merge candidate): their name, age and area.
PERSON_LISTED = (Person,)
# A person's page: their record, names, addresses, contact details, relatives,
# households and the records merged into theirs (the kinds of fact are added per section).
PERSON_PAGE = (
    Person,
    PersonName,
    PersonAddress,
    Address,
    ContactMethod,
    Relationship,
    HouseholdMember,
    Household,
    PersonMerge,
    Case,  # the person's cases, listed
)
# A relative named on a person's or household's page: their name and the relationship.
RELATIVE_SHOWN = (Person, Relationship)
# A record merged into the one shown: its name and the merge (who, when, why).
MERGED_SHOWN = (Person, PersonMerge)
# A household's page: its address, members and their relationships.
HOUSEHOLD_PAGE = (Household, Address, HouseholdMember, Person, Relationship)
SENSITIVE_KINDS = {"special_category", "criminal_offence"}
SEARCH_RESULTS_SHOWN = 25


@role_required(*CASEWORK, Role.INFORMATION_GOVERNANCE)
@require_http_methods(["GET", "HEAD", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    # POSTed, so that names, dates of birth and NHS numbers never sit in an address.
    form = SearchForm(request.POST or None)
    matches, found = None, None
    if form.is_bound and form.is_valid():
        matches, found = search_with_access(request, form.cleaned_data, "search")
    context = {
        "form": form,
        "matches": matches,
        "found": found,
        "governance": request.user.has_role(Role.INFORMATION_GOVERNANCE),
        # The IG officer searches to answer requests, but adds nobody.
        "may_add_person": request.user.has_role(*CASEWORK),
    }
    return render(request, "people/search.html", context)


def search_with_access(
    request: HttpRequest, data: dict, page: str, limit: int = SEARCH_RESULTS_SHOWN
) -> tuple[list[dict], object]:
    """A search form's cleaned `data` run (name, date_of_birth, postcode, nhs_number, upn,
    any of them left out of a form that does not ask for it):
    (the matches shown, at most `limit`, each under the person rule as `matches_with_access` gives
    them; and what `find_people` found). The search is audited against `page` (a page
    name), with a look recorded against each person named, as on the search page."""
    found = find_people(
        PersonQuery(
            name=data.get("name", ""),
            date_of_birth=data.get("date_of_birth"),
            postcode=data.get("postcode", ""),
            nhs_number=data.get("nhs_number", ""),
            upn=data.get("upn", ""),
            born_between=data.get("born"),
        ),
        limit=limit,
    )
    matches = matches_with_access(request, found.matches)
    _audit_matches(request, matches, page, found=found.total)
    return matches, found


def matches_with_access(request: HttpRequest, matches: list) -> list[dict]:
    """Each match, with whether the user may open it, and if not, who holds it.

    A record restricted from the user shows nothing of the person (no name, date of
    birth or holders): only that a restricted record matched, and whom to ask.
    """
    shown, on = [], date.today()
    for match in matches:
        # The same rule as opening the record, so search never disagrees with the page.
        access = person_access(request, match.person)
        shown.append(
            {
                "match": match,
                # What tells two people of one name apart: their age and where they live.
                "age": match.person.age_on(on),
                "districts": sorted({postcode_district(code) for code in match.postcodes}),
                "access": access,
                "allowed": access.allowed,
                "restricted": access.restricted,
                "ask": access.ask,
                "holders": [] if access.allowed or access.restricted else holders(match.person),
            }
        )
    return shown


def _audit_matches(
    request: HttpRequest, matches: list[dict], page: str, found: int | None = None
) -> None:
    """A list of matching people: one search event (ids and counts), and a look at each.

    The search event names the records listed and counts those found (`found`, when more
    matched than are listed), never what was searched for. A restricted match showed
    nothing of the person, but that it matched says something (searching by postcode or
    date of birth can narrow it down): it is recorded against them, so the probing shows
    on their "who has seen" list.
    """
    shown = [item for item in matches if not item["restricted"]]
    listed = categories_of(*PERSON_LISTED)
    record_search(
        request,
        shown=[item["match"].person.public_id for item in shown],
        results=len(matches) if found is None else found,
        categories=listed,
    )
    looks = [
        look(i["access"], "person", i["match"].person.public_id, listed, page=page) for i in shown
    ]
    looks += [restricted_match(i["match"].person, page) for i in matches if i["restricted"]]
    audit_looks(request, looks)


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def create_person(request: HttpRequest) -> HttpResponse:
    """Record a new person, after a check for likely duplicates. From a session's walk-in
    page (`?walk_in=<session id>`), the person is recorded as a walk-in who attended, in
    the same transaction: both are written, or neither."""
    session = _walk_in_session(request)
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
        if blocking or likely:
            # The duplicate check is a search, and shows the people it found.
            _audit_matches(
                request, matches_with_access(request, blocking + likely), "duplicate-check"
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
            try:
                with transaction.atomic():
                    person = services.create_person(
                        request, **{name: data[name] for name in services.PERSON_FIELDS}
                    )
                    if session is not None:
                        add_walk_in(request, session, person)
            except ValueError as refusal:
                form.add_error(None, str(refusal).partition(": ")[2] or str(refusal))
            else:
                if session is None:
                    messages.success(request, f"Record created for {person.full_name}")
                    return redirect("people:person", person_id=person.public_id)
                messages.success(
                    request,
                    f"Record created for {person.full_name} and added as a walk-in who attended",
                )
                return redirect("cases:session", session_id=session.public_id)
    return render(
        request,
        "people/create_person.html",
        {
            "form": form,
            "blocking": matches_with_access(request, blocking),
            "likely": matches_with_access(request, likely),
            "walk_in_session": session,
        },
    )


def _walk_in_session(request: HttpRequest) -> GroupSession | None:
    """The session `?walk_in=` names, if the user may open it and it is on or before
    today (walk-ins are added on the day or after); 404 for any other value, so a link
    never quietly records a person without the walk-in it promised."""
    session_id = request.GET.get("walk_in")
    if session_id is None:
        return None
    try:
        session = GroupSession.objects.get(public_id=session_id)
    except (GroupSession.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such session") from None
    if not may_open_session(request.user, session) or session.held_on > date.today():
        raise Http404("No such session")
    return session


# The information governance officer opens a record only for a rights request they handle
# (access.rules.person_access), to read.
@role_required(*CASEWORK, Role.INFORMATION_GOVERNANCE)
@require_safe
@with_person
def person_detail(request: HttpRequest, person: Person) -> HttpResponse:
    today = date.today()
    relationships = Relationship.objects.filter(
        Q(person=person) | Q(relative=person)
    ).select_related("person__restriction__created_by", "relative__restriction__created_by")
    memberships = list(
        HouseholdMember.objects.filter(person=person)
        .select_related("household__address")
        .order_by("left_on", "-pk")
    )
    households = [m.household for m in memberships if m.left_on is None]
    # Only the day they left: the household's address may have changed since, and where
    # the family lives now is not this person's record.
    former_households = [m.left_on for m in memberships if m.left_on is not None]
    household_people = {
        member.pk for household in households for member in household.current_members()
    }
    own_postcodes = {
        lived.address.postcode
        for lived in person.addresses.filter(moved_out__isnull=True).select_related("address")
    }
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
                "restricted": is_restricted_from(request.user, other),
                "ask": who_to_ask(other),
                "words": words,
                "in_household": other.pk in household_people,
            }
        )
    sensitive = may_see_sensitive(request.user, person)
    facts, sensitive_hidden = facts_shown(person, sensitive)
    restriction = getattr(person, "restriction", None)
    rights_notes_shown = notes_shown(person)
    access = request.record_access
    audit_look(
        request,
        access,
        "person",
        person.public_id,
        # A restriction's reason is shown on the page: it says something of the risks. So
        # are a restriction of processing and the person's disagreements with their data.
        categories_of(*PERSON_PAGE, *((Restriction,) if restriction else ()), *rights_notes_shown)
        + [category for section in facts for category in section["categories"]],
        page="person",
    )
    merges = list(
        PersonMerge.objects.filter(kept=person, undone_at__isnull=True).select_related(
            "merged", "merged_by"
        )
    )
    # Relatives' names are their data too, each looked at under their own access; a
    # restricted relative shows none of it. The records merged into this one are its own.
    audit_others_shown(
        request,
        access,
        [item["other"] for item in related if not item["restricted"]],
        categories_of(*RELATIVE_SHOWN),
        "person-relationships",
    )
    audit_people_shown(
        request,
        access,
        [merge.merged for merge in merges],
        categories_of(*MERGED_SHOWN),
        "person-relationships",
    )
    context = {
        "person": person,
        "age": person.age_on(today),
        "households": households,
        "former_households": former_households,
        # Their own current address is not the household's: the page says so.
        "address_differs": bool(own_postcodes)
        and any(h.address.postcode not in own_postcodes for h in households),
        "related": related,
        "addresses": person.addresses.select_related("address"),
        "other_names": person.other_names.all(),
        "contact_methods": person.contact_methods.all(),
        "cases": listed_cases(request, person.cases.order_by("-started")),
        "facts": facts,
        # Read only: opened by break-glass or for a rights request.
        "emergency": access.read_only,
        "sensitive_hidden": sensitive_hidden,
        "can_merge": request.user.has_role(Role.TEAM_MANAGER) and not access.emergency,
        "restriction": restriction,
        "may_lift": restriction is not None and may_lift(request.user, restriction),
        "merges": merges,
        "fact_kinds": [(slug, model._meta.verbose_name) for slug, model in FACT_MODELS.items()],
    }
    return render(request, "people/person.html", context)


def facts_shown(person: Person, sensitive: bool) -> tuple[list[dict], list[str]]:
    """What is recorded about the person, in the order of section 3 of the notice.

    Special category and criminal offence facts are left out for someone without
    need-to-know; the second list names the kinds left out, so they can ask.
    """
    kinds = {category.id: category.kind for category in active_policy().categories}
    sections, hidden = [], []
    for model in FACT_MODELS.values():
        rows = list(model.objects.filter(person=person).select_related("recorded_by"))
        if not rows:
            continue
        title = (model._meta.verbose_name_plural or model._meta.verbose_name).capitalize()
        categories = set(categories_of(model))
        if not sensitive and any(kinds.get(c) in SENSITIVE_KINDS for c in categories):
            hidden.append(title)
            continue
        sections.append({"title": title, "rows": rows, "categories": categories})
    return sections, hidden


@role_required(*CASEWORK)
@require_safe
@with_household
def household_detail(request: HttpRequest, household: Household) -> HttpResponse:
    access = request.record_access
    audit_look(
        request,
        access,
        "household",
        household.public_id,
        categories_of(*HOUSEHOLD_PAGE),
        page="household",
    )
    today = date.today()
    members = [
        {"person": member, "age": member.age_on(today)}
        for member in household.current_members().order_by("date_of_birth")
    ]
    member_ids = [m["person"].pk for m in members]
    outside = [
        {
            "relationship": relationship,
            "restricted": is_restricted_from(request.user, relationship.person),
            "ask": who_to_ask(relationship.person),
        }
        for relationship in Relationship.objects.filter(relative__in=member_ids)
        .exclude(person__in=member_ids)
        .select_related("person__restriction__created_by", "relative")
    ]
    # The household's history: who lived here and left (someone since back is living here),
    # once each, with the day they last left.
    former, listed = [], set()
    for member in (
        HouseholdMember.objects.filter(household=household, left_on__isnull=False)
        .exclude(person__in=member_ids)
        .exclude(person__merged_into__isnull=False)
        .select_related("person__restriction__created_by")
        .order_by("-left_on", "pk")
    ):
        if member.person_id in listed:
            continue
        listed.add(member.person_id)
        former.append(
            {
                "person": member.person,
                "left_on": member.left_on,
                "restricted": is_restricted_from(request.user, member.person),
                "ask": who_to_ask(member.person),
            }
        )
    audit_people_shown(
        request,
        access,
        [m["person"] for m in members],
        categories_of(*HOUSEHOLD_PAGE),
        "household",
    )
    audit_others_shown(
        request,
        access,
        [item["relationship"].person for item in outside if not item["restricted"]]
        + [item["person"] for item in former if not item["restricted"]],
        categories_of(*HOUSEHOLD_PAGE),
        "household",
    )
    context = {
        "household": household,
        "members": members,
        "relationships": Relationship.objects.filter(
            person__in=member_ids, relative__in=member_ids
        ).select_related("person", "relative"),
        "outside": outside,
        "former": former,
        "cases": listed_cases(request, household.cases.order_by("-started")),
    }
    return render(request, "people/household.html", context)


@role_required(*CASEWORK)
@require_safe
@with_household
def household_chronology_view(request: HttpRequest, household: Household) -> HttpResponse:
    """The family's chronology, filtered as asked, a page at a time (cases.chronology_views)."""
    return household_chronology_page(request, household)


@role_required(*CASEWORK)
@require_safe
@with_person
def person_chronology_view(request: HttpRequest, person: Person) -> HttpResponse:
    """The person's chronology, filtered as asked, a page at a time (cases.chronology_views)."""
    return person_chronology_page(request, person)


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_person_to_change
@submitted_once
def record_fact(request: HttpRequest, person: Person, kind: str) -> HttpResponse:
    model = FACT_MODELS.get(kind)
    if model is None:
        raise Http404
    form = fact_form_class(model)(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        services.record_fact(request, person, form.save(commit=False))
        messages.success(request, f"{model._meta.verbose_name.capitalize()} recorded")
        return redirect("people:person", person_id=person.public_id)
    category = active_policy().category(model.data_categories[next(iter(model.data_categories))])
    sensitive = {"special_category": "special category", "criminal_offence": "criminal offence"}
    context = {
        "person": person,
        "form": form,
        "title": f"Add {model._meta.verbose_name}",
        "sensitive": sensitive.get(category.kind) if category else None,
    }
    return render(request, "people/record_fact.html", context)


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_person_to_change
@submitted_once
def edit_person(request: HttpRequest, person: Person) -> HttpResponse:
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
            services.change_person(request, person, **{name: data[name] for name in initial})
            messages.success(request, "Details updated")
            return redirect("people:person", person_id=person.public_id)
    return render(
        request,
        "people/simple_form.html",
        {"form": form, "person": person, "title": "Change details"},
    )


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_person_to_change
@submitted_once
def add_address(request: HttpRequest, person: Person) -> HttpResponse:
    """A new current address; the one before it becomes history, and one of their
    households moves too or they leave them (people.moves)."""
    form = AddressForm(
        request.POST or None,
        person=person,
        households=current_households(person),
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new = NewAddress(
            line_1=data["line_1"],
            line_2=data["line_2"],
            town=data["town"],
            postcode=data["postcode"],
            moved_in=data["moved_in"],
            source=data["source"],
        )
        try:
            record_move(request, person, new, data.get("household_moves"))
        except MoveRefused as refusal:
            # Something changed since the form was checked (a restriction, a membership).
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Address added")
            return redirect("people:person", person_id=person.public_id)
    return render(
        request,
        "people/simple_form.html",
        {"person": person, "form": form, "title": "Add a new address"},
    )


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_person_to_change
@submitted_once
def add_contact_method(request: HttpRequest, person: Person) -> HttpResponse:
    form = ContactMethodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_contact_method(request, person, **form.cleaned_data)
        messages.success(request, "Contact details added")
        return redirect("people:person", person_id=person.public_id)
    return render(
        request,
        "people/simple_form.html",
        {"person": person, "form": form, "title": "Add a telephone number or email"},
    )


# Casework only: break-glass opens a record's pages, which only casework roles may read.
@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def break_glass(request: HttpRequest, person_id) -> HttpResponse:
    """Open a record one is not allocated to, in an emergency, giving a reason."""
    person = get_object_or_404(
        Person.objects.select_related("restriction__created_by"),
        public_id=person_id,
        merged_into=None,
    )
    if is_restricted_from(request.user, person):
        closed = Access(False, restricted=True, ask=who_to_ask(person))
        return refused(request, person, closed, "person", person.public_id)
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        open_in_emergency(request, person, form.cleaned_data["reason"])
        # Come back to the case that was refused, if the person is on it (never elsewhere).
        case = _case_of(person, request.GET.get("case", ""))
        if case is not None:
            return redirect("cases:case", case_id=case.public_id)
        return redirect("people:person", person_id=person.public_id)
    return render(request, "people/break_glass.html", {"person": person, "form": form})


def _case_of(person: Person, case_id: str) -> Case | None:
    """The case `case_id` names, if `person` is on it; None for anything else."""
    try:
        return Case.objects.filter(public_id=case_id, members__person=person).first()
    except (ValueError, ValidationError):
        return None


@role_required(Role.TEAM_MANAGER)
@require_http_methods(["GET", "HEAD", "POST"])
@with_person_to_change
@submitted_once
def restrict_person(request: HttpRequest, person: Person) -> HttpResponse:
    """Close a record to all but named staff, whatever their allocation, or change who is
    named and why (the form starts from the restriction as it stands). Anyone in a
    casework role may be named: a record no case holds can be opened by more than one."""
    current = getattr(person, "restriction", None)
    initial = (
        {
            "reason": current.reason,
            "named_users": [str(pk) for pk in current.named_users.values_list("pk", flat=True)],
        }
        if current is not None
        else {"named_users": [str(request.user.pk)]}
    )
    form = RestrictionForm(request.POST or None, initial=initial)
    form.fields["named_users"].choices = [
        (str(u.pk), u.get_full_name() or u.username) for u in casework_staff()
    ]
    if request.method == "POST" and form.is_valid():
        named = [int(pk) for pk in form.cleaned_data["named_users"]]
        try:
            restrict_record(request, person, form.cleaned_data["reason"], named)
        except RestrictionRefused as refusal:
            form.add_error("named_users", str(refusal))
        else:
            messages.success(request, "The record is restricted to the people named")
            return redirect("people:person", person_id=person.public_id)
    title = "Change who may open this record" if current else "Restrict this record"
    return render(
        request, "people/simple_form.html", {"person": person, "form": form, "title": title}
    )


def casework_staff():
    """Every active member of staff in a casework role (practitioners and team managers),
    by name: whom a restriction may name."""
    return (
        User.objects.filter(is_active=True, groups__name__in=[r.value for r in CASEWORK])
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


@role_required(Role.TEAM_MANAGER, Role.INFORMATION_GOVERNANCE)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def lift_restriction(request: HttpRequest, person_id) -> HttpResponse:
    """Lift a restriction, with the reason: by the manager who made it (named in it, so
    they can open the record) or the information governance officer (from the list of
    restrictions). Anyone else is refused, and the refusal recorded."""
    person = get_object_or_404(
        Person.objects.select_related("restriction__created_by", "restriction__changed_by"),
        public_id=person_id,
    )
    restriction = getattr(person, "restriction", None)
    if restriction is None:
        raise Http404("This record is not restricted")
    if not may_lift(request.user, restriction):
        closed = Access(False, restricted=True, ask=who_to_ask(person))
        return refused(request, person, closed, "person", person.public_id)
    form = LiftRestrictionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lift_restriction_of(request, person, form.cleaned_data["reason"])
        except RestrictionRefused as refusal:
            form.add_error("reason", str(refusal))
        else:
            messages.success(request, "The restriction is lifted")
            if request.user.has_role(Role.INFORMATION_GOVERNANCE):
                return redirect("governance:restrictions")
            return redirect(person_url(person))
    # The owner opens it as one of the staff named; the officer as information governance.
    named = restriction.named_users.filter(pk=request.user.pk).exists()
    record(
        request,
        action="view",
        record_type="person",
        record_id=str(person.public_id),
        categories=categories_of(Restriction),
        rule="access:allocation" if named else "access:governance",
        details={"page": "lift-restriction"},
    )
    request.look_audited = True
    officer = request.user.has_role(Role.INFORMATION_GOVERNANCE)
    back = reverse("governance:restrictions") if officer else person_url(person)
    context = {"person": person, "form": form, "restriction": restriction, "back": back}
    return render(request, "people/lift_restriction.html", context)


def person_url(person: Person) -> str:
    return reverse("people:person", kwargs={"person_id": person.public_id})
