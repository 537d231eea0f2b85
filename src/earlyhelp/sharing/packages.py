"""A disclosure leaves as a protected package (issue 17 item 4): the records shared, printed
as a PDF with the documents uploaded to them, encrypted for the recipient by the one
protected-export mechanism (packages.services: a new password sent by another route, a
link that expires, every download audited against the person).

- `share_as_package`: a disclosure the family is told of (or an agreement that does not
  tell families of each share) is recorded as shared and its package made in the same
  step, through sharing.services.share.
- `send_package`: a disclosure the family is not told of leaves, once a team manager has
  approved it, through sharing.services.record_sent.

Either way the disclosure is recorded with method "protected package" and the package's
reference; only these make that record (the manual method choice does not offer it).
Refusals raise ShareRefused("field: words").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from earlyhelp.bundles import render
from earlyhelp.cases import documents
from earlyhelp.cases.models import Document
from earlyhelp.datamap.registry import Entry, holding_for, is_record_link, value_words
from earlyhelp.datamap.registry import Role as Reach
from earlyhelp.lib.plausible import format_day
from earlyhelp.packages import services as packages
from earlyhelp.packages.models import ProtectedPackage
from earlyhelp.people.models import Person
from earlyhelp.policy.active import active_policy
from earlyhelp.sharing import identifier, services, words
from earlyhelp.sharing.models import Disclosure
from earlyhelp.web.words import category_words

KIND = packages.Kind.DISCLOSURE
PACKAGE = Disclosure.Method.PROTECTED_PACKAGE
# An uploaded document's kind by its content type: those the PDF can carry.
ATTACHABLE = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpeg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}
NOT_ATTACHED = "This document could not be included; ask the council for a copy"
GONE = "This record is no longer held"


def _entry(record_model: str, record_id: str) -> tuple[Entry, object] | None:
    """The data map's reading of a disclosed record, and its row; None when it is gone."""
    try:
        model = apps.get_model(record_model)
    except LookupError:
        return None
    holding = holding_for(model)
    row = model.objects.filter(pk=record_id).first()
    if row is None:
        return None
    return holding.entry(row, Reach.SUBJECT), row


def _attachment(row: Document, ref: str) -> render.Attachment:
    """The uploaded file, or a line saying it could not be included."""
    kind = ATTACHABLE.get(row.content_type, "")
    attachment = render.Attachment(
        name="Document uploaded to this record", kind=kind or "pdf", data=b"", ref=ref
    )
    if not kind:
        attachment.withheld = NOT_ATTACHED
        return attachment
    try:
        attachment.data = documents.read(row.sha256)
    except documents.DocumentUnavailable:
        attachment.withheld = NOT_ATTACHED
    return attachment


def content_of(disclosure: Disclosure) -> render.Content:
    """What the package prints: a cover page saying whom it is about (with the child's
    identifier where the policy says the package carries it), what is shared, with whom,
    why and under which agreement and lawful basis (the policy's words), then each
    disclosed record as the data map reads it, its uploaded document attached. Nothing is
    redacted: the disclosure's records are the person's own, decided by the policy."""
    policy = active_policy()
    reference = str(disclosure.public_id)
    person = disclosure.person
    born = f", born {format_day(person.date_of_birth)}" if person.date_of_birth else ""
    cover_lines = [
        f"About: {person.full_name}{born}",
        # The child's consistent identifier (Children Act 2004 s.16LC), as the policy says.
        *filter(None, [identifier.package_words(policy, disclosure)]),
        f"Shared by: {policy.service_name}",
        f"Shared with: {words.recipient_words(policy, disclosure.recipient)}",
        f"Why: {words.purpose_words(policy, disclosure.purpose)}",
    ]
    if disclosure.agreement:
        cover_lines.append(f"Agreement: {words.agreement_words(policy, disclosure.agreement)}")
    if disclosure.lawful_basis:
        cover_lines.append(f"Lawful basis: {disclosure.lawful_basis}")
    cover_lines.append(
        "What it holds: " + "; ".join(words.categories_words(policy, disclosure.categories))
    )
    cover_lines.append(f"Disclosure reference: {reference}")
    sections: list[render.Section] = []
    for number, item in enumerate(disclosure.items.all(), start=1):
        ref = f"item-{number}"
        found = _entry(item.record_model, item.record_id)
        if found is None:
            sections.append(
                render.Section(
                    title=item.label,
                    day=item.day,
                    category="; ".join(category_words(policy, c) for c in item.categories),
                    source="",
                    recorded_by="",
                    passages=[],
                    withheld=GONE,
                    ref=ref,
                )
            )
            continue
        entry, row = found
        section = render.Section(
            title=entry.label[:200],
            day=entry.date,
            category="; ".join(category_words(policy, c) for c in entry.categories),
            source=entry.source,
            recorded_by=entry.recorded_by,
            passages=[
                render.Passage(label=label, text=value_words(value), ref=ref)
                for label, value, _category in entry.fields
                if value and not is_record_link(value)  # an id is a code, not information
            ],
            ref=ref,
        )
        if isinstance(row, Document):
            section.attachments.append(_attachment(row, ref))
        sections.append(section)
    return render.Content(
        title=f"Information shared by {policy.service_name}",
        reference=reference,
        cover=[("About this information", cover_lines)],
        sections=sections,
    )


def _maker(request: HttpRequest, how: str, made: list[packages.Made]):
    """The callback sharing.services calls with the disclosure as it leaves: renders its
    package, makes it, keeps the result in `made`, and returns its reference."""

    def make(disclosure: Disclosure) -> str:
        pdf = render.render_bundle(content_of(disclosure)).pdf
        try:
            result = packages.make(
                request,
                pdf,
                kind=KIND,
                owner_public_id=disclosure.public_id,
                how=how,
                people=[disclosure.person],
                reason=f"Disclosure {disclosure.public_id}",
                rule=f"agreement:{disclosure.agreement}" if disclosure.agreement else "",
                file_name=f"disclosure-{disclosure.public_id}.pdf",
            )
        except packages.PackageRefused as refusal:
            raise services.ShareRefused(str(refusal)) from None
        made.append(result)
        return str(result.package.public_id)

    return make


def _checked(how: str) -> str:
    """`how`, and the policy's rules for a disclosure's package, checked before anything is
    written."""
    try:
        packages.link_rules(KIND)
        return packages.check_how(how)
    except packages.PackageRefused as refusal:
        raise services.ShareRefused(str(refusal)) from None


def share_as_package(
    request: HttpRequest,
    person: Person,
    *,
    how: str,
    recipient: str,
    purpose: str,
    item_keys: Iterable[str],
    tell_family: bool = True,
    exemption: str = "",
    exemption_reason: str = "",
) -> tuple[Disclosure, packages.Made | None]:
    """sharing.services.share, the information leaving as a protected package made in the
    same step: (the disclosure, the package made with its link token and password, shown
    once). A disclosure the family is not told of waits for a team manager's approval and
    makes no package yet (None): it leaves later by `send_package`.

    `how`: how the link is sent, in words. Raises ShareRefused("field: words"): the
    refusals of `share`, and ("how: ...") or ("policy: ...") for the package."""
    how = _checked(how)
    made: list[packages.Made] = []
    disclosure = services.share(
        request,
        person,
        recipient=recipient,
        purpose=purpose,
        item_keys=item_keys,
        tell_family=tell_family,
        exemption=exemption,
        exemption_reason=exemption_reason,
        method=PACKAGE,
        package=_maker(request, how, made),
    )
    return disclosure, (made[0] if made else None)


def send_package(request: HttpRequest, disclosure: Disclosure, how: str) -> packages.Made:
    """A disclosure a team manager has approved leaves as a protected package, recorded as
    sent (sharing.services.record_sent: the policy and any restriction asked again today).

    Raises ShareRefused: the refusals of `record_sent` (not approved, no access, the policy
    now refuses), ("how: ...") or ("policy: ...") for the package."""
    how = _checked(how)
    made: list[packages.Made] = []
    services.record_sent(request, disclosure, method=PACKAGE, package=_maker(request, how, made))
    return made[0]


def packages_of(disclosure: Disclosure):
    """The protected packages made for `disclosure`, oldest first."""
    return packages.packages_of(KIND, [disclosure.public_id])


# A package's status, in words, and its tag's colour.
ACTIVE, EXPIRED, WITHDRAWN = "Active", "Expired", "Withdrawn"
TAG_COLOURS = {ACTIVE: "green", EXPIRED: "grey", WITHDRAWN: "red"}


def status_of(package: ProtectedPackage, now: datetime) -> str:
    """ "Active" while its link works; "Withdrawn" when it was ended before it expired (by
    hand, or a new link made); else "Expired"."""
    if package.removed_at is not None and package.removed_at < package.expires_at:
        return WITHDRAWN
    if package.removed_at is not None or package.expires_at <= now:
        return EXPIRED
    return ACTIVE


@dataclass(frozen=True)
class PackageRow:
    """A package made for a disclosure, as its page lists it."""

    package: ProtectedPackage
    status: str
    colour: str
    made_by: str
    withdrawn_by: str = ""


def package_rows(disclosure: Disclosure) -> list[PackageRow]:
    """The packages made for `disclosure`, oldest first, each with its status in words."""
    now = timezone.now()
    rows = []
    for package in packages_of(disclosure).select_related("withdrawn_by"):
        status = status_of(package, now)
        rows.append(
            PackageRow(
                package=package,
                status=status,
                colour=TAG_COLOURS[status],
                made_by=package.made_by.get_full_name() or "a member of staff",
                withdrawn_by=(
                    (package.withdrawn_by.get_full_name() or "a member of staff")
                    if package.withdrawn_by_id
                    else ""
                ),
            )
        )
    return rows


def link_problem(request: HttpRequest, disclosure: Disclosure) -> str | None:
    """ "field: why" when the user may not withdraw or remake the disclosure's link, or None.

    The rule of sending it as a package: casework staff with need-to-know access to the
    person (sharing.services.access_problem), for a disclosure that left as a protected
    package."""
    problem = services.access_problem(request, disclosure.person)
    if problem:
        return problem
    if disclosure.status != Disclosure.Status.SHARED or disclosure.method != PACKAGE:
        return "disclosure: only a disclosure sent as a protected package has a link"
    if not packages_of(disclosure).exists():
        return "disclosure: no protected package has been made for this disclosure"
    return None


def _check_link(request: HttpRequest, disclosure: Disclosure) -> None:
    problem = link_problem(request, disclosure)
    if problem:
        raise services.ShareRefused(problem)


def withdraw_link(request: HttpRequest, disclosure: Disclosure, reason: str) -> int:
    """End the disclosure's working link at once, `reason` saying why: its protected file
    is deleted and the link then shows that it has ended; the number of links ended.
    Recorded in the audit trail against the person.

    Raises ShareRefused("field: words"): the refusals of `link_problem`, ("reason: ...")
    for none or one too long, ("disclosure: ...") when no link works now."""
    _check_link(request, disclosure)
    reason = services.checked_text(reason, "reason", "say why the link is withdrawn")
    with transaction.atomic():
        disclosure = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
        live = [str(p.public_id) for p in packages_of(disclosure) if p.is_live]
        if not live:
            raise services.ShareRefused(
                "disclosure: no link works now: it has expired or was withdrawn already"
            )
        ended = packages.withdraw(KIND, [disclosure.public_id], by=request.user, reason=reason)
        services.audit_disclosure(
            request,
            disclosure,
            "change",
            "protected package link withdrawn",
            why=reason,
            packages=live,
        )
    return ended


def new_link(
    request: HttpRequest, disclosure: Disclosure, *, how: str, reason: str
) -> packages.Made:
    """Withdraw the disclosure's link and make a new package with a new password and link
    (shown once), `reason` saying why and `how` how the link is sent. The information
    leaves again, so the policy and any restriction of processing are asked again today.
    The disclosure's reference becomes the new package's; audited against the person.

    Raises ShareRefused("field: words"): the refusals of `link_problem`, ("reason: ...")
    and ("how: ...") for the form, ("person: ...") for a restriction of processing, and
    the policy's refusal today."""
    _check_link(request, disclosure)
    reason = services.checked_text(reason, "reason", "say why a new link is needed")
    how = _checked(how)
    person = disclosure.person
    problem = services.restriction_problem(person)
    if problem:
        raise services.ShareRefused(problem)
    services.decide_again(request, disclosure)
    made: list[packages.Made] = []
    with transaction.atomic():
        disclosure = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
        ended = [str(p.public_id) for p in packages_of(disclosure) if p.removed_at is None]
        packages.withdraw(
            KIND, [disclosure.public_id], by=request.user, reason=f"A new link was made: {reason}"
        )
        disclosure.reference = _maker(request, how, made)(disclosure)
        disclosure.save(update_fields=["reference"])
        services.audit_disclosure(
            request,
            disclosure,
            "share",
            "new protected package link made",
            method=PACKAGE,
            why=reason,
            package=disclosure.reference,
            ended=ended,
        )
    return made[0]
