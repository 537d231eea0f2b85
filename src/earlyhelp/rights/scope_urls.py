"""The information governance officer's pages for a request's records in scope."""

from django.urls import path

from earlyhelp.rights import scope_views

app_name = "rights_scope"
urlpatterns = [
    path("requests/<uuid:request_id>/records", scope_views.find_records, name="find_records"),
    path(
        "requests/<uuid:request_id>/records/<uuid:person_id>/add",
        scope_views.add_record,
        name="add_record",
    ),
    path(
        "requests/<uuid:request_id>/records/<uuid:person_id>/remove",
        scope_views.remove_record,
        name="remove_record",
    ),
    path(
        "requests/<uuid:request_id>/children/<uuid:person_id>/parental-access",
        scope_views.child_access,
        name="child_access",
    ),
]
