from datetime import date, datetime

import pytest
from django.apps import apps
from django.db import models, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from earlyhelp.cases.models import Case, Contact, Team
from earlyhelp.people.merge import STAYED, merge_people, person_references, undo_merge
from earlyhelp.people.models import Household, Person, PersonMerge, Relationship
from tests.factories import (
    AttendanceFactory,
    CaseFactory,
    CaseMemberFactory,
    ContactFactory,
    ContactMethodFactory,
    GroupSessionFactory,
    HouseholdFactory,
    HouseholdMemberFactory,
    PersonAddressFactory,
    PersonFactory,
    PersonNameFactory,
    RelationshipFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_user):
    return make_user("mina")


@pytest.fixture
def pair():
    """Two records of one child, made by two teams."""
    kept = PersonFactory(
        given_name="Yusuf", family_name="Haddad", date_of_birth=date(2016, 2, 9),
        nhs_number="9434765919",
    )  # fmt: skip
    # Its UPN alone identifies it: no NHS number to disagree with the kept record's.
    merged = PersonFactory(
        given_name="Yousef", family_name="Hadad", date_of_birth=date(2016, 9, 2),
        upn="B801200005001", nhs_number="",
    )  # fmt: skip
    return kept, merged


def household() -> Household:
    return HouseholdFactory(address__line_1="3 Prince of Wales Road", address__postcode="NW5 3LG")


def case() -> Case:
    team, _ = Team.objects.get_or_create(name="T", service="family-support-and-complex-families")
    return CaseFactory(team=team, household=None, reason="Support at home")


def contact(on: Case) -> Contact:
    return ContactFactory(
        case=on, kind="home_visit", note="Visited Yusuf at home",
        occurred_at=timezone.make_aware(datetime(2024, 5, 1, 10)),
    )  # fmt: skip


def links(*people: Person) -> dict[str, set[tuple]]:
    """Every row pointing at any of `people`, with all its values: the state a merge changes."""
    ids = [p.pk for p in people]
    state = {}
    for model, key in person_references():
        rows = model._base_manager.filter(**{f"{key.attname}__in": ids})
        names = [f.attname for f in model._meta.concrete_fields]
        state[f"{model._meta.label}.{key.name}"] = set(rows.values_list(*names))
    state["people.Person"] = set(
        Person.objects.filter(pk__in=ids).values_list(
            *[f.attname for f in Person._meta.concrete_fields]
        )
    )
    return state


def test_merge_covers_every_model_that_points_at_a_person():
    pointing = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.related_model is Person
    }
    covered = {f"{model._meta.label}.{key.name}" for model, key in person_references()}
    # The name index is derived: written again for both people, never moved.
    assert covered == pointing - {"people.Person.merged_into", "people.PersonMerge.kept",
                                  "people.PersonMerge.merged", "people.NameKey.person"}  # fmt: skip
    assert {"cases.CaseMember.person", "cases.Contact_people_present.person",
            "people.HouseholdMember.person", "people.Relationship.relative"} <= covered  # fmt: skip


def test_merge_moves_everything_recorded_about_the_merged_person_to_the_kept_one(pair, manager):
    kept, merged = pair
    sibling = PersonFactory(given_name="Amira", family_name="Haddad")
    name = PersonNameFactory(person=merged, source="family", given_name="Yousef",
                             family_name="Smith")  # fmt: skip
    address = PersonAddressFactory(
        person=merged, source="family", address=household().address, moved_in=date(2020, 1, 1)
    )
    phone = ContactMethodFactory(person=merged, source="school", kind="telephone",
                                 value="07700 900123")  # fmt: skip
    sister = RelationshipFactory(person=sibling, relative=merged, kind="sibling", source="family")
    member = HouseholdMemberFactory(household=household(), person=merged)
    on_case = CaseMemberFactory(case=case(), person=merged, role="child")
    visit = contact(on_case.case)
    visit.people_present.add(merged)
    session = GroupSessionFactory(service="integrated-early-years", kind="stay_and_play",
                                  title="Stay and play", venue="Queen's Crescent",
                                  held_on=date(2024, 5, 2))  # fmt: skip
    attended = AttendanceFactory(session=session, person=merged)

    merge_people(kept, merged, manager, "Same child: NHS number confirmed with the GP")

    for row in (name, address, phone, member, on_case, attended):
        row.refresh_from_db()
        assert row.person == kept
    sister.refresh_from_db()
    assert sister.relative == kept
    assert list(visit.people_present.all()) == [kept]


def test_merged_record_points_to_the_kept_one_and_keeps_its_own_identifiers(pair, manager):
    kept, merged = pair
    merge_people(kept, merged, manager, "Duplicate")
    merged.refresh_from_db()
    assert merged.merged_into == kept
    assert merged.upn == "B801200005001"
    assert kept.merged_records.get() == merged


def test_merge_records_who_merged_them_why_and_exactly_what_moved(pair, manager):
    kept, merged = pair
    name = PersonNameFactory(person=merged, source="family", given_name="Yousef",
                             family_name="Smith")  # fmt: skip
    PersonNameFactory(person=kept, source="family", given_name="Joe", family_name="H")
    merge = merge_people(kept, merged, manager, "Same child: confirmed by school")
    assert (merge.kept, merge.merged, merge.merged_by) == (kept, merged, manager)
    assert merge.reason == "Same child: confirmed by school"
    assert merge.moved == {"people.PersonName.person": [name.pk]}


def test_undo_merge_restores_both_records_exactly(pair, manager):
    kept, merged = pair
    other = PersonFactory(given_name="Amira", family_name="Haddad")
    shared_home, own_home = household(), household()
    HouseholdMemberFactory(household=shared_home, person=kept, joined_on=date(2019, 1, 1))
    HouseholdMemberFactory(household=shared_home, person=merged, joined_on=date(2020, 1, 1))
    HouseholdMemberFactory(household=own_home, person=merged)
    RelationshipFactory(person=other, relative=merged, kind="sibling", source="family")
    RelationshipFactory(person=merged, relative=kept, kind="sibling", source="school")
    PersonNameFactory(person=merged, source="family", given_name="Y", family_name="S")
    before = links(kept, merged, other)

    merge = merge_people(kept, merged, manager, "Duplicate")
    assert links(kept, merged, other) != before
    undo_merge(merge, manager)

    assert links(kept, merged, other) == before
    merge.refresh_from_db()
    assert (merge.undone_by, merge.undone_at is not None) == (manager, True)


def test_shared_household_keeps_the_kept_membership_and_leaves_the_other_with_merged(pair, manager):
    kept, merged = pair
    home = household()
    kept_row = HouseholdMemberFactory(household=home, person=kept)
    merged_row = HouseholdMemberFactory(household=home, person=merged, joined_on=date(2020, 1, 1))
    merge = merge_people(kept, merged, manager, "Duplicate")
    merged_row.refresh_from_db()
    assert merged_row.person == merged
    assert list(home.members.all()) == [kept, merged]
    assert list(home.members.filter(merged_into__isnull=True)) == [kept]
    assert merge.moved[STAYED]["people.HouseholdMember.person"] == [
        {
            "pk": merged_row.pk,
            "why": "the kept person already has the same record",
            "duplicate_of": kept_row.pk,
            "differs": ["joined_on"],
        }
    ]


def test_an_ended_membership_is_history_and_moves_beside_a_current_one(pair, manager):
    # Only one CURRENT membership per household is unique: a time the merged record lived
    # there before is the kept person's history too.
    kept, merged = pair
    home = household()
    HouseholdMemberFactory(household=home, person=kept, joined_on=date(2022, 1, 1))
    earlier = HouseholdMemberFactory(
        household=home, person=merged, joined_on=date(2019, 1, 1), left_on=date(2020, 6, 1)
    )
    merge = merge_people(kept, merged, manager, "Duplicate")
    earlier.refresh_from_db()
    assert earlier.person == kept
    assert merge.moved["people.HouseholdMember.person"] == [earlier.pk]
    assert STAYED not in merge.moved


def test_a_current_membership_stays_beside_the_kept_current_one_whatever_ended_ones_exist(
    pair, manager
):
    kept, merged = pair
    home = household()
    HouseholdMemberFactory(household=home, person=kept, left_on=date(2020, 6, 1))
    kept_now = HouseholdMemberFactory(household=home, person=kept, joined_on=date(2021, 1, 1))
    merged_now = HouseholdMemberFactory(household=home, person=merged)
    merge = merge_people(kept, merged, manager, "Duplicate")
    merged_now.refresh_from_db()
    assert merged_now.person == merged
    [stayed] = merge.moved[STAYED]["people.HouseholdMember.person"]
    assert stayed["duplicate_of"] == kept_now.pk


def test_both_on_one_case_and_present_at_one_contact_does_not_break_the_merge(pair, manager):
    kept, merged = pair
    on = case()
    CaseMemberFactory(case=on, person=kept, role="child")
    CaseMemberFactory(case=on, person=merged, role="child")
    visit = contact(on)
    visit.people_present.add(kept, merged)
    merge = merge_people(kept, merged, manager, "Duplicate")
    assert set(merge.moved[STAYED]) == {
        "cases.CaseMember.person",
        "cases.Contact_people_present.person",
    }
    assert on.members.filter(person=kept).count() == 1


def test_identical_relationships_keep_the_kept_one_and_name_what_differs(pair, manager):
    kept, merged = pair
    mother = PersonFactory(given_name="Leila", family_name="Haddad", adult=True)
    RelationshipFactory(person=mother, relative=kept, kind="parent", source="family")
    RelationshipFactory(person=mother, relative=merged, kind="parent", source="family",
                        has_parental_responsibility=True)  # fmt: skip
    merge = merge_people(kept, merged, manager, "Duplicate")
    (stayed,) = merge.moved[STAYED]["people.Relationship.relative"]
    assert "has_parental_responsibility" in stayed["differs"]
    assert Relationship.objects.filter(person=mother, relative=kept).count() == 1


@pytest.mark.parametrize("merged_is", ["person", "relative"])
def test_a_relationship_between_the_two_records_is_not_turned_into_one_with_themselves(
    pair, manager, merged_is
):
    kept, merged = pair
    ends = {"person": merged, "relative": kept}
    if merged_is == "relative":
        ends = {"person": kept, "relative": merged}
    link = RelationshipFactory(**ends, kind="sibling", source="family")
    merge = merge_people(kept, merged, manager, "Duplicate")
    link.refresh_from_db()
    assert (link.person, link.relative) == (ends["person"], ends["relative"])
    assert merge.moved[STAYED][f"people.Relationship.{merged_is}"] == [
        {"pk": link.pk, "why": "would relate the person to themselves"}
    ]
    assert not Relationship.objects.filter(person=kept, relative=kept).exists()


def test_undo_leaves_records_added_after_the_merge_with_the_kept_person(pair, manager):
    kept, merged = pair
    moved = PersonNameFactory(person=merged, source="family", given_name="Y", family_name="S")
    merge = merge_people(kept, merged, manager, "Duplicate")
    added = PersonNameFactory(person=kept, source="family", given_name="J", family_name="H")
    undo_merge(merge, manager)
    moved.refresh_from_db()
    added.refresh_from_db()
    assert (moved.person, added.person) == (merged, kept)


def test_a_person_cannot_be_merged_into_themselves(pair, manager):
    kept, _ = pair
    with pytest.raises(ValueError, match="cannot be merged into themselves"):
        merge_people(kept, kept, manager, "Duplicate")


def test_a_person_cannot_be_merged_into_a_record_already_merged(pair, manager):
    kept, merged = pair
    third = PersonFactory(given_name="Yusuf", family_name="Hadad", unidentified=True)
    merge_people(kept, merged, manager, "Duplicate")
    with pytest.raises(ValueError, match="record to keep has itself been merged"):
        merge_people(merged, third, manager, "Duplicate")


def test_a_record_already_merged_cannot_be_merged_again(pair, manager):
    kept, merged = pair
    third = PersonFactory(given_name="Yusuf", family_name="Hadad", unidentified=True)
    merge_people(kept, merged, manager, "Duplicate")
    with pytest.raises(ValueError, match="already been merged"):
        merge_people(third, merged, manager, "Duplicate")


def test_a_merge_needs_a_reason(pair, manager):
    with pytest.raises(ValueError, match="reason"):
        merge_people(*pair, manager, "  ")


def test_a_merge_cannot_be_undone_twice(pair, manager):
    merge = merge_people(*pair, manager, "Duplicate")
    undo_merge(merge, manager)
    with pytest.raises(ValueError, match="already been undone"):
        undo_merge(merge, manager)


def test_undo_is_refused_while_the_kept_record_is_merged_into_another(pair, manager):
    kept, merged = pair
    first = merge_people(kept, merged, manager, "Duplicate")
    third = PersonFactory(given_name="Yusuf", family_name="Haddad", unidentified=True)
    merge_people(third, kept, manager, "Duplicate")
    with pytest.raises(ValueError, match="undo that merge first"):
        undo_merge(first, manager)


def test_a_merge_that_fails_part_way_changes_nothing(pair, manager, monkeypatch):
    kept, merged = pair
    PersonNameFactory(person=merged, source="family", given_name="Y", family_name="S")
    before = links(kept, merged)

    def refuse(**fields):
        raise RuntimeError("disk full")

    monkeypatch.setattr(PersonMerge.objects, "create", refuse)
    with pytest.raises(RuntimeError):
        merge_people(kept, merged, manager, "Duplicate")
    assert links(kept, merged) == before


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    homes=st.lists(st.sampled_from(["kept", "merged", "both"]), max_size=3),
    cases=st.lists(st.sampled_from(["kept", "merged", "both"]), max_size=3),
    relatives=st.lists(
        st.tuples(st.sampled_from(["kept", "merged", "both"]), st.booleans()), max_size=3
    ),
    linked=st.booleans(),
)
def test_merge_then_undo_restores_any_arrangement_of_shared_records(
    manager, homes, cases, relatives, linked
):
    with transaction.atomic():
        kept = PersonFactory(given_name="Amy", family_name="Jones", unidentified=True)
        merged = PersonFactory(given_name="Aimee", family_name="Jones", unidentified=True)
        whose = {"kept": [kept], "merged": [merged], "both": [kept, merged]}
        for who in homes:
            home = household()
            for someone in whose[who]:
                HouseholdMemberFactory(household=home, person=someone)
        for who in cases:
            on = case()
            visit = contact(on)
            for someone in whose[who]:
                CaseMemberFactory(case=on, person=someone, role="child")
                visit.people_present.add(someone)
        for who, responsible in relatives:
            parent = PersonFactory(given_name="Leila", family_name="Jones", adult=True)
            for someone in whose[who]:
                RelationshipFactory(person=parent, relative=someone, kind="parent",
                                    source="family",
                                    has_parental_responsibility=responsible)  # fmt: skip
        if linked:
            RelationshipFactory(person=kept, relative=merged, kind="sibling", source="family")
        people = [kept, merged, *Person.objects.filter(given_name="Leila")]
        before = links(*people)
        merge = merge_people(kept, merged, manager, "Duplicate")
        assert not Relationship.objects.filter(person=kept, relative=kept).exists()
        undo_merge(merge, manager)
        assert links(*people) == before
        transaction.set_rollback(True)
