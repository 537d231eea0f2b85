"""Each role's home page lists what the role can do today, with links that work for it.

Issue 11: the home pages promised allocation, approvals, destruction, subject access,
reports and configuration, none of which exists. A page now lists only what the role can
do, every link on it answers 200 for that role, and each page the role may open without a
record in hand is linked from it (or named below with the reason it is not), so the pages
grow as capabilities land.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import NoReverseMatch, get_resolver, resolve, reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.log import record
from tests.factories import GrantRequestFactory

# Promises of what does not exist yet, in the words the pages used to say them.
# (Allocation, assessments and plans landed with issue 13, rights requests with issue 15:
# the pages now say so.)
PROMISES = [
    r"\bapprove disclosures?\b",
    r"\bsubject access\b",
    r"\breports?\b",
    r"\bconfiguration\b",
    r"\btake-up\b",
    r"\boutcomes\b",
]
# Pages a role may open with no record in hand that its home page does not link to.
NOT_ON_THE_HOME_PAGE = {
    "web:home": "the page itself",
    "access:change_password": "in the header of every page",
    "people:create": "reached from search results, so that people search before they add",
    # tests/consent/test_media_pages.py: a nursery key person's home page links them.
    "consent:media_queue": "on the home page of members of a nursery team only",
    "consent:media_upload": "reached from the share queue of nursery photos and videos",
}


class Links(HTMLParser):
    """The links and the visible text of a page's <main>."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.text: list[str] = []
        self._in_main = False

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self._in_main = True
        if tag == "a" and self._in_main:
            self.hrefs.append(dict(attrs)["href"])

    def handle_endtag(self, tag):
        if tag == "main":
            self._in_main = False

    def handle_data(self, data):
        if self._in_main:
            self.text.append(data)


def home_page(client) -> Links:
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    parsed = Links()
    parsed.feed(response.content.decode())
    return parsed


@pytest.fixture
def signed_in_as(make_user, sign_in, team, case):
    """Sign in as someone of `role`, in the team that holds the family's case."""

    def sign_in_as(role: Role):
        user = make_user(f"user-{role.value}", role)
        team.members.add(user)
        return sign_in(user)

    return sign_in_as


def _allowed_without_a_record(role: Role) -> set[str]:
    """Route names the role may GET that take no argument."""
    names = set()
    for namespace, (_, sub) in get_resolver().namespace_dict.items():
        for name in (n for n in sub.reverse_dict if isinstance(n, str)):
            try:
                url = reverse(f"{namespace}:{name}")
            except NoReverseMatch:  # takes an argument: a page about a record
                url = None
            rule = getattr(resolve(url).func, "access_rule", None) if url else None
            if isinstance(rule, frozenset) and role in rule:
                names.add(f"{namespace}:{name}")
    return names


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_link_on_a_roles_home_page_opens_for_that_role(client, signed_in_as, role):
    signed_in_as(role)
    page = home_page(client)
    assert page.hrefs
    for href in page.hrefs:
        assert href.startswith("/"), href
        response = client.get(href)
        assert response.status_code == 200, (role, href, response.status_code)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_a_home_page_promises_nothing_that_does_not_exist(client, signed_in_as, role):
    signed_in_as(role)
    text = " ".join(" ".join(home_page(client).text).split()).lower()
    for promise in PROMISES:
        assert not re.search(promise, text), (role, promise)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_a_home_page_links_every_page_its_role_can_open_without_a_record(
    client, signed_in_as, role
):
    signed_in_as(role)
    linked = {
        f"{match.namespace}:{match.url_name}"
        for match in (resolve(urlsplit(href).path) for href in home_page(client).hrefs)
    }
    missing = _allowed_without_a_record(role) - linked - set(NOT_ON_THE_HOME_PAGE)
    assert missing == set(), role


def test_the_governance_home_page_says_how_much_waits_for_review(
    client, signed_in_as, family, make_user
):
    record(
        None,
        action="break_glass",
        record_type="person",
        record_id=family["yusuf"].public_id,
        reason="Police at the door",
        flagged=True,
    )
    GrantRequestFactory(account=make_user("newcomer"), roles=[Role.PRACTITIONER.value])
    signed_in_as(Role.INFORMATION_GOVERNANCE)
    text = " ".join(" ".join(home_page(client).text).split())
    assert "Emergency access to review (1 waiting)" in text
    assert "waiting for a second person's approval (1 waiting)" in text


def test_the_administrators_home_page_links_requests_for_access(client, signed_in_as):
    signed_in_as(Role.SYSTEM_ADMINISTRATOR)
    page = home_page(client)
    assert reverse("staff:requests") in page.hrefs
    assert reverse("staff:create") in page.hrefs
    assert "does not show any records about children or families" in " ".join(page.text)


def test_the_analysts_home_page_links_the_extracts(client, signed_in_as):
    signed_in_as(Role.ANALYST)
    assert reverse("extracts:projects") in home_page(client).hrefs
