"""The recipient's pages of a protected package: what the file is and how to open it, and
the file itself, through a link whose random token is the key.

Nothing about the person is shown: whoever holds the link sees only what kind of file it is
(the records asked for, or the information shared), how long the link works and how the
password comes. Every download is counted and audited (packages.services.download).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from earlyhelp.access.decorators import public_view
from earlyhelp.packages import services
from earlyhelp.packages.models import ProtectedPackage
from earlyhelp.web.forms import refusal_sentence
from earlyhelp.web.once import saved_and_shown_once

PDF = "application/pdf"
# What the link page calls the file, by kind: the recipient's words, never a name.
WHAT = {
    ProtectedPackage.Kind.ACCESS_BUNDLE: "your records",
    ProtectedPackage.Kind.DISCLOSURE: "the information shared with you",
}
HEADING = {
    ProtectedPackage.Kind.ACCESS_BUNDLE: "The records you asked for",
    ProtectedPackage.Kind.DISCLOSURE: "The information shared with you",
}


def link_made_page(
    request: HttpRequest, template: str, made: services.Made, context: dict
) -> HttpResponse:
    """The staff page showing a package just made: `template` rendered with `context` plus
    `made`, the absolute `link`, the policy's `password_words` for its kind and an empty
    `download_url` unless given. Shown once (a refresh does not make another) and never
    cached: the password is on it."""
    saved_and_shown_once(request)
    link = request.build_absolute_uri(reverse("packages_public:link", args=[made.token]))
    context = {
        "made": made,
        "link": link,
        "password_words": services.link_rules(made.package.kind).password_words,
        "download_url": "",
        **context,
    }
    response = render(request, template, context)
    response["Cache-Control"] = "no-store"
    return response


def pdf_response(data: bytes, name: str) -> HttpResponse:
    """A PDF to download, kept out of caches and never sniffed as anything else."""
    response = HttpResponse(data, content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _ended(request: HttpRequest, refusal: services.PackageRefused) -> HttpResponse:
    response = render(
        request, "packages/link_expired.html", {"why": refusal_sentence(refusal)}, status=404
    )
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@public_view
@require_safe
def link(request: HttpRequest, token: str) -> HttpResponse:
    """The recipient's page: what the file is and how to open it, or that the link has
    ended."""
    try:
        package = services.for_link(token)
        rules = services.link_rules(package.kind)
    except services.PackageRefused as refusal:
        return _ended(request, refusal)
    context = {
        "package": package,
        "token": token,
        "heading": HEADING[package.kind],
        "what": WHAT[package.kind],
        "password_words": rules.password_words,
    }
    response = render(request, "packages/link.html", context)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@public_view
@require_safe
def link_file(request: HttpRequest, token: str) -> HttpResponse:
    """The protected PDF through the link; every download counted and audited."""
    try:
        package = services.for_link(token)
        data = services.download(request, package)
    except services.PackageRefused as refusal:
        return _ended(request, refusal)
    response = pdf_response(data, package.file_name)
    response["Referrer-Policy"] = "no-referrer"
    return response
