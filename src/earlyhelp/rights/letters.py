"""The letters a request or complaint is answered with, as plain text built from the policy
(the council, the ICO's routes, the law) and the request. Shown on the request's page to
copy or print, and kept on the request as sent."""

from __future__ import annotations

from datetime import date

from earlyhelp.lib.words import day_words, join_words
from earlyhelp.policy.schema import Policy
from earlyhelp.rights.clock import frozen_complaint_rule, frozen_rule
from earlyhelp.rights.models import RightsRequest


def rights_in_words(rights_request: RightsRequest) -> str:
    """What was asked for, in the form's words, lower case: "a copy of the information held"."""
    labels = dict(RightsRequest.Right.choices)
    asked = [labels.get(right, right) for right in rights_request.rights_asked]
    return join_words([a[:1].lower() + a[1:] for a in asked]) or "your request"


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
    return _letter(
        rights_request,
        policy,
        on,
        f"Your request received on {day_words(rights_request.received)}: more time needed",
        [
            f"We are writing about your request for {rights_in_words(rights_request)}.",
            f"The law ({rule.law}) lets us take up to {rule.extension_max_months} more "
            f"month{'' if rule.extension_max_months == 1 else 's'} to answer a request that "
            "is complex or one of several. We need this extra time for these reasons:",
            reasons.strip(),
            f"We will answer by {day_words(due)}.",
            ico_routes(policy),
        ],
    )


def answer_letter(rights_request: RightsRequest, policy: Policy, on: date, summary: str) -> str:
    """The answer to a request: what was done."""
    return _letter(
        rights_request,
        policy,
        on,
        f"Your request received on {day_words(rights_request.received)}",
        [
            f"We have finished dealing with your request for {rights_in_words(rights_request)}.",
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
            f"We cannot do what you asked in your request for {rights_in_words(rights_request)}.",
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
