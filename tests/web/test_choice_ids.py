"""Every radio, checkbox and date box on every form has its own id, which its label and the
error summary's link name.

The issue: options of a choice field with the default widget were all rendered with
id="None" and for="None", so clicking an option's words selected another option (on "add
health condition", "Mental health" then "GP" saved "The family"), and the error summary
linked to ids no element had (#id_source_0, #id_occurred_on_day).

Each form is checked through its page, as people see it: empty (GET) and submitted empty.
"""

import importlib
import pkgutil
import re
from collections import Counter
from datetime import date
from html.parser import HTMLParser

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

import earlyhelp
from earlyhelp.access import forms as access_forms
from earlyhelp.access import governance_views, staff_forms
from earlyhelp.access.models import User
from earlyhelp.access.roles import Role
from earlyhelp.audit.log import record
from earlyhelp.cases import forms as case_forms
from earlyhelp.cases.assessment_forms import NeedForm
from earlyhelp.cases.assessments import headline_outcome_choices
from earlyhelp.cases.choices import AttendanceStatus
from earlyhelp.people import forms as people_forms
from earlyhelp.people.facts import FACT_MODELS, FactForm
from earlyhelp.people.merge import merge_people
from earlyhelp.rights.scope_forms import ChildAccessForm
from earlyhelp.sharing.partner_forms import RelocationForm
from earlyhelp.web.templatetags.govuk import first_input_id, options
from tests.access.closure_records import another_case, closure_awaiting
from tests.access.plan_records import plan_on
from tests.conftest import STRONG_PASSWORD
from tests.factories import (
    AssessmentFactory,
    AttendanceFactory,
    GrantRequestFactory,
    GroupSessionFactory,
    PersonAddressFactory,
    PersonFactory,
    RiskFactory,
)

pytestmark = pytest.mark.django_db

FIELD_TAGS = {"input", "select", "textarea"}
# Not shown on any page by itself: the identifier fields of the search and person forms.
BASES = {people_forms.IdentifierFields}
# Filters of a GET page (nothing is posted), each checked the same way by its own test.
GET_FILTERS = {
    # tests/cases/test_chronology_filters_and_print.py
    "earlyhelp.cases.chronology_views.ChronologyFilter",
    # tests/access/test_who_has_seen_filters.py
    "earlyhelp.access.forms.WhoHasSeenFilters",
}


class Elements(HTMLParser):
    """The ids, labels and error-summary links of a page, and what its form would send."""

    def __init__(self, html: str):
        super().__init__()
        self.ids: list[str] = []
        self.tag_of: dict[str, str] = {}
        self.inputs: list[dict] = []
        self.labels: list[str | None] = []
        self.sent: list[tuple[str, str]] = []  # as a browser submits it, boxes emptied
        self._select: dict | None = None
        self._textarea: str | None = None
        self.feed(html)
        # Every summary's: a page with two forms (a search beside it) may have two.
        summaries = re.findall(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
        self.summary_links = [i for s in summaries for i in re.findall(r'href="#([^"]*)"', s)]

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if "id" in attrs:
            self.ids.append(attrs["id"])
            self.tag_of[attrs["id"]] = tag
        if tag == "label":
            self.labels.append(attrs.get("for"))
        if tag in FIELD_TAGS and attrs.get("type") != "hidden":
            self.inputs.append({"tag": tag, **attrs})
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") != "file":
            if attrs.get("type") in ("radio", "checkbox"):
                if "checked" in attrs:
                    self.sent.append((name, attrs.get("value") or "on"))
            else:  # a box the person has emptied; hidden inputs (the form's token) as they are
                self.sent.append(
                    (name, attrs.get("value", "") if attrs.get("type") == "hidden" else "")
                )
        elif tag == "textarea" and name:
            self._textarea = name
            self.sent.append((name, ""))
        elif tag == "select" and name:
            self._select = {"name": name, "first": None, "chosen": None}
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            self._select["first"] = self._select["first"] or value
            if "selected" in attrs:
                self._select["chosen"] = value

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = self._select["chosen"] or self._select["first"] or ""
            self.sent.append((self._select["name"], chosen))
            self._select = None

    def as_sent(self) -> dict[str, list[str]]:
        data: dict[str, list[str]] = {}
        for name, value in self.sent:
            data.setdefault(name, []).append(value)
        return data


def check_page(html: str, where: str) -> Elements:
    page = Elements(html)
    repeated = [i for i, n in Counter(page.ids).items() if n > 1]
    assert not repeated, f"{where}: ids used more than once: {repeated}"
    assert not [i for i in page.ids if i in ("", "None")], f"{where}: an id of None or nothing"
    for target in page.labels:
        assert target not in (None, "", "None"), f"{where}: a label names no input ({target!r})"
        assert page.tag_of.get(target) in FIELD_TAGS, f"{where}: label for #{target}: no input"
    labelled = set(page.labels)
    for field in page.inputs:
        if field.get("type") in ("radio", "checkbox"):
            assert field.get("id") in labelled, f"{where}: option {field} has no label of its own"
    for target in page.summary_links:
        assert page.tag_of.get(target) in FIELD_TAGS, f"{where}: error link #{target}: no input"
    return page


def as_user(user: User) -> Client:
    browser = Client()
    browser.force_login(user)
    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
    session.save()
    return browser


@pytest.fixture
def form_pages(family, case, team, make_user):
    """(name, client, url) for every page with a form a person fills in, as its role sees it."""
    yusuf = family["yusuf"]
    practitioner = make_user("priya", Role.PRACTITIONER)
    manager = make_user("marcus", Role.TEAM_MANAGER)
    team.members.add(practitioner, manager)
    governance = make_user("grace", Role.INFORMATION_GOVERNANCE)
    admin, approver = (make_user(n, Role.SYSTEM_ADMINISTRATOR) for n in ("alex", "blake"))
    worker, someone = make_user("sam"), make_user("newcomer")
    someone.sign_in_unconfirmed = True  # so the approver is asked to tick that they checked
    someone.save()
    grant = GrantRequestFactory(
        account=someone, roles=[Role.PRACTITIONER.value], requested_by=admin
    )
    same_dob = {"family_name": "Haddad", "date_of_birth": yusuf.date_of_birth}
    PersonFactory(given_name="Yusef", unidentified=True, **same_dob)  # a duplicate to merge
    merged = merge_people(
        yusuf,
        PersonFactory(given_name="Yousef", unidentified=True, **same_dob),
        manager,
        "Same child",
    )
    flagged = record(
        None,
        action="break_glass",
        record_type="person",
        record_id=yusuf.public_id,
        reason="Police called out of hours",
        flagged=True,
    )

    signing_in = Client()
    make_user("coder", Role.PRACTITIONER)
    signing_in.post(reverse("access:login"), {"username": "coder", "password": STRONG_PASSWORD})
    enrolling = Client()
    make_user("fresh", Role.PRACTITIONER).totpdevice_set.all().delete()
    enrolling.post(reverse("access:login"), {"username": "fresh", "password": STRONG_PASSWORD})

    by_practitioner, by_manager = as_user(practitioner), as_user(manager)
    person = yusuf.public_id
    pages = [
        ("sign in", Client(), reverse("access:login")),
        ("security code", signing_in, reverse("access:sign_in_code")),
        ("set up authenticator", enrolling, reverse("access:enrol")),
        ("change password", as_user(worker), reverse("access:change_password")),
        ("search", by_practitioner, reverse("people:search")),
        ("add a person", by_practitioner, reverse("people:create")),
        ("change details", by_practitioner, reverse("people:edit", args=[person])),
        ("add address", by_practitioner, reverse("people:add_address", args=[person])),
        (
            "add telephone or email",
            by_practitioner,
            reverse("people:add_contact_method", args=[person]),
        ),
        ("open a case", by_practitioner, reverse("cases:open_case", args=[person])),
        ("add a contact", by_practitioner, reverse("cases:add_contact", args=[case.public_id])),
        ("add a document", by_practitioner, reverse("cases:add_document", args=[case.public_id])),
        ("merge", by_manager, reverse("people:merge", args=[person])),
        (
            "compare for merge",
            by_manager,
            reverse("people:compare_for_merge", args=[person, family["leila"].public_id]),
        ),
        ("undo merge", by_manager, reverse("people:undo_merge", args=[merged.public_id])),
        ("restrict", by_manager, reverse("people:restrict", args=[person])),
        (
            "lift a restriction",
            as_user(governance),
            reverse("people:lift_restriction", args=[restricted_record(manager)]),
        ),
        ("emergency access", by_practitioner, reverse("people:break_glass", args=[person])),
        (
            "review emergency access",
            as_user(governance),
            reverse("governance:review", args=[flagged.pk]),
        ),
        ("new staff account", as_user(admin), reverse("staff:create")),
        ("new team", as_user(admin), reverse("staff:new_team")),
        ("rename a team", as_user(admin), reverse("staff:rename_team", args=[team.pk])),
        ("change staff account", as_user(admin), reverse("staff:edit", args=[worker.pk])),
        ("decide a request", as_user(approver), reverse("staff:request", args=[grant.public_id])),
        (
            "run an extract",
            as_user(make_user("anwen", Role.ANALYST)),
            reverse("extracts:run", args=["liia"]),
        ),
    ]
    for kind in FACT_MODELS:
        url = reverse("people:record_fact", args=[person, kind])
        pages.append((f"record {kind}", by_practitioner, url))
    from tests.rights.staff_records import staff_form_pages

    pages += staff_form_pages(as_user(governance), governance)
    from tests.rights.form_pages import officer_form_pages, public_form_pages

    pages += public_form_pages() + officer_form_pages(as_user(governance), governance)
    from tests.bundles.bundle_records import bundle_form_pages

    pages += bundle_form_pages(as_user(governance), governance)
    from tests.sharing.sharing_records import sharing_form_pages

    pages += sharing_form_pages(by_practitioner, by_manager, yusuf)
    from tests.sharing.partner_records import partner_form_pages

    pages += partner_form_pages(by_practitioner, by_manager, yusuf)
    from tests.retention.retention_records import retention_form_pages

    pages += retention_form_pages(by_manager, as_user(governance), yusuf)
    from tests.consent.consent_records import consent_form_pages, media_form_pages

    pages += consent_form_pages(by_practitioner, family, team, practitioner)
    pages += media_form_pages(by_practitioner, family, team, practitioner)
    return pages + casework_pages(family, case, team, practitioner, manager)


def restricted_record(maker) -> str:
    """A record (not the family's: their pages are checked open) restricted by `maker`."""
    from tests.factories import PersonFactory, RestrictionFactory

    person = PersonFactory()
    RestrictionFactory(person=person, created_by=maker, named_users=[maker])
    return person.public_id


def casework_pages(family, case, team, practitioner, manager) -> list[tuple]:
    """The casework pages: each with the records it needs, in the state that shows its form,
    as the role that fills it in sees it."""
    by_practitioner, by_manager = as_user(practitioner), as_user(manager)
    yusuf, household = family["yusuf"], family["household"]
    on_case = case.public_id
    # One completed, so a new one may review it (the question is asked only then), and one
    # not completed, to record and complete.
    AssessmentFactory(case=case, started=case.started, completed=case.started)
    # It found a need: goals are linked to needs, and a closure gives each need's outcome.
    recording = AssessmentFactory(case=case, started=case.started)
    recording.found_needs.create(
        outcome=headline_outcome_choices()[0][0], description="Yusuf misses school"
    )
    assessment = recording.public_id
    plan = plan_on(case).public_id  # not yet reviewed
    # A session of the team's service held last week, Yusuf expected: its register is open.
    session = GroupSessionFactory(service=team.service)
    AttendanceFactory(session=session, person=yusuf, status=AttendanceStatus.EXPECTED)
    # A closure asked for by the practitioner, for their manager to sign off.
    closing = another_case(case)
    closure = closure_awaiting(closing, practitioner).public_id
    closed = another_case(case, closed_on=date(2026, 11, 1)).public_id
    contact = case.contacts.create(kind="home_visit", occurred_at=case.created_at, note="Visited")
    PersonAddressFactory(person=yusuf, address=household.address)  # his first address
    RiskFactory(person=yusuf)  # his first risk, a fact's answers on the correction page
    return [
        ("allocate", by_manager, reverse("cases:allocate", args=[on_case])),
        ("add a case note", by_practitioner, reverse("cases:add_case_note", args=[on_case])),
        ("add a manager's note", by_manager, reverse("cases:add_case_note", args=[on_case])),
        ("start an assessment", by_practitioner, reverse("cases:start_assessment", args=[on_case])),
        (
            "fill in the assessment",
            by_practitioner,
            reverse("cases:edit_assessment", args=[assessment]),
        ),
        (
            "complete the assessment",
            by_practitioner,
            reverse("cases:complete_assessment", args=[assessment]),
        ),
        ("agree a plan", by_practitioner, reverse("cases:agree_plan", args=[on_case])),
        ("add a goal", by_practitioner, reverse("cases:add_plan_goal", args=[on_case, plan])),
        (
            "change a goal",
            by_practitioner,
            reverse("cases:edit_plan_goal", args=[on_case, plan, 1]),
        ),
        ("review the plan", by_practitioner, reverse("cases:review_plan", args=[on_case, plan])),
        ("request closure", by_practitioner, reverse("cases:request_closure", args=[on_case])),
        (
            "sign off a closure",
            by_manager,
            reverse("cases:decide_closure", args=[closing.public_id, closure]),
        ),
        ("reopen a case", by_practitioner, reverse("cases:reopen_case", args=[closed])),
        (
            "correct a contact",
            by_manager,
            reverse("cases:correct_contact", args=[on_case, contact.public_id]),
        ),
        (
            "correct a relationship",
            by_manager,
            reverse("cases:correct_person_record", args=[yusuf.public_id, "relationship", 1]),
        ),
        (
            "correct an address",
            by_manager,
            reverse("cases:correct_person_record", args=[yusuf.public_id, "address", 1]),
        ),
        (
            "correct a risk",
            by_manager,
            reverse("cases:correct_person_record", args=[yusuf.public_id, "risk", 1]),
        ),
        ("new session", by_practitioner, reverse("cases:new_session")),
        (
            "who is expected",
            by_practitioner,
            reverse("cases:session_expected", args=[session.public_id]),
        ),
        (
            "take the register",
            by_practitioner,
            reverse("cases:session_register", args=[session.public_id]),
        ),
        (
            "add a walk-in",
            by_practitioner,
            reverse("cases:session_walk_in", args=[session.public_id]),
        ),
        (
            "add to a household",
            by_practitioner,
            reverse("people:add_household_member", args=[household.public_id]),
        ),
        (
            "left the household",
            by_practitioner,
            reverse("people:leave_household", args=[household.public_id, yusuf.public_id]),
        ),
        (
            "add a relationship",
            by_practitioner,
            reverse("people:add_relationship", args=[yusuf.public_id]),
        ),
        (
            "add to a household, someone found",
            by_practitioner,
            reverse("people:add_household_member", args=[household.public_id]),
        ),
        (
            "add a relationship, someone found",
            by_practitioner,
            reverse("people:add_relationship", args=[yusuf.public_id]),
        ),
        (
            "add a relationship, no one at home",  # Tomasz lives in no household recorded
            by_practitioner,
            reverse("people:add_relationship", args=[family["dad"].public_id]),
        ),
    ]


# Fields a page leaves out on purpose, and when.
LEFT_OUT = {
    "not_a_duplicate",  # hidden until the likely matches have been shown
    "people_present",  # "who was there" only when the case has people
}
# Fields a page leaves out on purpose (by their names on it), and why.
SEARCH_BY_NUMBER = {"nhs_number", "upn"}
LEFT_OUT_ON = {
    # A search for someone to add is by name, date of birth and postcode; the numbers are
    # the search page's.
    "who is expected": SEARCH_BY_NUMBER,
    "add a walk-in": SEARCH_BY_NUMBER,
    # By name and date of birth; the person to add and the day they joined only once it has
    # found someone.
    "add to a household": {"find-postcode", "find-nhs_number", "find-upn", "person", "joined_on"},
    "add to a household, someone found": {"find-postcode", "find-nhs_number", "find-upn"},
    "add a relationship": {"find-postcode", "find-nhs_number", "find-upn"},
    "add a relationship, someone found": {"find-postcode", "find-nhs_number", "find-upn"},
    # The relationship's questions once there is someone to choose: no one lives with him.
    "add a relationship, no one at home": {
        "find-postcode",
        "find-nhs_number",
        "find-upn",
        "relative",
        "kind",
        "parental_responsibility",
        "source",
    },
    # "Remove this need" only on a need already recorded (the first row), not a blank one.
    "fill in the assessment": {"needs-1-remove", "needs-2-remove", "needs-3-remove"},
}
# Choices shown as a list to pick from (a select, whose options have no ids of their own):
# the service, and the headline outcome a need is classed against.
SELECTS = {
    (None, "service"),
    (NeedForm, "outcome"),
    # A member of staff: too many for radios.
    (ChildAccessForm, "competence_by"),
    (ChildAccessForm, "consent_taken_by"),
    # A country abroad, by name: too many for radios.
    (RelocationForm, "country"),
}
# The button a page's form is sent with, where the page has more than one.
PRESSED = {
    "add to a household": {"action": "find"},
    "add to a household, someone found": {"action": "save"},
    "add a relationship": {"action": "save"},
    "add a relationship, someone found": {"action": "save"},
    "add a relationship, no one at home": {"action": "save"},
    # Drawn with what the request asks for now: the choices taken away.
    "rights request: asked": {"rights_asked": []},
    # Drawn with the child tagged already: the tags taken away.
    "media: children in it": {"focus": []},
}
# What is sent to bring a page to the state it is checked in, where a GET does not.
STATE = {
    "add to a household, someone found": {"action": "find", "find-name": "Haddad"},
    "add a relationship, someone found": {"action": "find", "find-name": "Nowak"},
}


def open_page(name: str, browser: Client, url: str):
    return browser.post(url, STATE[name]) if name in STATE else browser.get(url)


def page_forms(response) -> list[forms.BaseForm]:
    """The forms a page was drawn with: its form, and any other (a search beside it, the
    answers of a record being corrected, each row of a formset)."""
    found: list[forms.BaseForm] = []
    names = sorted(response.context.keys())
    for key in names:
        value = response.context[key]
        each = value.forms if isinstance(value, forms.BaseFormSet) else [value]
        found += [f for f in each if isinstance(f, forms.BaseForm) and f not in found]
    assert found, "a page with no form"
    return found


def shown_fields(form: forms.BaseForm, page: str = "") -> list[forms.BoundField]:
    left_out = LEFT_OUT_ON.get(page, set())
    return [
        f for f in form.visible_fields() if f.name not in LEFT_OUT and f.html_name not in left_out
    ]


def test_every_option_and_date_box_has_its_own_id_that_its_label_names(form_pages):
    for name, browser, url in form_pages:
        response = open_page(name, browser, url)
        assert response.status_code == 200, name
        html = response.content.decode()
        page = check_page(html, name)
        for form in page_forms(response):
            for field in shown_fields(form, name):
                where = f"{name}: {field.html_name}"
                assert f'name="{field.html_name}' in html, f"{where} not on the page"
                assert first_input_id(field) in page.ids, f"{where} has no first input"
                if {(None, field.name), (type(form), field.name)} & SELECTS:
                    assert page.tag_of[first_input_id(field)] == "select", f"{where}: a select"
                elif isinstance(field.field, forms.ChoiceField):
                    ids = [option["id"] for option in options(field)]
                    assert ids and set(ids) <= set(page.ids), f"{where} options"


# Pages with nothing to leave empty: every question optional (sent empty, it moves on), or
# a button per purpose that carries its purpose with it, or a button and nothing to fill in.
NOTHING_REQUIRED = {"public form: records", "rights: erasure", "run an extract"}


def test_every_error_summary_link_goes_to_its_fields_first_input_when_submitted_empty(form_pages):
    for name, browser, url in form_pages:
        if name in NOTHING_REQUIRED:
            continue
        drawn = open_page(name, browser, url).content.decode()
        emptied = Elements(drawn).as_sent() | PRESSED.get(name, {})
        response = browser.post(url, emptied)
        assert response.status_code == 200, name
        html = response.content.decode()
        page = check_page(html, name)
        with_errors = [f for form in page_forms(response) for f in form if f.errors]
        said = [form.non_field_errors() for form in page_forms(response)]
        # Each form's links in its fields' order; forms summarised in the page's order.
        assert sorted(page.summary_links) == sorted(first_input_id(f) for f in with_errors), name
        for form in page_forms(response):
            links = [first_input_id(f) for f in form if f.errors]
            assert [i for i in page.summary_links if i in links] == links, name
        assert with_errors or any(said), f"{name}: nothing said to be missing"


def test_a_tick_asked_for_and_not_given_links_to_the_tick_box(form_pages):
    name, browser, url = next(p for p in form_pages if p[0] == "decide a request")
    html = browser.post(url, {"decision": "approve"}).content.decode()
    page = check_page(html, name)
    assert page.summary_links == ["id_checked_with_holder"]


def test_a_date_links_to_its_day_box_and_a_choice_to_its_first_option(form_pages):
    name, browser, url = next(p for p in form_pages if p[0] == "add a contact")
    html = browser.post(url, {"note": ""}).content.decode()
    page = check_page(html, name)
    assert page.summary_links == ["id_kind_0", "id_occurred_on_0", "id_note"]
    assert page.tag_of["id_occurred_on_0"] == "input"
    assert re.search(
        r'<label class="govuk-label govuk-date-input__label" for="id_occurred_on_0">\s*Day', html
    )


def test_a_choice_field_with_the_default_widget_gets_an_id_for_each_option(family, case):
    form = case_forms.ContactForm(people=[family["mum"], family["yusuf"]])
    assert isinstance(form.fields["kind"].widget, forms.Select)
    kinds = [o["id"] for o in options(form["kind"])]
    present = [o["id"] for o in options(form["people_present"])]
    assert kinds == [f"id_kind_{n}" for n in range(len(kinds))]
    assert present == ["id_people_present_0", "id_people_present_1"]
    assert first_input_id(form["kind"]) == "id_kind_0"
    assert first_input_id(form["occurred_on"]) == "id_occurred_on_0"


def _earlyhelp_form_classes() -> set[type[forms.BaseForm]]:
    skipped = (".migrations", ".wsgi", ".manage")
    for module in pkgutil.walk_packages(earlyhelp.__path__, "earlyhelp."):
        if not any(part in module.name for part in skipped):
            importlib.import_module(module.name)
    found, pending = set(), [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if cls.__module__.startswith("earlyhelp.") and not issubclass(cls, FactForm):
            found.add(cls)
    return {f for f in found - BASES if f"{f.__module__}.{f.__qualname__}" not in GET_FILTERS}


def test_every_form_in_the_product_is_on_a_page_checked_above(form_pages):
    checked = set()
    for name, browser, url in form_pages:
        for form in page_forms(open_page(name, browser, url)):
            checked.add(FactForm if isinstance(form, FactForm) else type(form))
    facts = {
        type(b.get(u).context["form"])._meta.model
        for n, b, u in form_pages
        if n.startswith("record ")
    }
    assert facts == set(FACT_MODELS.values()), "every kind of fact has its page above"
    found = _earlyhelp_form_classes()
    assert {access_forms.SignInForm, staff_forms.DecisionForm, people_forms.MergeForm} <= found
    assert {governance_views.ReviewForm, people_forms.ContactMethodForm} <= found
    assert found <= checked, f"forms on no page checked here: {found - checked}"
