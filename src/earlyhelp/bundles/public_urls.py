"""The requester's download link (public: the link's random token is the key)."""

from django.urls import path

from earlyhelp.bundles import views

app_name = "bundles_public"

urlpatterns = [
    path("your-records/<slug:token>", views.link, name="link"),
    path("your-records/<slug:token>/file", views.link_file, name="link_file"),
]
