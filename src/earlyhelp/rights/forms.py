"""Staff forms for rights requests and complaints: intake, and each event on the clock.

Dates are plausible: never in the future (``past_only``); the services refuse a date before
the request was received, or an answer before its question, naming the field.
"""

from __future__ import annotations

from django import forms

from earlyhelp.access.models import User
from earlyhelp.access.roles import Role
from earlyhelp.lib.plausible import format_day
from earlyhelp.people.forms import say_limits
from earlyhelp.policy.active import active_policy
from earlyhelp.rights.asked import project_choices
from earlyhelp.rights.models import RightsRequest
from earlyhelp.web.forms import DateField

STAFF_CHANNELS = [
    (value, label)
    for value, label in RightsRequest.Channel.choices
    if value != RightsRequest.Channel.WEB_FORM
]


def regime_choices() -> list[tuple[str, str]]:
    """The regimes the policy has time limits for, by the policy's names, in its order."""
    seen: dict[str, str] = {}
    for rule in active_policy().rights.deadlines:
        seen.setdefault(rule.regime, rule.regime_name)
    return list(seen.items())


def _date(label: str, lower: str) -> DateField:
    return DateField(
        label=label, label_lower=lower, past_only=True, help_text="For example, 27 11 2026"
    )


def _text(label: str, required_message: str, *, rows: int = 4, required: bool = True):
    return forms.CharField(
        label=label,
        required=required,
        max_length=5000,
        error_messages={"required": required_message},
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class IntakeForm(forms.Form):
    """A request or complaint received by letter, email, telephone or in person."""

    kind = forms.ChoiceField(
        label="Is it a request or a complaint?",
        choices=[
            (RightsRequest.Kind.REQUEST, "A request to use a data protection right"),
            (RightsRequest.Kind.COMPLAINT, "A complaint about how we handled information"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether it is a request or a complaint"},
    )
    channel = forms.ChoiceField(
        label="How did it arrive?",
        choices=STAFF_CHANNELS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how it arrived"},
    )
    received = _date("Date received", "date it was received")
    regime = forms.ChoiceField(
        label="Which law is it answered under?",
        help_text="Youth Justice records held for law enforcement are answered under the "
        "law enforcement rules",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the law it is answered under"},
    )
    requester_is = forms.ChoiceField(
        label="Who is asking?",
        choices=RightsRequest.Requester.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who is asking"},
    )
    requester_name = forms.CharField(
        label="Full name of the person asking",
        max_length=200,
        error_messages={"required": "Enter the full name of the person asking"},
    )
    requester_email = forms.EmailField(
        label="Their email address (optional)",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address like name@example.com"},
    )
    requester_phone = forms.CharField(
        label="Their telephone number (optional)", required=False, max_length=40
    )
    requester_address = forms.CharField(
        label="Their postal address (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reply_by = forms.ChoiceField(
        label="How do they want the reply?",
        choices=RightsRequest.ReplyBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how they want the reply"},
    )
    rights_asked = forms.MultipleChoiceField(
        label="What are they asking for?",
        help_text="For a request: select all that apply",
        choices=RightsRequest.Right.choices,
        required=False,
    )
    objection_projects = forms.MultipleChoiceField(
        label="Which use of information do they object to?",
        help_text="Answer if they object to a use of information: select all that apply",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    details = _text(
        "What they asked for or complained about, in their words",
        "Enter what they asked for or complained about",
        rows=6,
    )
    subject_name = forms.CharField(
        label="Full name of the person the information is about",
        max_length=200,
        error_messages={"required": "Enter the full name of the person it is about"},
    )
    subject_other_names = forms.CharField(
        label="Other names they have used (optional)", required=False, max_length=200
    )
    subject_date_of_birth = DateField(
        label="Their date of birth (optional)",
        label_lower="date of birth",
        past_only=True,
        required=False,
        help_text="For example, 27 3 2016",
    )
    subject_address = forms.CharField(
        label="Their address (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    services_used = forms.MultipleChoiceField(label="Services they used (optional)", required=False)
    dates_involved = forms.CharField(
        label="Dates involved (optional)",
        help_text="For example, 2023 to 2025",
        required=False,
        max_length=200,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regime"].choices = regime_choices()
        self.fields["services_used"].choices = [(s.id, s.name) for s in active_policy().services]
        self.fields["objection_projects"].choices = project_choices()
        say_limits(self)

    def clean(self):
        """A request names a right; the reply can go the way asked for."""
        data = super().clean()
        received, regime = data.get("received"), data.get("regime")
        rules = [r for r in active_policy().rights.deadlines if r.regime == regime]
        if received is not None and rules:
            first = min(rules, key=lambda r: r.in_force_from)
            if received < first.in_force_from:
                self.add_error(
                    "received",
                    f"The date it was received must be on or after "
                    f"{format_day(first.in_force_from)}, when the policy's first time limit "
                    f"for {first.regime_name} requests took effect",
                )
        if data.get("kind") == RightsRequest.Kind.REQUEST and not data.get("rights_asked"):
            self.add_error("rights_asked", "Select what they are asking for")
        _objection_named(self, data)
        needs = {
            RightsRequest.ReplyBy.EMAIL: ("requester_email", "an email address"),
            RightsRequest.ReplyBy.POST: ("requester_address", "a postal address"),
            RightsRequest.ReplyBy.PHONE: ("requester_phone", "a telephone number"),
        }
        reply = data.get("reply_by")
        if reply in needs:
            field, words = needs[reply]
            if not data.get(field) and field not in self.errors:
                self.add_error(field, f"Enter {words} to reply to, or choose another way")
        return data

    def request_fields(self) -> dict:
        """The cleaned answers as RightsRequest fields (for services.log_request)."""
        data = dict(self.cleaned_data)
        if data["kind"] == RightsRequest.Kind.COMPLAINT:
            data["rights_asked"] = []
        if RightsRequest.Right.OBJECT not in data["rights_asked"]:
            data["objection_projects"] = []
        data["subject_date_of_birth"] = data.get("subject_date_of_birth")
        return data


def _objection_named(form: forms.Form, data: dict) -> None:
    """An objection names the use objected to: required when "object" is ticked."""
    objecting = RightsRequest.Right.OBJECT in (data.get("rights_asked") or [])
    if (
        objecting
        and data.get("kind", RightsRequest.Kind.REQUEST) == RightsRequest.Kind.REQUEST
        and not data.get("objection_projects")
        and "objection_projects" not in form.errors
    ):
        form.add_error(
            "objection_projects",
            "Select which use of information they object to, as they object to a use",
        )


class AskedForm(forms.Form):
    """Change what a request asks for: the rights, and for an objection which uses."""

    rights_asked = forms.MultipleChoiceField(
        label="What are they asking for?",
        help_text="Select all that apply",
        choices=RightsRequest.Right.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select what they are asking for"},
    )
    objection_projects = forms.MultipleChoiceField(
        label="Which use of information do they object to?",
        help_text="Answer if they object to a use of information: select all that apply",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select the uses from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objection_projects"].choices = project_choices()
        say_limits(self)

    def clean(self):
        """Naming an objection's use is required when "object" is ticked."""
        data = super().clean()
        _objection_named(self, data)
        return data


class SaysLimits:
    """Mixin: a form whose messages name the field and its limit (people.forms.say_limits)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say_limits(self)


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(
        label="Who will handle it?",
        queryset=User.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who will handle it"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        officers = User.objects.filter(
            is_active=True, groups__name=Role.INFORMATION_GOVERNANCE.value
        ).order_by("first_name", "last_name", "username")
        self.fields["handler"].queryset = officers.distinct()
        self.fields["handler"].label_from_instance = lambda u: u.get_full_name() or u.username
        say_limits(self)


class IdentityForm(SaysLimits, forms.Form):
    received_on = _date("Date the evidence was received", "date the evidence was received")
    evidence = _text(
        "What evidence of identity was seen",
        "Enter what evidence of identity was seen",
        rows=3,
    )


class FeeForm(SaysLimits, forms.Form):
    paid_on = _date("Date the fee was paid", "date the fee was paid")


class ClarifyForm(SaysLimits, forms.Form):
    asked_on = _date("Date it was asked", "date it was asked")
    question = _text("What was asked", "Enter what was asked")


class ClarificationAnswerForm(SaysLimits, forms.Form):
    answered_on = _date("Date the answer arrived", "date the answer arrived")
    answer = _text("What they said (optional)", "", required=False)


class ExtendForm(SaysLimits, forms.Form):
    extended_on = _date("Date of the extension", "date of the extension")
    reasons = _text(
        "Reasons for the extension",
        "Enter the reasons for the extension: the requester is told them",
    )


class AnswerForm(SaysLimits, forms.Form):
    on = _date("Date of the answer", "date of the answer")
    summary = _text("What was done", "Enter what was done, for the letter", rows=6)


class RefuseForm(SaysLimits, forms.Form):
    on = _date("Date of the refusal", "date of the refusal")
    exemption = forms.CharField(
        label="Exemption relied on",
        help_text="For example, Data Protection Act 2018 Schedule 2 paragraph 16",
        max_length=500,
        error_messages={"required": "Enter the exemption the refusal relies on"},
    )
    explanation = _text("Why it applies (optional)", "", required=False)


class WithdrawForm(SaysLimits, forms.Form):
    on = _date("Date it was withdrawn", "date it was withdrawn")


class AcknowledgeForm(SaysLimits, forms.Form):
    on = _date("Date of the acknowledgement", "date of the acknowledgement")


class ComplaintOutcomeForm(SaysLimits, forms.Form):
    on = _date("Date of the outcome", "date of the outcome")
    outcome = _text("The outcome", "Enter the outcome, for the letter", rows=6)
