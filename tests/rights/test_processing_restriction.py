"""Restriction of processing (UK GDPR Article 18) put on a person from a request: while in
force they are in no extract, nothing in their record changes (pages and services refuse,
naming the request), and their page says processing is restricted since the date. No
sharing feature exists yet: rights.processing.restriction_in_force is what one must ask."""

from datetime import date

import polars as pl
import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases import corrections
from earlyhelp.cases.models import Contact
from earlyhelp.extracts.database import extract_from_records
from earlyhelp.extracts.keys import ensure_project_key
from earlyhelp.people import composition
from earlyhelp.people import services as people_services
from earlyhelp.people.models import (
    Address,
    Employment,
    Household,
    HouseholdMember,
    PersonAddress,
    PersonMerge,
    Relationship,
)
from earlyhelp.people.moves import MoveRefused, NewAddress, record_move
from earlyhelp.rights import outcomes
from earlyhelp.rights.models import ProcessingRestriction, RightOutcome
from earlyhelp.rights.processing import ProcessingRestricted
from tests.factories import PersonFactory
from tests.rights.outcome_records import request_about

pytestmark = pytest.mark.django_db

ON = date(2026, 11, 25)
YUSUF, LEILA = "2016-02", "2021-08"


@pytest.fixture
def keys_dir(settings, tmp_path):
    settings.KEYS_DIR = tmp_path / "keys"
    ensure_project_key(settings.KEYS_DIR, "liia")
    return settings.KEYS_DIR


@pytest.fixture
def officer(make_user):
    return make_user("ines", Role.INFORMATION_GOVERNANCE)


def _as(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


@pytest.fixture
def restricted(family, officer):
    """Yusuf's data restricted from processing through a request; the request."""
    rights_request = request_about(family["yusuf"], officer, rights=["restriction"])
    outcomes.restrict_processing(
        _as(officer), rights_request, family["yusuf"], "Says his records are wrong"
    )
    return rights_request


def _months(out_dir) -> list[str]:
    frame = pl.read_parquet(out_dir / f"liia-{ON.isoformat()}.parquet")
    return sorted(frame["date-of-birth"].to_list())


def test_a_restricted_person_is_left_out_of_every_extract(
    family, case, keys_dir, tmp_path, restricted
):
    extract_from_records("liia", tmp_path, ON)
    assert _months(tmp_path) == [LEILA]


def test_a_lifted_restriction_puts_the_person_back_in_the_extract(
    family, case, keys_dir, tmp_path, restricted, officer
):
    restriction = ProcessingRestriction.objects.get(person=family["yusuf"])
    outcomes.lift_restriction(_as(officer), restricted, restriction, "Records checked and correct")
    extract_from_records("liia", tmp_path, ON)
    assert _months(tmp_path) == [YUSUF, LEILA]
    assert RightOutcome.objects.filter(request=restricted).count() == 2


def test_the_change_page_refuses_naming_the_restriction_and_the_request(
    client, practitioner, family, restricted
):
    response = client.get(reverse("people:edit", args=[family["yusuf"].public_id]))
    assert response.status_code == 403
    text = response.content.decode()
    assert "restricted from processing" in text
    assert restricted.reference in text
    # The sister's record is not restricted.
    assert client.get(reverse("people:edit", args=[family["leila"].public_id])).status_code == 200


def test_recording_a_fact_is_refused_on_the_page_and_by_the_service(
    client, practitioner, family, restricted
):
    url = reverse("people:record_fact", args=[family["yusuf"].public_id, "employment"])
    assert client.post(url, {"status": "in_education"}).status_code == 403
    with pytest.raises(ProcessingRestricted, match="restricted from processing"):
        people_services.record_fact(
            _as(practitioner), family["yusuf"], Employment(status="in_education")
        )
    assert not Employment.objects.exists()


def test_services_refuse_to_change_the_person_or_correct_their_records(
    practitioner, family, restricted
):
    with pytest.raises(ProcessingRestricted, match=restricted.reference):
        people_services.change_person(_as(practitioner), family["yusuf"], given_name="Yousef")
    family["yusuf"].refresh_from_db()
    assert family["yusuf"].given_name == "Yusuf"
    sibling = Relationship.objects.get(person=family["yusuf"], relative=family["leila"])
    with pytest.raises(ProcessingRestricted):
        corrections.strike_out(_as(practitioner), sibling, "Recorded in error")
    assert not corrections.history(sibling).exists()


def test_the_person_page_says_processing_is_restricted_since_the_date(
    client, practitioner, family, restricted
):
    response = client.get(reverse("people:person", args=[family["yusuf"].public_id]))
    assert response.status_code == 200
    today = timezone.localdate()
    assert f"Processing is restricted since {today:%-d %B %Y}" in response.content.decode()
    other = client.get(reverse("people:person", args=[family["leila"].public_id]))
    assert "Processing is restricted" not in other.content.decode()


def test_restriction_needs_a_reason_and_is_not_put_twice(family, officer, restricted):
    with pytest.raises(ValueError, match="already restricted"):
        outcomes.restrict_processing(_as(officer), restricted, family["yusuf"], "Again")
    other = request_about(family["leila"], officer, rights=["restriction"])
    with pytest.raises(ValueError, match="reason: enter"):
        outcomes.restrict_processing(_as(officer), other, family["leila"], "  ")
    assert ProcessingRestriction.objects.count() == 1


def test_the_restriction_page_restricts_and_lifts_with_audit_events(
    client, sign_in, family, officer
):
    rights_request = request_about(family["yusuf"], officer, rights=["restriction"])
    sign_in(officer)
    url = reverse(
        "rights_outcomes:restriction", args=[rights_request.public_id, family["yusuf"].public_id]
    )
    assert client.get(url).status_code == 200
    missing = client.post(url, {"reason": ""})
    assert "Enter why processing is restricted" in missing.content.decode()
    assert client.post(url, {"reason": "Accuracy disputed"}).status_code == 302
    restriction = ProcessingRestriction.objects.get()
    assert restriction.request == rights_request and restriction.lifted_on is None
    assert client.post(url, {"reason": "Checked"}).status_code == 302
    restriction.refresh_from_db()
    assert restriction.lifted_on == timezone.localdate()
    person_events = AuditEvent.objects.filter(
        record_type="person", record_id=str(family["yusuf"].public_id), action="restrict"
    )
    assert person_events.count() == 2
    assert (
        AuditEvent.objects.filter(
            record_type="rights-request", record_id=str(rights_request.public_id)
        ).count()
        >= 3
    )


# --- lifting: on the request that made it, or through another open one asking ---------------


@pytest.fixture
def other_officer(make_user):
    return make_user("omar", Role.INFORMATION_GOVERNANCE)


def _in_force() -> bool:
    return ProcessingRestriction.objects.filter(lifted_on__isnull=True).exists()


def _close(rights_request) -> None:
    rights_request.closed_on = timezone.localdate()
    rights_request.save(update_fields=["closed_on"])


def _restriction_page(rights_request, person) -> str:
    return reverse("rights_outcomes:restriction", args=[rights_request.public_id, person.public_id])


def test_an_open_request_that_made_the_restriction_is_the_only_one_it_is_lifted_on(
    client, sign_in, family, officer, restricted
):
    another = request_about(family["yusuf"], officer, rights=["restriction"])
    restriction = ProcessingRestriction.objects.get()
    with pytest.raises(ValueError, match=f"made on {restricted.reference}"):
        outcomes.lift_restriction(_as(officer), another, restriction, "Checked")
    sign_in(officer)
    page = client.get(_restriction_page(another, family["yusuf"]))
    assert page.status_code == 200
    assert f"made on {restricted.reference}" in page.content.decode()
    assert "Lift the restriction" not in page.content.decode()
    posted = client.post(_restriction_page(another, family["yusuf"]), {"reason": "Checked"})
    assert posted.status_code == 403
    assert _in_force()
    assert RightOutcome.objects.filter(request=another).count() == 0


def test_only_the_officer_handling_the_request_lifts_the_restriction(
    client, sign_in, family, other_officer, restricted
):
    restriction = ProcessingRestriction.objects.get()
    with pytest.raises(ValueError, match="handled by"):
        outcomes.lift_restriction(_as(other_officer), restricted, restriction, "Checked")
    sign_in(other_officer)
    posted = client.post(_restriction_page(restricted, family["yusuf"]), {"reason": "Checked"})
    assert posted.status_code == 403
    assert _in_force()


def test_a_closed_request_lifts_nothing(client, sign_in, family, officer, restricted):
    _close(restricted)
    restriction = ProcessingRestriction.objects.get()
    with pytest.raises(ValueError, match="is closed"):
        outcomes.lift_restriction(_as(officer), restricted, restriction, "Checked")
    another_closed = request_about(family["yusuf"], officer, rights=["restriction"])
    _close(another_closed)
    with pytest.raises(ValueError, match="is closed"):
        outcomes.lift_restriction(_as(officer), another_closed, restriction, "Checked")
    sign_in(officer)
    posted = client.post(_restriction_page(restricted, family["yusuf"]), {"reason": "Checked"})
    assert posted.status_code == 302
    assert posted.url == reverse("rights:request", args=[restricted.public_id])
    assert _in_force()


def test_once_its_request_is_closed_another_open_request_asking_for_restriction_lifts_it(
    client, sign_in, family, officer, other_officer, restricted
):
    _close(restricted)
    restriction = ProcessingRestriction.objects.get()
    asks_other = request_about(family["yusuf"], officer, rights=["erasure"])
    with pytest.raises(ValueError, match="does not ask for"):
        outcomes.lift_restriction(_as(officer), asks_other, restriction, "Checked")
    not_mine = request_about(family["yusuf"], other_officer, rights=["restriction"])
    with pytest.raises(ValueError, match="handled by"):
        outcomes.lift_restriction(_as(officer), not_mine, restriction, "Checked")
    about_leila = request_about(family["leila"], officer, rights=["restriction"])
    with pytest.raises(ValueError, match="not matched to"):
        outcomes.lift_restriction(_as(officer), about_leila, restriction, "Checked")
    assert _in_force()
    through = request_about(family["yusuf"], officer, rights=["restriction"])
    sign_in(officer)
    posted = client.post(_restriction_page(through, family["yusuf"]), {"reason": "Checked"})
    assert posted.status_code == 302
    assert not _in_force()
    assert RightOutcome.objects.filter(request=through, right="restriction").count() == 1
    # Nothing more is written on the closed request that made it.
    assert RightOutcome.objects.filter(request=restricted).count() == 1


# --- every write naming the restricted person, whichever page it starts from ----------------


def _names_the_request(text: str, rights_request) -> bool:
    return "restricted from processing since" in text and rights_request.reference in text


def test_a_relationship_naming_the_restricted_person_as_the_relative_is_refused(
    client, practitioner, family, restricted
):
    before = Relationship.objects.count()
    url = reverse("people:add_relationship", args=[family["leila"].public_id])
    response = client.post(
        url,
        {
            "action": "save",
            "relative": str(family["yusuf"].public_id),
            "kind": "sibling",
            "parental_responsibility": "no",
            "source": "family",
        },
    )
    assert response.status_code == 200
    assert _names_the_request(response.content.decode(), restricted)
    assert Relationship.objects.count() == before
    for person, relative in ((family["leila"], family["yusuf"]), (family["yusuf"], family["dad"])):
        with pytest.raises(composition.CompositionRefused, match=restricted.reference):
            composition.record_relationship(
                _as(practitioner),
                person,
                relative,
                kind="sibling",
                parental_responsibility=False,
                source="family",
            )
    assert Relationship.objects.count() == before


def test_recording_that_the_restricted_person_left_their_household_is_refused(
    client, practitioner, family, restricted
):
    household = family["household"]
    url = reverse("people:leave_household", args=[household.public_id, family["yusuf"].public_id])
    today = timezone.localdate()
    day = {"left_on_day": today.day, "left_on_month": today.month, "left_on_year": today.year}
    response = client.post(url, day)
    assert response.status_code == 403
    assert _names_the_request(response.content.decode(), restricted)
    with pytest.raises(composition.CompositionRefused, match=restricted.reference):
        composition.end_membership(_as(practitioner), household, family["yusuf"], left_on=today)
    assert HouseholdMember.objects.get(person=family["yusuf"]).left_on is None


def test_adding_the_restricted_person_to_a_household_is_refused(
    client, practitioner, family, restricted
):
    elsewhere = Household.objects.create(
        address=Address.objects.create(line_1="3 Kentish Row", town="London", postcode="NW1 8AB")
    )
    with pytest.raises(composition.CompositionRefused, match=restricted.reference):
        composition.add_to_household(_as(practitioner), elsewhere, family["yusuf"], joined_on=None)
    url = reverse("people:add_household_member", args=[family["household"].public_id])
    HouseholdMember.objects.filter(person=family["yusuf"]).update(left_on=date(2026, 9, 3))
    response = client.post(url, {"action": "save", "person": str(family["yusuf"].public_id)})
    assert response.status_code == 200
    assert _names_the_request(response.content.decode(), restricted)
    assert HouseholdMember.objects.filter(person=family["yusuf"], left_on__isnull=True).count() == 0
    assert not HouseholdMember.objects.filter(household=elsewhere).exists()


@pytest.fixture
def duplicate(family):
    """A second record of Yusuf, not restricted."""
    return PersonFactory(
        given_name="Yusef", family_name="Haddad", date_of_birth=date(2016, 2, 9), nhs_number=""
    )


def test_a_merge_is_refused_when_the_restricted_record_is_merged_away_or_kept(
    client, manager, family, restricted, duplicate
):
    for kept, merged in ((duplicate, family["yusuf"]), (family["yusuf"], duplicate)):
        url = reverse("people:compare_for_merge", args=[kept.public_id, merged.public_id])
        response = client.post(url, {"reason": "Same boy"})
        assert response.status_code == 403
        assert _names_the_request(response.content.decode(), restricted)
    for kept, merged in ((duplicate, family["yusuf"]), (family["yusuf"], duplicate)):
        with pytest.raises(ProcessingRestricted, match=restricted.reference):
            people_services.merge_records(_as(manager), kept, merged, "Same boy")
    assert not PersonMerge.objects.exists()
    family["yusuf"].refresh_from_db()
    assert family["yusuf"].merged_into is None


def test_undoing_a_merge_of_a_restricted_record_is_refused(manager, officer, family, duplicate):
    merge = people_services.merge_records(_as(manager), family["yusuf"], duplicate, "Same boy")
    rights_request = request_about(family["yusuf"], officer, rights=["restriction"])
    outcomes.restrict_processing(_as(officer), rights_request, family["yusuf"], "Disputed")
    with pytest.raises(ProcessingRestricted, match=rights_request.reference):
        people_services.undo_records_merge(_as(manager), merge, "Not the same boy")
    duplicate.refresh_from_db()
    assert duplicate.merged_into == family["yusuf"]


def test_moving_a_household_a_restricted_person_lives_in_is_refused(
    practitioner, family, restricted
):
    new = NewAddress(
        line_1="3 Kentish Row",
        line_2="",
        town="London",
        postcode="NW1 8AB",
        moved_in=None,
        source="family",
    )
    with pytest.raises(MoveRefused, match=restricted.reference):
        record_move(_as(practitioner), family["mum"], new, str(family["household"].public_id))
    family["household"].refresh_from_db()
    assert family["household"].address.postcode == "NW5 3HS"
    assert not PersonAddress.objects.exists()


def test_case_level_records_on_the_family_case_are_still_recorded(
    client, practitioner, family, case, restricted
):
    # Safeguarding work on the family continues (Article 18(2)): a contact on the case.
    today = date.today()
    response = client.post(
        reverse("cases:add_contact", args=[case.public_id]),
        {
            "kind": "home_visit",
            "occurred_on_day": str(today.day),
            "occurred_on_month": str(today.month),
            "occurred_on_year": str(today.year),
            "occurred_time": "",
            "note": "Home visit with Amira and the children.",
        },
    )
    assert response.status_code == 302
    assert Contact.objects.filter(case=case).count() == 1


def test_a_new_case_for_the_family_leaves_the_restricted_person_off(
    client, practitioner, team, family, case, restricted
):
    # The sister's case opens (safeguarding work goes on); Yusuf, restricted, is not put
    # on it, and the page says so.
    from earlyhelp.cases.models import Case

    today = date.today()
    url = reverse("cases:open_case", args=[family["leila"].public_id])
    response = client.post(
        url,
        {
            "service": "family-support-and-complex-families",
            "team": str(team.pk),
            "children": [str(family["leila"].public_id)],
            "reason": "Referred by school: attendance",
            "started_day": str(today.day),
            "started_month": str(today.month),
            "started_year": str(today.year),
        },
    )
    assert response.status_code == 302
    opened = Case.objects.exclude(pk=case.pk).get(members__person=family["leila"])
    assert not opened.members.filter(person=family["yusuf"]).exists()
    page = client.get(response.url).content.decode()
    assert "Yusuf Haddad was not added: their record is restricted from processing" in page


def test_the_restricted_person_cannot_be_added_to_a_group_session(
    practitioner, family, case, restricted, request_as
):
    from earlyhelp.cases import sessions

    session = sessions.create_session(
        request_as(practitioner),
        service="family-support-and-complex-families",
        kind="stay_and_play",
        title="Tuesday stay and play",
        venue="Queen's Crescent Community Centre",
        held_on=date.today(),
    )
    with pytest.raises(ValueError, match="restricted from processing"):
        sessions.add_walk_in(request_as(practitioner), session, family["yusuf"])
    assert not session.attendance.exists()


def test_the_person_page_look_records_the_restriction_of_processing_it_shows(
    client, practitioner, family, restricted
):
    client.get(reverse("people:person", args=[family["yusuf"].public_id]))
    look = AuditEvent.objects.filter(
        action="view", record_id=str(family["yusuf"].public_id), details__page="person"
    ).latest("id")
    assert "other-personal" in look.categories
