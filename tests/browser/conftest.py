"""Browser journeys: Playwright driving Debian's chromium against the live test server."""

import os
import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in this thread; the tests still
# make ordinary ORM calls between browser steps.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("EARLYHELP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Chromium on a machine with no network but the registries: no background calls.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"chromium not found at {CHROMIUM}: run `make chromium` (Debian package)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, settings):
    # The live server finds static files by name, as runserver does, so pages
    # must ask for them unhashed (the hashed names exist only after collectstatic).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def assert_accessible():
    """Run axe on the page as it is now; fail on any serious or critical violation."""
    axe = Axe()

    def check(page) -> None:
        # The page may still be arriving (a redirect after a POST): scan it once loaded,
        # and again if axe met a document that was being replaced under it.
        page.wait_for_load_state("load")
        try:
            violations = axe.run(page).response["violations"]
        except PlaywrightError as error:
            if "documentElement" not in str(error):
                raise
            page.wait_for_load_state("load")
            violations = axe.run(page).response["violations"]
        blocking = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
            for v in violations
            if v["impact"] in BLOCKING_IMPACTS
        ]
        assert not blocking, f"{page.url}: " + "; ".join(blocking)

    return check


def sign_in_through_the_browser(page, user, password: str) -> None:
    """The two sign-in steps as a person does them."""
    from earlyhelp.access.demo import current_code

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Security code").fill(current_code(user.totpdevice_set.get()))
    page.get_by_role("button", name="Sign in").click()
