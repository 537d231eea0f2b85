"""Forms for sharing: what to share with whom and why, and whether the family is told; a
decision not to share; a manager's approval; recording that an approved disclosure left.

Choices are the policy's, in its words, never its ids; each option says what it is. The
rules are the services' (sharing.services): a valid form is given to them, and their
refusal is put on the field it names (web.forms.add_refusal).
"""

from __future__ import annotations

from django import forms

from earlyhelp.people.forms import say_limits
from earlyhelp.policy.schema import Policy
from earlyhelp.sharing import services, words
from earlyhelp.sharing.models import Disclosure
from earlyhelp.web.forms import DateField

TELL, DO_NOT_TELL = "tell", "do_not_tell"
PACKAGE = Disclosure.Method.PROTECTED_PACKAGE
# Typed methods: a protected package is never typed with a reference, only made
# (sharing.packages).
TYPED_METHODS = [(value, label) for value, label in Disclosure.Method.choices if value != PACKAGE]
PACKAGE_CHOICE = (
    PACKAGE,
    "A protected package, made now: an encrypted PDF behind a link that expires, the "
    "password sent by another route",
)
APPROVE, REFUSE = "approve", "refuse"


def _text(label: str, required: str, help_text: str = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=bool(required),
        max_length=services.TEXT_LIMIT,
        error_messages={"required": required} if required else {},
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _method() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="How is it sent?",
        choices=TYPED_METHODS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the information is sent"},
    )


def _reference() -> forms.CharField:
    return forms.CharField(
        label="Reference",
        help_text="The reference of the secure email or of the upload to the partner's portal",
        required=False,
        max_length=services.REFERENCE_LIMIT,
    )


def _package_how(label: str = "How will you send the link?", required: bool = True):
    return forms.CharField(
        label=label,
        help_text="For example: by secure email to the school's safeguarding lead. Send the "
        "password another way.",
        required=required,
        max_length=200,
        error_messages={"required": "Enter how you will send the link"},
    )


def item_label(policy: Policy, item: services.Item) -> str:
    """An item as the form lists it: what it is, its date, and its categories in words."""
    day = f", {item.day:%-d %B %Y}" if item.day else ""
    what = f": {item.summary}" if item.summary else ""
    cats = "; ".join(words.categories_words(policy, item.categories))
    marked = " (special category or criminal offence information)" if item.sensitive else ""
    return f"{item.label}{day}{what}. Holds: {cats}{marked}"


class ShareForm(forms.Form):
    """What to share with whom and why, and whether the family is told."""

    recipient = forms.ChoiceField(
        label="Who is it shared with?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the information is shared with"},
    )
    purpose = forms.ChoiceField(
        label="Why is it shared?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the information is shared"},
    )
    items = forms.MultipleChoiceField(
        label="Which records are shared?",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one record to share"},
    )
    tell = forms.ChoiceField(
        label="Is the family told?",
        choices=[
            (TELL, "Yes: the family is told what is shared, with whom and why"),
            (DO_NOT_TELL, "No: an exemption applies (a team manager must approve first)"),
        ],
        initial=TELL,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the family is told"},
    )
    exemption = forms.ChoiceField(
        label="If not told, which exemption applies?",
        required=False,
        widget=forms.RadioSelect,
    )
    exemption_reason = _text("If not told, why not?", "")
    method = _method()
    reference = _reference()
    how = _package_how("If a protected package: how will you send the link?", required=False)

    def __init__(self, *args, policy: Policy, items: list[services.Item], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = services.recipient_choices(policy)
        self.fields["purpose"].choices = services.purpose_choices(policy)
        self.fields["items"].choices = [(i.key, item_label(policy, i)) for i in items]
        self.fields["exemption"].choices = services.exemption_choices(policy)
        self.fields["method"].choices = [*TYPED_METHODS, PACKAGE_CHOICE]
        say_limits(self)

    def clean(self):
        data = super().clean()
        if data.get("method") == PACKAGE and data.get("tell") != DO_NOT_TELL:
            if not data.get("how"):
                self.add_error("how", "Enter how you will send the link")
            if data.get("reference"):
                self.add_error(
                    "reference", "A protected package's reference is its own: leave this empty"
                )
        # How it is sent matters only when it leaves now: a share the family is not told
        # of waits for a manager's approval, and is sent after it.
        if data.get("tell") == DO_NOT_TELL:
            self.errors.pop("method", None)
            data.pop("method", None)
        return data


class NotSharingForm(forms.Form):
    """A decision not to share, with its reason."""

    recipient = forms.ChoiceField(
        label="Who asked, or who would it have been shared with?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the information would have been shared with"},
    )
    purpose = forms.ChoiceField(
        label="For what purpose?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the purpose"},
    )
    reason = _text(
        "Why is it not shared?",
        "Say why the information is not shared",
        help_text="For example, why sharing would be more detrimental to the child than not",
    )
    # Children Act 2004 s.16LA: once in force, a child's information is not shared only
    # where sharing would be more detrimental to the child (sharing.services.not_sharing_reason).
    more_detrimental = forms.BooleanField(
        label="Sharing would be more detrimental to the child than not sharing", required=False
    )

    def __init__(self, *args, policy: Policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = services.recipient_choices(policy)
        self.fields["purpose"].choices = services.purpose_choices(policy)
        say_limits(self)


class ApprovalForm(forms.Form):
    """A team manager's decision on a disclosure the family is not told of."""

    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            (APPROVE, "Approve: the information may be sent without telling the family"),
            (REFUSE, "Refuse: the information is not sent"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve or refuse the disclosure"},
    )
    note = _text("Note", "", help_text="Needed when you refuse: say why")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say_limits(self)


class SendPackageForm(forms.Form):
    """How the link of an approved disclosure's protected package is sent."""

    how = _package_how()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say_limits(self)


class WithdrawLinkForm(forms.Form):
    """Why a disclosure's protected package link is ended now."""

    reason = _text(
        "Why are you withdrawing the link?",
        "Say why the link is withdrawn",
        help_text="For example: the link was sent to the wrong address",
        rows=3,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say_limits(self)


class NewLinkForm(forms.Form):
    """A new link and password for a disclosure sent as a protected package: why, and how
    the new link is sent."""

    reason = _text(
        "Why is a new link needed?",
        "Say why a new link is needed",
        help_text="For example: the recipient did not receive the password",
        rows=3,
    )
    how = _package_how()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say_limits(self)


class FamilyToldForm(forms.Form):
    """How and when the family was told of a disclosure."""

    how = forms.ChoiceField(
        label="How was the family told?",
        choices=Disclosure._meta.get_field("family_told_how").choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the family was told"},
    )
    on = DateField(
        label="When were they told?",
        label_lower="date they were told",
        past_only=True,
        help_text="For example, 27 11 2026",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say_limits(self)


class SentForm(forms.Form):
    """How an approved disclosure left, and its reference."""

    method = _method()
    reference = _reference()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say_limits(self)
