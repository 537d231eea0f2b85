"""Render Django form widgets with GOV.UK Frontend classes and ARIA links."""

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()

WIDGET_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.ClearableFileInput: "govuk-file-upload",
}


@register.filter
def govuk_widget(field: forms.BoundField) -> SafeString:
    widget = field.field.widget
    base = next(
        (css for kind, css in WIDGET_CLASSES.items() if isinstance(widget, kind)), "govuk-input"
    )
    classes = [base, widget.attrs.get("class", "")]
    described_by = []
    if field.help_text:
        described_by.append(f"{field.id_for_label}-hint")
    if field.errors:
        classes.append(f"{base}--error")
        described_by.append(f"{field.id_for_label}-error")
    # The id the label and the error summary name, whatever Django's own would be.
    attrs = {"class": " ".join(c for c in classes if c), "id": first_input_id(field)}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.filter
def date_widget(field: forms.BoundField) -> SafeString:
    """The three date boxes, marked as in error when the field is."""
    attrs = {"error": "error"} if field.errors else {}
    return field.as_widget(attrs=attrs)


def option_id(field: forms.BoundField, index: int) -> str:
    """The id of a field's option: `<field id>_0`, `_1`, ... as Django's radios number them.

    Set here, not taken from the widget: a choice field's default widget is a select,
    whose options have no id of their own, yet the page shows them as radios or checkboxes.
    """
    return f"{field.auto_id}_{index}"


@register.filter
def options(field: forms.BoundField) -> list[dict]:
    """A radio or checkbox field's options, each with its own id, value, words and state."""
    return [
        {
            "id": option_id(field, index),
            "value": option.data["value"],
            "label": option.choice_label,
            "checked": option.data["selected"],
        }
        for index, option in enumerate(field.subwidgets)
    ]


@register.filter
def first_input_id(field: forms.BoundField) -> str:
    """The id of the field's first input: what its label and an error summary link name.

    A date's is its day box; a choice field's is its first option (or its select, which
    takes the same id); any other field's is its own.
    """
    widget = field.field.widget
    if isinstance(widget, forms.MultiWidget):
        # As the widget numbers its boxes when it renders them (Django's "<id>_0" for the first).
        attrs = {} if "id" in widget.attrs else {"id": field.auto_id}
        context = widget.get_context(field.html_name, field.value(), attrs)
        return context["widget"]["subwidgets"][0]["attrs"]["id"]
    if isinstance(field.field, forms.ChoiceField):
        return option_id(field, 0)
    return field.id_for_label


@register.filter
def field_kind(field: forms.BoundField) -> str:
    """Which GOV.UK pattern renders the field: date, radios, checkboxes, checkbox or text."""
    if isinstance(field.field.widget, forms.MultiWidget):
        return "date"
    if isinstance(field.field, forms.MultipleChoiceField):
        return "checkboxes"
    if isinstance(field.field, forms.ChoiceField):
        return "radios"
    if isinstance(field.field, forms.BooleanField):
        return "checkbox"
    return "text"
