"""Sharing pages: from a person's page, a disclosure's own pages, and the IG officer's log."""

from django.urls import path

from earlyhelp.sharing import case_views, partner_views, views

app_name = "sharing"

DISCLOSURE = "sharing/<uuid:disclosure_id>"
PARTNER_REQUEST = "sharing/partner-requests/<uuid:request_id>"

urlpatterns = [
    path("people/<uuid:person_id>/share", views.share_information, name="share"),
    path("people/<uuid:person_id>/not-shared", views.record_not_sharing, name="not_shared"),
    path("sharing/", views.disclosure_log, name="log"),
    path(DISCLOSURE, views.disclosure_detail, name="disclosure"),
    path(f"{DISCLOSURE}/decide", views.decide_disclosure, name="decide"),
    path(f"{DISCLOSURE}/sent", views.record_sent, name="sent"),
    path(f"{DISCLOSURE}/family-told", views.record_family_told, name="family_told"),
    path(f"{DISCLOSURE}/package", views.send_package, name="send_package"),
    path(f"{DISCLOSURE}/letter", views.print_letter, name="letter"),
    path(f"{DISCLOSURE}/package/withdraw", views.withdraw_link, name="withdraw_link"),
    path(f"{DISCLOSURE}/package/new-link", views.new_link, name="new_link"),
    path("cases/<uuid:case_id>/share", case_views.share_from_case, name="share_from_case"),
    # Requests from partners, moves abroad and transfers, emergencies (sharing.partner_views).
    path(
        "people/<uuid:person_id>/partner-request",
        partner_views.log_partner_request,
        name="log_partner_request",
    ),
    path("sharing/partner-requests/", partner_views.partner_request_list, name="partner_requests"),
    path(PARTNER_REQUEST, partner_views.partner_request_detail, name="partner_request"),
    path(
        f"{PARTNER_REQUEST}/approve",
        partner_views.approve_partner_request,
        name="approve_partner_request",
    ),
    path(
        f"{PARTNER_REQUEST}/share",
        partner_views.answer_partner_request,
        name="answer_partner_request",
    ),
    path(
        f"{PARTNER_REQUEST}/not-shared",
        partner_views.refuse_partner_request,
        name="refuse_partner_request",
    ),
    path("people/<uuid:person_id>/move-abroad", partner_views.record_relocation, name="relocation"),
    path("people/<uuid:person_id>/share-abroad", partner_views.share_abroad, name="share_abroad"),
    path(
        "people/<uuid:person_id>/share-in-emergency",
        partner_views.share_in_emergency,
        name="share_in_emergency",
    ),
    path(
        f"{DISCLOSURE}/emergency-approval",
        partner_views.approve_emergency,
        name="approve_emergency",
    ),
]
