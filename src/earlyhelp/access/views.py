"""Sign-in in two steps: password, then the code from the user's authenticator app.

Between the steps the user is *not* signed in: the session only remembers who
passed the password step, for a few minutes.
"""

import time

from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.access.decorators import public_view, signed_in
from earlyhelp.access.forms import SecurityCodeForm, SignInForm

PENDING_USER = "signin_pending_user"
PENDING_BACKEND = "signin_pending_backend"
PENDING_SINCE = "signin_pending_since"
PENDING_NEXT = "signin_next"
PENDING_SECONDS = 300


def totp_device_for(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("web:home")


def _pending_user(request: HttpRequest):
    user_id = request.session.get(PENDING_USER)
    since = request.session.get(PENDING_SINCE, 0)
    if user_id is None or time.time() - since > PENDING_SECONDS:
        return None
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


def _clear_pending(request: HttpRequest) -> None:
    for key in (PENDING_USER, PENDING_BACKEND, PENDING_SINCE, PENDING_NEXT):
        request.session.pop(key, None)


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
        elif totp_device_for(user) is None:
            form.add_error(
                None,
                "Your account has no second factor set up. "
                "Ask your system administrator to set one up for you.",
            )
        else:
            request.session.cycle_key()
            request.session[PENDING_USER] = user.pk
            request.session[PENDING_BACKEND] = user.backend
            request.session[PENDING_SINCE] = time.time()
            request.session[PENDING_NEXT] = _safe_next(request, request.GET.get("next"))
            return redirect("access:sign_in_code")
    return render(request, "access/sign_in.html", {"form": form})


@public_view
@require_http_methods(["GET", "HEAD", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        _clear_pending(request)
        return redirect("access:login")
    form = SecurityCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = totp_device_for(user)
        allowed, _ = device.verify_is_allowed() if device else (False, None)
        if device is None:
            form.add_error(None, "Your account has no second factor set up")
        elif not allowed:
            form.add_error("code", "Too many wrong codes. Wait a minute, then try a new code")
        elif device.verify_token(form.cleaned_data["code"]):
            next_url = request.session.get(PENDING_NEXT) or reverse("web:home")
            user.backend = request.session[PENDING_BACKEND]
            _clear_pending(request)
            login(request, user)
            otp_login(request, device)
            return redirect(next_url)
        else:
            # Counted by the sign-in throttle like a wrong password.
            user_login_failed.send(
                sender=__name__, credentials={"username": user.get_username()}, request=request
            )
            form.add_error("code", "Security code is wrong or has expired")
    return render(request, "access/sign_in_code.html", {"form": form})


@public_view
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("access:signed_out")


@public_view
@require_safe
def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "access/signed_out.html")
