"""{% load plan_tags %}: whether a plan's review is overdue, as cases.plans says it."""

from datetime import date

from django import template
from django.utils import timezone

from earlyhelp.cases.plans import is_overdue

register = template.Library()


@register.filter
def review_overdue(review_date: date | None) -> bool:
    """{% if plan.review_date|review_overdue %}: due before today (UK calendar)."""
    return is_overdue(review_date, timezone.localdate())
