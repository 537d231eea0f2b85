from django.urls import path

from earlyhelp.datamap import views

app_name = "datamap"

urlpatterns = [
    path("policy/data-map", views.data_map, name="data_map"),
]
