"""Forms for partners' requests, moves abroad, transfers and emergency shares.

Choices are the policy's, in its words. The rules are the services' (partner_requests,
transfers, emergency): a valid form is given to them and their refusal is put on the field
it names (web.forms.add_refusal). Forms that share reuse the share form (sharing.forms).
"""

from __future__ import annotations

from django import forms

from earlyhelp.people.forms import say_limits
from earlyhelp.policy.schema import Policy
from earlyhelp.sharing import countries, partner_requests, services, transfers
from earlyhelp.sharing.forms import APPROVE, DO_NOT_TELL, REFUSE, TELL, TYPED_METHODS, ShareForm
from earlyhelp.sharing.models import Relocation
from earlyhelp.web.forms import DateField

LINE_LIMIT = 200


def _line(label: str, required: str = "", help_text: str = "", limit: int = LINE_LIMIT):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=bool(required),
        max_length=limit,
        error_messages={"required": required} if required else {},
    )


def _text(label: str, required: str = "", help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=bool(required),
        max_length=services.TEXT_LIMIT,
        error_messages={"required": required} if required else {},
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class LogPartnerRequestForm(forms.Form):
    """A request for a person's information received from a partner."""

    recipient = forms.ChoiceField(
        label="Which kind of organisation is asking?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which kind of organisation is asking"},
    )
    organisation = _line("Organisation", "Name the organisation asking")
    requester = _line("Who is asking?", "Name the person asking")
    requester_contact = _line(
        "Their contact for the answer",
        "Give a contact for the answer",
        help_text="A secure email address, a phone number or the partner's portal",
    )
    basis = forms.ChoiceField(
        label="The legal basis they claim",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the legal basis they claim"},
    )
    form_reference = _line(
        "Their form's reference",
        help_text="The reference of the requester's own form (a police disclosure request "
        "form, for example), where the legal basis needs one",
        limit=partner_requests.FORM_REFERENCE_LIMIT,
    )
    asked = _text("What are they asking for?", "Say what they are asking for")
    received_on = DateField(
        label="When was it received?",
        label_lower="date it was received",
        past_only=True,
        help_text="For example, 27 11 2026",
    )

    def __init__(self, *args, policy: Policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = partner_requests.requester_choices(policy)
        self.fields["basis"].choices = partner_requests.basis_choices(policy)
        say_limits(self)


class PartnerApprovalForm(forms.Form):
    """An IG officer's or team manager's decision on answering a request by sharing."""

    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            (APPROVE, "Approve: the legal basis claimed applies; it may be answered by sharing"),
            (REFUSE, "Refuse: nothing is shared in answer"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve or refuse"},
    )
    note = _text("Note", help_text="Needed when you refuse: say why")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say_limits(self)


class AnswerByRefusingForm(forms.Form):
    """A decision not to share in answer to a request, with its reason."""

    more_detrimental = forms.BooleanField(
        label="Sharing would be more detrimental to the child than not sharing",
        required=False,
    )
    reason = _text("Why is it not shared?", "Say why the information is not shared")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say_limits(self)


class RelocationForm(forms.Form):
    """A child's move to live abroad, with the authority there: the country chosen by its
    name from the ISO 3166 list (the United Kingdom left out); its code is what is kept."""

    country = forms.ChoiceField(
        label="Which country have they moved to?",
        widget=forms.Select,
        error_messages={"required": "Choose the country they have moved to"},
    )
    receiving_authority = _line(
        "The authority there",
        "Name the authority in that country the council liaises with",
        help_text="The authority in that country the council liaises with",
    )
    moved_on = DateField(
        label="When did they move?",
        label_lower="date they moved",
        help_text="For example, 27 11 2026",
    )

    def __init__(self, *args, policy: Policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [
            ("", "Choose a country"),
            *countries.abroad_choices(policy),
        ]
        say_limits(self)
        # Not say_limits' "<label>: select one of the options shown": the label is a question.
        self.fields["country"].error_messages["invalid_choice"] = (
            "Choose the country they have moved to from the list"
        )


class ShareAbroadForm(ShareForm):
    """A share with an authority abroad: the move it relies on and the route."""

    relocation = forms.ChoiceField(
        label="The move abroad it relies on",
        widget=forms.RadioSelect,
        required=False,
    )
    route = forms.ChoiceField(
        label="The route for the transfer",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the route for the transfer"},
    )

    def __init__(self, *args, relocations: list[Relocation], **kwargs):
        super().__init__(*args, **kwargs)
        policy = kwargs["policy"]
        self.fields["route"].choices = transfers.route_choices(policy)
        self.fields["relocation"].choices = [
            (
                str(r.public_id),
                f"{r.country_words}, from {r.moved_on:%-d %B %Y}: {r.receiving_authority}",
            )
            for r in relocations
        ]
        self.order_fields(["relocation", "route"])


class EmergencyShareForm(ShareForm):
    """A share made first in a safeguarding emergency."""

    emergency_reason = _text("What is the emergency?", "Say what the emergency is")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["emergency_reason"])
        # It leaves now, by a route already set up (a protected package is sent from the
        # disclosure's page afterwards); a manager approves after, whether or not told.
        self.fields["method"].choices = TYPED_METHODS
        del self.fields["how"]
        self.fields["tell"].choices = [
            (TELL, "Yes: the family is told what is shared, with whom and why"),
            (DO_NOT_TELL, "No: an exemption applies"),
        ]

    def clean(self):
        # An emergency share leaves now, whether or not the family is told: how it is sent
        # is needed either way (ShareForm drops it when the family is not told).
        return forms.Form.clean(self)


class EmergencyApprovalForm(forms.Form):
    """A team manager's approval of a share made first in an emergency."""

    approve = forms.BooleanField(
        label="I approve this share, made first in a safeguarding emergency",
        error_messages={"required": "Tick the box to approve the share"},
    )
    note = _text("Note", help_text="Anything the approval should record")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say_limits(self)
