"""The information governance officer's pages for rights requests and complaints."""

from django.urls import path

from earlyhelp.rights import views

app_name = "rights"
urlpatterns = [
    path("requests/", views.request_list, name="requests"),
    path("requests/new/", views.log_request, name="log"),
    path("requests/<uuid:request_id>/", views.request_detail, name="request"),
    path("requests/<uuid:request_id>/record/<slug:action>/", views.request_action, name="action"),
    path("requests/<uuid:request_id>/letter/<slug:which>/", views.letter, name="letter"),
]
