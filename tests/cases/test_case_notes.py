"""Case notes and management oversight: who writes which kind, and who sees a special
category note (the rule of special category facts).

Refused writes (a practitioner's oversight note, another team, break-glass, a closed case)
write nothing: no note, no event.
"""

from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases import case_notes
from earlyhelp.cases.models import CaseNote
from tests.factories import TeamFactory

SPECIAL = "Amira told us about her depression and new medication"


def _note(kind="case_note", note="Spoke to school about attendance", special="no") -> dict:
    return {"kind": kind, "note": note, "special_category": special}


def _add(case) -> str:
    return reverse("cases:add_case_note", args=[case.public_id])


def test_a_manager_of_the_team_records_an_oversight_note_with_its_event(client, manager, case):
    response = client.post(_add(case), _note("oversight", "Reviewed: visit weekly until March"))
    assert response.status_code == 302
    note = CaseNote.objects.get()
    assert (note.case, note.kind, note.author) == (case, "oversight", manager)
    assert note.note == "Reviewed: visit weekly until March"
    event = AuditEvent.objects.get(action="create", record_type="case-note")
    assert event.record_id == str(note.public_id)
    assert event.details == {"case": str(case.public_id), "kind": "oversight"}
    assert "reports-and-plans" in event.categories


def test_a_practitioner_writes_a_case_note(client, practitioner, case):
    assert client.post(_add(case), _note()).status_code == 302
    assert CaseNote.objects.get().kind == "case_note"


def test_a_practitioner_is_not_offered_and_cannot_post_an_oversight_note(
    client, practitioner, case
):
    page = client.get(_add(case)).content.decode()
    assert "Management oversight" not in page
    response = client.post(_add(case), _note("supervision", "Supervision"))
    assert response.status_code == 200
    assert "Type of note: select one of the options shown" in response.content.decode()
    assert not CaseNote.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


def test_the_service_refuses_an_oversight_note_by_a_practitioner_and_writes_nothing(
    make_user, team, case, request_as
):
    worker = make_user("pat", Role.PRACTITIONER)
    team.members.add(worker)
    with pytest.raises(ValueError, match=r"^kind: a supervision"):
        case_notes.record_case_note(
            request_as(worker), case, kind="oversight", note="x", special_category=False
        )
    assert not CaseNote.objects.exists() and not AuditEvent.objects.exists()


def test_a_manager_of_another_team_is_refused_and_writes_nothing(client, make_user, sign_in, case):
    other = make_user("olga", Role.TEAM_MANAGER)
    TeamFactory(name="South", service="iyss").members.add(other)
    sign_in(other)
    assert client.post(_add(case), _note("oversight")).status_code == 403
    assert not CaseNote.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


def test_a_note_on_a_closed_case_is_refused_and_writes_nothing(make_user, team, case, request_as):
    boss = make_user("mo", Role.TEAM_MANAGER)
    team.members.add(boss)
    case.ended = date(2026, 10, 1)
    case.save()
    with pytest.raises(ValueError, match=r"^case: closed on 1 October 2026"):
        case_notes.record_case_note(
            request_as(boss), case, kind="oversight", note="x", special_category=False
        )
    assert not CaseNote.objects.exists() and not AuditEvent.objects.exists()


def test_an_empty_note_is_refused_naming_the_field(client, manager, case):
    response = client.post(_add(case), _note(note=""))
    assert "Enter the note" in response.content.decode()
    assert not CaseNote.objects.exists()


def test_a_special_category_note_is_shown_to_the_manager_and_its_categories_recorded(
    client, manager, case
):
    client.post(_add(case), _note("supervision", SPECIAL, special="yes"))
    before = AuditEvent.objects.order_by("-id").first().id
    page = client.get(reverse("cases:case", args=[case.public_id])).content.decode()
    assert SPECIAL in page and "Special category" in page
    look = AuditEvent.objects.get(id__gt=before, record_type="case", action="view")
    assert set(case_notes.special_category_ids()) <= set(look.categories)
    assert "health" in look.categories


def test_a_special_category_note_is_hidden_from_a_practitioner_not_allocated(
    client, make_user, sign_in, team, case, request_as
):
    boss = make_user("mo", Role.TEAM_MANAGER)
    team.members.add(boss)
    case_notes.record_case_note(
        request_as(boss), case, kind="supervision", note=SPECIAL, special_category=True
    )
    case_notes.record_case_note(
        request_as(boss), case, kind="oversight", note="Plan agreed, fine", special_category=False
    )
    worker = make_user("pat", Role.PRACTITIONER)
    team.members.add(worker)
    sign_in(worker)
    before = AuditEvent.objects.order_by("-id").first().id
    page = client.get(reverse("cases:case", args=[case.public_id])).content.decode()
    assert SPECIAL not in page
    assert "Plan agreed, fine" in page
    assert "1 note with special category information is not shown" in page
    look = AuditEvent.objects.get(id__gt=before, record_type="case", action="view")
    assert not set(case_notes.special_category_ids()) & set(look.categories)


def test_the_allocated_worker_sees_a_special_category_note(
    client, make_user, sign_in, team, case, request_as
):
    boss = make_user("mo", Role.TEAM_MANAGER)
    team.members.add(boss)
    case_notes.record_case_note(
        request_as(boss), case, kind="supervision", note=SPECIAL, special_category=True
    )
    worker = make_user("pat", Role.PRACTITIONER)
    team.members.add(worker)
    case.allocated_worker = worker
    case.save()
    sign_in(worker)
    assert SPECIAL in client.get(reverse("cases:case", args=[case.public_id])).content.decode()


def test_the_case_page_offers_oversight_to_its_manager_only(client, manager, case):
    page = client.get(reverse("cases:case", args=[case.public_id])).content.decode()
    assert "Write a case note, supervision or oversight note" in page


def _chronologies(case) -> list[str]:
    child = case.members.first().person
    return [
        reverse("people:person_chronology", args=[child.public_id]),
        reverse("people:household_chronology", args=[case.household.public_id]),
    ]


def test_case_notes_are_in_the_chronology_and_a_special_one_only_for_whom_may_read_it(
    client, make_user, sign_in, team, case, request_as
):
    boss = make_user("mo", Role.TEAM_MANAGER)
    team.members.add(boss)
    case_notes.record_case_note(
        request_as(boss), case, kind="supervision", note=SPECIAL, special_category=True
    )
    case_notes.record_case_note(
        request_as(boss), case, kind="oversight", note="Plan agreed, fine", special_category=False
    )
    worker = make_user("pat", Role.PRACTITIONER)
    team.members.add(worker)
    special = set(case_notes.special_category_ids())
    for reader, sees in ((worker, False), (boss, True)):
        sign_in(reader)
        for url in _chronologies(case):
            before = AuditEvent.objects.order_by("-id").first().id
            page = client.get(url).content.decode()
            assert "Management oversight" in page and "Plan agreed, fine" in page, url
            assert (SPECIAL in page, "Supervision note" in page) == (sees, sees), (reader, url)
            look = AuditEvent.objects.filter(id__gt=before, action="view").first()
            assert bool(special & set(look.categories)) == sees, (reader, url)
