"""A temporary password is replaced before anything else is done with the account."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

# The only pages open to someone who has not yet replaced their temporary password.
ALLOWED_VIEWS = frozenset({"access:change_password", "access:logout", "access:signed_out"})


class PasswordChangeRequiredMiddleware:
    """Every request of a user with `must_change_password` goes to the change-password page.

    Set when an administrator made or reset the password, so that the password the
    administrator saw never opens a page with family data (or any other page).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.must_change_password
            and not request.path_info.startswith(settings.STATIC_URL)
            and _view_name(request) not in ALLOWED_VIEWS
        ):
            target = reverse("access:change_password")
            if request.method in ("GET", "HEAD"):
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        return self.get_response(request)


def _view_name(request: HttpRequest) -> str | None:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None
