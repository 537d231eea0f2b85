"""Template tags for corrections: a record's strike-out, and the link to correct it."""

from django import template
from django.db.models import Q
from django.urls import reverse

from earlyhelp.cases import corrections
from earlyhelp.cases.models import Contact
from earlyhelp.people.facts import FACT_MODELS
from earlyhelp.people.models import PersonAddress, Relationship

register = template.Library()
FACT_SLUGS = {model: slug for slug, model in FACT_MODELS.items()}


@register.simple_tag
def struck_out_reason(record) -> str:
    """The reason the record was struck out, or "" if it was not."""
    found = corrections.struck_out(record)
    return found.reason if found is not None else ""


@register.simple_tag
def was_corrected(record) -> bool:
    """Whether the record was corrected (its earlier versions are kept)."""
    return bool(corrections.corrected_pks(type(record), [record.pk]))


def person_record_number(person, record) -> tuple[str, int]:
    """(kind slug, number) naming one of a person's records in a URL: its place, from 1,
    among the person's records of its kind in the order they were made."""
    if isinstance(record, PersonAddress):
        rows, kind = PersonAddress.objects.filter(person=person), "address"
    elif isinstance(record, Relationship):
        rows = Relationship.objects.filter(Q(person=person) | Q(relative=person))
        kind = "relationship"
    else:
        rows, kind = type(record).objects.filter(person=person), FACT_SLUGS[type(record)]
    return kind, rows.filter(pk__lte=record.pk).count()


@register.simple_tag(takes_context=True)
def correct_url(context, person, record) -> str:
    """The address of the page that corrects or strikes out `record`, or "" when the reader
    may not (corrections.may_correct: its author, or a manager of a team holding it), so a
    page offers no link that leads only to a refusal."""
    if not corrections.may_correct(context["request"].user, record):
        return ""
    if isinstance(record, Contact):
        return reverse("cases:correct_contact", args=[record.case.public_id, record.public_id])
    kind, number = person_record_number(person, record)
    return reverse("cases:correct_person_record", args=[person.public_id, kind, number])
