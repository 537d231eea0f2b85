"""Erasure, decided per purpose by right_applies over the data map: processing resting on
legal obligation or public task keeps its data (the policy's limitation), the eyLog consent
purpose is erasable; erasure follows each holding's rule and never touches the audit trail."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.people.models import Employment
from earlyhelp.policy.active import active_policy
from earlyhelp.rights import outcomes
from earlyhelp.rights.models import RightOutcome
from tests.policy import camden_dict, write_policy
from tests.rights.outcome_records import request_about

pytestmark = pytest.mark.django_db

NURSERY = "share-in-nursery-life"  # the eyLog purpose, consent-based in camden.toml


@pytest.fixture
def officer(make_user):
    return make_user("ines", Role.INFORMATION_GOVERNANCE)


def _as(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def _plan(person) -> dict:
    return {entry.purpose.id: entry for entry in outcomes.erasure_plan(person)}


def test_erasure_applies_to_the_consent_purpose_and_not_to_public_task_or_legal_duty(family):
    policy = active_policy()
    plan = _plan(family["yusuf"])
    assert policy.purpose(NURSERY).lawful_basis.article_6 == ["6(1)(a)"]
    assert plan[NURSERY].applies
    limitation = next(r for r in policy.rights.rights if r.right == "erasure").limitation
    for purpose in policy.purposes:
        if purpose.id != NURSERY:
            assert not plan[purpose.id].applies, purpose.id
            assert limitation in plan[purpose.id].reason


def test_only_data_no_kept_purpose_uses_is_erasable_under_the_consent_purpose(family):
    entry = _plan(family["yusuf"])[NURSERY]
    # Identity and contact details serve the statutory purposes too; nursery media only eyLog.
    assert entry.categories == ["nursery-media"]
    assert entry.held == []


def test_erasing_under_a_public_task_purpose_erases_nothing_and_says_why(family, case, officer):
    rights_request = request_about(family["yusuf"], officer, rights=["erasure"])
    purpose = active_policy().purposes[0]
    events = AuditEvent.objects.count()
    outcome = outcomes.erase_for_purpose(_as(officer), rights_request, family["yusuf"], purpose.id)
    assert outcome.result == RightOutcome.Result.NOT_DONE
    assert purpose.wording in outcome.what_was_done
    assert "have not erased" in outcome.what_was_done
    assert family["yusuf"].__class__.objects.filter(pk=family["yusuf"].pk).exists()
    assert AuditEvent.objects.count() > events  # the request's event is added; none removed


def test_the_consent_purpose_with_nothing_held_says_so_truthfully(family, officer):
    rights_request = request_about(family["yusuf"], officer, rights=["erasure"])
    outcome = outcomes.erase_for_purpose(_as(officer), rights_request, family["yusuf"], NURSERY)
    assert "we hold nothing" in outcome.what_was_done
    assert outcome.rule_ids[:2] == ["rights.erasure", f"purpose:{NURSERY}"]


@pytest.fixture
def employment_only_for_nursery(settings, tmp_path):
    """A policy in which employment and education data serve only the consent purpose."""
    data = camden_dict()
    for purpose in data["purposes"]:
        cats = [c for c in purpose["categories"] if c != "employment-and-education"]
        if purpose["id"] == NURSERY:
            cats.append("employment-and-education")
        purpose["categories"] = cats
    for agreement in data.get("agreements", []):
        agreement["categories"] = [
            c for c in agreement["categories"] if c != "employment-and-education"
        ]
    folder = tmp_path / "policy"
    folder.mkdir()
    settings.POLICY_PATH = write_policy(folder, data)


def test_erasure_deletes_the_person_s_rows_by_the_data_map_s_rule_and_keeps_the_audit_trail(
    family, officer, employment_only_for_nursery
):
    Employment.objects.create(person=family["yusuf"], status="in_education", source="family")
    Employment.objects.create(person=family["mum"], status="in_education", source="family")
    rights_request = request_about(family["yusuf"], officer, rights=["erasure"])
    trail = list(AuditEvent.objects.values_list("pk", flat=True))
    outcome = outcomes.erase_for_purpose(_as(officer), rights_request, family["yusuf"], NURSERY)
    assert outcome.result == RightOutcome.Result.DONE
    assert not Employment.objects.filter(person=family["yusuf"]).exists()
    assert Employment.objects.filter(person=family["mum"]).exists()  # only theirs
    assert set(trail) <= set(AuditEvent.objects.values_list("pk", flat=True))
    assert AuditEvent.objects.filter(
        record_type="person", record_id=str(family["yusuf"].public_id), action="delete"
    ).exists()
    assert "datamap:people.Employment" in outcome.rule_ids


def test_the_erasure_page_shows_each_purpose_and_whether_the_right_applies(
    client, sign_in, family, officer
):
    rights_request = request_about(family["yusuf"], officer, rights=["erasure"])
    sign_in(officer)
    url = reverse(
        "rights_outcomes:erasure", args=[rights_request.public_id, family["yusuf"].public_id]
    )
    text = client.get(url).content.decode()
    policy = active_policy()
    for purpose in policy.purposes:
        assert purpose.wording.replace("'", "&#x27;") in text
    assert "Nothing held under this purpose" in text
    assert client.post(url, {"purpose": NURSERY}).status_code == 302
    assert RightOutcome.objects.filter(request=rights_request, right="erasure").exists()


def test_erasing_under_the_consent_purpose_deletes_a_childs_nursery_photos_and_their_files(
    family, officer, nursery_team
):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from earlyhelp.cases import documents
    from earlyhelp.consent.models import MediaItem, MediaTag

    sha256, size = documents.store(ContentFile(b"\xff\xd8\xff a photo", name="photo.jpg"))
    photo = MediaItem.objects.create(
        team=nursery_team,
        kind=MediaItem.Kind.PHOTO,
        content_type="image/jpeg",
        file_sha256=sha256,
        size=size,
        taken_on=timezone.localdate(),
        uploaded_by=officer,
    )
    MediaTag.objects.create(
        item=photo, child=family["yusuf"], role=MediaTag.Role.FOCUS, tagged_by=officer
    )
    assert [h.holding.name for h in _plan(family["yusuf"])[NURSERY].held] == [
        "consent.MediaItem",
        "consent.MediaTag",
    ]
    rights_request = request_about(family["yusuf"], officer, rights=["erasure"])
    outcome = outcomes.erase_for_purpose(_as(officer), rights_request, family["yusuf"], NURSERY)
    assert outcome.result == RightOutcome.Result.DONE
    assert not MediaItem.objects.exists() and not MediaTag.objects.exists()
    assert not documents.path_for(sha256).exists()  # the file, not only its row
