"""A practitioner's day on one case, through the pages: an Early Help assessment, a Team Around
the Family plan and its review, a stay-and-play register, and a request to close the case that
the team manager signs off. Every page visited is scanned, pages showing errors included.

The headline outcome and the closure reason are chosen by the policy's words, never its ids.
"""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from earlyhelp.access.roles import Role
from earlyhelp.cases.choices import service_name
from earlyhelp.policy.active import active_policy
from tests.browser.conftest import sign_in_through_the_browser
from tests.conftest import STRONG_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLOW = 15000  # ms: the machine may be busy


def fill_date(scope, day: date) -> None:
    """The GOV.UK date boxes of one date field (scope: its fieldset, or a page with one date)."""
    scope.get_by_label("Day").fill(str(day.day))
    scope.get_by_label("Month").fill(str(day.month))
    scope.get_by_label("Year").fill(str(day.year))


def test_practitioner_assesses_plans_reviews_registers_and_closes_and_the_manager_signs_off(
    page, make_user, family, case, team, assert_accessible
):
    priya = make_user("priya", Role.PRACTITIONER)
    priya.first_name, priya.last_name = "Priya", "Shah"
    priya.save()
    marcus = make_user("marcus", Role.TEAM_MANAGER)
    marcus.first_name, marcus.last_name = "Marcus", "Bell"
    marcus.save()
    team.members.add(priya, marcus)
    case.allocated_worker = priya
    case.save(update_fields=["allocated_worker"])

    casework = active_policy().casework
    education = next(o for o in casework.headline_outcomes if "education" in o.name.lower())
    needs_met = next(r for r in casework.closure_reasons if r.name.lower() == "needs met")
    today = date.today()

    def days_ago(n: int) -> date:
        return max(case.started, today - timedelta(days=n))

    # Her home page lists the case; she opens it.
    sign_in_through_the_browser(page, priya, STRONG_PASSWORD)
    expect(page.get_by_text("Your open cases (1)")).to_be_visible(timeout=SLOW)
    assert_accessible(page)
    page.get_by_role("table").get_by_role("link", name="Leila Haddad, Yusuf Haddad").click()
    expect(page.get_by_role("heading", name="Case opened 1 September 2026")).to_be_visible()
    assert_accessible(page)

    # An Early Help assessment: views, who took part, a need by headline outcome, agreement.
    page.get_by_role("link", name="Start an assessment").click()
    expect(page.get_by_role("heading", name="Start an assessment")).to_be_visible()
    assert_accessible(page)
    fill_date(page.get_by_role("group", name="Date the assessment started"), days_ago(21))
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.get_by_role("heading", name="Record the assessment")).to_be_visible(timeout=SLOW)
    expect(page.get_by_text("Assessment started", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Who took part").fill("Amira Haddad (mother), Yusuf, Ms Okafor (teacher)")
    page.get_by_label("The family's views").fill("Amira wants Yusuf back in school every day.")
    page.get_by_label("The child's views, wishes and feelings").fill(
        "Yusuf says he is tired in the mornings and misses his friends."
    )
    page.get_by_label("Strengths").fill("A close family; Leila's nursery place is settled.")
    need_1 = page.get_by_role("group", name="Need 1", exact=True)
    need_1.get_by_label("Headline outcome").select_option(label=education.name)
    need_1.get_by_label("The need").fill("Yusuf's school attendance is 78% this term")
    page.get_by_label("Summary").fill("Attendance is the first need; housing is being checked.")
    page.get_by_label("Yes, they agree to work together with us").check()
    expect(page.get_by_label("Yes, they agree to work together with us")).to_be_checked()
    fill_date(page.get_by_role("group", name="Date they said so (if asked)"), days_ago(21))
    assert_accessible(page)
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.get_by_text("Assessment saved", exact=True)).to_be_visible(timeout=SLOW)
    expect(page.get_by_role("heading", name=education.name)).to_be_visible()
    expect(page.get_by_text("Yusuf's school attendance is 78% this term")).to_be_visible()
    expect(page.get_by_text("misses his friends")).to_be_visible()
    expect(
        page.get_by_text("The family agreed to work together with the service on")
    ).to_be_visible()
    assert_accessible(page)

    # Completing it with a date that does not exist is refused, the error naming the field.
    page.get_by_role("link", name="Complete the assessment").click()
    expect(page.get_by_role("heading", name="Complete the assessment")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Complete the assessment").click()
    error = "The date the assessment was completed must be a real date"
    expect(page.get_by_role("alert")).to_contain_text(error, timeout=SLOW)
    expect(page.locator(".govuk-error-message")).to_contain_text(error)
    assert_accessible(page)
    fill_date(page, days_ago(14))
    page.get_by_role("button", name="Complete the assessment").click()
    expect(page.get_by_text("Assessment completed", exact=True)).to_be_visible(timeout=SLOW)
    expect(page.get_by_text(f"Completed {days_ago(14):%-d %B %Y}")).to_be_visible()
    assert_accessible(page)

    # A plan with a goal on that need, and an action: who does what, by when.
    page.get_by_role("link", name="Back to the case").click()
    page.get_by_role("link", name="Agree a plan").click()
    expect(page.get_by_role("heading", name="Agree a plan")).to_be_visible()
    assert_accessible(page)
    fill_date(page.get_by_role("group", name="Date the plan was agreed"), days_ago(14))
    page.get_by_label("Goal", exact=True).fill("Yusuf goes to school every day, on time")
    need_option = f"Yusuf's school attendance is 78% this term ({education.name})"
    page.get_by_text(need_option, exact=True).click()  # the label, as a person clicks it
    expect(page.get_by_label(need_option)).to_be_checked()
    page.get_by_label("Action 1: what is to be done").fill("Set up a morning routine chart")
    page.get_by_label("Action 1: who does it").fill("Amira, with Priya")
    fill_date(page.get_by_role("group", name="Action 1: by when"), today + timedelta(days=14))
    assert_accessible(page)
    page.get_by_role("button", name="Save plan").click()
    expect(page.get_by_text("Plan agreed. Add any other goals below.")).to_be_visible(timeout=SLOW)
    actions = page.get_by_role("table", name="Actions for goal 1")
    expect(actions).to_contain_text("Set up a morning routine chart")
    expect(actions).to_contain_text("Amira, with Priya")
    expect(page.get_by_text(f"Outcome: {education.name}")).to_be_visible()
    assert_accessible(page)

    # Its review: progress on the goal, and the next review.
    page.get_by_role("link", name="Review the plan").click()
    expect(page.get_by_role("heading", name="Review the plan")).to_be_visible()
    assert_accessible(page)
    fill_date(page.get_by_role("group", name="Date of the review"), today)
    page.get_by_role("group", name="Progress on goal 1").get_by_label("In progress").check()
    page.get_by_label("Comment on goal 1 (optional)").fill("Late twice this week, not five times")
    page.get_by_label("Summary").fill("Mornings are calmer; the chart is on the fridge.")
    next_review = today + timedelta(weeks=6)
    fill_date(page.get_by_role("group", name="Date of the next review (optional)"), next_review)
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_text(f"Review recorded. Next review {next_review:%-d %B %Y}")).to_be_visible(
        timeout=SLOW
    )
    review = page.locator(".govuk-summary-card", has_text="Review on")
    expect(review.locator(".govuk-summary-list__row", has_text="Goal 1")).to_contain_text(
        "In progress"
    )
    expect(review).to_contain_text("Late twice this week, not five times")
    assert_accessible(page)

    # A stay-and-play session today: Yusuf is expected, and attends.
    page.goto("/")
    page.get_by_role("link", name="Create a session").click()
    expect(page.get_by_role("heading", name="Create a session")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Service", exact=True).select_option(label=service_name(case.service))
    page.get_by_label("Stay and play").check()
    page.get_by_label("Title").fill("Malden Road stay and play")
    page.get_by_label("Venue").fill("Malden Road Children's Centre")
    fill_date(page.get_by_role("group", name="Date of the session"), today)
    expect(page.get_by_label("Priya Shah")).to_be_checked()
    page.get_by_role("button", name="Create session").click()
    expect(page.get_by_text("Session created. Now choose who is expected.")).to_be_visible(
        timeout=SLOW
    )
    assert_accessible(page)
    page.get_by_role("link", name="Choose who is expected").click()
    expect(page.get_by_role("heading", name="Who is expected")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="People expected").get_by_label("Yusuf Haddad").check()
    page.get_by_role("button", name="Save who is expected").click()
    expect(page.get_by_text("Who is expected saved", exact=True)).to_be_visible(timeout=SLOW)
    yusuf_row = page.get_by_role("row", name="Yusuf Haddad")
    expect(yusuf_row).to_contain_text("Not recorded yet")
    assert_accessible(page)
    page.get_by_role("link", name="Take the register").click()
    expect(page.get_by_role("heading", name="Take the register")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Yusuf Haddad").get_by_label("Attended").check()
    page.get_by_role("button", name="Save the register").click()
    expect(page.get_by_text("Register saved", exact=True)).to_be_visible(timeout=SLOW)
    expect(yusuf_row).to_contain_text("Attended")
    assert_accessible(page)

    # The attendance is in his chronology.
    yusuf_row.get_by_role("link", name="Yusuf Haddad").click()
    expect(page.get_by_role("heading", name="Yusuf Haddad", level=1)).to_be_visible(timeout=SLOW)
    assert_accessible(page)
    page.get_by_role("link", name="Chronology for Yusuf").click()
    events = page.locator(".earlyhelp-chronology")
    expect(events).to_contain_text("Yusuf attended Malden Road stay and play", timeout=SLOW)
    assert_accessible(page)

    # She asks to close the case: needs met, and the need's outcome achieved and sustained.
    page.goto("/")
    page.get_by_role("table").get_by_role("link", name="Leila Haddad, Yusuf Haddad").click()
    page.get_by_role("link", name="Request closure").click()
    expect(page.get_by_role("heading", name="Request closure")).to_be_visible()
    assert_accessible(page)
    page.get_by_text(needs_met.name, exact=True).click()  # the label, as a person clicks it
    expect(page.get_by_label(needs_met.name, exact=True)).to_be_checked()
    fill_date(page.get_by_role("group", name="Closing date"), today)
    page.get_by_label("Summary").fill("Attendance is 96% for six weeks; the family are confident.")
    page.get_by_role("group", name="Was the outcome of need 1 achieved?").get_by_label(
        "Yes", exact=True
    ).check()
    page.get_by_role("group", name="Has the outcome of need 1 been sustained?").get_by_label(
        "Yes", exact=True
    ).check()
    page.get_by_label("Evidence for need 1").fill("School register: 96% since the plan")
    assert_accessible(page)
    page.get_by_role("button", name="Request closure").click()
    expect(
        page.get_by_text("Closure requested. A manager of the team signs it off.")
    ).to_be_visible(timeout=SLOW)
    outcome = page.locator(".govuk-summary-card", has_text="Need 1")
    expect(outcome).to_contain_text("School register: 96% since the plan")
    for question in ("Achieved", "Sustained"):
        row = outcome.locator(".govuk-summary-list__row", has_text=question)
        expect(row.get_by_role("definition")).to_have_text("Yes")
    assert_accessible(page)

    # The team manager finds it on his home page and signs it off.
    page.context.clear_cookies()
    sign_in_through_the_browser(page, marcus, STRONG_PASSWORD)
    awaiting = page.get_by_role("link", name="Closures awaiting your sign-off")
    expect(awaiting).to_be_visible(timeout=SLOW)
    expect(page.get_by_role("listitem").filter(has=awaiting)).to_contain_text(": 1")
    assert_accessible(page)
    awaiting.click()
    expect(
        page.get_by_role("heading", name="Closures awaiting your sign-off", level=1)
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("table").get_by_role("link", name="Leila Haddad, Yusuf Haddad").click()
    expect(page.get_by_role("heading", name="Case opened 1 September 2026")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Closure awaiting sign-off").click()
    expect(page.get_by_role("heading", name="Closure request")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Sign off or return").click()
    expect(page.get_by_role("heading", name="Sign off or return the closure")).to_be_visible()
    expect(page.get_by_text("Requested by")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Yes, sign it off: the case closes").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Closure signed off: the case is closed")).to_be_visible(timeout=SLOW)
    assert_accessible(page)

    # The case shows as closed, with the reason in the policy's words.
    page.get_by_role("link", name="Back to the case").click()
    status = page.get_by_role("definition").filter(has_text="Closed")
    expect(status).to_contain_text(f"Closed {today:%-d %B %Y}", timeout=SLOW)
    expect(status).to_contain_text(needs_met.name)
    assert_accessible(page)
