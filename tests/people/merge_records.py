"""Records the shared route walks need for the merge pages."""

from uuid import UUID

from earlyhelp.people.models import Person


def matrix_other(records: dict) -> UUID:
    """A second record to compare with the family's child (records["person"]): another
    child on the family's case, so it opens to whom the case opens."""
    person = Person.objects.get(public_id=records["person"])
    return (
        Person.objects.filter(case_memberships__case__members__person=person)
        .exclude(pk=person.pk)
        .order_by("pk")
        .first()
        .public_id
    )
