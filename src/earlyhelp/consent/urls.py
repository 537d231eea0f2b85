"""Consent pages (issue 19), under /consent/: a nursery child's photo and video consents,
a parent's decision, a withdrawal, and the consents to ask parents for."""

from django.urls import path

from earlyhelp.consent import media_views, views

app_name = "consent"

CHILD = "children/<uuid:person_id>"
ITEM = "media/<uuid:item_id>"

urlpatterns = [
    path("to-ask", views.to_ask, name="to_ask"),
    path(CHILD, views.child_consents, name="child"),
    path(f"{CHILD}/decision", views.record_consent, name="record"),
    path(f"{CHILD}/withdraw", views.withdraw_consent, name="withdraw"),
    path(f"{CHILD}/media", media_views.child_media, name="child_media"),
    path(f"{CHILD}/media/erase", media_views.erase_child_media, name="erase_child_media"),
    path(
        f"{CHILD}/media/shares/<uuid:share_id>/removal-asked",
        media_views.removal_asked,
        name="removal_asked",
    ),
    path("media", media_views.queue, name="media_queue"),
    path("media/new", media_views.upload, name="media_upload"),
    path(f"{ITEM}", media_views.item_page, name="media_item"),
    path(f"{ITEM}/children", media_views.edit_tags, name="media_tags"),
    path(f"{ITEM}/preview", media_views.item_file, {"size": "preview"}, name="media_preview"),
    path(f"{ITEM}/file", media_views.item_file, {"size": "full"}, name="media_file"),
]
