"""The side paths to family data: pages that gather records, break-glass, merge undo.

Each test replays an attack that once worked and passes because it now fails.
"""

import time
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.roles import Role
from earlyhelp.access.rules import BREAK_GLASS_SESSION_KEY
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases.models import Case, Contact
from earlyhelp.cases.services import record_contact
from earlyhelp.people.merge import merge_people
from earlyhelp.people.models import PersonMerge
from tests.factories import HealthConditionFactory, PersonFactory, RestrictionFactory, TeamFactory

LEILA_NOTE = "Leila disclosed worries about home at nursery pick-up"


@pytest.fixture
def restricted_leila(family, case, make_user, team):
    """Leila's record restricted by her team's manager to themselves; a note names her."""
    restricter = make_user("rhona", Role.TEAM_MANAGER)
    restricter.last_name = "Okafor"
    restricter.save()
    team.members.add(restricter)
    restriction = RestrictionFactory(
        person=family["leila"], reason="Her aunt works in the team", created_by=restricter
    )
    restriction.named_users.add(restricter)
    record_contact(
        case=case,
        author=restricter,
        kind="home_visit",
        occurred_at=timezone.now(),
        note=LEILA_NOTE,
        people_present=[family["leila"], family["mum"]],
    )
    return restricter


@pytest.fixture
def outsider(client, make_user, sign_in, case):
    """A practitioner in another team, signed in."""
    user = make_user("olu", Role.PRACTITIONER)
    TeamFactory(name="South youth", service="iyss").members.add(user)
    sign_in(user)
    return user


def looks_at(person, **filters):
    return AuditEvent.objects.filter(
        action="view", record_type="person", record_id=str(person.public_id), **filters
    )


# -- 1. restrictions hold on every page that gathers records -----------------------------------


def test_sibling_chronology_leaves_out_the_case_of_a_restricted_child(
    client, practitioner, family, restricted_leila
):
    url = reverse("people:person_chronology", args=[family["yusuf"].public_id])
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert LEILA_NOTE not in page
    assert "1 case not shown" in page
    assert "0 events" in page


def test_sibling_chronology_after_break_glass_leaves_out_the_restricted_child(
    client, outsider, family, restricted_leila
):
    client.post(
        reverse("people:break_glass", args=[family["yusuf"].public_id]),
        {"reason": "Police at school asking about Yusuf, worker off sick"},
    )
    page = client.get(
        reverse("people:person_chronology", args=[family["yusuf"].public_id])
    ).content.decode()
    assert LEILA_NOTE not in page
    assert "1 case not shown" in page


def test_a_relatives_page_says_a_restricted_record_exists_and_whom_to_ask_not_who_it_is(
    client, practitioner, family, restricted_leila
):
    page = client.get(reverse("people:person", args=[family["yusuf"].public_id])).content.decode()
    assert "Leila" not in page
    assert "30 August 2021" not in page
    assert "A relative whose record is restricted. Ask Sam Okafor" in page
    # The family's case has Leila on it, so it is listed without a link.
    assert reverse("cases:case", args=[Case.objects.get().public_id]) not in page


def test_search_names_no_restricted_person_only_whom_to_ask(
    client, practitioner, family, restricted_leila
):
    page = client.post(reverse("people:search"), {"name": "Leila Haddad"}).content.decode()
    assert "A restricted record matches. Ask Sam Okafor" in page
    assert reverse("people:person", args=[family["leila"].public_id]) not in page
    assert "30 August 2021" not in page
    event = AuditEvent.objects.get(action="search")
    assert str(family["leila"].public_id) not in event.details["shown"]
    # Nothing of hers was shown, but that she matched is recorded against her: probing by
    # postcode or date of birth shows on her "who has seen" list.
    (matched,) = looks_at(family["leila"])
    assert (matched.rule, matched.categories) == ("access:restricted-match", [])


def test_the_duplicate_check_names_no_restricted_person_and_is_audited_as_a_search(
    client, practitioner, family, restricted_leila
):
    response = client.post(
        reverse("people:create"),
        {
            "given_name": "Leyla",
            "family_name": "Haddad",
            "date_of_birth_day": "30",
            "date_of_birth_month": "8",
            "date_of_birth_year": "2021",
        },
    )
    page = response.content.decode()
    assert "A restricted record matches. Ask Sam Okafor" in page
    assert "North family support" not in page
    assert "Leila" not in page
    event = AuditEvent.objects.get(action="search")
    assert event.details["results"] >= 1
    assert str(family["leila"].public_id) not in event.details["shown"]


def test_the_duplicate_check_records_a_look_at_each_person_it_shows(client, practitioner, family):
    client.post(
        reverse("people:create"),
        {
            "given_name": "Yusef",
            "family_name": "Haddad",
            "date_of_birth_day": "9",
            "date_of_birth_month": "2",
            "date_of_birth_year": "2016",
        },
    )
    assert AuditEvent.objects.get(action="search").details["shown"] == [
        str(family["yusuf"].public_id)
    ]
    assert looks_at(family["yusuf"], details__page="duplicate-check").count() == 1


def test_a_chronology_look_is_recorded_against_everyone_on_the_cases_it_shows(
    client, practitioner, family, case
):
    client.get(reverse("people:person_chronology", args=[family["yusuf"].public_id]))
    for who in ("yusuf", "leila", "mum"):
        assert looks_at(family[who], actor=practitioner).exists(), who
    assert not looks_at(family["dad"]).exists()


def test_a_case_look_is_recorded_against_each_person_on_the_case(
    client, practitioner, family, case
):
    client.get(reverse("cases:case", args=[case.public_id]))
    for who in ("yusuf", "leila", "mum"):
        assert looks_at(family[who], details__page="case").exists(), who


def test_a_household_look_is_recorded_against_members_and_relatives_shown(
    client, practitioner, family
):
    client.get(reverse("people:household", args=[family["household"].public_id]))
    for who in ("yusuf", "leila", "mum", "dad"):
        assert looks_at(family[who], details__page="household").exists(), who


def test_who_has_seen_lists_looks_through_a_relatives_chronology(
    client, practitioner, make_user, sign_in, family
):
    client.get(reverse("people:person_chronology", args=[family["yusuf"].public_id]))
    sign_in(make_user("gwen", Role.INFORMATION_GOVERNANCE))
    page = client.get(
        reverse("governance:who_has_seen", args=[family["leila"].public_id])
    ).content.decode()
    # Named by their full name, never their username (issue 11).
    assert f'<td class="govuk-table__cell">{practitioner.get_full_name()}</td>' in page
    assert "priya" not in page
    assert "Chronology" in page


# -- 2. emergency access is a look, not a key --------------------------------------------------


@pytest.fixture
def broke_glass(client, outsider, family):
    client.post(
        reverse("people:break_glass", args=[family["yusuf"].public_id]),
        {"reason": "Police at school asking about Yusuf, worker off sick"},
    )
    return outsider


def test_break_glass_cannot_open_a_case_and_so_cannot_keep_the_record(
    client, broke_glass, family, case
):
    url = reverse("cases:open_case", args=[family["yusuf"].public_id])
    assert client.get(url).status_code == 403
    response = client.post(
        url,
        {
            "service": "family-support-and-complex-families",
            "children": ["0"],
            "reason": "Keep it",
            "started_day": "1",
            "started_month": "10",
            "started_year": "2026",
        },
    )
    assert response.status_code == 403
    assert "Emergency access is read-only" in response.content.decode()
    assert Case.objects.count() == 1
    assert not Case.objects.filter(allocated_worker=broke_glass).exists()


@pytest.mark.parametrize(
    ("route", "data"),
    [
        ("people:edit", {"given_name": "Changed", "family_name": "Haddad"}),
        ("people:record_fact", {"source": "family", "summary": "x", "kind": "other"}),
        ("people:add_address", {"line_1": "1 New Road", "town": "London", "postcode": "NW1 1AA"}),
        ("people:add_contact_method", {"kind": "mobile", "value": "07700900123"}),
    ],
)
def test_nothing_about_the_person_can_be_written_under_break_glass(
    client, broke_glass, family, route, data
):
    args = [family["yusuf"].public_id] + (["risk"] if route == "people:record_fact" else [])
    before = AuditEvent.objects.filter(action__in=["create", "change"]).count()
    response = client.post(reverse(route, args=args), data)
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action__in=["create", "change"]).count() == before
    family["yusuf"].refresh_from_db()
    assert family["yusuf"].given_name == "Yusuf"


def test_no_contact_or_document_can_be_added_to_a_case_under_break_glass(client, broke_glass, case):
    response = client.post(
        reverse("cases:add_contact", args=[case.public_id]), {"kind": "phone_call", "note": "x"}
    )
    assert response.status_code == 403
    assert not Contact.objects.exists()
    assert client.get(reverse("cases:add_document", args=[case.public_id])).status_code == 403


def test_break_glass_opens_the_case_with_the_banner_and_flags_the_look(
    client, broke_glass, family, case
):
    response = client.get(reverse("cases:case", args=[case.public_id]))
    assert response.status_code == 200
    assert "You opened this record in an emergency" in response.content.decode()
    assert "Add a contact" not in response.content.decode()
    look = AuditEvent.objects.get(action="view", record_type="case")
    assert look.flagged and look.rule == "access:break-glass"
    assert all(event.flagged for event in looks_at(family["leila"]))


def test_break_glass_does_not_show_special_category_facts(client, broke_glass, family):
    HealthConditionFactory(
        person=family["yusuf"], source="gp", kind="physical", description="Asthma"
    )
    page = client.get(reverse("people:person", args=[family["yusuf"].public_id])).content.decode()
    assert "Asthma" not in page
    assert "Also recorded: health" in page


def test_break_glass_ends_after_its_hour(client, broke_glass, family, case):
    url = reverse("people:person", args=[family["yusuf"].public_id])
    assert client.get(url).status_code == 200
    session = client.session
    granted = session[BREAK_GLASS_SESSION_KEY]
    session[BREAK_GLASS_SESSION_KEY] = {key: time.time() - 1 for key in granted}
    session.save()
    assert client.get(url).status_code == 403
    assert client.get(reverse("cases:case", args=[case.public_id])).status_code == 403


def test_the_review_lists_each_look_under_break_glass_with_the_records_name(
    client, broke_glass, make_user, sign_in, family, case
):
    client.get(reverse("people:person", args=[family["yusuf"].public_id]))
    client.get(reverse("cases:case", args=[case.public_id]))
    sign_in(make_user("gwen", Role.INFORMATION_GOVERNANCE))
    event = AuditEvent.objects.get(action="break_glass")
    page = client.get(reverse("governance:review", args=[event.pk])).content.decode()
    assert "Yusuf Haddad" in page.split("Record</dt>")[1].split("</dd>")[0]
    assert "Who has seen this record</a>" not in page
    opened = page.split("What they opened")[1]
    assert "Family Support and Complex Families case: Yusuf Haddad" in opened
    assert "case page" in opened
    assert "record page" in opened
    queue = client.get(reverse("governance:emergency_access")).content.decode()
    assert "Yusuf Haddad" in queue


# -- 6. merges and undos respect access --------------------------------------------------------


@pytest.fixture
def merged(family, make_user):
    duplicate = PersonFactory(
        given_name="Yusef", family_name="Haddad", date_of_birth=date(2016, 2, 9), unidentified=True
    )
    return merge_people(family["yusuf"], duplicate, make_user("mo", Role.TEAM_MANAGER), "Same")


def test_a_manager_of_another_team_cannot_undo_a_merge_of_records_they_cannot_open(
    client, make_user, sign_in, case, merged
):
    other = make_user("ola", Role.TEAM_MANAGER)
    TeamFactory(name="South youth", service="iyss").members.add(other)
    sign_in(other)
    url = reverse("people:undo_merge", args=[merged.public_id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "Not the same child"}).status_code == 403
    merged.refresh_from_db()
    assert merged.undone_at is None
    assert not AuditEvent.objects.filter(action="undo_merge").exists()


def test_undoing_a_merge_asks_why_and_audits_it_on_both_records(client, manager, family, merged):
    url = reverse("people:undo_merge", args=[merged.public_id])
    page = client.get(url).content.decode()
    assert "Why undo this merge?" in page
    client.post(url, {"reason": "Different NHS numbers after all"})
    merged.refresh_from_db()
    assert merged.undone_at is not None
    events = AuditEvent.objects.filter(action="undo_merge")
    assert {e.record_id for e in events} == {
        str(family["yusuf"].public_id),
        str(merged.merged.public_id),
    }
    assert {e.reason for e in events} == {"Different NHS numbers after all"}


def test_a_manager_cannot_merge_in_a_record_opened_only_by_break_glass(
    client, make_user, sign_in, family, case
):
    other = make_user("ola", Role.TEAM_MANAGER)
    south = TeamFactory(name="South youth", service="iyss")
    south.members.add(other)
    theirs = PersonFactory(
        given_name="Yusef", family_name="Haddad", date_of_birth=date(2016, 2, 9), unidentified=True
    )
    sign_in(other)
    client.post(
        reverse("people:break_glass", args=[family["yusuf"].public_id]),
        {"reason": "Checking a possible duplicate urgently"},
    )
    page = client.get(reverse("people:merge", args=[theirs.public_id])).content.decode()
    assert str(family["yusuf"].public_id) not in page
    response = client.post(
        reverse("people:compare_for_merge", args=[theirs.public_id, family["yusuf"].public_id]),
        {"reason": "Same"},
    )
    assert response.status_code == 403
    assert not PersonMerge.objects.exists()


# -- found by attacking the change --------------------------------------------------------------


def test_opening_a_case_neither_shows_nor_takes_a_restricted_household_member(
    client, practitioner, family, restricted_leila
):
    url = reverse("cases:open_case", args=[family["yusuf"].public_id])
    page = client.get(url).content.decode()
    assert "Leila" not in page
    assert "whose record is restricted" in page and "Ask Sam Okafor" in page
    assert looks_at(family["mum"], details__page="open-case").exists()
    assert not looks_at(family["leila"]).exists()


def test_governance_pages_record_a_look_at_each_person_they_name_and_follow_restrictions(
    client, broke_glass, make_user, sign_in, family, case, restricted_leila
):
    client.get(reverse("people:person", args=[family["yusuf"].public_id]))
    sign_in(make_user("gwen", Role.INFORMATION_GOVERNANCE))
    client.get(reverse("governance:emergency_access"))
    assert looks_at(family["yusuf"], details__page="emergency-queue").exists()
    event = AuditEvent.objects.get(action="break_glass")
    page = client.get(reverse("governance:review", args=[event.pk])).content.decode()
    assert looks_at(family["mum"], details__page="emergency-review").exists()
    assert "Leila" not in page
    page = client.get(
        reverse("governance:who_has_seen", args=[family["leila"].public_id])
    ).content.decode()
    assert "Leila" not in page
    assert "A restricted record (restricted by Sam Okafor)" in page


def test_break_glass_on_a_restricted_record_is_refused_naming_whom_to_ask_and_recorded(
    client, outsider, family, restricted_leila
):
    response = client.post(
        reverse("people:break_glass", args=[family["leila"].public_id]),
        {"reason": "Police at the door asking about this child"},
    )
    assert response.status_code == 403
    assert "ask Sam Okafor, who restricted it" in response.content.decode()
    assert looks_at(family["leila"], rule="access:refused", actor=outsider).exists()
    assert not AuditEvent.objects.filter(action="break_glass").exists()


def test_the_records_merged_into_a_person_are_recorded_as_seen_on_their_page(
    client, manager, family, merged
):
    client.get(reverse("people:person", args=[family["yusuf"].public_id]))
    assert looks_at(merged.merged).exists()
