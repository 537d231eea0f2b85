"""Pages for group sessions: the sessions list, create a session, the session's page (who
is expected and its register), choose who is expected, take the register, add a walk-in.

Who may open a session's pages (`with_session`): casework staff who run it, or who work in
a team of the session's service (a team of a service covers its sub-services' sessions);
anyone else is refused, and the refusal recorded against the session. Break-glass opens a
person's record, not a session: it gives no access here. A session is about the service,
not a person, so its id is not a family record's; the people on its list are each shown
under the person rule (`person_access`): named only to a reader who may open their record,
a restricted one saying only whom to ask, and each look recorded against each person named.
Putting a person on a session is refused for anyone the worker may not open now
(cases.sessions). The URLs carry public ids only; searches are POSTed, so no name or date
of birth sits in an address.
"""

from collections.abc import Callable
from datetime import date
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from earlyhelp.access.decorators import role_required
from earlyhelp.access.guards import audit_looks, look, refused, restricted_match
from earlyhelp.access.roles import CASEWORK
from earlyhelp.access.rules import Access, person_access
from earlyhelp.cases import sessions
from earlyhelp.cases.choices import service_name
from earlyhelp.cases.models import GroupSession
from earlyhelp.cases.session_forms import ExpectedForm, RegisterForm, SessionForm
from earlyhelp.datamap.registry import categories_of
from earlyhelp.people.forms import SearchForm
from earlyhelp.people.models import Person
from earlyhelp.people.views import search_with_access
from earlyhelp.web.forms import add_refusal, refusal_sentence
from earlyhelp.web.once import submitted_once

SESSIONS_PAGE = 25
# The boxes of the search for someone to put on a session.
SESSION_SEARCH = ("name", "date_of_birth", "postcode")
SEARCH_RESULTS_SHOWN = 10
# A session's page names people with their attendance.
SESSION_PAGE = sessions.PERSON_NAMED
# The expected-list form names the people of the service's open cases it offers.
PERSON_LISTED = (Person,)


def with_session(view: Callable) -> Callable:
    """A page about a session: open to its runners and the workers of a team of its
    service; anyone else is refused (403) and the refusal recorded against the session."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, session_id, **kwargs) -> HttpResponse:
        session = get_object_or_404(GroupSession, public_id=session_id)
        if not sessions.may_open_session(request.user, session):
            return refused(request, None, Access(False), "session", session.public_id)
        return view(request, session, *args, **kwargs)

    return guarded


def _audit_rows(request: HttpRequest, session: GroupSession, rows, page: str) -> None:
    """The look at the session's list: against the session, and against each person it
    named under their own access (flagged if by break-glass). A restricted person named
    nowhere is recorded as a match that showed nothing, as search records one."""
    shown = categories_of(*SESSION_PAGE)
    looks = [look(Access(True), "session", session.public_id, shown, page=page)]
    for row in rows:
        if row.allowed:
            looks.append(look(row.access, "person", row.person.public_id, shown, page=page))
        elif row.restricted:
            looks.append(restricted_match(row.person, page))
    audit_looks(request, looks)


def _session_context(session: GroupSession) -> dict:
    return {
        "session": session,
        "service": service_name(session.service),
        "runners": list(session.run_by.order_by("first_name", "last_name", "username")),
        "on_the_day": session.held_on <= date.today(),
    }


@role_required(*CASEWORK)
@require_safe
def session_list(request: HttpRequest) -> HttpResponse:
    """Sessions this week and upcoming that the reader may open, soonest first, by pages;
    with ?when=earlier, those before this week, latest first. Names no one: a session is
    about the service."""
    today = date.today()
    earlier = request.GET.get("when") == "earlier"
    if earlier:
        listed = sessions.before_this_week(request.user, today)
    else:
        listed = sessions.this_week_and_upcoming(request.user, today)
    page = Paginator(listed, SESSIONS_PAGE).get_page(request.GET.get("page"))
    rows = [
        {"session": s, "service": service_name(s.service), "kind": s.get_kind_display()}
        for s in page.object_list
    ]
    may_create = bool(sessions.session_services(request.user))
    context = {"page": page, "rows": rows, "may_create": may_create, "earlier": earlier}
    return render(request, "cases/session_list.html", context)


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def new_session(request: HttpRequest) -> HttpResponse:
    """Create a session for a service of one of the worker's teams."""
    services = sessions.session_services(request.user)
    workers = sessions.workers_of(request.user)
    form = SessionForm(
        request.POST if request.method == "POST" else None,
        services=services,
        workers=workers,
        creator=request.user,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = sessions.create_session(
                request,
                service=data["service"],
                kind=data["kind"],
                title=data["title"],
                venue=data["venue"],
                held_on=data["held_on"],
                run_by=form.runners(),
            )
        except ValueError as problem:
            add_refusal(form, problem)
        else:
            messages.success(request, "Session created. Now choose who is expected.")
            return redirect("cases:session", session_id=session.public_id)
    return render(request, "cases/session_new.html", {"form": form, "services": services})


@role_required(*CASEWORK)
@require_safe
@with_session
def session_detail(request: HttpRequest, session: GroupSession) -> HttpResponse:
    """The session: who runs it, who is expected and the register so far, walk-ins."""
    rows = sessions.register_rows(request, session)
    _audit_rows(request, session, rows, "session")
    context = _session_context(session)
    context["expected"] = [row for row in rows if not row.attendance.walk_in]
    # Someone the register has not recorded may be taken off the list, but not by a reader
    # who opened their record only by break-glass.
    context["removable"] = {
        row.person.pk
        for row in context["expected"]
        if row.allowed and not row.access.emergency and not sessions.is_recorded(row.attendance)
    }
    context["walk_ins"] = [row for row in rows if row.attendance.walk_in]
    return render(request, "cases/session.html", context)


def _search(request: HttpRequest, form: SearchForm, page: str):
    """The search's matches, each under the person rule, audited as the search page's are."""
    return search_with_access(request, form.cleaned_data, page, limit=SEARCH_RESULTS_SHOWN)


def _chosen_person(request: HttpRequest, name: str = "person") -> Person | None:
    """The person a list's button chose (posted as `name`), by public id; None if none or
    unknown."""
    try:
        return Person.objects.select_related("restriction__created_by").get(
            public_id=request.POST.get(name, "")
        )
    except (Person.DoesNotExist, ValidationError, ValueError):
        return None


def _take_off(request: HttpRequest, session: GroupSession) -> HttpResponse:
    """Take the person posted as `remove` off who is expected, unless the register has
    recorded them; the outcome is said on the session's page."""
    person = _chosen_person(request, "remove")
    try:
        if person is None:
            raise ValueError("remove: choose someone on the session's list")
        sessions.set_expected(request, session, remove=[person])
    except ValueError as refusal:
        messages.error(request, refusal_sentence(refusal))
    else:
        messages.success(request, f"{person.full_name} taken off who is expected")
    return redirect("cases:session", session_id=session.public_id)


def _candidates(request: HttpRequest, session: GroupSession) -> tuple[list[Person], list[str]]:
    """The people the expected-list form offers (each passing the person rule, looks
    recorded), and whom to ask for the restricted ones it leaves out."""
    offered, withheld = [], []
    for person in sessions.expected_candidates(request.user, session):
        access = person_access(request, person)
        if access.allowed and not access.emergency:
            offered.append(person)
        elif access.restricted:
            withheld.append(access.ask or "your team manager")
    shown = categories_of(*PERSON_LISTED)
    audit_looks(
        request,
        [
            look(Access(True), "person", p.public_id, shown, page="session-expected")
            for p in offered
        ],
    )
    return offered, sorted(set(withheld))


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_session
@submitted_once
def session_expected(request: HttpRequest, session: GroupSession) -> HttpResponse:
    """Choose who is expected: from the people of the service's open cases, or by search;
    or take someone off the list (the session page's button, posting `remove`)."""
    posted = request.POST if request.method == "POST" else None
    if posted is not None and "remove" in posted:
        return _take_off(request, session)
    searching = posted is not None and "search" in posted
    choosing = posted is not None and "person" in posted and not searching
    search = SearchForm(posted if searching else None, only=SESSION_SEARCH)
    candidates, withheld = _candidates(request, session)
    form = ExpectedForm(
        posted if posted is not None and not (searching or choosing) else None,
        candidates=candidates,
    )
    matches = found = None
    problem = ""
    if choosing:
        person = _chosen_person(request)
        try:
            if person is None:
                raise ValueError("person: choose a person from the results")
            sessions.set_expected(request, session, add=[person])
        except ValueError as refusal:
            problem = refusal_sentence(refusal)
        else:
            messages.success(request, f"{person.full_name} added to who is expected")
            return redirect("cases:session", session_id=session.public_id)
    elif searching and search.is_valid():
        matches, found = _search(request, search, "session-expected")
    elif form.is_bound and form.is_valid():
        try:
            sessions.set_expected(request, session, add=form.chosen())
        except ValueError as refusal:
            form.add_error("people", refusal_sentence(refusal))
        else:
            messages.success(request, "Who is expected saved")
            return redirect("cases:session", session_id=session.public_id)
    context = _session_context(session)
    context.update(
        {
            "form": form,
            "search": search,
            "matches": matches,
            "found": found,
            "problem": problem,
            "withheld": withheld,
            "candidates": candidates,
            "limit": sessions.CANDIDATE_LIMIT,
            "add_words": "Add as expected",
        }
    )
    return render(request, "cases/session_expected.html", context)


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_session
@submitted_once
def session_register(request: HttpRequest, session: GroupSession) -> HttpResponse:
    """Take the register: attended, absent or cancelled for each person on the list."""
    if session.held_on > date.today():
        messages.info(request, "The register is taken on the day of the session or after")
        return redirect("cases:session", session_id=session.public_id)
    rows = sessions.register_rows(request, session)
    form = RegisterForm(request.POST if request.method == "POST" else None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            sessions.take_register(request, session, form.statuses())
        except ValueError as refusal:
            form.add_error(None, refusal_sentence(refusal))
        else:
            messages.success(request, "Register saved")
            return redirect("cases:session", session_id=session.public_id)
    # Rows opened only by break-glass are left off the register and named nowhere on it.
    shown = [row for row in rows if not (row.allowed and row.access.emergency)]
    _audit_rows(request, session, shown, "session-register")
    context = _session_context(session)
    context.update({"form": form, "rows": rows})
    return render(request, "cases/session_register.html", context)


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_session
@submitted_once
def session_walk_in(request: HttpRequest, session: GroupSession) -> HttpResponse:
    """Add someone who came without being expected: found by search, recorded as attended."""
    if session.held_on > date.today():
        messages.info(request, "Walk-ins are added on the day of the session or after")
        return redirect("cases:session", session_id=session.public_id)
    posted = request.POST if request.method == "POST" else None
    choosing = posted is not None and "person" in posted and "search" not in posted
    search = SearchForm(
        posted if posted is not None and not choosing else None, only=SESSION_SEARCH
    )
    matches = found = None
    problem = ""
    if choosing:
        person = _chosen_person(request)
        try:
            if person is None:
                raise ValueError("person: choose a person from the results")
            sessions.add_walk_in(request, session, person)
        except ValueError as refusal:
            problem = refusal_sentence(refusal)
        else:
            messages.success(request, f"{person.full_name} added as a walk-in who attended")
            return redirect("cases:session", session_id=session.public_id)
    elif search.is_bound and search.is_valid():
        matches, found = _search(request, search, "session-walk-in")
    context = _session_context(session)
    context.update(
        {
            "search": search,
            "matches": matches,
            "found": found,
            "problem": problem,
            "add_words": "Add as a walk-in",
        }
    )
    return render(request, "cases/session_walk_in.html", context)
