from django.urls import path

from earlyhelp.people import composition_views, merge_views, views

app_name = "people"

urlpatterns = [
    path("people/", views.search, name="search"),
    path("people/new", views.create_person, name="create"),
    path("people/<uuid:person_id>", views.person_detail, name="person"),
    path("people/<uuid:person_id>/edit", views.edit_person, name="edit"),
    path("people/<uuid:person_id>/merge", merge_views.merge_person, name="merge"),
    path(
        "people/<uuid:person_id>/merge/<uuid:other_id>",
        merge_views.compare_for_merge,
        name="compare_for_merge",
    ),
    path("people/<uuid:person_id>/restrict", views.restrict_person, name="restrict"),
    path(
        "people/<uuid:person_id>/restriction/lift",
        views.lift_restriction,
        name="lift_restriction",
    ),
    path("people/<uuid:person_id>/emergency-access", views.break_glass, name="break_glass"),
    path("people/<uuid:person_id>/addresses/new", views.add_address, name="add_address"),
    path(
        "people/<uuid:person_id>/contact/new", views.add_contact_method, name="add_contact_method"
    ),
    path("merges/<uuid:merge_id>/undo", merge_views.undo_person_merge, name="undo_merge"),
    path("people/<uuid:person_id>/record/<slug:kind>", views.record_fact, name="record_fact"),
    path(
        "people/<uuid:person_id>/chronology", views.person_chronology_view, name="person_chronology"
    ),
    path("families/<uuid:household_id>", views.household_detail, name="household"),
    path(
        "families/<uuid:household_id>/members/new",
        composition_views.add_household_member,
        name="add_household_member",
    ),
    path(
        "families/<uuid:household_id>/members/<uuid:person_id>/leave",
        composition_views.leave_household,
        name="leave_household",
    ),
    path(
        "people/<uuid:person_id>/relationships/new",
        composition_views.add_relationship,
        name="add_relationship",
    ),
    path(
        "families/<uuid:household_id>/chronology",
        views.household_chronology_view,
        name="household_chronology",
    ),
]
