"""Every view states who may use it: `public_view` or `role_required(...)`.

The route test in tests/access walks every URL pattern and fails for a view
that carries neither mark.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

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
            if not request.user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        guarded.access_rule = frozenset(roles)  # type: ignore[attr-defined]
        return guarded

    return decorate


def any_staff(view: View) -> View:
    """Any signed-in member of staff, whatever their role."""
    return role_required(*Role)(view)
