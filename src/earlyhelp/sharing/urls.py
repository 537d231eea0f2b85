"""Sharing pages: from a person's page, a disclosure's own pages, and the IG officer's log."""

from django.urls import path

from earlyhelp.sharing import views

app_name = "sharing"

DISCLOSURE = "sharing/<uuid:disclosure_id>"

urlpatterns = [
    path("people/<uuid:person_id>/share", views.share_information, name="share"),
    path("people/<uuid:person_id>/not-shared", views.record_not_sharing, name="not_shared"),
    path("sharing/", views.disclosure_log, name="log"),
    path(DISCLOSURE, views.disclosure_detail, name="disclosure"),
    path(f"{DISCLOSURE}/decide", views.decide_disclosure, name="decide"),
    path(f"{DISCLOSURE}/sent", views.record_sent, name="sent"),
]
