"""Every page names its own icon, so no browser asks for /favicon.ico and gets a 404.

The icon is the service's own small SVG (no crown: this is a council's service, not GOV.UK).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_page_links_an_icon_that_exists(client):
    page = client.get(reverse("access:login")).content.decode()

    link = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)

    assert link, "no icon named in the page's head"
    href = link.group(1)
    assert href.startswith(settings.STATIC_URL) and "favicon" in href
    assert finders.find("web/favicon.svg"), "the icon is a static file of the web app"


def test_the_icon_is_a_small_svg_of_our_own():
    svg = Path(finders.find("web/favicon.svg")).read_text()
    assert svg.startswith("<svg") and len(svg) < 1000
    assert "crown" not in svg.lower()


def test_the_error_pages_name_the_icon_too(client):
    page = client.get("/no-such-page").content.decode()
    assert 'rel="icon"' in page
