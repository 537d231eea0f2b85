"""A protected package's download link (public: the link's random token is the key)."""

from django.urls import path

from earlyhelp.packages import views

app_name = "packages_public"

urlpatterns = [
    path("download/<slug:token>", views.link, name="link"),
    path("download/<slug:token>/file", views.link_file, name="link_file"),
]
