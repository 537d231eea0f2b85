"""People see words and full names; codes and usernames stay in the audit trail and files.

Issue 11: "From gp", "Code: White - Irish", usernames and `access:allocation` on "who has
seen", "break-glass person" on the emergency review, "agreement notice-council-services" on
the record of processing and "project:liia" on an extract's page. Each page is rendered
with representative data and its visible text searched for codes.
"""

import ast
import importlib
import pkgutil
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import get_resolver, reverse

import earlyhelp
from earlyhelp.access.governance_views import ACTION_WORDS, PAGE_WORDS, RULE_WORDS, rule_words
from earlyhelp.access.roles import Role
from earlyhelp.audit.log import record
from earlyhelp.audit.models import Action, AuditEvent, ReviewOutcome
from earlyhelp.audit.queries import review
from earlyhelp.extracts.database import extract_from_records
from earlyhelp.extracts.keys import ensure_project_key
from earlyhelp.people.choices import Source
from earlyhelp.policy.active import active_policy
from earlyhelp.web.words import NO_ACTOR, SOURCE_WORDS, source_words, staff_name
from tests.factories import (
    EthnicityFactory,
    HealthConditionFactory,
    PersonAddressFactory,
    TeamFactory,
)

SRC = Path(earlyhelp.__file__).parent
# "access:allocation", "project:liia": a code of the form kind:name.
RULE_CODE = re.compile(r"\b[a-z]+:[a-z][a-z-]*\b")
# "not_justified", "home_visit", "person_detail": a word with an underscore in it.
UNDERSCORED = re.compile(r"\b\w+_\w+\b")


class VisibleText(HTMLParser):
    """The text a reader sees: not scripts, styles, or <code> (file column names, hashes)."""

    HIDDEN = {"script", "style", "code", "head"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible(response) -> str:
    assert response.status_code == 200, response.status_code
    parser = VisibleText()
    parser.feed(response.content.decode())
    return " ".join(" ".join(parser.parts).split())


def policy_ids() -> set[str]:
    """The ids of the policy that are codes, not words: every one with a hyphen, and the
    projects' (lower-case "liia")."""
    policy = active_policy()
    ids = {p.id for p in policy.projects}
    for items in (
        policy.categories,
        policy.purposes,
        policy.recipients,
        policy.agreements,
        policy.projects,
    ):
        ids |= {item.id for item in items if "-" in item.id}
    return ids


def assert_no_codes(text: str, usernames: tuple[str, ...] = ()) -> None:
    assert not RULE_CODE.search(text), RULE_CODE.search(text).group()
    assert not UNDERSCORED.search(text), UNDERSCORED.search(text).group()
    assert "break-glass" not in text.lower()
    for code in policy_ids():
        assert not re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text), code
    for username in usernames:
        assert not re.search(rf"(?<![\w.-]){re.escape(username)}(?![\w.-])", text), username


@pytest.fixture
def named(make_user):
    """A member of staff with a full name and a username that is plainly not one."""

    def make(username: str, first: str, last: str, *roles: Role):
        user = make_user(username, *roles)
        user.first_name, user.last_name = first, last
        user.save()
        return user

    return make


@pytest.fixture
def officer(client, named, sign_in):
    user = named("gwen.ig7", "Gwen", "Ifans", Role.INFORMATION_GOVERNANCE)
    sign_in(user)
    return user


# -- a fact's source and a coded value ---------------------------------------------------------


def test_every_source_a_fact_can_have_has_words():
    assert set(SOURCE_WORDS) == set(Source.values)
    assert source_words("gp") == "the GP"


def test_a_fact_says_where_it_came_from_in_words_and_an_ethnicity_without_its_code(
    client, manager, family
):
    HealthConditionFactory(
        person=family["yusuf"], source="gp", kind="mental", description="Anxiety at school"
    )
    EthnicityFactory(person=family["yusuf"], source="health_professional", code="WIRI")
    text = visible(client.get(reverse("people:person", args=[family["yusuf"].public_id])))
    assert "From the GP" in text
    assert "From gp" not in text
    assert "White – Irish" in text
    assert "Code:" not in text and "WIRI" not in text
    assert "From another health professional" in text


# -- who has seen: names, rules and pages in words ---------------------------------------------


def url_names() -> set[str]:
    names = set()
    for namespace, (_, sub) in get_resolver().namespace_dict.items():
        names |= {f"{namespace}:{name}" for name in sub.reverse_dict if isinstance(name, str)}
    return names


def rules_in_the_source() -> set[str]:
    """Every rule id the code can record: `rule="..."` and "access:..." literals that are
    not the names of pages."""
    found = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r"\brule=\"([^\"]*)\"", text))
        found |= set(re.findall(r"\"(access:[a-z-]+)\"", text)) - url_names()
    return found


def policy_rules() -> set[str]:
    """The rule ids an event can cite from the policy: its projects, agreements, purposes."""
    policy = active_policy()
    return (
        {f"project:{p.id}" for p in policy.projects}
        | {f"agreement:{a.id}" for a in policy.agreements}
        | {f"purpose:{p.id}" for p in policy.purposes}
    )


def test_every_rule_the_code_records_has_words():
    code_rules = rules_in_the_source()
    assert {"access:allocation", "access:break-glass", "access:refused"} <= code_rules
    assert code_rules - set(RULE_WORDS) == set()


def test_a_rule_of_the_policy_is_named_by_the_policy_and_an_unknown_rule_by_no_id():
    assert rule_words("project:liia") == "Project: London Innovation and Improvement Alliance"
    assert rule_words("agreement:notice-council-services") == (
        "Agreement: Sharing with other council services (as stated in the notice)"
    )
    assert "gone-away" not in rule_words("project:gone-away")
    assert rule_words("made-up:rule") == "A rule of the policy"


def test_a_retention_rule_an_event_relied_on_reads_as_the_notice_says_it():
    assert rule_words("retention:adult-records") == (
        "Retention: If you are 18 or over, we will keep any information you share with us "
        "for six years after our last involvement with you."
    )
    assert rule_words("retention:legal-hold") == "Information governance: legal holds"
    assert "gone" not in rule_words("retention:gone")


def test_every_rule_a_policy_decision_cites_has_words():
    import earlyhelp.policy.decisions as decisions

    modules = [
        importlib.import_module(f"{decisions.__name__}.{module.name}")
        for module in pkgutil.iter_modules(decisions.__path__)
    ]
    cited = {
        value
        for module in modules
        for name, value in vars(module).items()
        if name.startswith("RULE_") and isinstance(value, str)
    }
    assert "rule:share-needs-agreement" in cited
    assert {rule for rule in cited if rule_words(rule) == "A rule of the policy"} == set()


# The functions that record the page a look was on, and the argument that names it.
PAGE_RECORDERS = {
    "audit_look": 6,
    "audit_people_shown": 4,
    "_audit_matches": 2,
    "search_with_access": 2,
}


def pages_in_the_source() -> set[str]:
    """Every page name the code records: `page=`, `{"page": ...}`, and the page argument of
    the functions that record looks."""
    pages = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "page":
                if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                    pages.add(node.value.value)
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if (
                        isinstance(key, ast.Constant)
                        and key.value == "page"
                        and isinstance(value, ast.Constant)
                    ):
                        pages.add(value.value)
            elif isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                at = PAGE_RECORDERS.get(name)
                if at is not None and len(node.args) > at:
                    arg = node.args[at]
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        pages.add(arg.value)
    return pages


def test_every_action_and_every_page_the_trail_can_name_has_words():
    assert set(ACTION_WORDS) == set(Action.values)
    pages = pages_in_the_source()
    # A guard records the look for a page that records none, named by its view.
    for pattern in _all_patterns(get_resolver().url_patterns):
        if hasattr(pattern.callback, "changes_records"):
            pages.add(pattern.callback.__name__)
    assert {"person", "search", "duplicate-check", "open-case", "edit_person"} <= pages
    assert pages - set(PAGE_WORDS) == set()


def _all_patterns(patterns):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _all_patterns(pattern.url_patterns)
        else:
            yield pattern


def test_who_has_seen_names_staff_and_says_every_rule_and_action_in_words(
    client, officer, named, family
):
    priya = named("pshah-7", "Priya", "Shah", Role.PRACTITIONER)
    yusuf = family["yusuf"].public_id
    rules = sorted(rules_in_the_source() | set(RULE_WORDS) | policy_rules() | {"made-up:rule"})
    for rule in rules:
        record(
            action="view",
            record_type="person",
            record_id=yusuf,
            categories=["identity-and-contact"],
            rule=rule,
            details={"page": "person"},
            actor=priya,
        )
    for action in Action.values:
        record(action=action, record_type="person", record_id=yusuf, actor=priya)
    record(action="view", record_type="person", record_id=yusuf, rule="access:allocation")

    text = visible(client.get(reverse("governance:who_has_seen", args=[yusuf])))

    assert_no_codes(text, usernames=("pshah-7", "gwen.ig7"))
    assert "Priya Shah" in text
    assert NO_ACTOR in text
    assert "Allocated to their case or their team's" in text
    assert "Project: London Innovation and Improvement Alliance" in text
    assert "Opened in an emergency" in text
    assert "Record page" in text
    for words in ACTION_WORDS.values():
        assert words in text
    for rule in filter(None, rules):
        assert rule not in text


def test_who_has_seen_says_the_information_by_the_policys_wording(client, officer, family):
    record(
        action="view",
        record_type="person",
        record_id=family["yusuf"].public_id,
        categories=["identity-and-contact", "health"],
        rule="access:allocation",
    )
    text = visible(client.get(reverse("governance:who_has_seen", args=[family["yusuf"].public_id])))
    assert active_policy().category("health").wording in text
    assert_no_codes(text)


# -- emergency access: the queue and the review ------------------------------------------------


@pytest.fixture
def broke_glass(client, named, sign_in, family, case):
    """A practitioner of another team opens Yusuf's record, and then his case, by break-glass."""

    outsider = named("ojones-3", "Olu", "Jones", Role.PRACTITIONER)
    TeamFactory(name="South youth", service="iyss").members.add(outsider)
    sign_in(outsider)
    client.post(
        reverse("people:break_glass", args=[family["yusuf"].public_id]),
        {"reason": "Police at school asking about Yusuf, worker off sick"},
    )
    client.get(reverse("people:person", args=[family["yusuf"].public_id]))
    client.get(reverse("cases:case", args=[case.public_id]))
    return AuditEvent.objects.get(action="break_glass")


def test_the_emergency_review_says_emergency_access_to_the_persons_record(
    client, broke_glass, named, sign_in
):
    sign_in(named("gwen.ig7", "Gwen", "Ifans", Role.INFORMATION_GOVERNANCE))
    text = visible(client.get(reverse("governance:review", args=[broke_glass.pk])))
    assert "Olu Jones" in text
    assert "Looked at Yusuf Haddad, record page" in text
    assert "Looked at Family Support and Complex Families case: Yusuf Haddad" in text
    assert_no_codes(text, usernames=("ojones-3", "gwen.ig7"))


def test_the_review_names_break_glass_on_a_person_as_emergency_access_to_their_record(
    client, officer, named, family
):
    olu = named("ojones-3", "Olu", "Jones", Role.PRACTITIONER)
    first = record(
        action="break_glass",
        record_type="person",
        record_id=family["yusuf"].public_id,
        reason="Police at the door",
        flagged=True,
        actor=olu,
    )
    # A second break-glass within the hour is one of the looks that followed the first.
    record(
        action="break_glass",
        record_type="person",
        record_id=family["leila"].public_id,
        reason="Her sister too",
        flagged=True,
        actor=olu,
    )
    text = visible(client.get(reverse("governance:review", args=[first.pk])))
    assert "Emergency access to Leila Haddad's record" in text
    assert_no_codes(text, usernames=("ojones-3",))


def test_the_emergency_queue_names_staff_and_review_outcomes_in_words(
    client, officer, named, family
):
    olu = named("ojones-3", "Olu", "Jones", Role.PRACTITIONER)
    for outcome in ReviewOutcome.values:
        event = record(
            action="break_glass",
            record_type="person",
            record_id=family["yusuf"].public_id,
            reason="Police at the door",
            flagged=True,
            actor=olu,
        )
        review(event, reviewed_by=officer, outcome=outcome)
    record(
        action="break_glass",
        record_type="person",
        record_id=family["leila"].public_id,
        reason="Her sister too",
        flagged=True,
        actor=olu,
    )
    text = visible(client.get(reverse("governance:emergency_access")))
    assert "Olu Jones" in text
    for outcome in ReviewOutcome:
        assert outcome.label in text
    assert_no_codes(text, usernames=("ojones-3", "gwen.ig7"))


# -- the record of processing and the extracts ---------------------------------------------------


def test_the_record_of_processing_names_each_agreement_as_the_policy_does(client, officer):
    text = visible(client.get(reverse("policy:ropa")))
    for agreement in active_policy().agreements:
        assert agreement.name in text
    assert "notice-council-services" not in text
    assert "agreement notice" not in text
    assert_no_codes(text)


@pytest.fixture
def liia_extract(settings, tmp_path, family, case, named):
    for who in ("mum", "yusuf", "leila"):
        PersonAddressFactory(
            person=family[who],
            address=family["household"].address,
            moved_in=date(2022, 4, 1),
            source="family",
        )
    settings.KEYS_DIR = tmp_path / "keys"
    ensure_project_key(settings.KEYS_DIR, "liia")
    analyst = named("abarker-2", "Ana", "Barker", Role.ANALYST)
    return extract_from_records("liia", tmp_path / "out", on_date=date(2026, 11, 25), user=analyst)


def test_an_extracts_page_names_its_project_rules_and_categories_from_the_policy(
    client, sign_in, named, liia_extract
):
    sign_in(named("anwen-9", "Anwen", "Rees", Role.ANALYST))
    text = visible(client.get(reverse("extracts:detail", args=[liia_extract.public_id])))
    assert "project:liia" in liia_extract.manifest["policy_rules"]
    assert "Project: London Innovation and Improvement Alliance" in text
    assert "project:liia" not in text
    assert "Made" in text and "by Ana Barker" in text
    assert active_policy().category("identity-and-contact").wording in text
    assert_no_codes(text, usernames=("abarker-2", "anwen-9"))

    text = visible(client.get(reverse("extracts:projects")))
    assert "Ana Barker" in text
    assert_no_codes(text, usernames=("abarker-2", "anwen-9"))


# -- home pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_a_home_page_shows_no_code_or_username(client, named, sign_in, role):
    sign_in(named("someone-1", "Sam", "Ade", role))
    text = visible(client.get(reverse("web:home")))
    assert_no_codes(text, usernames=("someone-1",))


def test_a_person_with_no_name_on_their_account_is_not_shown_by_username(client, officer, family):
    from earlyhelp.access.models import User

    nameless = User.objects.create_user(username="svc-import")
    record(action="view", record_type="person", record_id=family["yusuf"].public_id, actor=nameless)
    text = visible(client.get(reverse("governance:who_has_seen", args=[family["yusuf"].public_id])))
    assert staff_name(nameless) in text
    assert "svc-import" not in text
