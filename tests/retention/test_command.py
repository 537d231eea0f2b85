"""`earlyhelp retention plan` and `dispose` from the command line: implausible values are
refused with a message naming the option and the rule, never a traceback; the output says
what happened in words, with proper singulars and plurals, and prints no rule ids."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from earlyhelp.lib.plausible import PLANNED_YEARS_AHEAD
from earlyhelp.retention import disposal
from earlyhelp.retention.management.commands.retention import BATCH_SIZE_RULE
from earlyhelp.retention.models import DestructionReview
from earlyhelp.retention.services import approve
from tests.factories import ExtractFactory

pytestmark = pytest.mark.django_db


def _years_ahead(years: int):
    today = timezone.localdate()
    try:
        return today.replace(year=today.year + years)
    except ValueError:
        return today.replace(year=today.year + years, day=28)


def _refusal(*args: str) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("retention", *args)
    return str(refused.value)


# --- plan --through -------------------------------------------------------------------------


def test_plan_refuses_a_through_date_more_than_the_planning_horizon_ahead():
    message = _refusal("plan", "--through", "9999-12-31")
    latest = _years_ahead(PLANNED_YEARS_AHEAD)
    assert message.startswith(f"--through: at most {latest.isoformat()} (")
    assert "years ahead" in message
    assert not DestructionReview.objects.exists()


def test_plan_takes_a_through_date_on_the_last_day_of_the_horizon_and_not_the_day_after():
    latest = _years_ahead(PLANNED_YEARS_AHEAD)
    call_command("retention", "plan", "--through", latest.isoformat())
    later = (latest + timedelta(days=1)).isoformat()
    assert _refusal("plan", "--through", later).startswith("--through: at most")


def test_plan_refuses_a_through_date_before_today():
    yesterday = timezone.localdate() - timedelta(days=1)
    message = _refusal("plan", "--through", yesterday.isoformat())
    assert message.startswith(f"--through: today ({timezone.localdate().isoformat()}) or later")


@pytest.mark.parametrize("empty", ["", "   "])
def test_plan_refuses_an_empty_through_date_rather_than_taking_the_default(empty):
    assert _refusal("plan", "--through", empty) == "--through: give a date as YYYY-MM-DD"
    assert not DestructionReview.objects.exists()


@pytest.mark.parametrize("value", ["2026-13-01", "2027-02-30", "tomorrow", "20271201", "2027-W01"])
def test_plan_refuses_a_through_value_that_is_not_a_yyyy_mm_dd_date_naming_the_option(value):
    message = _refusal("plan", "--through", value)
    assert message.startswith("--through: give a date as YYYY-MM-DD")


# --- dispose --batch-size -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "99999999999999999999999",
        str(disposal.MAX_BATCH + 1),
        "0",
        "-1",
        "",
        "1.5",
        "ten",
        "9" * 5000,
    ],
)
def test_dispose_refuses_a_batch_size_outside_1_to_the_maximum_with_one_message(value):
    rule = f"--batch-size: give a whole number from 1 to {disposal.MAX_BATCH:,}"
    assert _refusal("dispose", "--batch-size", value) == rule == BATCH_SIZE_RULE


def test_dispose_takes_the_largest_batch_size_allowed(capsys):
    call_command("retention", "dispose", "--batch-size", str(disposal.MAX_BATCH))
    assert "Nothing approved was waiting to be destroyed." in capsys.readouterr().out


@pytest.mark.parametrize("size", [0, -1, disposal.MAX_BATCH + 1])
def test_the_disposal_service_refuses_a_batch_size_outside_1_to_the_maximum(size):
    with pytest.raises(ValueError, match=r"^batch_size: a whole number from 1 to 10,000$"):
        disposal.dispose(size)


# --- what the commands say ------------------------------------------------------------------


def test_plan_says_people_approved_are_already_in_a_review_not_waiting_for_it(
    old_family, request_as, reviewer, capsys
):
    call_command("retention", "plan")
    approve(request_as(reviewer), DestructionReview.objects.get())
    capsys.readouterr()
    call_command("retention", "plan")
    out = capsys.readouterr().out
    assert "2 people already in a review" in out
    assert "waiting for review" not in out


def test_plan_names_each_rule_in_words_and_never_its_id(old_family, capsys):
    call_command("retention", "plan")
    out = capsys.readouterr().out
    assert "1 person: An adult's records: kept for 6 years" in out
    assert "1 person: A child's records: kept until the 25th birthday" in out
    assert "adult-records" not in out and "child-records" not in out
    review = DestructionReview.objects.get()
    # The review's public id is the one machine reference printed.
    assert f"Review {review.public_id} is waiting for sign-off." in out


def test_dispose_says_batch_and_person_in_the_singular_and_never_writes_es_or_s_in_brackets(
    old_family, request_as, reviewer, capsys
):
    call_command("retention", "plan")
    approve(request_as(reviewer), DestructionReview.objects.get())
    capsys.readouterr()
    call_command("retention", "dispose", "--batch-size", "2")
    out = capsys.readouterr().out
    assert "Destroyed the records of 2 people in 1 batch; 0 document files removed." in out
    assert not re.search(r"\((s|es)\)", out)


def test_dispose_says_batches_in_the_plural(old_family, request_as, reviewer, capsys):
    call_command("retention", "plan")
    approve(request_as(reviewer), DestructionReview.objects.get())
    capsys.readouterr()
    call_command("retention", "dispose", "--batch-size", "1")
    assert "Destroyed the records of 2 people in 2 batches;" in capsys.readouterr().out


def test_the_extract_reminder_in_the_plan_names_the_page_in_words_with_its_path(capsys):
    today = timezone.localdate()
    ExtractFactory(
        project="liia",
        extract_date=today - timedelta(days=6 * 366),
        destruction_due=today - timedelta(days=3),
        rows=12,
    )
    call_command("retention", "plan")
    out = capsys.readouterr().out
    assert "1 extract has passed the date by which its recipient had to destroy it" in out
    page = "“Extracts the recipients must have destroyed”"
    assert f"on the page {page} ({reverse('extracts:destruction')})" in out
