"""An emergency access the IG officer finds not justified is told to the worker's team
manager: a notice on the manager's home page, naming the worker and the officer's note but
never whose record was opened, shown until the manager marks it read; both audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from earlyhelp.access.models import EmergencyAccessNotice
from earlyhelp.access.notices import NOTICE_RECORD
from earlyhelp.access.roles import Role
from earlyhelp.audit.log import record
from earlyhelp.audit.models import AuditEvent, AuditReview
from tests.factories import TeamFactory
from tests.web.test_words_not_codes import visible

NOTE = "No emergency: the worker could have asked the family's team"


def _named(make_user, username, first, last, *roles):
    user = make_user(username, *roles)
    user.first_name, user.last_name = first, last
    user.save()
    return user


@pytest.fixture
def people(make_user, family, case):
    """Olu, a practitioner of South youth, who broke glass on Yusuf's record; South youth's
    manager Ngozi; Marcus, the manager of the family's own team; and the IG officer."""
    south = TeamFactory(name="South youth", service="iyss")
    olu = _named(make_user, "olu", "Olu", "Adeyemi", Role.PRACTITIONER)
    ngozi = _named(make_user, "ngozi", "Ngozi", "Eze", Role.TEAM_MANAGER)
    south.members.add(olu, ngozi)
    marcus = _named(make_user, "marcus", "Marcus", "Bell", Role.TEAM_MANAGER)
    case.team.members.add(marcus)
    officer = _named(make_user, "gwen.ig", "Gwen", "Ifans", Role.INFORMATION_GOVERNANCE)
    glass = record(
        action="break_glass",
        record_type="person",
        record_id=family["yusuf"].public_id,
        reason="Police at the door asking about Yusuf",
        flagged=True,
        rule="access:break-glass",
        actor=olu,
    )
    return {"olu": olu, "ngozi": ngozi, "marcus": marcus, "officer": officer, "glass": glass}


def _review(client, sign_in, people, outcome: str, once: str = "r-1"):
    sign_in(people["officer"])
    return client.post(
        reverse("governance:review", args=[people["glass"].pk]),
        {"outcome": outcome, "note": NOTE, "form_token": once},
        follow=True,
    )


def test_not_justified_tells_the_manager_of_the_workers_team_and_no_one_else(
    client, sign_in, people
):
    done = _review(client, sign_in, people, "not_justified")
    assert (
        "Review recorded. Ngozi Eze will see on their home page that the emergency access by "
        "Olu Adeyemi was not justified" in visible(done)
    )
    notice = EmergencyAccessNotice.objects.get()
    assert (notice.manager, notice.worker) == (people["ngozi"], people["olu"])
    assert notice.review == AuditReview.objects.get(event=people["glass"])
    # Audited against the notice, by the officer who reviewed.
    event = AuditEvent.objects.get(record_type=NOTICE_RECORD, action="create")
    assert event.actor == people["officer"] and event.record_id == str(notice.public_id)


def test_the_managers_home_page_shows_the_notice_without_naming_the_family(client, sign_in, people):
    _review(client, sign_in, people, "not_justified")
    sign_in(people["ngozi"])
    home = visible(client.get(reverse("web:home")))
    assert "Emergency access not justified" in home
    assert "Olu Adeyemi's emergency access on" in home
    assert "found not justified by Gwen Ifans" in home
    notice = EmergencyAccessNotice.objects.get()
    page = visible(
        client.get(reverse("governance:emergency_access_notice", args=[notice.public_id]))
    )
    assert NOTE in page and "Olu Adeyemi" in page
    for text in (home, page):
        assert "Yusuf" not in text and "Haddad" not in text and "Police at the door" not in text


def test_the_notice_stays_on_the_home_page_until_the_manager_marks_it_read(client, sign_in, people):
    _review(client, sign_in, people, "not_justified")
    notice = EmergencyAccessNotice.objects.get()
    sign_in(people["ngozi"])
    assert "Emergency access not justified" in visible(client.get(reverse("web:home")))
    url = reverse("governance:emergency_access_notice", args=[notice.public_id])
    done = client.post(url, follow=True)
    assert "Notice marked as read" in visible(done)
    assert "Olu Adeyemi's emergency access" not in visible(client.get(reverse("web:home")))
    notice.refresh_from_db()
    assert notice.read_at is not None
    client.post(url)  # a second click marks nothing twice
    read = AuditEvent.objects.filter(record_type=NOTICE_RECORD, action="change")
    assert read.count() == 1 and read.get().actor == people["ngozi"]
    assert read.get().details["what"] == "emergency access notice read"


@pytest.mark.parametrize("outcome", ["justified", "more_information"])
def test_a_review_that_is_not_not_justified_tells_no_manager(client, sign_in, people, outcome):
    done = _review(client, sign_in, people, outcome)
    assert "Review recorded" in visible(done)
    assert not EmergencyAccessNotice.objects.exists()
    assert not AuditEvent.objects.filter(record_type=NOTICE_RECORD).exists()


def test_a_manager_cannot_open_another_managers_notice(client, sign_in, people):
    _review(client, sign_in, people, "not_justified")
    notice = EmergencyAccessNotice.objects.get()
    sign_in(people["marcus"])
    url = reverse("governance:emergency_access_notice", args=[notice.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_a_worker_with_no_team_manager_leaves_the_officer_to_tell_their_manager(
    client, sign_in, people
):
    people["ngozi"].teams.clear()
    done = _review(client, sign_in, people, "not_justified")
    assert (
        "Olu Adeyemi is in no team with a team manager, so no manager was told: tell their "
        "manager yourself" in visible(done)
    )
    assert not EmergencyAccessNotice.objects.exists()
    assert AuditReview.objects.get().outcome == "not_justified"


def test_a_manager_who_broke_glass_is_told_of_by_the_other_managers_of_their_team_not_themself(
    client, sign_in, people, make_user
):
    south = people["ngozi"].teams.get()
    deputy = _named(make_user, "dee", "Dee", "Okoro", Role.TEAM_MANAGER)
    south.members.add(deputy)
    glass = record(
        action="break_glass",
        record_type="person",
        record_id=people["glass"].record_id,
        reason="Urgent",
        flagged=True,
        rule="access:break-glass",
        actor=people["ngozi"],
    )
    sign_in(people["officer"])
    client.post(
        reverse("governance:review", args=[glass.pk]),
        {"outcome": "not_justified", "note": NOTE, "form_token": "r-9"},
    )
    assert [n.manager for n in EmergencyAccessNotice.objects.all()] == [deputy]


def test_the_review_form_tells_the_officer_the_note_goes_to_the_manager(client, sign_in, people):
    sign_in(people["officer"])
    page = visible(client.get(reverse("governance:review", args=[people["glass"].pk])))
    assert "the worker's team manager is told, with this note: do not name the family" in page
