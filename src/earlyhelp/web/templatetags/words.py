"""Template filters that put words where the service keeps codes.

{% load words %}
From {{ fact.source|source_words }}        -> "From the GP", never "From gp"
{{ event.actor|staff_name }}               -> "Priya Shah", never "priya"
{% for label, value in fact|fact_fields %} -> ("", "White - Irish"), never "Code: ..."
"""

from django import template

from earlyhelp.web import words

register = template.Library()

# Field labels that say nothing beside the fact's own heading ("Ethnicity", "Gender"): the
# value is shown alone.
UNLABELLED_FIELDS = frozenset({"code", "value"})


@register.filter
def source_words(source: str) -> str:
    return words.source_words(source)


@register.filter
def staff_name(user) -> str:
    return words.staff_name(user)


@register.filter
def fact_fields(fact) -> list[tuple[str, object]]:
    """What a fact says as (label, value), with no label where it would only say "Code"."""
    return [
        ("" if label.lower() in UNLABELLED_FIELDS else label, value)
        for label, value in fact.display_fields()
    ]
