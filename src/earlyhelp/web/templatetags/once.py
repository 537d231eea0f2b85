from django import template
from django.utils.html import format_html

from earlyhelp.web.once import FIELD, new_token

register = template.Library()


@register.simple_tag
def form_token() -> str:
    """A hidden one-time token: the form it is in is recorded once, however often sent."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
