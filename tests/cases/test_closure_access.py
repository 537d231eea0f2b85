"""Need-to-know on the closure pages: another team, break-glass and a restriction are refused
every closure write (request, sign off or return, reopen), which writes nothing; under
break-glass the pages offer none of them."""

from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases.models import Case
from tests.access.closure_records import another_case, closure_awaiting
from tests.access.test_refused_writes import BREAK_GLASS_REASON, _changed, snapshot
from tests.cases.test_plans_pages import day
from tests.factories import RestrictionFactory, TeamFactory

WRITES = ["request", "decide", "reopen"]


@pytest.fixture
def closing(case, make_user, team):
    """The family's case, with a request to close it awaiting sign-off."""
    asker = make_user("wren", Role.PRACTITIONER)
    team.members.add(asker)
    closure_awaiting(case, asker)
    return case


def _write(write: str, case: Case) -> tuple[str, dict]:
    """A closure write on the family's cases, with data its own team could save."""
    if write == "request":
        fresh = another_case(case)
        data = {"reason": "needs-met", **day("closing_on", date(2026, 10, 2)), "summary": "Done"}
        return reverse("cases:request_closure", args=[fresh.public_id]), data
    if write == "decide":
        asked = case.closure_requests.get()
        url = reverse("cases:decide_closure", args=[case.public_id, asked.public_id])
        return url, {"decision": "approve"}
    closed = another_case(case, closed_on=date(2026, 11, 1))
    return reverse("cases:reopen_case", args=[closed.public_id]), {"reason": "Back again"}


def _last_event_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _nothing_written(before: dict, last: int) -> bool:
    writes = AuditEvent.objects.filter(id__gt=last, action__in=["create", "change"])
    return _changed(before, snapshot()) == {} and not writes.exists()


@pytest.mark.parametrize("write", WRITES)
def test_the_same_write_by_the_familys_own_team_is_saved(
    client, make_user, sign_in, team, closing, write
):
    """The control: the data posted below is valid, so a missing guard would show."""
    user = make_user("nadia", Role.TEAM_MANAGER)
    team.members.add(user)
    sign_in(user)
    url, data = _write(write, closing)
    before = snapshot()
    assert client.post(url, data).status_code == 302
    assert _changed(before, snapshot())


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.TEAM_MANAGER])
@pytest.mark.parametrize("write", WRITES)
def test_another_team_is_refused_every_closure_write_and_nothing_is_written(
    client, make_user, sign_in, closing, write, role
):
    outsider = make_user("olu", role)
    TeamFactory(name="South youth", service="iyss").members.add(outsider)
    sign_in(outsider)
    url, data = _write(write, closing)
    before, last = snapshot(), _last_event_id()
    assert client.post(url, data).status_code == 403
    assert _nothing_written(before, last)


@pytest.mark.parametrize("write", WRITES)
def test_break_glass_reads_the_closure_but_is_refused_every_write(
    client, make_user, sign_in, closing, family, write
):
    outsider = make_user("olu", Role.TEAM_MANAGER)
    TeamFactory(name="South youth", service="iyss").members.add(outsider)
    sign_in(outsider)
    glass = reverse("people:break_glass", args=[family["yusuf"].public_id])
    assert client.post(glass, {"reason": BREAK_GLASS_REASON}).status_code == 302
    asked = closing.closure_requests.get()
    page = client.get(reverse("cases:closure", args=[closing.public_id, asked.public_id]))
    assert page.status_code == 200 and "Emergency access" in page.content.decode()
    assert "Sign off or return" not in page.content.decode()
    url, data = _write(write, closing)
    before, last = snapshot(), _last_event_id()
    assert client.post(url, data).status_code == 403
    assert _nothing_written(before, last)


def test_under_break_glass_the_case_page_offers_no_closure_writes(
    client, make_user, sign_in, case, family
):
    closed = another_case(case, closed_on=date(2026, 11, 1))
    outsider = make_user("olu", Role.PRACTITIONER)
    TeamFactory(name="South youth", service="iyss").members.add(outsider)
    sign_in(outsider)
    client.post(
        reverse("people:break_glass", args=[family["yusuf"].public_id]),
        {"reason": BREAK_GLASS_REASON},
    )
    page = client.get(reverse("cases:case", args=[case.public_id])).content.decode()
    assert reverse("cases:request_closure", args=[case.public_id]) not in page
    page = client.get(reverse("cases:case", args=[closed.public_id])).content.decode()
    assert "Closed 1 November 2026" in page
    assert reverse("cases:reopen_case", args=[closed.public_id]) not in page


@pytest.mark.parametrize("write", WRITES)
def test_a_restriction_refuses_the_familys_own_manager_every_closure_write(
    client, make_user, manager, closing, family, write
):
    url, data = _write(write, closing)
    keeper = make_user("keeper", Role.TEAM_MANAGER)
    RestrictionFactory(person=family["yusuf"], reason="Works here", created_by=keeper)
    before, last = snapshot(), _last_event_id()
    assert client.post(url, data).status_code == 403
    assert _nothing_written(before, last)
