"""The privacy notice, from a policy alone.

The notice is built once as plain data (sections of blocks, see ``blocks``) by
``notice_html_context``; ``notice_markdown`` writes the same data as Markdown.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from earlyhelp.lib.words import day_words, join_words, number_words
from earlyhelp.policy.describe import (
    ARTICLE_6_NAMES,
    ARTICLE_9_NAMES,
    article_6_words,
    describe_period,
    schedule_1_words,
)
from earlyhelp.policy.render.blocks import (
    Block,
    Part,
    as_sentence,
    email_part,
    heading_block,
    href_for,
    link_part,
    list_block,
    markdown_parts,
    paragraph,
    policy_link,
    text_part,
)
from earlyhelp.policy.render.common import SOURCE_WORDS, law_text, retention_sentences
from earlyhelp.policy.schema import DeadlineRule, Policy, Project, ProjectField, Purpose

FIELD_RULE_WORDS = {
    "drop": "removed",
    "keyed_pseudonym": "replaced with a reference number",
    "date_to_month": "cut to month and year",
    "postcode_to_district": "cut to the postcode district",
    "age_band": "replaced with an age band",
    "keep": "kept as it is",
}


def notice_html_context(
    policy: Policy, *, request_form_url: str | None = None, today: date | None = None
) -> dict[str, Any]:
    """Everything a template needs to show the notice, as plain data.

    ``request_form_url`` is the address of the product's rights and complaints form, which
    sections 10 and 11 link to (the policy's ``rights.request_form`` link is used when
    None); ``today`` (default: today) picks the time limits in force.

    ``sections`` is a list of ``{"number", "slug", "title", "blocks"}``. A block is
    ``{"kind": "heading", "text", "level"}`` (3 or 4, under the section's level 2),
    ``{"kind": "paragraph", "parts", "text"}`` or ``{"kind": "list", "items", "texts"}``.
    ``parts`` (and each list item) is a list of ``{"text", "href"}``; ``href`` is None for
    plain text. ``text`` and ``texts`` are the same words without links.
    """
    sections = [
        ("introduction", "Introduction", _introduction(policy)),
        ("controller", "The data controller and Data Protection Officer", _controller(policy)),
        (
            "information",
            "What information do we process (collect, keep, use, share, delete)?",
            _information(policy),
        ),
        ("purposes", "The purpose for which data is processed", _purposes(policy)),
        ("sharing", "Agencies we may share your data with", _sharing(policy)),
        ("storage", "Storing and retaining personal data", _storage(policy)),
        (
            "provision",
            "Do I have to provide this information and what will happen if I don't?",
            _provision(policy),
        ),
        (
            "transfers",
            f"Transferring data out of the {join_words(policy.transfers.permitted_regions)}",
            _transfers(policy),
        ),
        ("automated-decisions", "Automated decision making", _automated(policy)),
        (
            "rights",
            "Your data subject rights and requesting access to personal data",
            _rights(policy, request_form_url, today),
        ),
        (
            "complaints",
            "The right to lodge a complaint with a supervisory authority",
            _complaints(policy, request_form_url, today),
        ),
        ("legal-basis", "Legal basis for processing information", _legal_basis(policy)),
    ]
    return {
        "title": policy.title,
        "controller": policy.controller.name,
        "service_name": policy.service_name,
        "version": policy.version,
        "last_updated": policy.last_updated.isoformat(),
        "last_updated_display": f"{policy.last_updated:%B %Y}",
        "sections": [
            {"number": n, "slug": slug, "title": title, "blocks": blocks}
            for n, (slug, title, blocks) in enumerate(sections, start=1)
        ],
    }


def _introduction(policy: Policy) -> list[Block]:
    intro = policy.introduction
    names = [s.name + (f" ({s.short_name})" if s.short_name else "") for s in policy.services]
    blocks = [
        paragraph(
            f"{policy.controller.name}'s {policy.service_name}, including {join_words(names)}, "
            f"aim to {intro.aim}. Their services include {join_words(intro.activities)}."
        )
    ]
    for service in policy.services:
        if service.sub_services:
            blocks.append(
                paragraph(
                    f"{service.short_name or service.name} consists of "
                    f"{join_words(s.name for s in service.sub_services)}."
                )
            )
    blocks.append(
        paragraph(
            f"{policy.service_name} will hold a wide range of information about you and your "
            f"family. {intro.use}"
        )
    )
    blocks.append(
        paragraph(
            "This privacy notice explains how we use any personal information we collect about you."
        )
    )
    return blocks


def _controller(policy: Policy) -> list[Block]:
    controller, dpo = policy.controller, policy.dpo
    contact: list[Part | str] = [
        f"The council's Data Protection Officer is {dpo.name}, who is the council's {dpo.role}. "
        "The Data Protection Officer can be contacted at ",
        email_part(dpo.email),
    ]
    if dpo.contact_link is not None:
        contact += [" or via ", policy_link(dpo.contact_link)]
    contact.append(".")
    return [
        paragraph(
            f"The Data Controller is {controller.name}, {', '.join(controller.address)}, "
            f"{controller.postcode}. Website: ",
            link_part(controller.website, href_for(controller.website)),
            ".",
        ),
        paragraph(*contact),
    ]


def _information(policy: Policy) -> list[Block]:
    by_kind = {
        kind: [c.wording for c in policy.categories if c.kind == kind]
        for kind in ("personal", "special_category", "criminal_offence")
    }
    blocks = [
        paragraph(
            "We process a range of information about you and your family. "
            "This will include some or all the following:"
        ),
        list_block(by_kind["personal"]),
    ]
    if by_kind["special_category"]:
        blocks += [
            paragraph(
                "We also process a range of special category (sensitive) information about "
                "you. This will include some or all the following:"
            ),
            list_block(by_kind["special_category"]),
        ]
    if by_kind["criminal_offence"]:
        blocks += [
            paragraph("We also process criminal offence data as follows:"),
            list_block(by_kind["criminal_offence"]),
        ]
    sources = [s for s in SOURCE_WORDS if any(s in c.sources for c in policy.categories)]
    blocks.append(
        paragraph(f"This information may come from {join_words(SOURCE_WORDS[s] for s in sources)}.")
    )
    return blocks


def _purposes(policy: Policy) -> list[Block]:
    return [
        paragraph("We use the data we have and collect for the following uses:"),
        list_block(
            as_sentence(p.wording)[:-1] + (" (only with your consent)" if p.consent_based else "")
            for p in policy.purposes
        ),
    ]


def _sharing(policy: Policy) -> list[Block]:
    sharing = policy.sharing
    blocks: list[Block] = [heading_block("a. Explanation"), paragraph(" ".join(sharing.principles))]
    if sharing.may_request_from_other_parties:
        blocks.append(
            paragraph(
                "Information listed in section 3 may also be requested from other parties, "
                "to allow the council to undertake its duties effectively."
            )
        )
    statutory_sharing = any(
        not p.consent_based
        for a in policy.agreements
        for p in map(policy.purpose, a.purposes)
        if p is not None
    )
    if statutory_sharing:
        blocks.append(
            paragraph(
                "The council does not need consent to share data with other organisations because "
                "consent is not the legal basis. This is explained in section 12."
            )
        )
    if sharing.tell_family_where_possible:
        text = (
            "Where possible we will tell you what data is being shared and why, "
            "but in some cases, we do not have to do that."
        )
        if sharing.exemptions:
            text += (
                " Examples are " + join_words((e.wording for e in sharing.exemptions), "or") + "."
            )
        blocks.append(paragraph(text))
    if sharing.data_matching is not None:
        matching = sharing.data_matching
        blocks.append(
            paragraph(
                f"{matching.wording} More details on this are available on ",
                policy_link(matching.more_information),
                ".",
            )
        )
    blocks.append(
        paragraph(
            "The council has a number of data sharing agreements with agencies to cover data "
            "sharing; the main ones are available here: ",
            policy_link(sharing.agreements_register),
            ".",
        )
    )
    blocks += [
        heading_block("b. List of parties we may share data with"),
        list_block(r.wording for r in policy.recipients if r.in_sharing_list),
    ]
    if policy.projects:
        blocks.append(heading_block("Specific projects"))
        for project in policy.projects:
            blocks += _project(policy, project)
    return blocks


def _field_words(field: ProjectField) -> str:
    words = FIELD_RULE_WORDS[field.rule]
    if field.rule == "age_band":
        words += f" (bands starting at ages {join_words(str(b) for b in field.age_bands)})"
    return f"{field.name.replace('-', ' ')}: {words}"


def _project(policy: Policy, project: Project) -> list[Block]:
    recipient = policy.recipient(project.recipient)
    blocks: list[Block] = [heading_block(project.name, level=4), paragraph(project.description)]
    if project.scope:
        blocks.append(paragraph(project.scope))
    if recipient is not None:
        blocks.append(paragraph(f"The data is shared with: {recipient.name}."))
    if project.end is not None:
        blocks.append(paragraph(f"The sharing will continue until {day_words(project.end)}."))
    if project.pseudonymised:
        blocks.append(
            paragraph(
                "Pseudonymised data, where names and other identifying details are replaced with a "
                "reference, will be shared. Only these details are sent, changed as shown:"
            )
        )
        blocks.append(list_block(_field_words(f) for f in project.fields))
    if project.collected_by:
        route = f" It is sent through {project.transfer_route}." if project.transfer_route else ""
        blocks.append(
            paragraph(
                f"The data is collected from local authorities by {project.collected_by}.{route}"
            )
        )
    if project.outputs:
        blocks.append(paragraph(project.outputs))
    conditions = []
    if project.pseudonymised and project.example is not None:
        conditions.append(
            "data is pseudonymised to reduce the risk of individuals being identified e.g. "
            f'"{project.example.before}" becomes "{project.example.after}"'
        )
    if project.no_automated_decisions:
        conditions.append(
            "under no circumstances will the data be used for any automated decision making"
        )
    conditions += project.other_conditions
    if project.recipient_retention is not None:
        kept = describe_period(project.recipient_retention, prose=True)
        conditions.append(f"all data is destroyed after {kept}")
    if conditions:
        blocks += [
            paragraph("Data agreements are in place to ensure that:"),
            list_block(conditions),
        ]
    if project.objection_honoured and project.objection_contact:
        blocks.append(
            paragraph(
                "You have the right to object to your data being used this way. If you wish to "
                "exercise it then please contact ",
                email_part(project.objection_contact),
                ".",
            )
        )
    if project.more_information:
        blocks.append(paragraph(project.more_information))
    return blocks


def _storage(policy: Policy) -> list[Block]:
    consent_systems = {c.system for c in policy.consent_processing}
    systems = [s for s in policy.storage.systems if s.id not in consent_systems]
    names = [s.name + (f" ({s.description})" if s.description else "") for s in systems]
    blocks = [
        paragraph(
            f"{policy.service_name} holds data securely on {join_words(names)}, as necessary."
        ),
        paragraph(" ".join(policy.storage.security_measures)),
    ]
    blocks += [paragraph(sentence) for sentence in retention_sentences(policy)]
    for processing in policy.consent_processing:
        system = policy.storage_system(processing.system)
        owner = (
            f" (which is owned by {system.supplier})"
            if system is not None and system.supplier
            else ""
        )
        system_name = system.name if system is not None else processing.system
        blocks.append(
            paragraph(
                f"If you consent to using the {processing.name}, which is used in "
                f"{processing.settings}, the service will use the {system_name}{owner} "
                f"to {processing.use}"
            )
        )
        blocks += [paragraph(text) for text in processing.description]
        if processing.data_ownership:
            blocks.append(paragraph(processing.data_ownership))
        if processing.withdrawable:
            blocks.append(
                paragraph(f"You can withdraw your consent to the {processing.name} at any time.")
            )
    return blocks


def _provision(policy: Policy) -> list[Block]:
    return [paragraph(policy.provision.consequence)]


def _transfers(policy: Policy) -> list[Block]:
    return [paragraph(policy.transfers.statement)]


def _automated(policy: Policy) -> list[Block]:
    return [paragraph(policy.automated_decisions.statement)]


def deadline_sentences(policy: Policy, on: date | None = None) -> list[str]:
    """The time limit for UK GDPR requests in force ``on`` (default today), in words; the
    earliest rule when none is yet in force."""
    on = on or date.today()
    rules = sorted(
        (r for r in policy.rights.deadlines if r.regime == "uk-gdpr"), key=lambda r: r.in_force_from
    ) or sorted(policy.rights.deadlines, key=lambda r: r.in_force_from)
    rule = next((r for r in reversed(rules) if r.in_force_from <= on), rules[0])
    return rule_sentences(rule)


def rule_sentences(rule: DeadlineRule) -> list[str]:
    """One time limit in words: what a requester is told about the clock."""
    months = f"{number_words(rule.months)} calendar month{'s' if rule.months != 1 else ''}"
    waits = {
        "identity_confirmed": "proof of your identity",
        "clarified": "any clarification we need",
        "fee_paid": "any fee we are allowed to charge",
    }
    started = [waits[e] for e in rule.clock_starts_at_latest_of if e in waits]
    text = [
        f"We will respond within {months}, counted from the day we receive your request: the "
        "answer is due on the same date of the following month, or the last day of that month "
        "where there is no such date, and on the next working day if that date falls on a "
        f"weekend or a bank holiday in {rule.bank_holidays.name}."
    ]
    if started:
        text.append(f"The time starts once we have your request and {join_words(started)}.")
    if rule.pauses_while_clarification_awaited:
        text.append("It stops while we wait for you to clarify your request.")
    if rule.extension_max_months:
        extra = _months_words(rule.extension_max_months)
        within = _months_words(rule.extension_notice_within_months).removeprefix("one ")
        text.append(
            f"For complex or numerous requests we may extend it by up to {extra} more, "
            f"and we will tell you within the first {within}."
        )
    return text


def _months_words(count: int) -> str:
    return f"{number_words(count)} month{'s' if count != 1 else ''}"


def complaint_sentences(policy: Policy, on: date | None = None) -> list[str]:
    """How a complaint to the council is handled (DPA 2018 s.164A as the policy states it),
    in words; nothing when the policy has no rule in force ``on`` (default today)."""
    on = on or date.today()
    handling = policy.complaints.handling
    if handling is None or handling.in_force_from > on:
        return []
    days = handling.acknowledge_within_days
    return [
        f"We will acknowledge your complaint within {number_words(days)} "
        f"day{'s' if days != 1 else ''} of receiving it, and tell you the outcome "
        f"{handling.outcome}."
    ]


def _form_link(policy: Policy, form_url: str | None) -> Part:
    """The policy's web form link, followable at the product's form address when given."""
    form = policy.rights.request_form
    return link_part(form.label, form_url or href_for(form.url))


def _rights(policy: Policy, form_url: str | None = None, today: date | None = None) -> list[Block]:
    rights = policy.rights
    access = rights.parental_access
    parental = []
    if not access.automatic:
        parental.append(
            "Parental access to a child's data is not automatic "
            "and may be restricted where appropriate."
        )
    parental.append(
        f"Where the child is aged {access.child_consent_age} and over, "
        "they must consent to a parent having access."
    )
    if access.competence_judgement_for_younger:
        parental.append(
            f"Where a child under {access.child_consent_age} has been judged competent to decide, "
            "they must consent too."
        )
    items = []
    for right in rights.rights:
        if set(right.applies_under) >= set(ARTICLE_6_NAMES):
            text = f"{right.name}: applies whatever our lawful basis."
        else:
            bases = article_6_words(right.applies_under, last="or")
            text = f"{right.name}: applies only where our lawful basis is {bases}."
        if right.limitation:
            text += f" {right.limitation}"
        items.append(text)
    blocks = [
        paragraph(
            f"Under data protection legislation, {join_words(rights.who_may_request)} have the "
            "right to request a copy of information we hold about them. " + " ".join(parental)
        ),
        paragraph("Your rights, and when they apply:"),
        list_block(items),
        paragraph(" ".join(deadline_sentences(policy, today))),
    ]
    if rights.more_information:
        more: list[Part | str] = ["There are other data subject rights; for more information see "]
        for i, link in enumerate(rights.more_information):
            if i:
                more.append(" and " if i == len(rights.more_information) - 1 else ", ")
            more.append(policy_link(link))
        more.append(".")
        blocks.append(paragraph(*more))
    blocks.append(
        paragraph(
            "To make a request for your personal information or to exercise other data protection "
            "rights please use our web form: ",
            _form_link(policy, form_url),
            ".",
        )
    )
    return blocks


def _complaints(
    policy: Policy, form_url: str | None = None, today: date | None = None
) -> list[Block]:
    ico = policy.complaints.ico
    charge = " without charge" if ico.free_of_charge else ""
    return [
        paragraph(
            f"You can complain to the {ico.name} if you are unhappy with how we have handled your "
            "personal data. It would be helpful if you contacted us first at ",
            email_part(policy.complaints.contact_us_first),
            " to see if we can resolve the problem.",
        ),
        paragraph(
            "You can also complain to us through the same web form: ",
            _form_link(policy, form_url),
            " ".join([".", *complaint_sentences(policy, today)]),
        ),
        paragraph(f"You can contact the ICO{charge}:"),
        list_block(
            [
                [
                    text_part("Telephone: "),
                    link_part(ico.phone, "tel:" + ico.phone.replace(" ", "")),
                ],
                [text_part("Live chat: "), link_part(ico.live_chat, ico.live_chat)],
                [text_part("Webform: "), link_part(ico.webform, ico.webform)],
                [text_part("Website: "), link_part(ico.website, ico.website)],
            ]
        ),
    ]


def _groups(policy: Policy, key: Any) -> list[tuple[Any, list[Purpose]]]:
    """Purposes grouped by ``key(purpose)``, in file order; empty keys left out."""
    groups: list[tuple[Any, list[Purpose]]] = []
    for purpose in policy.purposes:
        value = key(purpose)
        if not value:
            continue
        for existing, members in groups:
            if existing == value:
                members.append(purpose)
                break
        else:
            groups.append((value, [purpose]))
    return groups


def _who(policy: Policy, members: list[Purpose]) -> str:
    """How section 12 names the purposes a basis covers."""
    ids = {p.id for p in members}
    consent = [c.name for c in policy.consent_processing if set(c.purposes) & ids]
    if consent and all(p.consent_based for p in members):
        return f"For the {join_words(consent)} only"
    others = [p for p in policy.purposes if p.id not in ids]
    if not others:
        return "For all our processing"
    excluded = [
        c.name for c in policy.consent_processing if set(c.purposes) & {p.id for p in others}
    ]
    if excluded and all(p.consent_based for p in others):
        return f"For all processing except the {join_words(excluded)}"
    return "For: " + "; ".join(p.wording for p in members)


def _legal_basis(policy: Policy) -> list[Block]:
    blocks: list[Block] = [
        paragraph("Our legal basis for processing is:"),
        heading_block("Personal data"),
    ]
    groups = _groups(policy, lambda p: tuple(p.lawful_basis.article_6))
    for bases, members in groups:
        blocks.append(
            paragraph(f"{_who(policy, members)}: UK GDPR article {article_6_words(bases)}.")
        )
    special = _groups(
        policy,
        lambda p: tuple((c.condition, tuple(c.schedule_1)) for c in p.lawful_basis.article_9),
    )
    if special:
        blocks.append(heading_block("Special category data"))
        for conditions, members in special:
            lines = []
            for condition, schedule in conditions:
                line = f"article {condition} {ARTICLE_9_NAMES[condition]}"
                if schedule:
                    line += f", with the {schedule_1_words(policy, schedule)}"
                lines.append(line)
            blocks.append(paragraph(f"{_who(policy, members)}: UK GDPR {'; and '.join(lines)}."))
        if any(p.laws for p in policy.purposes):
            blocks.append(
                paragraph("The underlying laws for these conditions are those listed below.")
            )
    criminal = _groups(policy, lambda p: p.lawful_basis.article_10)
    if criminal:
        blocks.append(heading_block("Criminal offence data"))
        for route, members in criminal:
            text = f"{_who(policy, members)}: {route.explanation.rstrip('.')}"
            if route.schedule_1:
                text += f" ({schedule_1_words(policy, route.schedule_1)})"
            blocks.append(paragraph(as_sentence(text)))
    if policy.laws:
        blocks += [
            paragraph("The underlying laws relied on are:"),
            list_block(law_text(policy, law.id) for law in policy.laws),
        ]
    return blocks


def notice_markdown(
    policy: Policy, *, request_form_url: str | None = None, today: date | None = None
) -> str:
    """The whole notice as Markdown (arguments as for ``notice_html_context``)."""
    context = notice_html_context(policy, request_form_url=request_form_url, today=today)
    lines = [
        f"# {context['title']}",
        "",
        f"{context['controller']} — {context['service_name']}",
        "",
    ]
    for section in context["sections"]:
        lines += [f"## {section['number']}. {section['title']}", ""]
        for block in section["blocks"]:
            if block["kind"] == "heading":
                lines += [f"{'#' * block['level']} {block['text']}", ""]
            elif block["kind"] == "paragraph":
                lines += [markdown_parts(block["parts"]), ""]
            else:
                lines += [f"- {markdown_parts(item)}" for item in block["items"]] + [""]
    lines += [
        f"Last updated: {context['last_updated_display']} (policy version {context['version']}).",
        "",
    ]
    return "\n".join(lines)
