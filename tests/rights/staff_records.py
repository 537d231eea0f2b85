"""Requests and complaints logged by staff, and days to freeze "today" on, for the intake,
list, clock-event and reminder tests and the role-by-route matrix."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.utils import timezone

from earlyhelp.rights.models import RightsRequest
from earlyhelp.rights.services import create_request


def logged_request(received: date | None = None, **fields) -> RightsRequest:
    """A request for a copy of a child's records, from their mother by letter."""
    values = {
        "requester_is": RightsRequest.Requester.PARENT,
        "requester_name": "Leila Okafor",
        "requester_address": "3 Prince of Wales Road\nLondon NW5 3LG",
        "reply_by": RightsRequest.ReplyBy.POST,
        "rights_asked": [RightsRequest.Right.ACCESS],
        "subject_name": "Tobi Okafor",
        "status": RightsRequest.Status.AWAITING_IDENTITY,
        **fields,
    }
    kind = values.pop("kind", RightsRequest.Kind.REQUEST)
    return create_request(
        None,
        kind=kind,
        channel=RightsRequest.Channel.LETTER,
        received=received or timezone.localdate(),
        **values,
    )


def freeze_today(monkeypatch: pytest.MonkeyPatch) -> Callable[[date], None]:
    """A function that makes ``timezone.localdate()`` (the service's "today") answer a day."""
    real = timezone.localdate

    def freeze(day: date) -> None:
        def localdate(value=None, timezone=None):
            return day if value is None else real(value, timezone)

        monkeypatch.setattr("django.utils.timezone.localdate", localdate)

    return freeze


def staff_form_pages(browser, officer) -> list[tuple[str, object, str]]:
    """(name, client, url) for every page with a staff form on requests and complaints, in
    the state that shows its form, for the form-wide checks in tests/web. ``browser`` is
    signed in as ``officer``, an information governance officer."""
    from django.urls import reverse

    plain = logged_request()
    waiting = logged_request()
    waiting.clarifications.create(
        asked_on=waiting.received, question="Which years?", asked_by=officer
    )
    complaint = logged_request(
        kind=RightsRequest.Kind.COMPLAINT, rights_asked=[], status=RightsRequest.Status.RECEIVED
    )

    def action(rights_request: RightsRequest, slug: str) -> str:
        return reverse("rights:action", args=[rights_request.public_id, slug])

    pages = [("log a rights request", browser, reverse("rights:log"))]
    for slug in ("assign", "asked", "identity", "fee", "clarify", "extend", "answer", "refuse"):
        pages.append((f"rights request: {slug}", browser, action(plain, slug)))
    pages.append(("rights request: withdraw", browser, action(plain, "withdraw")))
    pages.append(
        ("rights request: clarification-answer", browser, action(waiting, "clarification-answer"))
    )
    for slug in ("acknowledge", "complaint-outcome"):
        pages.append((f"complaint: {slug}", browser, action(complaint, slug)))
    return pages


def staff_date_pages() -> list[tuple[str, str, type, dict]]:
    """(name, url, form class, how) for each staff page with a date, for
    tests/web/test_date_inputs.py; ``how["browser"]`` is an officer's signed-in client."""
    from django.contrib.auth.models import Group
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from earlyhelp.access.models import User
    from earlyhelp.access.roles import Role
    from earlyhelp.rights import forms as rights_forms
    from earlyhelp.rights.views import ACTIONS
    from earlyhelp.web.forms import DateField

    officer = User.objects.create_user(username="date-officer", first_name="Dana")
    officer.groups.set([Group.objects.get_or_create(name=Role.INFORMATION_GOVERNANCE.value)[0]])
    TOTPDevice.objects.create(user=officer, name="Phone", confirmed=True)
    browser = Client()
    browser.force_login(officer)
    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = officer.totpdevice_set.get().persistent_id
    session.save()
    pages = []
    for name, _, url in staff_form_pages(browser, officer):
        slug = url.rstrip("/").rsplit("/", 1)[-1]
        form_class = ACTIONS[slug].form if slug in ACTIONS else rights_forms.IntakeForm
        if any(isinstance(f, DateField) for f in form_class.base_fields.values()):
            pages.append((name, url, form_class, {"browser": browser}))
    from tests.rights.form_pages import date_pages

    return pages + date_pages(browser, officer)
