"""Every URL states who may use it: `public_view` or `role_required(...)`."""

from django.urls import URLPattern, URLResolver, get_resolver


def routes(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_every_route_has_an_explicit_access_rule():
    missing = [route for route, view in routes() if not hasattr(view, "access_rule")]
    assert missing == []


def test_only_sign_in_the_privacy_notice_the_rights_form_and_a_package_link_are_public():
    public = sorted(route for route, view in routes() if view.access_rule == "public")
    assert public == [
        "accounts/login/",
        "accounts/login/authenticator/",
        "accounts/login/code/",
        "accounts/logout/",
        "accounts/signed-out/",
        # A protected package's download link (a subject access bundle, a disclosure): its
        # random token is the key.
        "download/<slug:token>",
        "download/<slug:token>/file",
        "privacy-notice",
        "your-rights/",
        "your-rights/about/",
        "your-rights/check-your-answers/",
        "your-rights/complaint/",
        "your-rights/records/",
        "your-rights/reply/",
        "your-rights/request/",
        "your-rights/sent/",
        "your-rights/uses/",
        "your-rights/what/",
        "your-rights/who/",
        "your-rights/your-name/",
    ]
