"""Every field holding family data is declared against a category the policy declares."""

from earlyhelp.people.models import HealthCondition, Person
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.fields import classification_errors, our_models
from earlyhelp.policy.loader import policy_from_dict
from tests.policy import camden_dict


def test_every_field_of_every_model_has_a_category_the_policy_declares():
    assert classification_errors(active_policy()) == []


def test_removing_a_category_from_the_policy_fails_the_fields_that_use_it():
    data = camden_dict()
    data["categories"] = [c for c in data["categories"] if c["id"] != "health"]
    for purpose in data["purposes"]:
        purpose["categories"] = [c for c in purpose["categories"] if c != "health"]
    for agreement in data["agreements"]:
        agreement["categories"] = [c for c in agreement["categories"] if c != "health"]
    policy = policy_from_dict(data)
    errors = classification_errors(policy)
    assert (
        "people.HealthCondition.description: category 'health' is not declared in the policy"
        in errors
    )


def test_a_new_field_without_a_category_fails(monkeypatch):
    categories = dict(Person.data_categories)
    del categories["nhs_number"]
    monkeypatch.setattr(Person, "data_categories", categories)
    assert "people.Person.nhs_number: holds personal data but has no data category" in (
        classification_errors(active_policy())
    )


def test_a_special_category_field_stored_in_clear_fails(monkeypatch):
    categories = dict(Person.data_categories, given_name="health")
    monkeypatch.setattr(Person, "data_categories", categories)
    errors = classification_errors(active_policy())
    assert any(
        e.startswith("people.Person.given_name: category 'health' is special") for e in errors
    )


def test_a_model_that_declares_nothing_fails(monkeypatch):
    monkeypatch.delattr(HealthCondition, "data_categories")
    assert "people.HealthCondition: declares neither data_categories nor family_data = False" in (
        classification_errors(active_policy())
    )


def test_the_walk_covers_the_people_and_cases_apps():
    labels = {model._meta.label for model in our_models()}
    assert {"people.Person", "people.OffenceRecord", "cases.Contact", "cases.Case"} <= labels
