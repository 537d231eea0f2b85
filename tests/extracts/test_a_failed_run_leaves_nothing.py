"""Extracts run from the screen (issue 20, item 5), as a hostile tester tried them: a run
that fails after the password is made leaves nothing behind (no extract, no plain file in
a temporary folder), and the error report Django makes of it never carries the password."""

import sys
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse
from django.views.debug import ExceptionReporter

from earlyhelp.access.roles import Role
from earlyhelp.extracts.models import Extract
from tests.extracts.screen_records import screen_keys

pytestmark = pytest.mark.django_db

RUN = reverse("extracts:run", args=["liia"])


@pytest.fixture
def analyst(make_user, sign_in, case, settings, tmp_path):
    screen_keys(settings, tmp_path)
    user = make_user("anwen", Role.ANALYST)
    sign_in(user)
    return user


def _passwords(tb) -> set[str]:
    found = set()
    while tb is not None:
        value = tb.tb_frame.f_locals.get("password")
        if isinstance(value, str):
            found.add(value)
        tb = tb.tb_next
    return found


def test_a_run_that_fails_leaves_no_extract_no_plain_file_and_no_password_in_the_report(
    client, analyst, settings, tmp_path
):
    # The documents folder cannot be made: the file is made and protected, then not stored.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.DOCUMENTS_DIR = blocker
    before = set(Path(tempfile.gettempdir()).glob("earlyhelp-extract-*"))

    with pytest.raises(OSError):
        client.post(RUN)

    assert not Extract.objects.exists()
    assert set(Path(tempfile.gettempdir()).glob("earlyhelp-extract-*")) == before


def test_the_error_report_of_a_failed_run_never_carries_the_password(
    client, analyst, settings, tmp_path
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.DOCUMENTS_DIR = blocker
    try:
        client.post(RUN)
    except OSError:
        kind, error, tb = sys.exc_info()
    else:
        pytest.fail("the run should have failed")
    passwords = _passwords(tb)
    assert passwords, "the run made a password before it failed"

    # The report from the request's handling down, not this test's own frames.
    while tb is not None and "/tests/" in tb.tb_frame.f_code.co_filename:
        tb = tb.tb_next
    report = ExceptionReporter(None, kind, error, tb)
    text, html = report.get_traceback_text(), report.get_traceback_html()

    for password in passwords:
        assert password not in text and password not in html
