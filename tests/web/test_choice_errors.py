"""A choice that is not one of the options is refused without repeating what was sent
(an id, say): people see words, never codes (issue 11)."""

import pytest
from django import forms

from earlyhelp.people.forms import say_limits

SENT = "b6461cd6-8301-4f1e-a529-da4f11668b5f"


class AnyForm(forms.Form):
    one = forms.ChoiceField(label="Service", choices=[("a", "A")])
    many = forms.MultipleChoiceField(label="Children", choices=[("a", "A")])
    typed = forms.TypedChoiceField(label="Kind", choices=[("1", "One")], coerce=int)


@pytest.mark.parametrize("field", ["one", "many", "typed"])
def test_no_form_repeats_a_choice_that_is_not_one_of_its_options(field):
    form = AnyForm({"one": SENT, "many": [SENT], "typed": SENT})
    assert not form.is_valid()
    assert form.errors[field] == ["Select one of the options shown"]
    assert SENT not in str(form.errors)


def test_a_form_that_says_its_limits_names_the_field_of_a_bad_choice():
    form = AnyForm({"one": SENT, "many": [SENT], "typed": "1"})
    say_limits(form)
    assert not form.is_valid()
    assert form.errors["one"] == ["Service: select one of the options shown"]
    assert form.errors["many"] == ["Children: select one of the options shown"]
