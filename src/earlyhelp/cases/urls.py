from django.urls import path

from earlyhelp.cases import views

app_name = "cases"

urlpatterns = [
    path("cases/<uuid:case_id>", views.case_detail, name="case"),
    path("cases/<uuid:case_id>/contacts/new", views.add_contact, name="add_contact"),
]
