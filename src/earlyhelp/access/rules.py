"""Need-to-know: who may open which family record.

The unit of access is the case. A practitioner may open the cases allocated to
them and to their teams; a team manager the cases of their teams. A person or
household is open to whoever may open a case they are on. Everyone else who
does casework can see that a record exists and who holds it, and may open it
in an emergency (break-glass) by giving a reason, which is flagged for review.

A person no case holds (a relative outside the household, a record just
made) is open to everyone who does casework: there is no allocation to keep
it to, and someone has to be able to open the first case.

A restricted person (a family at risk from someone who works here, a
high-profile case) is open only to the users named on the restriction, whatever
their allocation; break-glass does not open it.

Special category and criminal offence facts need more than team access: the
worker allocated to one of the person's cases, or a manager of its team.
"""

import time
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from earlyhelp.access.models import User
from earlyhelp.access.roles import CASEWORK, Role
from earlyhelp.cases.choices import service_telling_nothing
from earlyhelp.cases.models import Case, CaseMember
from earlyhelp.people.models import Household, HouseholdMember, Person

# How long emergency access to one record lasts.
BREAK_GLASS_SECONDS = 60 * 60
BREAK_GLASS_SESSION_KEY = "break_glass"


def cases_of_my_teams(user: User) -> QuerySet[Case]:
    if user.has_role(Role.TEAM_MANAGER, Role.PRACTITIONER):
        return Case.objects.filter(Q(team__members=user) | Q(allocated_worker=user)).distinct()
    return Case.objects.none()


def allocated_person_ids(user: User) -> QuerySet:
    """People on a case the user may open, or living now in a household with one.

    Someone who left the household is no longer reached through it: the household's case
    must not lead to where they went.
    """
    cases = cases_of_my_teams(user).values("pk")
    on_cases = CaseMember.objects.filter(case__in=cases).values("person_id")
    households = Case.objects.filter(pk__in=cases, household__isnull=False).values("household_id")
    in_households = (
        HouseholdMember.objects.current().filter(household__in=households).values("person_id")
    )
    return Person.objects.filter(Q(pk__in=on_cases) | Q(pk__in=in_households)).values("pk")


def _households_of(person: Person) -> QuerySet:
    """The households the person lives in now (not those they left), as ids."""
    return HouseholdMember.objects.current().filter(person=person).values("household_id")


def is_held(person: Person) -> bool:
    """Whether any case holds the person: as a member, or through the household they live
    in now (a household they left holds them no longer, as allocated_person_ids agrees)."""
    return (
        CaseMember.objects.filter(person=person).exists()
        or Case.objects.filter(household__in=_households_of(person)).exists()
    )


def is_restricted_from(user: User, person: Person) -> bool:
    restriction = getattr(person, "restriction", None)
    return restriction is not None and not restriction.named_users.filter(pk=user.pk).exists()


def who_to_ask(person: Person) -> str:
    """Whom someone a restriction excludes should ask: the manager who made it, by name."""
    restriction = getattr(person, "restriction", None)
    if restriction is None:
        return ""
    maker = restriction.created_by
    return maker.get_full_name() or maker.get_username()


@dataclass(frozen=True)
class Access:
    allowed: bool
    emergency: bool = False  # opened by break-glass, not by allocation
    restricted: bool = False  # closed by a restriction naming other people
    ask: str = ""  # when restricted: the manager who made the restriction, by name


def break_glass_active(request: HttpRequest, person: Person) -> bool:
    granted = request.session.get(BREAK_GLASS_SESSION_KEY, {})
    return granted.get(str(person.public_id), 0) > time.time()


def grant_break_glass(request: HttpRequest, person: Person) -> None:
    granted = {
        key: until
        for key, until in request.session.get(BREAK_GLASS_SESSION_KEY, {}).items()
        if until > time.time()
    }
    granted[str(person.public_id)] = time.time() + BREAK_GLASS_SECONDS
    request.session[BREAK_GLASS_SESSION_KEY] = granted


def person_access(request: HttpRequest, person: Person) -> Access:
    user = request.user
    if is_restricted_from(user, person):
        return Access(False, restricted=True, ask=who_to_ask(person))
    if allocated_person_ids(user).filter(pk=person.pk).exists():
        return Access(True)
    if user.has_role(*CASEWORK) and not is_held(person):
        return Access(True)
    if break_glass_active(request, person):
        return Access(True, emergency=True)
    return Access(False)


def case_access(request: HttpRequest, case: Case) -> Access:
    members = Person.objects.filter(case_memberships__case=case).select_related(
        "restriction__created_by"
    )
    closed = _restricted_access(request.user, members)
    if closed is not None:
        return closed
    if cases_of_my_teams(request.user).filter(pk=case.pk).exists():
        return Access(True)
    if any(break_glass_active(request, person) for person in members):
        return Access(True, emergency=True)
    return Access(False)


def household_access(request: HttpRequest, household: Household) -> Access:
    # Only who lives here now: a former member's record must not open the household they
    # left (and with it where the family lives now).
    members = list(household.current_members(merged=True).select_related("restriction__created_by"))
    closed = _restricted_access(request.user, members)
    if closed is not None:
        return closed
    # One query for the usual answer (a member is on the user's cases), not one a member.
    member_ids = [person.pk for person in members]
    if member_ids and allocated_person_ids(request.user).filter(pk__in=member_ids).exists():
        return Access(True)
    accesses = [person_access(request, person) for person in members]
    if any(a.allowed and not a.emergency for a in accesses):
        return Access(True)
    if any(a.allowed for a in accesses):
        return Access(True, emergency=True)
    return Access(False)


def _restricted_access(user: User, people) -> Access | None:
    """A refusal naming whom to ask, if a restriction closes any of `people` to the user."""
    for person in people:
        if is_restricted_from(user, person):
            return Access(False, restricted=True, ask=who_to_ask(person))
    return None


def works_in_team_of(user: User, case: Case) -> bool:
    """A member of the team holding `case`, whatever their role: who may ask to close or
    reopen it (cases.closure)."""
    return case.team.members.filter(pk=user.pk).exists()


def manages_team_of(user: User, case: Case) -> bool:
    """A team manager of the team holding `case`: who allocates it, signs its closure off and
    writes oversight notes on it (cases.services, cases.closure, cases.case_notes)."""
    return user.has_role(Role.TEAM_MANAGER) and works_in_team_of(user, case)


def may_see_sensitive(user: User, person: Person) -> bool:
    """Special category and criminal offence facts (UK GDPR art. 9 and 10; DESIGN.md "shown
    only to roles with need-to-know"): the worker allocated to an OPEN case of the person, or
    a manager of a team holding any case of theirs, closed ones included.

    A worker's need ends with the case: once it closes, the worker who held it has no more
    need for the family's health or offending than any other colleague. The manager's does
    not, since closed records stay under the team's oversight (sign-off, reopening,
    complaints) until retention ends them.
    """
    cases = Case.objects.filter(members__person=person)
    if cases.filter(allocated_worker=user, ended__isnull=True).exists():
        return True
    return user.has_role(Role.TEAM_MANAGER) and cases.filter(team__members=user).exists()


def holders(person: Person) -> list[str]:
    """Who holds a person's record, in words, for someone without access to it."""
    cases = (
        Case.objects.filter(Q(members__person=person) | Q(household__in=_households_of(person)))
        .select_related("team", "allocated_worker")
        .distinct()
        .order_by("-started")
    )
    found = []
    for case in cases:
        status = "open" if case.ended is None else f"closed {case.ended:%-d %B %Y}"
        broader = service_telling_nothing(case.service)
        if broader is not None:
            # The team's name would tell someone without access about health or offending.
            found.append(f"A specialist team of {broader} (ask your manager who), case {status}")
            continue
        worker = case.allocated_worker.get_full_name() if case.allocated_worker else "not allocated"
        found.append(f"{case.team.name} (allocated worker: {worker}), case {status}")
    return found
