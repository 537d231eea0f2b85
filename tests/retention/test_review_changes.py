"""What changes a destruction review after it was planned, and who sees what on it (issue 18
item 3): a hold placed since, a merge, a deferral run out, a second approval; need-to-know on
the review's rows; the hold pages' words for restricted and merged records."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.people.merge import merge_people
from earlyhelp.retention import holds, services
from earlyhelp.retention.models import DestructionReview, LegalHold, PlannedDestruction
from earlyhelp.retention.planning import plan
from tests.factories import PersonFactory, RestrictionFactory
from tests.retention.retention_records import _a_hold_on, add_item, as_seen, review_of

Status = PlannedDestruction.Status
TODAY = timezone.localdate


def _signed_in(make_user, sign_in, role: Role, name: str):
    user = make_user(name, role)
    sign_in(user)
    return user


# --- need-to-know on a review -----------------------------------------------------------------


def test_a_team_manager_sees_by_name_only_their_teams_people_and_those_no_case_holds(
    client, make_user, sign_in, family, case
):
    manager = _signed_in(make_user, sign_in, Role.TEAM_MANAGER, "outside-manager")
    unheld = PersonFactory(given_name="Petra", family_name="Nocase", adult=True)
    review = review_of([family["mum"], unheld])
    text = client.get(reverse("retention:review", args=[review.public_id])).content.decode()
    assert family["mum"].full_name not in text and "A record held by another team" in text
    assert unheld.full_name in text
    looks = dict(
        AuditEvent.objects.filter(details__page="destruction-review", actor=manager).values_list(
            "record_id", "categories"
        )
    )
    assert looks[str(family["mum"].public_id)] == []  # listed, nothing of them shown
    assert looks[str(unheld.public_id)] != []
    # Their team's manager sees the name.
    case.team.members.add(manager)
    text = client.get(reverse("retention:review", args=[review.public_id])).content.decode()
    assert family["mum"].full_name in text


def test_the_information_governance_officer_sees_every_name_on_a_review(
    client, make_user, sign_in, family, case
):
    _signed_in(make_user, sign_in, Role.INFORMATION_GOVERNANCE, "ig-reviewer")
    review = review_of([family["mum"], family["dad"]])
    text = client.get(reverse("retention:review", args=[review.public_id])).content.decode()
    assert family["mum"].full_name in text and family["dad"].full_name in text


def test_a_record_of_another_team_cannot_be_deferred_by_its_reviewer(
    client, make_user, sign_in, family, case
):
    _signed_in(make_user, sign_in, Role.TEAM_MANAGER, "outside-manager")
    review = review_of([family["mum"]])
    item = review.items.get()
    url = reverse("retention:defer", args=[review.public_id, item.pk])
    page = client.get(url).content.decode()
    assert family["mum"].full_name not in page and "Defer</button>" not in page
    client.post(url, {"reason": "Keep for now"})
    item.refresh_from_db()
    assert item.status == Status.PLANNED


# --- what changes a review after planning ----------------------------------------------------


def test_a_hold_placed_after_planning_takes_its_people_out_of_the_open_review(
    family, request_as, make_user
):
    review = review_of([family["mum"], family["dad"]])
    ig = make_user("ig-holds", Role.INFORMATION_GOVERNANCE)
    holds.place_hold(
        request_as(ig),
        issuer="An inquiry",
        scope=LegalHold.Scope.PERSON,
        person=family["mum"],
        reason="Asked to keep everything",
        review_on=TODAY() + timedelta(days=60),
    )
    statuses = dict(review.items.values_list("person_id", "status"))
    assert statuses == {family["mum"].pk: Status.HELD, family["dad"].pk: Status.PLANNED}
    manager = make_user("approver", Role.TEAM_MANAGER)
    assert services.approve(request_as(manager), review, seen=1) == 1


def test_a_hold_placed_after_approval_is_shown_on_the_review_as_keeping_them(
    client, make_user, sign_in, family, request_as
):
    review = review_of([family["dad"]], status=DestructionReview.Status.APPROVED)
    PlannedDestruction.objects.filter(review=review).update(status=Status.APPROVED)
    LegalHold.objects.create(
        issuer="A court",
        scope=LegalHold.Scope.PERSON,
        person=family["dad"],
        reason="A claim",
        review_on=TODAY() + timedelta(days=20),
        placed_by=make_user("placer"),
    )
    _signed_in(make_user, sign_in, Role.INFORMATION_GOVERNANCE, "ig-reader")
    text = client.get(reverse("retention:review", args=[review.public_id])).content.decode()
    assert "Kept: a legal hold covers them now" in text


def test_a_merge_withdraws_both_records_items_and_the_next_plan_lists_the_person_once(
    old_family, make_user
):
    first = plan()
    review = first.review
    duplicate = PersonFactory(given_name="Maryam", family_name="Oduya", adult=True)
    add_item(review, duplicate, due_on=date(2018, 3, 1))
    merge_people(old_family.mum, duplicate, make_user("merger"), "Same mother, recorded twice")
    standing = review.items.filter(person=old_family.mum, status__in=PlannedDestruction.STANDING)
    assert not standing.exists()
    assert review.items.filter(person=old_family.mum, status=Status.MERGED).count() == 2
    again = plan()
    assert again.review == review
    assert standing.count() == 1


def test_one_person_stands_once_in_a_review(family):
    review = review_of([family["mum"]])
    with pytest.raises(IntegrityError), transaction.atomic():
        add_item(review, family["mum"], due_on=TODAY())


def test_a_deferral_that_ran_out_while_the_review_is_open_is_planned_again(
    old_family, request_as, reviewer
):
    review = plan().review
    item = review.items.get(person=old_family.mum)
    services.defer(request_as(reviewer), item, "Sibling's case may reopen")
    PlannedDestruction.objects.filter(pk=item.pk).update(deferred_until=TODAY())
    again = plan()
    item.refresh_from_db()
    assert item.status == Status.PLANNED
    assert again.planned[item.rule] == 1


def test_approval_recounts_what_waits_under_the_reviews_lock(family, request_as, reviewer):
    review = review_of([family["mum"], family["dad"]])
    with pytest.raises(ValueError, match="2 records are now waiting, not 1"):
        services.approve(request_as(reviewer), review, seen=1)
    review.refresh_from_db()
    assert review.status == DestructionReview.Status.OPEN


def test_approving_a_review_approved_in_another_tab_says_who_approved_it_and_when(
    client, make_user, sign_in, family, request_as
):
    review = review_of([family["dad"]])
    other = make_user("other-reviewer", Role.TEAM_MANAGER)
    other.first_name, other.last_name = "Rosa", "Okafor"
    other.save()
    services.approve(request_as(other), review)
    _signed_in(make_user, sign_in, Role.TEAM_MANAGER, "late")
    response = client.post(
        reverse("retention:review", args=[review.public_id]),
        {"confirm": "on", "count": "1", "seen": services.seen_digest([review.items.get().pk])},
        follow=True,
    )
    day = TODAY()
    assert f"Already approved by Rosa Okafor on {day.day} {day:%B %Y}" in (
        response.content.decode()
    )


def test_a_deferral_shows_who_deferred_it_when_and_why(client, make_user, sign_in, family):
    manager = _signed_in(make_user, sign_in, Role.INFORMATION_GOVERNANCE, "deferrer")
    manager.first_name, manager.last_name = "Dev", "Ferrer"
    manager.save()
    review = review_of([family["dad"]])
    item = review.items.get()
    client.post(
        reverse("retention:defer", args=[review.public_id, item.pk]),
        {"reason": "A complaint about the case is open"},
    )
    text = client.get(reverse("retention:review", args=[review.public_id])).content.decode()
    assert "By Dev Ferrer on" in text and "A complaint about the case is open" in text


def test_a_date_with_a_box_left_empty_is_refused_naming_the_date_and_the_missing_part(
    client, make_user, sign_in, family
):
    _signed_in(make_user, sign_in, Role.INFORMATION_GOVERNANCE, "deferrer")
    review = review_of([family["dad"]])
    item = review.items.get()
    response = client.post(
        reverse("retention:defer", args=[review.public_id, item.pk]),
        {"reason": "Keep", "until_day": "", "until_month": "3", "until_year": "2027"},
    )
    text = response.content.decode()
    assert "The date they are kept until must include a day" in text
    assert "Enter a complete value" not in text


# --- the hold pages ---------------------------------------------------------------------------


@pytest.fixture
def ig(make_user, sign_in):
    return _signed_in(make_user, sign_in, Role.INFORMATION_GOVERNANCE, "ig-holds")


def test_a_household_with_a_restricted_member_is_never_shown_by_its_address(
    client, ig, family, make_user
):
    RestrictionFactory(person=family["mum"])
    page = client.get(
        reverse("retention:place_hold") + f"?person={family['yusuf'].public_id}"
    ).content.decode()
    assert "A restricted household" in page and "Malden Road" not in page
    LegalHold.objects.create(
        issuer="Inquiry",
        scope=LegalHold.Scope.FAMILY,
        household=family["household"],
        reason="Keep",
        review_on=TODAY() + timedelta(days=10),
        placed_by=make_user("placer"),
    )
    listing = client.get(reverse("retention:holds")).content.decode()
    assert "A restricted household" in listing and "Malden Road" not in listing


def test_a_person_with_no_household_or_case_is_offered_neither_as_a_scope(client, ig):
    alone = PersonFactory(given_name="Ivo", family_name="Alone", adult=True)
    response = client.get(reverse("retention:place_hold") + f"?person={alone.public_id}")
    scopes = dict(response.context["form"].fields["scope"].choices)
    assert LegalHold.Scope.FAMILY not in scopes and LegalHold.Scope.CASE not in scopes
    assert LegalHold.Scope.PERSON in scopes


def test_placing_a_hold_from_a_merged_away_record_leads_to_the_record_kept(
    client, ig, family, make_user
):
    duplicate = PersonFactory(given_name="Tomasz", family_name="Nowak", adult=True)
    merge_people(family["dad"], duplicate, make_user("merger"), "Recorded twice")
    response = client.get(
        reverse("retention:place_hold") + f"?person={duplicate.public_id}", follow=True
    )
    assert response.status_code == 200
    assert response.context["person"] == family["dad"]
    assert "merged into another" in response.content.decode()


def test_the_review_dates_of_holds_in_force_show_when_a_hold_has_been_lifted(client, ig, family):
    _a_hold_on(family["mum"], review_on=TODAY() - timedelta(days=1))
    _a_hold_on(family["dad"], lifted_at=timezone.now())
    text = client.get(reverse("retention:holds")).content.decode()
    assert "Review date passed" in text


# --- need-to-know: nothing of a record the reader may not see --------------------------------


def test_a_row_the_reader_may_not_see_shows_neither_its_rule_nor_its_due_date_nor_a_deferral(
    client, make_user, sign_in, family, case, request_as
):
    review = review_of([family["mum"]])
    item = review.items.get()
    ig = make_user("ig-deferrer", Role.INFORMATION_GOVERNANCE)
    services.defer(request_as(ig), item, "Her sister Nadia has a claim")
    _signed_in(make_user, sign_in, Role.TEAM_MANAGER, "outside-manager")
    for url in (
        reverse("retention:review", args=[review.public_id]),
        reverse("retention:defer", args=[review.public_id, item.pk]),
    ):
        text = client.get(url).content.decode()
        assert "A record held by another team" in text
        for never in ("An adult&#x27;s records", "Nadia", "4 May 2018", family["mum"].full_name):
            assert never not in text, (url, never)
        due = item.due_on
        assert f"{due.day} {due:%B %Y}" not in text


def test_a_manager_approves_only_the_records_they_may_see_and_the_rest_wait_for_another(
    client, make_user, sign_in, family, case, request_as
):
    unheld = PersonFactory(given_name="Petra", family_name="Nocase", adult=True)
    review = review_of([family["mum"], unheld])
    manager = _signed_in(make_user, sign_in, Role.TEAM_MANAGER, "outside-manager")
    page = client.get(reverse("retention:review", args=[review.public_id])).content.decode()
    assert "1 record waits for a reviewer who may see it" in page
    client.post(reverse("retention:review", args=[review.public_id]), as_seen(client, review))
    statuses = dict(review.items.values_list("person_id", "status"))
    assert statuses == {family["mum"].pk: Status.PLANNED, unheld.pk: Status.APPROVED}
    assert review.items.get(person=unheld).approved_by == manager
    review.refresh_from_db()
    assert review.status == DestructionReview.Status.OPEN
    # The IG officer, who may see every record, approves the rest: the review is signed off.
    ig = make_user("ig-approver", Role.INFORMATION_GOVERNANCE)
    assert services.approve(request_as(ig), review, seen=1) == 1
    review.refresh_from_db()
    assert (review.status, review.approved_by) == (DestructionReview.Status.APPROVED, ig)


def test_a_record_approved_ahead_of_its_day_waits_for_it_and_is_not_called_no_longer_due(
    family, request_as, make_user
):
    from earlyhelp.retention.disposal import dispose

    review = review_of([family["dad"]])
    PlannedDestruction.objects.filter(review=review).update(due_on=TODAY() + timedelta(days=9))
    services.approve(request_as(make_user("ig-a", Role.INFORMATION_GOVERNANCE)), review)
    done = dispose()
    item = review.items.get()
    review.refresh_from_db()
    assert item.status == Status.APPROVED and done.people == 0 and not done.kept
    assert review.status == DestructionReview.Status.APPROVED  # waiting, not finished


def test_the_certificate_counts_everyone_the_review_listed_and_kept(
    old_family, request_as, reviewer
):
    from earlyhelp.retention.disposal import dispose

    review = plan().review
    services.defer(request_as(reviewer), review.items.get(person=old_family.older), "Appeal")
    services.approve(request_as(reviewer), review)
    dispose()
    review.refresh_from_db()
    assert review.status == DestructionReview.Status.DESTROYED
    assert review.certificate["kept"] == {"Deferred": 1}


def test_lifting_a_hold_lifted_meanwhile_says_so_on_the_page(client, ig, family):
    hold = _a_hold_on(family["dad"], lifted_at=timezone.now())
    response = client.post(
        reverse("retention:hold", args=[hold.public_id]), {"lift_reason": "Again"}, follow=True
    )
    day = TODAY()
    assert f"This hold was lifted on {day.day} {day:%B %Y}" in response.content.decode()


# --- a review always ends; what a hidden row and its place say --------------------------------


def test_a_review_whose_last_waiting_record_is_deferred_is_signed_off(
    family, request_as, make_user
):
    review = review_of([family["dad"]])
    services.defer(
        request_as(make_user("ig-d", Role.INFORMATION_GOVERNANCE)), review.items.get(), "Claim"
    )
    review.refresh_from_db()
    assert review.status == DestructionReview.Status.APPROVED


def test_a_review_whose_last_waiting_record_a_hold_takes_is_signed_off_and_finished(
    family, request_as, make_user
):
    from earlyhelp.retention.disposal import dispose

    review = review_of([family["dad"]])
    holds.place_hold(
        request_as(make_user("ig-h", Role.INFORMATION_GOVERNANCE)),
        issuer="A court",
        scope=LegalHold.Scope.PERSON,
        person=family["dad"],
        reason="A claim",
        review_on=TODAY() + timedelta(days=30),
    )
    review.refresh_from_db()
    assert review.status == DestructionReview.Status.APPROVED
    dispose()
    review.refresh_from_db()
    assert review.status == DestructionReview.Status.DESTROYED
    assert review.certificate["kept"] == {Status.HELD.label: 1}


def test_disposal_signs_off_an_open_review_nothing_waits_in(family):
    from earlyhelp.retention.disposal import dispose

    review = review_of([family["dad"]])
    review.items.update(status=Status.RIGHTS)  # kept since planning, by any route
    dispose()
    review.refresh_from_db()
    assert review.status == DestructionReview.Status.DESTROYED


def test_a_hidden_rows_status_says_only_whether_it_waits(
    client, make_user, sign_in, family, case, request_as
):
    review = review_of([family["mum"], family["yusuf"]])
    services.defer(
        request_as(make_user("ig-d", Role.INFORMATION_GOVERNANCE)),
        review.items.get(person=family["mum"]),
        "Claim",
    )
    _signed_in(make_user, sign_in, Role.TEAM_MANAGER, "outside-manager")
    response = client.get(reverse("retention:review", args=[review.public_id]))
    statuses = [row["status"] for row in response.context["rows"]]
    assert sorted(statuses) == ["Not shown", "Waiting for a reviewer who may see it"]
    assert "Deferred until" not in response.content.decode()


def test_hidden_rows_come_after_the_rows_the_reader_sees_so_their_place_gives_no_date(
    client, make_user, sign_in, family, case
):
    unheld = [PersonFactory(adult=True) for _ in range(2)]
    review = review_of([unheld[0], family["mum"], unheld[1]])  # mum's due date between
    _signed_in(make_user, sign_in, Role.TEAM_MANAGER, "outside-manager")
    rows = client.get(reverse("retention:review", args=[review.public_id])).context["rows"]
    assert [row["hidden"] for row in rows] == [False, False, True]


def test_approval_is_refused_when_the_records_waiting_changed_though_their_number_did_not(
    client, make_user, sign_in, family, request_as
):
    review = review_of([family["dad"]])
    manager = _signed_in(make_user, sign_in, Role.INFORMATION_GOVERNANCE, "ig-seer")
    seen = as_seen(client, review)
    services.defer(request_as(manager), review.items.get(), "Claim")
    add_item(review, family["mum"], due_on=TODAY())
    review.status = DestructionReview.Status.OPEN
    review.save()
    response = client.post(reverse("retention:review", args=[review.public_id]), seen)
    assert "have changed since you opened the review" in response.content.decode()
    assert review.items.get(person=family["mum"]).status == Status.PLANNED


def test_an_approval_form_without_what_the_reviewer_saw_is_called_out_of_date(
    client, make_user, sign_in, family
):
    review = review_of([family["dad"]])
    _signed_in(make_user, sign_in, Role.INFORMATION_GOVERNANCE, "ig-seer")
    for sent in ({"confirm": "on"}, {"confirm": "on", "count": "-1", "seen": "x"}):
        text = client.post(reverse("retention:review", args=[review.public_id]), sent)
        text = text.content.decode()
        assert "The approval form is out of date or incomplete" in text
        assert "Ensure this value" not in text and "This field is required" not in text


def test_deferring_a_record_the_reviewer_may_not_see_is_refused_by_the_service(
    family, case, request_as, make_user
):
    review = review_of([family["mum"]])
    outsider = make_user("outside-manager", Role.TEAM_MANAGER)
    with pytest.raises(ValueError, match="only a reviewer who may see this record"):
        services.defer(request_as(outsider), review.items.get(), "Keep")
