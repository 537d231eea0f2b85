"""The other rights on a request: correction, erasure, restriction, objection (IG only)."""

from django.urls import path

from earlyhelp.rights import outcome_views as views

app_name = "rights_outcomes"

PERSON = "requests/<uuid:request_id>/people/<uuid:person_id>"

urlpatterns = [
    path(f"{PERSON}/correction", views.correction, name="correction"),
    path(
        f"{PERSON}/correction/<slug:record_kind>/<int:number>",
        views.correct_record,
        name="correct_record",
    ),
    path(
        f"{PERSON}/correction/contacts/<uuid:contact_id>",
        views.correct_contact,
        name="correct_contact",
    ),
    path(f"{PERSON}/erasure", views.erasure, name="erasure"),
    path(f"{PERSON}/restriction", views.restriction, name="restriction"),
    path(f"{PERSON}/objection", views.objection, name="objection"),
    path(
        "requests/<uuid:request_id>/objections/<uuid:objection_id>/withdraw",
        views.withdraw_objection,
        name="withdraw_objection",
    ),
]
