"""What a request asks for, in words and as the officer corrects it: the rights asked and,
for an objection, which of the policy's uses (data projects) it objects to.

Kept apart from rights.services: the change of what is asked is its own write, with its own
audit event (rights.services.audit_request). Imported by rights.letters, which
rights.services imports: so this module reaches services only through its module."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest

from earlyhelp.lib.plausible import format_day
from earlyhelp.lib.words import join_words
from earlyhelp.policy.active import active_policy
from earlyhelp.rights import services
from earlyhelp.rights.models import ProcessingRestriction, RightsRequest

# How each right reads after "your request for" / "asked for": a sentence, not a label.
RIGHT_PHRASES = {
    RightsRequest.Right.ACCESS: "a copy of the information we hold",
    RightsRequest.Right.RECTIFICATION: "us to correct information that is wrong",
    RightsRequest.Right.ERASURE: "us to delete information",
    RightsRequest.Right.RESTRICTION: "us to stop using information for a while",
    RightsRequest.Right.OBJECT: "us to stop using your information",
    RightsRequest.Right.OTHER: "something else",
}


def project_names(project_ids: list[str]) -> list[str]:
    """The policy's names of the data projects (uses) given by id, in the order given; an
    id the policy no longer has is left out."""
    policy = active_policy()
    names = []
    for project_id in project_ids:
        project = policy.project(project_id)
        if project is not None:
            names.append(project.name)
    return names


def project_choices() -> list[tuple[str, str]]:
    """The policy's data projects (the uses one can object to), by name."""
    return [(p.id, p.name) for p in active_policy().projects]


def objection_words(rights_request: RightsRequest) -> str:
    """The uses objected to, by the policy's names ("LIIA and ..."), or "" if none named."""
    return join_words(project_names(rights_request.objection_projects))


def rights_in_words(rights_request: RightsRequest) -> str:
    """What was asked for, to follow "your request for": "a copy of the information we hold,
    and for us to stop using your information for <project>"."""
    phrases = []
    for right in rights_request.rights_asked:
        phrase = RIGHT_PHRASES.get(right, right)
        if right == RightsRequest.Right.OBJECT:
            uses = objection_words(rights_request)
            if uses:
                phrase = f"us to stop using your information for {uses}"
        if phrases and phrase.startswith("us "):
            phrase = f"for {phrase}"
        phrases.append(phrase)
    if len(phrases) > 2:
        return f"{', '.join(phrases[:-1])}, and {phrases[-1]}"
    return ", and ".join(phrases) or "what you asked"


@transaction.atomic
def change_asked(
    request: HttpRequest,
    rights_request: RightsRequest,
    rights_asked: list[str],
    objection_projects: list[str],
) -> RightsRequest:
    """Change what a request asks for: its rights and, for an objection, the uses objected
    to (the policy's project ids). Raises ValueError "field: rule" for a closed request, a
    complaint, no right, an unknown right or use, or an objection naming no use."""
    rights_request = RightsRequest.objects.select_for_update().get(pk=rights_request.pk)
    if not rights_request.is_open:
        raise ValueError(
            f"rights_asked: this was closed on {format_day(rights_request.closed_on)}, so "
            "what it asks for cannot change"
        )
    if rights_request.is_complaint:
        raise ValueError("rights_asked: a complaint does not ask for a right")
    unknown = [r for r in rights_asked if r not in RightsRequest.Right.values]
    if unknown or not rights_asked:
        raise ValueError("rights_asked: select what they are asking for")
    known = {p.id for p in active_policy().projects}
    if any(p not in known for p in objection_projects):
        raise ValueError("objection_projects: select uses from the list")
    if RightsRequest.Right.RESTRICTION not in rights_asked and (
        ProcessingRestriction.objects.in_force().filter(request=rights_request).exists()
    ):
        # Only this request may lift it while it is open: taking the right off would strand it.
        raise ValueError(
            "rights_asked: a restriction of processing made on this request is in force; "
            "lift it before taking restriction off what the request asks for"
        )
    if RightsRequest.Right.OBJECT in rights_asked:
        if not objection_projects:
            raise ValueError("objection_projects: select which use they object to")
    else:
        objection_projects = []
    before = {
        "rights_asked": list(rights_request.rights_asked),
        "objection_projects": list(rights_request.objection_projects),
    }
    # In the form's order, each once.
    rights_request.rights_asked = [r for r in RightsRequest.Right.values if r in rights_asked]
    rights_request.objection_projects = [p for p in known_order() if p in objection_projects]
    rights_request.save(update_fields=["rights_asked", "objection_projects"])
    services.audit_request(
        request,
        rights_request,
        "change",
        "what is asked for changed",
        actor=request.user if request.user.is_authenticated else None,
        details={
            "before": before,
            "after": {
                "rights_asked": rights_request.rights_asked,
                "objection_projects": rights_request.objection_projects,
            },
        },
    )
    return rights_request


def known_order() -> list[str]:
    """The policy's project ids, in its order."""
    return [p.id for p in active_policy().projects]


@transaction.atomic
def act_as_handler(
    request: HttpRequest, rights_request: RightsRequest, act: Callable[[], None]
) -> None:
    """Record something on a request (``act`` runs its service) as its handler: the officer
    who handles it, or, if no one (still active) does, the officer acting, who takes it on
    in the same transaction. Only the handler opens its records, so only they record what
    happens on it (closing it above all, which ends that access and frees a restriction it
    made to be lifted elsewhere). Raises ValueError "handler: ..." for anyone else; nothing
    is written when ``act`` refuses."""
    rights_request = RightsRequest.objects.select_for_update().get(pk=rights_request.pk)
    handler = rights_request.handled_by
    user = request.user
    if handler is not None and handler.is_active and handler.pk != user.pk:
        name = handler.get_full_name() or handler.get_username()
        raise ValueError(f"handler: {name} handles it; only they can record what happens on it")
    if handler is None or not handler.is_active:
        rights_request.handled_by = user
        rights_request.save(update_fields=["handled_by"])
        services.audit_request(
            request,
            rights_request,
            "allocate",
            "handler recorded: the officer who acted on it",
            actor=user,
            details={"handler": user.username},
        )
    act()
