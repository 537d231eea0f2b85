"""The subject access bundle pages (IG officer), under /rights/."""

from django.urls import path

from earlyhelp.bundles import views

app_name = "bundles"

BUNDLE = "bundles/<uuid:bundle_id>"

urlpatterns = [
    path("requests/<uuid:request_id>/bundle", views.bundle_page, name="bundle"),
    path(f"{BUNDLE}/review", views.review, name="review"),
    path(f"{BUNDLE}/redactions/<uuid:redaction_id>", views.decide, name="decide"),
    path(f"{BUNDLE}/accept-all", views.accept_all, name="accept_all"),
    path(f"{BUNDLE}/items/<int:number>/redact", views.add_redaction, name="add_redaction"),
    path(f"{BUNDLE}/items/<int:number>/withhold", views.withhold, name="withhold"),
    path(f"{BUNDLE}/items/<int:number>/include", views.release, name="release"),
    path(f"{BUNDLE}/approve", views.approve, name="approve"),
    path(f"{BUNDLE}/send", views.send, name="send"),
    path(f"{BUNDLE}/sent/<uuid:package_id>", views.officer_download, name="officer_download"),
    path(f"{BUNDLE}/schedule", views.schedule, name="schedule"),
]
