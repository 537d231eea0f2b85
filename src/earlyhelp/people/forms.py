"""Forms for finding and recording people: every value checked as plausible, not just parseable.

The rules are earlyhelp.lib.plausible's (dates, names, lengths) and
earlyhelp.people.identifiers' (NHS number check digit and ranges); each refusal names the
field and the rule.
"""

from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, ProhibitNullCharactersValidator
from django.utils import timezone

from earlyhelp.lib.plausible import (
    EARLIEST_BIRTH,
    birth_date_error,
    control_character_error,
    event_date_error,
    name_error,
)
from earlyhelp.people.choices import Source
from earlyhelp.people.identifiers import (
    NHS_ISSUED_RANGES,
    format_nhs_number,
    nhs_number_is_valid,
    nhs_number_range,
    normalise_district,
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
    postcode_is_valid,
    upn_is_valid,
)
from earlyhelp.people.models import ContactMethod
from earlyhelp.people.moves import (
    MOVES_ALONE,
    move_date_error,
    restricted_move_message,
    restricted_other,
)
from earlyhelp.people.search import birth_range
from earlyhelp.web.forms import DateField

# What a person would type: longer names are refused (the model holds 100 characters).
NAME_MAX = 100


def today() -> date:
    """Today in the UK calendar (the service's time zone)."""
    return timezone.localdate()


def field_words(field: forms.Field) -> str:
    """A field's name as a sentence starts it: "Date of birth", "Address line 2"."""
    words = getattr(field, "label_lower", None) or str(field.label or "This field")
    words = words.removesuffix(" (optional)")
    return words[:1].upper() + words[1:]


def _no_control_characters(field: str):
    """A validator refusing control characters, naming ``field`` (lib.plausible)."""

    def validate(value: object) -> None:
        if isinstance(value, str):
            check(control_character_error(value, field=field))

    return validate


def say_limits(form: forms.BaseForm) -> None:
    """Give every text field with a length limit a message naming the field and the limit,
    and refuse control characters in every text field, naming it.

    Django's own ("Ensure this value has at most 100 characters") names neither.
    """
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and field.max_length:
            field.error_messages["max_length"] = (
                f"{field_words(field)} must be {field.max_length:,} characters or fewer"
            )
        if isinstance(field, forms.CharField) and not getattr(field, "_says_controls", False):
            # Django's null-character check names no field; this one names it, and refuses
            # every control character a keyboard does not type.
            field.validators = [
                v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
            ] + [_no_control_characters(field_words(field))]
            field._says_controls = True
        if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
            # Never the value sent (an id): the field, and that it is one of a list.
            field.error_messages["invalid_choice"] = (
                f"{field_words(field)}: select one of the options shown"
            )


def check(message: str | None) -> None:
    """Raise ``message`` as the field's error, if there is one."""
    if message is not None:
        raise forms.ValidationError(message)


def _issued_ranges() -> str:
    """The issued ranges in words, merged where they touch: for the refusal message."""
    spans: list[list[int]] = []
    for _, first, last in sorted(NHS_ISSUED_RANGES, key=lambda r: r[1]):
        if spans and first <= spans[-1][1] + 1:
            spans[-1][1] = max(spans[-1][1], last)
        else:
            spans.append([first, last])
    return " or ".join(
        f"{format_nhs_number(f'{a:010d}')} to {format_nhs_number(f'{b:010d}')}" for a, b in spans
    )


def clean_nhs_number(value: str, *, synthetic: bool | None = None) -> str:
    """The NHS number as ten digits, if it is one that could be a person's; "" if empty.

    Refused: not ten digits; a check digit that does not check; a number outside the ranges
    ever issued (identifiers.NHS_ISSUED_RANGES: ``000 000 0000`` checks but was never
    issued); a number of the NHS test range (999...) unless the data is synthetic
    (``settings.SYNTHETIC_DATA``, or ``synthetic`` when given): the demo and the tests.
    """
    if not value:
        return ""
    digits = "".join(value.split())
    if not digits.isdigit() or len(digits) != 10:
        raise forms.ValidationError("NHS number must be 10 digits, like 943 476 5919")
    if not nhs_number_is_valid(digits):
        raise forms.ValidationError("Enter a valid NHS number: its last digit does not check")
    allowed_test = settings.SYNTHETIC_DATA if synthetic is None else synthetic
    where = nhs_number_range(digits)
    shown = format_nhs_number(digits)
    if where == "test" and not allowed_test:
        raise forms.ValidationError(
            f"NHS number {shown} is a test number that is never given to a person: "
            "enter their real NHS number, or leave it empty"
        )
    if where is None:
        raise forms.ValidationError(
            f"NHS number {shown} has never been issued: NHS numbers are from {_issued_ranges()}"
        )
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
    field_order = ["name", "date_of_birth", "born", "postcode", "nhs_number", "upn"]

    name = forms.CharField(
        label="Name",
        required=False,
        max_length=200,
        help_text=(
            "Any order. Spellings a letter out, nicknames, part of a double family name "
            "and former names are found too"
        ),
    )
    date_of_birth = DateField(
        label="Date of birth",
        label_lower="date of birth",
        required=False,
        help_text="For example, 27 3 2014",
    )

    born = forms.CharField(
        label="Age or year of birth",
        required=False,
        max_length=4,
        help_text=(
            "If you do not know the date of birth: an age, like 7 (taken as 6 to 8), "
            "or a year of birth, like 2019. Narrows a search by name"
        ),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
    )

    # What each field is, in the message asking for at least one of them.
    ASKED_AS = {
        "name": "a name",
        "date_of_birth": "date of birth",
        "postcode": "postcode",
        "nhs_number": "NHS number",
        "upn": "unique pupil number",
    }

    def __init__(self, *args, only: tuple[str, ...] | None = None, **kwargs):
        """`only`: the fields a page shows (a search inside another page asks for fewer);
        the others are dropped, so an error never names a box the page does not have."""
        super().__init__(*args, **kwargs)
        if only is not None:
            for name in [n for n in self.fields if n not in only]:
                del self.fields[name]
        say_limits(self)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if name:
            check(name_error(name, field="Name"))
        return name

    def clean_date_of_birth(self) -> date | None:
        born = self.cleaned_data["date_of_birth"]
        check(birth_date_error(born, today=today()))
        return born

    def clean_born(self) -> tuple[date, date] | None:
        """The dates of birth an age or year allows (search.birth_range), or None."""
        value = self.cleaned_data["born"].strip()
        if not value:
            return None
        on = today()
        # The same bounds as a date of birth: born no earlier than EARLIEST_BIRTH.
        first_year = EARLIEST_BIRTH.year
        oldest = on.year - first_year
        # ASCII digits only: "²" passes str.isdigit() but int() refuses it.
        number = int(value) if value.isascii() and value.isdigit() else -1
        if not (0 <= number <= oldest or first_year <= number <= on.year):
            raise forms.ValidationError(
                f"Age or year of birth must be an age from 0 to {oldest}, like 7, "
                f"or a year from {first_year} to {on.year}, like 2019"
            )
        return birth_range(number, on)

    def clean_postcode(self) -> str:
        # A search may give only the district ("N7"): the person may have moved within it.
        value = self.cleaned_data["postcode"].strip()
        if not value or postcode_is_valid(value):
            return clean_postcode(value)
        try:
            return normalise_district(value)
        except ValueError:
            raise forms.ValidationError(
                "Enter a real UK postcode, like NW5 2AB, or its first part, like NW5"
            ) from None

    def clean(self):
        data = super().clean()
        if data.get("born") and not data.get("name"):
            # An age alone matches thousands: it only narrows a search by name.
            self.add_error(
                "born", "Age or year of birth narrows a search by name: enter a name too"
            )
            return data
        asked_for = [name for name in self.fields if name in self.ASKED_AS]
        if not self.errors and not any(data.get(f) for f in asked_for):
            asked = [self.ASKED_AS[name] for name in asked_for]
            raise forms.ValidationError(f"Enter {', '.join(asked[:-1])} or {asked[-1]}")
        return data


class PersonForm(IdentifierFields):
    given_name = forms.CharField(
        label="First name", max_length=NAME_MAX, error_messages={"required": "Enter the first name"}
    )
    family_name = forms.CharField(
        label="Last name", max_length=NAME_MAX, error_messages={"required": "Enter the last name"}
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
        say_limits(self)

    def clean_given_name(self) -> str:
        name = self.cleaned_data["given_name"]
        check(name_error(name, field="First name"))
        return name

    def clean_family_name(self) -> str:
        name = self.cleaned_data["family_name"]
        check(name_error(name, field="Last name"))
        return name

    def clean_date_of_birth(self) -> date | None:
        born = self.cleaned_data["date_of_birth"]
        check(birth_date_error(born, today=today()))
        return born


class _MoveChoiceField(forms.ChoiceField):
    """A choice of household to move with; a household not offered because of a restricted
    record is refused with whom to ask, not as "not a choice"."""

    def __init__(self, *args, refused: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.refused = refused

    def validate(self, value) -> None:
        if value in self.refused:
            raise ValidationError(self.refused[value])
        super().validate(value)


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

    def __init__(self, *args, person=None, households=(), user=None, **kwargs):
        """``person``, if given, is whose address it is: they moved in after they were born,
        and after they moved in to their current address.

        ``households``, the households they live in now: the form then asks which of them
        moves with them, if any, so a household's address and theirs never disagree. A
        household with a record restricted from ``user`` is not offered (the form says
        whom to ask), and refused if posted.
        """
        super().__init__(*args, **kwargs)
        self.person = person
        self.moving = {}  # choice -> Household
        if households and person is not None:
            choices, refused, notes = [], {}, []
            for household in households:
                other = restricted_other(user, household, person) if user else None
                if other is None:
                    choices.append(
                        (
                            str(household.public_id),
                            f"Yes, with the household at {household.address}",
                        )
                    )
                    self.moving[str(household.public_id)] = household
                else:
                    refused[str(household.public_id)] = restricted_move_message(other)
                    notes.append(restricted_move_message(other))
            choices.append((MOVES_ALONE, f"No, {person.given_name} leaves"))
            places = " and at ".join(str(h.address) for h in households)
            lives = "households" if len(households) > 1 else "household"
            self.fields["household_moves"] = _MoveChoiceField(
                label="Does the household move too?",
                help_text=" ".join(
                    [f"{person.given_name} lives in the {lives} at {places}"]
                    + [f"{note}." for note in dict.fromkeys(notes)]
                ),
                choices=choices,
                refused=refused,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Select whether the household moves too",
                    "invalid_choice": "Select whether the household moves too",
                },
            )
        say_limits(self)
        if "household_moves" in self.fields:
            # The question, not its label: "Does the household move too?: select one ...".
            self.fields["household_moves"].error_messages["invalid_choice"] = (
                "Select whether the household moves too"
            )

    def clean_line_1(self) -> str:
        line = self.cleaned_data["line_1"]
        if not any(ch.isalnum() for ch in line):
            raise forms.ValidationError("Address line 1 must include a letter or a number")
        return line

    def clean_town(self) -> str:
        town = self.cleaned_data["town"]
        check(name_error(town, field="Town or city"))
        return town

    def clean_moved_in(self) -> date | None:
        moved_in = self.cleaned_data["moved_in"]
        born = getattr(self.person, "date_of_birth", None)
        check(event_date_error(moved_in, field="Date they moved in", today=today(), born=born))
        if self.person is not None:
            check(move_date_error(self.person, moved_in))
        return moved_in

    def clean(self) -> dict:
        data = super().clean()
        moving = self.moving.get(data.get("household_moves", ""))
        if moving is not None and self.person is not None and "moved_in" in data:
            # Everyone moving with the household moved in to its address before this.
            error = move_date_error(self.person, data["moved_in"], moving)
            if error:
                self.add_error("moved_in", error)
        return data

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say_limits(self)

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


class MergeForm(forms.Form):
    """Why the two records compared side by side are the same person: the confirmation."""

    reason = forms.CharField(
        label="Why are they the same person?",
        help_text="For example: same NHS number confirmed by the GP surgery",
        max_length=2000,
        error_messages={"required": "Enter why they are the same person"},
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say_limits(self)


class UndoMergeForm(forms.Form):
    reason = forms.CharField(
        label="Why undo this merge?",
        help_text="For example: the NHS numbers differ; they are cousins with the same name",
        max_length=2000,
        error_messages={"required": "Enter why the merge is being undone"},
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say_limits(self)
