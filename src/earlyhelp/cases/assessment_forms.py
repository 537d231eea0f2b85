"""Forms for an Early Help assessment: starting one, recording it with its needs, completing it.

Every message names the field and the rule. The headline outcomes a need is classed
against are the policy's (cases.assessments.headline_outcome_choices), shown by their names.
"""

from django import forms

from earlyhelp.cases.assessments import (
    DESCRIPTION_LIMIT,
    NeedEntry,
    headline_outcome_choices,
)
from earlyhelp.cases.models import Assessment, Case, Need
from earlyhelp.lib.plausible import format_day, period_error, range_error
from earlyhelp.people.forms import say_limits, today
from earlyhelp.web.forms import DateField

# A new assessment, rather than a review of an earlier one.
NEW = "new"
# The family's agreement to work together, as the radios give it, and as it is stored.
AGREED = {"yes": True, "no": False, "not-asked": None}
TEXT_LIMIT = 20000


def _text(label: str, help_text: str, rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _not_before_case(value, *, field: str, case: Case) -> str | None:
    return range_error(
        value,
        field=field,
        earliest=case.started,
        latest=today(),
        earliest_words=f"the date the case opened ({format_day(case.started)})",
        latest_words="today",
    )


class StartAssessmentForm(forms.Form):
    reviews = forms.ChoiceField(
        label="What kind of assessment",
        required=False,
        error_messages={"required": "Select what kind of assessment"},
    )
    started = DateField(
        label="Date the assessment started",
        label_lower="date the assessment started",
        past_only=True,
        help_text="For example, 25 11 2026",
    )

    def __init__(self, *args, case: Case, earlier: list[Assessment], **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.earlier = {str(a.public_id): a for a in earlier}
        self.fields["reviews"].choices = [(NEW, "A new early help assessment")] + [
            (
                key,
                f"A review of the {a.get_kind_display().lower()} completed "
                f"{format_day(a.completed)}",
            )
            for key, a in self.earlier.items()
        ]
        if self.earlier:
            self.fields["reviews"].required = True
        say_limits(self)

    def clean(self):
        """Not before the case opened, nor (a review) before the assessment it reviews was
        completed; not after today; only on an open case."""
        data = super().clean()
        if not self.case.is_open:
            raise forms.ValidationError(
                f"The case closed on {format_day(self.case.ended)}: "
                "an assessment is started on an open case"
            )
        started = data.get("started")
        reviewed = self.reviewed()
        if started is not None:
            message = _not_before_case(
                started, field="The date the assessment started", case=self.case
            )
            if message is None and reviewed is not None:
                message = period_error(
                    reviewed.completed,
                    started,
                    start_field="date the assessment it reviews was completed",
                    end_field="The date the assessment started",
                )
            if message:
                self.add_error("started", message)
        return data

    def reviewed(self) -> Assessment | None:
        """The earlier assessment this one reviews; None for a new assessment."""
        return self.earlier.get(self.cleaned_data.get("reviews") or NEW)


class AssessmentForm(forms.Form):
    started = DateField(
        label="Date the assessment started",
        label_lower="date the assessment started",
        past_only=True,
    )
    took_part = _text(
        "Who took part",
        "The family members and professionals who took part, and their roles",
        rows=3,
    )
    family_views = _text(
        "The family's views", "What the family say about how things are and what they want"
    )
    child_views = _text(
        "The child's views, wishes and feelings",
        "In the child or young person's own words where you can; if they were not asked, say why",
    )
    strengths = _text("Strengths", "What is going well, and who and what the family can rely on")
    summary = _text("Summary", "What the assessment found and what happens next")
    family_agreed = forms.ChoiceField(
        label="Do the family agree to work together with the service?",
        help_text=(
            "Their agreement to work with us on the assessment and plan. It is not the legal "
            "basis for recording their information, which is not consent (privacy notice, "
            "section 12)."
        ),
        choices=[
            ("yes", "Yes, they agree to work together with us"),
            ("no", "No, they do not agree"),
            ("not-asked", "Not asked yet"),
        ],
        error_messages={"required": "Select whether the family agree to work together"},
    )
    family_agreed_on = DateField(
        label="Date they said so (if asked)",
        label_lower="date the family said whether they agree",
        past_only=True,
        required=False,
        help_text="For example, 25 11 2026",
    )

    def __init__(self, data=None, *args, assessment: Assessment, **kwargs):
        self.assessment = assessment
        if data is None and "initial" not in kwargs:
            kwargs["initial"] = {
                "started": assessment.started,
                "took_part": assessment.took_part,
                "family_views": assessment.family_views,
                "child_views": assessment.child_views,
                "strengths": assessment.strengths,
                "summary": assessment.summary,
                "family_agreed": next(
                    key for key, value in AGREED.items() if value is assessment.family_agreed
                ),
                "family_agreed_on": assessment.family_agreed_on,
            }
        super().__init__(data, *args, **kwargs)
        say_limits(self)

    def clean(self):
        """Started between the case's opening and today (a review: not before the
        assessment it reviews was completed); the family's answer dated once they were asked,
        on a day between the case's opening and today."""
        data = super().clean()
        case = self.assessment.case
        started = data.get("started")
        if started is not None:
            message = _not_before_case(started, field="The date the assessment started", case=case)
            reviewed = self.assessment.reviews
            if message is None and reviewed is not None and reviewed.completed:
                message = period_error(
                    reviewed.completed,
                    started,
                    start_field="date the assessment it reviews was completed",
                    end_field="The date the assessment started",
                )
            if message:
                self.add_error("started", message)
        answer = data.get("family_agreed")
        on = data.get("family_agreed_on")
        if answer in ("yes", "no") and on is None and "family_agreed_on" not in self.errors:
            self.add_error("family_agreed_on", "Enter the date the family said whether they agree")
        elif answer == "not-asked":
            data["family_agreed_on"] = None
        elif on is not None:
            message = _not_before_case(
                on, field="The date the family said whether they agree", case=case
            )
            if message:
                self.add_error("family_agreed_on", message)
        return data

    def changes(self) -> dict:
        """The assessment's fields as the form gives them, for update_assessment."""
        data = self.cleaned_data
        names = ("started", "took_part", "family_views", "child_views", "strengths", "summary")
        fields = {name: data[name] for name in names}
        fields["family_agreed"] = AGREED[data["family_agreed"]]
        fields["family_agreed_on"] = data["family_agreed_on"]
        return fields


class NeedForm(forms.Form):
    """One need: the headline outcome it is classed against, and what it is."""

    need = forms.CharField(required=False, widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label="Headline outcome", required=False)
    description = forms.CharField(
        label="The need",
        help_text="What the family need help with in this area",
        required=False,
        max_length=DESCRIPTION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    remove = forms.BooleanField(label="Remove this need", required=False)

    def __init__(self, *args, number: int, known: dict[str, Need], **kwargs):
        super().__init__(*args, **kwargs)
        self.number = number
        self.known = known
        self.fields["outcome"].choices = [
            ("", "Choose a headline outcome"),
            *headline_outcome_choices(),
        ]
        say_limits(self)
        self.fields["outcome"].error_messages["invalid_choice"] = (
            f"Need {number}: select one of the headline outcomes shown"
        )
        self.fields["description"].error_messages["max_length"] = (
            f"Need {number}: the description must be {DESCRIPTION_LIMIT:,} characters or fewer"
        )

    def existing(self) -> Need | None:
        key = (self.cleaned_data.get("need") if hasattr(self, "cleaned_data") else None) or ""
        return self.known.get(key)

    def clean(self):
        """A need has both an outcome and a description; a blank row is no need."""
        data = super().clean()
        key = data.get("need") or ""
        if key and key not in self.known:
            raise forms.ValidationError(f"Need {self.number} is not one of this assessment's")
        if data.get("remove"):
            if key and self.known[key].goals.exists():
                self.add_error(
                    "remove",
                    f"Need {self.number}: a goal of the family's plan works on this need, "
                    "so it cannot be removed; change it instead",
                )
            return data
        outcome, description = data.get("outcome"), (data.get("description") or "").strip()
        if not key and not outcome and not description:
            return data
        if not outcome and "outcome" not in self.errors:
            self.add_error(
                "outcome", f"Need {self.number}: select the headline outcome it is classed against"
            )
        if not description and "description" not in self.errors:
            self.add_error("description", f"Need {self.number}: describe the need")
        return data

    def entry(self) -> NeedEntry | None:
        """The need to write, or None for a blank row or a need to remove."""
        data = self.cleaned_data
        if data.get("remove") or not data.get("outcome"):
            return None
        return NeedEntry(
            outcome=data["outcome"], description=data["description"].strip(), need=self.existing()
        )

    def removed(self) -> Need | None:
        return self.existing() if self.cleaned_data.get("remove") else None


# Each page of the form offers the needs recorded so far and this many blank rows.
BLANK_NEEDS = 3
MOST_NEEDS = 60


class BaseNeedFormSet(forms.BaseFormSet):
    default_error_messages = {
        "missing_management_form": "The list of needs was not sent whole: open the page again",
        "too_many_forms": "An assessment records at most %(num)d needs",
        "too_few_forms": "The list of needs was not sent whole: open the page again",
    }

    def __init__(self, data=None, *args, assessment: Assessment, **kwargs):
        self.known = {str(n.public_id): n for n in assessment.found_needs.order_by("pk")}
        if data is None and "initial" not in kwargs:
            kwargs["initial"] = [
                {"need": key, "outcome": n.outcome, "description": n.description}
                for key, n in self.known.items()
            ]
        super().__init__(data, *args, **kwargs)

    def get_form_kwargs(self, index):
        return {"number": index + 1, "known": self.known}

    def clean(self):
        """Each existing need appears once."""
        if any(self.errors):
            return
        keys = [f.cleaned_data.get("need") for f in self.forms if f.cleaned_data.get("need")]
        if len(keys) != len(set(keys)):
            raise forms.ValidationError("Each need can be listed only once")

    def entries(self) -> list[NeedEntry]:
        return [entry for f in self.forms if (entry := f.entry()) is not None]

    def removed(self) -> list[Need]:
        return [need for f in self.forms if (need := f.removed()) is not None]


NeedFormSet = forms.formset_factory(
    NeedForm,
    formset=BaseNeedFormSet,
    extra=BLANK_NEEDS,
    max_num=MOST_NEEDS,
    absolute_max=MOST_NEEDS + BLANK_NEEDS,
    validate_max=True,
)


class CompleteAssessmentForm(forms.Form):
    completed = DateField(
        label="Date the assessment was completed",
        label_lower="date the assessment was completed",
        past_only=True,
        help_text="For example, 25 11 2026",
    )

    def __init__(self, *args, assessment: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment = assessment

    def clean(self):
        """Completed on or after the day it started, and not after today."""
        data = super().clean()
        message = period_error(
            self.assessment.started,
            data.get("completed"),
            start_field="date the assessment started",
            end_field="The date the assessment was completed",
        )
        if message:
            self.add_error("completed", message)
        return data
