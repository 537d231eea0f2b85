"""Consent pages (issue 19), under /consent/: a nursery child's photo and video consents,
a parent's decision, a withdrawal, and the consents to ask parents for."""

from django.urls import path

from earlyhelp.consent import views

app_name = "consent"

CHILD = "children/<uuid:person_id>"

urlpatterns = [
    path("to-ask", views.to_ask, name="to_ask"),
    path(CHILD, views.child_consents, name="child"),
    path(f"{CHILD}/decision", views.record_consent, name="record"),
    path(f"{CHILD}/withdraw", views.withdraw_consent, name="withdraw"),
]
