from django.urls import include, path

urlpatterns = [
    path("", include("earlyhelp.web.urls")),
    path("", include("earlyhelp.policy.urls")),
    path("accounts/", include("earlyhelp.access.urls")),
    path("staff/", include("earlyhelp.access.staff_urls")),
    path("", include("earlyhelp.people.urls")),
    path("governance/", include("earlyhelp.access.governance_urls")),
    path("", include("earlyhelp.cases.urls")),
    path("extracts/", include("earlyhelp.extracts.urls")),
    path("", include("earlyhelp.datamap.urls")),
    path("", include("earlyhelp.rights.public_urls")),
    path("rights/", include("earlyhelp.rights.urls")),
    path("rights/", include("earlyhelp.rights.scope_urls")),
    path("rights/", include("earlyhelp.rights.outcome_urls")),
    path("rights/", include("earlyhelp.bundles.urls")),
    path("", include("earlyhelp.packages.public_urls")),
    path("", include("earlyhelp.sharing.urls")),
    path("retention/", include("earlyhelp.retention.urls")),
    path("consent/", include("earlyhelp.consent.urls")),
]

# Django's default handlers render 403.html and 404.html from the web app's templates:
# pages that say what to do and name nothing internal. The 500 page is ours so that it
# still names the service (Django's renders with no context at all).
handler500 = "earlyhelp.web.views.server_error"
