"""The letters a request or complaint is answered with, as plain text built from the policy
(the council, the ICO's routes, the law) and the request. Shown on the request's page to
copy or print, and kept on the request as sent."""

from __future__ import annotations

import copy
from datetime import date

from earlyhelp.lib.words import day_words, join_words
from earlyhelp.policy.schema import Policy
from earlyhelp.rights import asked
from earlyhelp.rights.clock import deadline_of, frozen_complaint_rule, frozen_rule
from earlyhelp.rights.models import RightsRequest


def rights_in_words(rights_request: RightsRequest) -> str:
    """What was asked for, as a list to follow "your request for": "a copy of the
    information we hold, and for us to stop using your information for <project>"."""
    return asked.rights_in_words(rights_request)


def about_whom(rights_request: RightsRequest) -> str:
    """Whose records the request is about: the name as typed, or else the names of the
    records matched to it as the person it is about."""
    if rights_request.subject_name.strip():
        return rights_request.subject_name.strip()
    if rights_request.pk is None:
        return ""
    return join_words(
        rp.person.full_name
        for rp in rights_request.people.filter(role="subject").select_related("person")
    )


def _about(rights_request: RightsRequest) -> str:
    whom = about_whom(rights_request)
    return f" about the records of {whom}" if whom else ""


def recipient_lines(rights_request: RightsRequest) -> str:
    """Whom the letter goes to, at its top: the name and, by the way they asked for the
    reply, the postal address or the email address."""
    lines = [rights_request.requester_name]
    if rights_request.reply_by == RightsRequest.ReplyBy.POST:
        lines += [line.strip() for line in rights_request.requester_address.splitlines()]
    elif rights_request.reply_by == RightsRequest.ReplyBy.EMAIL:
        lines.append(rights_request.requester_email)
    return "\n".join(line for line in lines if line)


def ico_routes(policy: Policy) -> str:
    """How to complain to the ICO, every route the policy gives."""
    ico = policy.complaints.ico
    charge = " It is free of charge." if ico.free_of_charge else ""
    return (
        f"If you are not happy with how we have handled your information, you can complain to "
        f"the {ico.name}: by telephone on {ico.phone}, through its live chat at "
        f"{ico.live_chat}, or through its online form at {ico.webform}. Its website is "
        f"{ico.website}.{charge}"
    )


def outcome_wording(rights_request: RightsRequest, policy: Policy) -> str:
    """When a complaint's outcome is due, in the law's words ("without undue delay")."""
    rule = frozen_complaint_rule(rights_request) or policy.complaints.handling
    return rule.outcome if rule else "as soon as we can"


def _letter(
    rights_request: RightsRequest, policy: Policy, on: date, subject: str, body: list[str]
) -> str:
    controller = policy.controller
    parts = [
        "\n".join([controller.name, *controller.address, controller.postcode]),
        recipient_lines(rights_request),
        day_words(on),
        f"Our reference: {rights_request.reference}",
        f"Dear {rights_request.requester_name},",
        subject,
        *(paragraph.strip() for paragraph in body),
        f"Please quote {rights_request.reference} if you contact us. You can email us at "
        f"{policy.complaints.contact_us_first}.",
        "Yours sincerely,",
        f"Information governance, {policy.service_name}\n{controller.name}",
    ]
    return "\n\n".join(part for part in parts if part)


def extension_letter(
    rights_request: RightsRequest, policy: Policy, on: date, due: date, reasons: str
) -> str:
    """Telling the requester, within the first month, that the time to answer is extended,
    with the reasons and the new date."""
    rule = frozen_rule(rights_request)
    unextended = copy.copy(rights_request)
    unextended.extended_on = None
    was_due = deadline_of(unextended, on).due
    return _letter(
        rights_request,
        policy,
        on,
        f"Your request received on {day_words(rights_request.received)}: more time needed",
        [
            f"We are writing about your request for {rights_in_words(rights_request)}"
            f"{_about(rights_request)}.",
            f"The law ({rule.law}) lets us take up to {rule.extension_max_months} more "
            f"month{'' if rule.extension_max_months == 1 else 's'} to answer a request that "
            "is complex or one of several. We need this extra time for these reasons:",
            reasons.strip(),
            f"We were due to answer by {day_words(was_due)}. We will now answer by "
            f"{day_words(due)}.",
            ico_routes(policy),
        ],
    )


def recorded_outcomes(rights_request: RightsRequest) -> list[str]:
    """What the system recorded for the letter: what was done for each right asked
    (rights.outcomes.outcome_paragraphs), and each decision on a parent's access to a
    child's records, with its reasons."""
    if rights_request.pk is None:
        return []
    from earlyhelp.rights.outcomes import outcome_paragraphs  # it imports rights.services

    paragraphs = list(outcome_paragraphs(rights_request))
    for decision in rights_request.child_decisions.select_related("child").order_by(
        "decided_at", "pk"
    ):
        verdict = "allowed" if decision.allowed else "refused"
        reasons = " ".join(decision.reasons.split())
        paragraphs.append(
            f"Your access, as a parent or carer, to {decision.child.full_name}'s records was "
            f"{verdict}. The reasons: {reasons}"
        )
    return paragraphs


def answer_letter(rights_request: RightsRequest, policy: Policy, on: date, summary: str) -> str:
    """The answer to a request: what was done."""
    return _letter(
        rights_request,
        policy,
        on,
        f"Your request received on {day_words(rights_request.received)}",
        [
            f"We have finished dealing with your request for {rights_in_words(rights_request)}"
            f"{_about(rights_request)}.",
            *recorded_outcomes(rights_request),
            summary.strip(),
            ico_routes(policy),
        ],
    )


def refusal_letter(
    rights_request: RightsRequest, policy: Policy, on: date, exemption: str, explanation: str
) -> str:
    """A refusal: the exemption relied on, why, and the right to complain to the ICO."""
    return _letter(
        rights_request,
        policy,
        on,
        f"Your request received on {day_words(rights_request.received)}",
        [
            f"We cannot do what you asked in your request for {rights_in_words(rights_request)}"
            f"{_about(rights_request)}.",
            f"We are relying on this exemption in the law: {exemption.strip()}.",
            explanation.strip(),
            ico_routes(policy) + " You can also ask a court to enforce your rights.",
        ],
    )


def acknowledgement_letter(rights_request: RightsRequest, policy: Policy, on: date) -> str:
    """Acknowledging a complaint (DPA 2018 s.164A): received, the outcome to follow without
    undue delay, and the ICO's routes."""
    rule = frozen_complaint_rule(rights_request)
    law = f" as {rule.law} requires" if rule else ""
    return _letter(
        rights_request,
        policy,
        on,
        f"Your complaint received on {day_words(rights_request.received)}",
        [
            f"We are writing to acknowledge your complaint about how we have handled personal "
            f"information{law}.",
            "We are looking into it and will tell you the outcome "
            f"{outcome_wording(rights_request, policy)}.",
            ico_routes(policy),
        ],
    )


def complaint_outcome_letter(
    rights_request: RightsRequest, policy: Policy, on: date, outcome: str
) -> str:
    """The outcome of a complaint, and the ICO's routes if the complainant is not satisfied."""
    return _letter(
        rights_request,
        policy,
        on,
        f"The outcome of your complaint received on {day_words(rights_request.received)}",
        [
            "We have looked into your complaint about how we have handled personal information.",
            outcome.strip(),
            ico_routes(policy),
        ],
    )
