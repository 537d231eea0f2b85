"""The kinds of fact a practitioner records about a person, each with its form."""

from django import forms
from django.db.models import DateField as ModelDateField
from django.db.models import Field

from earlyhelp.people import models
from earlyhelp.web.forms import DateField

# URL slug -> model. The order is the order of section 3 of the notice.
FACT_MODELS: dict[str, type[models.PersonFact]] = {
    "legal-status": models.LegalStatus,
    "housing": models.HousingSituation,
    "wellbeing": models.WellbeingAndParenting,
    "circumstances": models.SocialCircumstances,
    "employment": models.Employment,
    "education": models.EducationRecord,
    "exclusion": models.Exclusion,
    "risk": models.Risk,
    "agency": models.AgencyInvolvement,
    "health": models.HealthCondition,
    "ethnicity": models.Ethnicity,
    "gender": models.Gender,
    "sexuality": models.Sexuality,
    "disability": models.Disability,
    "substance-misuse": models.SubstanceMisuse,
    "offence": models.OffenceRecord,
    "victim-or-perpetrator": models.VictimOrPerpetrator,
}


class FactForm(forms.ModelForm):
    """Required-field messages that name the field, and no empty choice in the radios."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            label = self._meta.model._meta.get_field(name).verbose_name
            field.error_messages["required"] = f"Enter {label}"
            if isinstance(field, forms.ChoiceField):
                field.error_messages["required"] = f"Select {label}"
                field.choices = [choice for choice in field.choices if choice[0] != ""]
        self.fields["source"].label = "Where did this information come from?"


def _formfield(field: Field, **kwargs) -> forms.Field | None:
    if isinstance(field, ModelDateField):
        return DateField(
            label=field.verbose_name.capitalize(),
            label_lower=field.verbose_name,
            required=not field.blank,
            help_text=field.help_text,
        )
    return field.formfield(**kwargs)


def fact_form_class(model: type[models.PersonFact]) -> type[forms.ModelForm]:
    """A form for what the fact says and where it came from; who and when are set for you."""
    fields = [
        f.name
        for f in model._meta.concrete_fields
        if f.editable
        and not f.primary_key
        and f.name not in {"person", "recorded_by", "recorded_at"}
    ]
    return forms.modelform_factory(
        model, form=FactForm, fields=fields, formfield_callback=_formfield
    )
