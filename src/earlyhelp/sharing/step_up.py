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
from earlyhelp.lib.words import join_words
from earlyhelp.people.models import Person
from earlyhelp.policy.active import active_policy
from earlyhelp.rights.processing import restricted_people
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


def restricted_members(case: Case) -> list[Person]:
    """The members of `case` whose processing a rights request restricts now, in the
    case's order: a step-up shares their records only on the policy's ground
    (`sharing.step_up.while_restricted`) with the signing manager's reason."""
    restricted = restricted_people()
    return [
        member.person
        for member in case.members.select_related("person")
        .filter(person_id__in=restricted)
        .order_by("pk")
    ]


def check_restriction_reason(case: Case, reason: str) -> None:
    """Raise ValueError("restriction_reason: ...") when stepping `case` up would share a
    restricted member's records (the policy allows it) and `reason` does not say why the
    referral cannot wait for the restriction to be lifted."""
    if not services.while_restricted_ground():
        return
    restricted = restricted_members(case)
    if restricted and not reason.strip():
        names = join_words([person.full_name for person in restricted])
        raise ValueError(
            f"restriction_reason: {names} {'is' if len(restricted) == 1 else 'are'} "
            "restricted from processing; say why the referral to children's social care "
            "cannot wait for the restriction to be lifted"
        )


def record_step_up(
    request: HttpRequest, case: Case, closure: ClosureRequest, restriction_reason: str = ""
) -> list[Disclosure]:
    """Record the step-up of `case` (its signed-off `closure`, a reason referring the family
    to children's social care) as a disclosure about each member of the case, by the
    requesting user, with the closure request's public id as the reference. Nothing when
    the policy names no step-up recipient (`sharing.step_up` absent). A member whose
    processing is restricted is shared on the policy's ground (`while_restricted`) with
    `restriction_reason`, the signing manager's words (see services.share).

    Raises services.ShareRefused (a ValueError, "field: words") when the policy refuses the
    share (no agreement for the purpose, a category not covered, an agreement expired), a
    member's processing is restricted by a rights request and the policy gives no ground
    or no reason was given, or the user has no need-to-know access to a member: the
    caller's transaction then writes nothing. The caller asks `check_restriction_reason`
    first, for the message that names the restricted members.
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
                restriction_reason=restriction_reason,
            )
        )
    return made
