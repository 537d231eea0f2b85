"""Forms that record something are sent once: the POST/redirect/GET pattern, with a
one-time token in each form (`{% form_token %}`) that the database holds unique.

A browser that sends a form twice (a double click, a resend after a slow answer) gets,
for the second sending, the page the first led to, and nothing is written twice. Two
sendings at the same moment race on the unique token, and the database lets one win.
"""

import hashlib
import secrets
import time
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from earlyhelp.web.models import FormSubmission

FIELD = "form_token"
# Long enough for a form left open all day; tokens older than this are forgotten.
KEEP_FOR = timedelta(days=1)
TOKEN_BYTES = 24
# How long a second sending waits for the first to finish before saying it was sent twice.
WAIT_SECONDS = 5.0
WAIT_STEP_SECONDS = 0.1


# A view that saves and answers with a page rather than a redirect sets this on the request.
SAVED_ATTRIBUTE = "form_saved"
SHOWN_ONCE = "-"


def saved_and_shown_once(request: HttpRequest) -> None:
    """Say that this sending saved what it was for, though its answer is not a redirect."""
    setattr(request, SAVED_ATTRIBUTE, True)


def new_token() -> str:
    """A fresh random token for one form (32 URL-safe characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def submitted_once(view: Callable) -> Callable:
    """Run a POST view once per form token; a repeat goes where the first sending went.

    A POST without a token (a script, an old page) is run as it is. A sending that does
    not end in a redirect (the form had errors, or the view failed) frees its token to be
    sent again. A token counts for the form it came with: the same token sent to another
    form is another sending.
    """

    @wraps(view)
    def once(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not token:
            return view(request, *args, **kwargs)
        key = _key(token, request.path)
        FormSubmission.objects.filter(created_at__lt=timezone.now() - KEEP_FOR).delete()
        sending = _claim(request, key)
        if isinstance(sending, HttpResponse):
            return sending
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            FormSubmission.objects.filter(pk=sending.pk).delete()
            raise
        if response.status_code in (301, 302, 303) and response.get("Location"):
            FormSubmission.objects.filter(pk=sending.pk).update(location=response["Location"])
        elif getattr(request, SAVED_ATTRIBUTE, False):
            # Saved, and answered with a page shown once (a temporary password): a second
            # sending is told so, and neither repeats the change nor shows the page again.
            FormSubmission.objects.filter(pk=sending.pk).update(location=SHOWN_ONCE)
        else:
            FormSubmission.objects.filter(pk=sending.pk).delete()
        return response

    return once


def _key(token: str, path: str) -> str:
    # A fixed-length key whatever the token's length, bound to the form's address.
    return hashlib.sha256(f"{path}\0{token}".encode()).hexdigest()


def _claim(request: HttpRequest, key: str) -> FormSubmission | HttpResponse:
    """Take the token for this sending; if another sending has it, wait for its outcome.

    A double click sends twice at once: the second waits (up to WAIT_SECONDS) for the
    first, then goes where it went, or, if the first ended without saving (errors),
    takes the token and is handled itself.
    """
    deadline = time.monotonic() + WAIT_SECONDS
    # A public form's sender is not signed in: their token is theirs alone by its secrecy.
    user = request.user if request.user.is_authenticated else None
    while True:
        try:
            with transaction.atomic():
                return FormSubmission.objects.create(token=key, user=user)
        except IntegrityError:
            pass
        first = FormSubmission.objects.filter(token=key).first()
        if first is not None and first.user_id != (user.pk if user else None):
            return render(request, "web/sent_twice.html", status=409)
        if first is not None and first.location == SHOWN_ONCE:
            return render(request, "web/sent_twice.html", {"shown_once": True}, status=409)
        if first is not None and first.location:
            messages.info(request, "That form was sent twice: it was saved once")
            return redirect(first.location)
        waited_enough = time.monotonic() > deadline
        if first is None and not waited_enough:
            continue  # the first ended without saving: this sending takes the token
        if first is None or waited_enough or connection.in_atomic_block:
            # Inside a transaction the first sending's outcome cannot be seen by waiting.
            return render(request, "web/sent_twice.html", status=409)
        time.sleep(WAIT_STEP_SECONDS)
