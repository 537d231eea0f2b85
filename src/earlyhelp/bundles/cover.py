"""The cover letter of a subject access bundle, in the policy's words.

UK GDPR Article 15(1) says what a requester is told beside a copy of their data: the
purposes, the recipients, how long it is kept, their rights, how to complain to the ICO,
and where the data came from. Every sentence here comes from the policy file (the same
words as the privacy notice), the request, or the exemptions the reviewer relied on.
"""

from __future__ import annotations

from earlyhelp.lib.plausible import format_day
from earlyhelp.lib.words import join_words
from earlyhelp.policy.render.common import SOURCE_WORDS, retention_sentence
from earlyhelp.policy.schema import Policy
from earlyhelp.rights.letters import about_whom, ico_routes
from earlyhelp.rights.models import RightsRequest

Letter = list[tuple[str, list[str]]]


def cover_letter(
    rights_request: RightsRequest,
    policy: Policy,
    *,
    exemptions_used: list[str],
    children_left_out: int,
) -> Letter:
    """The letter as (heading, paragraphs). `exemptions_used` are policy exemption ids;
    `children_left_out` counts children whose records a parent may not have (notice
    section 10). Raises ValueError when the policy has no [rights.access_bundle]."""
    rules = policy.rights.access_bundle
    if rules is None:
        raise ValueError("policy: no [rights.access_bundle] section")
    whom = about_whom(rights_request)
    letter: Letter = [
        (
            "Your request",
            [
                f"Dear {rights_request.requester_name},",
                f"This is our answer to your request {rights_request.reference}, received on "
                f"{format_day(rights_request.received)}, for a copy of the information "
                f"{policy.service_name} holds" + (f" about {whom}." if whom else " about you."),
            ],
        ),
        ("What we searched", [rules.searched]),
        (
            "Why we use this information",
            [purpose.wording for purpose in policy.purposes],
        ),
        (
            "Who we may share it with",
            [r.wording for r in policy.recipients if r.in_sharing_list],
        ),
        (
            "How long we keep it",
            [retention_sentence(policy, rule) for rule in policy.retention.rules],
        ),
        (
            "Where the information came from",
            [
                "The information came from "
                + join_words(
                    sorted({SOURCE_WORDS[s] for c in policy.categories for s in c.sources})
                )
                + ". Each record in this bundle says where its information came from."
            ],
        ),
    ]
    withheld = []
    if exemptions_used:
        withheld.append(rules.withheld_words)
        for exemption in rules.exemptions:
            if exemption.id in exemptions_used:
                withheld.append(f"{exemption.code}: {exemption.requester_words} ({exemption.law})")
    if children_left_out:
        withheld.append(rules.child_left_out_words)
    if withheld:
        letter.append(("What we have not included", withheld))
    rights = [f"{right.name}." for right in policy.rights.rights]
    letter.append(("Your rights", [*rights, f"To use them: {policy.rights.request_form.label}."]))
    letter.append(
        (
            "If you are not happy",
            [
                f"Please tell us first: email {policy.complaints.contact_us_first}, quoting "
                f"{rights_request.reference}.",
                ico_routes(policy),
            ],
        )
    )
    letter.append(("Opening the file", [rules.password_words]))
    return letter


def _sources(policy: Policy) -> list[str]:
    return sorted({SOURCE_WORDS[s] for c in policy.categories for s in c.sources})
