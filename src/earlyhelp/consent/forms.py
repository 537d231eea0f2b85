"""The consent forms: a parent's decision on one use, and a withdrawal (one action).

Choices carry public ids and the policy's use ids; the labels are names and the policy's
words. The service (consent.services) checks everything again and names the field."""

from __future__ import annotations

from django import forms
from django.conf import settings

from earlyhelp.consent.models import MediaConsent
from earlyhelp.consent.services import Standing
from earlyhelp.lib.media_files import MIB
from earlyhelp.people.forms import say_limits
from earlyhelp.people.models import Person
from earlyhelp.policy.schema import ConsentShare, ConsentUse
from earlyhelp.web.forms import DateField

GIVEN, REFUSED = MediaConsent.Decision.GIVEN, MediaConsent.Decision.REFUSED


def _parent_field(parents: list[Person], label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[(str(p.public_id), p.full_name) for p in parents],
        # One parent: chosen already.
        initial=str(parents[0].public_id) if len(parents) == 1 else None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the parent",
            "invalid_choice": "Select one of the parents listed",
        },
    )


def _how_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="How did they tell you?",
        choices=MediaConsent.How.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how the parent told you",
            "invalid_choice": "Select one of the ways listed",
        },
    )


class _ChosenParent:
    """The parent a form's `given_by` chose, from those it was offered (`parents`)."""

    parents: dict[str, Person]

    def parent(self) -> Person | None:
        return self.parents.get(self.cleaned_data.get("given_by", ""))  # type: ignore[attr-defined]


class DecisionForm(_ChosenParent, forms.Form):
    """A parent's decision on one use, against the words in force on the day."""

    decided_on = DateField(
        label="When did they decide?",
        label_lower="date they decided",
        help_text="For example, 27 3 2026",
    )

    def __init__(self, *args, parents: list[Person], uses: list[ConsentUse], **kwargs):
        super().__init__(*args, **kwargs)
        self.parents = {str(p.public_id): p for p in parents}
        self.fields["given_by"] = _parent_field(parents, "Which parent decided?")
        self.fields["use"] = forms.ChoiceField(
            label="What did they decide about?",
            choices=[(u.id, u.name) for u in uses],
            widget=forms.RadioSelect,
            error_messages={
                "required": "Select the use the parent decided about",
                "invalid_choice": "Select one of the uses listed",
            },
        )
        self.fields["decision"] = forms.ChoiceField(
            label="What did they decide?",
            choices=[(GIVEN, "They agree"), (REFUSED, "They do not agree")],
            widget=forms.RadioSelect,
            error_messages={
                "required": "Select whether the parent agrees",
                "invalid_choice": "Select whether the parent agrees",
            },
        )
        self.fields["how"] = _how_field()
        self.order_fields(["given_by", "use", "decision", "how", "decided_on"])
        say_limits(self)


class WithdrawForm(_ChosenParent, forms.Form):
    """Withdrawing a consent: who told the nursery, which use, how and when."""

    decided_on = DateField(
        label="When did they tell you?",
        label_lower="date they told you",
        help_text="For example, 27 3 2026",
    )

    def __init__(self, *args, parents: list[Person], given: list[Standing], **kwargs):
        super().__init__(*args, **kwargs)
        self.parents = {str(p.public_id): p for p in parents}
        self.fields["given_by"] = _parent_field(parents, "Which parent is withdrawing it?")
        self.fields["use"] = forms.ChoiceField(
            label="Which consent is withdrawn?",
            choices=[(s.use.id, s.use.name) for s in given],
            widget=forms.RadioSelect,
            error_messages={
                "required": "Select the consent that is withdrawn",
                "invalid_choice": "Select one of the consents listed",
            },
        )
        self.fields["how"] = _how_field()
        self.order_fields(["given_by", "use", "how", "decided_on"])
        say_limits(self)


# --- photos and videos ------------------------------------------------------------------------


def _children_field(children: list[Person], label: str, help_text: str, required: bool):
    return forms.MultipleChoiceField(
        label=label,
        help_text=help_text,
        required=required,
        choices=[(str(c.public_id), c.full_name) for c in children],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select the child the photo or video is about",
            "invalid_choice": "Select children from the list",
        },
    )


class TagsForm(forms.Form):
    """Who is in a photo or video: the children it is about, and any other child in it."""

    def __init__(self, *args, children: list[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.children = {str(c.public_id): c for c in children}
        self.fields["focus"] = _children_field(
            children,
            "Who is it about?",
            "The child (or children) whose learning journey it is part of",
            required=True,
        )
        self.fields["incidental"] = _children_field(
            children,
            "Who else is in it?",
            "Any other child who can be seen or heard in it",
            required=False,
        )

    def clean(self):
        data = super().clean()
        both = set(data.get("focus", [])) & set(data.get("incidental", []))
        if both:
            self.add_error(
                "incidental",
                "A child is either who it is about or else in it, not both: "
                + ", ".join(self.children[k].full_name for k in sorted(both)),
            )
        return data

    def chosen(self, field: str) -> list[Person]:
        return [self.children[k] for k in self.cleaned_data.get(field, [])]


class UploadForm(TagsForm):
    """A photo or video, when it was taken, the observation, and the children in it."""

    file = forms.FileField(
        label="Photo or video",
        help_text="A JPG or PNG photo, or an MP4 video. Location and camera details are removed.",
        error_messages={"required": "Select a photo or video to upload"},
    )
    taken_on = DateField(
        label="When was it taken?",
        label_lower="date it was taken",
        help_text="For example, 27 3 2026",
    )
    observation = forms.CharField(
        label="Observation (optional)",
        required=False,
        max_length=5000,
        help_text=(
            "What the child is doing and learning, for their learning journey: the parents "
            "of every child in focus see it"
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["file", "taken_on", "focus", "incidental", "observation"])
        say_limits(self)

    def clean_file(self):
        """Refused by its size before a byte of it is read (its content is checked later,
        by consent.media.upload)."""
        upload = self.cleaned_data["file"]
        limit = settings.MEDIA_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"The file must be smaller than {limit // MIB} MB")
        return upload


class ShareMediaForm(forms.Form):
    """Which way a photo or video goes (of those every child's consent allows today), and
    how the link to its package is sent to the app's provider."""

    how = forms.CharField(
        label="How is the link sent to the app's provider?",
        max_length=200,
        help_text="For example: by secure email to the eyLog support team",
        error_messages={"required": "Say how the link is sent to the app's provider"},
    )

    def __init__(self, *args, ways: list[ConsentShare], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["way"] = forms.ChoiceField(
            label="Who should it go to?",
            choices=[(w.id, w.name) for w in ways],
            # One way open: chosen already.
            initial=ways[0].id if len(ways) == 1 else None,
            widget=forms.RadioSelect,
            error_messages={
                "required": "Select who it should go to",
                "invalid_choice": "Select one of the ways listed",
            },
        )
        self.order_fields(["way", "how"])
        say_limits(self)


class EraseMediaForm(forms.Form):
    """Why a child's photos and videos are erased, confirmed."""

    reason = forms.CharField(
        label="Why are they erased?",
        max_length=500,
        help_text="For example: the parent asked for their child's photos to be deleted",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the photos and videos are erased"},
    )
    confirm = forms.BooleanField(
        label="I understand these photos and videos, and their previews, are deleted for good",
        error_messages={"required": "Confirm that the photos and videos are deleted for good"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say_limits(self)
