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
from earlyhelp.people import forms as people_forms
from earlyhelp.people import views as people_views
from earlyhelp.people.facts import FACT_MODELS, FactForm
from earlyhelp.people.merge import merge_people
from earlyhelp.web.templatetags.govuk import first_input_id, options
from tests.conftest import STRONG_PASSWORD
from tests.factories import GrantRequestFactory, PersonFactory

pytestmark = pytest.mark.django_db

FIELD_TAGS = {"input", "select", "textarea"}
# Not shown on any page by itself: the identifier fields of the search and person forms.
BASES = {people_forms.IdentifierFields}


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
        summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
        self.summary_links = re.findall(r'href="#([^"]*)"', summary.group(1)) if summary else []

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
        ("undo merge", by_manager, reverse("people:undo_merge", args=[merged.public_id])),
        ("restrict", by_manager, reverse("people:restrict", args=[person])),
        ("emergency access", by_practitioner, reverse("people:break_glass", args=[person])),
        (
            "review emergency access",
            as_user(governance),
            reverse("governance:review", args=[flagged.pk]),
        ),
        ("new staff account", as_user(admin), reverse("staff:create")),
        ("change staff account", as_user(admin), reverse("staff:edit", args=[worker.pk])),
        ("decide a request", as_user(approver), reverse("staff:request", args=[grant.public_id])),
    ]
    for kind in FACT_MODELS:
        url = reverse("people:record_fact", args=[person, kind])
        pages.append((f"record {kind}", by_practitioner, url))
    return pages


# Fields a page leaves out on purpose, and when.
LEFT_OUT = {
    "not_a_duplicate",  # hidden until the likely matches have been shown
    "people_present",  # "who was there" only when the case has people
}


def shown_fields(form: forms.BaseForm) -> list[forms.BoundField]:
    return [f for f in form.visible_fields() if f.name not in LEFT_OUT]


def test_every_option_and_date_box_has_its_own_id_that_its_label_names(form_pages):
    for name, browser, url in form_pages:
        response = browser.get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        page = check_page(html, name)
        form = response.context["form"]
        for field in shown_fields(form):
            assert f'name="{field.html_name}' in html, f"{name}: {field.name} not on the page"
            assert first_input_id(field) in page.ids, f"{name}: {field.name} has no first input"
            if isinstance(field.field, forms.ChoiceField) and field.name != "service":
                ids = [option["id"] for option in options(field)]
                assert ids and set(ids) <= set(page.ids), f"{name}: {field.name} options"


def test_every_error_summary_link_goes_to_its_fields_first_input_when_submitted_empty(form_pages):
    for name, browser, url in form_pages:
        emptied = Elements(browser.get(url).content.decode()).as_sent()
        response = browser.post(url, emptied)
        assert response.status_code == 200, name
        html = response.content.decode()
        page = check_page(html, name)
        form = response.context["form"]
        with_errors = [f for f in form if f.errors]
        assert page.summary_links == [first_input_id(f) for f in with_errors], name
        assert with_errors or form.non_field_errors(), f"{name}: nothing said to be missing"


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
    return found - BASES


def test_every_form_in_the_product_is_on_a_page_checked_above(form_pages):
    checked = set()
    for _, browser, url in form_pages:
        form = browser.get(url).context["form"]
        checked.add(FactForm if isinstance(form, FactForm) else type(form))
    facts = {type(b.get(u).context["form"])._meta.model for n, b, u in form_pages if "record" in n}
    assert facts == set(FACT_MODELS.values()), "every kind of fact has its page above"
    found = _earlyhelp_form_classes()
    assert {access_forms.SignInForm, staff_forms.DecisionForm, people_views.MergeForm} <= found
    assert {governance_views.ReviewForm, people_forms.ContactMethodForm} <= found
    assert found <= checked, f"forms on no page checked here: {found - checked}"
