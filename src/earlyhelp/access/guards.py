"""View decorators that open a family record only to those the rules allow, and log the look.

Each resolves the opaque id in the URL to the record, asks access.rules, and
either calls the view with the record or answers 403 with a page that says the
record exists, who holds it, and how to open it in an emergency.

Every page a guard lets through leaves an audit event: the view records its own
look (with the categories it shows), and if it rendered a page without doing so
(a form, say), the guard records one for it. A look at a case or household is
also recorded against each person on it, because that is whose data it shows.

Emergency access (break-glass) is a look, not a key: the views that change a
record are refused while the record is open only by break-glass. So is access for a
rights request (the officer handling it reads the records in its scope), and each of its
looks names the request as its reason.
"""

from collections.abc import Callable, Iterable
from datetime import date
from functools import wraps

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from earlyhelp.access.rules import (
    Access,
    case_access,
    case_accesses,
    holders,
    household_access,
    person_access,
)
from earlyhelp.audit.log import record, record_many
from earlyhelp.cases.choices import CaseRole
from earlyhelp.cases.models import Assessment, Case
from earlyhelp.datamap.registry import categories_of
from earlyhelp.people.models import Household, Person
from earlyhelp.policy.active import active_policy
from earlyhelp.rights.processing import restricted_words, restriction_in_force

# What a page about a record shows at least (by model), when its view names nothing more:
# the look records these models' categories (datamap.registry.categories_of).
DEFAULT_SHOWN = {
    "person": (Person,),
    "case": (Case,),
    "household": (Household, Person),
}
# A person on a case or household, as a page about it names them.
PERSON_LISTED = (Person,)
SAFE_METHODS = ("GET", "HEAD")


def _rule(access: Access) -> str:
    if not access.allowed:
        # Listed (a search result, a relative) without access: name and who holds it only.
        return "access:listed"
    if access.emergency:
        return "access:break-glass"
    if access.no_case:
        return "access:no-case"
    return "access:rights-request" if access.rights_request else "access:allocation"


def _reason(access: Access) -> str:
    """Why a record was opened, when it was not by allocation: the emergency, or the
    rights request it was opened for."""
    if access.emergency:
        return "emergency access"
    return f"Rights request {access.rights_request}" if access.rights_request else ""


def look(
    access: Access,
    record_type: str,
    record_id: object,
    categories: Iterable[str],
    action: str = "view",
    *,
    page: str,
) -> dict:
    """One look at a record, as audit.log.event_fields' keywords; flagged when the record
    was opened by break-glass. `page` names the page for the "who has seen" list (a view
    name, never a value): every caller says which."""
    return {
        "action": action,
        "record_type": record_type,
        "record_id": str(record_id),
        "categories": sorted(set(categories)),
        "flagged": access.emergency,
        "reason": _reason(access),
        "rule": _rule(access),
        "details": {"page": page} if page else None,
    }


def restricted_match(person: Person, page: str) -> dict:
    """A restricted person a list matched but does not name, as event_fields' keywords: the
    match is recorded (it happened) though the page showed nothing of them."""
    return {
        "action": "view",
        "record_type": "person",
        "record_id": str(person.public_id),
        "rule": "access:restricted-match",
        "details": {"page": page},
    }


def audit_looks(request: HttpRequest, looks: list[dict]) -> None:
    """Record a page's looks (see `look`) in one append to the trail: a list page names
    dozens of people, and one hold of the chain lock is what makes it fast."""
    if looks:
        record_many(request, looks)
        request.look_audited = True


def audit_look(
    request: HttpRequest,
    access: Access,
    record_type: str,
    record_id: object,
    categories: Iterable[str],
    action: str = "view",
    page: str = "",
) -> None:
    """Record one look at a record (see `look`)."""
    audit_looks(request, [look(access, record_type, record_id, categories, action, page=page)])


def people_shown(
    access: Access, people: Iterable[Person], categories: Iterable[str], page: str
) -> list[dict]:
    """A page's looks at each person whose data it shows, once each, under the access
    the page was opened with (so a look under break-glass is flagged for every one)."""
    looks = []
    seen: set[int] = set()
    for person in people:
        if person.pk in seen:
            continue
        seen.add(person.pk)
        looks.append(look(access, "person", person.public_id, categories, page=page))
    return looks


def audit_people_shown(
    request: HttpRequest,
    access: Access,
    people: Iterable[Person],
    categories: Iterable[str],
    page: str,
) -> None:
    """Record a page's look against each person whose data it shows, once each.

    `access` is the access the page was opened with, so a look under break-glass is
    flagged for every person it showed.
    """
    audit_looks(request, people_shown(access, people, categories, page))


def audit_case_page(
    request: HttpRequest, case: Case, record_type: str, record_id, shown, page: str
) -> None:
    """A look at a page about one record of `case` (a plan, a closure request): against
    the record, and against each person on the case, with the categories of the models
    `shown`, under the access the page was opened with."""
    access = request.record_access
    categories = categories_of(*shown)
    audit_look(request, access, record_type, record_id, categories, page=page)
    people = Person.objects.filter(case_memberships__case=case).distinct()
    audit_people_shown(request, access, people, categories, page)


def audit_others_shown(
    request: HttpRequest,
    page_access: Access,
    people: Iterable[Person],
    categories: Iterable[str],
    page: str,
) -> None:
    """Record a look at people a page names who are not its subject (relatives living
    elsewhere), each under their own access: someone the reader may not open is recorded
    as listed, not as allocated. Under break-glass every look is the emergency's, flagged.
    """
    if page_access.emergency:
        audit_people_shown(request, page_access, people, categories, page)
        return
    looks = []
    seen: set[int] = set()
    for person in people:
        if person.pk in seen:
            continue
        seen.add(person.pk)
        own = person_access(request, person)
        looks.append(look(own, "person", person.public_id, categories, page=page))
    audit_looks(request, looks)


def listed_cases(request: HttpRequest, cases: Iterable[Case]) -> list[dict]:
    """Each case of a list, with whether the reader may open it: the case rule, per case.

    Shapes: {"case": Case, "allowed": bool, "restricted": bool, "ask": str}.
    """
    cases = list(cases)
    accesses = case_accesses(request, cases)
    items = []
    for case in cases:
        access = accesses[case.pk]
        items.append(
            {
                "case": case,
                "allowed": access.allowed,
                "restricted": access.restricted,
                "ask": access.ask,
            }
        )
    return items


def refused(
    request: HttpRequest,
    person: Person | None,
    access: Access,
    record_type: str,
    record_id: object,
    case: Case | None = None,
) -> HttpResponse:
    """403: the record exists; who holds it (or, if restricted, whom to ask), and the
    emergency route to it. The refusal is recorded against the record named.

    For a case or a household, `person` is the one whose record break-glass would open
    (a child on the case, else a member), and `case` the case to come back to after.
    """
    context = {
        "person": person,
        "case": case,
        "restricted": access.restricted,
        "ask": access.ask,
        "holders": holders(person) if person and not access.restricted else [],
    }
    # The page says who holds the record, which is itself about the family.
    record(
        request,
        action="view",
        record_type=record_type,
        record_id=str(record_id),
        rule="access:refused",
        details={"page": "refused"},
    )
    return render(request, "access/no_access.html", context, status=403)


def read_only(
    request: HttpRequest, person: Person | None, rights_request: str = ""
) -> HttpResponse:
    """403: a record open only by break-glass, or for a rights request (its reference in
    `rights_request`), may be read, never changed."""
    context = {"person": person, "rights_request": rights_request}
    return render(request, "access/emergency_read_only.html", context, status=403)


def processing_restricted(request: HttpRequest, person: Person, restriction) -> HttpResponse:
    """403: the person's data is restricted from processing (UK GDPR Article 18): their
    record is not changed until the restriction is lifted."""
    context = {"person": person, "why": restricted_words(restriction)}
    return render(request, "rights/outcomes/processing_restricted.html", context, status=403)


def _emergency_person(kind: str, found) -> Person | None:
    """Whose record break-glass opens to reach a case or household: a child on the case
    (break-glass on any member opens the case), else the first member; for a household,
    a child or young person living there now, else anyone living there now (never
    someone who left: their record does not open the household)."""
    if kind == "case":
        members = Person.objects.filter(
            case_memberships__case=found, merged_into__isnull=True
        ).order_by("pk")
        # One filter, so the membership that is this case's is the one that is a child's.
        child = Person.objects.filter(
            case_memberships__case=found,
            case_memberships__role=CaseRole.CHILD,
            merged_into__isnull=True,
        ).order_by("pk")
        return child.first() or members.first()
    if kind == "household":
        living = list(found.current_members().order_by("pk"))
        until = active_policy().casework.young_person_until_age
        on = date.today()
        young = [p for p in living if p.date_of_birth is not None and p.age_on(on) < until]
        return (young or living or [None])[0]
    return None


def _people_on(kind: str, found) -> list[Person]:
    if kind == "case":
        return list(Person.objects.filter(case_memberships__case=found).distinct())
    if kind == "household":
        # A household's pages show who lives there now.
        return list(found.current_members())
    return []


def _guarded(
    view: Callable, id_name: str, load: Callable, check: Callable, kind: str, changes: bool
) -> Callable:
    """Call `view` with the record named by the URL, if `check` allows; else refuse."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        found = load(request, kwargs.pop(id_name))
        if isinstance(found, HttpResponse):
            return found
        access = check(request, found)
        person = found if isinstance(found, Person) else None
        if not access.allowed:
            if person is None:
                # The same as a person's page gives: who holds it, and the emergency route.
                return refused(
                    request,
                    _emergency_person(kind, found),
                    access,
                    kind,
                    found.public_id,
                    case=found if kind == "case" else None,
                )
            return refused(request, person, access, kind, found.public_id)
        if changes and access.read_only:
            return read_only(request, person, access.rights_request)
        if changes and person is not None:
            restriction = restriction_in_force(person)
            if restriction is not None:
                return processing_restricted(request, person, restriction)
        request.record_access = access
        request.look_audited = False
        response = view(request, found, *args, **kwargs)
        if response.status_code == 200 and not request.look_audited:
            page = view.__name__
            shown = categories_of(*DEFAULT_SHOWN[kind])
            audit_look(request, access, kind, found.public_id, shown, page=page)
            audit_people_shown(
                request, access, _people_on(kind, found), categories_of(*PERSON_LISTED), page
            )
        return response

    guarded.changes_records = changes  # type: ignore[attr-defined]
    return guarded


def _load_person(request: HttpRequest, person_id) -> Person | HttpResponse:
    person = get_object_or_404(
        Person.objects.select_related("restriction__created_by"), public_id=person_id
    )
    if person.merged_into_id:
        # An old link to a merged record leads to the record it became part of.
        while person.merged_into_id:
            person = person.merged_into
        messages.info(request, "That record was merged into this one")
        return redirect("people:person", person_id=person.public_id)
    return person


def _load_household(request: HttpRequest, household_id) -> Household:
    return get_object_or_404(Household.objects.select_related("address"), public_id=household_id)


def _load_case(request: HttpRequest, case_id) -> Case:
    return get_object_or_404(
        Case.objects.select_related("household__address", "team", "allocated_worker"),
        public_id=case_id,
    )


def with_person(view: Callable) -> Callable:
    """A page that reads a person's record."""
    return _guarded(view, "person_id", _load_person, person_access, "person", changes=False)


def with_person_to_change(view: Callable) -> Callable:
    """A page that changes a person's record: refused under break-glass."""
    return _guarded(view, "person_id", _load_person, person_access, "person", changes=True)


def with_household(view: Callable) -> Callable:
    """A page that reads a household's record."""
    return _guarded(
        view, "household_id", _load_household, household_access, "household", changes=False
    )


def with_household_to_change(view: Callable) -> Callable:
    """A page that changes a household's record (who lives there): refused under break-glass."""
    return _guarded(
        view, "household_id", _load_household, household_access, "household", changes=True
    )


def with_case(view: Callable) -> Callable:
    """A page that reads a case."""
    return _guarded(view, "case_id", _load_case, case_access, "case", changes=False)


def with_case_to_change(view: Callable) -> Callable:
    """A page that changes a case: refused under break-glass."""
    return _guarded(view, "case_id", _load_case, case_access, "case", changes=True)


def _load_assessment(request: HttpRequest, assessment_id) -> Assessment:
    return get_object_or_404(
        Assessment.objects.select_related(
            "case__household__address", "case__team", "case__allocated_worker", "reviews"
        ),
        public_id=assessment_id,
    )


def _on_its_case(view: Callable, id_name: str, load: Callable, changes: bool) -> Callable:
    """A page about a record on a case (an assessment): the case's own guard decides.

    The record is loaded by the id in the URL, then its case goes through `with_case` (or
    `with_case_to_change`): refused as the case is (and the refusal recorded against it),
    read only under break-glass, and a page that records no look of its own has one
    recorded against the case and its people, named by the view. The view is called with
    the record, whose `case` is the case that was checked.
    """

    def on_case(request: HttpRequest, case: Case, found, *args, **kwargs) -> HttpResponse:
        return view(request, found, *args, **kwargs)

    on_case.__name__ = view.__name__  # the page a look the guard records is named by

    def same_case(request: HttpRequest, case: Case) -> Case:
        return case

    case_guard = _guarded(on_case, "case", same_case, case_access, "case", changes)

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        found = load(request, kwargs.pop(id_name))
        return case_guard(request, found, *args, case=found.case, **kwargs)

    guarded.changes_records = changes  # type: ignore[attr-defined]
    return guarded


def with_assessment(view: Callable) -> Callable:
    """A page that reads an assessment: open to whoever may open its case."""
    return _on_its_case(view, "assessment_id", _load_assessment, changes=False)


def with_assessment_to_change(view: Callable) -> Callable:
    """A page that changes an assessment: as its case, and refused under break-glass."""
    return _on_its_case(view, "assessment_id", _load_assessment, changes=True)
