"""Render the privacy notice and the Article 30 record from a policy alone.

The notice is built once as plain data — sections of blocks, each block made of text parts
that may carry a link — by ``notice_html_context``. ``notice_markdown`` writes the same data
as Markdown, so the web page and the Markdown can never say different things.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterable
from datetime import date
from typing import Any

from earlyhelp.lib.spreadsheet import neutralise_cell
from earlyhelp.policy.describe import ARTICLE_6_NAMES
from earlyhelp.policy.schema import (
    Link,
    Period,
    Policy,
    Project,
    ProjectField,
    Purpose,
    RetentionRule,
)

Part = dict[str, str | None]
Block = dict[str, Any]

ARTICLE_9_NAMES = {
    "9(2)(a)": "explicit consent",
    "9(2)(b)": "employment, social security and social protection (with a basis in law)",
    "9(2)(c)": "vital interests",
    "9(2)(d)": "not-for-profit bodies",
    "9(2)(e)": "made public by the data subject",
    "9(2)(f)": "legal claims or judicial acts",
    "9(2)(g)": "reasons of substantial public interest (with a basis in law)",
    "9(2)(h)": "health or social care (with a basis in law)",
    "9(2)(i)": "public health (with a basis in law)",
    "9(2)(j)": "archiving, research and statistics (with a basis in law)",
}
FIELD_RULE_WORDS = {
    "drop": "removed",
    "keyed_pseudonym": "replaced with a reference number",
    "date_to_month": "cut to month and year",
    "postcode_to_district": "cut to the postcode district",
    "age_band": "replaced with an age band",
    "keep": "kept as it is",
}
SOURCE_WORDS = {
    "family": "you and your family",
    "carer": "carers",
    "child": "children and young people themselves",
    "gp": "GPs",
    "school_nurse": "school nurses",
    "health_professional": "other health professionals",
    "police": "the police",
    "school": "schools",
    "other_agency": "other organisations",
    "council_service": "other council services",
    "council_staff": "council staff",
}
SUBJECT_WORDS = {
    "child": "children",
    "young_person": "young people",
    "parent_or_carer": "parents and carers",
    "household_member": "members of the household",
    "relative_outside_household": "family members outside the household",
}
NUMBER_WORDS = {
    1: "one",
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
    11: "eleven",
    12: "twelve",
}


# --- small text helpers --------------------------------------------------------------------


def _t(text: str) -> Part:
    return {"text": text, "href": None}


def _a(text: str, href: str | None) -> Part:
    return {"text": text, "href": href}


def _href(address: str | None) -> str | None:
    """A followable address: emails get mailto:, bare www. addresses get https://."""
    if not address:
        return None
    if "@" in address and "/" not in address:
        return f"mailto:{address}"
    if address.startswith("www."):
        return f"https://{address}"
    return address


def _link(link: Link) -> Part:
    return _a(link.label, _href(link.url))


def _email(address: str) -> Part:
    return _a(address, _href(address))


def _para(*parts: Part | str) -> Block:
    items = [_t(p) if isinstance(p, str) else p for p in parts]
    return {"kind": "paragraph", "parts": items, "text": "".join(str(p["text"]) for p in items)}


def _list(items: Iterable[list[Part] | str]) -> Block:
    rows = [[_t(i)] if isinstance(i, str) else i for i in items]
    return {
        "kind": "list",
        "items": rows,
        "texts": ["".join(str(p["text"]) for p in row) for row in rows],
    }


def _heading(text: str, level: int = 3) -> Block:
    return {"kind": "heading", "text": text, "level": level}


def _join(words: Iterable[str], last: str = "and") -> str:
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def _number(count: int) -> str:
    return NUMBER_WORDS.get(count, str(count))


def _period_words(period: Period) -> str:
    parts = [
        f"{_number(count)} {unit}{'s' if count != 1 else ''}"
        for count, unit in ((period.years, "year"), (period.months, "month"), (period.days, "day"))
        if count
    ]
    return _join(parts) or "no time"


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


# --- the notice ----------------------------------------------------------------------------


def notice_html_context(policy: Policy) -> dict[str, Any]:
    """Everything a template needs to show the notice, as plain data.

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
            f"Transferring data out of the {_join(policy.transfers.permitted_regions)}",
            _transfers(policy),
        ),
        ("automated-decisions", "Automated decision making", _automated(policy)),
        (
            "rights",
            "Your data subject rights and requesting access to personal data",
            _rights(policy),
        ),
        (
            "complaints",
            "The right to lodge a complaint with a supervisory authority",
            _complaints(policy),
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
        _para(
            f"{policy.controller.name}'s {policy.service_name}, including {_join(names)}, aim to "
            f"{intro.aim}. Their services include {_join(intro.activities)}."
        )
    ]
    for service in policy.services:
        if service.sub_services:
            blocks.append(
                _para(
                    f"{service.short_name or service.name} consists of "
                    f"{_join(s.name for s in service.sub_services)}."
                )
            )
    blocks.append(
        _para(
            f"{policy.service_name} will hold a wide range of information about you and your "
            f"family. {intro.use}"
        )
    )
    blocks.append(
        _para(
            "This privacy notice explains how we use any personal information we collect about you."
        )
    )
    return blocks


def _controller(policy: Policy) -> list[Block]:
    controller, dpo = policy.controller, policy.dpo
    contact: list[Part | str] = [
        f"The council's Data Protection Officer is {dpo.name}, who is the council's {dpo.role}. "
        "The Data Protection Officer can be contacted at ",
        _email(dpo.email),
    ]
    if dpo.contact_link is not None:
        contact += [" or via ", _link(dpo.contact_link)]
    contact.append(".")
    return [
        _para(
            f"The Data Controller is {controller.name}, {', '.join(controller.address)}, "
            f"{controller.postcode}. Website: ",
            _a(controller.website, _href(controller.website)),
            ".",
        ),
        _para(*contact),
    ]


def _information(policy: Policy) -> list[Block]:
    by_kind = {
        kind: [c.wording for c in policy.categories if c.kind == kind]
        for kind in ("personal", "special_category", "criminal_offence")
    }
    blocks = [
        _para(
            "We process a range of information about you and your family. "
            "This will include some or all the following:"
        ),
        _list(by_kind["personal"]),
    ]
    if by_kind["special_category"]:
        blocks += [
            _para(
                "We also process a range of special category (sensitive) information about "
                "you. This will include some or all the following:"
            ),
            _list(by_kind["special_category"]),
        ]
    if by_kind["criminal_offence"]:
        blocks += [
            _para("We also process criminal offence data as follows:"),
            _list(by_kind["criminal_offence"]),
        ]
    sources = [s for s in SOURCE_WORDS if any(s in c.sources for c in policy.categories)]
    blocks.append(
        _para(f"This information may come from {_join(SOURCE_WORDS[s] for s in sources)}.")
    )
    return blocks


def _purposes(policy: Policy) -> list[Block]:
    return [
        _para("We use the data we have and collect for the following uses:"),
        _list(
            _sentence(p.wording)[:-1] + (" (only with your consent)" if p.consent_based else "")
            for p in policy.purposes
        ),
    ]


def _sharing(policy: Policy) -> list[Block]:
    sharing = policy.sharing
    blocks: list[Block] = [_heading("a. Explanation"), _para(" ".join(sharing.principles))]
    if sharing.may_request_from_other_parties:
        blocks.append(
            _para(
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
            _para(
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
            text += " Examples are " + _join((e.wording for e in sharing.exemptions), "or") + "."
        blocks.append(_para(text))
    if sharing.data_matching is not None:
        matching = sharing.data_matching
        blocks.append(
            _para(
                f"{matching.wording} More details on this are available on ",
                _link(matching.more_information),
                ".",
            )
        )
    blocks.append(
        _para(
            "The council has a number of data sharing agreements with agencies to cover data "
            "sharing; the main ones are available here: ",
            _link(sharing.agreements_register),
            ".",
        )
    )
    blocks += [
        _heading("b. List of parties we may share data with"),
        _list(r.wording for r in policy.recipients if r.in_sharing_list),
    ]
    if policy.projects:
        blocks.append(_heading("Specific projects"))
        for project in policy.projects:
            blocks += _project(policy, project)
    return blocks


def _field_words(field: ProjectField) -> str:
    words = FIELD_RULE_WORDS[field.rule]
    if field.rule == "age_band":
        words += f" (bands starting at ages {_join(str(b) for b in field.age_bands)})"
    return f"{field.name.replace('-', ' ')}: {words}"


def _project(policy: Policy, project: Project) -> list[Block]:
    recipient = policy.recipient(project.recipient)
    blocks: list[Block] = [_heading(project.name, level=4), _para(project.description)]
    if project.scope:
        blocks.append(_para(project.scope))
    if recipient is not None:
        blocks.append(_para(f"The data is shared with: {recipient.name}."))
    if project.end is not None:
        blocks.append(_para(f"The sharing will continue until {_day(project.end)}."))
    if project.pseudonymised:
        blocks.append(
            _para(
                "Pseudonymised data, where names and other identifying details are replaced with a "
                "reference, will be shared. Only these details are sent, changed as shown:"
            )
        )
        blocks.append(_list(_field_words(f) for f in project.fields))
    if project.collected_by:
        route = f" It is sent through {project.transfer_route}." if project.transfer_route else ""
        blocks.append(
            _para(f"The data is collected from local authorities by {project.collected_by}.{route}")
        )
    if project.outputs:
        blocks.append(_para(project.outputs))
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
        conditions.append(
            f"all data is destroyed after {_period_words(project.recipient_retention)}"
        )
    if conditions:
        blocks += [_para("Data agreements are in place to ensure that:"), _list(conditions)]
    if project.objection_honoured and project.objection_contact:
        blocks.append(
            _para(
                "You have the right to object to your data being used this way. If you wish to "
                "exercise it then please contact ",
                _email(project.objection_contact),
                ".",
            )
        )
    if project.more_information:
        blocks.append(_para(project.more_information))
    return blocks


def retention_sentence(policy: Policy, rule: RetentionRule) -> str:
    """One rule in words a family can read."""
    period = _period_words(rule.period)
    duty = " as part of the Council's statutory duty" if rule.statutory else ""
    if rule.trigger == "date_of_birth":
        age = rule.period.years if not (rule.period.months or rule.period.days) else None
        until = (
            f"until your child is {age}"
            if age is not None
            else f"for {period} from your child's date of birth"
        )
        return f"We will keep information {until}{duty}."
    if rule.trigger == "last_involvement":
        who = (
            f"If you are {policy.retention.adult_from_age} or over, we"
            if rule.subject == "adult"
            else "We"
        )
        return (
            f"{who} will keep any information you share with us for {period} "
            f"after our last involvement with you{duty}."
        )
    what = "photos and videos" if rule.subject == "nursery_media" else "information"
    return f"We will keep {what} for {period} after you withdraw your consent{duty}."


def _storage(policy: Policy) -> list[Block]:
    consent_systems = {c.system for c in policy.consent_processing}
    systems = [s for s in policy.storage.systems if s.id not in consent_systems]
    names = [s.name + (f" ({s.description})" if s.description else "") for s in systems]
    blocks = [
        _para(f"{policy.service_name} holds data securely on {_join(names)}, as necessary."),
        _para(" ".join(policy.storage.security_measures)),
    ]
    blocks += [_para(retention_sentence(policy, rule)) for rule in policy.retention.rules]
    for processing in policy.consent_processing:
        system = policy.storage_system(processing.system)
        owner = (
            f" (which is owned by {system.supplier})"
            if system is not None and system.supplier
            else ""
        )
        system_name = system.name if system is not None else processing.system
        blocks.append(
            _para(
                f"If you consent to using the {processing.name}, which is used in "
                f"{processing.settings}, the service will use the {system_name}{owner} "
                f"to {processing.use}"
            )
        )
        blocks += [_para(text) for text in processing.description]
        if processing.data_ownership:
            blocks.append(_para(processing.data_ownership))
        if processing.withdrawable:
            blocks.append(
                _para(f"You can withdraw your consent to the {processing.name} at any time.")
            )
    return blocks


def _provision(policy: Policy) -> list[Block]:
    return [_para(policy.provision.consequence)]


def _transfers(policy: Policy) -> list[Block]:
    return [_para(policy.transfers.statement)]


def _automated(policy: Policy) -> list[Block]:
    return [_para(policy.automated_decisions.statement)]


def _basis_words(bases: Iterable[str], last: str = "and") -> str:
    return _join((f"{b} ({ARTICLE_6_NAMES[b]})" for b in bases), last)


def deadline_sentences(policy: Policy) -> list[str]:
    """The request time limit in words."""
    rule = policy.rights.deadline
    months = f"{_number(rule.months)} calendar month{'s' if rule.months != 1 else ''}"
    waits = {
        "identity_confirmed": "proof of your identity",
        "clarified": "any clarification we need",
    }
    started = [waits[e] for e in rule.clock_starts_at_latest_of if e in waits]
    text = [
        f"We will respond within {months}, counted from the day we receive your request: the "
        "answer is due on the same date of the following month, or the last day of that month "
        "where there is no such date, and on the next working day if that date falls on a "
        f"weekend or a bank holiday in {rule.bank_holidays.name}."
    ]
    if started:
        text.append(f"The time starts once we have your request and {_join(started)}.")
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
    return f"{_number(count)} month{'s' if count != 1 else ''}"


def _rights(policy: Policy) -> list[Block]:
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
            bases = _basis_words(right.applies_under, "or")
            text = f"{right.name}: applies only where our lawful basis is {bases}."
        if right.limitation:
            text += f" {right.limitation}"
        items.append(text)
    blocks = [
        _para(
            f"Under data protection legislation, {_join(rights.who_may_request)} have the right to "
            "request a copy of information we hold about them. " + " ".join(parental)
        ),
        _para("Your rights, and when they apply:"),
        _list(items),
        _para(" ".join(deadline_sentences(policy))),
    ]
    if rights.more_information:
        more: list[Part | str] = ["There are other data subject rights; for more information see "]
        for i, link in enumerate(rights.more_information):
            if i:
                more.append(" and " if i == len(rights.more_information) - 1 else ", ")
            more.append(_link(link))
        more.append(".")
        blocks.append(_para(*more))
    blocks.append(
        _para(
            "To make a request for your personal information or to exercise other data protection "
            "rights please use our web form: ",
            _link(rights.request_form),
            ".",
        )
    )
    return blocks


def _complaints(policy: Policy) -> list[Block]:
    ico = policy.complaints.ico
    charge = " without charge" if ico.free_of_charge else ""
    return [
        _para(
            f"You can complain to the {ico.name} if you are unhappy with how we have handled your "
            "personal data. It would be helpful if you contacted us first at ",
            _email(policy.complaints.contact_us_first),
            " to see if we can resolve the problem.",
        ),
        _para(f"You can contact the ICO{charge}:"),
        _list(
            [
                [_t("Telephone: "), _a(ico.phone, "tel:" + ico.phone.replace(" ", ""))],
                [_t("Live chat: "), _a(ico.live_chat, ico.live_chat)],
                [_t("Webform: "), _a(ico.webform, ico.webform)],
                [_t("Website: "), _a(ico.website, ico.website)],
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
        return f"For the {_join(consent)} only"
    others = [p for p in policy.purposes if p.id not in ids]
    if not others:
        return "For all our processing"
    excluded = [
        c.name for c in policy.consent_processing if set(c.purposes) & {p.id for p in others}
    ]
    if excluded and all(p.consent_based for p in others):
        return f"For all processing except the {_join(excluded)}"
    return "For: " + "; ".join(p.wording for p in members)


def _schedule_1_words(policy: Policy, condition_ids: Iterable[str]) -> str:
    conditions = [c for c in map(policy.schedule_1_condition, condition_ids) if c is not None]
    by_part: dict[int, list[str]] = {}
    for c in conditions:
        by_part.setdefault(c.part, []).append(f"paragraph {c.paragraph} ({c.title})")
    return "; ".join(
        f"Data Protection Act 2018 Schedule 1 Part {part} conditions: {_join(paras)}"
        for part, paras in by_part.items()
    )


def law_text(policy: Policy, law_id: str) -> str:
    law = policy.law(law_id)
    if law is None:
        return law_id
    parts = []
    if law.sections:
        parts.append(f"section{'s' if len(law.sections) > 1 else ''} {_join(law.sections)}")
    parts += law.other_provisions
    return f"{law.title} {_join(parts)}".strip() if parts else law.title


def _legal_basis(policy: Policy) -> list[Block]:
    blocks: list[Block] = [_para("Our legal basis for processing is:"), _heading("Personal data")]
    groups = _groups(policy, lambda p: tuple(p.lawful_basis.article_6))
    for bases, members in groups:
        blocks.append(_para(f"{_who(policy, members)}: UK GDPR article {_basis_words(bases)}."))
    special = _groups(
        policy,
        lambda p: tuple((c.condition, tuple(c.schedule_1)) for c in p.lawful_basis.article_9),
    )
    if special:
        blocks.append(_heading("Special category data"))
        for conditions, members in special:
            lines = []
            for condition, schedule in conditions:
                line = f"article {condition} {ARTICLE_9_NAMES[condition]}"
                if schedule:
                    line += f", with the {_schedule_1_words(policy, schedule)}"
                lines.append(line)
            blocks.append(_para(f"{_who(policy, members)}: UK GDPR {'; and '.join(lines)}."))
        if any(p.laws for p in policy.purposes):
            blocks.append(_para("The underlying laws for these conditions are those listed below."))
    criminal = _groups(policy, lambda p: p.lawful_basis.article_10)
    if criminal:
        blocks.append(_heading("Criminal offence data"))
        for route, members in criminal:
            text = f"{_who(policy, members)}: {route.explanation.rstrip('.')}"
            if route.schedule_1:
                text += f" ({_schedule_1_words(policy, route.schedule_1)})"
            blocks.append(_para(_sentence(text)))
    if policy.laws:
        blocks += [
            _para("The underlying laws relied on are:"),
            _list(law_text(policy, law.id) for law in policy.laws),
        ]
    return blocks


def notice_markdown(policy: Policy) -> str:
    """The whole notice as Markdown."""
    context = notice_html_context(policy)
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
                lines += [_md(block["parts"]), ""]
            else:
                lines += [f"- {_md(item)}" for item in block["items"]] + [""]
    lines += [
        f"Last updated: {context['last_updated_display']} (policy version {context['version']}).",
        "",
    ]
    return "\n".join(lines)


def _md(parts: list[Part]) -> str:
    out = []
    for part in parts:
        text = str(part["text"])
        out.append(f"[{text}]({part['href']})" if part["href"] else text)
    return "".join(out)


# --- Article 30 record ---------------------------------------------------------------------


def ropa_rows(policy: Policy) -> list[dict[str, str]]:
    """The record of processing activities: one row per purpose."""
    transfers = f"Only within the {_join(policy.transfers.permitted_regions)}"
    if policy.transfers.exceptions:
        transfers += "; except where " + "; or where ".join(
            e.condition for e in policy.transfers.exceptions
        )
    adm = "None" if not policy.automated_decisions.used else policy.automated_decisions.statement
    rows = []
    for purpose in policy.purposes:
        categories = [c for c in map(policy.category, purpose.categories) if c is not None]
        recipients = []
        for agreement in policy.agreements:
            if purpose.id in agreement.purposes:
                recipient = policy.recipient(agreement.recipient)
                recipients.append(
                    f"{recipient.name if recipient else agreement.recipient} "
                    f"(agreement {agreement.id}, "
                    f"{_validity(agreement.valid_from, agreement.valid_to)})"
                )
        projects = [p for p in policy.projects if purpose.id in p.purposes]
        # Consent-based processing lives in its own system; everything else in the rest.
        own = {c.system for c in policy.consent_processing if purpose.id in c.purposes}
        consent_only = {c.system for c in policy.consent_processing}
        systems = [
            s.name
            for s in policy.storage.systems
            if (s.id in own if purpose.consent_based else s.id not in consent_only)
        ]
        basis = purpose.lawful_basis
        rows.append(
            {
                "purpose_id": purpose.id,
                "purpose": purpose.wording,
                "controller": ", ".join(
                    [policy.controller.name, *policy.controller.address, policy.controller.postcode]
                ),
                "dpo": f"{policy.dpo.name} ({policy.dpo.role}), {policy.dpo.email}",
                "consent_based": "yes" if purpose.consent_based else "no",
                "data_subjects": "; ".join(SUBJECT_WORDS[s] for s in purpose.data_subjects),
                "personal_data": "; ".join(c.wording for c in categories if c.kind == "personal"),
                "special_category_data": "; ".join(
                    c.wording for c in categories if c.kind == "special_category"
                ),
                "criminal_offence_data": "; ".join(
                    c.wording for c in categories if c.kind == "criminal_offence"
                ),
                "sources": "; ".join(
                    SOURCE_WORDS[s] for s in SOURCE_WORDS if any(s in c.sources for c in categories)
                ),
                "recipients": "; ".join(recipients),
                "projects": "; ".join(
                    f"{p.name} (to {_validity(p.start, p.end)})" if p.end else p.name
                    for p in projects
                ),
                "transfers": transfers,
                "retention": " ".join(
                    retention_sentence(policy, r)
                    for r in map(policy.retention_rule, purpose.retention_rules)
                    if r
                )
                or "No retention period stated",
                "article_6": _basis_words(basis.article_6),
                "article_9": "; ".join(
                    c.condition
                    + (f" ({_schedule_1_words(policy, c.schedule_1)})" if c.schedule_1 else "")
                    for c in basis.article_9
                ),
                "article_10": (
                    basis.article_10.explanation
                    + (
                        f" ({_schedule_1_words(policy, basis.article_10.schedule_1)})"
                        if basis.article_10.schedule_1
                        else ""
                    )
                    if basis.article_10
                    else ""
                ),
                "laws": "; ".join(
                    law_text(policy, c.law)
                    if not c.sections
                    else f"{_law_title(policy, c.law)} sections {_join(c.sections)}"
                    for c in purpose.laws
                ),
                "storage_systems": "; ".join(systems),
                "security_measures": " ".join(policy.storage.security_measures),
                "automated_decision_making": adm,
            }
        )
    return rows


ROPA_COLUMN_LABELS = {
    "purpose_id": "Purpose id",
    "purpose": "Purpose",
    "controller": "Controller",
    "dpo": "Data Protection Officer",
    "consent_based": "Based on consent",
    "data_subjects": "Data subjects",
    "personal_data": "Personal data",
    "special_category_data": "Special category data",
    "criminal_offence_data": "Criminal offence data",
    "sources": "Sources",
    "recipients": "Recipients",
    "projects": "Pseudonymised projects",
    "transfers": "Transfers outside the UK",
    "retention": "Retention",
    "article_6": "Article 6 basis",
    "article_9": "Article 9 condition",
    "article_10": "Article 10 route",
    "laws": "Underlying laws",
    "storage_systems": "Storage systems",
    "security_measures": "Security measures",
    "automated_decision_making": "Automated decision-making",
}


def ropa_table(policy: Policy) -> list[dict[str, Any]]:
    """The record for a table: each purpose with its other columns as (label, value) pairs."""
    return [
        {
            "purpose_id": row["purpose_id"],
            "purpose": row["purpose"],
            "cells": [
                (ROPA_COLUMN_LABELS[key], value)
                for key, value in row.items()
                if key not in ("purpose_id", "purpose")
            ],
        }
        for row in ropa_rows(policy)
    ]


def _law_title(policy: Policy, law_id: str) -> str:
    law = policy.law(law_id)
    return law.title if law else law_id


def _validity(start: date, end: date | None) -> str:
    return f"from {start.isoformat()}" + (f" to {end.isoformat()}" if end else ", no end date")


def ropa_csv(policy: Policy) -> str:
    """The record of processing activities as CSV text, spreadsheet-safe (a cell starting
    with =, +, -, @, a tab or a carriage return has a ' in front: earlyhelp.lib.spreadsheet)."""
    rows = ropa_rows(policy)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else [], lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: neutralise_cell(v) for k, v in row.items()} for row in rows)
    return out.getvalue()


# --- what changed --------------------------------------------------------------------------


def _section_lines(section: dict[str, Any]) -> list[str]:
    lines = []
    for block in section["blocks"]:
        if block["kind"] == "list":
            lines += block["texts"]
        else:
            lines.append(block["text"])
    return lines


def diff_notices(old: Policy, new: Policy) -> list[str]:
    """What a family reading the notice would see changed, in plain words."""
    changes = []
    if old.last_updated != new.last_updated:
        changes.append(
            f"The notice was last updated in {new.last_updated:%B %Y} "
            f"(before: {old.last_updated:%B %Y})."
        )
    old_sections = {s["slug"]: s for s in notice_html_context(old)["sections"]}
    for section in notice_html_context(new)["sections"]:
        before = old_sections.get(section["slug"])
        where = f"Section {section['number']} ({section['title']})"
        if before is not None and before["title"] != section["title"]:
            changes.append(
                f"Section {section['number']} is now called '{section['title']}' "
                f"(before: '{before['title']}')."
            )
        old_lines = _section_lines(before) if before else []
        new_lines = _section_lines(section)
        matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                continue
            if op == "replace" and a2 - a1 == b2 - b1:
                changes += [
                    f'{where} now says: "{n}" instead of: "{o}"'
                    for o, n in zip(old_lines[a1:a2], new_lines[b1:b2], strict=True)
                ]
                continue
            changes += [f'{where} no longer says: "{line}"' for line in old_lines[a1:a2]]
            changes += [f'{where} now also says: "{line}"' for line in new_lines[b1:b2]]
    return changes
