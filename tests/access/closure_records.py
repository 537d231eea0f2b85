"""Closure records for the tests that visit every route with real records: a request
awaiting sign-off, and a closed case of the same family and team."""

from datetime import date

from earlyhelp.access.models import User
from earlyhelp.cases.choices import CaseRole
from earlyhelp.cases.models import Case, ClosureRequest
from earlyhelp.cases.services import open_case


def closure_awaiting(case: Case, requested_by: User) -> ClosureRequest:
    """A request to close `case` (whose assessments found no needs), awaiting sign-off."""
    return ClosureRequest.objects.create(
        case=case,
        reason="needs-met",
        summary="The family's goals are met",
        closing_on=case.started,
        requested_by=requested_by,
    )


def another_case(case: Case, *, closed_on: date | None = None) -> Case:
    """A second case of the same children, household and team as `case`; closed on
    `closed_on` (for a reason of the policy) if given."""
    members = list(case.members.select_related("person"))
    other = open_case(
        service=case.service,
        household=case.household,
        children=[m.person for m in members if m.role == CaseRole.CHILD],
        family=[m.person for m in members if m.role != CaseRole.CHILD],
        reason="An earlier episode of support",
        team=case.team,
        started=case.started,
        created_by=None,
    )
    if closed_on is not None:
        Case.objects.filter(pk=other.pk).update(ended=closed_on, closure_reason="needs-met")
        other.refresh_from_db()
    return other
