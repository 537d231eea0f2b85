"""Every view states who may use it: `public_view`, `role_required(...)` or `own_account`.

The route test in tests/access walks every URL pattern and fails for a view
that carries neither mark.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from earlyhelp.access.roles import Role

View = Callable[..., HttpResponse]


def public_view(view: View) -> View:
    """Open to anyone, signed in or not (sign-in pages, the privacy notice)."""
    view.access_rule = "public"  # type: ignore[attr-defined]
    return view


def signed_in(request: HttpRequest) -> bool:
    """Signed in with a password *and* a second factor."""
    user = request.user
    return user.is_authenticated and user.is_active and user.is_verified()


def role_required(*roles: Role) -> Callable[[View], View]:
    """Staff with one of `roles`, signed in with their second factor."""
    if not roles:
        raise ValueError("role_required needs at least one role")

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not signed_in(request):
                return redirect_to_login(request.get_full_path())
            if request.user.must_change_password:
                # PasswordChangeRequiredMiddleware sends them there first; this is the backstop.
                return redirect("access:change_password")
            if not request.user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        guarded.access_rule = frozenset(roles)  # type: ignore[attr-defined]
        return guarded

    return decorate


def any_staff(view: View) -> View:
    """Any signed-in member of staff, whatever their role."""
    return role_required(*Role)(view)


def own_account(view: View) -> View:
    """Anyone signed in with their second factor, with or without a role: their own account.

    For the pages a person needs before any role is granted them (changing a temporary
    password); such a page shows nothing but the person's own account.
    """

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not signed_in(request):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    guarded.access_rule = "own account"  # type: ignore[attr-defined]
    return guarded
