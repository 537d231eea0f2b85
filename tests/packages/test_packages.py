"""The one protected-export mechanism (issue 17 item 4): a package opens only with its
password, its link expires, a newer package ends the older link, every download is counted
and audited against each person it carries, and no URL or public page names anyone."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.bundles.render import all_text
from earlyhelp.cases import documents
from earlyhelp.packages import services
from earlyhelp.packages.models import ProtectedPackage
from earlyhelp.policy.loader import PolicyError, load_policy
from tests.packages.conftest import SECRET_LINE
from tests.policy import camden_dict, write_policy

BUNDLE = ProtectedPackage.Kind.ACCESS_BUNDLE
DISCLOSURE = ProtectedPackage.Kind.DISCLOSURE
NAMES = ("Yusuf", "Haddad", "Leila", "Amira")


@pytest.fixture
def staff(make_user):
    return make_user("ines", Role.INFORMATION_GOVERNANCE)


@pytest.fixture
def make(request_as, staff, family, pdf):
    """make() for a package of `kind` carrying Yusuf and Leila, owned by `owner`."""

    def make_package(kind: str = DISCLOSURE, owner: uuid.UUID | None = None) -> services.Made:
        return services.make(
            request_as(staff),
            pdf,
            kind=kind,
            owner_public_id=owner or uuid.uuid4(),
            how="By secure email",
            people=[family["yusuf"], family["leila"]],
            reason="Disclosure test",
            rule="agreement:notice-education",
            file_name="disclosure-test.pdf",
        )

    return make_package


def _anonymous(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    return request


def test_the_pdf_opens_only_with_the_password_shown_once(make):
    made = make()
    data = documents.read(made.package.file_sha256)
    reader = PdfReader(io.BytesIO(data))
    assert reader.is_encrypted
    assert reader.decrypt("AAAA-BBBB-CCCC-DDDD") == 0
    assert SECRET_LINE not in data.decode("latin-1")
    assert SECRET_LINE in " ".join(all_text(data, made.password).split())
    # Neither the password nor the token is kept.
    row = ProtectedPackage.objects.filter(pk=made.package.pk).values().get()
    assert made.password not in str(row) and made.token not in str(row)


def test_the_link_expires_after_the_policys_hours_for_its_kind(make, settings):
    from earlyhelp.policy.active import active_policy

    policy = active_policy()
    bundle = make(BUNDLE).package
    disclosure = make(DISCLOSURE).package
    for package, hours in (
        (bundle, policy.rights.access_bundle.link_expires_hours),
        (disclosure, policy.sharing.package.link_expires_hours),
    ):
        lasts = package.expires_at - package.made_at
        assert abs(lasts - timedelta(hours=hours)) < timedelta(minutes=1)
    assert (
        policy.sharing.package.link_expires_hours != policy.rights.access_bundle.link_expires_hours
    )


def test_a_link_past_its_expiry_opens_and_downloads_nothing_and_the_command_deletes_the_file(
    make, client
):
    made = make()
    ProtectedPackage.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(services.PackageRefused, match=r"^link: "):
        services.for_link(made.token)
    before = AuditEvent.objects.count()
    for name in ("link", "link_file"):
        response = client.get(reverse(f"packages_public:{name}", args=[made.token]))
        assert response.status_code == 404
        assert "expired or is not valid" in response.content.decode()
    assert AuditEvent.objects.count() == before
    made.package.refresh_from_db()
    assert made.package.downloads == 0
    out = io.StringIO()
    call_command("packages", "expire", stdout=out)
    assert "Removed 1" in out.getvalue()
    assert not documents.path_for(made.package.file_sha256).exists()
    call_command("packages", "expire", stdout=out)
    assert "No link has expired" in out.getvalue()


def test_the_bundles_expire_command_still_expires_packages(make):
    made = make(BUNDLE)
    ProtectedPackage.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    out = io.StringIO()
    call_command("bundles", "expire", stdout=out)
    assert "Removed 1" in out.getvalue()
    assert not documents.path_for(made.package.file_sha256).exists()


def test_a_second_package_for_the_same_record_stops_the_first_link_and_deletes_its_file(make):
    owner = uuid.uuid4()
    first = make(owner=owner)
    other = make(owner=uuid.uuid4())
    second = make(owner=owner)
    with pytest.raises(services.PackageRefused, match=r"^link: "):
        services.for_link(first.token)
    assert not documents.path_for(first.package.file_sha256).exists()
    assert services.for_link(second.token) == second.package
    # Another record's link is untouched.
    assert services.for_link(other.token) == other.package


def test_a_package_of_another_kind_with_the_same_owner_id_is_not_ended(make):
    owner = uuid.uuid4()
    bundle = make(BUNDLE, owner)
    make(DISCLOSURE, owner)
    assert services.for_link(bundle.token) == bundle.package


def test_each_download_is_counted_and_audited_against_each_person_it_carries(make, rf, family):
    made = make()
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    for _ in range(2):
        services.download(_anonymous(rf), services.for_link(made.token))
    made.package.refresh_from_db()
    assert made.package.downloads == 2
    events = AuditEvent.objects.exclude(pk__in=before).filter(action="export")
    people = sorted(events.values_list("record_id", flat=True))
    yusuf, leila = str(family["yusuf"].public_id), str(family["leila"].public_id)
    assert people == sorted([yusuf, yusuf, leila, leila])
    assert {e.details["what"] for e in events} == {"disclosure downloaded (link)"}
    assert {e.rule for e in events} == {"agreement:notice-education"}
    assert sorted(e.details["download"] for e in events) == [1, 1, 2, 2]


def test_a_download_after_the_link_was_replaced_is_refused_and_not_counted(make, rf):
    owner = uuid.uuid4()
    first = make(owner=owner)
    make(owner=owner)
    with pytest.raises(services.PackageRefused):
        services.download(_anonymous(rf), first.package)
    first.package.refresh_from_db()
    assert first.package.downloads == 0


def test_the_public_pages_and_urls_carry_no_personal_data(make, client, family):
    made = make(BUNDLE)
    url = reverse("packages_public:link", args=[made.token])
    file_url = reverse("packages_public:link_file", args=[made.token])
    assert url == f"/download/{made.token}"
    page = client.get(url)
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store" and page["Referrer-Policy"] == "no-referrer"
    body = page.content.decode()
    for word in (*NAMES, str(family["yusuf"].public_id), str(made.package.owner_public_id)):
        assert word not in body
        assert word not in url and word not in file_url
    download = client.get(file_url)
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="disclosure-test.pdf"'


@pytest.mark.parametrize(
    ("kind", "heading"),
    [(BUNDLE, "The records you asked for"), (DISCLOSURE, "The information shared with you")],
)
def test_the_link_page_says_what_the_file_is_in_the_recipients_words(make, client, kind, heading):
    from earlyhelp.policy.active import active_policy

    made = make(kind)
    body = client.get(reverse("packages_public:link", args=[made.token])).content.decode()
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in body
    policy = active_policy()
    words = (
        policy.rights.access_bundle.password_words
        if kind == BUNDLE
        else policy.sharing.package.password_words
    )
    assert words in body


def test_a_package_needs_how_its_link_is_sent(make, request_as, staff, family, pdf):
    with pytest.raises(services.PackageRefused, match=r"^how: "):
        services.make(
            request_as(staff),
            pdf,
            kind=DISCLOSURE,
            owner_public_id=uuid.uuid4(),
            how="  ",
            people=[family["yusuf"]],
            reason="Disclosure test",
            file_name="disclosure-test.pdf",
        )
    assert not ProtectedPackage.objects.exists()


def test_a_file_name_that_could_name_a_person_or_a_path_is_refused(request_as, staff, family, pdf):
    for name in ("../x.pdf", "Yusuf Haddad.pdf", "x.exe"):
        with pytest.raises(ValueError, match="file name"):
            services.make(
                request_as(staff),
                pdf,
                kind=DISCLOSURE,
                owner_public_id=uuid.uuid4(),
                how="By email",
                people=[family["yusuf"]],
                reason="Disclosure test",
                file_name=name,
            )


def test_without_the_policys_package_section_a_disclosure_package_is_refused(
    settings, tmp_path, make
):
    data = camden_dict()
    del data["sharing"]["package"]
    settings.POLICY_PATH = write_policy(tmp_path, data)
    with pytest.raises(services.PackageRefused, match=r"^policy: .*\[sharing\.package\]"):
        make(DISCLOSURE)
    assert make(BUNDLE).package.kind == BUNDLE


@pytest.mark.parametrize("hours", [0, 24 * 31 + 1])
def test_the_policy_refuses_a_disclosure_link_that_never_works_or_lasts_over_a_month(
    tmp_path, hours
):
    data = camden_dict()
    data["sharing"]["package"]["link_expires_hours"] = hours
    with pytest.raises(PolicyError, match="link_expires_hours"):
        load_policy(write_policy(tmp_path, data))


def test_the_data_map_lists_the_package_sent_about_each_person_it_carries(
    make, family, staff, tmp_path
):
    from earlyhelp.datamap.export import export_subject

    make()
    for person in (family["yusuf"], family["leila"]):
        exported = export_subject(person, tmp_path / str(person.pk), staff)
        assert exported.rows_by_model["packages.ProtectedPackage"] == 1
    assert (
        export_subject(family["mum"], tmp_path / "mum", staff).rows_by_model.get(
            "packages.ProtectedPackage", 0
        )
        == 0
    )
