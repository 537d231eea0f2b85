from django.urls import path

from earlyhelp.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy-notice", views.privacy_notice, name="privacy_notice"),
]
