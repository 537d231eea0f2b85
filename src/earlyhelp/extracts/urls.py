from django.urls import path

from earlyhelp.extracts import views

app_name = "extracts"

urlpatterns = [
    path("", views.projects, name="projects"),
    path("destruction", views.destruction, name="destruction"),
    path("projects/<slug:project_id>/run", views.run_extract, name="run"),
    path("<uuid:extract_id>", views.extract_detail, name="detail"),
    path("<uuid:extract_id>/file", views.download, name="download"),
    path(
        "<uuid:extract_id>/destruction",
        views.confirm_destruction,
        name="confirm_destruction",
    ),
]
