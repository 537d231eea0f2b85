"""Nothing a signed-in member of staff is shown is kept by a browser or proxy cache."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.cases.documents import store
from earlyhelp.web.middleware import NoStoreForSignedInMiddleware
from tests.factories import DocumentFactory


def never_stored(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.mark.django_db
def test_person_page_is_never_stored(client, practitioner, family):
    response = client.get(reverse("people:person", args=[family["yusuf"].public_id]))
    assert response.status_code == 200
    assert never_stored(response)


@pytest.mark.django_db
def test_case_page_is_never_stored(client, practitioner, case):
    response = client.get(reverse("cases:case", args=[case.public_id]))
    assert response.status_code == 200
    assert never_stored(response)


@pytest.mark.django_db
def test_document_download_is_never_stored(client, practitioner, case, settings, tmp_path):
    settings.DOCUMENTS_DIR = tmp_path
    sha, size = store(SimpleUploadedFile("report.pdf", b"%PDF-1.7 a report"))
    document = DocumentFactory(
        case=case,
        kind="report",
        title="Report",
        content_type="application/pdf",
        size=size,
        sha256=sha,
    )
    response = client.get(reverse("cases:document", args=[document.public_id]))
    assert response.status_code == 200
    assert never_stored(response)


@pytest.mark.django_db
def test_home_and_staff_pages_are_never_stored_either(client, make_user, sign_in):
    sign_in(make_user("alex", Role.SYSTEM_ADMINISTRATOR))
    for url in (reverse("web:home"), reverse("staff:list")):
        assert never_stored(client.get(url)), url


@pytest.mark.django_db
def test_public_pages_for_a_signed_out_visitor_are_left_alone(client):
    response = client.get(reverse("policy:privacy_notice"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_static_files_keep_their_long_caching_for_signed_in_staff(make_user):
    request = RequestFactory().get("/static/earlyhelp.css")
    request.user = make_user("worker")

    def static_file(request):
        response = HttpResponse("body{}", content_type="text/css")
        response["Cache-Control"] = "max-age=315360000, public, immutable"
        return response

    response = NoStoreForSignedInMiddleware(static_file)(request)
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
