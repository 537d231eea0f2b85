"""Every field holding data about a family belongs to a data category of the policy.

Models say so with `data_categories = {"field": "category-id"}`, or say they hold
no family data with `family_data = False` (staff accounts, teams, sessions).
`classification_errors` lists every field that breaks the rule; the suite and
the start-up checks both run it.
"""

from django.apps import apps
from django.db import models

from earlyhelp.encryption import EncryptedTextField
from earlyhelp.policy.schema import Policy

# Bookkeeping every record has: keys and who/when of staff, not facts about a family.
STRUCTURAL_FIELDS = {
    "id",
    "public_id",
    "recorded_by",
    "recorded_at",
    "created_by",
    "created_at",
    "author",
    "merged_by",
    "merged_at",
    "undone_by",
    "undone_at",
}
# Fields with one meaning wherever they appear.
SHARED_CATEGORIES = {"source": "information-from-others"}
ENCRYPTED_KINDS = {"special_category", "criminal_offence"}


def our_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("earlyhelp.")]


def declared_fields(model: type[models.Model]) -> list[models.Field]:
    """Fields a model must classify: its columns and its plain many-to-many links."""
    through_managed = [
        f for f in model._meta.local_many_to_many if f.remote_field.through._meta.auto_created
    ]
    return [*model._meta.concrete_fields, *through_managed]


def category_of(model: type[models.Model], field_name: str) -> str | None:
    return getattr(model, "data_categories", {}).get(field_name) or SHARED_CATEGORIES.get(
        field_name
    )


def classification_errors(policy: Policy, model_list=None) -> list[str]:
    kinds = {category.id: category.kind for category in policy.categories}
    errors = []
    for model in model_list or our_models():
        label = model._meta.label
        declared = getattr(model, "data_categories", None)
        if declared is None:
            if getattr(model, "family_data", True):
                errors.append(f"{label}: declares neither data_categories nor family_data = False")
            continue
        names = {field.name for field in declared_fields(model)}
        for name in sorted(set(declared) - names):
            errors.append(f"{label}.{name}: classified, but the model has no such field")
        for field in declared_fields(model):
            if field.name in STRUCTURAL_FIELDS:
                continue
            category = category_of(model, field.name)
            where = f"{label}.{field.name}"
            if category is None:
                errors.append(f"{where}: holds personal data but has no data category")
            elif category not in kinds:
                errors.append(f"{where}: category '{category}' is not declared in the policy")
            elif (
                kinds[category] in ENCRYPTED_KINDS
                and not field.is_relation
                and not isinstance(field, EncryptedTextField)
            ):
                errors.append(
                    f"{where}: category '{category}' is {kinds[category].replace('_', ' ')} "
                    "data, so the field must be encrypted (EncryptedTextField)"
                )
    return errors
