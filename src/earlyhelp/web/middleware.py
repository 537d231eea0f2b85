"""Responses to signed-in staff are never kept by a browser or a proxy."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class NoStoreForSignedInMiddleware:
    """`Cache-Control: no-store, private` on every response to a signed-in user.

    Pages and downloads with family data are only ever served to signed-in staff; a copy
    left in a shared computer's cache, or a proxy's, would outlive the session. Static
    files (served before this middleware runs, by WhiteNoise) keep their long caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path_info.startswith(settings.STATIC_URL)
        ):
            patch_cache_control(response, no_store=True, private=True)
        return response
