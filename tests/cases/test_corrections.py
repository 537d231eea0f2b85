"""Corrections: a contact note, a fact, an address or a relationship corrected or struck out,
with a reason, by its author or a team manager of a team holding it; the earlier version
kept for the information governance officer; a struck-out record shown marked, and left
out of counts. A correction by anyone else is refused and writes nothing.
"""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases import caseload, corrections
from earlyhelp.cases.models import Case, Contact, Correction
from earlyhelp.people.models import Address, PersonAddress, Relationship, Risk


def _contact(case, author, note="Visited; Amira said the flat is damp", when=(2026, 10, 1)):
    return Contact.objects.create(
        case=case,
        author=author,
        kind="home_visit",
        occurred_at=datetime(*when, 10, 0, tzinfo=UTC),
        note=note,
    )


def _writes() -> tuple:
    return (
        list(Correction.objects.values_list()),
        list(Contact.objects.order_by("pk").values_list("kind", "note")),
        AuditEvent.objects.filter(action="change").count(),
    )


def _dated(day) -> dict:
    """A correction form's date of the contact, as its three boxes."""
    return {
        "record-occurred_at_day": str(day.day),
        "record-occurred_at_month": str(day.month),
        "record-occurred_at_year": str(day.year),
    }


def _correct_url(contact) -> str:
    return reverse("cases:correct_contact", args=[contact.case.public_id, contact.public_id])


def test_the_author_corrects_a_contact_note_and_the_version_before_is_kept(
    client, practitioner, case
):
    contact = _contact(case, practitioner)
    response = client.post(
        _correct_url(contact),
        {
            "action": "correct",
            "reason": "Wrong family member named",
            "record-kind": "home_visit",
            "record-note": "Visited; Yusuf's mum said the flat is damp",
            **_dated(date(2026, 10, 1)),
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.note == "Visited; Yusuf's mum said the flat is damp"
    kept = Correction.objects.get()
    assert kept.action == "corrected" and kept.corrected_by == practitioner
    assert json.loads(kept.before) == {"note": "Visited; Amira said the flat is damp"}
    assert json.loads(kept.after) == {"note": "Visited; Yusuf's mum said the flat is damp"}
    assert kept.reason == "Wrong family member named"
    event = AuditEvent.objects.get(action="change", record_type="contact")
    assert event.record_id == str(contact.public_id)
    assert event.details["correction"] == str(kept.public_id)


def test_a_correction_by_someone_else_in_the_team_is_refused_and_writes_nothing(
    client, make_user, sign_in, team, case
):
    author = make_user("ana", Role.PRACTITIONER)
    team.members.add(author)
    contact = _contact(case, author)
    other = make_user("pat", Role.PRACTITIONER)
    team.members.add(other)
    sign_in(other)
    assert "Only the person who recorded it" in client.get(_correct_url(contact)).content.decode()
    before = _writes()
    response = client.post(
        _correct_url(contact), {"action": "strike", "reason": "I think it is wrong"}
    )
    assert response.status_code == 403
    assert _writes() == before


def test_the_service_refuses_someone_else_naming_the_record(make_user, team, case, request_as):
    contact = _contact(case, make_user("ana", Role.PRACTITIONER))
    other = make_user("pat", Role.PRACTITIONER)
    team.members.add(other)
    before = _writes()
    with pytest.raises(ValueError, match=r"^record: only the person who recorded it"):
        corrections.strike_out(request_as(other), contact, "Wrong")
    assert _writes() == before


def test_a_manager_of_the_team_strikes_out_a_contact_which_stays_marked_and_uncounted(
    client, manager, make_user, case
):
    author = make_user("ana", Role.PRACTITIONER)
    kept = _contact(case, author, note="Phoned school", when=(2026, 9, 20))
    wrong = _contact(case, author, note="Entered on the wrong family", when=(2026, 10, 5))
    response = client.post(
        _correct_url(wrong), {"action": "strike", "reason": "Recorded on the wrong case"}
    )
    assert response.status_code == 302
    assert Contact.objects.filter(pk=wrong.pk).exists()  # not deleted
    page = client.get(reverse("cases:case", args=[case.public_id])).content.decode()
    assert "Struck out: Recorded on the wrong case" in page
    assert "Entered on the wrong family" in page
    row = caseload.annotated(Case.objects.filter(pk=case.pk), manager).get()
    assert row.last_contact == kept.occurred_at
    child = case.members.first().person
    for url in (
        reverse("people:household_chronology", args=[case.household.public_id]),
        reverse("people:person_chronology", args=[child.public_id]),
    ):
        page = client.get(url).content.decode()
        assert page.count("Struck out: Recorded on the wrong case") == 1, url
        assert "Entered on the wrong family" in page and "Phoned school" in page


def test_a_struck_out_record_cannot_be_changed_again(manager, make_user, case, request_as):
    contact = _contact(case, make_user("ana", Role.PRACTITIONER))
    corrections.strike_out(request_as(manager), contact, "Wrong case")
    with pytest.raises(ValueError, match=r"^record: struck out on"):
        corrections.correct(request_as(manager), contact, {"note": "x"}, "Again")
    assert Correction.objects.count() == 1


def test_a_correction_without_a_reason_is_refused_naming_the_field(practitioner, case, request_as):
    contact = _contact(case, practitioner)
    with pytest.raises(ValueError, match=r"^reason: enter why"):
        corrections.correct(request_as(practitioner), contact, {"note": "New"}, " ")
    assert not Correction.objects.exists()


def test_a_fact_is_corrected_by_its_author_from_the_person_page(client, practitioner, family):
    yusuf = family["yusuf"]
    risk = Risk.objects.create(
        person=yusuf,
        kind="exploitation",
        level="high",
        description="Seen with older boys",
        source="school",
        recorded_by=practitioner,
    )
    page = client.get(reverse("people:person", args=[yusuf.public_id])).content.decode()
    url = reverse("cases:correct_person_record", args=[yusuf.public_id, "risk", 1])
    assert url in page
    form = client.get(url)
    assert form.status_code == 200
    response = client.post(
        url,
        {
            "action": "correct",
            "reason": "The level was mistyped",
            "record-kind": risk.kind,
            "record-level": "low",
            "record-description": "Seen with older boys",
            "record-source": "school",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    risk.refresh_from_db()
    assert risk.level == "low"
    assert json.loads(Correction.objects.get(person=yusuf).before) == {"level": "high"}


def test_an_address_struck_out_stays_on_the_person_page_marked(client, manager, family):
    yusuf = family["yusuf"]
    address = Address.objects.create(line_1="1 Wrong Street", town="London", postcode="N7 6AB")
    PersonAddress.objects.create(person=yusuf, address=address, source="family")
    url = reverse("cases:correct_person_record", args=[yusuf.public_id, "address", 1])
    response = client.post(url, {"action": "strike", "reason": "Another family's address"})
    assert response.status_code == 302
    page = client.get(reverse("people:person", args=[yusuf.public_id])).content.decode()
    assert "1 Wrong Street" in page and "Struck out: Another family&#x27;s address" in page


def test_a_relationship_is_corrected_and_its_parental_responsibility_kept_before(
    manager, family, request_as
):
    link = Relationship.objects.get(person=family["dad"], relative=family["yusuf"])
    corrections.correct(
        request_as(manager),
        link,
        {"kind": "step_parent", "has_parental_responsibility": False},
        "He is Yusuf's step-father",
    )
    link.refresh_from_db()
    assert (link.kind, link.has_parental_responsibility) == ("step_parent", False)
    kept = Correction.objects.get()
    assert json.loads(kept.before) == {"kind": "parent", "has_parental_responsibility": True}
    assert kept.person == family["dad"]


def test_the_governance_officer_sees_the_versions_and_the_look_is_audited(
    client, make_user, sign_in, manager, case, family, request_as
):
    contact = _contact(case, manager)
    corrections.correct(request_as(manager), contact, {"note": "Corrected note"}, "Typo")
    sign_in(make_user("gwen", Role.INFORMATION_GOVERNANCE))
    url = reverse("cases:record_corrections", args=[family["yusuf"].public_id])
    page = client.get(url).content.decode()
    assert "Visited; Amira said the flat is damp" in page
    assert "Corrected note" in page and "Typo" in page
    look = AuditEvent.objects.filter(action="view", record_id=str(family["yusuf"].public_id))
    assert look.filter(details__page="record_corrections").exists()


def test_a_practitioner_may_not_open_the_governance_list(client, practitioner, family):
    url = reverse("cases:record_corrections", args=[family["yusuf"].public_id])
    assert client.get(url).status_code == 403


def test_an_unknown_record_number_is_not_found(client, practitioner, family):
    url = reverse("cases:correct_person_record", args=[family["yusuf"].public_id, "risk", 3])
    assert client.get(url).status_code == 404


def test_an_address_corrected_to_move_out_before_moving_in_is_refused_naming_the_field(
    client, manager, family
):
    yusuf = family["yusuf"]
    address = Address.objects.create(line_1="3 Oak Road", town="London", postcode="N7 6AB")
    PersonAddress.objects.create(
        person=yusuf, address=address, moved_in=datetime(2024, 5, 1).date(), source="family"
    )
    url = reverse("cases:correct_person_record", args=[yusuf.public_id, "address", 1])
    response = client.post(
        url,
        {
            "action": "correct",
            "reason": "Moved out date missing",
            "record-line_1": "3 Oak Road",
            "record-town": "London",
            "record-postcode": "N7 6AB",
            "record-moved_in_day": "1",
            "record-moved_in_month": "5",
            "record-moved_in_year": "2024",
            "record-moved_out_day": "1",
            "record-moved_out_month": "4",
            "record-moved_out_year": "2024",
        },
    )
    assert response.status_code == 200
    assert "Date they moved out must be the same as or after the date they moved in" in (
        response.content.decode()
    )
    assert not Correction.objects.exists()
    assert PersonAddress.objects.get(person=yusuf).moved_out is None


def test_correcting_one_persons_address_never_changes_it_under_the_family_sharing_the_row(
    manager, family, request_as
):
    home = family["household"].address
    mums = PersonAddress.objects.create(person=family["mum"], address=home, source="family")
    yusufs = PersonAddress.objects.create(person=family["yusuf"], address=home, source="family")
    written = corrections.correct(
        request_as(manager), yusufs, {"line_1": "14 Malden Road"}, "He lives at number 14"
    )
    yusufs.refresh_from_db()
    mums.refresh_from_db()
    home.refresh_from_db()
    assert yusufs.address.line_1 == "14 Malden Road" and yusufs.address != home
    assert (home.line_1, mums.address) == ("12 Malden Road", home)
    assert family["household"].address == home
    assert json.loads(written.before) == {"line_1": "12 Malden Road"}


def test_an_address_no_one_else_is_recorded_at_is_corrected_in_place(manager, family, request_as):
    own = Address.objects.create(line_1="3 Oak Rd", town="London", postcode="N7 6AB")
    lived = PersonAddress.objects.create(person=family["yusuf"], address=own, source="family")
    corrections.correct(request_as(manager), lived, {"line_1": "3 Oak Road"}, "Typo")
    lived.refresh_from_db()
    assert lived.address_id == own.pk and lived.address.line_1 == "3 Oak Road"
    assert Address.objects.filter(line_1__startswith="3 Oak").count() == 1


def test_the_correct_link_is_offered_only_to_whom_may_correct_the_record(
    client, practitioner, make_user, case, family
):
    mine = _contact(case, practitioner, note="My visit")
    theirs = _contact(case, make_user("ana", Role.PRACTITIONER), note="Ana's visit")
    lived = PersonAddress.objects.create(
        person=family["yusuf"], address=family["household"].address, source="family"
    )
    page = client.get(reverse("cases:case", args=[case.public_id])).content.decode()
    assert _correct_url(mine) in page
    assert _correct_url(theirs) not in page
    person_page = client.get(reverse("people:person", args=[family["yusuf"].public_id]))
    assert "Correct or strike out" not in person_page.content.decode()  # recorded by no one
    lived.recorded_by = practitioner
    lived.save()
    person_page = client.get(reverse("people:person", args=[family["yusuf"].public_id]))
    assert "Correct or strike out" in person_page.content.decode()


def test_a_relationship_corrected_to_one_that_cannot_be_is_refused_as_recording_it_would_be(
    manager, family, request_as
):
    link = Relationship.objects.get(person=family["dad"], relative=family["yusuf"])
    backwards = Relationship.objects.get(person=family["mum"], relative=family["leila"])
    before = _writes()
    with pytest.raises(ValueError, match=r"^kind: Yusuf Haddad \(born 9 February 2016\) cannot"):
        corrections.correct(
            request_as(manager),
            Relationship.objects.create(
                person=family["yusuf"], relative=family["dad"], kind="sibling", source="family"
            ),
            {"kind": "parent"},
            "Wrong way round",
        )
    with pytest.raises(ValueError, match=r"^relative: Tomasz Nowak is recorded already as parent"):
        Relationship.objects.filter(pk=link.pk).update(kind="step_parent")
        link.refresh_from_db()
        Relationship.objects.create(
            person=family["dad"], relative=family["yusuf"], kind="parent", source="school"
        )
        corrections.correct(request_as(manager), link, {"kind": "parent"}, "He is the father")
    assert backwards.kind == "parent"
    assert list(Correction.objects.values_list()) == before[0]


def test_the_correction_page_says_which_record_it_corrects_and_that_an_address_is_one_persons(
    client, manager, family
):
    yusuf = family["yusuf"]
    url = reverse("cases:correct_person_record", args=[yusuf.public_id, "relationship", 1])
    page = client.get(url).content.decode()
    assert "It says:" in page and "Amira Haddad, parent of Yusuf Haddad" in page
    PersonAddress.objects.create(person=yusuf, address=family["household"].address, source="family")
    url = reverse("cases:correct_person_record", args=[yusuf.public_id, "address", 1])
    page = client.get(url).content.decode()
    assert "12 Malden Road" in page and "This corrects Yusuf's address only" in page
    response = client.post(
        url,
        {"action": "correct", "reason": "Typo", "record-line_1": "", "record-town": "London",
         "record-postcode": "NW5 3HS"},
    )  # fmt: skip
    assert "Enter address line 1" in response.content.decode()


def test_saving_a_correction_that_changes_nothing_says_so_as_a_sentence(client, practitioner, case):
    contact = _contact(case, practitioner)
    response = client.post(
        _correct_url(contact),
        {"action": "correct", "reason": "Tidy", "record-kind": contact.kind,
         "record-note": contact.note, **_dated(date(2026, 10, 1))},
    )  # fmt: skip
    assert "Nothing was changed; change an answer, or strike it out" in response.content.decode()
    assert not Correction.objects.exists()


def test_a_contact_recorded_on_the_wrong_day_is_moved_keeping_its_time_and_marked_corrected(
    client, practitioner, case, family
):
    contact = _contact(case, practitioner)  # 1 October 2026, 11:00 in London
    response = client.post(
        _correct_url(contact),
        {
            "action": "correct",
            "reason": "Entered on the day it was typed up",
            "record-kind": contact.kind,
            "record-note": contact.note,
            **_dated(date(2026, 9, 28)),
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    local = timezone.localtime(contact.occurred_at)
    assert (local.date(), local.hour, local.minute) == (date(2026, 9, 28), 11, 0)
    kept = json.loads(Correction.objects.get().before)
    assert kept == {"occurred_at": "2026-10-01T10:00:00+00:00"}
    page = client.get(reverse("cases:case", args=[case.public_id])).content.decode()
    assert "Corrected</strong>" in page
    chronology = reverse("people:household_chronology", args=[family["household"].public_id])
    assert "Corrected</strong>" in client.get(chronology).content.decode()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date(2026, 8, 31), "The case opened on 1 September 2026, after this date"),
        (date.today() + timedelta(days=1), "must be today or in the past"),
    ],
    ids=["before-the-case-opened", "tomorrow"],
)
def test_a_contact_moved_to_a_day_it_cannot_have_happened_is_refused_beside_the_date(
    client, practitioner, case, day, message
):
    contact = _contact(case, practitioner)
    before = _writes()
    response = client.post(
        _correct_url(contact),
        {
            "action": "correct",
            "reason": "Wrong day",
            "record-kind": contact.kind,
            "record-note": contact.note,
            **_dated(day),
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _writes() == before
    contact.refresh_from_db()
    assert contact.occurred_at == datetime(2026, 10, 1, 10, 0, tzinfo=UTC)
