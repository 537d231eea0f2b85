"""Stepping a case up to children's social care is a disclosure (issue 17 item 3).

A closure whose reason refers the family to children's social care (the policy's
`casework.closure_reasons[].refers_to_social_care`) sends the family's early help file to
it. When a team manager signs such a closure off (cases.closure.decide_closure), each
member of the case gets a disclosure in their log, made through sharing.services.share like
any other: decided by the policy (decide_share), refused for a restriction of processing
or no need-to-know access, the family told with the letter from the policy's words, and an
audit event against the person citing the agreement.

Whom it goes to, why and how are the policy's (`sharing.step_up`: recipient, purpose,
method), never literals here. What goes: the person's own details and the records of this
case about them (its assessments, plans, contacts, documents ...), as the data map reaches
them; not the records of their other cases.
"""

from __future__ import annotations

from django.apps import apps
from django.http import HttpRequest

from earlyhelp.access.models import User
from earlyhelp.cases.models import Case, ClosureRequest
from earlyhelp.datamap.registry import holding_for
from earlyhelp.people.models import Person
from earlyhelp.policy.active import active_policy
from earlyhelp.sharing import services
from earlyhelp.sharing.models import Disclosure

# The person's own details (not a case's records): shared with each case's records.
OWN_RECORDS = "people."
# How a case record's data map reach names the case's members: "<path>case__members__person".
CASE_MEMBERS = "case__members__"


def _case_path(model_label: str) -> str | None:
    """The ORM path from a model's rows to their case ("case", "plan__case"), or None for
    a model not on a case. The case itself is "pk"."""
    model = apps.get_model(model_label)
    if model is Case:
        return "pk"
    for reach in holding_for(model).reaches:
        head, found, _rest = reach.lookup.partition(CASE_MEMBERS)
        if found:
            return f"{head}case"
    return None


def case_items(case: Case, person: Person, user: User | None = None) -> list[services.Item]:
    """The records of `person` that stepping `case` up shares: their own details, and the
    records of this case about them (services.items_of, so with `user` special category and
    criminal offence records are left out unless they have need-to-know), in its order."""
    items = services.items_of(person, user)
    on_case: dict[str, set[str]] = {}
    for model_label in {i.model for i in items if not i.model.startswith(OWN_RECORDS)}:
        path = _case_path(model_label)
        if path is None:
            on_case[model_label] = set()
            continue
        pks = [i.pk for i in items if i.model == model_label]
        rows = apps.get_model(model_label)._default_manager.filter(pk__in=pks, **{path: case.pk})
        on_case[model_label] = {str(pk) for pk in rows.values_list("pk", flat=True)}
    return [i for i in items if i.model.startswith(OWN_RECORDS) or i.pk in on_case.get(i.model, ())]


def record_step_up(request: HttpRequest, case: Case, closure: ClosureRequest) -> list[Disclosure]:
    """Record the step-up of `case` (its signed-off `closure`, a reason referring the family
    to children's social care) as a disclosure about each member of the case, by the
    requesting user, with the closure request's public id as the reference. Nothing when
    the policy names no step-up recipient (`sharing.step_up` absent).

    Raises services.ShareRefused (a ValueError, "field: words") when the policy refuses the
    share (no agreement for the purpose, a category not covered, an agreement expired), a
    member's processing is restricted by a rights request, or the user has no need-to-know
    access to a member: the caller's transaction then writes nothing.
    """
    setting = active_policy().sharing.step_up
    if setting is None:
        return []
    made = []
    for member in case.members.select_related("person").order_by("pk"):
        items = case_items(case, member.person, request.user)
        made.append(
            services.share(
                request,
                member.person,
                recipient=setting.recipient,
                purpose=setting.purpose,
                item_keys=[i.key for i in items],
                tell_family=True,
                method=setting.method,
                reference=str(closure.public_id),
            )
        )
    return made
