"""Extracts run from the screen (issue 20, item 5), as a hostile tester tried them: the
period the policy sets for holding a file on the server is a plausible one (a copy to
download, not a store), and a file is held no longer than the policy says now: a period
shortened or taken out after the file was made ends its time sooner."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases import documents
from earlyhelp.extracts import held
from earlyhelp.extracts.models import Extract
from earlyhelp.policy.loader import PolicyError, load_policy
from tests.extracts.screen_records import screen_keys
from tests.extracts.test_extract_from_the_screen import run
from tests.policy import camden_dict, write_policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(make_user, sign_in, case, settings, tmp_path):
    screen_keys(settings, tmp_path)
    user = make_user("anwen", Role.ANALYST)
    sign_in(user)
    return user


def _liia_held_for(tmp_path, period: dict | None):
    data = camden_dict()
    liia = next(p for p in data["projects"] if p["id"] == "liia")
    if period is None:
        liia.pop("held_on_server_for", None)
    else:
        liia["held_on_server_for"] = period
    return write_policy(tmp_path, data)


@pytest.mark.parametrize("period", [{"years": 100}, {"months": 2}, {"days": 32}, {"years": 9000}])
def test_the_policy_refuses_holding_files_on_the_server_for_longer_than_a_month(tmp_path, period):
    with pytest.raises(PolicyError, match=r"held_on_server_for.*at most 31 days"):
        load_policy(_liia_held_for(tmp_path, period))


@pytest.mark.parametrize("period", [{"days": 1}, {"days": 31}, {"months": 1}])
def test_the_policy_takes_a_holding_period_of_up_to_a_month(tmp_path, period):
    load_policy(_liia_held_for(tmp_path, period))


def test_a_file_is_deleted_when_the_policy_shortens_its_period_after_it_was_made(
    client, analyst, settings, tmp_path
):
    _, extract = run(client)
    Extract.objects.filter(pk=extract.pk).update(made_at=timezone.now() - timedelta(days=2))
    settings.POLICY_PATH = _liia_held_for(tmp_path, {"days": 1})

    refused = client.get(reverse("extracts:download", args=[extract.public_id]))
    deleted = held.delete_expired()

    assert refused.status_code == 410 and "no longer available" in refused.content.decode()
    assert deleted == 1
    extract.refresh_from_db()
    assert extract.held_removed_at is not None
    assert not documents.path_for(extract.held_file_sha256).exists()
    assert AuditEvent.objects.filter(action="delete", record_id=str(extract.public_id)).exists()


def test_a_file_is_deleted_when_the_policy_no_longer_holds_the_projects_files(
    client, analyst, settings, tmp_path
):
    _, extract = run(client)
    settings.POLICY_PATH = _liia_held_for(tmp_path, None)

    refused = client.get(reverse("extracts:download", args=[extract.public_id]))

    assert refused.status_code == 410
    assert held.delete_expired() == 1
    assert held.delete_expired() == 0
    assert not documents.path_for(extract.held_file_sha256).exists()


def test_a_file_within_the_policys_period_now_is_kept_and_downloaded(
    client, analyst, settings, tmp_path
):
    _, extract = run(client)
    settings.POLICY_PATH = _liia_held_for(tmp_path, {"days": 3})

    assert held.delete_expired() == 0
    assert client.get(reverse("extracts:download", args=[extract.public_id])).status_code == 200


def test_a_head_request_is_no_download_neither_counted_nor_audited(client, analyst):
    _, extract = run(client)
    url = reverse("extracts:download", args=[extract.public_id])
    exports = AuditEvent.objects.filter(
        action="export", record_id=str(extract.public_id), details__what="extract file downloaded"
    )

    assert client.head(url).status_code == 405
    extract.refresh_from_db()
    assert extract.downloads == 0 and not exports.exists()
    assert client.get(url).status_code == 200
    extract.refresh_from_db()
    assert extract.downloads == 1 and exports.count() == 1
