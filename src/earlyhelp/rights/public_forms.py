"""The questions of the public rights and complaints form, one form per page.

Each form's ``cleaned_data`` is kept in the session between pages (``rights.public``), so
every value is plain JSON (a date as ISO text). Each error names the field and the rule.
Nothing here looks anyone up: what is typed is kept as typed.
"""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.core.validators import validate_email
from django.utils import timezone

from earlyhelp.lib.plausible import birth_date_error, name_error
from earlyhelp.policy.active import active_policy
from earlyhelp.rights.models import RightsRequest
from earlyhelp.web.forms import DateField

# Longest free text a family may type into one box.
DETAILS_LIMIT = 5000
NAME_LIMIT = 200
ADDRESS_LIMIT = 500
DATES_LIMIT = 200
# A UK number once spaces, brackets and dashes are gone: 0 and 9 or 10 more digits, or
# the same after +44 (or 0044) in place of the 0.
UK_PHONE = re.compile(r"(?:\+44|0044|0)([1-9][0-9]{8,9})")

OTHER_USE = "other"


class KindForm(forms.Form):
    kind = forms.ChoiceField(
        label="What do you want to do?",
        widget=forms.RadioSelect,
        choices=[
            (
                RightsRequest.Kind.REQUEST,
                "Ask for a copy of information, or to correct, delete or stop using it",
            ),
            (RightsRequest.Kind.COMPLAINT, "Complain about how we handled information"),
        ],
        error_messages={"required": "Select what you want to do"},
    )


class WhoForm(forms.Form):
    requester_is = forms.ChoiceField(
        label="Who is asking?",
        widget=forms.RadioSelect,
        choices=[
            (RightsRequest.Requester.SELF, "I am the person the information is about"),
            (RightsRequest.Requester.PARENT, "I am a parent or carer, asking about a child"),
            (RightsRequest.Requester.REPRESENTATIVE, "I am acting for someone else"),
        ],
        error_messages={"required": "Select who is asking"},
    )


def _name(value: str, field: str, *, required: bool = True) -> str:
    """A typed name, stripped, with the house's plausibility rules; ``field`` starts the
    message ("Your full name")."""
    value = " ".join(value.split())
    if not value:
        if required:
            raise forms.ValidationError(f"Enter {field[0].lower()}{field[1:]}")
        return ""
    if len(value) > NAME_LIMIT:
        raise forms.ValidationError(f"{field} must be {NAME_LIMIT} characters or fewer")
    if len(value) < 2:
        raise forms.ValidationError(f"{field} must be at least 2 characters")
    message = name_error(value, field=field)
    if message:
        raise forms.ValidationError(message)
    return value


class RequesterForm(forms.Form):
    requester_name = forms.CharField(
        label="Your full name",
        required=False,
        help_text="We need to know who is asking, as well as whom it is about.",
    )

    def clean_requester_name(self) -> str:
        return _name(self.cleaned_data["requester_name"], "Your full name")


class RightsForm(forms.Form):
    rights_asked = forms.MultipleChoiceField(
        label="What do you want us to do?",
        help_text="Select all that apply.",
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (RightsRequest.Right.ACCESS, "Give me a copy of the information you hold"),
            (RightsRequest.Right.RECTIFICATION, "Correct information that is wrong"),
            (RightsRequest.Right.ERASURE, "Delete information"),
            (RightsRequest.Right.RESTRICTION, "Stop using information for a while"),
            (RightsRequest.Right.OBJECT, "Stop using information for a particular purpose"),
            (RightsRequest.Right.OTHER, "Something else"),
        ],
        error_messages={"required": "Select at least one thing you want us to do"},
    )
    details = forms.CharField(
        label="Tell us more",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Needed if you chose something else: say what you want us to do. "
        "For a correction, say what is wrong.",
    )

    def clean_details(self) -> str:
        details = self.cleaned_data["details"].strip()
        if len(details) > DETAILS_LIMIT:
            raise forms.ValidationError(
                f"Tell us more must be {DETAILS_LIMIT:,} characters or fewer"
            )
        return details

    def clean(self) -> dict:
        data = super().clean()
        if RightsRequest.Right.OTHER in data.get("rights_asked", []) and not data.get("details"):
            self.add_error("details", "Tell us more: say what else you want us to do")
        return data


class UsesForm(forms.Form):
    objection_projects = forms.MultipleChoiceField(
        label="Which use do you object to?",
        help_text="Select all that apply.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one use you object to"},
    )
    other_use = forms.CharField(
        label="Describe the other use",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if you chose another use.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["objection_projects"].choices = project_choices()

    def clean_other_use(self) -> str:
        text = self.cleaned_data["other_use"].strip()
        if len(text) > DETAILS_LIMIT:
            raise forms.ValidationError(
                f"Describe the other use must be {DETAILS_LIMIT:,} characters or fewer"
            )
        return text

    def clean(self) -> dict:
        data = super().clean()
        if OTHER_USE in data.get("objection_projects", []) and not data.get("other_use"):
            self.add_error("other_use", "Describe the other use you object to")
        return data


def project_choices() -> list[tuple[str, str]]:
    """The policy's data projects by name, then any other use."""
    return [(p.id, p.name) for p in active_policy().projects] + [
        (OTHER_USE, "Another use of information")
    ]


def service_choices() -> list[tuple[str, str]]:
    """The policy's services by name."""
    return [(s.id, s.name) for s in active_policy().services]


class ComplaintForm(forms.Form):
    complaint = forms.CharField(
        label="What is your complaint about?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Tell us what happened, when, and what you would like us to do about it.",
    )

    def clean_complaint(self) -> str:
        text = self.cleaned_data["complaint"].strip()
        if not text:
            raise forms.ValidationError("Enter what your complaint is about")
        if len(text) > DETAILS_LIMIT:
            raise forms.ValidationError(
                f"Your complaint must be {DETAILS_LIMIT:,} characters or fewer"
            )
        return text


class AboutForm(forms.Form):
    subject_name = forms.CharField(label="Full name", required=False)
    subject_other_names = forms.CharField(
        label="Other names (optional)",
        required=False,
        help_text="Names they were known by before, or are also known by.",
    )
    subject_date_of_birth = DateField(
        label="Date of birth",
        label_lower="date of birth",
        help_text="For example, 27 3 2015",
        error_messages={"required": "Enter the date of birth"},
    )
    subject_address = forms.CharField(
        label="Address (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Where they live now, and any address they had while using our services.",
    )

    def clean_subject_name(self) -> str:
        return _name(self.cleaned_data["subject_name"], "Full name")

    def clean_subject_other_names(self) -> str:
        return _name(self.cleaned_data["subject_other_names"], "Other names", required=False)

    def clean_subject_date_of_birth(self) -> str:
        born: date | None = self.cleaned_data["subject_date_of_birth"]
        message = birth_date_error(born, today=timezone.localdate())
        if message:
            raise forms.ValidationError(message)
        return born.isoformat()

    def clean_subject_address(self) -> str:
        address = self.cleaned_data["subject_address"].strip()
        if len(address) > ADDRESS_LIMIT:
            raise forms.ValidationError(f"Address must be {ADDRESS_LIMIT} characters or fewer")
        return address


class RecordsForm(forms.Form):
    services_used = forms.MultipleChoiceField(
        label="Which of our services have they used? (optional)",
        help_text="Select all that apply. Leave blank if you are not sure.",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    dates_involved = forms.CharField(
        label="When did they use them? (optional)",
        required=False,
        help_text="For example, 2021 to 2023, or since September 2024.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["services_used"].choices = service_choices()

    def clean_dates_involved(self) -> str:
        text = " ".join(self.cleaned_data["dates_involved"].split())
        if len(text) > DATES_LIMIT:
            raise forms.ValidationError(
                f"When did they use them must be {DATES_LIMIT} characters or fewer"
            )
        return text


class ReplyForm(forms.Form):
    reply_by = forms.ChoiceField(
        label="How should we reply?",
        widget=forms.RadioSelect,
        choices=RightsRequest.ReplyBy.choices,
        error_messages={"required": "Select how we should reply"},
    )
    requester_email = forms.CharField(label="Email address", required=False)
    requester_address = forms.CharField(
        label="Postal address",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Include the postcode.",
    )
    requester_phone = forms.CharField(
        label="UK telephone number",
        required=False,
        help_text="For example, 020 7946 0000 or 07700 900 982.",
    )

    def clean_requester_email(self) -> str:
        email = self.cleaned_data["requester_email"].strip()
        limit = RightsRequest._meta.get_field("requester_email").max_length
        if len(email) > limit:
            raise forms.ValidationError(f"Email address must be {limit} characters or fewer")
        if email:
            try:
                validate_email(email)
            except forms.ValidationError:
                raise forms.ValidationError(
                    "Enter an email address in the correct format, like name@example.com"
                ) from None
        return email

    def clean_requester_address(self) -> str:
        address = self.cleaned_data["requester_address"].strip()
        if len(address) > ADDRESS_LIMIT:
            raise forms.ValidationError(
                f"Postal address must be {ADDRESS_LIMIT} characters or fewer"
            )
        if address and not any(ch.isalpha() for ch in address):
            raise forms.ValidationError("Postal address must include at least one letter")
        return address

    def clean_requester_phone(self) -> str:
        phone = self.cleaned_data["requester_phone"].strip()
        if phone and uk_phone(phone) is None:
            raise forms.ValidationError(
                "Enter a UK telephone number, like 020 7946 0000 or 07700 900 982"
            )
        phone = " ".join(phone.split())
        limit = RightsRequest._meta.get_field("requester_phone").max_length
        if len(phone) > limit:
            raise forms.ValidationError(f"UK telephone number must be {limit} characters or fewer")
        return phone

    def clean(self) -> dict:
        data = super().clean()
        needed = {
            RightsRequest.ReplyBy.EMAIL: ("requester_email", "Enter your email address"),
            RightsRequest.ReplyBy.POST: ("requester_address", "Enter your postal address"),
            RightsRequest.ReplyBy.PHONE: ("requester_phone", "Enter your UK telephone number"),
        }
        field, message = needed.get(data.get("reply_by"), (None, ""))
        if field and field not in self.errors and not data.get(field):
            self.add_error(field, message)
        # Keep only the way they chose: nothing typed into a box they then left hidden.
        for other, _ in needed.values():
            if other != field:
                data[other] = ""
                self.errors.pop(other, None)
        return data


def uk_phone(value: str) -> str | None:
    """The number as 0 and its digits if ``value`` is a plausible UK telephone number."""
    digits = re.sub(r"[\s()\-.]", "", value)
    match = UK_PHONE.fullmatch(digits)
    return f"0{match.group(1)}" if match else None
