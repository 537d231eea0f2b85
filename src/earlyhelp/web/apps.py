from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "earlyhelp.web"
    label = "web"
    verbose_name = "Web shell"

    def ready(self) -> None:
        from earlyhelp.web import checks  # noqa: F401  (registers the checks)

        say_no_values_in_choice_errors()


def say_no_values_in_choice_errors() -> None:
    """Django's "Select a valid choice. <value> is not one of the available choices" puts
    the value sent (a record's id, say) in front of a person: every choice field of every
    form says this instead, unless the form names the field (people.forms.say_limits)."""
    from django import forms

    words = "Select one of the options shown"
    for field_class in (forms.ChoiceField, forms.MultipleChoiceField, forms.ModelChoiceField):
        field_class.default_error_messages = {
            **field_class.default_error_messages,
            "invalid_choice": words,
        }
    forms.ModelMultipleChoiceField.default_error_messages = {
        **forms.ModelMultipleChoiceField.default_error_messages,
        "invalid_choice": words,
        "invalid_pk_value": words,
    }
