"""Who has seen a record, attacked: filters no form offers, a record restricted from the
officer, and the merge page's searches, each answered with words and recorded as a look."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.access.models import EmergencyAccessNotice, Restriction
from earlyhelp.access.notices import NOTICE_RECORD
from earlyhelp.access.roles import Role
from earlyhelp.access.who_has_seen import LISTED, LISTED_WORDS
from earlyhelp.audit.log import record
from earlyhelp.audit.models import AuditEvent
from tests.factories import PersonFactory, TeamFactory
from tests.web.test_words_not_codes import visible


@pytest.fixture
def officer(make_user):
    user = make_user("gwen.ig", Role.INFORMATION_GOVERNANCE)
    user.first_name, user.last_name = "Gwen", "Ifans"
    user.save()
    return user


def _look(actor, person, page="person"):
    return record(
        action="view",
        record_type="person",
        record_id=person.public_id,
        rule="access:allocation",
        details={"page": page},
        actor=actor,
    )


def test_a_range_ending_on_the_last_day_there_is_lists_every_look_never_an_error_page(
    client, sign_in, officer, make_user, family
):
    priya = make_user("priya", Role.PRACTITIONER)
    _look(priya, family["yusuf"])
    sign_in(officer)
    last_day = {"until_day": "31", "until_month": "12", "until_year": "9999"}
    for name in ("who_has_seen", "who_has_seen_export"):
        url = reverse(f"governance:{name}", args=[family["yusuf"].public_id])
        response = client.get(url, last_day)
        assert response.status_code == 200, name
    url = reverse("governance:who_has_seen", args=[family["yusuf"].public_id])
    page = visible(client.get(url, {**last_day, "who": priya.pk}))
    assert "1 event matching the filters" in page


def test_the_officers_look_at_a_restricted_records_list_is_recorded_against_the_person(
    client, sign_in, officer, make_user, family
):
    # The list names the person only as a restricted record, but it is theirs: who looked
    # and why is about them.
    owner = make_user("marcus", Role.TEAM_MANAGER)
    restriction = Restriction.objects.create(
        person=family["yusuf"], reason="A relative works in the service", created_by=owner
    )
    restriction.named_users.add(owner)
    _look(owner, family["yusuf"])
    sign_in(officer)
    page = visible(client.get(reverse("governance:who_has_seen", args=[family["yusuf"].public_id])))
    assert "Yusuf" not in page and "A restricted record" in page
    looks = AuditEvent.objects.filter(
        actor=officer, record_id=str(family["yusuf"].public_id), details__page="who-has-seen"
    )
    assert looks.count() == 1
    assert looks.get().rule == "access:governance"


def test_a_merge_pages_search_and_its_likely_duplicates_read_as_listed_in_search_results(
    client, sign_in, officer, make_user, team, case, family
):
    manager = make_user("marcus", Role.TEAM_MANAGER)
    team.members.add(manager)
    sign_in(manager)
    PersonFactory(
        given_name="Yusef", family_name="Haddad", date_of_birth=date(2016, 2, 9), nhs_number=""
    )
    found = PersonFactory(given_name="Yusuf", family_name="Karimi", unidentified=True)
    url = reverse("people:merge", args=[family["yusuf"].public_id])
    client.post(url, {"action": "find", "find-name": "Yusuf Karimi"})
    assert AuditEvent.objects.filter(
        record_id=str(found.public_id), details__page="merge-search"
    ).exists()
    sign_in(officer)
    listed = reverse("governance:who_has_seen", args=[found.public_id])
    page = visible(client.get(listed))
    assert LISTED_WORDS in page
    assert "1 event matching the filters" in visible(
        client.get(listed, {"action": LISTED, "who": manager.pk})
    )
    assert "No event matches the filters" in visible(
        client.get(listed, {"action": "view", "who": manager.pk})
    )


def test_a_second_review_of_one_emergency_access_tells_no_manager_twice(
    client, sign_in, officer, make_user, family
):
    worker = make_user("olu", Role.PRACTITIONER)
    boss = make_user("ngozi", Role.TEAM_MANAGER)
    TeamFactory(name="South youth", service="iyss").members.add(worker, boss)
    glass = record(
        action="break_glass",
        record_type="person",
        record_id=family["yusuf"].public_id,
        reason="Police at the door",
        flagged=True,
        rule="access:break-glass",
        actor=worker,
    )
    sign_in(officer)
    url = reverse("governance:review", args=[glass.pk])
    for once in ("first", "second"):
        done = client.post(
            url, {"outcome": "not_justified", "note": "", "form_token": once}, follow=True
        )
    assert EmergencyAccessNotice.objects.filter(manager=boss).count() == 1
    assert "were not told again" in visible(done)
    assert AuditEvent.objects.filter(record_type=NOTICE_RECORD, action="create").count() == 1


def test_a_head_request_for_the_export_is_refused_and_records_no_export(
    client, sign_in, officer, family
):
    sign_in(officer)
    url = reverse("governance:who_has_seen_export", args=[family["yusuf"].public_id])
    assert client.head(url).status_code == 405
    assert not AuditEvent.objects.filter(action="export").exists()
    assert client.get(url).status_code == 200
