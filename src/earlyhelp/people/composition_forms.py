"""Forms for family composition: a person to add (found by search), the day they joined or
left a household, a relationship between two people. Errors name the field and the rule;
dates are plausible (people.composition checks them again, with the person's birth)."""

from django import forms

from earlyhelp.people import choices
from earlyhelp.people.forms import SearchForm, say_limits
from earlyhelp.people.models import Relationship
from earlyhelp.web.forms import DateField

FIND_PREFIX = "find"
YES_NO = [("yes", "Yes"), ("no", "No")]


class FindPersonForm(SearchForm):
    """The search for someone to add or name: by name and date of birth (any one will do).

    Its fields carry the prefix "find", apart from those of the form that saves."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix=FIND_PREFIX, only=("name", "date_of_birth"), **kwargs)


class ChosenPersonField(forms.UUIDField):
    """The public id of a person picked from a list (search results, household members)."""

    def __init__(self, *, label: str, **kwargs):
        super().__init__(
            label=label,
            error_messages={
                "required": f"Select the {label.lower()}: search for them first",
                "invalid": f"Choose the {label.lower()} in the list",
            },
            **kwargs,
        )


class AddMemberForm(forms.Form):
    person = ChosenPersonField(label="Person")
    joined_on = DateField(
        label="Date they joined the household (optional)",
        label_lower="date they joined the household",
        required=False,
        past_only=True,
        help_text="Leave empty if it is not known. For example, 3 9 2026",
    )


class LeaveForm(forms.Form):
    left_on = DateField(
        label="Date they left the household",
        label_lower="date they left the household",
        past_only=True,
        help_text="For example, 3 9 2026",
    )


class RelationshipForm(forms.Form):
    relative = ChosenPersonField(label="Relative")
    kind = forms.ChoiceField(
        label="Relationship",
        choices=Relationship.Kind.choices,
        error_messages={"required": "Select the relationship"},
    )
    parental_responsibility = forms.ChoiceField(
        label="Do they have parental responsibility for the relative?",
        choices=YES_NO,
        error_messages={"required": "Select whether they have parental responsibility"},
    )
    source = forms.ChoiceField(
        label="Where did this information come from?",
        choices=choices.Source.choices,
        error_messages={"required": "Select where this information came from"},
    )

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        if person is not None:
            self.fields["kind"].label = f"{person.given_name} is the relative's"
            self.fields[
                "parental_responsibility"
            ].label = f"Does {person.given_name} have parental responsibility for the relative?"
        say_limits(self)
