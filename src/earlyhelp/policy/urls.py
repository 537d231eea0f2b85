from django.urls import path

from earlyhelp.policy import views

app_name = "policy"

urlpatterns = [
    path("privacy-notice", views.privacy_notice, name="privacy_notice"),
    path("policy/record-of-processing", views.record_of_processing, name="ropa"),
]
