from django.urls import path

from earlyhelp.extracts import views

app_name = "extracts"

urlpatterns = [
    path("", views.projects, name="projects"),
    path("<uuid:extract_id>", views.extract_detail, name="detail"),
]
