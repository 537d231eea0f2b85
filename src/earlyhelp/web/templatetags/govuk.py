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
    attrs = {"class": " ".join(c for c in classes if c)}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.filter
def date_widget(field: forms.BoundField) -> SafeString:
    """The three date boxes, marked as in error when the field is."""
    attrs = {"error": "error"} if field.errors else {}
    return field.as_widget(attrs=attrs)


@register.filter
def first_input_id(field: forms.BoundField) -> str:
    """The id of the input an error summary link should move focus to."""
    widget = field.field.widget
    if isinstance(widget, forms.MultiWidget):
        return f"{field.auto_id}{widget.widgets_names[0]}"
    if isinstance(field.field, forms.ChoiceField):
        return f"{field.auto_id}_0"  # the first radio or checkbox
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
