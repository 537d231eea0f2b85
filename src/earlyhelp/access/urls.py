from django.urls import path

from earlyhelp.access import views

app_name = "access"

urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("login/code/", views.sign_in_code, name="sign_in_code"),
    path("login/authenticator/", views.enrol, name="enrol"),
    path("password/", views.change_password, name="change_password"),
    path("logout/", views.sign_out, name="logout"),
    path("signed-out/", views.signed_out, name="signed_out"),
]
