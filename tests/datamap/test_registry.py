"""The data map is complete: every model holding data about a person is registered, and every
registered reach still leads to a person."""

import pytest
from django.db import models
from django.test.utils import isolate_apps

from earlyhelp.datamap.registry import (
    Holding,
    Reach,
    Role,
    categories_of,
    delete,
    fact_models,
    holding_for,
    holdings,
    keep,
    models_needing_registration,
    person_keys,
    reach_problems,
)
from earlyhelp.people.models import Person
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.fields import our_models


def test_every_model_holding_personal_data_is_in_the_data_map():
    assert models_needing_registration(our_models()) == []


def test_every_registered_reach_leads_to_a_person():
    problems = [problem for holding in holdings() for problem in reach_problems(holding)]
    assert problems == []


@isolate_apps("earlyhelp.people")
def test_a_model_linked_to_a_person_but_not_registered_fails_the_map():
    class CalendarNote(models.Model):
        person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
        data_categories = {"person": "identity-and-contact"}

        class Meta:
            app_label = "people"

        def __str__(self) -> str:
            return "throwaway"

    assert models_needing_registration([CalendarNote]) == [
        "people.CalendarNote: has fields with a data category"
    ]


@isolate_apps("earlyhelp.people")
def test_a_model_reaching_a_person_through_another_model_fails_the_map_when_unregistered():
    from earlyhelp.cases.models import Plan

    class PlanReviewNote(models.Model):
        plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
        family_data = False  # even a model that says so is reached from a person

        class Meta:
            app_label = "people"

        def __str__(self) -> str:
            return "throwaway"

    assert models_needing_registration([PlanReviewNote]) == [
        "people.PlanReviewNote: its links lead to a person"
    ]


@isolate_apps("earlyhelp.people")
def test_a_model_linked_only_to_staff_needs_no_registration():
    from earlyhelp.access.models import User

    class RotaSlot(models.Model):
        recorded_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
        family_data = False

        class Meta:
            app_label = "people"

        def __str__(self) -> str:
            return "throwaway"

    assert models_needing_registration([RotaSlot]) == []


def test_a_reach_that_no_longer_leads_to_a_person_is_reported():
    from earlyhelp.cases.models import PlanGoal

    moved = Holding(PlanGoal, (Reach("plan__case"),), delete())
    renamed = Holding(PlanGoal, (Reach("plan__case__people__nobody"),), delete())
    not_a_link = Holding(PlanGoal, (Reach("goal"),), delete())
    assert reach_problems(moved) == [
        "cases.PlanGoal: reach 'plan__case' ends at cases.Case, not Person"
    ]
    assert "has no field 'nobody'" in reach_problems(renamed)[0]
    assert reach_problems(not_a_link) == ["cases.PlanGoal: reach 'goal': 'goal' is not a link"]


def test_every_foreign_key_to_a_person_is_a_key_merging_moves():
    # An oracle independent of the registry: Django's own list of relations to Person.
    expected = set()
    for relation in Person._meta.related_objects:
        if relation.many_to_many:
            through = relation.through
            key = through._meta.get_field(relation.field.m2m_reverse_field_name())
            expected.add((through._meta.label, key.name))
        elif relation.related_model is not Person:
            expected.add((relation.related_model._meta.label, relation.field.name))
    found = {(model._meta.label, key.name) for model, key in person_keys()}
    # Case.people and Household.members go through CaseMember and HouseholdMember, whose
    # keys are in the map; Contact.people_present through its automatic table.
    assert found == expected


def test_every_category_and_retention_rule_the_map_names_is_in_the_policy():
    policy = active_policy()
    for holding in holdings():
        for category in holding.categories.values():
            assert policy.category(category) is not None, (holding.name, category)
        for rule in holding.erasure.retention_rules:
            assert policy.retention_rule(rule) is not None, (holding.name, rule)


def test_keeping_rows_needs_a_rule_or_a_reason():
    with pytest.raises(ValueError, match="name the retention rule or the legal reason"):
        keep()


def test_the_categories_a_page_records_follow_the_models_it_shows():
    from earlyhelp.people.models import HouseholdMember, Relationship

    assert categories_of(Person) == ["identity-and-contact"]
    assert categories_of(Person, HouseholdMember) == ["household-members", "identity-and-contact"]
    # A relationship is recorded from a source: what others told us is its own category.
    assert categories_of(Relationship) == ["family-relationships", "information-from-others"]


def test_a_model_not_in_the_map_has_no_categories_to_record():
    from earlyhelp.cases.models import GroupSession

    with pytest.raises(LookupError, match=r"cases\.GroupSession is not in the data map"):
        categories_of(GroupSession)


def test_the_kinds_of_fact_are_the_registered_fact_holdings_in_notice_order():
    kinds = fact_models()
    assert list(kinds)[:3] == ["legal-status", "housing", "wellbeing"]
    assert len(kinds) == 17
    for model in kinds.values():
        assert holding_for(model).reaches == (Reach("person"),)


def test_a_relative_is_only_mentioned_in_the_persons_relationship():
    from earlyhelp.people.models import Relationship

    reaches = holding_for(Relationship).reaches
    assert Reach("person", Role.SUBJECT) in reaches
    assert Reach("relative", Role.MENTIONED) in reaches


@isolate_apps("earlyhelp.people")
def test_the_service_refuses_to_start_with_a_model_left_out_of_the_data_map(monkeypatch):
    from earlyhelp.datamap import checks

    class Allergy(models.Model):
        person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
        data_categories = {"person": "health"}

        class Meta:
            app_label = "people"

        def __str__(self) -> str:
            return "throwaway"

    assert checks.data_map_complete(None) == []
    monkeypatch.setattr(checks, "our_models", lambda: [*our_models(), Allergy])
    assert [e.id for e in checks.data_map_complete(None)] == ["earlyhelp.E010"]
