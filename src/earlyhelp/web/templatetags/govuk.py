"""Render Django form widgets with GOV.UK Frontend classes and ARIA links."""

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()

WIDGET_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
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
