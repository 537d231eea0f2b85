"""Making, reviewing, approving and sending a subject access bundle (UK GDPR Article 15).

Every write is one transaction with its audit event. Only the information governance
officer handling an open request that asks for access acts on its bundle
(rights.outcomes.request_refusal). Refusals raise BundleRefused("field: words").

- `make_bundle`: gathers everything the data map holds about each person in scope (and the
  records merged into them), leaving out the records of a child who did not agree to a
  parent seeing them (rights.scope's decision); copies each field and each page or
  paragraph of an uploaded document into BundleItems; proposes redactions of other
  people's information (bundles.parties, bundles.finders).
- `decide`, `add_redaction`, `withhold`, `release`: the reviewer's decisions, each with an
  exemption from the policy (rights.access_bundle.exemptions).
- `approve`: renders the PDF with accepted redactions burned in (bundles.render) and keeps
  it, encrypted, as the request's file.
- `deliver`: a password-protected copy behind a link that expires, made by the one
  protected-export mechanism (packages.services: the link, its expiry, the audited
  downloads).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.access.rules import is_restricted_from, who_to_ask
from earlyhelp.audit.log import record as audit_record
from earlyhelp.audit.log import record_many
from earlyhelp.audit.models import AuditEvent
from earlyhelp.bundles import cover, render
from earlyhelp.bundles.attachments import AttachmentUnreadable, attachment_texts, clean_image
from earlyhelp.bundles.finders import Finder
from earlyhelp.bundles.models import Bundle, BundleItem, Redaction
from earlyhelp.bundles.parties import parties_for
from earlyhelp.cases import documents
from earlyhelp.cases.models import Document
from earlyhelp.consent.media import item_words
from earlyhelp.consent.models import MediaItem
from earlyhelp.datamap.export import records_of
from earlyhelp.datamap.registry import (
    Entry,
    entries_about,
    holdings,
    is_record_link,
    value_words,
)
from earlyhelp.lib.plausible import format_day
from earlyhelp.packages import services as packages
from earlyhelp.people.models import Person
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.schema import AccessBundle, BundleExemption
from earlyhelp.rights.models import (
    ChildAccessDecision,
    RequestPerson,
    RightOutcome,
    RightsRequest,
)
from earlyhelp.rights.outcomes import _outcome as record_outcome
from earlyhelp.rights.outcomes import request_refusal
from earlyhelp.rights.scope import is_child
from earlyhelp.rights.services import audit_request
from earlyhelp.web.words import category_words, staff_name

RECORD_TYPE = "person"
# Holdings a bundle does not copy: earlier bundles (a copy of what this one copies), and
# the request's own file (what was asked, the clock, and above all the decision on a
# parent's access to a child, with the child's reasons), which is correspondence, not
# the records asked for.
NOT_COPIED = (
    "bundles.",
    "rights.RightsRequest",
    "rights.RequestPerson",
    "rights.Clarification",
    "rights.ChildAccessDecision",
)
AUDIT_TRAIL = AuditEvent._meta.label
# Longest a reviewer's reason may be.
REASON_LIMIT = 2000
PACKAGE = packages.Kind.ACCESS_BUNDLE


class BundleRefused(ValueError):
    """The bundle cannot be made, changed or sent; the message is "field: words"."""


def settings_of_policy() -> AccessBundle:
    """The policy's rules for bundles. BundleRefused when the policy has none."""
    found = active_policy().rights.access_bundle
    if found is None:
        raise BundleRefused(
            "policy: the policy has no [rights.access_bundle] section, so no bundle can be made"
        )
    return found


def exemption(exemption_id: str) -> BundleExemption:
    """The policy exemption with this id. BundleRefused("exemption: ...") when unknown."""
    for found in settings_of_policy().exemptions:
        if found.id == exemption_id:
            return found
    raise BundleRefused("exemption: choose one of the exemptions the policy lists")


def check_may_act(rights_request: RightsRequest, user: User) -> None:
    """BundleRefused unless `user` handles the open request, it asks for access, and no
    record it copies is restricted from them (a restriction closes every page naming it)."""
    problem = request_refusal(rights_request, user, RightsRequest.Right.ACCESS) or (
        restricted_refusal(rights_request, user)
    )
    if problem:
        raise BundleRefused(problem)


def restricted_refusal(rights_request: RightsRequest, user: User) -> str | None:
    """Why `user` may not see the bundle's records, or None: a record in the request's
    scope restricted from them (access.rules), saying whom to ask."""
    for person in in_scope(rights_request).included:
        if is_restricted_from(user, person):
            return f"person: a record in the request is restricted; ask {who_to_ask(person)}"
    return None


# --- making ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class InScope:
    """Who a bundle covers: the records copied, those left out, and those kept unredacted."""

    included: list[Person]  # the people whose records are copied
    left_out: list[Person]  # children whose records a parent may not have
    named: list[Person]  # everyone in scope, with their merged records: never redacted


def in_scope(rights_request: RightsRequest) -> InScope:
    """The request's people in scope, and which of them the bundle copies.

    A subject who is a child is left out when the latest decision on the asking parent's
    access to them refuses it (notice section 10; rights.scope.record_child_access)."""
    matched = list(
        RequestPerson.objects.filter(request=rights_request).select_related("person").order_by("pk")
    )
    latest: dict[int, ChildAccessDecision] = {}
    for decision in ChildAccessDecision.objects.filter(request=rights_request).order_by("pk"):
        latest[decision.child_id] = decision
    refused = {child for child, d in latest.items() if not d.allowed}
    included, left_out, named = [], [], []
    for match in matched:
        named += records_of(match.person)
        if match.role != RequestPerson.Role.SUBJECT:
            continue
        (left_out if match.person_id in refused else included).append(match.person)
    return InScope(included=included, left_out=left_out, named=named)


def not_ready(rights_request: RightsRequest, scope: InScope | None = None) -> str | None:
    """What must be recorded before a bundle is made, as "field: words", or None: the
    requester's identity evidence (UK GDPR Article 12(6)), and, when a parent or carer asks
    for a child's records, the decision on their access to each child (notice section 10,
    rights.scope.record_child_access): access is never automatic."""
    if rights_request.identity_evidence_received is None:
        return "identity: record the requester's identity evidence on the request first"
    if rights_request.requester_is != RightsRequest.Requester.PARENT:
        return None
    scope = scope or in_scope(rights_request)
    decided = set(
        ChildAccessDecision.objects.filter(request=rights_request).values_list(
            "child_id", flat=True
        )
    )
    today = timezone.localdate()
    for person in scope.included + scope.left_out:
        if is_child(person, today) and person.pk not in decided:
            return (
                f"child: decide whether the parent or carer may have {person.full_name}'s "
                "records (the child's access page) first"
            )
    return None


@transaction.atomic
def make_bundle(request: HttpRequest, rights_request: RightsRequest) -> Bundle:
    """A new bundle for the request, replacing any not yet sent.

    Raises BundleRefused when the user may not act on the request, or nobody it covers is
    matched yet (rights scope pages)."""
    rights_request = RightsRequest.objects.select_for_update().get(pk=rights_request.pk)
    check_may_act(rights_request, request.user)
    rules = settings_of_policy()
    scope = in_scope(rights_request)
    if not scope.included and not scope.left_out:
        raise BundleRefused("records: match the records of the person the request is about first")
    problem = not_ready(rights_request, scope)
    if problem:
        raise BundleRefused(problem)
    Bundle.objects.filter(
        request=rights_request, status__in=[Bundle.Status.REVIEWING, Bundle.Status.APPROVED]
    ).update(status=Bundle.Status.REPLACED)
    bundle = Bundle.objects.create(
        request=rights_request,
        policy_version=active_policy().version,
        cover=json.dumps({"children_left_out": len(scope.left_out)}),
        made_by=request.user,
    )
    items = _gather(bundle, scope.included)
    BundleItem.objects.bulk_create(items, batch_size=500)
    items = list(bundle.items.order_by("number"))
    parties = parties_for(
        scope.named,
        redact_workers=rules.redact_workers,
        worker_names={item.written_by for item in items},
        named_on_request=(rights_request.requester_name, rights_request.subject_name),
    )
    finder = Finder(parties.third, parties.keep)
    proposals = [
        Redaction(
            item=item,
            start=found.start,
            end=found.end,
            kind=str(found.kind),
            why=found.why,
            origin=Redaction.Origin.PROPOSED,
            exemption=rules.third_party_exemption,
        )
        # One scan of every passage (propose_many): the same proposals as one by one, quicker.
        for item, found_in_item in zip(
            items, finder.propose_many([item.text for item in items]), strict=True
        )
        for found in found_in_item
    ]
    Redaction.objects.bulk_create(proposals, batch_size=500)
    categories = sorted({c for item in items for c in item.category.split(",") if c})
    record_many(
        request,
        [
            {
                "action": "export",
                "record_type": RECORD_TYPE,
                "record_id": person.public_id,
                "categories": categories,
                "reason": f"Rights request {rights_request.reference}",
                "rule": "access:rights-request",
                "details": {
                    "what": "subject access bundle made",
                    "bundle": str(bundle.public_id),
                    "rights_request": str(rights_request.public_id),
                    "items": sum(1 for i in items if i.person_id == person.pk),
                },
            }
            for person in scope.included
        ],
    )
    audit_request(
        request,
        rights_request,
        "create",
        "subject access bundle made",
        details={
            "bundle": str(bundle.public_id),
            "items": len(items),
            "proposed": len(proposals),
            "children_left_out": len(scope.left_out),
        },
    )
    return bundle


def _gather(bundle: Bundle, people: list[Person]) -> list[BundleItem]:
    """Unsaved BundleItems for every row the data map holds about `people`, records in date
    order (undated last), each field an item; an uploaded document's pages or paragraphs
    follow its record."""
    sections: list[tuple[Person, Entry, object]] = []
    trail: list[tuple[Person, Entry]] = []
    for person in people:
        merged = records_of(person)
        for holding in holdings():
            if holding.name.startswith(NOT_COPIED):
                continue
            for entry, row in entries_about(holding, merged):
                if holding.name == AUDIT_TRAIL:
                    trail.append((person, entry))
                else:
                    sections.append((person, entry, row))
    sections.sort(key=lambda s: (s[1].date is None, s[1].date or 0, s[1].label, str(s[1].pk)))
    items: list[BundleItem] = []
    # The data map names staff by full name, or by username when the account has none: a
    # family reads "a member of staff", never an account name.
    unnamed = set(
        User.objects.filter(first_name="", last_name="").values_list("username", flat=True)
    )

    def staff(name: str) -> str:
        return "A member of staff" if name in unnamed else name

    def add(person: Person, entry: Entry, section: int, label: str, text: str, **more) -> None:
        items.append(
            BundleItem(
                bundle=bundle,
                number=len(items) + 1,
                section=section,
                person=person,
                record_model=entry.model,
                record_id=str(entry.pk),
                title=entry.label[:200],
                day=entry.date,
                category=",".join(entry.categories)[:200],
                source=entry.source[:200],  # in words already (the field's display)
                written_by=staff(entry.recorded_by)[:200],
                label=label[:200],
                text=text,
                **more,
            )
        )

    for number, (person, entry, row) in enumerate(sections, start=1):
        for label, value, _category in entry.fields:
            if is_record_link(value):
                continue  # a link to another record by its id: a code, not information
            add(person, entry, number, label, value_words(value))
        if isinstance(row, Document):
            _add_document(add, person, entry, number, row.sha256, row.content_type, row.title)
        elif isinstance(row, MediaItem):
            # A nursery photo or video is the child's data too: copied like a document (the
            # reviewer withholds a picture that shows other children).
            _add_document(
                add, person, entry, number, row.file_sha256, row.content_type, item_words(row)
            )
    # The audit trail: one section, a line for each event.
    section = len(sections) + 1
    for person, entry in sorted(trail, key=lambda t: (t[1].date or 0, str(t[1].pk))):
        said = "; ".join(f"{label}: {value}" for label, value, _c in entry.fields)
        by = f" by {staff(entry.recorded_by)}" if entry.recorded_by else ""
        when = format_day(entry.date) if entry.date else ""
        add(person, entry, section, when, f"{said}{by}")
    return items


def _add_document(
    add, person: Person, entry: Entry, section: int, sha256: str, content_type: str, name: str
) -> None:
    """The file of a record (an uploaded document, a nursery photo): its pages or
    paragraphs as items, or one item saying it is missing or cannot be read."""
    kind = _document_kind(content_type)
    try:
        data = documents.read(sha256)
    except documents.DocumentUnavailable:
        # Listed, so the reviewer sees the gap and can find the file elsewhere.
        add(
            person,
            entry,
            section,
            "Document",
            "",
            document_sha256=sha256,
            document_name=name,
            document_kind="missing",
            document_part=0,
        )
        return
    try:
        texts = attachment_texts(kind, data) if kind else []
        if kind in ("png", "jpeg"):
            clean_image(kind, data)  # a picture is read now, not first at approval
    except AttachmentUnreadable:
        kind, texts = "other", []
    if not texts:
        texts = [""]
    for part, text in enumerate(texts):
        add(
            person,
            entry,
            section,
            f"Document: page {part + 1}" if kind == "pdf" else "Document",
            text,
            document_sha256=sha256,
            document_name=name,
            document_kind=kind or "other",
            document_part=part,
        )


def _document_kind(content_type: str) -> str:
    return {
        "application/pdf": "pdf",
        "image/png": "png",
        "image/jpeg": "jpeg",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    }.get(content_type, "")


# --- reviewing ------------------------------------------------------------------------------


def _reviewing(bundle: Bundle, user: User) -> Bundle:
    """The bundle locked for a change: BundleRefused unless it is still being reviewed and
    `user` may act on its request."""
    bundle = (
        Bundle.objects.select_for_update(of=("self",))
        .select_related("request__handled_by")
        .get(pk=bundle.pk)
    )
    check_may_act(bundle.request, user)
    if bundle.status != Bundle.Status.REVIEWING:
        raise BundleRefused(
            f"bundle: it is {bundle.get_status_display().lower()}, so it cannot change; "
            "make a new bundle to change what is sent"
        )
    return bundle


def _reason(reason: str, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise BundleRefused("reason: say why, for the redaction schedule")
    if len(reason) > REASON_LIMIT:
        raise BundleRefused(f"reason: at most {REASON_LIMIT:,} characters")
    return reason


def _audit_item(request: HttpRequest, item: BundleItem, what: str, **details) -> None:
    """One event against the person whose record the item copies (their data was looked at
    and a decision taken on it)."""
    bundle = item.bundle
    audit_record(
        request,
        action="change",
        record_type=RECORD_TYPE,
        record_id=item.person.public_id,
        categories=[c for c in item.category.split(",") if c],
        reason=f"Rights request {bundle.request.reference}",
        rule="access:rights-request",
        details={"what": what, "bundle": str(bundle.public_id), "item": item.number, **details},
    )


@transaction.atomic
def decide(
    request: HttpRequest, redaction: Redaction, decision: str, exemption_id: str, reason: str
) -> Redaction:
    """Accept or reject a proposed (or added) redaction. Accepting needs an exemption from
    the policy; the reason is kept for the schedule. BundleRefused for anything else."""
    _reviewing(redaction.item.bundle, request.user)
    if decision not in (Redaction.Decision.ACCEPTED, Redaction.Decision.REJECTED):
        raise BundleRefused("decision: choose whether to redact it or not")
    if decision == Redaction.Decision.ACCEPTED and not exemption_id:
        raise BundleRefused("exemption: select the exemption you rely on")
    chosen = exemption(exemption_id).id if decision == Redaction.Decision.ACCEPTED else ""
    redaction.decision = decision
    redaction.exemption = chosen or redaction.exemption
    redaction.reason = _reason(reason, required=False)
    redaction.decided_by = request.user
    redaction.decided_at = timezone.now()
    redaction.save(update_fields=["decision", "exemption", "reason", "decided_by", "decided_at"])
    _audit_item(
        request,
        redaction.item,
        f"redaction {redaction.get_decision_display().lower()}",
        redaction=str(redaction.public_id),
        exemption=chosen,
        kind=redaction.kind,
    )
    return redaction


@transaction.atomic
def decide_all(request: HttpRequest, bundle: Bundle, exemption_id: str) -> int:
    """Accept every proposal not yet decided with one exemption; the number decided."""
    bundle = _reviewing(bundle, request.user)
    chosen = exemption(exemption_id).id
    pending = list(
        Redaction.objects.filter(
            item__bundle=bundle, decision=Redaction.Decision.PENDING
        ).select_related("item__person", "item__bundle__request")
    )
    # One UPDATE (bulk_update writes a CASE a row: seconds for thousands), by the same
    # condition as the list above; the bundle's lock keeps the two the same.
    Redaction.objects.filter(item__bundle=bundle, decision=Redaction.Decision.PENDING).update(
        decision=Redaction.Decision.ACCEPTED,
        exemption=chosen,
        decided_by=request.user,
        decided_at=timezone.now(),
    )
    by_person: dict[Person, list[str]] = defaultdict(list)
    for redaction in pending:
        by_person[redaction.item.person].append(str(redaction.public_id))
    record_many(
        request,
        [
            {
                "action": "change",
                "record_type": RECORD_TYPE,
                "record_id": person.public_id,
                "reason": f"Rights request {bundle.request.reference}",
                "rule": "access:rights-request",
                "details": {
                    "what": "every proposed redaction accepted",
                    "bundle": str(bundle.public_id),
                    "exemption": chosen,
                    "redactions": len(ids),
                },
            }
            for person, ids in by_person.items()
        ],
    )
    return len(pending)


@transaction.atomic
def add_redaction(
    request: HttpRequest, item: BundleItem, words: str, exemption_id: str, reason: str
) -> list[Redaction]:
    """Redact every place `words` appear in the item's text, as the reviewer's own
    decision. BundleRefused("words: ...") when they do not appear."""
    _reviewing(item.bundle, request.user)
    words = (words or "").strip()
    if not words:
        raise BundleRefused("words: enter the words to redact, exactly as they appear")
    if len(words) > REASON_LIMIT:
        raise BundleRefused(f"words: at most {REASON_LIMIT:,} characters")
    chosen = exemption(exemption_id).id
    reason = _reason(reason, required=True)
    starts, at = [], item.text.find(words)
    while at != -1:
        starts.append(at)
        at = item.text.find(words, at + len(words))
    if not starts:
        raise BundleRefused("words: they do not appear in this passage; copy them exactly")
    now = timezone.now()
    added = Redaction.objects.bulk_create(
        [
            Redaction(
                item=item,
                start=start,
                end=start + len(words),
                kind="added",
                origin=Redaction.Origin.ADDED,
                decision=Redaction.Decision.ACCEPTED,
                exemption=chosen,
                reason=reason,
                decided_by=request.user,
                decided_at=now,
            )
            for start in starts
        ]
    )
    _audit_item(
        request,
        item,
        "redaction added",
        redactions=[str(r.public_id) for r in added],
        exemption=chosen,
    )
    return added


@transaction.atomic
def withhold(
    request: HttpRequest,
    item: BundleItem,
    exemption_id: str,
    reason: str,
    *,
    whole_record: bool = False,
) -> int:
    """Withhold the passage (or every passage of its record) with an exemption and a reason;
    the number of passages withheld."""
    bundle = _reviewing(item.bundle, request.user)
    chosen = exemption(exemption_id).id
    reason = _reason(reason, required=True)
    items = (
        BundleItem.objects.filter(bundle=bundle, section=item.section)
        if whole_record
        else BundleItem.objects.filter(pk=item.pk)
    )
    count = items.update(
        withheld_exemption=chosen,
        withheld_reason=reason,
        withheld_by=request.user,
        withheld_at=timezone.now(),
    )
    _audit_item(
        request,
        item,
        "record withheld" if whole_record else "passage withheld",
        exemption=chosen,
        passages=count,
    )
    return count


@transaction.atomic
def release(request: HttpRequest, item: BundleItem) -> None:
    """Include a withheld passage again."""
    _reviewing(item.bundle, request.user)
    BundleItem.objects.filter(pk=item.pk).update(
        withheld_exemption="", withheld_reason="", withheld_by=None, withheld_at=None
    )
    _audit_item(request, item, "passage included again")


# --- approving and sending ------------------------------------------------------------------


@transaction.atomic
def approve(request: HttpRequest, bundle: Bundle) -> Bundle:
    """Render the PDF with every accepted redaction burned in, and keep it, encrypted, as the
    request's file. BundleRefused while any proposal is undecided."""
    bundle = _reviewing(bundle, request.user)
    pending = Redaction.objects.filter(
        item__bundle=bundle, decision=Redaction.Decision.PENDING
    ).count()
    if pending:
        raise BundleRefused(
            f"redactions: {pending:,} proposed redaction{'s are' if pending != 1 else ' is'} "
            "not decided yet; decide each before approving"
        )
    content, used = _content(bundle)
    rendered = render.render_bundle(content)
    sha256, _size = documents.store(ContentFile(rendered.pdf, name="bundle.pdf"))
    for redaction in Redaction.objects.filter(item__bundle=bundle, decision="accepted"):
        redaction.page = rendered.pages.get(str(redaction.public_id))
        redaction.save(update_fields=["page"])
    for item in bundle.items.all():
        page = rendered.pages.get(f"item-{item.number}")
        if page and page != item.page:
            item.page = page
            item.save(update_fields=["page"])
    bundle.status = Bundle.Status.APPROVED
    bundle.approved_by = request.user
    bundle.approved_at = timezone.now()
    bundle.file_sha256 = sha256
    bundle.page_count = rendered.page_count
    bundle.cover = json.dumps({**_cover_facts(bundle), "letter": content.cover, "used": used})
    bundle.save()
    audit_request(
        request,
        bundle.request,
        "change",
        "subject access bundle approved",
        details={"bundle": str(bundle.public_id), "pages": rendered.page_count},
    )
    return bundle


def _cover_facts(bundle: Bundle) -> dict:
    try:
        return {k: v for k, v in json.loads(bundle.cover).items() if k == "children_left_out"}
    except (TypeError, ValueError):
        return {}


def _content(bundle: Bundle) -> tuple[render.Content, list[str]]:
    """What the PDF shows, from the items and the accepted redactions; and the exemption ids
    used, for the cover letter."""
    policy = active_policy()
    codes = {e.id: e.code for e in settings_of_policy().exemptions}
    cuts: dict[int, list[render.Cut]] = defaultdict(list)
    used: set[str] = set()
    for redaction in Redaction.objects.filter(
        item__bundle=bundle, decision=Redaction.Decision.ACCEPTED
    ).order_by("item_id", "start"):
        cuts[redaction.item_id].append(
            render.Cut(
                redaction.start,
                redaction.end,
                codes.get(redaction.exemption, "?"),
                str(redaction.public_id),
            )
        )
        used.add(redaction.exemption)
    sections: list[render.Section] = []
    by_section: dict[int, list[BundleItem]] = defaultdict(list)
    for item in bundle.items.order_by("number"):
        by_section[item.section].append(item)
    for number in sorted(by_section):
        items = by_section[number]
        first = items[0]
        section = render.Section(
            title=first.title,
            day=first.day,
            category="; ".join(category_words(policy, c) for c in first.category.split(",") if c),
            source=first.source,
            recorded_by=first.written_by,
            passages=[],
            ref=f"item-{first.number}",
        )
        documents_seen: dict[str, render.Attachment] = {}
        for item in items:
            withheld = ""
            if item.withheld_exemption:
                used.add(item.withheld_exemption)
                withheld = f"Withheld ({codes.get(item.withheld_exemption, '?')})"
            if item.document_sha256:
                _add_part(section, documents_seen, item, cuts.get(item.pk, []), withheld, codes)
                continue
            section.passages.append(
                render.Passage(
                    label=item.label,
                    text=item.text,
                    cuts=cuts.get(item.pk, []),
                    withheld=withheld,
                    ref=f"item-{item.number}",
                )
            )
        sections.append(section)
    rights_request = bundle.request
    letter = cover.cover_letter(
        rights_request,
        policy,
        exemptions_used=sorted(used),
        children_left_out=_cover_facts(bundle).get("children_left_out", 0),
    )
    content = render.Content(
        title=f"Records asked for: subject access request {rights_request.reference}",
        reference=rights_request.reference,
        cover=letter,
        sections=sections,
    )
    return content, sorted(used)


def _add_part(
    section: render.Section,
    seen: dict[str, render.Attachment],
    item: BundleItem,
    cuts: list[render.Cut],
    withheld: str,
    codes: dict[str, str],
) -> None:
    """A page or paragraph of an uploaded document into its attachment. A withheld page or
    paragraph with text is cut whole; a withheld picture (no text) withholds the document."""
    attachment = seen.get(item.document_sha256)
    if attachment is None:
        readable = item.document_kind in ("pdf", "docx", "png", "jpeg")
        # Not the document's title: it is a passage of the record, redacted there, and
        # would show here as typed.
        attachment = render.Attachment(
            name="Document uploaded to this record",
            kind=item.document_kind if readable else "pdf",
            data=documents.read(item.document_sha256) if readable else b"",
            ref=f"item-{item.number}",
        )
        if not readable:
            attachment.withheld = "This document could not be read; ask us for a copy"
        seen[item.document_sha256] = attachment
        section.attachments.append(attachment)
    if withheld and item.text:
        cuts = [render.Cut(0, len(item.text), codes.get(item.withheld_exemption, "?"), "")]
    elif withheld:
        attachment.withheld = withheld
    if cuts:  # a picture has no text, so no cuts: an empty list would say it had some
        attachment.cuts[item.document_part or 0] = cuts


@transaction.atomic
def deliver(request: HttpRequest, bundle: Bundle, how: str) -> packages.Made:
    """A password-protected copy of the approved bundle behind a new link that expires after
    the policy's hours (packages.make); the links of every earlier bundle of the request
    stop working. `how`: how it is sent, in words. Each download through the link is
    audited against each person the bundle copies.

    Raises BundleRefused when the user may not act, the bundle is not approved, or `how`
    is missing or over 200 characters."""
    bundle = (
        Bundle.objects.select_for_update(of=("self",))
        .select_related("request__handled_by")
        .get(pk=bundle.pk)
    )
    check_may_act(bundle.request, request.user)
    if bundle.status not in (Bundle.Status.APPROVED, Bundle.Status.SENT):
        raise BundleRefused("bundle: approve the bundle before sending it")
    how = (how or "").strip()
    if not how:
        raise BundleRefused(
            "how: say how the link is sent (for example, by email to the requester)"
        )
    settings_of_policy()
    rights_request = bundle.request
    scope = in_scope(rights_request)
    packages.withdraw(PACKAGE, rights_request.bundles.values_list("public_id", flat=True))
    try:
        made = packages.make(
            request,
            documents.read(bundle.file_sha256),
            kind=PACKAGE,
            owner_public_id=bundle.public_id,
            how=how,
            # Whose records it holds: those copied, or (all left out) the request's subjects.
            people=scope.included or scope.left_out,
            reason=f"Rights request {rights_request.reference}",
            rule="access:rights-request",
            file_name=f"subject-access-{rights_request.reference}.pdf",
        )
    except packages.PackageRefused as refusal:
        raise BundleRefused(str(refusal)) from None
    first_sending = bundle.status == Bundle.Status.APPROVED
    bundle.status = Bundle.Status.SENT
    bundle.sent_on = timezone.localdate()
    bundle.sent_how = how
    bundle.save(update_fields=["status", "sent_on", "sent_how"])
    if first_sending:
        _record_outcome(request, bundle)
    audit_request(
        request,
        rights_request,
        "share",
        "subject access bundle sent",
        details={
            "bundle": str(bundle.public_id),
            "package": str(made.package.public_id),
            "expires_at": made.package.expires_at.isoformat(timespec="seconds"),
        },
    )
    return made


def packages_sent(bundle: Bundle):
    """The protected packages made for `bundle`, oldest first."""
    return packages.packages_of(PACKAGE, [bundle.public_id])


def _record_outcome(request: HttpRequest, bundle: Bundle) -> None:
    """What was done on the right of access, for each person the bundle copies: done, or
    done in part when anything was redacted, withheld or left out (the request's page and
    its answer letter list it)."""
    redacted = Redaction.objects.filter(item__bundle=bundle, decision="accepted").count()
    withheld = bundle.items.exclude(withheld_exemption="").count()
    left_out = _cover_facts(bundle).get("children_left_out", 0)
    said = [f"A copy of {bundle.page_count or 0:,} pages sent on {format_day(bundle.sent_on)}"]
    if redacted:
        said.append(f"{redacted:,} redaction{'s' if redacted != 1 else ''}")
    if withheld:
        said.append(f"{withheld:,} passage{'s' if withheld != 1 else ''} withheld")
    if left_out:
        said.append("a child's records left out without their agreement")
    result = (
        RightOutcome.Result.PARTLY if redacted or withheld or left_out else RightOutcome.Result.DONE
    )
    for person in in_scope(bundle.request).included:
        record_outcome(
            request,
            bundle.request,
            person,
            RightsRequest.Right.ACCESS,
            result,
            "; ".join(said) + ".",
            [],
        )


def schedule_rows(bundle: Bundle) -> list[tuple[str, ...]]:
    """The redaction schedule: each redaction and withheld passage with its page, exemption
    and reason, for the IG officer and the ICO; never sent to the requester."""
    names = {e.id: f"{e.code} {e.name}" for e in settings_of_policy().exemptions}
    rows = []
    for r in Redaction.objects.filter(item__bundle=bundle, decision="accepted").select_related(
        "item", "decided_by"
    ):
        rows.append(
            (
                str(r.page or ""),
                f"{r.item.title}: {r.item.label}",
                r.item.text[r.start : r.end],
                names.get(r.exemption, r.exemption),
                r.reason or r.why,
                r.get_origin_display(),
                staff_name(r.decided_by),
            )
        )
    for item in bundle.items.exclude(withheld_exemption="").select_related("withheld_by"):
        rows.append(
            (
                str(item.page or ""),
                f"{item.title}: {item.label}",
                "(whole passage withheld)",
                names.get(item.withheld_exemption, item.withheld_exemption),
                item.withheld_reason,
                "Withheld by the reviewer",
                staff_name(item.withheld_by),
            )
        )
    return sorted(rows, key=lambda row: (int(row[0] or 0), row[1]))


SCHEDULE_HEADINGS = ("Page", "Record", "Redacted", "Exemption", "Reason", "How", "Decided by")


def audit_schedule(request: HttpRequest, bundle: Bundle, rows: int) -> None:
    """The schedule was printed: it shows redacted words, so it is a look at the request."""
    audit_request(
        request,
        bundle.request,
        "print",
        "redaction schedule printed",
        details={"bundle": str(bundle.public_id), "rows": rows},
    )
