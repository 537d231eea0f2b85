from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from earlyhelp.access.decorators import any_staff


@any_staff
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    role = request.user.role
    return render(request, f"web/home/{role.value}.html", {"role": role})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # The reason names Django internals; the page says only what to do.
    return render(request, "403_csrf.html", status=403)
