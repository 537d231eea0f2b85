"""The chronology pages: a family's, a person's and a case's, each filtered by the kinds of
event, a date range and who recorded them (a GET form: dates and staff only, nothing
about the family in the address), a page at a time or whole on a page to print for a case
conference.

The family's and the person's pages are routed by people.urls (their views in
people.views call `household_chronology_page` and `person_chronology_page`); the case's
and every print page are routed here. Each look is recorded against everyone the page
shows, with the categories shown of each (see `_audit`).
"""

from collections.abc import Iterable, Sequence

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from earlyhelp.access.decorators import role_required
from earlyhelp.access.guards import (
    audit_looks,
    listed_cases,
    look,
    with_case,
    with_household,
    with_person,
)
from earlyhelp.access.models import User
from earlyhelp.access.roles import CASEWORK
from earlyhelp.access.rules import may_see_sensitive, person_access
from earlyhelp.cases.case_notes import special_category_ids, special_note_cases
from earlyhelp.cases.chronology import (
    KINDS,
    Event,
    Stay,
    Subject,
    by_name,
    case_chronology,
    filtered,
    household_case_ids,
    household_chronology,
    household_people,
    person_chronology,
    recorders,
    with_notes,
)
from earlyhelp.cases.models import (
    Allocation,
    Assessment,
    Attendance,
    Case,
    CaseMember,
    CaseNote,
    Contact,
    Document,
    Plan,
    PlanReview,
    Reopening,
)
from earlyhelp.cases.sessions import services_of
from earlyhelp.datamap.registry import categories_of
from earlyhelp.people.facts import FACT_MODELS
from earlyhelp.people.models import Household, Person
from earlyhelp.policy.active import active_policy
from earlyhelp.sharing.services import SENSITIVE_KINDS
from earlyhelp.web.forms import DateField, check_day_range
from earlyhelp.web.words import staff_name

CHRONOLOGY_PAGE = 25
# A chronology: the record of work with the family, case by case. The facts and addresses
# it shows add their own categories, person by person (Event.shows).
CHRONOLOGY_SHOWS = (
    Case,
    Contact,
    Assessment,
    Plan,
    PlanReview,
    Document,
    Attendance,
    CaseNote,
    Reopening,
    Allocation,
)
EVERYONE = ""  # the "recorded by" filter's value for no filter


class ChronologyFilter(forms.Form):
    """What the chronology shows: kinds of event, a date range, who recorded them."""

    kind = forms.MultipleChoiceField(
        label="Show",
        help_text="Tick none to show every kind of event.",
        choices=list(KINDS.items()),
        required=False,
    )
    since = DateField(label="From", label_lower="date to show events from", required=False)
    until = DateField(label="To", label_lower="date to show events to", required=False)
    by = forms.ChoiceField(label="Recorded by", required=False)

    def __init__(self, data, *, staff: Sequence[tuple[str, str]]):
        super().__init__(data)
        self.fields["by"].choices = [(EVERYONE, "Anyone"), *staff]
        self.fields["kind"].error_messages["invalid_choice"] = (
            "Select the kinds of event to show from the list"
        )
        self.fields["by"].error_messages["invalid_choice"] = (
            "Select who recorded the events from the list"
        )

    def clean(self):
        data = super().clean()
        check_day_range(self, data)
        return data

    def applied(self, events: Iterable[Event]) -> list[Event]:
        """The events in the date range and by whom asked; a part of the filter in error
        is left off (the page says what is wrong with it)."""
        data = self.cleaned_data
        by = data.get("by")
        return filtered(events, data.get("since"), data.get("until"), int(by) if by else None)

    def said(self) -> list[str]:
        """The filter in words, for the printed page: what the reader chose to leave out."""
        data = self.cleaned_data
        words = []
        if data.get("kind"):
            words.append("Only: " + ", ".join(KINDS[kind].lower() for kind in data["kind"]))
        if data.get("since"):
            words.append(f"From {data['since']:%-d %B %Y}")
        if data.get("until"):
            words.append(f"To {data['until']:%-d %B %Y}")
        if data.get("by"):
            words.append(f"Recorded by {dict(self.fields['by'].choices)[data['by']]}")
        return words


def _kinds_asked(request: HttpRequest) -> set[str]:
    """The kinds ticked (before the form is made: who recorded what depends on them)."""
    return {kind for kind in request.GET.getlist("kind") if kind in KINDS} or set(KINDS)


def _staff(events: Iterable[Event], asked: str) -> list[tuple[str, str]]:
    """Who recorded any of the events, as the filter's choices, by name; and the member of
    staff `asked` for (a user id), though none of the kinds ticked is theirs, so that the
    page says "no event" rather than that they are not on the list."""
    wanted = recorders(events)
    # A user id, never a number the database refuses; ASCII digits only: "²" is a digit to
    # str.isdigit that int() refuses.
    if asked.isascii() and asked.isdigit() and len(asked) < 19:
        wanted.add(int(asked))
    people = User.objects.filter(pk__in=wanted)
    return sorted(((str(user.pk), staff_name(user)) for user in people), key=lambda c: c[1])


def _open_cases_among(request: HttpRequest, case_ids) -> tuple[list[Case], int]:
    """The cases the user may open among `case_ids`, each asked the case rule, and how
    many were left out (restricted, or held by a team the user is not in)."""
    listed = listed_cases(request, Case.objects.filter(pk__in=case_ids))
    allowed = [item["case"] for item in listed if item["allowed"]]
    return allowed, len(listed) - len(allowed)


def _sensitive_fact_models() -> set[type]:
    kinds = {category.id: category.kind for category in active_policy().categories}
    return {
        model
        for model in FACT_MODELS.values()
        if any(kinds.get(c) in SENSITIVE_KINDS for c in categories_of(model))
    }


def _subjects(
    request: HttpRequest, people: Iterable[tuple[Person, tuple[Stay, ...] | None]]
) -> list[Subject]:
    """The people whose facts and moves the reader may see, each as on their own page:
    someone the reader may not open is left out, and special category and criminal offence
    facts need need-to-know of that person (access.rules.may_see_sensitive)."""
    sensitive = _sensitive_fact_models()
    everything = tuple(FACT_MODELS.values())
    ordinary = tuple(model for model in everything if model not in sensitive)
    subjects = []
    for person, stays in people:
        if not person_access(request, person).allowed:
            continue
        models = everything if may_see_sensitive(request.user, person) else ordinary
        subjects.append(Subject(person, models, stays))
    return subjects


def _audit(
    request: HttpRequest,
    record_type: str,
    record_id,
    cases: list[Case],
    subjects: list,
    special_notes: set[int],
    events: list[Event],
    page: str,
) -> None:
    """The chronology shows the work on each case it lists: a look at everyone on them,
    with the special category categories when a special category note of theirs is shown,
    and those a named session's service reveals (youth justice: offences). A fact or an
    address shown adds its categories to the look at the person it is about (and to the
    look at the record the page is of)."""
    access = request.record_access
    shown = set(categories_of(*CHRONOLOGY_SHOWS))
    shown |= {category for event in events for category in event.reveals}
    if special_notes:
        shown |= set(special_category_ids())
    theirs: dict[int, set[str]] = {}
    for event in events:
        if event.about is not None:
            theirs.setdefault(event.about, set()).update(event.shows)
    everything = shown.union(*theirs.values())
    looks = [look(access, record_type, record_id, everything, page=page)]
    # The ids first, each by an index: an OR across the join to case members read every
    # person (half a second at a million).
    on_cases = CaseMember.objects.filter(case__in=cases).values_list("person_id", flat=True)
    people = Person.objects.filter(pk__in={p.pk for p in subjects} | set(on_cases))
    for person in people.order_by("pk"):
        categories = shown | theirs.get(person.pk, set())
        looks.append(look(access, "person", person.public_id, categories, page=page))
    audit_looks(request, looks)


def _respond(
    request: HttpRequest,
    *,
    events: list[Event],
    subject: dict,
    withheld: int,
    form: ChronologyFilter,
    names: dict[int, str],
    printable: bool,
) -> HttpResponse:
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **subject,
        "form": form,
        "withheld": withheld,
        "query": query.urlencode(),
        "filters_said": form.said(),
    }
    if printable:
        context["events"] = by_name(with_notes(events, whole=True), names)
        return render(request, "cases/chronology_print.html", context)
    page = Paginator(events, CHRONOLOGY_PAGE).get_page(request.GET.get("page"))
    page.object_list = by_name(with_notes(page.object_list), names)
    context["page"] = page
    return render(request, "people/chronology.html", context)


def _page(
    request: HttpRequest,
    *,
    events: list[Event],
    record: tuple[str, object],
    subject: dict,
    cases: list[Case],
    people: list,
    special: set[int],
    withheld: int,
    printable: bool,
) -> HttpResponse:
    """Filter the events as the form asks, record the look and answer the page."""
    staff = _staff(events, request.GET.get("by", ""))
    form = ChronologyFilter(request.GET, staff=staff)
    # On the page a part in error is shown as such, and the rest still applies. A print is
    # handed round a case conference: with a part in error it prints no event, rather than
    # more than was asked for (a "from" date refused would print the whole history).
    valid = form.is_valid()
    events = form.applied(events) if valid or not printable else []
    page = "chronology-print" if printable else "chronology"
    _audit(request, *record, cases, people, special, events, page)
    return _respond(
        request,
        events=events,
        subject=subject,
        withheld=withheld,
        form=form,
        names={int(pk): name for pk, name in staff},
        printable=printable,
    )


def household_chronology_page(
    request: HttpRequest, household: Household, printable: bool = False
) -> HttpResponse:
    """The family's chronology (people.views.household_chronology_view), or its print."""
    cases, withheld = _open_cases_among(request, household_case_ids(household))
    special = special_note_cases(request.user, cases)
    subjects = _subjects(request, household_people(household))
    events = household_chronology(
        household,
        _kinds_asked(request),
        [c.pk for c in cases],
        services_of(request.user),
        special,
        subjects,
        # Sessions name who attended: only of those the reader may open, as facts are.
        only_people={subject.person.pk for subject in subjects},
    )
    # Former members too, deliberately: the chronology keeps their time here (their
    # attendance until they left), so a look at it is a look at them.
    members = list(household.members.distinct())
    return _page(
        request,
        events=events,
        record=("household", household.public_id),
        subject={"household": household},
        cases=cases,
        people=members,
        special=special,
        withheld=withheld,
        printable=printable,
    )


def person_chronology_page(
    request: HttpRequest, person: Person, printable: bool = False
) -> HttpResponse:
    """The person's chronology (people.views.person_chronology_view), or its print."""
    cases, withheld = _open_cases_among(request, person.cases.values("pk"))
    special = special_note_cases(request.user, cases)
    # Their own page's guard let the reader in: their facts follow their page's rule.
    sensitive = _sensitive_fact_models()
    models = tuple(
        model
        for model in FACT_MODELS.values()
        if model not in sensitive or may_see_sensitive(request.user, person)
    )
    events = person_chronology(
        person,
        _kinds_asked(request),
        [c.pk for c in cases],
        services_of(request.user),
        special,
        [Subject(person, models)],
    )
    return _page(
        request,
        events=events,
        record=("person", person.public_id),
        subject={"person": person},
        cases=cases,
        people=[person],
        special=special,
        withheld=withheld,
        printable=printable,
    )


def _case_page(request: HttpRequest, case: Case, printable: bool) -> HttpResponse:
    special = special_note_cases(request.user, [case])
    events = case_chronology(case, _kinds_asked(request), services_of(request.user), special)
    return _page(
        request,
        events=events,
        record=("case", case.public_id),
        subject={"case": case},
        cases=[case],
        people=[],
        special=special,
        withheld=0,
        printable=printable,
    )


@role_required(*CASEWORK)
@require_safe
@with_case
def case_chronology_view(request: HttpRequest, case: Case) -> HttpResponse:
    """The case's chronology: the work on it, newest first, a page at a time."""
    return _case_page(request, case, printable=False)


@role_required(*CASEWORK)
@require_safe
@with_case
def case_chronology_print(request: HttpRequest, case: Case) -> HttpResponse:
    """The case's chronology, as filtered, whole on a page to print."""
    return _case_page(request, case, printable=True)


@role_required(*CASEWORK)
@require_safe
@with_household
def household_chronology_print(request: HttpRequest, household: Household) -> HttpResponse:
    """The family's chronology, as filtered, whole on a page to print."""
    return household_chronology_page(request, household, printable=True)


@role_required(*CASEWORK)
@require_safe
@with_person
def person_chronology_print(request: HttpRequest, person: Person) -> HttpResponse:
    """The person's chronology, as filtered, whole on a page to print."""
    return person_chronology_page(request, person, printable=True)
