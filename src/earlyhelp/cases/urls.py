from django.urls import path

from earlyhelp.cases import (
    assessment_views,
    case_note_views,
    chronology_views,
    closure_views,
    correction_views,
    plan_views,
    session_views,
    views,
)

app_name = "cases"

urlpatterns = [
    path("cases/<uuid:case_id>", views.case_detail, name="case"),
    path("people/<uuid:person_id>/cases/new", views.open_case_view, name="open_case"),
    path("cases/<uuid:case_id>/contacts/new", views.add_contact, name="add_contact"),
    path("cases/<uuid:case_id>/contacts", views.case_contacts, name="case_contacts"),
    path(
        "cases/<uuid:case_id>/chronology",
        chronology_views.case_chronology_view,
        name="case_chronology",
    ),
    path(
        "cases/<uuid:case_id>/chronology/print",
        chronology_views.case_chronology_print,
        name="case_chronology_print",
    ),
    # The print pages of the family's and the person's chronologies (people.urls routes
    # the chronologies themselves): chronology_views serves all three.
    path(
        "families/<uuid:household_id>/chronology/print",
        chronology_views.household_chronology_print,
        name="household_chronology_print",
    ),
    path(
        "people/<uuid:person_id>/chronology/print",
        chronology_views.person_chronology_print,
        name="person_chronology_print",
    ),
    path("cases/<uuid:case_id>/documents/new", views.add_document, name="add_document"),
    path("documents/<uuid:document_id>", views.download_document, name="document"),
    path("cases/<uuid:case_id>/allocate", views.allocate, name="allocate"),
    path("cases/<uuid:case_id>/notes/new", case_note_views.add_case_note, name="add_case_note"),
    path(
        "cases/<uuid:case_id>/contacts/<uuid:contact_id>/correct",
        correction_views.correct_contact,
        name="correct_contact",
    ),
    path(
        "people/<uuid:person_id>/corrections/<slug:record_kind>/<int:number>",
        correction_views.correct_person_record,
        name="correct_person_record",
    ),
    path(
        "people/<uuid:person_id>/corrections",
        correction_views.record_corrections,
        name="record_corrections",
    ),
    path("caseload/<slug:list_name>", views.work_list_view, name="work_list"),
    path("cases/<uuid:case_id>/close", closure_views.request_closure, name="request_closure"),
    path(
        "cases/<uuid:case_id>/closures/<uuid:closure_id>",
        closure_views.closure_detail,
        name="closure",
    ),
    path(
        "cases/<uuid:case_id>/closures/<uuid:closure_id>/decide",
        closure_views.decide_closure,
        name="decide_closure",
    ),
    path("cases/<uuid:case_id>/reopen", closure_views.reopen_case, name="reopen_case"),
    path(
        "cases/<uuid:case_id>/assessments/new",
        assessment_views.start_assessment,
        name="start_assessment",
    ),
    path("assessments/<uuid:assessment_id>", assessment_views.assessment_detail, name="assessment"),
    path(
        "assessments/<uuid:assessment_id>/edit",
        assessment_views.edit_assessment,
        name="edit_assessment",
    ),
    path(
        "assessments/<uuid:assessment_id>/complete",
        assessment_views.complete_assessment,
        name="complete_assessment",
    ),
    path("cases/<uuid:case_id>/plans/new", plan_views.agree_plan, name="agree_plan"),
    path("cases/<uuid:case_id>/plans/<uuid:plan_id>", plan_views.plan_detail, name="plan"),
    path(
        "cases/<uuid:case_id>/plans/<uuid:plan_id>/goals/new",
        plan_views.add_plan_goal,
        name="add_plan_goal",
    ),
    path(
        "cases/<uuid:case_id>/plans/<uuid:plan_id>/goals/<int:goal_number>",
        plan_views.edit_plan_goal,
        name="edit_plan_goal",
    ),
    path(
        "cases/<uuid:case_id>/plans/<uuid:plan_id>/review",
        plan_views.review_plan,
        name="review_plan",
    ),
    path("sessions", session_views.session_list, name="sessions"),
    path("sessions/new", session_views.new_session, name="new_session"),
    path("sessions/<uuid:session_id>", session_views.session_detail, name="session"),
    path(
        "sessions/<uuid:session_id>/expected",
        session_views.session_expected,
        name="session_expected",
    ),
    path(
        "sessions/<uuid:session_id>/register",
        session_views.session_register,
        name="session_register",
    ),
    path(
        "sessions/<uuid:session_id>/walk-in",
        session_views.session_walk_in,
        name="session_walk_in",
    ),
]
