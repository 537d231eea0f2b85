"""A disclosure's protected package links on its page: each one made, by whom, how it was
sent, until when it works, its downloads and its status in words; "Withdraw the link" ends
it at once (its file deleted, the link saying it has ended), and "Make a new link" ends it
and makes a new one with a new password, shown once. Both by those who may send it, with a
reason, sent once, and audited; a refused sending writes nothing."""

from __future__ import annotations

from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases import documents
from earlyhelp.packages.models import ProtectedPackage
from earlyhelp.sharing.models import Disclosure
from earlyhelp.sharing.packages import share_as_package

SCHOOL = "education"
PURPOSE = "best-interests-and-health"


def _sent(request_as, worker, family, key):
    disclosure, made = share_as_package(
        request_as(worker),
        family["yusuf"],
        how="By secure email to the school's safeguarding lead",
        recipient=SCHOOL,
        purpose=PURPOSE,
        item_keys=[key],
    )
    return disclosure, made


def _changes(disclosure: Disclosure):
    return AuditEvent.objects.filter(
        action__in=["change", "share", "export"], details__disclosure=str(disclosure.public_id)
    )


def test_the_disclosure_page_lists_its_links_with_their_status_in_words(
    client, sign_in, request_as, worker, family, assessment_key
):
    disclosure, made = _sent(request_as, worker, family, assessment_key)
    sign_in(worker)
    page = client.get(reverse("sharing:disclosure", args=[disclosure.public_id])).text
    assert "By secure email to the school&#x27;s safeguarding lead" in page
    assert ">Active</strong>" in page
    assert "Withdraw the link" in page and "Make a new link" in page
    # The link and the password are never shown again.
    assert made.token not in page and made.password not in page


def test_withdrawing_the_link_ends_downloads_at_once_and_is_audited(
    client, sign_in, request_as, worker, family, assessment_key
):
    disclosure, made = _sent(request_as, worker, family, assessment_key)
    link = reverse("packages_public:link", args=[made.token])
    assert client.get(link).status_code == 200
    sign_in(worker)
    response = client.post(
        reverse("sharing:withdraw_link", args=[disclosure.public_id]),
        {"reason": "Sent to the wrong school", "form_token": "withdraw-1"},
    )
    assert response.status_code == 302
    package = ProtectedPackage.objects.get()
    assert package.removed_at is not None and not package.is_live
    assert not documents.path_for(package.file_sha256).exists()
    client.logout()
    ended = client.get(link)
    assert ended.status_code == 404 and "This link does not work" in ended.text
    assert client.get(reverse("packages_public:link_file", args=[made.token])).status_code == 404
    event = _changes(disclosure).get(details__what="protected package link withdrawn")
    assert event.actor == worker and event.record_id == str(family["yusuf"].public_id)
    assert event.details["why"] == "Sent to the wrong school"
    assert event.details["packages"] == [str(package.public_id)]
    sign_in(worker)
    page = client.get(reverse("sharing:disclosure", args=[disclosure.public_id])).text
    assert ">Withdrawn</strong>" in page and "Withdraw the link" not in page
    # Who withdrew it and why are on the page, not only in the audit trail.
    assert (package.withdrawn_by, package.withdrawn_reason) == (worker, "Sent to the wrong school")
    assert f"by {worker.get_full_name()}: Sent to the wrong school" in page


def test_a_withdrawal_needs_a_reason_and_without_one_nothing_is_written(
    client, sign_in, request_as, worker, family, assessment_key
):
    disclosure, _made = _sent(request_as, worker, family, assessment_key)
    before = _changes(disclosure).count()
    sign_in(worker)
    response = client.post(
        reverse("sharing:withdraw_link", args=[disclosure.public_id]),
        {"reason": "  ", "form_token": "withdraw-2"},
    )
    assert response.status_code == 200
    assert "Say why the link is withdrawn" in response.text
    assert ProtectedPackage.objects.get().is_live
    assert _changes(disclosure).count() == before


def test_a_new_link_ends_the_old_one_and_gives_a_new_password_shown_once(
    client, sign_in, request_as, worker, family, assessment_key
):
    disclosure, first = _sent(request_as, worker, family, assessment_key)
    sign_in(worker)
    url = reverse("sharing:new_link", args=[disclosure.public_id])
    data = {
        "reason": "The school did not receive the password",
        "how": "By secure email to the deputy head",
        "form_token": "new-link-1",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    second = response.context["made"]
    assert second.password != first.password and second.token != first.token
    assert second.password in response.text and "The earlier link no longer works" in response.text
    old, new = ProtectedPackage.objects.order_by("pk")
    assert not old.is_live and new.is_live and new.how == "By secure email to the deputy head"
    assert old.withdrawn_by == worker
    assert old.withdrawn_reason == "A new link was made: The school did not receive the password"
    disclosure.refresh_from_db()
    assert disclosure.reference == str(new.public_id)
    client.logout()
    assert client.get(reverse("packages_public:link", args=[first.token])).status_code == 404
    assert client.get(reverse("packages_public:link", args=[second.token])).status_code == 200
    event = _changes(disclosure).get(details__what="new protected package link made")
    assert event.action == "share" and event.actor == worker
    assert event.details["why"] == "The school did not receive the password"
    assert event.details["ended"] == [str(old.public_id)]
    # Sent twice (a double click): the second sending makes nothing and shows no password.
    sign_in(worker)
    again = client.post(url, data)
    assert again.status_code == 409 and second.password not in again.text
    assert ProtectedPackage.objects.count() == 2


def test_another_teams_worker_cannot_withdraw_or_remake_the_link_and_nothing_is_written(
    client, sign_in, make_user, request_as, worker, family, assessment_key
):
    disclosure, made = _sent(request_as, worker, family, assessment_key)
    before = _changes(disclosure).count()
    sign_in(make_user("olu", Role.PRACTITIONER))
    for name, data in (
        ("sharing:withdraw_link", {"reason": "Mistake"}),
        ("sharing:new_link", {"reason": "Mistake", "how": "By email"}),
    ):
        response = client.post(reverse(name, args=[disclosure.public_id]), data)
        assert response.status_code == 403, name
    assert ProtectedPackage.objects.count() == 1 and ProtectedPackage.objects.get().is_live
    assert _changes(disclosure).count() == before
    client.logout()
    assert client.get(reverse("packages_public:link", args=[made.token])).status_code == 200


def test_the_information_governance_officer_sees_the_links_but_cannot_change_them(
    client, sign_in, make_user, request_as, worker, family, assessment_key
):
    disclosure, _made = _sent(request_as, worker, family, assessment_key)
    sign_in(make_user("gwen", Role.INFORMATION_GOVERNANCE))
    page = client.get(reverse("sharing:disclosure", args=[disclosure.public_id])).text
    assert ">Active</strong>" in page and "Withdraw the link" not in page
    response = client.post(
        reverse("sharing:withdraw_link", args=[disclosure.public_id]), {"reason": "Mistake"}
    )
    assert response.status_code == 403
    assert ProtectedPackage.objects.get().is_live


def test_a_disclosure_not_sent_as_a_package_has_no_link_to_change(
    client, sign_in, worker, family, assessment_key
):
    sign_in(worker)
    client.post(
        reverse("sharing:share", args=[family["yusuf"].public_id]),
        {
            "recipient": SCHOOL,
            "purpose": PURPOSE,
            "items": [assessment_key],
            "tell": "tell",
            "method": "secure_email",
            "reference": "EM-1",
        },
    )
    disclosure = Disclosure.objects.get()
    before = _changes(disclosure).count()
    page = client.get(reverse("sharing:new_link", args=[disclosure.public_id]))
    assert page.status_code == 200
    assert "Only a disclosure sent as a protected package has a link" in page.text
    response = client.post(
        reverse("sharing:new_link", args=[disclosure.public_id]),
        {"reason": "Lost", "how": "By email"},
    )
    assert response.status_code == 200
    assert ProtectedPackage.objects.count() == 0 and _changes(disclosure).count() == before


def test_a_new_link_does_not_mark_a_link_that_had_expired_as_withdrawn_by_staff(
    request_as, worker, family, assessment_key
):
    from datetime import timedelta

    from django.utils import timezone

    from earlyhelp.sharing.packages import new_link

    disclosure, _made = _sent(request_as, worker, family, assessment_key)
    ProtectedPackage.objects.update(expires_at=timezone.now() - timedelta(hours=1))
    new_link(request_as(worker), disclosure, how="By secure email", reason="It had expired")
    old, new = ProtectedPackage.objects.order_by("pk")
    assert old.removed_at is not None and new.is_live
    assert (old.withdrawn_by, old.withdrawn_reason) == (None, "")
