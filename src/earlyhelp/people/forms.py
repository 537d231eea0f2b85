from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from earlyhelp.people.choices import Source
from earlyhelp.people.identifiers import (
    nhs_number_is_valid,
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
    postcode_is_valid,
    upn_is_valid,
)
from earlyhelp.people.models import ContactMethod
from earlyhelp.web.forms import DateField


def clean_nhs_number(value: str) -> str:
    if not value:
        return ""
    digits = "".join(value.split())
    if not digits.isdigit() or len(digits) != 10:
        raise forms.ValidationError("NHS number must be 10 digits, like 943 476 5919")
    if not nhs_number_is_valid(digits):
        raise forms.ValidationError("Enter a valid NHS number: its last digit does not check")
    return normalise_nhs_number(digits)


def clean_upn(value: str) -> str:
    if not value:
        return ""
    upn = normalise_upn(value)
    if len(upn) != 13:
        raise forms.ValidationError("Unique pupil number must be 13 characters, like B801200005001")
    if not upn_is_valid(upn):
        raise forms.ValidationError("Enter a valid unique pupil number: its check letter is wrong")
    return upn


def clean_postcode(value: str) -> str:
    if not value:
        return ""
    if not postcode_is_valid(value):
        raise forms.ValidationError("Enter a real UK postcode, like NW5 2AB")
    return normalise_postcode(value)


class IdentifierFields(forms.Form):
    """The identifiers a person is found by, each checked by its own rule."""

    postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        max_length=14,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
    )
    upn = forms.CharField(
        label="Unique pupil number (UPN)",
        required=False,
        max_length=15,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )

    def clean_nhs_number(self) -> str:
        return clean_nhs_number(self.cleaned_data["nhs_number"])

    def clean_upn(self) -> str:
        return clean_upn(self.cleaned_data["upn"])

    def clean_postcode(self) -> str:
        return clean_postcode(self.cleaned_data["postcode"])


class SearchForm(IdentifierFields):
    field_order = ["name", "date_of_birth", "postcode", "nhs_number", "upn"]

    name = forms.CharField(
        label="Name",
        required=False,
        max_length=200,
        help_text="Any order; former names are searched too",
    )
    date_of_birth = DateField(
        label="Date of birth",
        label_lower="date of birth",
        required=False,
        help_text="For example, 27 3 2014",
    )

    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.get(f) for f in self.fields):
            raise forms.ValidationError(
                "Enter a name, date of birth, postcode, NHS number or unique pupil number"
            )
        return data


class PersonForm(IdentifierFields):
    given_name = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Enter the first name"}
    )
    family_name = forms.CharField(
        label="Last name", max_length=100, error_messages={"required": "Enter the last name"}
    )
    date_of_birth = DateField(
        label="Date of birth",
        label_lower="date of birth",
        past_only=True,
        required=False,
        help_text="Leave empty if not known. For example, 27 3 2014",
    )
    # Set by the second submission, once the likely matches have been shown.
    not_a_duplicate = forms.BooleanField(required=False, widget=forms.HiddenInput)

    field_order = ["given_name", "family_name", "date_of_birth", "nhs_number", "upn", "postcode"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("nhs_number", "upn", "postcode"):
            self.fields[name].label += " (optional)"
        self.fields["postcode"].help_text = "Helps find an existing record"


class AddressForm(forms.Form):
    line_1 = forms.CharField(
        label="Address line 1", max_length=200, error_messages={"required": "Enter address line 1"}
    )
    line_2 = forms.CharField(label="Address line 2 (optional)", max_length=200, required=False)
    town = forms.CharField(
        label="Town or city",
        max_length=100,
        initial="London",
        error_messages={"required": "Enter the town or city"},
        widget=forms.TextInput(attrs={"class": "govuk-!-width-two-thirds"}),
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        error_messages={"required": "Enter the postcode"},
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "autocomplete": "postal-code"}
        ),
    )
    moved_in = DateField(
        label="Date they moved in",
        label_lower="date they moved in",
        past_only=True,
        required=False,
        help_text="Leave empty if not known",
    )
    source = forms.ChoiceField(
        label="Where did this information come from?",
        choices=Source.choices,
        error_messages={"required": "Select where the information came from"},
    )

    def clean_postcode(self) -> str:
        return clean_postcode(self.cleaned_data["postcode"])


class ContactMethodForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type",
        choices=ContactMethod.Kind.choices,
        error_messages={"required": "Select telephone or email"},
    )
    value = forms.CharField(
        label="Number or address",
        max_length=254,
        error_messages={"required": "Enter the telephone number or email address"},
    )
    label = forms.CharField(
        label="Label (optional)",
        max_length=50,
        required=False,
        help_text="For example: mobile, work",
    )
    source = forms.ChoiceField(
        label="Where did this information come from?",
        choices=Source.choices,
        error_messages={"required": "Select where the information came from"},
    )

    def clean(self):
        data = super().clean()
        value = data.get("value", "")
        if data.get("kind") == ContactMethod.Kind.EMAIL:
            try:
                EmailValidator()(value)
            except ValidationError:
                self.add_error("value", "Enter an email address like name@example.com")
        elif data.get("kind") == ContactMethod.Kind.TELEPHONE:
            digits = "".join(ch for ch in value if ch.isdigit())
            if not (10 <= len(digits) <= 13) or any(ch not in "0123456789 +()-" for ch in value):
                self.add_error(
                    "value", "Enter a telephone number like 07700 900123 or 020 7974 4444"
                )
        return data
