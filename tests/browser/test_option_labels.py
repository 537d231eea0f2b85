"""Clicking an option's words selects that option, on every form; every error-summary link
takes the person to its field.

The issue: every option of a choice field with the default widget had id="None", so a
click on its words selected another option. On "add health condition", "Mental health"
then "GP" saved "The family"; on "add telephone or email", "Email" kept "telephone"; on
"add a contact", "Phone call" kept "home visit" and nobody was marked present. The error
summary linked to ids no element had (#id_source_0, #id_occurred_on_day).
"""

from datetime import date

import pytest
from playwright.sync_api import expect

from earlyhelp.access.models import GrantRequest
from earlyhelp.access.roles import Role
from earlyhelp.audit.log import record
from earlyhelp.cases.models import Contact
from earlyhelp.people.facts import FACT_MODELS
from earlyhelp.people.merge import merge_people
from earlyhelp.people.models import ContactMethod, Person
from tests.browser.conftest import sign_in_through_the_browser
from tests.conftest import STRONG_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OPTION_LABELS = "main label.govuk-radios__label, main label.govuk-checkboxes__label"
BOXES = "input:not([type=hidden], [type=radio], [type=checkbox], [type=file]), textarea"


def click_every_option_label(page, where: str) -> int:
    """Click each option's words; the option they name, and only it, must be the one chosen."""
    labels = page.locator(OPTION_LABELS)
    count = labels.count()
    for n in range(count):
        label = labels.nth(n)
        words = label.inner_text().strip()
        target = page.locator(f"[id='{label.get_attribute('for')}']")
        was_ticked = target.is_checked()
        label.click()
        group = label.locator("xpath=ancestor::div[contains(@class, 'govuk-form-group')][1]")
        named = group.get_by_label(words, exact=True)
        if target.get_attribute("type") == "radio":
            expect(named, f"{where}: {words}").to_be_checked()
            chosen = page.locator(f"input[name='{target.get_attribute('name')}']:checked")
            expect(chosen, f"{where}: {words}").to_have_count(1)
            assert chosen.get_attribute("id") == label.get_attribute("for"), (where, words)
        else:
            assert named.is_checked() is not was_ticked, (where, words)
    return count


def follow_every_error_link(page, url: str, where: str) -> int:
    """Empty every box and submit; each error-summary link must put focus on its field."""
    page.goto(url)
    form = page.locator("main form[method=post]").first
    for box in form.locator(BOXES).all():
        box.fill("")
    form.locator("button[type=submit]").first.click()
    links = page.locator(".govuk-error-summary__list a")
    expect(links.first, f"{where}: no error summary").to_be_visible()
    count = links.count()
    for n in range(count):
        link = links.nth(n)
        target = link.get_attribute("href").removeprefix("#")
        link.click()
        focused = page.evaluate("document.activeElement && document.activeElement.id")
        assert focused == target, f"{where}: link to #{target} focused #{focused}"
        assert page.locator(f"[id='{target}']").evaluate(
            "e => e.matches('input, select, textarea')"
        )
    return count


def check_form_pages(page, pages: dict[str, str], assert_accessible, *, errors=True) -> None:
    for where, url in pages.items():
        page.goto(url)
        assert_accessible(page)
        click_every_option_label(page, where)
        if errors:
            assert follow_every_error_link(page, url, where), where
            assert_accessible(page)


@pytest.fixture
def practitioner(make_user, team):
    user = make_user("priya", Role.PRACTITIONER)
    team.members.add(user)
    return user


def test_practitioner_forms_choose_what_is_clicked_and_link_errors_to_their_fields(
    page, practitioner, family, case, assert_accessible
):
    sign_in_through_the_browser(page, practitioner, STRONG_PASSWORD)
    person = family["yusuf"].public_id
    pages = {
        "add a person": "/people/new",
        "change details": f"/people/{person}/edit",
        "add address": f"/people/{person}/addresses/new",
        "add telephone or email": f"/people/{person}/contact/new",
        "open a case": f"/people/{person}/cases/new",
        "add a contact": f"/cases/{case.public_id}/contacts/new",
        "add a document": f"/cases/{case.public_id}/documents/new",
    }
    pages |= {f"record {kind}": f"/people/{person}/record/{kind}" for kind in FACT_MODELS}
    check_form_pages(page, pages, assert_accessible)

    # A date that is not one: its link goes to the day box.
    page.goto("/people/")
    page.get_by_label("Day").fill("31")
    page.get_by_role("button", name="Search").click()
    page.locator(".govuk-error-summary__list a").first.click()
    assert page.evaluate("document.activeElement.id") == "id_date_of_birth_0"


def test_manager_forms_choose_what_is_clicked_and_link_errors_to_their_fields(
    page, make_user, team, family, case, assert_accessible
):
    manager = make_user("marcus", Role.TEAM_MANAGER)
    team.members.add(manager)
    yusuf = family["yusuf"]
    same = {"family_name": "Haddad", "date_of_birth": yusuf.date_of_birth}
    duplicate = Person.objects.create(given_name="Yusef", **same)
    merge = merge_people(yusuf, Person.objects.create(given_name="Yousef", **same), manager, "Same")
    sign_in_through_the_browser(page, manager, STRONG_PASSWORD)
    pages = {
        "merge": f"/people/{yusuf.public_id}/merge/{duplicate.public_id}",
        "restrict": f"/people/{yusuf.public_id}/restrict",
        "undo merge": f"/merges/{merge.public_id}/undo",
    }
    check_form_pages(page, pages, assert_accessible)
    # Choosing the record to merge: a search, whose empty sending asks for a name or a date
    # of birth in the summary (no one box is wrong), as the search page does.
    choose = {"choose a record to merge": f"/people/{yusuf.public_id}/merge"}
    check_form_pages(page, choose, assert_accessible, errors=False)


def test_governance_and_staff_forms_choose_what_is_clicked(
    page, make_user, team, family, assert_accessible
):
    grace = make_user("grace", Role.INFORMATION_GOVERNANCE)
    flagged = record(
        None,
        action="break_glass",
        record_type="person",
        record_id=family["yusuf"].public_id,
        reason="Police called out of hours",
        flagged=True,
    )
    sign_in_through_the_browser(page, grace, STRONG_PASSWORD)
    check_form_pages(
        page,
        {
            "review emergency access": f"/governance/emergency-access/{flagged.pk}",
        },
        assert_accessible,
    )

    page.context.clear_cookies()
    alex, blake = make_user("alex", Role.SYSTEM_ADMINISTRATOR), make_user("blake")
    blake.groups.set(alex.groups.all())
    newcomer = make_user("newcomer")
    newcomer.sign_in_unconfirmed = True  # the approver is asked to tick that they checked
    newcomer.save()
    grant = GrantRequest.objects.create(
        account=newcomer, roles=[Role.PRACTITIONER.value], requested_by=blake
    )
    sign_in_through_the_browser(page, alex, STRONG_PASSWORD)
    check_form_pages(
        page,
        {
            "new staff account": "/staff/new/",
            "change staff account": f"/staff/{newcomer.pk}/change/",
            "decide a request": f"/staff/requests/{grant.public_id}/",
        },
        assert_accessible,
    )


def test_clicking_mental_health_then_gp_saves_source_gp(page, practitioner, family, case):
    yusuf = family["yusuf"]
    sign_in_through_the_browser(page, practitioner, STRONG_PASSWORD)
    page.goto(f"/people/{yusuf.public_id}/record/health")
    page.locator("label", has_text="Mental health").click()
    page.locator("label").get_by_text("GP", exact=True).click()
    page.get_by_label("Description").fill("Anxiety, seeing CAMHS")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Health condition recorded")).to_be_visible()
    saved = yusuf.health.get()
    assert (saved.kind, saved.source) == ("mental", "gp")


def test_clicking_email_chooses_email(page, practitioner, family, case):
    mum = family["mum"]
    sign_in_through_the_browser(page, practitioner, STRONG_PASSWORD)
    page.goto(f"/people/{mum.public_id}/contact/new")
    page.locator("label", has_text="Email").click()
    expect(page.get_by_label("Email", exact=True)).to_be_checked()
    page.get_by_label("Number or address").fill("amira@example.org")
    page.locator("label").get_by_text("The family", exact=True).click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Contact details added")).to_be_visible()
    saved = ContactMethod.objects.get(person=mum)
    assert (saved.kind, saved.value) == ("email", "amira@example.org")


def test_clicking_phone_call_selects_phone_call_and_ticks_who_was_there(
    page, practitioner, family, case
):
    sign_in_through_the_browser(page, practitioner, STRONG_PASSWORD)
    page.goto(f"/cases/{case.public_id}/contacts/new")
    page.locator("label", has_text="Phone call").click()
    expect(page.get_by_label("Phone call", exact=True)).to_be_checked()
    expect(page.get_by_label("Home visit", exact=True)).not_to_be_checked()
    today = date.today()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Note", exact=True).fill("Rang Amira about the school meeting.")
    page.locator("label", has_text="Amira Haddad").click()
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_text("Contact recorded")).to_be_visible()
    contact = Contact.objects.get()
    assert contact.kind == "phone_call"
    assert list(contact.people_present.all()) == [family["mum"]]
