"""Staff accounts, for the system administrator (and approvers). Staff ids are not family data."""

from django.urls import path

from earlyhelp.access import staff_views

app_name = "staff"

urlpatterns = [
    path("", staff_views.staff_list, name="list"),
    path("new/", staff_views.staff_create, name="create"),
    path("teams/", staff_views.team_list, name="teams"),
    path("teams/new/", staff_views.team_create, name="new_team"),
    path("teams/<int:team_id>/rename/", staff_views.team_rename, name="rename_team"),
    # Requests for access, for approvers: system administrators and governance officers.
    path("requests/", staff_views.grant_requests, name="requests"),
    path("requests/<uuid:public_id>/", staff_views.grant_request, name="request"),
    path("<int:user_id>/", staff_views.staff_detail, name="detail"),
    path("<int:user_id>/set-up/", staff_views.staff_set_up, name="set_up"),
    path("<int:user_id>/change/", staff_views.staff_edit, name="edit"),
    path("<int:user_id>/deactivate/", staff_views.staff_deactivate, name="deactivate"),
    path("<int:user_id>/reactivate/", staff_views.staff_reactivate, name="reactivate"),
    path("<int:user_id>/reset-password/", staff_views.staff_reset_password, name="reset_password"),
    path(
        "<int:user_id>/reset-second-factor/",
        staff_views.staff_reset_second_factor,
        name="reset_second_factor",
    ),
]
