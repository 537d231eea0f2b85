"""Form fields in the GOV.UK patterns that Django does not have: the three-box date."""

import re
from datetime import date

from django import forms

DIGITS = re.compile(r"[0-9]+")


class DateInput(forms.MultiWidget):
    template_name = "web/widgets/date_input.html"

    def __init__(self, attrs=None):
        box = {"inputmode": "numeric", "class": "govuk-input govuk-date-input__input"}
        widgets = {
            "day": forms.TextInput({**box, "class": box["class"] + " govuk-input--width-2"}),
            "month": forms.TextInput({**box, "class": box["class"] + " govuk-input--width-2"}),
            "year": forms.TextInput({**box, "class": box["class"] + " govuk-input--width-4"}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DateField(forms.MultiValueField):
    """A date as day, month and year boxes, with the GOV.UK error messages."""

    widget = DateInput

    def __init__(self, *, label_lower: str = "date", past_only: bool = False, **kwargs):
        self.label_lower = label_lower
        self.past_only = past_only
        # Each box optional to Django, so that a date with a box left empty reaches
        # compress(), which names the date and the missing part ("must include a month"),
        # not Django's "Enter a complete value." naming neither.
        fields = tuple(forms.CharField(required=False) for _ in range(3))
        super().__init__(fields, require_all_fields=False, **kwargs)
        self.error_messages["required"] = f"Enter the {label_lower}"

    def compress(self, values):
        if not values or not any(values):
            return None
        day, month, year = (v.strip() if v else "" for v in values)
        missing = [name for name, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            raise forms.ValidationError(
                f"The {self.label_lower} must include a {' and '.join(missing)}"
            )
        not_real = forms.ValidationError(f"The {self.label_lower} must be a real date")
        # ASCII digits only: int() also takes "+5", "1_0" and other scripts' digits.
        if not all(DIGITS.fullmatch(part) for part in (day, month, year)):
            raise not_real
        # The length before the value: a year of any length is a number date() may not take.
        if len(year) != 4:
            raise forms.ValidationError(f"The year of the {self.label_lower} must be 4 digits")
        if len(day) > 2 or len(month) > 2:
            raise not_real
        try:
            value = date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise not_real from None
        if self.past_only and value > date.today():
            raise forms.ValidationError(f"The {self.label_lower} must be today or in the past")
        return value


def refusal_sentence(problem: object) -> str:
    """A service's refusal as a sentence for a page: services raise "field: rule" (a
    ValueError or its text); the page shows the rule with a capital letter ("" for none)."""
    if not problem:
        return ""
    text = str(problem)
    words = text.partition(": ")[2] or text
    return words[:1].upper() + words[1:]


def add_refusal(form: forms.Form, problem: object, fallback: str | None = None) -> None:
    """A service's refusal ("field: rule") on the form's field of that name, else on
    `fallback`, else at the top of the form, as a sentence."""
    field = str(problem).partition(": ")[0]
    sentence = refusal_sentence(problem)
    for name in (field, fallback):
        if name and name in form.fields:
            form.add_error(name, sentence)
            return
    form.add_error(None, sentence)


# Said the same on every list filtered by a range of days (a chronology, who has seen).
DAY_RANGE_BACKWARDS = (
    "The date to show events to must be the same as or after the date to show events from"
)


def check_day_range(form: forms.Form, data: dict) -> None:
    """Add DAY_RANGE_BACKWARDS to `form`'s "until" when it is before its "since" (both
    dates, from `data`, the cleaned data); nothing when either is missing."""
    since, until = data.get("since"), data.get("until")
    if since and until and until < since:
        form.add_error("until", DAY_RANGE_BACKWARDS)
