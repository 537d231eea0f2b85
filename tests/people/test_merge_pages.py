from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.access.roles import Role
from earlyhelp.people.models import PersonMerge
from tests.factories import PersonFactory


@pytest.fixture
def duplicate(family):
    """A second record of Yusuf, made before anyone searched."""
    # No NHS number, as Yusuf's record has none: nothing tells the two apart.
    return PersonFactory(
        given_name="Yusef", family_name="Haddad", date_of_birth=date(2016, 2, 9), nhs_number=""
    )


def test_team_manager_merges_a_duplicate_with_a_reason_and_can_undo_it(
    client, manager, family, duplicate
):
    yusuf = family["yusuf"]
    url = reverse("people:merge", args=[yusuf.public_id])
    assert str(duplicate.public_id) in client.get(url).content.decode()
    response = client.post(
        url, {"other": str(duplicate.public_id), "reason": "Same child, GP confirmed"}
    )
    assert response.url == reverse("people:person", args=[yusuf.public_id])
    merge = PersonMerge.objects.get()
    assert (merge.kept, merge.merged, merge.merged_by) == (yusuf, duplicate, manager)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == yusuf
    page = client.get(response.url).content.decode()
    assert "Same child, GP confirmed" in page

    undo = reverse("people:undo_merge", args=[merge.public_id])
    response = client.post(undo, {"reason": ""})
    assert "Enter why the merge is being undone" in response.content.decode()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == yusuf
    client.post(undo, {"reason": "Different NHS numbers after all"})
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    merge.refresh_from_db()
    assert merge.undone_by == manager


def test_merge_without_a_reason_names_the_missing_field(client, manager, family, duplicate):
    url = reverse("people:merge", args=[family["yusuf"].public_id])
    response = client.post(url, {"other": str(duplicate.public_id), "reason": ""})
    assert "Enter why they are the same person" in response.content.decode()
    assert not PersonMerge.objects.exists()


def test_practitioner_cannot_merge_records(client, make_user, sign_in, family, duplicate):
    sign_in(make_user("priya", Role.PRACTITIONER))
    url = reverse("people:merge", args=[family["yusuf"].public_id])
    assert client.get(url).status_code == 403
