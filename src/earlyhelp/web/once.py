"""Forms that record something are sent once: the POST/redirect/GET pattern, with a
one-time token in each form (`{% form_token %}`) that the database holds unique.

A browser that sends a form twice (a double click, a resend after a slow answer) gets,
for the second sending, the page the first led to, and nothing is written twice. Two
sendings at the same moment race on the unique token, and the database lets one win.
"""

import secrets
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from earlyhelp.web.models import FormSubmission

FIELD = "form_token"
# Long enough for a form left open all day; tokens older than this are forgotten.
KEEP_FOR = timedelta(days=1)
TOKEN_BYTES = 24


def new_token() -> str:
    """A fresh random token for one form (32 URL-safe characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def submitted_once(view: Callable) -> Callable:
    """Run a POST view once per form token; a repeat goes where the first sending went.

    A POST without a token (a script, an old page) is run as it is. A sending that does
    not end in a redirect (the form had errors) frees its token to be sent again.
    """

    @wraps(view)
    def once(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not token or len(token) > 64:
            return view(request, *args, **kwargs)
        FormSubmission.objects.filter(created_at__lt=timezone.now() - KEEP_FOR).delete()
        try:
            with transaction.atomic():
                sending = FormSubmission.objects.create(token=token, user=request.user)
        except IntegrityError:
            return _sent_before(request, token)
        response = view(request, *args, **kwargs)
        if response.status_code in (301, 302, 303) and response.get("Location"):
            FormSubmission.objects.filter(pk=sending.pk).update(location=response["Location"])
        else:
            FormSubmission.objects.filter(pk=sending.pk).delete()
        return response

    return once


def _sent_before(request: HttpRequest, token: str) -> HttpResponse:
    first = FormSubmission.objects.filter(token=token, user=request.user).first()
    if first is not None and first.location:
        messages.info(request, "That form was sent twice: it was saved once")
        return redirect(first.location)
    # Still being saved (the two sendings crossed), or another account's token.
    return render(request, "web/sent_twice.html", status=409)
