"""Retention records written directly (no audit events), for the role-by-route matrix and
the retention tests: a review listing people, a destroyed review with its certificate, a
legal hold; and the approval form as a review page gives it."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.people.models import Person
from earlyhelp.retention.models import DestructionReview, LegalHold, PlannedDestruction

Status = PlannedDestruction.Status


def a_review(person: Person, status: str = DestructionReview.Status.OPEN) -> PlannedDestruction:
    """A review of `status` listing `person` under the adult rule; its one item."""
    today = timezone.localdate()
    review = DestructionReview.objects.create(due_by=today + timedelta(days=30), status=status)
    destroyed = status == DestructionReview.Status.DESTROYED
    if destroyed:
        review.finished_at = timezone.now()
        review.certificate = {
            "rules": {"adult-records": 1},
            "records": {"Person": 1},
            "kept": {},
            "method": "Deleted",
            "batches": 1,
        }
        review.save(update_fields=["finished_at", "certificate"])
    return PlannedDestruction.objects.create(
        review=review,
        person=None if destroyed else person,
        pseudonym="0" * 32,
        rule="adult-records",
        subject="adult",
        due_on=today - timedelta(days=1),
        last_involvement=today - timedelta(days=6 * 366),
        status=PlannedDestruction.Status.DESTROYED
        if destroyed
        else PlannedDestruction.Status.PLANNED,
    )


def review_of(people, *, status=DestructionReview.Status.OPEN) -> DestructionReview:
    """A review listing `people` (adults, six years after their last involvement in May
    2018), due one, two, ... days ago in that order."""
    today = timezone.localdate()
    review = DestructionReview.objects.create(due_by=today + timedelta(days=30), status=status)
    for number, person in enumerate(people):
        add_item(review, person, due_on=today - timedelta(days=number + 1))
    return review


def add_item(review: DestructionReview, person: Person, **fields) -> PlannedDestruction:
    """`person` planned in `review` under the adult rule (due today unless `fields` say)."""
    values = {
        "pseudonym": f"{person.pk:032x}",
        "rule": "adult-records",
        "subject": "adult",
        "due_on": timezone.localdate(),
        "last_involvement": date(2018, 5, 4),
        **fields,
    }
    return PlannedDestruction.objects.create(review=review, person=person, **values)


def as_seen(client, review: DestructionReview) -> dict[str, str]:
    """The approval form as the review page gives it now: confirmed, with the count and
    the digest of the records the reader saw waiting."""
    context = client.get(reverse("retention:review", args=[review.public_id])).context
    return {"confirm": "on", "count": str(context["yours"]), "seen": context["digest"]}


def matrix_review(records: dict, status: str = DestructionReview.Status.OPEN) -> object:
    """The public id of a review listing the matrix's person (records["person"])."""
    person = Person.objects.get(public_id=records["person"])
    return a_review(person, status).review.public_id


def matrix_item(records: dict) -> list:
    """[review public id, item id] of the matrix's person in an open review."""
    item = a_review(Person.objects.get(public_id=records["person"]))
    return [item.review.public_id, item.pk]


def matrix_hold(records: dict) -> object:
    """The public id of a hold in force on the matrix's person."""
    placer = User.objects.create_user(username="hold-placer", password="x" * 20)
    return LegalHold.objects.create(
        issuer="An inquiry",
        scope=LegalHold.Scope.PERSON,
        person=Person.objects.get(public_id=records["person"]),
        reason="The inquiry asked for the records to be kept",
        review_on=timezone.localdate() + timedelta(days=30),
        placed_by=placer,
    ).public_id


def _a_hold_on(person: Person, **fields) -> LegalHold:
    """A hold in force on `person`, reviewed in 30 days, unless `fields` say otherwise (a
    review date passed, a hold lifted)."""
    placer, _ = User.objects.get_or_create(username="hold-placer")
    values = {
        "issuer": "An inquiry",
        "reason": "The inquiry asked for the records to be kept",
        "review_on": timezone.localdate() + timedelta(days=30),
        "placed_by": placer,
        **fields,
    }
    if values.get("lifted_at"):
        values.setdefault("lifted_by", placer)
        values.setdefault("lift_reason", "The inquiry closed")
    return LegalHold.objects.create(scope=LegalHold.Scope.PERSON, person=person, **values)


def retention_form_pages(by_manager, by_governance, person: Person) -> list[tuple]:
    """(name, client, url) for each retention page with a form, for tests/web/test_choice_ids:
    placing a hold (with and without a person in hand), lifting one, deferring one person's
    records and approving a review (a team manager, a reviewer in camden.toml)."""
    item = a_review(person)
    review = item.review.public_id
    place = reverse("retention:place_hold")
    return [
        ("place a legal hold", by_governance, place),
        ("place a legal hold on a person", by_governance, f"{place}?person={person.public_id}"),
        (
            "lift a legal hold",
            by_governance,
            reverse("retention:hold", args=[_a_hold_on(person).public_id]),
        ),
        ("approve a destruction review", by_manager, reverse("retention:review", args=[review])),
        ("defer destruction", by_manager, reverse("retention:defer", args=[review, item.pk])),
        ("confirm a recipient destroyed an extract", by_governance, _overdue_extract_page()),
    ]


def _overdue_extract_page() -> str:
    """The page recording that an extract's recipient destroyed it (past its date)."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import ExtractFactory

    today = timezone.localdate()
    extract = ExtractFactory(
        extract_date=today - timedelta(days=400), destruction_due=today - timedelta(days=10)
    )
    return reverse("extracts:confirm_destruction", args=[extract.public_id])


def _signed_in_client(username: str, role) -> object:
    """A test client signed in, second factor included, as a new member of staff of `role`."""
    from django.contrib.auth.models import Group
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = User.objects.create_user(username=username, first_name="Rae")
    user.groups.set([Group.objects.get_or_create(name=role.value)[0]])
    TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    browser = Client()
    browser.force_login(user)
    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
    session.save()
    return browser


def retention_date_pages(person: Person) -> list[tuple]:
    """(name, url, form class, how) for each retention page with a date, for
    tests/web/test_date_inputs; ``how["browser"]`` is the client of the role that fills it."""
    from earlyhelp.access.roles import Role
    from earlyhelp.extracts.forms import ConfirmDestructionForm
    from earlyhelp.retention import forms

    by_governance = _signed_in_client("retention-officer", Role.INFORMATION_GOVERNANCE)
    by_manager = _signed_in_client("retention-manager", Role.TEAM_MANAGER)
    item = a_review(person)
    place = reverse("retention:place_hold")
    return [
        ("place a legal hold", place, forms.PlaceHoldForm, {"browser": by_governance}),
        (
            "place a legal hold on a person",
            f"{place}?person={person.public_id}",
            forms.PlaceHoldForm,
            {"browser": by_governance},
        ),
        (
            "defer destruction",
            reverse("retention:defer", args=[item.review.public_id, item.pk]),
            forms.DeferForm,
            {"browser": by_manager},
        ),
        (
            "confirm a recipient destroyed an extract",
            _overdue_extract_page(),
            ConfirmDestructionForm,
            {"browser": by_governance},
        ),
    ]
