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
their allocation; break-glass does not open it, nor does a rights request.

A person matched to an open rights request (rights.RequestPerson) is open, to read
only, to the information governance officer handling the request, for that request:
every look names it. It closes when the request closes or the record leaves its scope.

Special category and criminal offence facts need more than team access: the
worker allocated to one of the person's cases, or a manager of its team.
"""

import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest

from earlyhelp.access.models import Restriction, User
from earlyhelp.access.roles import CASEWORK, Role
from earlyhelp.cases.choices import service_telling_nothing
from earlyhelp.cases.models import Case, CaseMember
from earlyhelp.people.models import Household, HouseholdMember, Person
from earlyhelp.rights.models import RequestPerson

# How long emergency access to one record lasts.
BREAK_GLASS_SECONDS = 60 * 60
BREAK_GLASS_SESSION_KEY = "break_glass"


def _of_my_teams(user: User, via: str = "") -> Q | None:
    """That a case (reached through `via`, as "case__") is held by one of the user's teams or
    allocated to them; None for a role that holds no cases."""
    if not user.has_role(Role.TEAM_MANAGER, Role.PRACTITIONER):
        return None
    return Q(**{f"{via}team__members": user}) | Q(**{f"{via}allocated_worker": user})


def cases_of_my_teams(user: User) -> QuerySet[Case]:
    mine = _of_my_teams(user)
    return Case.objects.none() if mine is None else Case.objects.filter(mine).distinct()


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


def allocated_to(user: User, person: OuterRef) -> Q:
    """allocated_person_ids as a condition on the row whose person column `person` names
    (OuterRef("person_id")), for a filter over many rows: an EXISTS over that person's
    case memberships and current households, each case's team among the user's teams or
    allocated to them. The list form's "pk in (everyone on my teams' cases)" makes SQLite
    probe every such case for each row."""
    if not user.has_role(Role.TEAM_MANAGER, Role.PRACTITIONER):
        return Q(pk__in=[])
    teams = list(user.teams.values_list("pk", flat=True))
    on_my_case = Q(case__team_id__in=teams) | Q(case__allocated_worker_id=user.pk)
    in_my_household = Q(household__cases__team_id__in=teams) | Q(
        household__cases__allocated_worker_id=user.pk
    )
    return Q(Exists(CaseMember.objects.filter(on_my_case, person_id=person))) | Q(
        Exists(HouseholdMember.objects.current().filter(in_my_household, person_id=person))
    )


def held_by_no_case(person: OuterRef) -> Q:
    """is_held's negation as a condition on the row whose person column `person` names: on
    no case, and living in no household a case holds (open to all casework)."""
    on_a_case = Exists(CaseMember.objects.filter(person_id=person))
    in_a_held_household = Exists(
        HouseholdMember.objects.current().filter(person_id=person, household__cases__isnull=False)
    )
    return Q(~on_a_case & ~in_a_held_household)


def holds_any(user: User, person_ids: Iterable[int]) -> bool:
    """Whether any of `person_ids` is among allocated_person_ids(user), asked from the
    people's side: indexed look-ups by person (their case memberships, the households they
    live in now), not a walk over every person on the user's teams' cases."""
    person_ids = list(person_ids)
    on_my_cases = _of_my_teams(user, "case__")
    if on_my_cases is None or not person_ids:
        return False
    if CaseMember.objects.filter(on_my_cases, person_id__in=person_ids).exists():
        return True
    households = HouseholdMember.objects.current().filter(person_id__in=person_ids)
    return Case.objects.filter(
        _of_my_teams(user), household__in=households.values("household_id")
    ).exists()


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


def restricted_from(user: User) -> QuerySet:
    """The ids of the people whose records are restricted from `user` (a restriction that
    does not name them), for a list's filter: the list form of is_restricted_from."""
    return Restriction.objects.exclude(named_users=user).values("person_id")


def who_to_ask(person: Person) -> str:
    """Whom someone a restriction excludes should ask: the manager who made it or last
    changed it (its owner), by name."""
    restriction = getattr(person, "restriction", None)
    if restriction is None:
        return ""
    maker = restriction.changed_by or restriction.created_by
    return maker.get_full_name() or maker.get_username()


@dataclass(frozen=True)
class Access:
    allowed: bool
    emergency: bool = False  # opened by break-glass, not by allocation
    restricted: bool = False  # closed by a restriction naming other people
    ask: str = ""  # when restricted: the manager who made the restriction, by name
    rights_request: str = ""  # opened for a rights request: its reference ("R-7KQ2-M9XD")
    no_case: bool = False  # open to casework because no case holds the record

    @property
    def read_only(self) -> bool:
        """Opened by break-glass or for a rights request: to be read, never changed."""
        return self.emergency or bool(self.rights_request)


def rights_request_for(user: User, person: Person) -> str:
    """The reference of an open rights request that `user` handles, as an information
    governance officer, with `person` in its scope; "" when there is none."""
    if not user.has_role(Role.INFORMATION_GOVERNANCE):
        return ""
    reference = (
        RequestPerson.objects.filter(
            person=person, request__closed_on__isnull=True, request__handled_by=user
        )
        .order_by("request__received", "request__pk")
        .values_list("request__reference", flat=True)
        .first()
    )
    return reference or ""


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
    if holds_any(user, [person.pk]):
        return Access(True)
    if user.has_role(*CASEWORK) and not is_held(person):
        return Access(True, no_case=True)
    if break_glass_active(request, person):
        return Access(True, emergency=True)
    reference = rights_request_for(user, person)
    if reference:
        return Access(True, rights_request=reference)
    return Access(False)


def case_access(request: HttpRequest, case: Case) -> Access:
    """Whether the user may open `case` (see case_accesses, which says the rule)."""
    return case_accesses(request, [case])[case.pk]


def case_accesses(request: HttpRequest, cases: Iterable[Case]) -> dict[int, Access]:
    """The case rule for each of `cases`: {case pk: Access}, in two queries however many
    cases (a work list's page), and one more per restriction met.

    In order: a restriction closing any member of the case to the user refuses it, naming
    whom to ask; a case of the user's teams or allocated to them opens; break-glass on any
    member opens it as an emergency; anything else is refused.
    """
    pks = [case.pk for case in cases]
    members: dict[int, list[Person]] = {pk: [] for pk in pks}
    on_cases = (
        CaseMember.objects.filter(case_id__in=pks)
        .select_related("person__restriction__created_by")
        .order_by("person_id", "pk")
    )
    for member in on_cases if pks else ():
        members[member.case_id].append(member.person)
    accesses = {}
    for pk in pks:
        closed = _restricted_access(request.user, members[pk])
        if closed is not None:
            accesses[pk] = closed
    open_to_check = [pk for pk in pks if pk not in accesses]
    mine = set(
        cases_of_my_teams(request.user).filter(pk__in=open_to_check).values_list("pk", flat=True)
        if open_to_check
        else ()
    )
    for pk in open_to_check:
        if pk in mine:
            accesses[pk] = Access(True)
        elif any(break_glass_active(request, person) for person in members[pk]):
            accesses[pk] = Access(True, emergency=True)
        else:
            accesses[pk] = Access(False)
    return accesses


def household_access(request: HttpRequest, household: Household) -> Access:
    # Only who lives here now: a former member's record must not open the household they
    # left (and with it where the family lives now).
    members = list(household.current_members(merged=True).select_related("restriction__created_by"))
    closed = _restricted_access(request.user, members)
    if closed is not None:
        return closed
    # One or two queries for the usual answer (a member is on the user's cases), not a
    # person_access for each member.
    if holds_any(request.user, [person.pk for person in members]):
        return Access(True)
    # A rights request opens the person matched to it, never the household they live in.
    accesses = [a for a in (person_access(request, p) for p in members) if not a.rights_request]
    if any(a.allowed and not a.emergency and not a.no_case for a in accesses):
        return Access(True)
    if any(a.no_case for a in accesses):
        return Access(True, no_case=True)
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
