"""Sign-in in two steps: password, then the code from the user's authenticator app.

Between the steps the user is *not* signed in: the session only remembers who passed the
password step, for a few minutes. An account without an authenticator (a new one, or one
whose authenticator was reset) enrols one as its second step instead: the page shows a
new secret, as a QR code and as text, to that person only, and sign-in completes when they
enter a code from it.

A person whose password was set by an administrator then changes it before anything else
(PasswordChangeRequiredMiddleware). An authenticator set up with such a password may have
been set up by whoever knew it: the account's roles are suspended until an approver has
checked with its holder (grants.authenticator_enrolled).
"""

import time
from base64 import b32encode
from urllib.parse import urlencode

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib.auth import (
    authenticate,
    get_user_model,
    login,
    logout,
    update_session_auth_hash,
)
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.access.decorators import own_account, public_view, signed_in
from earlyhelp.access.forms import ChangePasswordForm, SecurityCodeForm, SignInForm
from earlyhelp.access.services import change_own_password, confirm_enrolment, new_enrolment

PENDING_USER = "signin_pending_user"
PENDING_BACKEND = "signin_pending_backend"
PENDING_SINCE = "signin_pending_since"
PENDING_NEXT = "signin_next"
PENDING_DEVICE = "signin_pending_device"
PENDING_SECONDS = 300
# Setting up an authenticator app takes longer than typing a code.
ENROL_SECONDS = 900


def totp_device_for(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("web:home")


def _pending_user(request: HttpRequest, seconds: int = PENDING_SECONDS):
    user_id = request.session.get(PENDING_USER)
    since = request.session.get(PENDING_SINCE, 0)
    if user_id is None or time.time() - since > seconds:
        return None
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


def _clear_pending(request: HttpRequest) -> None:
    for key in (PENDING_USER, PENDING_BACKEND, PENDING_SINCE, PENDING_NEXT, PENDING_DEVICE):
        request.session.pop(key, None)


def _complete_sign_in(request: HttpRequest, user, device: TOTPDevice) -> HttpResponse:
    next_url = request.session.get(PENDING_NEXT) or reverse("web:home")
    user.backend = request.session[PENDING_BACKEND]
    _clear_pending(request)
    login(request, user)  # a new session key, again
    otp_login(request, device)
    if user.must_change_password:
        return redirect(f"{reverse('access:change_password')}?{urlencode({'next': next_url})}")
    return redirect(next_url)


def _code_failed(request: HttpRequest, user) -> None:
    # Counted by the sign-in throttle like a wrong password, and audited as a wrong code.
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )


def _tries_left(request: HttpRequest, user) -> int:
    """How many more failures the sign-in throttle allows before it locks: its nearest limit."""
    AxesProxyHandler.update_request(request)
    counts = AxesProxyHandler.get_implementation().failure_counts(
        request, {"username": user.get_username()}
    )
    return min((limit - count for count, limit in counts.values()), default=1)


def _tries_words(left: int) -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    tries = "1 more try" if left == 1 else f"{left} more tries"
    return f"You have {tries} before sign-in is locked for {minutes} minutes"


def _locked_out(request: HttpRequest, user) -> HttpResponse | None:
    """The sign-in throttle's page if it has locked this sign-in, else None.

    Checked before a code is, so that a session past the password step cannot go on
    guessing codes once the throttle has locked sign-in.
    """
    credentials = {"username": user.get_username()}
    AxesProxyHandler.update_request(request)
    if AxesProxyHandler.is_locked(request, credentials):
        return get_lockout_response(request, None, credentials)
    return None


def _code_is_right(request: HttpRequest, user, device: TOTPDevice, form) -> bool:
    """Whether the code is the app's; if not, the form says it is wrong and what is left.

    The limit on wrong codes is the sign-in throttle's (access/throttle.py), which counts
    each wrong code as a failed sign-in and locks sign-in when it is reached. django-otp's
    own delay between wrong codes (1, 2, 4, 8 seconds...) is not a second limit: it
    refused to check a code typed within it and said "too many wrong codes" after one.
    Its count of failures is kept; only its wait is not applied.
    """
    device.throttling_failure_timestamp = None  # not saved: verify_token sets it again
    if device.verify_token(form.cleaned_data["code"]):
        return True
    _code_failed(request, user)
    left = _tries_left(request, user)
    if left > 0:  # else the throttle has locked sign-in, and its page answers
        form.add_error("code", f"Security code is wrong or has expired. {_tries_words(left)}")
    return False


@public_view
@sensitive_post_parameters("password")
@require_http_methods(["GET", "HEAD", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if signed_in(request):
        return redirect("web:home")
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is None:
            form.add_error(None, "Enter a correct username and password")
        else:
            request.session.cycle_key()
            request.session[PENDING_USER] = user.pk
            request.session[PENDING_BACKEND] = user.backend
            request.session[PENDING_SINCE] = time.time()
            request.session[PENDING_NEXT] = _safe_next(request, request.GET.get("next"))
            if totp_device_for(user) is None:
                request.session[PENDING_DEVICE] = new_enrolment(user).pk
                return redirect("access:enrol")
            return redirect("access:sign_in_code")
    return render(request, "access/sign_in.html", {"form": form})


@public_view
@require_http_methods(["GET", "HEAD", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        _clear_pending(request)
        return redirect("access:login")
    device = totp_device_for(user)
    if device is None:
        # Reset since the password step: enrol instead, from the password step again.
        _clear_pending(request)
        return redirect("access:login")
    form = SecurityCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        locked = _locked_out(request, user)
        if locked:
            return locked
        if _code_is_right(request, user, device, form):
            return _complete_sign_in(request, user, device)
    return render(request, "access/sign_in_code.html", {"form": form})


def grouped(secret: str) -> str:
    """A base32 secret in groups of four, for reading and typing."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@public_view
@never_cache  # the page shows the secret: no copy in any cache
@require_http_methods(["GET", "HEAD", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request, ENROL_SECONDS)
    device_id = request.session.get(PENDING_DEVICE)
    device = (
        TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
        if user is not None and device_id is not None
        else None
    )
    if device is None or totp_device_for(user) is not None:
        # Expired, never started, replaced by a later sign-in, or enrolled already.
        _clear_pending(request)
        return redirect("access:login")
    form = SecurityCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        locked = _locked_out(request, user)
        if locked:
            return locked
        if _code_is_right(request, user, device, form):
            # With a temporary password, this suspends the account's roles until an
            # approver checks with its holder that it was them.
            confirm_enrolment(request, user, device)
            return _complete_sign_in(request, user, device)
    secret = b32encode(device.bin_key).decode()
    qr_code = segno.make(device.config_url, error="m").svg_data_uri(scale=5, dark="#0b0c0c")
    context = {"form": form, "secret": grouped(secret), "qr_code": qr_code, "account": user}
    return render(request, "access/enrol.html", context)


@own_account
@never_cache
@sensitive_post_parameters("current_password", "new_password", "new_password_again")
@require_http_methods(["GET", "HEAD", "POST"])
def change_password(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.GET.get("next"))
    user = request.user
    form = ChangePasswordForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        was_temporary = user.must_change_password
        change_own_password(request, user, form.cleaned_data["new_password"])
        # A new password ends every other session of the account; this one goes on.
        update_session_auth_hash(request, user)
        context = {"next_url": next_url, "was_temporary": was_temporary}
        return render(request, "access/password_changed.html", context)
    context = {"form": form, "must_change": user.must_change_password}
    return render(request, "access/change_password.html", context)


@public_view
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("access:signed_out")


@public_view
@require_safe
def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "access/signed_out.html")
