"""The retention pages (issue 18 items 2, 3 and 5): who may open them, what bad input is
told, what a refused post leaves (nothing), what a review shows (its columns and no more),
and what a certificate names (nobody)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.bundles.render import all_text
from earlyhelp.people.models import Person
from earlyhelp.retention import services
from earlyhelp.retention.disposal import dispose
from earlyhelp.retention.models import DestructionReview, LegalHold, PlannedDestruction
from earlyhelp.retention.planning import plan
from tests.factories import PersonFactory, RestrictionFactory, RiskFactory
from tests.retention.retention_records import _a_hold_on, add_item, as_seen, review_of

Status = PlannedDestruction.Status
TODAY = timezone.localdate


def _date_fields(name: str, day: date) -> dict[str, str]:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def _signed_in(make_user, sign_in, role: Role, name: str = "asker"):
    user = make_user(name, role)
    sign_in(user)
    return user


# --- who may open what ---------------------------------------------------------------------

REVIEWERS = {Role.TEAM_MANAGER: 200, Role.INFORMATION_GOVERNANCE: 200}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_only_the_roles_the_policy_names_as_reviewers_open_a_destruction_review(
    client, make_user, sign_in, family, role
):
    review = review_of([family["mum"]])
    _signed_in(make_user, sign_in, role)
    expected = REVIEWERS.get(role, 403)
    assert client.get(reverse("retention:reviews")).status_code == expected
    assert client.get(reverse("retention:review", args=[review.public_id])).status_code == expected
    item = review.items.get()
    defer_url = reverse("retention:defer", args=[review.public_id, item.pk])
    assert client.get(defer_url).status_code == expected


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_legal_holds_are_the_information_governance_officers_alone(
    client, make_user, sign_in, family, role
):
    hold = LegalHold.objects.create(
        issuer="Inquiry",
        scope="person",
        person=family["mum"],
        reason="Asked to keep",
        review_on=TODAY() + timedelta(days=30),
        placed_by=make_user("placer"),
    )
    _signed_in(make_user, sign_in, role)
    expected = 200 if role == Role.INFORMATION_GOVERNANCE else 403
    for url in (
        reverse("retention:holds"),
        reverse("retention:place_hold"),
        reverse("retention:place_hold") + f"?person={family['mum'].public_id}",
        reverse("retention:hold", args=[hold.public_id]),
    ):
        assert client.get(url).status_code == expected, url


def test_the_routes_access_rule_follows_the_policys_reviewers():
    from earlyhelp.retention import views

    assert views.review_list.access_rule == frozenset(services.reviewer_roles())
    assert views.certificate.access_rule == frozenset(
        {Role.INFORMATION_GOVERNANCE, *services.reviewer_roles()}
    )


def test_signed_out_visitors_are_sent_to_sign_in(client, family):
    review = review_of([family["mum"]])
    for url in (
        reverse("retention:holds"),
        reverse("retention:reviews"),
        reverse("retention:review", args=[review.public_id]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("access:login"))


# --- a refused post writes nothing ----------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.ANALYST, Role.SYSTEM_ADMINISTRATOR])
def test_a_post_by_a_role_that_may_not_review_is_refused_and_writes_nothing(
    client, make_user, sign_in, family, role
):
    review = review_of([family["mum"], family["dad"]])
    item = review.items.first()
    _signed_in(make_user, sign_in, role)
    events = AuditEvent.objects.count()
    approve = client.post(
        reverse("retention:review", args=[review.public_id]), {"confirm": "on", "count": "2"}
    )
    defer = client.post(
        reverse("retention:defer", args=[review.public_id, item.pk]), {"reason": "Keep them"}
    )
    assert (approve.status_code, defer.status_code) == (403, 403)
    review.refresh_from_db()
    assert review.status == DestructionReview.Status.OPEN and review.approved_by is None
    assert set(review.items.values_list("status", flat=True)) == {Status.PLANNED}
    assert AuditEvent.objects.count() == events


def test_a_hold_placed_by_a_team_manager_is_refused_and_writes_nothing(
    client, make_user, sign_in, family
):
    _signed_in(make_user, sign_in, Role.TEAM_MANAGER)
    events = AuditEvent.objects.count()
    response = client.post(
        reverse("retention:place_hold") + f"?person={family['mum'].public_id}",
        {
            "issuer": "Inquiry",
            "scope": "person",
            "reason": "Keep",
            **_date_fields("review_on", TODAY() + timedelta(days=30)),
        },
    )
    assert response.status_code == 403
    assert not LegalHold.objects.exists() and AuditEvent.objects.count() == events


# --- legal holds: placing, bad input, lifting -------------------------------------------------


@pytest.fixture
def ig(make_user, sign_in):
    return _signed_in(make_user, sign_in, Role.INFORMATION_GOVERNANCE, "ivy")


def _hold_form(**fields) -> dict:
    return {
        "issuer": "Independent Inquiry",
        "reference": "INQ-7",
        "reason": "The inquiry asked for every record about child protection",
        **_date_fields("review_on", TODAY() + timedelta(days=90)),
        **fields,
    }


def test_a_hold_placed_on_a_person_from_their_search_result_covers_them(client, ig, family):
    mum = family["mum"]
    url = reverse("retention:place_hold") + f"?person={mum.public_id}"
    page = client.get(url)
    assert mum.full_name in page.content.decode()
    response = client.post(url, _hold_form(scope="person"))
    hold = LegalHold.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("retention:hold", args=[hold.public_id])
    assert (hold.scope, hold.person, hold.issuer, hold.placed_by) == (
        "person",
        mum,
        "Independent Inquiry",
        ig,
    )


def test_a_hold_on_a_family_is_placed_on_the_household_chosen_from_the_person(client, ig, family):
    household = family["household"]
    url = reverse("retention:place_hold") + f"?person={family['yusuf'].public_id}"
    assert household.reads_as() in client.get(url).content.decode()
    client.post(url, _hold_form(scope="family", household=str(household.public_id)))
    hold = LegalHold.objects.get()
    assert (hold.scope, hold.household, hold.person) == ("family", household, None)


def test_a_hold_without_a_review_date_is_refused_naming_the_field(client, ig, family):
    form = _hold_form(scope="service", service="iyss")
    for key in ("review_on_day", "review_on_month", "review_on_year"):
        del form[key]
    response = client.post(reverse("retention:place_hold"), form)
    assert response.status_code == 200
    assert "Enter the review date" in response.content.decode()
    assert not LegalHold.objects.exists()


def test_a_review_date_past_the_policys_longest_interval_is_refused_naming_it(client, ig):
    response = client.post(
        reverse("retention:place_hold"),
        _hold_form(
            scope="service",
            service="iyss",
            **_date_fields("review_on", TODAY() + timedelta(days=800)),
        ),
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "a hold must be reviewed within one year of today" in text.lower()
    assert 'id="id_review_on-error"' in text
    assert not LegalHold.objects.exists()


def test_a_review_date_today_or_earlier_is_refused(client, ig):
    response = client.post(
        reverse("retention:place_hold"),
        _hold_form(scope="service", service="iyss", **_date_fields("review_on", TODAY())),
    )
    assert "The review date must be after today" in response.content.decode()
    assert not LegalHold.objects.exists()


def test_a_hold_on_a_family_with_no_household_chosen_is_refused_naming_the_household(
    client, ig, family
):
    url = reverse("retention:place_hold") + f"?person={family['yusuf'].public_id}"
    response = client.post(url, _hold_form(scope="family"))
    text = response.content.decode()
    assert "Choose the household the hold covers" in text
    assert 'id="id_household-error"' in text
    assert not LegalHold.objects.exists()


def test_a_hold_by_rule_needs_its_date(client, ig):
    response = client.post(
        reverse("retention:place_hold"), _hold_form(scope="rule", criterion="referred")
    )
    assert "Enter the date the rule" in response.content.decode()
    assert not LegalHold.objects.exists()


def test_without_a_person_in_hand_a_hold_offers_only_a_service_or_a_rule(client, ig):
    text = client.get(reverse("retention:place_hold")).content.decode()
    assert 'value="service"' in text and 'value="rule"' in text
    assert 'value="person"' not in text and 'value="family"' not in text


def test_a_person_id_that_is_not_a_uuid_is_not_found(client, ig):
    assert client.get(reverse("retention:place_hold") + "?person=Amira").status_code == 404


def test_the_list_marks_a_hold_whose_review_date_has_passed_and_names_what_it_covers(
    client, ig, family, make_user
):
    placer = make_user("placer")
    LegalHold.objects.create(
        issuer="Inquiry A",
        scope="person",
        person=family["mum"],
        reason="Keep",
        review_on=TODAY() - timedelta(days=1),
        placed_by=placer,
    )
    LegalHold.objects.create(
        issuer="Inquiry B",
        scope="family",
        household=family["household"],
        reason="Keep",
        review_on=TODAY() + timedelta(days=10),
        placed_by=placer,
    )
    text = client.get(reverse("retention:holds")).content.decode()
    assert text.count("Review date passed") == 1
    assert family["mum"].full_name in text
    assert family["household"].reads_as() in text
    # A look against every person the page names: the mother, and the household's members.
    looked = set(
        AuditEvent.objects.filter(
            action="view", record_type="person", details__page="legal-holds"
        ).values_list("record_id", flat=True)
    )
    members = {str(family[k].public_id) for k in ("mum", "yusuf", "leila")}
    assert looked == members


def test_lifting_needs_a_reason(client, ig, family, make_user):
    hold = LegalHold.objects.create(
        issuer="Inquiry",
        scope="person",
        person=family["mum"],
        reason="Keep",
        review_on=TODAY() + timedelta(days=10),
        placed_by=make_user("placer"),
    )
    response = client.post(reverse("retention:hold", args=[hold.public_id]), {"lift_reason": ""})
    assert "Enter why the hold is lifted" in response.content.decode()
    hold.refresh_from_db()
    assert hold.in_force


def test_after_lifting_the_page_says_which_other_holds_still_cover_its_people(
    client, ig, family, make_user
):
    placer = make_user("placer")
    lifted = LegalHold.objects.create(
        issuer="Inquiry A",
        scope="family",
        household=family["household"],
        reason="Keep",
        review_on=TODAY() + timedelta(days=10),
        placed_by=placer,
    )
    LegalHold.objects.create(
        issuer="Claim B",
        reference="CL-9",
        scope="person",
        person=family["yusuf"],
        reason="A claim",
        review_on=TODAY() + timedelta(days=10),
        placed_by=placer,
    )
    LegalHold.objects.create(
        issuer="Unrelated C",
        scope="person",
        person=family["dad"],
        reason="Other",
        review_on=TODAY() + timedelta(days=10),
        placed_by=placer,
    )
    response = client.post(
        reverse("retention:hold", args=[lifted.public_id]),
        {"lift_reason": "The inquiry has reported"},
        follow=True,
    )
    text = response.content.decode()
    assert "Hold lifted. 1 other hold still covers some of its people" in text
    still = text[text.index('id="still-held"') :]
    assert "Claim B (CL-9)" in still and "Unrelated C" not in still
    lifted.refresh_from_db()
    assert not lifted.in_force and lifted.lift_reason == "The inquiry has reported"


# --- the review page ------------------------------------------------------------------------


@pytest.fixture
def tm(make_user, sign_in):
    return _signed_in(make_user, sign_in, Role.TEAM_MANAGER, "tess")


def test_the_review_page_shows_its_columns_and_nothing_else_of_the_records(
    client, tm, family, case
):
    case.team.members.add(tm)  # the manager of the team that holds the family's case
    mum = family["mum"]
    Person.objects.filter(pk=mum.pk).update(nhs_number="9434765919")
    RiskFactory(person=mum, description="Disclosed at the visit")
    review = review_of([mum, family["dad"]])
    PersonFactory(given_name="Nadia", family_name="Unlisted")  # not in the review
    text = client.get(reverse("retention:review", args=[review.public_id])).content.decode()
    assert mum.full_name in text and family["dad"].full_name in text
    assert f"{mum.age_on(TODAY())} years" in text
    assert "4 May 2018" in text  # last involvement
    assert "An adult&#x27;s records: kept for 6 years after the last involvement" in text
    for not_shown in (
        "9434765919",  # NHS number
        "1 May 1990",  # date of birth (an age instead)
        "Malden Road",  # address
        "School attendance and housing worries",  # the case's reason
        "Disclosed at the visit",  # a fact recorded
        "Unlisted",
    ):
        assert not_shown not in text, not_shown


def test_a_person_without_a_date_of_birth_is_listed_as_such(client, tm):
    person = PersonFactory(given_name="Ola", family_name="Nobirth", date_of_birth=None)
    review = review_of([person])
    text = client.get(reverse("retention:review", args=[review.public_id])).content.decode()
    assert "Date of birth not recorded" in text


def test_every_person_listed_on_a_review_page_gets_a_look_of_their_own(client, tm, family):
    review = review_of([family["mum"], family["dad"]])
    client.get(reverse("retention:review", args=[review.public_id]))
    looks = AuditEvent.objects.filter(action="view", details__page="destruction-review")
    assert sorted(looks.values_list("record_id", flat=True)) == sorted(
        str(family[k].public_id) for k in ("mum", "dad")
    )
    assert all(e.record_type == "person" and e.actor == tm for e in looks)


def test_a_review_lists_a_hundred_people_a_page(client, tm):
    people = [PersonFactory(adult=True) for _ in range(101)]
    review = review_of(people)
    url = reverse("retention:review", args=[review.public_id])
    first = client.get(url)
    second = client.get(url + "?page=2")
    assert len(first.context["rows"]) == 100 and len(second.context["rows"]) == 1
    looked = AuditEvent.objects.filter(details__page="destruction-review")
    assert looked.count() == 101


def test_a_record_restricted_from_the_reviewer_is_listed_without_its_name_or_dates(
    client, tm, family
):
    RestrictionFactory(person=family["mum"])
    review = review_of([family["mum"], family["dad"]])
    text = client.get(reverse("retention:review", args=[review.public_id])).content.decode()
    assert "A restricted record" in text and family["mum"].full_name not in text
    assert family["dad"].full_name in text
    look = AuditEvent.objects.get(
        details__page="destruction-review", record_id=str(family["mum"].public_id)
    )
    assert look.categories == []


# --- deferring and approving ----------------------------------------------------------------


def test_deferring_needs_a_reason_naming_the_field(client, tm, family):
    review = review_of([family["mum"]])
    item = review.items.get()
    response = client.post(reverse("retention:defer", args=[review.public_id, item.pk]), {})
    assert "Enter why these records are kept for now" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Status.PLANNED


def test_a_deferral_until_a_past_date_is_refused_naming_the_date(client, tm, family):
    review = review_of([family["mum"]])
    item = review.items.get()
    response = client.post(
        reverse("retention:defer", args=[review.public_id, item.pk]),
        {"reason": "Sibling's case is open", **_date_fields("until", TODAY() - timedelta(days=3))},
    )
    text = response.content.decode()
    assert (
        "The date they are kept until must be after today" in text and 'id="id_until-error"' in text
    )
    item.refresh_from_db()
    assert item.status == Status.PLANNED


def test_a_deferred_item_keeps_its_reason_and_shows_its_date(client, tm, family):
    review = review_of([family["mum"]])
    item = review.items.get()
    until = TODAY() + timedelta(days=20)
    response = client.post(
        reverse("retention:defer", args=[review.public_id, item.pk]),
        {"reason": "Sibling's case is open", **_date_fields("until", until)},
        follow=True,
    )
    item.refresh_from_db()
    assert (item.status, item.deferred_until, item.deferred_by) == (Status.DEFERRED, until, tm)
    assert f"Deferred until {until.day} {until:%B %Y}" in response.content.decode()


def test_approval_needs_the_reviewers_confirmation(client, tm, family):
    review = review_of([family["mum"]])
    response = client.post(reverse("retention:review", args=[review.public_id]), {"count": "1"})
    assert "Confirm that you have reviewed these records" in response.content.decode()
    review.refresh_from_db()
    assert review.status == DestructionReview.Status.OPEN


def test_approval_is_refused_when_more_records_wait_than_the_reviewer_saw(client, tm, family):
    review = review_of([family["mum"]])
    seen = as_seen(client, review)
    add_item(
        review, family["dad"], due_on=TODAY()
    )  # planned by a run of the plan since the page was opened
    response = client.post(reverse("retention:review", args=[review.public_id]), seen)
    assert "2 records are now waiting, not 1" in response.content.decode()
    review.refresh_from_db()
    assert review.status == DestructionReview.Status.OPEN


def test_approving_approves_what_waits_and_keeps_what_was_deferred(client, tm, family):
    review = review_of([family["mum"], family["dad"]])
    deferred = review.items.get(person=family["dad"])
    PlannedDestruction.objects.filter(pk=deferred.pk).update(status=Status.DEFERRED)
    response = client.post(
        reverse("retention:review", args=[review.public_id]),
        as_seen(client, review),
        follow=True,
    )
    review.refresh_from_db()
    assert (review.status, review.approved_by) == (DestructionReview.Status.APPROVED, tm)
    assert review.items.get(person=family["mum"]).status == Status.APPROVED
    assert review.items.get(person=family["dad"]).status == Status.DEFERRED
    assert "Approve destruction of" not in response.content.decode()


# --- certificates ---------------------------------------------------------------------------


def test_a_certificate_names_nobody_on_the_page_or_in_the_pdf(
    client, make_user, sign_in, old_family, request_as
):
    manager = make_user("manager-m", Role.TEAM_MANAGER)
    old_family.case.team.members.add(manager)  # the family's team: they see its people
    result = plan()
    review = result.review
    services.approve(request_as(manager), review)
    dispose()
    review.refresh_from_db()
    assert review.status == DestructionReview.Status.DESTROYED
    _signed_in(make_user, sign_in, Role.INFORMATION_GOVERNANCE)
    page = client.get(reverse("retention:certificate", args=[review.public_id]))
    pdf = client.get(reverse("retention:certificate_pdf", args=[review.public_id]))
    text = page.content.decode()
    printed = all_text(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content)
    assert str(review.public_id) in text and str(review.public_id) in printed
    assert "An adult&#x27;s records" in text
    assert manager.get_full_name() in text
    for person in (old_family.mum, old_family.older, old_family.youngest):
        for words in (person.given_name, person.family_name, str(person.public_id)):
            assert words not in text and words not in printed, words
    for day in (date(1980, 4, 4), date(2000, 6, 6)):
        assert f"{day.day} {day:%B %Y}" not in text


def test_the_certificates_are_listed_for_the_information_governance_officer(
    client, make_user, sign_in, old_family, request_as
):
    review = plan().review
    manager = make_user("manager-m", Role.TEAM_MANAGER)
    old_family.case.team.members.add(manager)
    services.approve(request_as(manager), review)
    dispose()
    _signed_in(make_user, sign_in, Role.INFORMATION_GOVERNANCE)
    text = client.get(reverse("retention:certificates")).content.decode()
    assert reverse("retention:certificate", args=[review.public_id]) in text


def test_a_review_not_yet_destroyed_has_no_certificate(client, tm, family):
    review = review_of([family["mum"]])
    assert client.get(reverse("retention:certificate", args=[review.public_id])).status_code == 404
    assert (
        client.get(reverse("retention:certificate_pdf", args=[review.public_id])).status_code == 404
    )


def test_the_governance_home_counts_holds_past_their_review_date(client, make_user, sign_in):
    _signed_in(make_user, sign_in, Role.INFORMATION_GOVERNANCE, "ig")
    hold = _a_hold_on(PersonFactory())
    assert "past its review date" not in client.get(reverse("web:home")).content.decode()
    LegalHold.objects.filter(pk=hold.pk).update(review_on=timezone.localdate() - timedelta(days=1))
    assert "(1 past its review date)" in client.get(reverse("web:home")).content.decode()
    LegalHold.objects.filter(pk=hold.pk).update(lifted_at=timezone.now())
    assert "past its review date" not in client.get(reverse("web:home")).content.decode()
