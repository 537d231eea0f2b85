"""What a person's page says about their rights: a processing restriction in force, and
disagreements with recorded data kept beside it (rights.outcomes)."""

from django import template

from earlyhelp.people.models import Person
from earlyhelp.rights.models import Disagreement
from earlyhelp.rights.processing import restriction_in_force

register = template.Library()


@register.simple_tag
def person_rights_notes(person: Person) -> dict:
    """{"restriction": the processing restriction in force or None, "disagreements": the
    person's statements that recorded data is wrong, newest first}."""
    return {
        "restriction": restriction_in_force(person),
        "disagreements": list(
            Disagreement.objects.filter(person=person).order_by("-recorded_at", "-pk")
        ),
    }
