"""Every role against every route, with real records of the user's own team and of another's."""

from datetime import date

import pytest
from django.urls import get_resolver, reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.log import record
from earlyhelp.people.merge import merge_people
from tests.access.closure_records import another_case, closure_awaiting
from tests.access.notice_records import matrix_notice
from tests.access.plan_records import plan_on
from tests.bundles.bundle_records import matrix_bundle
from tests.consent.consent_records import matrix_media
from tests.factories import (
    AssessmentFactory,
    DocumentFactory,
    ExtractFactory,
    GrantRequestFactory,
    GroupSessionFactory,
    PersonFactory,
    TeamFactory,
)
from tests.people.merge_records import matrix_other
from tests.retention.retention_records import matrix_hold, matrix_item, matrix_review
from tests.rights.outcome_records import handled_by_asker, matrix_outcomes
from tests.rights.scope_records import matrix_request
from tests.sharing.partner_records import matrix_emergency, matrix_partner_request
from tests.sharing.sharing_records import matrix_disclosure

OK, FORBIDDEN, SIGN_IN = 200, 403, "sign-in"

# Who is asking: a role, and whether the family's case is held by their team.
ASKERS = {
    "practitioner, own team": (Role.PRACTITIONER, True),
    "practitioner, other team": (Role.PRACTITIONER, False),
    "team manager, own team": (Role.TEAM_MANAGER, True),
    "team manager, other team": (Role.TEAM_MANAGER, False),
    "information governance": (Role.INFORMATION_GOVERNANCE, False),
    "analyst": (Role.ANALYST, False),
    "system administrator": (Role.SYSTEM_ADMINISTRATOR, False),
    "signed out": (None, False),
}

CASEWORK_OWN = {"practitioner, own team": OK, "team manager, own team": OK}
FAMILY_RECORD = {
    **CASEWORK_OWN,
    "practitioner, other team": FORBIDDEN,
    "team manager, other team": FORBIDDEN,
}
CASEWORK_ANY = {
    k: OK
    for k in (
        "practitioner, own team",
        "practitioner, other team",
        "team manager, own team",
        "team manager, other team",
    )
}

ADMIN = {"system administrator": OK}
NOT_FOUND = 404
MEDIA_ITEM = {
    **CASEWORK_OWN,
    "practitioner, other team": NOT_FOUND,
    "team manager, other team": NOT_FOUND,
}
DESTRUCTION_REVIEWERS = {
    "team manager, own team": OK,
    "team manager, other team": OK,
    "information governance": OK,
}

# route name -> (how to build its arguments, expected answers; anyone not listed gets 403,
# and a signed-out visitor is sent to sign in unless the route is public).
MATRIX = {
    "web:home": (
        lambda r: [],
        {**CASEWORK_ANY, "information governance": OK, "analyst": OK, "system administrator": OK},
    ),
    "policy:privacy_notice": (lambda r: [], "public"),
    "rights_public:start": (lambda r: [], "public"),
    "rights_public:what": (lambda r: [], "public"),
    "rights_public:who": (lambda r: [], "public"),
    "rights_public:your-name": (lambda r: [], "public"),
    "rights_public:request": (lambda r: [], "public"),
    "rights_public:uses": (lambda r: [], "public"),
    "rights_public:complaint": (lambda r: [], "public"),
    "rights_public:about": (lambda r: [], "public"),
    "rights_public:records": (lambda r: [], "public"),
    "rights_public:reply": (lambda r: [], "public"),
    "rights_public:check": (lambda r: [], "public"),
    "rights_public:sent": (lambda r: [], "public"),
    "policy:ropa": (lambda r: [], {"information governance": OK}),
    "datamap:data_map": (lambda r: [], {"information governance": OK}),
    "people:search": (lambda r: [], {**CASEWORK_ANY, "information governance": OK}),
    "people:create": (lambda r: [], CASEWORK_ANY),
    "people:person": (lambda r: [r["person"]], FAMILY_RECORD),
    "people:edit": (lambda r: [r["person"]], FAMILY_RECORD),
    "people:person_chronology": (lambda r: [r["person"]], FAMILY_RECORD),
    "people:record_fact": (lambda r: [r["person"], "risk"], FAMILY_RECORD),
    "people:add_address": (lambda r: [r["person"]], FAMILY_RECORD),
    "people:add_contact_method": (lambda r: [r["person"]], FAMILY_RECORD),
    "people:merge": (
        lambda r: [r["person"]],
        {"team manager, own team": OK, "team manager, other team": FORBIDDEN},
    ),
    "people:compare_for_merge": (
        lambda r: [r["person"], matrix_other(r)],
        {"team manager, own team": OK, "team manager, other team": FORBIDDEN},
    ),
    "people:restrict": (
        lambda r: [r["person"]],
        {"team manager, own team": OK, "team manager, other team": FORBIDDEN},
    ),
    "people:undo_merge": (
        lambda r: [r["merge"]],
        {"team manager, own team": OK, "team manager, other team": FORBIDDEN},
    ),
    "people:break_glass": (lambda r: [r["person"]], CASEWORK_ANY),
    "people:household": (lambda r: [r["household"]], FAMILY_RECORD),
    "people:household_chronology": (lambda r: [r["household"]], FAMILY_RECORD),
    "people:add_household_member": (lambda r: [r["household"]], FAMILY_RECORD),
    "people:leave_household": (lambda r: [r["household"], r["person"]], FAMILY_RECORD),
    "people:add_relationship": (lambda r: [r["person"]], FAMILY_RECORD),
    "cases:case": (lambda r: [r["case"]], FAMILY_RECORD),
    "cases:case_contacts": (lambda r: [r["case"]], FAMILY_RECORD),
    "cases:case_chronology": (lambda r: [r["case"]], FAMILY_RECORD),
    "cases:case_chronology_print": (lambda r: [r["case"]], FAMILY_RECORD),
    "cases:household_chronology_print": (lambda r: [r["household"]], FAMILY_RECORD),
    "cases:person_chronology_print": (lambda r: [r["person"]], FAMILY_RECORD),
    "cases:open_case": (lambda r: [r["person"]], FAMILY_RECORD),
    "cases:add_contact": (lambda r: [r["case"]], FAMILY_RECORD),
    "cases:add_document": (lambda r: [r["case"]], FAMILY_RECORD),
    "cases:document": (lambda r: [r["document"]], FAMILY_RECORD),
    # Allocation: a manager of the case's own team only.
    "cases:allocate": (
        lambda r: [r["case"]],
        {"team manager, own team": OK, "team manager, other team": FORBIDDEN},
    ),
    # One's own work list; the team's lists are a manager's (tests/cases/test_work_lists.py).
    "cases:work_list": (lambda r: ["mine"], CASEWORK_ANY),
    "cases:start_assessment": (lambda r: [r["case"]], FAMILY_RECORD),
    "cases:assessment": (lambda r: [r["assessment"]], FAMILY_RECORD),
    "cases:edit_assessment": (lambda r: [r["assessment"]], FAMILY_RECORD),
    "cases:complete_assessment": (lambda r: [r["assessment"]], FAMILY_RECORD),
    "cases:agree_plan": (lambda r: [r["case"]], FAMILY_RECORD),
    "cases:plan": (lambda r: [r["case"], r["plan"]], FAMILY_RECORD),
    "cases:add_plan_goal": (lambda r: [r["case"], r["plan"]], FAMILY_RECORD),
    "cases:edit_plan_goal": (lambda r: [r["case"], r["plan"], 1], FAMILY_RECORD),
    "cases:review_plan": (lambda r: [r["case"], r["plan"]], FAMILY_RECORD),
    # Group sessions: the list and the create form are any caseworker's; a session's pages
    # are its runners' and its service's teams' (the session is of the own team's service).
    "cases:sessions": (lambda r: [], CASEWORK_ANY),
    "cases:new_session": (lambda r: [], CASEWORK_ANY),
    "cases:session": (lambda r: [r["session"]], FAMILY_RECORD),
    "cases:session_expected": (lambda r: [r["session"]], FAMILY_RECORD),
    "cases:session_register": (lambda r: [r["session"]], FAMILY_RECORD),
    "cases:session_walk_in": (lambda r: [r["session"]], FAMILY_RECORD),
    # Closure: requested and reopened by the case's team; signed off by a manager of it.
    "cases:request_closure": (lambda r: [r["open_case"]], FAMILY_RECORD),
    "cases:closure": (lambda r: [r["case"], r["closure"]], FAMILY_RECORD),
    "cases:decide_closure": (
        lambda r: [r["case"], r["closure"]],
        {"team manager, own team": OK, "team manager, other team": FORBIDDEN},
    ),
    "cases:reopen_case": (lambda r: [r["closed_case"]], FAMILY_RECORD),
    "cases:add_case_note": (lambda r: [r["case"]], FAMILY_RECORD),
    "cases:correct_contact": (lambda r: [r["case"], r["contact"]], FAMILY_RECORD),
    "cases:correct_person_record": (
        lambda r: [r["person"], "relationship", 1],
        FAMILY_RECORD,
    ),
    # Corrections with the versions before: the information governance officer's.
    "cases:record_corrections": (lambda r: [r["person"]], {"information governance": OK}),
    "staff:list": (lambda r: [], ADMIN),
    "staff:create": (lambda r: [], ADMIN),
    "staff:detail": (lambda r: [r["staff"]], ADMIN),
    "staff:edit": (lambda r: [r["staff"]], ADMIN),
    "staff:reset_password": (lambda r: [r["staff"]], ADMIN),
    "staff:reset_second_factor": (lambda r: [r["staff"]], ADMIN),
    # Requests for access: decided by administrators and governance officers; staff only.
    "staff:requests": (lambda r: [], {**ADMIN, "information governance": OK}),
    "staff:request": (lambda r: [r["grant"]], {**ADMIN, "information governance": OK}),
    # One's own password: anyone signed in, whatever their role.
    "access:change_password": (lambda r: [], {asker: OK for asker in ASKERS}),
    "governance:emergency_access": (lambda r: [], {"information governance": OK}),
    "governance:review": (lambda r: [r["flagged_event"]], {"information governance": OK}),
    "governance:who_has_seen": (lambda r: [r["person"]], {"information governance": OK}),
    "governance:who_has_seen_export": (lambda r: [r["person"]], {"information governance": OK}),
    # A manager's notice that an emergency access was not justified: their own only (this
    # one is another manager's: not found); no other role has any.
    "governance:emergency_access_notice": (
        lambda r: [matrix_notice(r)],
        {"team manager, own team": NOT_FOUND, "team manager, other team": NOT_FOUND},
    ),
    # A rights request's records in scope: the information governance officer's pages.
    "rights_scope:find_records": (lambda r: [matrix_request(r)], {"information governance": OK}),
    "rights_scope:add_record": (
        lambda r: [matrix_request(r), r["person"]],
        {"information governance": OK},
    ),
    "rights_scope:remove_record": (
        lambda r: [matrix_request(r), r["person"]],
        {"information governance": OK},
    ),
    "rights_scope:child_access": (
        lambda r: [matrix_request(r), r["person"]],
        {"information governance": OK},
    ),
    "extracts:projects": (lambda r: [], {"information governance": OK, "analyst": OK}),
    "extracts:detail": (lambda r: [r["extract"]], {"information governance": OK, "analyst": OK}),
    # Running an extract from the screen is the analyst's alone (issue 20, item 5); the
    # matrix's extract was made by no one from the screen, so its file is gone (410).
    "extracts:run": (lambda r: ["liia"], {"analyst": OK}),
    "extracts:download": (lambda r: [r["extract"]], {"analyst": 410}),
    # The recipient's destruction of an extract: tracked and confirmed by the IG officer (issue 18).
    "extracts:destruction": (lambda r: [], {"information governance": OK}),
    "extracts:confirm_destruction": (lambda r: [r["extract"]], {"information governance": OK}),
    # The other rights on a request: the information governance officer only.
    "rights_outcomes:correction": (
        lambda r: handled_by_asker(r, r["person"]),
        {"information governance": OK},
    ),
    "rights_outcomes:correct_record": (
        lambda r: handled_by_asker(r, r["person"], "relationship", 1),
        {"information governance": OK},
    ),
    "rights_outcomes:correct_contact": (
        lambda r: handled_by_asker(r, r["person"], r["contact"]),
        {"information governance": OK},
    ),
    "rights_outcomes:erasure": (
        lambda r: handled_by_asker(r, r["person"]),
        {"information governance": OK},
    ),
    "rights_outcomes:restriction": (
        lambda r: handled_by_asker(r, r["person"]),
        {"information governance": OK},
    ),
    "rights_outcomes:objection": (
        lambda r: handled_by_asker(r, r["person"]),
        {"information governance": OK},
    ),
    "rights_outcomes:withdraw_objection": (
        lambda r: handled_by_asker(r, r["outcomes"]["objection"]),
        {"information governance": OK},
    ),
    # Rights requests and complaints: the information governance officer's (issue 15).
    "rights:requests": (lambda r: [], {"information governance": OK}),
    "rights:log": (lambda r: [], {"information governance": OK}),
    "rights:request": (lambda r: [r["logged_rights_request"]], {"information governance": OK}),
    "rights:action": (
        lambda r: [r["logged_rights_request"], "assign"],
        {"information governance": OK},
    ),
    "rights:letter": (
        lambda r: [r["logged_rights_request"], "outcome"],
        {"information governance": OK},
    ),
    # Subject access bundles: the officer handling the request (issue 16); the requester's
    # link is public, its token the key.
    "bundles:bundle": (lambda r: [matrix_bundle(r)["request"]], {"information governance": OK}),
    "bundles:review": (lambda r: [matrix_bundle(r)["bundle"]], {"information governance": OK}),
    "bundles:add_redaction": (
        lambda r: [matrix_bundle(r)["bundle"], 1],
        {"information governance": OK},
    ),
    "bundles:withhold": (
        lambda r: [matrix_bundle(r)["bundle"], 1],
        {"information governance": OK},
    ),
    "bundles:send": (
        lambda r: [matrix_bundle(r, "approved")["bundle"]],
        {"information governance": OK},
    ),
    "bundles:officer_download": (
        lambda r: (lambda b: [b["bundle"], b["delivery"]])(matrix_bundle(r, "sent")),
        {"information governance": OK},
    ),
    "bundles:schedule": (
        lambda r: [matrix_bundle(r, "approved")["bundle"]],
        {"information governance": OK},
    ),
    # A protected package's link (a bundle's here; a disclosure's is the same route): public,
    # its token the key (issue 17 item 4: the one export mechanism).
    "packages_public:link": (lambda r: [matrix_bundle(r, "sent")["token"]], "public"),
    "packages_public:link_file": (lambda r: [matrix_bundle(r, "sent")["token"]], "public"),
    # Sharing (issue 17): from the person's page, by those who may open it for casework; a
    # disclosure's page also by the IG officer, whose list of every disclosure it is; the
    # approval by a manager of the family's team (someone else made the disclosure).
    "sharing:share": (lambda r: [r["person"]], FAMILY_RECORD),
    # Nursery photo and video consent (issue 19): casework staff with need-to-know access to
    # the child; the list of consents to ask for is each worker's own.
    "consent:child": (lambda r: [r["person"]], FAMILY_RECORD),
    "consent:record": (lambda r: [r["person"]], FAMILY_RECORD),
    "consent:withdraw": (lambda r: [r["person"]], FAMILY_RECORD),
    "consent:to_ask": (lambda r: [], CASEWORK_ANY),
    # Nursery photos and videos: the queue and the upload form are each worker's own (their
    # nursery teams'); an item opens to its team with access to every child in it, and to
    # no one else it is not found (404: not even that it exists); a child's photos and
    # their erasure, to casework with need-to-know.
    # Restrictions (issue 20): the IG officer's list of every one; lifting one opens only on
    # a restricted record (none here: not found), to managers and the IG officer.
    "governance:restrictions": (lambda r: [], {"information governance": OK}),
    # Teams (issue 20): the system administrator's.
    "staff:teams": (lambda r: [], ADMIN),
    # A temporary password shown once after the form that made it (none waiting here).
    "staff:set_up": (lambda r: [r["staff"]], ADMIN),
    "staff:new_team": (lambda r: [], ADMIN),
    "staff:rename_team": (lambda r: [matrix_team(r)], ADMIN),
    "people:lift_restriction": (
        lambda r: [r["person"]],
        {
            "team manager, own team": NOT_FOUND,
            "team manager, other team": NOT_FOUND,
            "information governance": NOT_FOUND,
        },
    ),
    "consent:media_queue": (lambda r: [], CASEWORK_ANY),
    "consent:media_upload": (lambda r: [], CASEWORK_ANY),
    "consent:media_item": (lambda r: [matrix_media(r)], MEDIA_ITEM),
    "consent:media_tags": (lambda r: [matrix_media(r)], MEDIA_ITEM),
    "consent:media_preview": (lambda r: [matrix_media(r)], MEDIA_ITEM),
    "consent:media_file": (lambda r: [matrix_media(r)], MEDIA_ITEM),
    "consent:child_media": (lambda r: [r["person"]], FAMILY_RECORD),
    "consent:erase_child_media": (lambda r: [r["person"]], FAMILY_RECORD),
    "sharing:not_shared": (lambda r: [r["person"]], FAMILY_RECORD),
    "sharing:log": (lambda r: [], {"information governance": OK}),
    "sharing:disclosure": (
        lambda r: [matrix_disclosure(r)],
        {**FAMILY_RECORD, "information governance": OK},
    ),
    "sharing:decide": (
        lambda r: [matrix_disclosure(r, "waiting")],
        {"team manager, own team": OK, "team manager, other team": FORBIDDEN},
    ),
    "sharing:sent": (lambda r: [matrix_disclosure(r, "approved")], FAMILY_RECORD),
    "sharing:family_told": (lambda r: [matrix_disclosure(r, "shared")], FAMILY_RECORD),
    # Partners' requests, moves abroad and transfers, emergencies (issue 17, items 5-7): logged
    # and answered by casework with need-to-know; the open list and approval by the IG officer
    # or a manager of the family's team (someone else logged it); an emergency share's
    # approval by a manager of the family's team.
    "sharing:log_partner_request": (lambda r: [r["person"]], FAMILY_RECORD),
    "sharing:partner_requests": (
        lambda r: [],
        {
            "team manager, own team": OK,
            "team manager, other team": OK,
            "information governance": OK,
        },
    ),
    "sharing:partner_request": (
        lambda r: [matrix_partner_request(r)],
        {**FAMILY_RECORD, "information governance": OK},
    ),
    "sharing:approve_partner_request": (
        lambda r: [matrix_partner_request(r)],
        {
            "team manager, own team": OK,
            "team manager, other team": FORBIDDEN,
            "information governance": OK,
        },
    ),
    "sharing:answer_partner_request": (
        lambda r: [matrix_partner_request(r, "approved")],
        FAMILY_RECORD,
    ),
    "sharing:refuse_partner_request": (lambda r: [matrix_partner_request(r)], FAMILY_RECORD),
    "sharing:relocation": (lambda r: [r["person"]], FAMILY_RECORD),
    "sharing:share_abroad": (lambda r: [r["person"]], FAMILY_RECORD),
    "sharing:share_in_emergency": (lambda r: [r["person"]], FAMILY_RECORD),
    "sharing:approve_emergency": (
        lambda r: [matrix_emergency(r)],
        {"team manager, own team": OK, "team manager, other team": FORBIDDEN},
    ),
    "sharing:send_package": (lambda r: [matrix_disclosure(r, "approved")], FAMILY_RECORD),
    # The letter to the family, to print: opened as the disclosure's page is. A package's
    # link withdrawn or made again: by those who may send it (casework with need-to-know).
    "sharing:letter": (
        lambda r: [matrix_disclosure(r, "shared")],
        {**FAMILY_RECORD, "information governance": OK},
    ),
    "sharing:withdraw_link": (lambda r: [matrix_disclosure(r, "shared")], FAMILY_RECORD),
    "sharing:new_link": (lambda r: [matrix_disclosure(r, "shared")], FAMILY_RECORD),
    # Sharing from a case page: choose the member, by those who may open the case.
    "sharing:share_from_case": (lambda r: [r["case"]], FAMILY_RECORD),
    # Retention (issue 18): legal holds are the IG officer's; destruction reviews are the
    # roles the policy names as reviewers (camden.toml: team managers of any team and the IG
    # officer); certificates are the IG officer's and the reviewers'.
    "retention:holds": (lambda r: [], {"information governance": OK}),
    "retention:place_hold": (lambda r: [], {"information governance": OK}),
    "retention:hold": (lambda r: [matrix_hold(r)], {"information governance": OK}),
    "retention:reviews": (lambda r: [], DESTRUCTION_REVIEWERS),
    "retention:review": (lambda r: [matrix_review(r)], DESTRUCTION_REVIEWERS),
    "retention:defer": (lambda r: matrix_item(r), DESTRUCTION_REVIEWERS),
    "retention:certificates": (lambda r: [], DESTRUCTION_REVIEWERS),
    "retention:certificate": (
        lambda r: [matrix_review(r, "destroyed")],
        DESTRUCTION_REVIEWERS,
    ),
    "retention:certificate_pdf": (
        lambda r: [matrix_review(r, "destroyed")],
        DESTRUCTION_REVIEWERS,
    ),
}
# Routes that only take a POST, or that end a session: checked by their own tests.
NOT_GET = {
    "access:logout",
    "staff:deactivate",
    "staff:reactivate",
    "bundles:decide",
    "bundles:accept_all",
    "bundles:release",
    "bundles:approve",
    "consent:removal_asked",
}
SIGN_IN_FLOW = {"access:login", "access:sign_in_code", "access:enrol", "access:signed_out"}


def matrix_team(records: dict) -> int:
    """The team holding the family's case (a team's id is not family data)."""
    from earlyhelp.cases.models import Case

    return Case.objects.get(public_id=records["case"]).team_id


def test_the_matrix_covers_every_route():
    names = set()
    for namespace, (_, sub) in get_resolver().namespace_dict.items():
        names |= {f"{namespace}:{name}" for name in sub.reverse_dict if isinstance(name, str)}
    assert names - set(MATRIX) - NOT_GET - SIGN_IN_FLOW == set()


@pytest.fixture
def records(family, case, settings, tmp_path, make_user):
    settings.DOCUMENTS_DIR = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    from earlyhelp.cases.documents import store

    sha, size = store(SimpleUploadedFile("r.pdf", b"%PDF-1.7 test"))
    document = DocumentFactory(
        case=case,
        kind="report",
        title="Report",
        content_type="application/pdf",
        size=size,
        sha256=sha,
    )
    duplicate = PersonFactory(
        given_name="Yusef",
        family_name="Haddad",
        date_of_birth=family["yusuf"].date_of_birth,
        unidentified=True,
    )
    merge = merge_people(family["yusuf"], duplicate, make_user("merger"), "Same child")
    flagged = record(
        None,
        action="break_glass",
        record_type="person",
        record_id=family["yusuf"].public_id,
        reason="test",
        flagged=True,
    )
    someone = make_user("someone")
    closer = make_user("closer", Role.PRACTITIONER)  # asked to close the case
    case.team.members.add(closer)
    grant = GrantRequestFactory(
        account=someone,
        roles=[Role.PRACTITIONER.value],
        requested_by=make_user("requester", Role.SYSTEM_ADMINISTRATOR),
    )
    from tests.rights.staff_records import logged_request

    return {
        "logged_rights_request": logged_request().public_id,
        "staff": someone.pk,
        "grant": grant.public_id,
        "flagged_event": flagged.pk,
        "person": family["yusuf"].public_id,
        "household": family["household"].public_id,
        "case": case.public_id,
        "document": document.public_id,
        "assessment": AssessmentFactory(case=case, started=case.started).public_id,
        "plan": plan_on(case).public_id,
        "session": GroupSessionFactory(service=case.team.service).public_id,
        "closure": closure_awaiting(case, closer).public_id,
        "open_case": another_case(case).public_id,
        "closed_case": another_case(case, closed_on=date(2026, 11, 1)).public_id,
        "merge": merge.public_id,
        "contact": case.contacts.create(
            kind="home_visit", occurred_at=case.created_at, note="Visited"
        ).public_id,
        "outcomes": matrix_outcomes(family["yusuf"], make_user("outcome-officer")),
        "extract": ExtractFactory(
            project="liia",
            mode="database",
            policy_version="test",
            extract_date="2026-01-01",
            rows=3,
            manifest={"columns": [], "files": []},
        ).public_id,
    }


@pytest.mark.parametrize("asker", list(ASKERS))
@pytest.mark.parametrize("route", list(MATRIX))
def test_role_gets_the_answer_the_matrix_says(
    client, make_user, sign_in, team, records, asker, route
):
    role, own_team = ASKERS[asker]
    if role is not None:
        user = make_user("asker", role)
        (team if own_team else TeamFactory(name="Other", service="iyss")).members.add(user)
        sign_in(user)
    build, expected = MATRIX[route]
    response = client.get(reverse(route, args=build(records)))
    if expected == "public":
        assert response.status_code == OK
    elif role is None:
        assert response.status_code == 302 and response.url.startswith(reverse("access:login"))
    else:
        assert response.status_code == expected.get(asker, FORBIDDEN), (asker, route)
