"""Sessions end, and URLs carry no personal data (the logs: test_log_leaks.py)."""

import re

from django.urls import reverse
from django.utils import timezone

from tests.access.test_every_route_has_a_rule import routes

# Converters that can only carry opaque ids or fixed words, never a name or a date.
OPAQUE_CONVERTERS = {"uuid", "int", "slug"}


def test_urls_take_only_opaque_ids():
    for route, _ in routes():
        for converter in re.findall(r"<(?:(\w+):)?\w+>", route):
            assert converter in OPAQUE_CONVERTERS, route


def test_search_terms_are_posted_never_put_in_the_address(client, practitioner, family):
    page = client.get(reverse("people:search")).content.decode()
    assert 'method="post"' in page and 'method="get"' not in page
    ignored = client.get(reverse("people:search"), {"name": "Yusuf Haddad"}).content.decode()
    assert str(family["yusuf"].public_id) not in ignored


def test_session_ends_after_the_configured_inactivity(client, practitioner, settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE <= 30 * 60
    assert client.get(reverse("web:home")).status_code == 200
    session = client.session
    session.set_expiry(timezone.now() - timezone.timedelta(seconds=1))
    session.save()
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("access:login"))
