from django.urls import path

from earlyhelp.access import governance_views as views

app_name = "governance"

urlpatterns = [
    path("emergency-access", views.emergency_access_queue, name="emergency_access"),
    path("emergency-access/<int:event_id>", views.review_emergency_access, name="review"),
    path("people/<uuid:person_id>/who-has-seen", views.who_has_seen, name="who_has_seen"),
    path(
        "people/<uuid:person_id>/who-has-seen/export",
        views.who_has_seen_export,
        name="who_has_seen_export",
    ),
    path("restrictions", views.restrictions, name="restrictions"),
    path(
        "emergency-access-notices/<uuid:notice_id>",
        views.emergency_access_notice,
        name="emergency_access_notice",
    ),
]
