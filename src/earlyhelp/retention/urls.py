"""Retention pages (issue 18), under /retention/: legal holds (the IG officer's), destruction
reviews (the policy's reviewers), certificates of destruction (both)."""

from django.urls import path

from earlyhelp.retention import views

app_name = "retention"

REVIEW = "reviews/<uuid:review_id>"

urlpatterns = [
    path("holds", views.hold_list, name="holds"),
    path("holds/new", views.place_hold, name="place_hold"),
    path("holds/<uuid:hold_id>", views.hold_page, name="hold"),
    path("reviews", views.review_list, name="reviews"),
    path(REVIEW, views.review_page, name="review"),
    path(f"{REVIEW}/items/<int:item_id>/defer", views.defer, name="defer"),
    path("certificates", views.certificate_list, name="certificates"),
    path(f"{REVIEW}/certificate", views.certificate, name="certificate"),
    path(f"{REVIEW}/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
]
